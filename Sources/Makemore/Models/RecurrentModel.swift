// makemore.py's recurrent language models: each character's embedding and the previous hidden state
// make the next hidden state, one step per character of the word, and every hidden state gives the
// logits of the character after it.
//
//     emb = self.wte(idx)                            # (B, T, E)
//     hprev = self.start.expand((b, -1))             # (B, H)
//     for i in range(t):
//         ht = self.cell(emb[:, i, :], hprev)        # (B, H): RNNCell, GRUCell (or our LSTM cell)
//         hprev = ht; hiddens.append(ht)
//     hidden = torch.stack(hiddens, 1)               # (B, T, H)
//     logits = self.lm_head(hidden)                  # (B, T, V)
//
// Shapes: B = batch, T = time (block size), E = embedding size (n_embd), H = hidden size (n_embd2),
// G = gates per cell (RNN 1, GRU 3, LSTM 4), V = vocabulary.
import Engine

/// An RNN, GRU or LSTM over the word, read from its start, predicting the next character at every position.
///
/// - RNN: makemore.py's `RNNCell`, h = tanh(W·[x, h_{t-1}] + b) (Elman 1990, Mikolov et al. 2010).
/// - GRU: makemore.py's `GRUCell` (Cho et al. 2014): r = σ(W_r·[x, h]), z = σ(W_z·[x, h]),
///   h̄ = tanh(W_h̄·[x, r ⊙ h]), h_t = (1 - z) ⊙ h_{t-1} + z ⊙ h̄.
/// - LSTM: makemore.py lists it but never wrote it; this is Hochreiter & Schmidhuber 1997 with the
///   forget gate of Gers et al. 2000, in the form of Graves 2014 (eqs. 7–11) without its peepholes:
///   i, f, o = σ(W·[x, h_{t-1}] + b), g = tanh(W_g·[x, h_{t-1}] + b_g), c = f ⊙ c_{t-1} + i ⊙ g,
///   h = o ⊙ tanh(c). Left out: Graves 2013's peephole weights from c into the gates, the forget-gate
///   bias of 1 some use (PyTorch's nn.LSTM does not either), layers stacked deeper than one, dropout.
///   Like makemore's `start`, both the start state h and the start cell state c are learned.
///
/// makemore multiplies the concatenation cat(x_t, h_{t-1}) (E + H) by a Linear per gate. Here the
/// gates' Linears sit side by side in one weight (E + H, G·H) and one bias (G·H), column blocks in
/// makemore's order (GRU: z, r, h̄) or PyTorch's nn.LSTM order (i, f, g, o); its first E rows multiply
/// x_t and its last H rows h_{t-1}, which is the same sum without a `cat` per step, and lets x·W_x be
/// one matmul for every step (the cell loop itself is one fused op, `Tensor.recurrent`).
///
/// Initialisation is PyTorch's default: the embedding N(0, 1); every Linear weight and bias
/// U(-1/√fan-in, 1/√fan-in) (fan-in E + H for the cell, H for the head); the start states zeros.
/// Drawn from the generator in the order: embedding (V, E), cell weight (E + H, G·H) row by row,
/// cell bias (G·H), head weight (H, V), head bias (V). The numbers are not PyTorch's (it draws each
/// gate's (H, E + H) weight on its own, and uniforms by another method).
package final class RecurrentModel: LanguageModel {
    package let vocabulary: Vocabulary
    package let configuration: ModelConfiguration
    package var training = true
    let cell: RecurrentCell
    /// makemore's `start`: the hidden state before the first character, (1, H).
    let start: Tensor
    /// The LSTM's cell state before the first character, (1, H); `nil` for the RNN and GRU.
    let startCell: Tensor?
    /// `wte`, (V, E).
    let embedding: Embedding
    /// The cell's gates: cat(x_t, h_{t-1}) · weight + bias, (E + H, G·H) and (G·H,).
    let cellWeight: Tensor, cellBias: Tensor
    /// `lm_head`, (H → V).
    let head: Linear

    init(_ configuration: ModelConfiguration, vocabulary: Vocabulary, generator g: TorchGenerator) {
        let (V, E, H) = (vocabulary.count, configuration.embeddingSize, configuration.hiddenSize)
        self.vocabulary = vocabulary
        self.configuration = configuration
        cell =
            switch configuration.kind {
            case .gru: .gru
            case .lstm: .lstm
            default: .rnn
            }
        let G = cell.gateCount
        let zeros = { modelShapes { () throws(ShapeError) in try Tensor.zeros([1, H]) }.requiringGrad() }
        start = zeros()  // (1, H)
        startCell = cell == .lstm ? zeros() : nil  // (1, H)
        embedding = Embedding(V, E, generator: g)  // (V, E)
        cellWeight = .uniformParameter([E + H, G * H], fanIn: E + H, generator: g)  // (E + H, G·H)
        cellBias = .uniformParameter([G * H], fanIn: E + H, generator: g)  // (G·H,)
        head = Linear(
            weight: .uniformParameter([H, V], fanIn: H, generator: g),  // (H, V)
            bias: .uniformParameter([V], fanIn: H, generator: g))  // (V,)
    }

    /// Logits (B, t, V) for contexts (B, t) of any length 1 ≤ t ≤ T, and the loss against targets
    /// (B, t), -1 ignored.
    package func forward(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> (
        logits: Tensor, loss: Tensor?
    ) {
        let name = configuration.kind.rawValue
        guard contexts.shape.count == 2, contexts.shape[0] >= 1, (1...blockSize).contains(contexts.shape[1]) else {
            throw ShapeError(
                name,
                "needs contexts of shape (B, t) with B ≥ 1 and 1 ≤ t ≤ \(blockSize), got \(formatShape(contexts.shape))"
            )
        }
        if let targets, targets.shape != contexts.shape {
            throw ShapeError(
                name,
                "needs targets of the contexts' shape \(formatShape(contexts.shape)), got \(formatShape(targets.shape))"
            )
        }
        let (E, H, t) = (configuration.embeddingSize, configuration.hiddenSize, contexts.shape[1])
        let emb = try embedding.forward(indices: contexts)  // (B, t, E)
        ShapeTrace.note(embedding.description, emb)
        let xw = try emb.matmul(cellWeight.slice(0..<E, dim: 0))  // (B, t, G·H)
        ShapeTrace.note("x · W_x, every step's gate inputs at once", xw)
        let hidden = try Tensor.recurrent(
            cell, inputs: xw, hiddenWeight: cellWeight.slice(E..<E + H, dim: 0), bias: cellBias,
            start: start, startCell: startCell)  // (B, t, H)
        InternalsCapture.note("\(cellName) hidden states", hidden, bounded: true)  // tanh-made, in (-1, 1)
        if ShapeTrace.current != nil {
            ShapeTrace.note("\(cellName) cell step (×\(t))", try hidden.select(0, dim: 1))  // (B, H)
            ShapeTrace.note("hidden states, stacked", hidden)
        }
        let logits = try head.forward(hidden)  // (B, t, V)
        return (logits, try targets.map { (y) throws(ShapeError) in try languageModelLoss(logits, y) })
    }

    /// makemore's order: start (and the LSTM's start cell state), wte, the cell, lm_head.
    package func parameters() -> [Tensor] {
        [start] + (startCell.map { [$0] } ?? []) + [embedding.weight, cellWeight, cellBias] + head.parameters()
    }

    package func buffers() -> [Tensor] { [] }

    /// None: the layer diagnostics run layers one after another, which a recurrence is not.
    package var layers: [any TensorLayer] { [] }
    package var embeddingTable: Tensor? { embedding.weight }

    /// `RNN`, `GRU`, `LSTM`.
    var cellName: String { cell.rawValue.uppercased() }

    /// `RNN(16 × 64 → 64 → 27), 14,171 parameters, training mode`, then its parts.
    package var description: String {
        let (c, V) = (configuration, vocabulary.count)
        let (E, H, G) = (c.embeddingSize, c.hiddenSize, cell.gateCount)
        let gates =
            switch cell {
            case .rnn: "tanh"
            case .gru: "gates z, r, h̄"
            case .lstm: "gates i, f, g, o and a cell state"
            }
        let starts = cell == .lstm ? "start h, c (1, \(H))" : "start h (1, \(H))"
        let cellParameters = (E + H) * G * H + G * H + (cell == .lstm ? 2 : 1) * H
        return """
            \(cellName)(\(c.blockSize) × \(E) → \(H) → \(V)), \(parameterCount.grouped) parameters, \(modeDescription)
              \(embedding)
              \(cellName) cell (\(E) + \(H) → \(H), \(gates)), \(starts), \(cellParameters.grouped) parameters
              \(head)
            """
    }
}

extension Tensor {
    /// U(-1/√fanIn, 1/√fanIn) draws of `shape`, PyTorch's default for a Linear's weight and bias,
    /// marked as a parameter. For shapes a model fixes.
    static func uniformParameter(_ shape: [Int], fanIn: Int, generator: TorchGenerator) -> Tensor {
        let bound = 1 / Float(Double(fanIn).squareRoot())
        let t = modelShapes { () throws(ShapeError) in try Tensor.rand(shape, generator: generator) }  // (…) in [0, 1)
        t.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = (2 * $0[i] - 1) * bound } }
        return t.requiringGrad()
    }
}

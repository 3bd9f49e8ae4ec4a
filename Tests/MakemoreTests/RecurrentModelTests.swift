// makemore.py's RNN, GRU and our LSTM through the language-model protocol: gradients of every
// parameter against finite differences, a tiny dataset learned, the LSTM against a hand computation,
// parameter counts, shapes for every context length, and shapes a user can get wrong.
//
// Finite differences: central, h = 1e-2, in Double on the float32 forward pass; tolerance
// |numeric - autograd| ≤ 5e-3·max(|numeric|, |autograd|) + 2e-4 (as TensorGradientCheckTests).
// Hand computation: Double scalar loops with Foundation's exp and tanh; tolerance 1e-5 (float32 sums
// and the engine's vectorised tanh and σ, within 4e-7 each).
import Engine
import Foundation
import TestSupport
import Testing

@testable import Makemore

@Suite("Recurrent models")
struct RecurrentModelTests {
    static let kinds: [ModelConfiguration.Kind] = [.rnn, .gru, .lstm]
    static let vocabulary = Vocabulary(characters: "abcd")  // 5 with '.'

    /// vocab 5, embedding 3, hidden 4, block 4.
    static func tiny(_ kind: ModelConfiguration.Kind, seed: UInt64 = 7) throws -> RecurrentModel {
        let model = try ModelConfiguration.recurrent(kind, blockSize: 4, embeddingSize: 3, hiddenSize: 4)
            .make(vocabulary: vocabulary, generator: TorchGenerator(seed: seed))
        return try #require(model as? RecurrentModel)
    }

    static let X = try! IndexTensor([0, 1, 2, 3, 0, 4, 4, 0], shape: [2, 4])  // (B, T): '.abc', '.dd.'
    static let Y = try! IndexTensor([1, 2, 3, 0, 4, 4, 0, -1], shape: [2, 4])  // (B, T): 'abc.', 'dd.' then ignored

    @Test(arguments: kinds)
    func everyGradientMatchesCentralDifferences(_ kind: ModelConfiguration.Kind) throws {
        let model = try Self.tiny(kind)
        // Start states away from zero, so that the gates' products with them are checked too.
        for (k, p) in model.parameters().prefix(kind == .lstm ? 2 : 1).enumerated() {
            p.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = Float(i + k + 1) * 0.2 - 0.5 } }
        }
        let mismatches = try centralDifferenceMismatches(
            model.parameters(), label: { "\(kind) parameter \($0)" },
            loss: {
                try #require(try model.forward(Self.X, targets: Self.Y).loss)  // ()
            })
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test(arguments: kinds)
    func trainingDrivesTheLossDown(_ kind: ModelConfiguration.Kind) throws {
        let words = ["abb", "cab", "dad", "bad", "cdc", "ab"]
        let model = try Self.tiny(kind)
        let data = try ContextWindows(words, for: model)
        let trainer = Trainer(model: model)  // AdamW, makemore.py's
        let g = TorchGenerator(seed: 1)
        let before = model.loss(on: data)
        var plan = TrainingPlan(steps: 300, batchSize: 4, schedule: .constant(0.02), evaluateEvery: nil)
        #expect(trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: g) == .finished)
        let after = model.loss(on: data)
        #expect(after < before - 0.5 && after < 0.9, "\(kind): \(before) → \(after)")
    }

    /// The LSTM by hand: x_t = wte[idx_t]; every gate a sum over cat(x_t, h_{t-1}); c and h per unit.
    @Test func lstmGatesAndCellStateMatchAHandComputation() throws {
        // V = 3 ('.', a, b), E = 2, H = 3 = V, so that an identity head makes the logits h_t itself.
        let (V, E, H) = (3, 2, 3)
        let model = try #require(
            try ModelConfiguration.recurrent(.lstm, blockSize: 3, embeddingSize: E, hiddenSize: H)
                .make(vocabulary: Vocabulary(characters: "ab"), generator: TorchGenerator(seed: 1)) as? RecurrentModel)
        // Known weights: small, different everywhere, of both signs.
        func fill(_ t: Tensor, _ f: (Int) -> Double) {
            t.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = Float(f(i)) } }
        }
        let emb: (Int) -> Double = { sin(Double($0) + 1) }  // wte (V, E)
        let w: (Int) -> Double = { 0.7 * cos(Double($0) * 1.3) }  // (E + H, 4H), row-major
        let bias: (Int) -> Double = { 0.1 * Double($0 % 5) - 0.2 }  // (4H,)
        let h0: [Double] = [0.3, -0.2, 0.1]
        let c0: [Double] = [-0.5, 0.4, 0.2]
        let p = model.parameters()  // start, start c, wte, W, b, head W, head b
        fill(p[0]) { h0[$0] }
        fill(p[1]) { c0[$0] }
        fill(p[2], emb)
        fill(p[3], w)
        fill(p[4], bias)
        fill(p[5]) { $0 / H == $0 % H ? 1 : 0 }  // identity (H, V)
        fill(p[6]) { _ in 0 }
        let word = [0, 2, 1]  // '.ba'
        // (1, 3, V)
        let logits = try model.forward(IndexTensor(word.map(Int32.init), shape: [1, 3]), targets: nil).logits.scalars

        func sigma(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        var (h, c) = (h0, c0)
        for (t, ix) in word.enumerated() {
            let xh = (0..<E).map { emb(ix * E + $0) } + h  // cat(x_t, h_{t-1}), (E + H)
            var pre = [Double](repeating: 0, count: 4 * H)  // i, f, g, o pre-activations
            for n in 0..<(4 * H) {
                pre[n] = bias(n)
                for k in 0..<(E + H) { pre[n] += xh[k] * w(k * 4 * H + n) }
            }
            for j in 0..<H {
                let (i, f, g, o) = (sigma(pre[j]), sigma(pre[H + j]), tanh(pre[2 * H + j]), sigma(pre[3 * H + j]))
                c[j] = f * c[j] + i * g
                h[j] = o * tanh(c[j])
            }
            for j in 0..<V {
                #expect(
                    abs(Double(logits[t * V + j]) - h[j]) <= 1e-5,
                    "step \(t) unit \(j): \(logits[t * V + j]) vs \(h[j]) (c = \(c[j]))")
            }
        }
    }

    @Test(arguments: kinds)
    func parameterCountMatchesTheConfiguration(_ kind: ModelConfiguration.Kind) throws {
        for c in [ModelConfiguration.recurrent(kind), .recurrent(kind, blockSize: 4, embeddingSize: 3, hiddenSize: 4)] {
            let v = c.blockSize == 16 ? Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz") : Self.vocabulary
            let model = try c.make(vocabulary: v, generator: TorchGenerator(seed: 1))
            #expect(model.parameterCount == c.parameterCount(vocabularySize: v.count))
        }
        let model = try ModelConfiguration.recurrent(kind).make(
            vocabulary: Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz"),
            generator: TorchGenerator(seed: 1))
        // makemore.py at n_embd = n_embd2 = 64, 27 characters: start, wte, G Linears (128 → 64), lm_head.
        let G = [ModelConfiguration.Kind.rnn: 1, .gru: 3, .lstm: 4][kind] ?? 0
        #expect(model.parameterCount == (kind == .lstm ? 128 : 64) + 27 * 64 + G * (128 * 64 + 64) + 64 * 27 + 27)
        let heading =
            "\(kind.rawValue.uppercased())(16 × 64 → 64 → 27), \(model.parameterCount.grouped) parameters, training mode"
        #expect(model.description.split(separator: "\n").first.map(String.init) == heading)
        #expect(model.buffers().isEmpty && model.layers.isEmpty && model.growsContext)
    }

    @Test(arguments: kinds)
    func forwardTakesEveryContextLengthUpToTheBlock(_ kind: ModelConfiguration.Kind) throws {
        let model = try Self.tiny(kind)
        let full = try model.forward(Self.X, targets: Self.Y)
        #expect(full.logits.shape == [2, 4, 5] && full.loss?.shape == [])
        for t in 1...4 {
            // (2, t)
            let X = try IndexTensor((0..<2).flatMap { b in Self.X.values[(b * 4)..<(b * 4 + t)] }, shape: [2, t])
            let (logits, loss) = try model.forward(X, targets: nil)
            #expect(logits.shape == [2, t, 5] && loss == nil)
            // Causal: the first t positions do not depend on what comes after them.
            let prefix = try full.logits.slice(0..<t, dim: 1).scalars
            #expect(zip(logits.scalars, prefix).allSatisfy { abs($0 - $1) <= 1e-6 })
        }
        let p = model.nextCharacterProbabilities(context: [0, 1])
        #expect(p.count == 5 && abs(p.reduce(0, +) - 1) < 1e-5)
        let steps = try model.traceShapes(Self.X, targets: Self.Y)
        #expect(steps.contains(.init(name: "\(kind.rawValue.uppercased()) cell step (×4)", shape: [2, 4])))
        #expect(steps.last == .init(name: "loss", shape: []))
    }

    @Test(arguments: kinds)
    func badShapesThrowAShapeError(_ kind: ModelConfiguration.Kind) throws {
        let model = try Self.tiny(kind)
        let bad: [(IndexTensor, IndexTensor?)] = [
            (try IndexTensor([Int32](repeating: 0, count: 10), shape: [2, 5]), nil),  // longer than the block
            (try IndexTensor([], shape: [2, 0]), nil),  // no characters
            (try IndexTensor([0, 1, 2]), nil),  // not (B, t)
            (try IndexTensor([Int32](repeating: 0, count: 8), shape: [2, 2, 2]), nil),
            (try IndexTensor([0, 9, 1, 2], shape: [2, 2]), nil),  // index past the vocabulary
            (Self.X, try IndexTensor([1, 2, 3, 0]))  // targets of another shape
        ]
        for (x, y) in bad {
            #expect(throws: ShapeError.self) { try model.forward(x, targets: y) }
        }
    }
}

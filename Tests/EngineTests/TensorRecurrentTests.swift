// The fused recurrent op (Tensor+Recurrent.swift) against makemore.py's cells written with ordinary
// tensor ops (cat, matmul, σ, tanh, stack), and its gradients against central finite differences.
//
// Composite vs fused: the same float32 sums in another order, so values agree to 1e-5 and
// gradients to 1e-4·max(1, |g|). Finite differences: h = 1e-2, computed in Double, tolerance
// |numeric - autograd| ≤ 5e-3·max(|numeric|, |autograd|) + 2e-4, as TensorGradientCheckTests.
//
// Shapes: B = batch, T = time, E = input size, H = hidden size, G = gates.
import Engine
import TestSupport
import Testing

@Suite("Fused recurrent op")
struct TensorRecurrentTests {
    static let (B, T, E, H) = (3, 4, 2, 5)

    /// x (B, T, E), W (E + H, G·H), b (G·H), h0 and c0 (1, H), and a (B, T, H) mix that makes every
    /// hidden state count in the loss, from a fixed seed.
    static func inputs(_ cell: RecurrentCell) throws -> (
        x: Tensor, W: Tensor, b: Tensor, h0: Tensor, c0: Tensor?, mix: Tensor
    ) {
        let g = TorchGenerator(seed: 5)
        let G = cell.gateCount
        func p(_ shape: [Int], _ scale: Float) throws -> Tensor {
            try (Tensor.randn(shape, generator: g) * scale).detach().requiringGrad()
        }
        return (
            try p([B, T, E], 1), try p([E + H, G * H], 0.6), try p([G * H], 0.3), try p([1, H], 0.5),
            cell == .lstm ? try p([1, H], 0.5) : nil, try Tensor.randn([B, T, H], generator: g)
        )
    }

    /// The fused op on cat(x, h)'s weight split into its x rows and h rows.   // (B, T, H)
    static func fused(_ cell: RecurrentCell, _ x: Tensor, _ W: Tensor, _ b: Tensor, _ h0: Tensor, _ c0: Tensor?) throws
        -> Tensor
    {
        let xw = try x.matmul(W.slice(0..<E, dim: 0))  // (B, T, G·H)
        return try Tensor.recurrent(
            cell, inputs: xw, hiddenWeight: W.slice(E..<E + H, dim: 0), bias: b, start: h0, startCell: c0)
    }

    /// makemore.py's loop, op by op.                                                      // (B, T, H)
    static func composite(_ cell: RecurrentCell, _ x: Tensor, _ W: Tensor, _ b: Tensor, _ h0: Tensor, _ c0: Tensor?)
        throws -> Tensor
    {
        func gate(_ k: Int, _ input: Tensor) throws -> Tensor {  // (B, H)
            try input.matmul(W.slice(k * H..<(k + 1) * H, dim: 1)) + b.slice(k * H..<(k + 1) * H, dim: 0)
        }
        var h = try Tensor.zeros([B, 1]) + h0  // (B, H)
        var c = try Tensor.zeros([B, 1]) + (c0 ?? Tensor.zeros([1, H]))  // (B, H)
        var hiddens: [Tensor] = []
        for t in 0..<T {
            let xt = try x.select(t, dim: 1)  // (B, E)
            let xh = try Tensor.cat([xt, h], dim: 1)  // (B, E + H)
            switch cell {
            case .rnn:
                h = try gate(0, xh).tanh()
            case .gru:
                let z = try gate(0, xh).sigmoid()
                let r = try gate(1, xh).sigmoid()
                let hbar = try gate(2, Tensor.cat([xt, r * h], dim: 1)).tanh()
                h = (1 - z) * h + z * hbar
            case .lstm:
                let (i, f) = (try gate(0, xh).sigmoid(), try gate(1, xh).sigmoid())
                let (g, o) = (try gate(2, xh).tanh(), try gate(3, xh).sigmoid())
                c = f * c + i * g
                h = o * c.tanh()
            }
            hiddens.append(h)
        }
        return try Tensor.stack(hiddens, dim: 1)  // (B, T, H)
    }

    @Test(arguments: RecurrentCell.allCases)
    func fusedMatchesMakemoresCellsOpByOp(_ cell: RecurrentCell) throws {
        let (x, W, b, h0, c0, mix) = try Self.inputs(cell)
        let parameters = [x, W, b, h0] + (c0.map { [$0] } ?? [])
        func run(_ f: (RecurrentCell, Tensor, Tensor, Tensor, Tensor, Tensor?) throws -> Tensor) throws -> (
            values: [Float], grads: [[Float]]
        ) {
            for p in parameters { p.zeroGrad() }
            let hidden = try f(cell, x, W, b, h0, c0)
            try (hidden * mix).sum().backward()
            return (hidden.scalars, try parameters.map { try #require($0.grad).scalars })
        }
        let ours = try run(Self.fused)
        let reference = try run(Self.composite)
        #expect(zip(ours.values, reference.values).allSatisfy { abs($0 - $1) <= 1e-5 })
        for (k, (a, r)) in zip(ours.grads, reference.grads).enumerated() {
            #expect(zip(a, r).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) }, "parameter \(k): \(a) vs \(r)")
        }
    }

    @Test(arguments: RecurrentCell.allCases)
    func gradientsMatchCentralDifferences(_ cell: RecurrentCell) throws {
        let (x, W, b, h0, c0, mix) = try Self.inputs(cell)
        let parameters = [x, W, b, h0] + (c0.map { [$0] } ?? [])
        let mismatches = try centralDifferenceMismatches(
            parameters, label: { "\(cell) input \($0)" },
            loss: {
                try (Self.fused(cell, x, W, b, h0, c0) * mix).sum()  // ()
            })
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func badShapesThrow() throws {
        let (x, W, b, h0, c0, _) = try Self.inputs(.lstm)
        let xw = try x.matmul(W.slice(0..<Self.E, dim: 0))  // (B, T, 4H)
        let Wh = try W.slice(Self.E..<Self.E + Self.H, dim: 0)  // (H, 4H)
        #expect(throws: ShapeError.self) {
            try Tensor.recurrent(.lstm, inputs: xw, hiddenWeight: Wh, bias: b, start: h0)
        }
        #expect(throws: ShapeError.self) {
            try Tensor.recurrent(.gru, inputs: xw, hiddenWeight: Wh, bias: b, start: h0)
        }
        #expect(throws: ShapeError.self) {
            try Tensor.recurrent(.lstm, inputs: xw, hiddenWeight: Wh, bias: h0, start: h0, startCell: c0)
        }
        #expect(throws: ShapeError.self) {
            try Tensor.recurrent(
                .lstm, inputs: xw.select(0, dim: 0), hiddenWeight: Wh, bias: b, start: h0, startCell: c0)
        }
        #expect(throws: ShapeError.self) {
            try Tensor.recurrent(.rnn, inputs: xw, hiddenWeight: Wh, bias: b, start: h0, startCell: c0)
        }
        let out = try Tensor.recurrent(.lstm, inputs: xw, hiddenWeight: Wh, bias: b, start: h0, startCell: c0)
        #expect(out.shape == [Self.B, Self.T, Self.H])
    }
}

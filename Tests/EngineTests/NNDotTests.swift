// The fused weighted sum `Value.dot`: the same numbers and gradients as micrograd's chain of `*` and
// `+` nodes, gradients against central differences, recomputation, the stepper, and freeing long graphs.
import Foundation
import TestSupport
import Testing

@testable import Engine

@Suite("Value.dot")
struct NNDotTests {
    /// Random weights and inputs, with and without a bias.
    static func operands(_ count: Int, seed: UInt64) -> (w: [Value], x: [Value], b: Value) {
        var random = SplitMix(seed: seed)
        let w = (0..<count).map { Value(random.uniform(-1, 1), label: "w\($0)") }
        let x = (0..<count).map { Value(random.uniform(-2, 2), label: "x\($0)") }
        return (w, x, Value(random.uniform(-1, 1), label: "b"))
    }

    /// micrograd's `sum((wi*xi for wi, xi in zip(w, x)), b)`, node by node.
    static func unfused(_ w: [Value], _ x: [Value], _ b: Value?) -> Value {
        var act = b ?? Value(constant: 0)
        for (wi, xi) in zip(w, x) { act = act + wi * xi }
        return act
    }

    @Test(arguments: [1, 2, 3, 16, 33])
    func matchesMicrogradsChainOfNodes(_ count: Int) {
        for withBias in [true, false] {
            let (w, x, b) = Self.operands(count, seed: UInt64(count))
            let fused = Value.dot(w, x, bias: withBias ? b : nil).tanh()
            fused.backward()
            let fusedGrads = (w + x + [b]).map(\.grad)
            for v in w + x + [b] { v.grad = 0 }
            let chain = Self.unfused(w, x, withBias ? b : nil).tanh()
            chain.backward()
            // Same sum in the same order: bit for bit the same forward value.
            #expect(fused.data == chain.data)
            for (f, u) in zip(fusedGrads, (w + x + [b]).map(\.grad)) {
                #expect(Reference.close(f, u, relative: 1e-14, absolute: 1e-15), "\(count) inputs, bias \(withBias)")
            }
            #expect(fused.graphSize().nodes == 2 * count + (withBias ? 1 : 0) + 2)
        }
    }

    @Test func gradientsMatchFiniteDifferences() {
        let (w, x, b) = Self.operands(5, seed: 11)
        let out = (Value.dot(w, x, bias: b).tanh() * Value.dot(Array(w.prefix(2)), Array(x.suffix(2)))).sigmoid()
        let rows = out.gradientCheck(step: 1e-6)
        #expect(rows.count == 11)
        for row in rows {
            #expect(row.relativeError < 1e-6 || abs(row.analytic - row.numerical) < 1e-8, "\(row.leaf.label)")
        }
    }

    /// dot(p, p) = Σ p²: each parameter is weight and input at once and gets 2p.
    @Test func repeatedOperandsAccumulate() {
        let p = [Value(0.5), Value(-2.0), Value(3.0)]
        let squares = Value.dot(p, p)
        #expect(squares.data == 13.25)
        squares.backward()
        #expect(p.map(\.grad) == [1.0, -4.0, 6.0])
    }

    @Test func forwardRecomputesTheSumAndItsLocalDerivatives() {
        let (w, x, b) = Self.operands(3, seed: 5)
        let out = Value.dot(w, x, bias: b)
        w[1].data = 0.25
        x[2].data = -1.5
        out.forward()
        let expected = b.data + w[0].data * x[0].data + 0.25 * x[1].data + w[2].data * -1.5
        #expect(Reference.close(out.data, expected, relative: 1e-15))
        out.backward()
        #expect(w[2].grad == -1.5 && x[1].grad == 0.25 && b.grad == 1)
    }

    @Test func stepperSendsToEveryOperand() {
        let (w, x, b) = Self.operands(4, seed: 3)
        let out = Value.dot(w, x, bias: b)
        var stepper = BackwardStepper(output: out)
        let first = stepper.next()
        #expect(first?.contributions.count == 9)
        #expect(first?.contributions.last?.local == 1)
        #expect(first?.contributions[0].local == x[0].data && first?.contributions[1].local == w[0].data)
        while stepper.next() != nil {}
        #expect(w.map(\.grad) == x.map(\.data) && x.map(\.grad) == w.map(\.data) && b.grad == 1)
        #expect(out.inputs.count == 9 && out.op.symbol == "dot")
    }

    /// A 300,000-node chain of dots, each using the previous node twice, is built, backpropagated and
    /// freed without recursing once per node.
    @Test func longChainIsFreedIteratively() {
        let x = Value(1.0)
        var v = x
        let half = Value(constant: 0.5)
        for _ in 0..<300_000 { v = Value.dot([v, v], [half, half]) }
        #expect(v.data == 1)
        v.backward()
        #expect(x.grad == 1)
    }
}

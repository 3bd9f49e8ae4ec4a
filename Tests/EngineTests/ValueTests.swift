import Foundation
import TestSupport
import Testing
// The scalar engine against Swift's own automatic differentiation, finite differences, and
// micrograd's published numbers.
import _Differentiation

@testable import Engine

@Suite("Value")
struct ValueTests {
    /// micrograd's test_sanity_check, with Swift's autodiff as the reference.
    @Test func microgradSanityCheck() {
        let x = Value(-4.0)
        let z = 2 * x + 2 + x
        let q = z.relu() + z * x
        let h = (z * z).relu()
        let y = h + q + q * x
        y.backward()

        @differentiable(reverse) func reference(_ x: Double) -> Double {
            let z = 2 * x + 2 + x
            let q = relu(z) + z * x
            let h = relu(z * z)
            return h + q + q * x
        }
        #expect(y.data == reference(-4))
        #expect(x.grad == gradient(at: -4, of: reference))
        #expect(y.data == -20 && x.grad == 46)
    }

    /// micrograd's test_more_ops (the README example): g = 24.7041, dg/da = 138.8338, dg/db = 645.5773.
    @Test func microgradMoreOps() {
        let a = Value(-4.0)
        let b = Value(2.0)
        var c = a + b
        var d = a * b + b.pow(3)
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        let e = c - d
        let f = e.pow(2)
        var g = f / 2.0
        g += 10.0 / f
        g.backward()

        @differentiable(reverse) func reference(_ a: Double, _ b: Double) -> Double {
            var c = a + b
            var d = a * b + b * b * b
            c = c + (c + 1)
            c = c + (1 + c + (-a))
            d = d + (d * 2 + relu(b + a))
            d = d + (3 * d + relu(b - a))
            let e = c - d
            let f = e * e
            return f / 2.0 + 10.0 / f
        }
        let (da, db) = gradient(at: -4, 2, of: reference)
        #expect(abs(g.data - reference(-4, 2)) < 1e-9)
        #expect(abs(a.grad - da) < 1e-9 && abs(b.grad - db) < 1e-9)
        #expect(g.data.fixed(4) == "24.7041" && a.grad.fixed(4) == "138.8338" && b.grad.fixed(4) == "645.5773")
    }

    /// Each op's local derivatives against `_Differentiation`, at inputs drawn from a seeded generator.
    @Test(arguments: [
        Op.add, .sub, .mul, .div, .pow, .power(3), .power(-1.5), .neg, .exp, .log, .tanh, .relu, .sigmoid
    ])
    func opMatchesSwiftAutodiff(_ op: Op) {
        var random = SplitMix(seed: 7)
        for _ in 0..<50 {
            let x = random.uniform(0.1, 3) * (op == .log || op == .pow || op == .power(-1.5) ? 1 : random.sign())
            let y = random.uniform(0.2, 2) * random.sign()
            let value = op.evaluate(x, y)
            let (dx, dy) = gradient(at: x, y) { x, y in reference(op, x, y) }
            #expect(Reference.close(value.out, reference(op, x, y), relative: 1e-12), "\(op) at \(x), \(y)")
            #expect(Reference.close(value.dx, dx, relative: 1e-9), "\(op) d/dx at \(x), \(y)")
            if op == .add || op == .sub || op == .mul || op == .div || op == .pow {
                #expect(Reference.close(value.dy, dy, relative: 1e-9), "\(op) d/dy at \(x), \(y)")
            }
        }
    }

    /// Random expressions over three inputs: backpropagation against central differences.
    @Test func randomExpressionsMatchFiniteDifferences() {
        var checked = 0
        for seed in UInt64(0)..<200 {
            var random = SplitMix(seed: seed)
            let inputs = (0..<3).map { Value(random.uniform(0.5, 1.5) * random.sign(), label: "x\($0)") }
            let expression = RandomExpression.build(depth: 5, inputs: inputs, random: &random)
            guard expression.data.isFinite, abs(expression.data) < 1e6 else { continue }
            for row in expression.gradientCheck(step: 1e-6) where row.analytic.isFinite && abs(row.analytic) < 1e4 {
                #expect(
                    row.relativeError < 1e-5 || abs(row.analytic - row.numerical) < 1e-6,
                    "seed \(seed): \(row.leaf.label) autograd \(row.analytic) numerical \(row.numerical)")
                checked += 1
            }
        }
        #expect(checked > 250, "only \(checked) gradients were checked")
    }

    /// A node used twice gets the sum of both paths' gradients.
    @Test func reuseAccumulates() {
        let a = Value(3.0, label: "a")
        let b = a + a
        b.backward()
        #expect(a.grad == 2)

        let x = Value(-2.0)
        let y = x * x
        y.backward()
        #expect(x.grad == -4)
    }

    /// A second backward adds the same gradients again, as in PyTorch; zeroGrad resets.
    @Test func secondBackwardAccumulatesLikePyTorch() {
        let a = Value(2.0)
        let b = Value(-3.0)
        let c = Value(10.0)
        let f = Value(-2.0)
        let d = a * b + c
        let L = d * f
        L.backward()
        #expect(a.grad == 6 && b.grad == -4 && c.grad == -2 && f.grad == 4 && d.grad == -2)
        L.backward()
        #expect(a.grad == 12 && b.grad == -8 && c.grad == -4 && f.grad == 8 && d.grad == -4)
        L.zeroGrad()
        L.backward()
        #expect(a.grad == 6 && d.grad == -2 && L.grad == 1)
    }

    /// The stepper makes exactly backward()'s updates, reporting local × upstream at each node.
    @Test func stepperMatchesBackward() {
        func build() -> (Value, [Value]) {
            let a = Value(2.0)
            let b = Value(-3.0)
            let c = Value(10.0)
            let e = a * b
            let L = (e + c).tanh() * e
            return (L, [a, b, c])
        }
        let (L1, leaves1) = build()
        L1.backward()
        let (L2, leaves2) = build()
        var stepper = BackwardStepper(output: L2)
        var steps: [BackwardStepper.Step] = []
        while let step = stepper.next() { steps.append(step) }
        #expect(zip(leaves1, leaves2).allSatisfy { $0.grad == $1.grad })
        #expect(steps.first?.node == L2 && steps.count == L2.topologicalOrder().count)
        let first = steps[0].contributions
        #expect(first.count == 2 && first[0].upstream == 1 && first[0].contribution == first[0].local)
    }

    /// Changing a leaf and recomputing the forward pass gives the new result and local derivatives.
    /// The micrograd lecture's neuron prints o.data = 0.7071067811865476 and 1 - o.data**2 =
    /// 0.4999999999999999: its tanh is (e^2n - 1)/(e^2n + 1), not libm's.
    @Test func theLecturesNeuronPrintsTheLecturesDigits() {
        let (x1, x2, w1, w2) = (Value(2.0), Value(0.0), Value(-3.0), Value(1.0))
        let b = Value(6.8813735870195432)
        let o = (x1 * w1 + x2 * w2 + b).tanh()
        #expect(o.data == 0.7071067811865476)
        #expect(1 - o.data * o.data == 0.4999999999999999)
        #expect(Value(25).tanh().data == 1 && Value(-25).tanh().data == -1 && Value(.nan).tanh().data.isNaN)
    }

    @Test func forwardRecomputes() {
        let a = Value(2.0)
        let b = Value(-3.0)
        let L = (a * b).tanh()
        a.data = 0.5
        L.forward()
        #expect(L.data == (exp(-3) - 1) / (exp(-3) + 1))  // the lecture's formula
        #expect(abs(L.data - Foundation.tanh(-1.5)) < 1e-15)
        L.backward()
        #expect(Reference.close(a.grad, -3 * (1 - Foundation.tanh(-1.5) * Foundation.tanh(-1.5)), relative: 1e-12))
    }

    /// A 1,000,000-node chain backpropagates and is freed without overflowing the stack.
    @Test func millionNodeChain() {
        let x = Value(1.0, label: "x")
        var v = x
        for _ in 0..<200_000 { v = (v * 0.999).relu() + 0.001 }  // 5 nodes a link: 2 constants, 3 ops
        let order = v.topologicalOrder()
        #expect(order.count == 1_000_001)
        v.backward()
        #expect(Reference.close(x.grad, Foundation.pow(0.999, 200_000), relative: 1e-6))
    }

    @Test func printsLikeMicrograd() {
        let a = Value(-8.0, label: "L")
        a.grad = 1
        #expect(a.description == "Value(data=-8.0, grad=1.0, label='L')")
        #expect(Value(1e-5).description == "Value(data=1e-05, grad=0.0)")
        #expect(Value(.infinity).description == "Value(data=inf, grad=0.0)")
    }
}

@differentiable(reverse)
func relu(_ x: Double) -> Double { x > 0 ? x : 0 }

/// The ops written directly with Swift's differentiable math, independent of `Op.evaluate`.
@differentiable(reverse)
func reference(_ op: Op, _ x: Double, _ y: Double) -> Double {
    switch op {
    case .add: return x + y
    case .sub: return x - y
    case .mul: return x * y
    case .div: return x / y
    case .pow: return Foundation.pow(x, y)
    case .power(let k): return Foundation.pow(x, k)
    case .neg: return -x
    case .exp: return Foundation.exp(x)
    case .log: return Foundation.log(x)
    case .tanh: return Foundation.tanh(x)
    case .relu: return relu(x)
    case .sigmoid: return 1 / (1 + Foundation.exp(-x))
    case .dot: return x * y  // one pair; the n-ary form is tested in NNDotTests
    case .leaf, .constant, .other: return x
    }
}

/// Random expression trees over given inputs, built from every op.
enum RandomExpression {
    static func build(depth: Int, inputs: [Value], random: inout SplitMix) -> Value {
        if depth == 0 || random.uniform(0, 1) < 0.2 {
            return random.uniform(0, 1) < 0.8
                ? inputs[random.index(inputs.count)] : Value(constant: random.uniform(-2, 2))
        }
        let a = build(depth: depth - 1, inputs: inputs, random: &random)
        switch random.index(12) {
        case 0: return a + build(depth: depth - 1, inputs: inputs, random: &random)
        case 1: return a - build(depth: depth - 1, inputs: inputs, random: &random)
        case 2: return a * build(depth: depth - 1, inputs: inputs, random: &random)
        case 3: return a / (build(depth: depth - 1, inputs: inputs, random: &random).pow(2) + 0.5)
        case 4: return (a.pow(2) + 0.1).pow(build(depth: depth - 1, inputs: inputs, random: &random).tanh())
        case 5: return a.pow(3)
        case 6: return -a
        case 7: return a.tanh().exp()
        case 8: return (a.pow(2) + 0.1).log()
        case 9: return a.tanh()
        case 10: return (a + 0.37).relu()
        default: return a.sigmoid()
        }
    }
}

/// A small seeded generator for test inputs (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }
    mutating func sign() -> Double { next() & 1 == 0 ? 1 : -1 }
    mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }
}

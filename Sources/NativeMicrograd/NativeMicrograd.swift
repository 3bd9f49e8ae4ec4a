// The interpreter benchmark's micrograd program written in Swift and compiled, for scale: the same
// objects (a class instance per value, its set of children, its backward closure), the same calls
// and the same network, compiled as the interpreter is (optimised, with non-atomic reference
// counting). No interpreter built on Swift's objects can run the program faster than this compiled
// form of it, so its time against CPython's bounds what the notebook's interpreter can reach.
// Given the weights CPython draws, it computes CPython's loss bit for bit.
import Foundation

public enum NativeMicrograd {
    /// The loss after `steps` steps of the benchmark's training loop, the network's 41 weights and
    /// biases taken from `weights` in the order the Python program draws them.
    public static func train(weights: [Double], steps: Int = 20) -> Double {
        var drawn = weights.makeIterator()
        let draw = { drawn.next() ?? 0 }
        let net = Net(3, [4, 4, 1], draw)
        let xs: [[Double]] = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
        let ys = [1.0, -1.0, -1.0, 1.0]
        var loss = Scalar(0)
        for _ in 0..<steps {
            let preds = xs.map { net($0) }
            loss = Scalar(0)
            for (y, p) in zip(ys, preds) { loss = loss + (p - y).power(2) }
            for p in net.parameters() { p.grad = 0 }
            loss.backward()
            for p in net.parameters() { p.data += -0.1 * p.grad }
        }
        return loss.data
    }
}

/// micrograd's value: its number, its gradient, how it was made.
private final class Scalar: Hashable {
    var data: Double
    var grad = 0.0
    var propagate: () -> Void = {}
    let children: Set<Scalar>
    let op: String

    init(_ data: Double, _ children: [Scalar] = [], _ op: String = "") {
        self.data = data
        self.children = Set(children)
        self.op = op
    }

    static func == (a: Scalar, b: Scalar) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    static func + (a: Scalar, b: Scalar) -> Scalar {
        let out = Scalar(a.data + b.data, [a, b], "+")
        out.propagate = { [unowned out] in
            a.grad += out.grad
            b.grad += out.grad
        }
        return out
    }

    static func * (a: Scalar, b: Scalar) -> Scalar {
        let out = Scalar(a.data * b.data, [a, b], "*")
        out.propagate = { [unowned out] in
            a.grad += b.data * out.grad
            b.grad += a.data * out.grad
        }
        return out
    }

    static func - (a: Scalar, b: Double) -> Scalar { a + Scalar(-b) }

    func power(_ k: Double) -> Scalar {
        let out = Scalar(pow(data, k), [self], "**\(Int(k))")
        out.propagate = { [unowned out] in self.grad += k * pow(self.data, k - 1) * out.grad }
        return out
    }

    func tanh() -> Scalar {
        let t = (exp(2 * data) - 1) / (exp(2 * data) + 1)
        let out = Scalar(t, [self], "tanh")
        out.propagate = { [unowned out] in self.grad += (1 - pow(t, 2)) * out.grad }
        return out
    }

    /// The gradients of everything this value was made from: a topological order by depth-first
    /// search, then each value's closure from the last made back to the first.
    func backward() {
        var order: [Scalar] = []
        var seen = Set<Scalar>()
        func visit(_ v: Scalar) {
            guard seen.insert(v).inserted else { return }
            for child in v.children { visit(child) }
            order.append(v)
        }
        visit(self)
        grad = 1
        for v in order.reversed() { v.propagate() }
    }
}

private final class Unit {
    let w: [Scalar]
    let b: Scalar

    init(_ nin: Int, _ draw: () -> Double) {
        w = (0..<nin).map { _ in Scalar(draw()) }
        b = Scalar(draw())
    }

    func callAsFunction(_ x: [Scalar]) -> Scalar { zip(w, x).reduce(b) { $0 + $1.0 * $1.1 }.tanh() }
    /// The first layer's inputs are numbers, each made a value where it is multiplied, as Python's
    /// `__mul__` does.
    func callAsFunction(_ x: [Double]) -> Scalar { zip(w, x).reduce(b) { $0 + $1.0 * Scalar($1.1) }.tanh() }
    func parameters() -> [Scalar] { w + [b] }
}

private final class Net {
    let rows: [[Unit]]

    init(_ nin: Int, _ nouts: [Int], _ draw: () -> Double) {
        let sizes = [nin] + nouts
        rows = nouts.indices.map { i in (0..<sizes[i + 1]).map { _ in Unit(sizes[i], draw) } }
    }

    func callAsFunction(_ x: [Double]) -> Scalar {
        var x = rows[0].map { $0(x) }
        for row in rows.dropFirst() { x = row.map { $0(x) } }
        return x[0]
    }

    func parameters() -> [Scalar] { rows.flatMap { $0.flatMap { $0.parameters() } } }
}

// The numerical gradient check: central differences over the inputs of an expression, set against
// what backpropagation says. The lecture's way to trust a gradient.

/// One input's row of a gradient check.
public struct GradientCheckRow {
    public let leaf: Value
    public let analytic: Double
    public let numerical: Double
    /// How far rounding in f(x ± h) alone can move the central difference: eps × (the sizes of
    /// every node recomputed after this input) / h. Above the tolerance, a disagreement says
    /// nothing about the gradient.
    public let roundingBound: Double
    /// |analytic - numerical| / max(|analytic|, |numerical|), or the absolute error when both are tiny.
    public var relativeError: Double {
        let scale = Swift.max(abs(analytic), abs(numerical))
        return scale < 1e-12 ? abs(analytic - numerical) : abs(analytic - numerical) / scale
    }
    /// The verdict: agreement within 1e-5 relative or 1e-7 absolute.
    public var agrees: Bool { relativeError < 1e-5 || abs(analytic - numerical) < 1e-7 }
    /// A disagreement that rounding alone could explain: the check cannot judge this input.
    public var isUnreliable: Bool { !agrees && abs(analytic - numerical) <= roundingBound }
}

/// A gradient check made one input at a time, so that a caller can check some inputs of a big
/// graph, stop between inputs, and always leave the graph as it found it. Perturbing an input
/// recomputes only the nodes after it in topological order: nothing before it can depend on it.
public struct GradientCheck {
    public let output: Value
    private let order: [Value]
    private let analytic: [Double]
    /// Positions in `order` of the input leaves, in topological order.
    private let inputPositions: [Int]
    /// suffixMagnitude[i]: the sum of |data| of order[i...], for the rounding bound.
    private let suffixMagnitude: [Double]

    /// Takes the graph's gradients from one backward pass; data and grads stay as they were.
    public init(of output: Value) {
        self.output = output
        let order = output.topologicalOrder()
        self.order = order
        let saved = order.map(\.grad)
        for node in order { node.grad = 0 }
        output.backward()
        analytic = order.map(\.grad)
        for (node, grad) in zip(order, saved) { node.grad = grad }
        inputPositions = order.indices.filter { order[$0].isInput }
        var sums = [Double](repeating: 0, count: order.count + 1)
        for i in order.indices.reversed() { sums[i] = sums[i + 1] + abs(order[i].data) }
        suffixMagnitude = sums
    }

    /// How many inputs the graph has, and how many nodes it has in all.
    public var inputCount: Int { inputPositions.count }
    public var nodeCount: Int { order.count }

    /// The row of input number `k` (in topological order): the graph's data is restored after.
    public func row(_ k: Int, step h: Double) -> GradientCheckRow {
        let position = inputPositions[k]
        let leaf = order[position]
        let later = order[(position + 1)...]
        func evaluate() -> Double {
            for node in later { node.recompute() }
            return output.data
        }
        let x = leaf.data
        leaf.data = x + h
        let plus = evaluate()
        leaf.data = x - h
        let minus = evaluate()
        leaf.data = x
        _ = evaluate()
        let bound = 2 * Double.ulpOfOne * (suffixMagnitude[position + 1] + abs(output.data)) / h
        return GradientCheckRow(
            leaf: leaf, analytic: analytic[position], numerical: (plus - minus) / (2 * h),
            roundingBound: bound)
    }
}

extension Value {
    /// Compares d(self)/d(leaf) from backpropagation with the central difference
    /// (f(x + h) - f(x - h)) / 2h for every input leaf. Leaves' data and all grads are restored.
    public func gradientCheck(step h: Double = 1e-6) -> [GradientCheckRow] {
        let check = GradientCheck(of: self)
        return (0..<check.inputCount).map { check.row($0, step: h) }
    }
}

// The numerical gradient check: central differences over the inputs of an expression, set against
// what backpropagation says. The lecture's way to trust a gradient.

/// One input's row of a gradient check.
public struct GradientCheckRow {
    public let leaf: Value
    public let analytic: Double
    public let numerical: Double
    /// |analytic - numerical| / max(|analytic|, |numerical|), or the absolute error when both are tiny.
    public var relativeError: Double {
        let scale = Swift.max(abs(analytic), abs(numerical))
        return scale < 1e-12 ? abs(analytic - numerical) : abs(analytic - numerical) / scale
    }
}

extension Value {
    /// Compares d(self)/d(leaf) from backpropagation with the central difference
    /// (f(x + h) - f(x - h)) / 2h for every input leaf. Leaves' data and all grads are restored.
    public func gradientCheck(step h: Double = 1e-6) -> [GradientCheckRow] {
        let order = topologicalOrder()
        let saved = order.map(\.grad)
        for node in order { node.grad = 0 }
        backward()
        let analytic = order.map(\.grad)
        for (node, grad) in zip(order, saved) { node.grad = grad }

        func evaluate() -> Double {
            for node in order { node.recompute() }
            return data
        }
        var rows: [GradientCheckRow] = []
        for (index, leaf) in order.enumerated() where leaf.isInput {
            let x = leaf.data
            leaf.data = x + h
            let plus = evaluate()
            leaf.data = x - h
            let minus = evaluate()
            leaf.data = x
            rows.append(GradientCheckRow(leaf: leaf, analytic: analytic[index], numerical: (plus - minus) / (2 * h)))
        }
        _ = evaluate()
        return rows
    }
}

// The chain rule in words for a neuron's fused weighted sum (`Value.dot`): its formula and each
// input's local derivative, for the `step` and `manual` commands (called from ChainRule.swift).

extension ChainRule {
    /// `n = w0*x0 + w1*x1 + b` from the names of a `.dot` node's operands (w₀, x₀, w₁, x₁, …, b).
    static func dotFormula(_ inputs: [String]) -> String {
        let products = stride(from: 0, to: inputs.count - 1, by: 2).map { "\(inputs[$0])*\(inputs[$0 + 1])" }
        let bias = inputs.count % 2 == 1 ? [inputs[inputs.count - 1]] : []
        return (products + bias).joined(separator: " + ")
    }

    /// The local derivative of a `.dot` node for operand `index`: a weight's is its input's data and an
    /// input's its weight's (the partner in the pair), the bias's is 1.
    static func dotLocal(_ inputs: [String], _ index: Int) -> String {
        if inputs.count % 2 == 1 && index == inputs.count - 1 { return "1" }
        return "\(inputs[index ^ 1]).data"
    }
}

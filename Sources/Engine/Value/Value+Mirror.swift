// Nodes that stand for the values of a graph built elsewhere: a notebook user who writes their own
// micrograd `Value` class gets it drawn, stepped and checked by the engine's commands through a
// mirror of their graph, one node per value, with their numbers.

extension Value {
    /// A node for a value computed elsewhere: the op its `symbol` names (`+`, `*`, `**2`, `tanh`,
    /// `exp`, …; an unknown name becomes `.other`), these inputs, and the data, grad and label given.
    package static func mirror(symbol: String, inputs: [Value], data: Double, grad: Double, label: String) -> Value {
        let value: Value
        let unary: [String: Op] = [
            "exp": .exp, "log": .log, "tanh": .tanh, "relu": .relu, "ReLU": .relu, "sigmoid": .sigmoid, "neg": .neg
        ]
        let binary: [String: Op] = ["+": .add, "*": .mul, "-": .sub, "/": .div, "**": .pow]
        if inputs.isEmpty {
            value = Value(data, label: label)
        } else if let op = binary[symbol], inputs.count <= 2 {
            value = Value(op, inputs[0], inputs.count == 2 ? inputs[1] : inputs[0])  // `a + a`: one input, twice
        } else if symbol.hasPrefix("**"), let k = Double(symbol.dropFirst(2)), inputs.count == 1 {
            value = Value(.power(k), inputs[0])
        } else if let op = unary[symbol], inputs.count == 1 {
            value = Value(op, inputs[0])
        } else if inputs.count <= 2 {
            value = inputs.count == 2 ? Value(.other(symbol), inputs[0], inputs[1]) : Value(.other(symbol), inputs[0])
        } else {
            // More than two inputs: a chain of the op, so that every input is drawn.
            var chained = Value(.other(symbol), inputs[0], inputs[1])
            for input in inputs.dropFirst(2) { chained = Value(.other(symbol), chained, input) }
            value = chained
        }
        value.data = data
        value.grad = grad
        if !label.isEmpty { value.label = label }
        return value
    }
}

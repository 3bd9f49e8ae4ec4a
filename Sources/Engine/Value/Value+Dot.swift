// The engine's one n-ary op: a neuron's weighted sum w·x + b as a single node instead of micrograd's
// 2n nodes (one `*` and one `+` per input), with its local derivatives stored beside the forward value
// as for every op in Value+Ops.swift. Same numbers, same gradients, a tenth of the graph.

extension Value {
    /// The weighted sum w₀·x₀ + w₁·x₁ + … + wₙ₋₁·xₙ₋₁ + b as one node.
    ///
    /// micrograd's neuron builds it as `sum((wi*xi for wi, xi in zip(self.w, x)), self.b)`: 2n nodes.
    /// This is the same sum, added in the same order (b first, then each product), as one node whose
    /// local derivatives are
    ///
    ///     ∂out/∂wᵢ = xᵢ     ∂out/∂xᵢ = wᵢ     ∂out/∂b = 1
    ///
    /// The node's `operands` hold w₀, x₀, w₁, x₁, …, then b when there is one, each beside its local
    /// derivative (on the tape, in one run of `Tape.operands`); backward sends local × upstream to each, as for a binary op.
    ///
    /// ```swift
    /// let w = [Value(-3.0), Value(1.0)], x = [Value(2.0), Value(0.0)], b = Value(6.8813735870195432)
    /// let o = Value.dot(w, x, bias: b).tanh()    // micrograd's neuron: x1*w1 + x2*w2 + b, then tanh
    /// o.backward()
    /// w[0].grad                                  // 1.0 (= x₀ · (1 - o²))
    /// ```
    ///
    /// - Precondition: `weights.count == inputs.count`.
    public static func dot(_ weights: [Value], _ inputs: [Value], bias: Value? = nil) -> Value {
        precondition(weights.count == inputs.count, "dot of \(weights.count) weights with \(inputs.count) inputs")
        let tape = Tape.current
        let start = tape.operands.count
        let count = 2 * weights.count + (bias == nil ? 0 : 1)
        var out = bias?.data ?? 0
        for i in weights.indices {
            let w = weights[i]
            let x = inputs[i]
            out += w.data * x.data
            tape.operands.append(OperandSlot(input: tape.reference(to: w), local: x.data))  // ∂out/∂wᵢ = xᵢ
            tape.operands.append(OperandSlot(input: tape.reference(to: x), local: w.data))  // ∂out/∂xᵢ = wᵢ
        }
        if let bias { tape.operands.append(OperandSlot(input: tape.reference(to: bias), local: 1)) }  // ∂out/∂b = 1
        let node = Node(data: out, lhs: Int32(start), rhs: Int32(count), op: .dot)
        return Value(tape: tape, index: tape.append(node))
    }

    /// Recomputes a `.dot` node and its local derivatives from its operands' current data.
    func recomputeDot() {
        let run = node.pointee.operandRun
        func input(_ i: Int) -> Double { tape.value(at: tape.operands[i].input)!.data }
        let pairs = run.count / 2
        var out = run.count % 2 == 1 ? input(run.upperBound - 1) : 0
        for i in 0..<pairs {
            let w = input(run.lowerBound + 2 * i)
            let x = input(run.lowerBound + 2 * i + 1)
            out += w * x
            tape.operands[run.lowerBound + 2 * i].local = x
            tape.operands[run.lowerBound + 2 * i + 1].local = w
        }
        data = out
    }
}

// The chain rule in words: how a node's gradient is made from its users' gradients, written as
// notebook expressions (`L.grad * f.data`), for the `step` and `manual` commands.
import Engine

enum ChainRule {
    /// How `node` was computed: `L = d * f`, `o = tanh(n)`, `a` for an input.
    static func formula(_ node: Value, _ session: Session) -> String {
        let name = session.name(of: node)
        let inputs = node.inputs.map(session.name(of:))
        switch node.op {
        case .leaf: return "\(name) (an input)"
        case .constant: return "\(name) (a constant)"
        case .add, .sub, .mul, .div, .pow: return "\(name) = \(inputs[0]) \(node.op.symbol) \(inputs[1])"
        case .power: return "\(name) = \(inputs[0])\(node.op.symbol)"
        case .neg: return "\(name) = -\(inputs[0])"
        case .dot: return "\(name) = \(dotFormula(inputs))"  // a neuron's fused w·x + b
        default: return "\(name) = \(node.op.symbol)(\(inputs[0]))"
        }
    }

    /// The local derivative d(user)/d(input number `index`) as an expression over `.data`.
    static func local(_ user: Value, input index: Int, _ session: Session) -> String {
        let out = session.name(of: user)
        let inputs = user.inputs.map(session.name(of:))
        let x = inputs[0]
        let y = inputs.count > 1 ? inputs[1] : ""
        switch (user.op, index) {
        case (.add, _): return "1"
        case (.sub, 0): return "1"
        case (.sub, _): return "-1"
        case (.mul, 0): return "\(y).data"
        case (.mul, _): return "\(x).data"
        case (.div, 0): return "1/\(y).data"
        case (.div, _): return "-\(x).data/\(y).data**2"
        case (.pow, 0): return "\(y).data * \(x).data**(\(y).data - 1)"
        case (.pow, _): return "\(out).data * log(\(x).data)"
        case (.power(let k), _): return "\(k.compactDescription) * \(x).data**\((k - 1).compactDescription)"
        case (.neg, _): return "-1"
        case (.exp, _): return "\(out).data"
        case (.log, _): return "1/\(x).data"
        case (.tanh, _): return "(1 - \(out).data**2)"
        case (.relu, _): return "(1 if \(x).data > 0 else 0)"
        case (.sigmoid, _): return "\(out).data * (1 - \(out).data)"
        case (.dot, _): return dotLocal(inputs, index)  // the partner's data, or 1 for the bias
        case (.leaf, _), (.constant, _): return "0"
        case (.other(let name), _): return "d(\(name))/d\(index == 0 ? x : y)"
        }
    }

    /// The local derivative d(user)/d(input number `index`) as the number the graph holds.
    static func localValue(_ user: Value, input index: Int) -> Double {
        if user.op == .dot { return user.operands[index].local }
        return index == 0 ? user.dlhs : user.drhs
    }

    /// The first hint: which nodes use `node`, and the derivative rule of their ops, without numbers.
    static func ruleHint(for node: Value, in output: Value, users: GraphUsers, _ session: Session) -> String {
        let outName = session.name(of: output)
        let nodeName = session.name(of: node)
        if node == output { return "d\(outName)/d\(outName) = 1: the output's gradient with respect to itself" }
        let uses = users[node]
        let names = uses.map { session.name(of: $0.user) }
        let rules = Set(uses.map { $0.user.op.rule })
        let chain =
            uses.count == 1
            ? "\(nodeName) is used by \(names[0]) (\(formula(uses[0].user, session))): the chain rule says d\(outName)/d\(nodeName) = \(names[0]).grad × ∂\(names[0])/∂\(nodeName), the local derivative"
            : "\(nodeName) is used by \(names.joined(separator: ", ")): d\(outName)/d\(nodeName) is the sum over them of their grad × their local derivative"
        return chain + ". " + rules.sorted().joined(separator: "; ")
    }

    /// The second hint: the rule with the graph's numbers in it, `L.grad * d.data = 1.0 * 4.0`.
    static func numbersHint(for node: Value, in output: Value, users: GraphUsers, _ session: Session) -> String {
        if node == output { return rule(for: node, in: output, users: users, session) }
        let numbers = users[node].map { user, index in
            "\(user.grad.compactDescription) * \(localValue(user, input: index).compactDescription)"
        }
        return rule(for: node, in: output, users: users, session) + " = " + numbers.joined(separator: " + ")
    }

    /// "dL/dd = L.grad * f.data": the gradient of `node` as a sum over its users.
    static func rule(for node: Value, in output: Value, users: GraphUsers, _ session: Session) -> String {
        let outName = session.name(of: output)
        let nodeName = session.name(of: node)
        if node == output { return "d\(outName)/d\(outName) = 1: the output's gradient with respect to itself" }
        let terms = users[node].map { user, index in
            "\(session.name(of: user)).grad * \(local(user, input: index, session))"
        }
        return "d\(outName)/d\(nodeName) = " + terms.joined(separator: " + ")
    }
}

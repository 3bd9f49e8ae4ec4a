// The backward pass one node at a time, reporting the chain rule at each step: the notebook's
// `step` command. It works as micrograd's `_backward` does: each step adds local derivative × the
// node's grad into its inputs' `grad` at once, so every grad it shows is the grad the node holds.

/// Walks a backward pass node by node.
///
/// ```swift
/// var stepper = BackwardStepper(output: L)          // every grad 0, L.grad = 1
/// while let step = stepper.next() { print(step) }   // same grads as zero_grad, then L.backward()
/// ```
public struct BackwardStepper {
    /// One input's share of a step: local derivative × upstream grad = contribution.
    public struct Contribution {
        public let input: Value
        public let local: Double
        public let upstream: Double
        public var contribution: Double { local * upstream }
    }

    /// One node's turn: its (complete) grad, and what it sends to each input.
    public struct Step {
        public let node: Value
        public let index: Int
        public let grad: Double
        public let contributions: [Contribution]
    }

    public let output: Value
    /// Nodes from the output back to the leaves.
    public let order: [Value]
    public private(set) var position = 0
    /// Who uses each node, for showing where a node's gradient came from.
    public let users: GraphUsers

    /// Starts a backward pass from `output`: sets every grad of its graph to 0, and the output's to 1.
    public init(output: Value) {
        self.output = output
        let forward = output.topologicalOrder()
        self.order = forward.reversed()
        self.users = GraphUsers(order: forward)
        for node in order { node.grad = 0 }
        output.grad = 1
    }

    public var isFinished: Bool { position >= order.count }
    public var remaining: Int { order.count - position }

    /// Applies the chain rule at the next node; nil when the pass is complete.
    public mutating func next() -> Step? {
        guard position < order.count else { return nil }
        let node = order[position]
        // Every node that uses this one came earlier in the order: its grad is complete.
        let grad = node.grad
        var contributions: [Contribution] = []
        if let l = node.lhs { contributions.append(Contribution(input: l, local: node.dlhs, upstream: grad)) }
        if let r = node.rhs { contributions.append(Contribution(input: r, local: node.drhs, upstream: grad)) }
        for operand in node.operands {
            contributions.append(Contribution(input: operand.value, local: operand.local, upstream: grad))
        }
        for share in contributions { share.input.grad += share.contribution }
        position += 1
        return Step(node: node, index: position, grad: grad, contributions: contributions)
    }
}

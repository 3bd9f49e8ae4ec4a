// The backward pass one node at a time, reporting the chain rule at each step: the notebook's
// `step` command. It makes exactly the updates `backward()` makes, in the same order.

/// Walks a backward pass node by node.
///
/// ```swift
/// var stepper = BackwardStepper(output: L)
/// while let step = stepper.next() { print(step) }   // same grads as L.backward()
/// ```
public struct BackwardStepper {
    /// One input's share of a step: local derivative × upstream grad = contribution.
    public struct Contribution {
        public let input: Value
        public let local: Double
        public let upstream: Double
        public var contribution: Double { local * upstream }
    }

    /// One node's turn: its grad before and after, and what it sends to each input.
    public struct Step {
        public let node: Value
        public let index: Int
        public let gradBefore: Double
        public let contributions: [Contribution]
    }

    public let output: Value
    /// Nodes from the output back to the leaves.
    public let order: [Value]
    public private(set) var position = 0
    /// Who uses each node, for showing where a node's gradient came from.
    public let users: GraphUsers

    /// Starts a backward pass from `output`, seeding its upstream gradient with 1.
    public init(output: Value) {
        self.output = output
        let forward = output.topologicalOrder()
        self.order = forward.reversed()
        self.users = GraphUsers(order: forward)
        for node in order { node.upstream = 0 }
        output.upstream = 1
    }

    public var isFinished: Bool { position >= order.count }
    public var remaining: Int { order.count - position }

    /// Applies the chain rule at the next node; nil when the pass is complete.
    public mutating func next() -> Step? {
        guard position < order.count else { return nil }
        let node = order[position]
        let gradBefore = node.grad
        var contributions: [Contribution] = []
        if let l = node.lhs { contributions.append(Contribution(input: l, local: node.dlhs, upstream: node.upstream)) }
        if let r = node.rhs { contributions.append(Contribution(input: r, local: node.drhs, upstream: node.upstream)) }
        for operand in node.operands {
            contributions.append(Contribution(input: operand.value, local: operand.local, upstream: node.upstream))
        }
        node.propagate()
        position += 1
        return Step(node: node, index: position, gradBefore: gradBefore, contributions: contributions)
    }
}

// Who uses each node of a graph: the reverse of `inputs`, built once in one pass so that asking
// for a node's users costs nothing, however big the graph.

/// The users of every node in a graph: (user, which of the user's inputs the node is).
public struct GraphUsers {
    private var users: [Value: [(user: Value, index: Int)]] = [:]

    /// Indexes the graph given in topological order (every node's users come after it).
    public init(order: [Value]) {
        for candidate in order {
            for (index, input) in candidate.inputs.enumerated() {
                users[input, default: []].append((candidate, index))
            }
        }
    }

    /// Every (user, input index) pair where `node` is an input, in topological order of the users.
    public subscript(node: Value) -> [(user: Value, index: Int)] {
        users[node] ?? []
    }
}

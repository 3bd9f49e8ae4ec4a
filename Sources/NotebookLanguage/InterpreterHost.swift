// What the interpreter needs from the program it runs in, and nothing more: the language knows
// nothing of commands or sessions, so it can be read, tested and grown on its own.
import Engine

/// The program an `Interpreter` runs in (the notebook's `Session`).
package protocol InterpreterHost: AnyObject {
    /// Writes `print()` output.
    func write(_ text: String)
    /// Writes a warning line (`warning: …`, coloured as the host colours its warnings).
    func warn(_ message: String)
    /// Names the host makes typeable besides variables and built-ins (its commands): offered when a
    /// name is misspelled.
    var otherNames: [String] { get }
    /// The random generator that built-ins drawing random numbers use (`seed N` resets it).
    var generator: TorchGenerator { get }
    /// Called after `backward()` wrote the grads of `output`'s graph (the host may keep state that
    /// those grads make stale, such as a step-by-step pass over the same nodes).
    func backwardDidRun(from output: Value)
    /// The terminal drawing of a graphviz `Digraph` (the lecture's `draw_dot`).
    func drawDigraph(nodes: [(name: String, label: String, shape: String)], edges: [(from: String, to: String)])
        -> String
}

extension InterpreterHost {
    /// A plain listing: each node's label, then the edges by label.
    package func drawDigraph(nodes: [(name: String, label: String, shape: String)], edges: [(from: String, to: String)])
        -> String
    {
        let labels = Dictionary(nodes.map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
        return
            (["Digraph with \(nodes.count) nodes and \(edges.count) edges:"]
            + edges.map { "  \(labels[$0.from] ?? $0.from) -> \(labels[$0.to] ?? $0.to)" }).joined(separator: "\n")
    }
}

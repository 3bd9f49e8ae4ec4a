// A student who writes micrograd's `Value` class themselves gets it drawn, stepped, checked and
// backpropagated by the same commands as the built-in one: any object with `data`, `grad`, `_prev`
// and `_op` (and `label`) is mirrored into an engine graph with the same numbers, the command runs
// on the mirror, and the grads and data it changes are written back to the student's objects.
import Engine
import Foundation
import NotebookLanguage

/// The engine's mirror of a graph of user objects.
final class MirroredGraph {
    let root: Instance
    let output: Value
    /// Each mirror node with the object it stands for, inputs before the values they make.
    let nodes: [(mirror: Value, instance: Instance)]

    init(root: Instance, output: Value, nodes: [(mirror: Value, instance: Instance)]) {
        self.root = root
        self.output = output
        self.nodes = nodes
    }
}

extension Session {
    /// The most nodes a user's graph may have to be mirrored.
    static let mirrorLimit = 100_000

    /// Whether `object` is shaped like micrograd's `Value`.
    func isValueShaped(_ object: Object) -> Bool {
        guard case .instance(let instance) = object else { return false }
        return ["data", "grad", "_prev", "_op"].allSatisfy { instance.field(named: $0) != nil }
    }

    /// The engine graph a command works on for `object`: the `Value` itself, or the mirror of a
    /// user's Value-shaped object (made once per graph and kept up to date).
    func engineValue(of object: Object, named expression: String) throws(NotebookError) -> Value {
        switch object {
        case .value(let v): return v
        case .instance(let instance) where isValueShaped(object):
            return try mirror(of: instance).output
        default:
            throw NotebookError(
                "'\(expression)' is \(object.typeNameWithArticle), not a Value (nor an object with data, grad, _prev and _op)"
            )
        }
    }

    /// The mirror of the graph under `root`, reusing the last one when the graph has the same nodes.
    private func mirror(of root: Instance) throws(NotebookError) -> MirroredGraph {
        let order = try topologicalOrder(from: root)
        if let kept = mirrors[ObjectIdentifier(root)], kept.root === root, kept.nodes.count == order.count,
            zip(kept.nodes, order).allSatisfy({ $0.instance === $1 })
        {
            for (mirror, instance) in kept.nodes {
                let (data, grad) = try numbers(of: instance)
                if mirror.data != data { mirror.data = data }
                if mirror.grad != grad { mirror.grad = grad }
            }
            return kept
        }
        var made: [ObjectIdentifier: Value] = [:]
        var nodes: [(mirror: Value, instance: Instance)] = []
        for instance in order {
            let inputs = try children(of: instance).compactMap { made[ObjectIdentifier($0)] }
            let (data, grad) = try numbers(of: instance)
            let symbol: String
            if case .string(let s)? = instance.field(named: "_op") { symbol = s } else { symbol = "" }
            var label = ""
            if case .string(let s)? = instance.field(named: "label") { label = s }
            let node = Value.mirror(symbol: symbol, inputs: inputs, data: data, grad: grad, label: label)
            made[ObjectIdentifier(instance)] = node
            nodes.append((node, instance))
        }
        guard let output = made[ObjectIdentifier(root)] else { throw NotebookError("the graph has no output") }
        let graph = MirroredGraph(root: root, output: output, nodes: nodes)
        mirrors[ObjectIdentifier(root)] = graph
        return graph
    }

    private func numbers(of instance: Instance) throws(NotebookError) -> (Double, Double) {
        let data = try (instance.field(named: "data") ?? .none).number(as: "\(instance.type.name).data")
        let grad = try (instance.field(named: "grad") ?? .none).number(as: "\(instance.type.name).grad")
        return (data, grad)
    }

    private func children(of instance: Instance) throws(NotebookError) -> [Instance] {
        let previous = instance.field(named: "_prev") ?? .none
        return try interpreter.items(of: previous).compactMap { item -> Instance? in
            if case .instance(let child) = item { return child }
            return nil
        }
    }

    /// The objects of the graph, inputs before the values they make (without recursion: a graph
    /// can be a long chain).
    private func topologicalOrder(from root: Instance) throws(NotebookError) -> [Instance] {
        var order: [Instance] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(Instance, Bool)] = [(root, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            guard visited.count <= Self.mirrorLimit else {
                throw NotebookError("the graph has more than \(Self.mirrorLimit) values, too many to mirror")
            }
            stack.append((node, true))
            for child in try children(of: node).reversed() where !visited.contains(ObjectIdentifier(child)) {
                stack.append((child, false))
            }
        }
        return order
    }

    /// Writes what a command changed in the mirrors (grads, data) back to the user's objects.
    func syncMirrors() {
        for graph in mirrors.values {
            for (mirror, instance) in graph.nodes {
                if let (data, grad) = try? numbers(of: instance) {
                    if data != mirror.data { instance.setField(named: "data", .float(mirror.data)) }
                    if grad != mirror.grad { instance.setField(named: "grad", .float(mirror.grad)) }
                }
            }
        }
    }
}

extension Session {
    /// The lecture's `draw_dot` builds a graphviz `Digraph` of record nodes `{ label | data … | grad … }`
    /// and op nodes between them; shown at the prompt, it is drawn as `graph` draws a Value.
    package func drawDigraph(nodes: [(name: String, label: String, shape: String)], edges: [(from: String, to: String)])
        -> String
    {
        func listing() -> String {
            let labels = Dictionary(nodes.map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
            return
                (["Digraph with \(count(nodes.count, "node")) and \(count(edges.count, "edge")):"]
                + edges.map { "  \(labels[$0.from] ?? $0.from) -> \(labels[$0.to] ?? $0.to)" }).joined(separator: "\n")
        }
        guard let root = Tape.withNew({ digraphValue(nodes: nodes, edges: edges) }) else { return listing() }
        return renderGraph(root, form: .auto, style: style).joined(separator: "\n")
    }

    /// The engine graph a lecture-style Digraph describes, or nil when it is not one.
    private func digraphValue(
        nodes: [(name: String, label: String, shape: String)], edges: [(from: String, to: String)]
    )
        -> Value?
    {
        var records: [String: (label: String, data: Double, grad: Double)] = [:]
        var ops: [String: String] = [:]
        for node in nodes {
            let fields = node.label.trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
                .components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if node.shape == "record", fields.count == 3, fields[1].hasPrefix("data "), fields[2].hasPrefix("grad "),
                let data = Double(fields[1].dropFirst(5)), let grad = Double(fields[2].dropFirst(5))
            {
                records[node.name] = (fields[0], data, grad)
            } else {
                ops[node.name] = node.label
            }
        }
        guard !records.isEmpty else { return nil }
        // The op that makes each record, and the records each op takes.
        var maker: [String: String] = [:]
        var operands: [String: [String]] = [:]
        var used: Set<String> = []
        for edge in edges {
            if ops[edge.from] != nil, records[edge.to] != nil { maker[edge.to] = edge.from }
            if records[edge.from] != nil, ops[edge.to] != nil {
                operands[edge.to, default: []].append(edge.from)
                used.insert(edge.from)
            }
        }
        var made: [String: Value] = [:]
        func build(_ name: String, depth: Int) -> Value? {
            if let value = made[name] { return value }
            guard depth < 10_000, let record = records[name] else { return nil }
            var inputs: [Value] = []
            var symbol = ""
            if let op = maker[name] {
                symbol = ops[op] ?? ""
                for input in operands[op] ?? [] {
                    guard let value = build(input, depth: depth + 1) else { return nil }
                    inputs.append(value)
                }
            }
            let value = Value.mirror(
                symbol: symbol, inputs: inputs, data: record.data, grad: record.grad, label: record.label)
            made[name] = value
            return value
        }
        let outputs = records.keys.filter { !used.contains($0) }.sorted()
        guard outputs.count == 1, let output = outputs.first else { return nil }
        return build(output, depth: 0)
    }
}

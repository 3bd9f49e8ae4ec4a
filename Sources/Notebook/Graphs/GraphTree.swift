// The compute graph as an indented tree: the output first, each value's inputs indented below it.
// The narrow form of `drawGraph`. A value used twice is drawn in full once and referred back to
// after that, so the tree has one line per edge, never one per path.
import Engine

extension GraphDrawing {
    /// The most lines a tree is drawn to, whatever its depth; a note says where it stopped.
    static let treeLineLimit = 1000
}

/// The graph that computes `root` as an indented tree, inputs below the value they make:
///
/// ```text
/// (*) L  data -8.0000  grad 1.0000
/// ├─ (+) d  data 4.0000  grad -2.0000
/// │  ├─ (*) e  data -6.0000  grad -2.0000
/// │  │  ├─ a  data 2.0000  grad 6.0000
/// │  │  └─ b  data -3.0000  grad -4.0000
/// │  └─ c  data 10.0000  grad -2.0000
/// └─ f  data -2.0000  grad 4.0000
/// ```
///
/// A value used more than once is drawn in full the first time and as `↑ e (shown above)` after;
/// such a value with no label (or a label other values share) is named by its number in
/// topological order, `#3`, as in `graphvizDOT`. Below `maxDepth` (the output is depth 0) inputs
/// are left out and the value is marked `…`. Without `maxDepth`, graphs of more than
/// `GraphDrawing.nodeLimit` nodes give a short note instead.
func drawGraphTree(_ root: Value, style: TextStyle, maxDepth: Int? = nil) -> [String] {
    let order = root.topologicalOrder()
    if maxDepth == nil && order.count > GraphDrawing.nodeLimit {
        return GraphDrawing.tooLargeMessage(nodes: order.count)
    }
    var index: [Value: Int] = [:]
    var uses = Array(repeating: 0, count: order.count)
    var labelCount: [String: Int] = [:]
    for (i, node) in order.enumerated() {
        index[node] = i
        for input in node.inputs { uses[index[input]!] += 1 }
        labelCount[node.label, default: 0] += 1
    }
    /// The name a value goes by: its label, or its number when it is shared and the label won't do.
    func name(_ node: Value, _ i: Int) -> String {
        guard uses[i] > 1, node.label.isEmpty || labelCount[node.label]! > 1 else { return node.label }
        return "\(node.label)#\(i)"
    }

    var lines: [String] = []
    var shown: Set<Int> = []
    var cut = false
    var stack: [(node: Value, depth: Int, prefix: String, connector: String)] = [(root, 0, "", "")]
    while let (node, depth, prefix, connector) = stack.popLast() {
        if lines.count >= GraphDrawing.treeLineLimit {
            lines.append(
                "… stopped after \(GraphDrawing.treeLineLimit.grouped) lines: draw it with a smaller --depth"
            )
            break
        }
        let i = index[node]!
        let lead = prefix + connector
        guard shown.insert(i).inserted else {
            lines.append(lead + style.paint("↑ \(name(node, i)) (shown above)", .gray))
            continue
        }
        var fields: [String] = []
        if node.op != .leaf && node.op != .constant { fields.append(style.paint("(\(node.op.symbol))", .magenta)) }
        let label = name(node, i)
        if !label.isEmpty { fields.append(style.paint(label, .bold)) }
        let head = fields.joined(separator: " ")
        let numbers = "data \(node.data.fixed(4))  grad " + style.paint(node.grad.fixed(4), .yellow)
        let inputs = node.inputs
        let cutHere = maxDepth.map { depth >= $0 && !inputs.isEmpty } ?? false
        lines.append(lead + (head.isEmpty ? "" : head + "  ") + numbers + (cutHere ? "  …" : ""))
        if cutHere {
            cut = true
            continue
        }
        let childPrefix = prefix + (connector == "├─ " ? "│  " : connector.isEmpty ? "" : "   ")
        for (j, input) in inputs.enumerated().reversed() {
            stack.append((input, depth + 1, childPrefix, j == inputs.count - 1 ? "└─ " : "├─ "))
        }
    }
    if cut, let maxDepth { lines.append("(… marks values whose inputs lie below depth \(maxDepth))") }
    return lines
}

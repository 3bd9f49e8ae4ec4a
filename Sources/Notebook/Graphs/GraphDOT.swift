// A `Value` compute graph as Graphviz DOT, in the style of micrograd's `draw_dot` (lecture 1):
// record nodes `{ label | data %.4f | grad %.4f }`, a small node per op, laid out left to right.
// Render it with `dot -Tsvg graph.dot > graph.svg`.
import Engine

/// The graph that computes `root` as Graphviz DOT, as `draw_dot(root).source` would print it:
///
/// ```text
/// digraph {
///     graph [rankdir=LR]
///     0 [label="{ a | data 2.0000 | grad 0.0000 }" shape=record]
///     …
///     2 [label="{ c | data -6.0000 | grad 0.0000 }" shape=record]
///     "2*" [label="*"]
///     "2*" -> 2
///     0 -> "2*"
///     1 -> "2*"
/// }
/// ```
///
/// Nodes are named by their position in topological order, not by memory address, so the same
/// graph always gives the same text; an op's node is its value's name followed by the op. Unlike
/// draw_dot, whose edge set keeps one copy of each, an input used twice (`a + a`) has two edges.
/// Labels are escaped for record fields and DOT strings (`{ } | < > \ "`).
func graphvizDOT(_ root: Value) -> String {
    let order = root.topologicalOrder()
    var index: [Value: Int] = [:]
    var lines = ["digraph {", "\tgraph [rankdir=LR]"]
    for (i, node) in order.enumerated() {
        index[node] = i
        let record = "{ \(escapeRecordField(node.label)) | data \(node.data.fixed(4)) | grad \(node.grad.fixed(4)) }"
        lines.append("\t\(i) [label=\(dotQuoted(record)) shape=record]")
        if node.op != .leaf && node.op != .constant {
            let opNode = dotQuoted("\(i)\(node.op.symbol)")
            lines.append("\t\(opNode) [label=\(dotQuoted(node.op.symbol))]")
            lines.append("\t\(opNode) -> \(i)")
        }
    }
    for (i, node) in order.enumerated() {
        for input in node.inputs {
            lines.append("\t\(index[input]!) -> \(dotQuoted("\(i)\(node.op.symbol)"))")
        }
    }
    return lines.joined(separator: "\n") + "\n}\n"
}

/// `text` with the characters that structure a record label escaped, so it shows as written.
private func escapeRecordField(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "\\", "{", "}", "|", "<", ">", "\"": out += "\\\(character)"
        case "\n": out += "\\n"
        default: out.append(character)
        }
    }
    return out
}

/// A DOT identifier as the Python `graphviz` package writes it: bare when it is a plain name or a
/// number (and not a keyword), otherwise in double quotes with `"` escaped.
private func dotQuoted(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    func isLetter(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s.value >= 0x80 || ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }
    func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    let isName = scalars.first.map(isLetter) == true && scalars.allSatisfy { isLetter($0) || isDigit($0) }
    // A numeral: -?(.[0-9]+|[0-9]+(.[0-9]*)?), that is digits with at most one point.
    let unsigned = scalars.first == "-" ? scalars.dropFirst() : scalars[...]
    let isNumber =
        unsigned.contains(where: isDigit) && unsigned.allSatisfy { isDigit($0) || $0 == "." }
        && unsigned.count(where: { $0 == "." }) <= 1
    let keywords: Set = ["node", "edge", "graph", "digraph", "subgraph", "strict"]
    if (isName || isNumber) && !keywords.contains(text.lowercased()) { return text }
    var out = "\""
    var previous: Character?
    for character in text {
        if character == "\"" && previous != "\\" { out += "\\" }
        out.append(character)
        previous = character
    }
    return out + "\""
}

// Exact text of small compute graphs drawn left to right, as trees and as Graphviz DOT: the
// lecture's examples, values used twice, the fallback to the tree, colour, and huge graphs.
import Engine
import Foundation
import NotebookLanguage
import Testing

@testable import Notebook

/// The small graphs of the lecture, built fresh for each test, after `backward()`.
enum LectureGraph: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case leaf, product, lecture, doubled, reusedProduct, chain, sharedNode, neuron

    var testDescription: String { rawValue }

    /// The output value of the graph, gradients filled in.
    func build() -> Value {
        let a = Value(2, label: "a")
        let b = Value(-3, label: "b")
        let c = Value(10, label: "c")
        let output: Value
        switch self {
        case .leaf:
            return a
        case .product:
            output = a * b
            output.label = "e"
        case .lecture:  // L = (a*b + c) * f
            let e = a * b
            e.label = "e"
            let d = e + c
            d.label = "d"
            let f = Value(-2, label: "f")
            output = d * f
            output.label = "L"
        case .doubled:  // b = a + a: a feeds + twice
            let a = Value(3, label: "a")
            output = a + a
            output.label = "b"
        case .reusedProduct:  // (a*b) + (a*b), one product node
            let p = a * b
            output = p + p
            output.label = "q"
        case .chain:
            let x = Value(0.5, label: "x")
            let t = x.tanh()
            t.label = "t"
            output = t.pow(2)
            output.label = "y"
        case .sharedNode:  // e used by d and by L
            let e = a * b
            e.label = "e"
            let d = e + c
            d.label = "d"
            output = d * e
            output.label = "L"
        case .neuron:  // tanh(x1*w1 + x2*w2 + b) with one n-ary dot node
            let w = [Value(-3, label: "w1"), Value(1, label: "w2")]
            let x = [Value(2, label: "x1"), Value(0, label: "x2")]
            let n = Value.dot(w, x, bias: Value(6.8813735870195432, label: "b"))
            n.label = "n"
            output = n.tanh()
            output.label = "o"
        }
        output.backward()
        return output
    }

    /// What `drawGraph` shows with room to spare.
    var wide: String {
        switch self {
        case .leaf:
            "[ a | data 2.0000 | grad 0.0000 ]"
        case .product:
            """
            [ a | data 2.0000 | grad -3.0000 ]─┐
                                               ├─(*)─[ e | data -6.0000 | grad 1.0000 ]
            [ b | data -3.0000 | grad 2.0000 ]─┘
            """
        case .lecture:
            """
            [ a | data 2.0000 | grad 6.0000 ]───┐
                                                ├─(*)─[ e | data -6.0000 | grad -2.0000 ]─┐
            [ b | data -3.0000 | grad -4.0000 ]─┘                                         ├─(+)─[ d | data 4.0000 | grad -2.0000 ]─┐
                                                      [ c | data 10.0000 | grad -2.0000 ]─┘                                        ├─(*)─[ L | data -8.0000 | grad 1.0000 ]
                                                                                                [ f | data -2.0000 | grad 4.0000 ]─┘
            """
        case .doubled:
            "[ a | data 3.0000 | grad 2.0000 ]══(+)─[ b | data 6.0000 | grad 1.0000 ]"
        case .reusedProduct:
            """
            [ a | data 2.0000 | grad -6.0000 ]─┐
                                               ├─(*)─[ data -6.0000 | grad 2.0000 ]══(+)─[ q | data -12.0000 | grad 1.0000 ]
            [ b | data -3.0000 | grad 4.0000 ]─┘
            """
        case .chain:
            "[ x | data 0.5000 | grad 0.7269 ]──(tanh)─[ t | data 0.4621 | grad 0.9242 ]──(**2)─[ y | data 0.2136 | grad 1.0000 ]"
        case .sharedNode:
            """
            [ a | data 2.0000 | grad 6.0000 ]───┐
                                                ├─(*)─[ e | data -6.0000 | grad -2.0000 ]─┬────────────────────────────────────────┬─(*)─[ L | data -24.0000 | grad 1.0000 ]
            [ b | data -3.0000 | grad -4.0000 ]─┘                                         ├─(+)─[ d | data 4.0000 | grad -6.0000 ]─┘
                                                      [ c | data 10.0000 | grad -6.0000 ]─┘
            """
        case .neuron:
            """
            [ w1 | data -3.0000 | grad 1.0000 ]─┐
            [ x1 | data 2.0000 | grad -1.5000 ]─┤
            [ w2 | data 1.0000 | grad 0.0000 ]──┼─(dot)─[ n | data 0.8814 | grad 0.5000 ]──(tanh)─[ o | data 0.7071 | grad 1.0000 ]
            [ x2 | data 0.0000 | grad 0.5000 ]──┤
            [ b | data 6.8814 | grad 0.5000 ]───┘
            """
        }
    }
}

private let roomy = TextStyle(color: false, width: 400)

@Suite("Graph drawing")
struct GraphDrawingTests {
    @Test("left to right, exact text", arguments: LectureGraph.allCases)
    func wide(_ graph: LectureGraph) {
        #expect(drawGraph(graph.build(), style: roomy).joined(separator: "\n") == graph.wide)
    }

    @Test("the same graph gives the same text, built twice", arguments: LectureGraph.allCases)
    func deterministic(_ graph: LectureGraph) {
        #expect(drawGraph(graph.build(), style: roomy) == drawGraph(graph.build(), style: roomy))
        #expect(graphvizDOT(graph.build()) == graphvizDOT(graph.build()))
    }

    @Test func lectureTree() {
        let expected = """
            (*) L  data -8.0000  grad 1.0000
            ├─ (+) d  data 4.0000  grad -2.0000
            │  ├─ (*) e  data -6.0000  grad -2.0000
            │  │  ├─ a  data 2.0000  grad 6.0000
            │  │  └─ b  data -3.0000  grad -4.0000
            │  └─ c  data 10.0000  grad -2.0000
            └─ f  data -2.0000  grad 4.0000
            """
        #expect(drawGraphTree(LectureGraph.lecture.build(), style: roomy).joined(separator: "\n") == expected)
    }

    @Test func sharedNodesAreDrawnOnceInTheTree() {
        let shared = """
            (*) L  data -24.0000  grad 1.0000
            ├─ (+) d  data 4.0000  grad -6.0000
            │  ├─ (*) e  data -6.0000  grad -2.0000
            │  │  ├─ a  data 2.0000  grad 6.0000
            │  │  └─ b  data -3.0000  grad -4.0000
            │  └─ c  data 10.0000  grad -6.0000
            └─ ↑ e (shown above)
            """
        #expect(drawGraphTree(LectureGraph.sharedNode.build(), style: roomy).joined(separator: "\n") == shared)
        // An unlabelled shared value is named by its number in topological order, as in the DOT.
        let reused = """
            (+) q  data -12.0000  grad 1.0000
            ├─ (*) #2  data -6.0000  grad 2.0000
            │  ├─ a  data 2.0000  grad -6.0000
            │  └─ b  data -3.0000  grad 4.0000
            └─ ↑ #2 (shown above)
            """
        #expect(drawGraphTree(LectureGraph.reusedProduct.build(), style: roomy).joined(separator: "\n") == reused)
    }

    @Test func treeDepthLimit() {
        let expected = """
            (*) L  data -24.0000  grad 1.0000
            ├─ (+) d  data 4.0000  grad -6.0000  …
            └─ (*) e  data -6.0000  grad -2.0000  …
            (… marks values whose inputs lie below depth 1)
            """
        #expect(
            drawGraphTree(LectureGraph.sharedNode.build(), style: roomy, maxDepth: 1).joined(separator: "\n")
                == expected)
        #expect(drawGraphTree(LectureGraph.leaf.build(), style: roomy, maxDepth: 0) == ["a  data 2.0000  grad 0.0000"])
    }

    @Test func fallsBackToTheTreeWhenTooWide() {
        let L = LectureGraph.lecture.build()
        let narrow = TextStyle(color: false, width: 100)
        #expect(drawGraph(L, style: narrow) == drawGraphTree(L, style: narrow))
        #expect(renderGraph(L, form: .wide, style: narrow) == drawGraph(L, style: roomy))
        #expect(renderGraph(L, form: .tree, style: roomy) == drawGraphTree(L, style: roomy))
        #expect(renderGraph(L, form: .auto, style: TextStyle(color: false, width: 159)) == drawGraph(L, style: roomy))
        #expect(drawGraph(L, style: roomy).map(\.displayWidth).max() == 159)
    }

    @Test func graphvizDOTInDrawDotStyle() {
        let a = Value(2, label: "a")
        let b = Value(-3, label: "b")
        let e = a * b
        e.label = "e"
        e.backward()
        let expected = """
            digraph {
            \tgraph [rankdir=LR]
            \t0 [label="{ a | data 2.0000 | grad -3.0000 }" shape=record]
            \t1 [label="{ b | data -3.0000 | grad 2.0000 }" shape=record]
            \t2 [label="{ e | data -6.0000 | grad 1.0000 }" shape=record]
            \t"2*" [label="*"]
            \t"2*" -> 2
            \t0 -> "2*"
            \t1 -> "2*"
            }

            """
        #expect(graphvizDOT(e) == expected)
    }

    @Test func graphvizDOTEscapesLabelsAndDrawsBothEdgesOfATwiceUsedInput() {
        let x = Value(1, label: #"x|"y" {z}"#)
        let y = (x + x).tanh()
        let expected = #"""
            digraph {
            	graph [rankdir=LR]
            	0 [label="{ x\|\"y\" \{z\} | data 1.0000 | grad 0.0000 }" shape=record]
            	1 [label="{  | data 2.0000 | grad 0.0000 }" shape=record]
            	"1+" [label="+"]
            	"1+" -> 1
            	2 [label="{  | data 0.9640 | grad 0.0000 }" shape=record]
            	"2tanh" [label=tanh]
            	"2tanh" -> 2
            	0 -> "1+"
            	0 -> "1+"
            	1 -> "2tanh"
            }

            """#
        #expect(graphvizDOT(y) == expected)
    }

    @Test func colourOnlyWhenAsked() {
        let L = LectureGraph.lecture.build()
        let colour = TextStyle(color: true, width: 400)
        let forms: [(Value, TextStyle) -> [String]] = [drawGraph, { drawGraphTree($0, style: $1) }]
        for draw in forms {
            let plain = draw(L, roomy)
            let painted = draw(L, colour)
            #expect(!plain.joined().contains("\u{1B}"))
            #expect(painted.joined().contains("\u{1B}[35m(*)\u{1B}[0m"))  // ops in magenta
            #expect(painted.joined().contains("\u{1B}[1mL\u{1B}[0m"))  // labels bold
            #expect(painted.joined().contains("\u{1B}[33m1.0000\u{1B}[0m"))  // grads in yellow
            #expect(painted.map(stripEscapes) == plain)
        }
    }

    @Test func largeGraphsGetANoteInstead() {
        var x = Value(1, label: "x")
        for _ in 0..<2_000 { x = x * 1.001 }
        let note = [
            "graph too large to draw: 4,001 nodes (the limit is 200)",
            "draw the part nearest the output with --tree --depth 4, or write it all for Graphviz with --dot FILE"
        ]
        #expect(drawGraph(x, style: roomy) == note)
        #expect(renderGraph(x, form: .wide, style: roomy) == note)
        #expect(drawGraphTree(x, style: roomy) == note)
        let shallow = drawGraphTree(x, style: roomy, maxDepth: 2)
        #expect(shallow.count == 6)
        #expect(shallow.last == "(… marks values whose inputs lie below depth 2)")
        #expect(drawGraphTree(x, style: roomy, maxDepth: 5_000).count == GraphDrawing.treeLineLimit + 1)
    }
}

/// Random graphs drawn left to right: every value appears in exactly one box, and every line
/// character connects to what is next to it (no dangling or misjoined lines).
@Suite("Graph drawing, random graphs")
struct RandomGraphDrawingTests {
    @Test(arguments: 1...60)
    func linesConnect(seed: Int) {
        let root = randomGraph(seed: UInt64(seed))
        let lines = renderGraph(root, form: .wide, style: roomy)
        let grid = lines.map { Array($0) }
        #expect(lines.joined().components(separatedBy: "| grad ").count - 1 == root.topologicalOrder().count)
        func at(_ x: Int, _ y: Int) -> Character {
            grid.indices.contains(y) && grid[y].indices.contains(x) ? grid[y][x] : " "
        }
        for (y, row) in grid.enumerated() {
            for (x, c) in row.enumerated() {
                guard let arms = lineArms[c] else { continue }
                func horizontal(_ dx: Int, _ arm: String, _ ends: String) -> Bool {
                    let next = at(x + dx, y)
                    if ends.contains(next) || lineArms[next]?.contains(arm) == true { return true }
                    // A crossing: the line passes under a vertical and goes on.
                    return (next == "│" || next == "║") && lineArms[at(x + 2 * dx, y)]?.contains(arm) == true
                }
                if arms.contains("r") { #expect(horizontal(1, "l", "(["), "seed \(seed): \(c) at \(x),\(y)") }
                if arms.contains("l") { #expect(horizontal(-1, "r", ")]"), "seed \(seed): \(c) at \(x),\(y)") }
                if arms.contains("u") {
                    #expect(lineArms[at(x, y - 1)]?.contains("d") == true, "seed \(seed): \(c) at \(x),\(y)")
                }
                if arms.contains("d") {
                    #expect(lineArms[at(x, y + 1)]?.contains("u") == true, "seed \(seed): \(c) at \(x),\(y)")
                }
            }
        }
    }
}

/// The arms of each line character: up, down, left, right.
private let lineArms: [Character: String] = [
    "─": "lr", "═": "lr", "│": "ud", "║": "ud",
    "┌": "dr", "╒": "dr", "╓": "dr", "╔": "dr", "┐": "dl", "╕": "dl", "╖": "dl", "╗": "dl",
    "└": "ur", "╘": "ur", "╙": "ur", "╚": "ur", "┘": "ul", "╛": "ul", "╜": "ul", "╝": "ul",
    "├": "udr", "╞": "udr", "╟": "udr", "╠": "udr", "┤": "udl", "╡": "udl", "╢": "udl", "╣": "udl",
    "┬": "dlr", "╤": "dlr", "╥": "dlr", "╦": "dlr", "┴": "ulr", "╧": "ulr", "╨": "ulr", "╩": "ulr",
    "┼": "udlr", "╪": "udlr", "╫": "udlr", "╬": "udlr"
]

/// A random expression over a few leaves, reusing earlier values often (n-ary `dot`s too), with
/// every value used.
private func randomGraph(seed: UInt64) -> Value {
    var state = seed
    func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
    var pool = (0..<(1 + next(4))).map { Value(Double($0 + 1), label: "x\($0)") }
    for i in 0..<(next(25) + 1) {
        let x = pool[pool.count - 1 - next(min(pool.count, 4))]
        let y = pool[next(pool.count)]
        let z = pool[next(pool.count)]
        let ops: [Value] = [x + y, x * y, x.tanh(), x - y, Value.dot([x, y], [z, pool[0]], bias: y)]
        pool.append(ops[next(ops.count)])
        pool[pool.count - 1].label = "v\(i)"
    }
    var root = pool.last!
    let used = Set(root.topologicalOrder())
    for value in pool where !used.contains(value) { root = root + value }
    return root
}

/// `text` without ANSI escape sequences.
private func stripEscapes(_ text: String) -> String {
    text.replacing(/\u{1B}\[[0-9;]*m/, with: "")
}

/// `--svg` runs Graphviz's dot as a child process over files, no second thread. Stand-in `dot`
/// scripts in a folder of their own (the search path is passed, not PATH changed) check each ending.
@Suite("graph --svg runs dot")
struct GraphSVGTests {
    /// A folder holding an executable `dot` with this shell body, and the path of an SVG to write.
    private func withFakeDot(_ body: String, _ check: (_ folder: String, _ svg: String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fake-dot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dot = folder.appendingPathComponent("dot").path
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: dot))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dot)
        try check(folder.path, folder.appendingPathComponent("out.svg").path)
    }

    /// The one-line message `body` fails with; nil when it succeeds.
    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as NotebookError {
            return error.message
        } catch {
            return "not a NotebookError: \(error)"
        }
    }

    @Test func dotsOutputIsWrittenWhereAsked() throws {
        // This dot writes its arguments and its input (the DOT text) where -o says.
        try withFakeDot(#"{ echo "$1"; cat "$2"; } > "$4""#) { folder, svg in
            let failure = message { try GraphCommand.renderSVG("digraph { a -> b }", to: svg, searchPath: folder) }
            #expect(failure == nil)
            let written = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(written == "-Tsvg\ndigraph { a -> b }")
        }
    }

    @Test func eachWayDotCanFailIsOneLine() throws {
        let cases = [
            ("echo 'Error: syntax error in line 1' >&2; exit 3", "dot failed: Error: syntax error in line 1"),
            ("exit 2", "dot failed: exit status 2"),
            ("exit 0", "dot wrote no SVG"),
            ("kill -9 $$", "was stopped by signal 9")
        ]
        for (body, expected) in cases {
            try withFakeDot(body) { folder, svg in
                let text = message { try GraphCommand.renderSVG("digraph {}", to: svg, searchPath: folder) }
                #expect(text?.contains(expected) == true, "\(body): \(text ?? "no error")")
                #expect(!FileManager.default.fileExists(atPath: svg))
            }
        }
        let missing = message { try GraphCommand.renderSVG("digraph {}", to: "/tmp/x.svg", searchPath: "/nonexistent") }
        #expect(missing?.hasPrefix("--svg needs Graphviz's dot, which is not installed") == true)
    }
}

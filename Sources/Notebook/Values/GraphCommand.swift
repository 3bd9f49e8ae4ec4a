// `graph NAME`: the compute graph as text, like micrograd's draw_dot (left to right), or as an
// indented tree when it is too wide for the terminal; exported as Graphviz DOT, or SVG via `dot`.
import ArgumentParser
import Engine
import Foundation
import NotebookLanguage

struct GraphCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the compute graph of a Value, like micrograd's draw_dot.",
        discussion: """
            Left to right: each Value as [ label | data | grad ], the op that made it just before it. \
            When the drawing is wider than the terminal it becomes an indented tree (--tree forces the tree, \
            --wide the drawing). --dot writes Graphviz DOT; --svg renders it with Graphviz's dot when installed.
            """)
    static let group = CommandGroup.graph

    @Argument(help: "The Value to draw (a name or an expression).", completion: CommandCompletion.variables)
    var expression: String
    @Flag(name: .long, help: "Draw an indented tree.") var tree = false
    @Flag(name: .long, help: "Draw left to right even when wider than the terminal.") var wide = false
    @Option(name: .long, parsing: .unconditional, help: "With --tree: how many levels below the output to show.")
    var depth: Int?
    @Option(name: .long, help: "Write the graph as Graphviz DOT to this file.", completion: .file()) var dot: String?
    @Option(name: .long, help: "Write the graph as SVG to this file (needs Graphviz's dot).", completion: .file())
    var svg: String?

    func run(in session: Session) throws(NotebookError) {
        if tree && wide { throw NotebookError("choose --tree or --wide, not both") }
        if let depth, depth < 0 { throw NotebookError("--depth must be 0 or more") }
        if depth != nil && !tree { throw NotebookError("--depth goes with --tree") }
        let output = try session.value(named: expression)
        if let dot {
            try FileErrors.writeAtomically(Data(graphvizDOT(output).utf8), to: dot)
            session.emit("wrote \(dot) (Graphviz DOT; render with: dot -Tsvg \(dot) -o graph.svg)")
        }
        if let svg {
            try Self.renderSVG(graphvizDOT(output), to: svg)
            session.emit("wrote \(svg)")
        }
        guard dot == nil && svg == nil else { return }
        let lines =
            tree
            ? drawGraphTree(output, style: session.style, maxDepth: depth)
            : renderGraph(output, form: wide ? .wide : .auto, style: session.style)
        lines.forEach { session.emit($0) }
    }

    /// Renders DOT text to SVG with Graphviz's `dot`, found on the PATH.
    static func renderSVG(_ dotText: String, to path: String) throws(NotebookError) {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard
            let dot = searchPath.split(separator: ":").map({ "\($0)/dot" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw NotebookError(
                "--svg needs Graphviz's dot, which is not installed (apt-get install graphviz); --dot FILE writes the DOT text instead"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw NotebookError("could not run \(dot): \(error.localizedDescription)")
        }
        // Feed the input from another thread, so that a large graph cannot fill both pipes at once.
        let writer = input.fileHandleForWriting
        let data = Data(dotText.utf8)
        DispatchQueue.global().async {
            writer.write(data)
            try? writer.close()
        }
        let svgData = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NotebookError("dot failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        try FileErrors.writeAtomically(svgData, to: path)
    }
}

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

    /// Renders DOT text to SVG with Graphviz's `dot`, found on `searchPath` (the PATH).
    static func renderSVG(
        _ dotText: String, to path: String,
        searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    ) throws(NotebookError) {
        guard
            let dot = searchPath.split(separator: ":").map({ "\($0)/dot" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw NotebookError(
                "--svg needs Graphviz's dot, which is not installed (apt-get install graphviz); --dot FILE writes the DOT text instead"
            )
        }
        // dot reads and writes files in a folder of its own, run with posix_spawn and waited for:
        // no pipes to drain and no second thread, since this module counts references without
        // atomics (one thread at a time).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gradbook-dot-\(UUID().uuidString)", isDirectory: true)
        let (input, output, errors) = (
            folder.appendingPathComponent("graph.dot").path, folder.appendingPathComponent("graph.svg").path,
            folder.appendingPathComponent("errors.txt").path
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try Data(dotText.utf8).write(to: URL(fileURLWithPath: input))
        } catch {
            throw NotebookError("could not write the graph for dot: \(error.localizedDescription)")
        }
        let outcome = spawnAndWait(dot, ["-Tsvg", input, "-o", output], errorsTo: errors)
        let message = String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch outcome {
        case .notStarted(let code):
            throw NotebookError("could not run \(dot): \(String(cString: strerror(code)))")
        case .killed(let signal):
            throw NotebookError("\(dot) was stopped by signal \(signal)")
        case .exited(let status) where status != 0:
            throw NotebookError("dot failed: \(message.isEmpty ? "exit status \(status)" : message)")
        case .exited:
            break
        }
        guard let svgData = FileManager.default.contents(atPath: output) else {
            throw NotebookError("dot wrote no SVG\(message.isEmpty ? "" : ": \(message)")")
        }
        try FileErrors.writeAtomically(svgData, to: path)
    }

    /// How a spawned program ended.
    enum Outcome: Equatable {
        case notStarted(errno: Int32)
        case exited(Int32)
        case killed(signal: Int32)
    }

    /// Runs `program` with `arguments`, its input empty, its output discarded and its errors written
    /// to the file `errorsPath`, and waits for it.
    static func spawnAndWait(_ program: String, _ arguments: [String], errorsTo errorsPath: String) -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard spawned == 0 else { return .notStarted(errno: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return .notStarted(errno: errno) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
    }
}

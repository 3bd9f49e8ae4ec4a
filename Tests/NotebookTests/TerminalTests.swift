// The built binary in a real terminal (tmux): line editing and history recall, Tab completion,
// Ctrl-C at the prompt and during a command, Ctrl-D, the history file, and classroom mode.
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A failure to drive tmux.
struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A gradbook process in a detached tmux session, typed at and read like a person would.
final class TerminalSession {
    let name = "gradbook-test-\(UUID().uuidString.prefix(8))"
    let historyFile: String

    init(arguments: [String] = [], historyFile: String) throws {
        self.historyFile = historyFile
        let command = ([Self.binary] + arguments).map { "'\($0)'" }.joined(separator: " ")
        try Self.tmux([
            "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
            "env GRADBOOK_HISTORY='\(historyFile)' TERM=xterm \(command); sleep 30"
        ])
    }

    deinit { _ = try? Self.tmux(["kill-session", "-t", name]) }

    /// The gradbook built beside this test bundle.
    static var binary: String {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidate = folder
        while candidate.path != "/" {
            let path = candidate.appendingPathComponent("gradbook").path
            if FileManager.default.isExecutableFile(atPath: path), !path.hasSuffix(".xctest") { return path }
            candidate = candidate.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("gradbook").path
    }

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
            && FileManager.default.isExecutableFile(atPath: binary)
    }

    /// Runs tmux and returns what it printed (only `capture-pane` prints anything we read).
    ///
    /// tmux runs under `posix_spawn` and `waitpid`, not Foundation's `Process`: `Process` learns of a
    /// child's exit from a SIGCHLD dispatch source, and when that signal reaches a thread that does not
    /// block it, `waitUntilExit()` waits forever beside a zombie (seen under CI). A command that starts
    /// the tmux server would hand the server any pipe we gave it, so only `capture-pane` gets a pipe;
    /// the others write to /dev/null. A tmux that does not finish within 20 s is killed.
    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        let capture = arguments.first == "capture-pane"
        var pipe: [Int32] = [-1, -1]
        if capture { guard Glibc.pipe(&pipe) == 0 else { throw TerminalError("pipe failed: errno \(errno)") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        if capture { close(pipe[1]) }
        guard status == 0 else {
            if capture { close(pipe[0]) }
            throw TerminalError("could not start tmux: error \(status)")
        }
        var output: [UInt8] = []
        if capture {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(pipe[0], &buffer, buffer.count)
                if n > 0 { output += buffer[..<n] } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(pipe[0])
        }
        let deadline = Date().addingTimeInterval(20)
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &exitStatus, 0)
                throw TerminalError("tmux \(arguments.first ?? "") did not finish within 20 s")
            }
            usleep(10_000)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Sends keys: literal text, or tmux key names such as "Enter", "Up", "Tab", "C-c", "C-d".
    func send(_ keys: String..., literal: Bool = false) throws {
        try Self.tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) throws {
        try send(text, literal: true)
        try send("Enter")
    }

    var screen: String { (try? Self.tmux(["capture-pane", "-p", "-t", name])) ?? "" }

    /// Waits until the screen satisfies `condition`; returns the screen (the last one on timeout).
    @discardableResult
    func wait(timeout: Double = 20, until condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = screen
        while !condition(text) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            text = screen
        }
        return text
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}

@Suite("Real terminal", .serialized, .enabled(if: TerminalSession.isAvailable, "needs tmux and the built gradbook"))
struct TerminalTests {
    @Test func editingHistoryCompletionInterruptAndExit() throws {
        let history = try temporaryFile("history", "")
        let terminal = try TerminalSession(historyFile: history)
        #expect(terminal.wait { $0.contains(">>>") }.contains("Type help for the commands"))

        // Type a line and see its result.
        try terminal.type("alpha = Value(2.0)")
        try terminal.type("alpha")
        var screen = terminal.wait { $0.contains("Value(data=2.0, grad=0.0, label='alpha')") }
        #expect(terminal.count("Value(data=2.0, grad=0.0, label='alpha')", in: screen) == 1)

        // Recall it with the up arrow and run it again.
        try terminal.send("Up")
        try terminal.send("Enter")
        screen = terminal.wait { terminal.count("label='alpha')", in: $0) == 2 }
        #expect(terminal.count("Value(data=2.0, grad=0.0, label='alpha')", in: screen) == 2)

        // Complete a name with Tab.
        try terminal.send("alp", literal: true)
        try terminal.send("Tab")
        try terminal.type(".data * 10")
        screen = terminal.wait { $0.contains("20.0") }
        #expect(screen.contains(">>> alpha.data * 10"))
        #expect(screen.contains("20.0"))

        // Ctrl-C at the prompt abandons the line; the state stays.
        try terminal.send("this line is abandoned", literal: true)
        try terminal.send("C-c")
        try terminal.type("alpha.data + 1")
        screen = terminal.wait { $0.contains("3.0") }
        #expect(screen.contains("3.0"))
        #expect(!screen.contains("error"))

        // Ctrl-C during a long command stops it and keeps the state.
        try terminal.type("big = [x * 2 for x in range(9000000)]")
        Thread.sleep(forTimeInterval: 0.5)
        try terminal.send("C-c")
        screen = terminal.wait { $0.contains("interrupted") }
        #expect(screen.contains("error: interrupted (Ctrl-C)"))
        try terminal.type("alpha.data - 1")
        screen = terminal.wait { $0.contains("\n1.0") }
        #expect(screen.contains("\n1.0"))

        // Ctrl-D leaves; the history file keeps what was typed.
        try terminal.send("C-d")
        Thread.sleep(forTimeInterval: 1)
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("alpha = Value(2.0)") && saved.contains("alpha.data - 1"))
        #expect(!saved.contains("this line is abandoned"))
    }

    @Test func aHistoryThatIsAFifoWarnsOnceAndNeverBlocks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fifo = folder.appendingPathComponent("history").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let terminal = try TerminalSession(historyFile: fifo)
        var screen = terminal.wait { $0.contains(">>>") }
        #expect(screen.contains(">>>"))
        #expect(terminal.count("the history cannot be saved to \(fifo)", in: screen) == 1)
        try terminal.type("1 + 2")
        try terminal.type("3 + 4")
        screen = terminal.wait { $0.contains("7.0") }
        #expect(screen.contains("3.0") && screen.contains("7.0"))
        #expect(terminal.count("the history cannot be saved", in: screen) == 1)

        // A folder as the history: the same single warning.
        let other = try TerminalSession(historyFile: folder.path)
        screen = other.wait { $0.contains(">>>") }
        #expect(other.count("the history cannot be saved to \(folder.path)", in: screen) == 1)
    }

    @Test func ctrlCStopsLongStepsAndChecks() throws {
        let terminal = try TerminalSession(historyFile: try temporaryFile("h", ""))
        /// Types a line and waits until it has finished: a marker printed after it shows on a line of its own.
        var marks = 0
        func run(_ line: String) throws {
            marks += 1
            let mark = "finished-\(marks)"
            try terminal.type(line)
            try terminal.type("print('\(mark)')")
            let screen = terminal.wait(timeout: 120) {
                $0.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == mark }
            }
            #expect(screen.contains(mark), "\(line) did not finish: \(screen)")
        }
        terminal.wait { $0.contains(">>>") }
        // A chain of 20,000 additions: stepping it all prints 120,000 lines, far longer than the wait.
        try run("z0 = Value(1.0, label='z0'); z = z0")
        try run("for i in range(20000): z = z + 1")
        try terminal.type("step z --all")
        terminal.wait(timeout: 60) { $0.contains("(sent by") }
        try terminal.send("C-c")
        var screen = terminal.wait(timeout: 60) { $0.contains("stopped by Ctrl-C after") }
        #expect(screen.contains("warning: stopped by Ctrl-C after"), "\(screen)")
        // Checking all 20,000 inputs of a sum recomputes 600 million nodes.
        try run("xs = [Value(1.0 * i) for i in range(20000)]; s = sum(xs)")
        try terminal.type("check s --inputs 20000")
        Thread.sleep(forTimeInterval: 1)
        try terminal.send("C-c")
        screen = terminal.wait(timeout: 60) { $0.contains("check stopped by Ctrl-C") }
        #expect(screen.contains("the graph is as it was"), "\(screen)")
        try terminal.type("s.data")
        screen = terminal.wait(timeout: 60) { $0.contains("199990000.0") }
        #expect(screen.contains("199990000.0"), "\(screen)")
    }

    @Test func classroomStepMode() throws {
        let lesson = try temporaryFile(
            "lesson.txt",
            """
            # First cell: make a.
            a = Value(2.0, label='a')
            a

            # Second cell: double it.
            b = a * 2
            b.data

            # Third cell, never reached.
            a.data + 100

            """)
        let terminal = try TerminalSession(arguments: ["--step", lesson], historyFile: try temporaryFile("h", ""))
        var screen = terminal.wait { $0.contains("[cell 1/3]") }
        // The code shows, not yet run.
        #expect(screen.contains("# First cell: make a.\n    a = Value(2.0, label='a')\n    a\n"))
        #expect(!screen.contains("Value(data=2.0"))
        try terminal.send("Enter")
        screen = terminal.wait { $0.contains("[cell 2/3]") }
        #expect(screen.contains("Value(data=2.0, grad=0.0, label='a')"))
        // An extra command at the pause runs in the same state.
        try terminal.type("a.data * 7")
        screen = terminal.wait { $0.contains("14.0") }
        #expect(screen.contains("14.0"))
        try terminal.send("Enter")
        screen = terminal.wait { $0.contains("[cell 3/3]") }
        #expect(screen.contains(">>> b.data"))
        try terminal.type("q")
        screen = terminal.wait {
            !$0.contains("[cell 3/3] Enter runs it, q stops, or type a command: q\n>>> ") && $0.hasSuffix("")
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(!terminal.screen.contains("102.0"))
    }

    @Test func stepModeThenInteractive() throws {
        let lesson = try temporaryFile("lesson.txt", "x = Value(3.0)\n")
        let terminal = try TerminalSession(
            arguments: ["--step", "--interactive", lesson], historyFile: try temporaryFile("h", ""))
        terminal.wait { $0.contains("[cell 1/1]") }
        try terminal.send("Enter")
        terminal.wait { $0.contains("end of") }
        try terminal.type("x.data * 2")
        #expect(terminal.wait { $0.contains("6.0") }.contains("6.0"))
    }
}

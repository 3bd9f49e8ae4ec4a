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

    init(arguments: [String] = [], historyFile: String, environment: String = "", width: Int = 120) throws {
        self.historyFile = historyFile
        let command = ([Self.binary] + arguments).map { "'\($0)'" }.joined(separator: " ")
        try tmux([
            "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "40",
            "env \(environment) GRADBOOK_HISTORY='\(historyFile)' TERM=xterm \(command); sleep 30"
        ])
    }

    deinit { _ = try? tmux(["kill-session", "-t", name]) }

    /// tmux on this session's own server (its socket named after it): sessions of tests that run at
    /// the same time never share a server, so one test's last session ending, which stops its
    /// server, cannot take another test's new session with it (seen under CI: a session that never
    /// appeared, every screen empty).
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String { try Self.tmux(arguments, socket: name) }

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

    /// Runs tmux (on the server of `socket`, or the default one) and returns what it printed (only
    /// `capture-pane` prints anything we read).
    ///
    /// tmux runs under `posix_spawn` and `waitpid`, not Foundation's `Process`: `Process` learns of a
    /// child's exit from a SIGCHLD dispatch source, and when that signal reaches a thread that does not
    /// block it, `waitUntilExit()` waits forever beside a zombie (seen under CI). A command that starts
    /// the tmux server would hand the server any pipe we gave it, so only `capture-pane` gets a pipe;
    /// the others write to /dev/null. A tmux that does not finish within 20 s is killed.
    @discardableResult
    static func tmux(_ arguments: [String], socket: String? = nil) throws -> String {
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
        let argv = (["tmux"] + (socket.map { ["-L", $0] } ?? []) + arguments).map { strdup($0) } + [nil]
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
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) throws {
        try send(text, literal: true)
        try send("Enter")
    }

    var screen: String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }
    /// The screen with its colours, as escape sequences.
    var colouredScreen: String { (try? tmux(["capture-pane", "-p", "-e", "-t", name])) ?? "" }

    /// Makes the window `width` columns wide, as a person dragging its edge.
    func resize(width: Int) throws { try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "40"]) }

    /// Pastes `text` as a terminal does (bracketed paste), without pressing Enter.
    func paste(_ text: String) throws {
        try tmux(["set-buffer", "-b", name, text])
        try tmux(["paste-buffer", "-p", "-d", "-b", name, "-t", name])
    }

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
        try terminal.type("1.0 + 2")
        try terminal.type("3.0 + 4")
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

/// The terminal as people use it: a window that changes size, a paste of several lines, Tab in every
/// position, Ctrl-D inside an exercise, the binary's --help and --version, and colours.
@Suite(
    "Real terminal: habits", .serialized, .enabled(if: TerminalSession.isAvailable, "needs tmux and the built gradbook")
)
struct TerminalHabitTests {
    @Test func drawingsFollowAResizedWindow() throws {
        let terminal = try TerminalSession(historyFile: try temporaryFile("h", ""))
        terminal.wait { $0.contains(">>>") }
        try terminal.type("a = Value(2.0, label='a'); b = a*3; c = b + 1")
        try terminal.type("graph c")
        var screen = terminal.wait { $0.contains("─(+)─") }
        #expect(screen.contains("─(+)─[ c | data 7.0000"), "\(screen)")  // wide, left to right
        try terminal.resize(width: 50)
        try terminal.type("graph c")
        screen = terminal.wait { $0.contains("├─ (*) b") }
        #expect(screen.contains("(+) c  data 7.0000  grad 0.0000\n├─ (*) b"), "\(screen)")  // a tree at 50 columns
    }

    @Test func aPasteOfSeveralLinesRunsLineByLine() throws {
        let terminal = try TerminalSession(historyFile: try temporaryFile("h", ""))
        terminal.wait { $0.contains(">>>") }
        try terminal.paste("x1 = Value(1.0)\nx2 = x1 * 5\nx2.data * 2\nnosuch\nx2.data + 1\n")
        try terminal.send("Enter")
        let screen = terminal.wait { $0.contains("the rest of the paste") }
        #expect(screen.contains(">>> x2.data * 2\n10.0\n"), "\(screen)")
        #expect(screen.contains("error: name 'nosuch' is not defined"))
        #expect(screen.contains("warning: the rest of the paste was not run (1 statement), as the one above failed"))
        #expect(!screen.contains("6.0"))
    }

    /// A block typed at a real terminal: `... ` prompts until the blank line, then it runs; a pasted
    /// cell with its prompts runs as one, without them.
    @Test func aBlockGoesOnAtTheContinuationPrompt() throws {
        let terminal = try TerminalSession(historyFile: try temporaryFile("h", ""))
        terminal.wait { $0.contains(">>>") }
        try terminal.type("def sq(x):")
        try terminal.type("    return x * x")
        try terminal.type("")
        terminal.wait { $0.contains("...\n>>>") }  // the block has run: type the next line at its prompt
        try terminal.type("sq(9)")
        var screen = terminal.wait { $0.contains("81") }
        #expect(screen.contains(">>> def sq(x):\n...     return x * x\n...\n>>> sq(9)\n81"), "\(screen)")
        try terminal.paste(">>> for i in range(3):\n...     print(i * 10)\n...\n")
        try terminal.send("Enter")
        screen = terminal.wait { $0.contains("20\n") }
        #expect(screen.contains("0\n10\n20\n"), "\(screen)")
    }

    @Test func tabCompletesWhereTheCursorIs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-tab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "emma\nava\n".write(to: folder.appendingPathComponent("girls.txt"), atomically: true, encoding: .utf8)
        let terminal = try TerminalSession(historyFile: try temporaryFile("h", ""))
        terminal.wait { $0.contains(">>>") }
        try terminal.type("alpha = Value(3.0)")
        let cases: [(typed: String, completed: String)] = [
            ("model tr", ">>> model transformer"), ("fit --st", ">>> fit --steps"),
            ("fit --optimizer ad", ">>> fit --optimizer adam"),
            ("graph alp", ">>> graph alpha"), ("figure satu", ">>> figure saturation"),
            ("load \(folder.path)/gi", ">>> load \(folder.path)/girls.txt")
        ]
        for (typed, completed) in cases {
            try terminal.send(typed, literal: true)
            try terminal.send("Tab")
            let screen = terminal.wait { $0.contains(completed) }
            #expect(screen.contains(completed), "Tab after '\(typed)': \(screen)")
            try terminal.send("C-c")
            terminal.wait {
                $0.split(separator: "\n").last { !$0.isEmpty }.map { $0.hasPrefix(">>>") && $0.count <= 4 } ?? false
            }
        }
    }

    @Test func ctrlDInAnExerciseEndsTheExerciseOnly() throws {
        let terminal = try TerminalSession(historyFile: try temporaryFile("h", ""))
        terminal.wait { $0.contains(">>>") }
        try terminal.type("a = Value(2.0); b = Value(-3.0); L = a * b")
        try terminal.type("manual L")
        terminal.wait { $0.contains("dL/dL =") }
        try terminal.type("1")
        terminal.wait { $0.contains("right: dL/dL = 1.0") }
        try terminal.send("C-d")
        var screen = terminal.wait { $0.contains("stopped; the grads found so far are kept") }
        #expect(screen.contains("stopped; the grads found so far are kept"))
        try terminal.type("L.grad + 41")
        screen = terminal.wait { $0.contains("42.0") }
        #expect(screen.contains("42.0"), "\(screen)")
    }

    @Test func versionAndHelpAtTheTopLevel() throws {
        let version = try TerminalSession(arguments: ["--version"], historyFile: try temporaryFile("h", ""))
        #expect(version.wait { $0.contains("gradbook 0.") }.contains("gradbook 0.1.0"))
        let help = try TerminalSession(arguments: ["--help"], historyFile: try temporaryFile("h", ""))
        let screen = help.wait { $0.contains("SUBCOMMANDS") }
        for option in ["--step", "--check", "--accept", "-i, --interactive", "--version", "gradbook bench"] {
            #expect(screen.contains(option), "--help does not list \(option)")
        }
    }

    /// Warnings are yellow and errors red at a terminal; NO_COLOR makes both plain.
    @Test func warningsAreColouredUnlessNoColor() throws {
        for noColor in [false, true] {
            let terminal = try TerminalSession(
                historyFile: try temporaryFile("h", ""), environment: noColor ? "NO_COLOR=1" : "-u NO_COLOR")
            terminal.wait { $0.contains(">>>") }
            try terminal.type("x = Value(-1.0).log()")
            try terminal.type("nosuch")
            terminal.wait { $0.contains("not defined") }
            let screen = terminal.colouredScreen
            let yellow = screen.contains("\u{1B}[33mwarning:")
            let red = screen.contains("\u{1B}[31merror:")
            #expect(yellow == !noColor && red == !noColor, "NO_COLOR \(noColor): \(screen.debugDescription)")
        }
    }
}

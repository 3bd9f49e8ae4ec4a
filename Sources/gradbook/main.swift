// The gradbook executable: reads the command line and hands over to the notebook.
import ArgumentParser
import Benchmarks
import Foundation
import Notebook
import NotebookLanguage

@main
struct Gradbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradbook",
        abstract: "A terminal notebook for learning how neural networks work, from micrograd to makemore.",
        usage: """
            gradbook                                 the notebook
            gradbook [-i] FILE…                      replay session scripts (-i: then carry on at the prompt)
            gradbook --step [-i] FILE                classroom mode: pause before each cell
            gradbook --check [--accept] FILE…        compare with the recorded output (--accept: rewrite it)
            gradbook --html [--clean] FILE           the lesson as one web page (--clean: code only)
            gradbook bench [NAME…]                   speed benchmarks
            """,
        discussion: """
            OPTIONS OF THE NOTEBOOK (gradbook open, the default command):
              --step             classroom mode: each cell shown, Enter runs it
              --check            compare each command's output with the recording
              --accept           with --check: rewrite the output that changed
              -i, --interactive  carry on at the prompt after the scripts
              --html             write the lesson as one web page, figures as SVG
              --clean            with --html: the code without its output (a student's copy)
            """,
        version: "gradbook \(Launcher.version)",
        subcommands: [Open.self, Bench.self],
        defaultSubcommand: Open.self)
}

/// `gradbook [FILE…]`: the notebook, or session scripts replayed, stepped through or checked.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Start the notebook, or replay session scripts (the default command).",
        discussion: """
            With no file: the interactive notebook (lines are read plainly when standard input is not a terminal).
            With files: each is replayed as a transcript; --check compares the output with what the file recorded.
            """)

    @Argument(help: "Session scripts to replay.") var files: [String] = []
    @Flag(name: .long, help: "Classroom mode: pause before each cell (Enter runs it, q stops).") var step = false
    @Flag(name: .long, help: "Replay and compare each command's output with the recording.") var check = false
    @Flag(name: .long, help: "With --check: rewrite the recorded output of the commands that changed.") var accept =
        false
    @Flag(name: [.short, .long], help: "Carry on at the prompt after the scripts, with every variable kept.")
    var interactive = false
    @Flag(help: "Write the lesson to standard output as one web page: narration, code, output, figures as SVG.")
    var html = false
    @Flag(help: "With --html: leave the outputs out, for a student's copy.") var clean = false

    func validate() throws {
        if accept && !check { throw ValidationError("--accept goes with --check") }
        if (check || step) && files.isEmpty {
            throw ValidationError(
                "name the session script(s), e.g. gradbook \(check ? "--check" : "--step") sessions/01-derivatives.txt")
        }
        if step && files.count > 1 { throw ValidationError("--step takes one script") }
        if check && (step || interactive) {
            throw ValidationError("--check runs on its own, without --step or --interactive")
        }
        if clean && !html { throw ValidationError("--clean goes with --html") }
        if html {
            guard files.count == 1 else {
                throw ValidationError(
                    "--html writes one lesson, e.g. gradbook --html sessions/04-bigram.txt > bigram.html")
            }
            if check || step || interactive {
                throw ValidationError("--html runs on its own, without --check, --step or -i")
            }
        }
    }

    func run() throws {
        Launcher.tuneAllocator()
        let code: Int32
        if html {
            code = Launcher.html(files[0], clean: clean)
        } else if check {
            code = Launcher.check(files, accept: accept)
        } else if step {
            code = Launcher.step(files[0], thenInteractive: interactive)
        } else if files.isEmpty {
            code = Launcher.interactive()
        } else {
            code = Launcher.replay(files, thenInteractive: interactive)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

/// `gradbook bench [NAME…]`: the speed benchmarks.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run speed benchmarks (build with -c release for real figures).",
        discussion: "Workloads: " + Benchmark.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")
            + "; \(LiveBenchmark.name) (\(LiveBenchmark.summary)), run only when named.")

    @Argument(help: "Benchmarks to run (all when none is named).") var names: [String] = []

    func validate() throws {
        let known = Benchmark.all.map(\.name) + [LiveBenchmark.name]
        for name in names where Benchmark.named(name) == nil && name != LiveBenchmark.name {
            let guess = closestMatch(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("no benchmark named '\(name)'\(guess) (available: \(known.joined(separator: ", ")))")
        }
    }

    func run() throws {
        Launcher.tuneAllocator()
        let output = StandardOutput()
        let engine = names.compactMap(Benchmark.named)
        if names.isEmpty || !engine.isEmpty { Benchmark.run(engine) { output.write($0) } }
        if names.contains(LiveBenchmark.name) { LiveBenchmark.run { output.write($0) } }
    }
}

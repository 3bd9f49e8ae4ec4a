// What the `gradbook` executable does, as plain functions: the interactive notebook, replaying and
// checking session scripts, classroom mode. Each returns the process's exit code.
import Foundation
import NotebookLanguage

public enum Launcher {
    /// The release, as `gradbook --version` prints it.
    public static let version = "0.1.0"

    /// Keeps large buffers (a full-batch step allocates tens of MB) in the process instead of
    /// returning them to the system after every step, which costs a page fault per 4 KiB each time.
    public static func tuneAllocator() {
        #if os(Linux)
            _ = glibcMallopt(-3, 1 << 30)  // M_MMAP_THRESHOLD (malloc.h)
            _ = glibcMallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD
        #endif
    }

    /// A session writing to standard output, coloured when that is a terminal.
    static func makeSession() -> Session {
        let session = Session(output: StandardOutput(), style: .forStandardOutput())
        session.isInteractive = isatty(STDIN_FILENO) == 1
        return session
    }

    /// The reader for standard input: readline at a terminal, plain lines otherwise.
    static func makeReader(for session: Session) -> LineReader {
        guard session.isInteractive else { return PlainLineReader() }
        return ReadlineReader(
            complete: { [unowned session] word, before in session.completions(for: word, after: before) },
            warn: { [unowned session] message in session.warn(message) })
    }

    /// `gradbook`: the interactive notebook (or lines piped in).
    public static func interactive() -> Int32 {
        Interrupt.installHandler()
        let session = makeSession()
        if session.isInteractive {
            session.emit(
                session.style.paint("gradbook", .bold)
                    + ": neural networks from scratch. Type help for the commands, Ctrl-D to leave.")
        }
        session.interact(with: makeReader(for: session))
        return 0
    }

    /// `gradbook FILE…`: replays each script as a transcript; with `thenInteractive`, carries on at
    /// the prompt with every variable kept. Exits non-zero if any command failed.
    public static func replay(_ paths: [String], thenInteractive: Bool) -> Int32 {
        Interrupt.installHandler()
        let session = makeSession()
        var failed = false
        for path in paths {
            do {
                let script = try SessionScript(contentsOf: path)
                failed = !session.replay(script, errors: StandardError()).isEmpty || failed
            } catch {
                StandardError().write("gradbook: \(error.message)\n")
                failed = true
            }
            if session.wantsExit { break }
        }
        if thenInteractive && !session.wantsExit { session.interact(with: makeReader(for: session)) }
        return failed ? 1 : 0
    }

    /// `gradbook --step FILE`: classroom mode; with `thenInteractive`, the prompt follows.
    public static func step(_ path: String, thenInteractive: Bool) -> Int32 {
        Interrupt.installHandler()
        let session = makeSession()
        let script: SessionScript
        do {
            script = try SessionScript(contentsOf: path)
        } catch {
            StandardError().write("gradbook: \(error.message)\n")
            return 1
        }
        let reader = makeReader(for: session)
        let finished = session.stepThrough(script, reader: reader)
        if thenInteractive && !session.wantsExit { session.interact(with: reader) }
        return finished || thenInteractive ? 0 : 1
    }

    /// `gradbook --html FILE`: runs the lesson and writes it to standard output as one self-contained
    /// web page (figures as SVG); `clean` leaves the outputs out.
    public static func html(_ path: String, clean: Bool) -> Int32 {
        let script: SessionScript
        do {
            script = try SessionScript(contentsOf: path)
        } catch {
            StandardError().write("gradbook: \(error.message)\n")
            return 1
        }
        let session = Session(output: CapturedOutput(), style: .plain)
        StandardOutput().write(session.page(script, clean: clean))
        return 0
    }

    /// `gradbook --check FILE…`: replays each script in a fresh session and compares every command's
    /// output with the recording; `accept` rewrites the blocks that differ. Ends with the line
    /// `N passed, N failed` (commands); exits non-zero when any failed.
    public static func check(_ paths: [String], accept: Bool) -> Int32 {
        var passed = 0
        var failed = 0
        let out = StandardOutput()
        for path in paths {
            let script: SessionScript
            do {
                script = try SessionScript(contentsOf: path)
            } catch {
                out.write("error: \(error.message)\n")
                failed += 1
                continue
            }
            let result = Session(output: CapturedOutput(), style: .plain).check(script)
            for diff in result.diffs { out.write(diff.joined(separator: "\n") + "\n") }
            if let first = result.notRun.first {
                out.write(
                    "\(path):\(first): \(result.notRun.count) command\(result.notRun.count == 1 ? "" : "s") not checked: an earlier line ended the session (quit); remove it or move it to the end\n"
                )
            }
            passed += result.passed
            var status = "\(path): \(result.passed) passed, \(result.failed) failed"
            if !result.notRun.isEmpty {
                // Nothing to accept for commands that never ran.
                failed += result.notRun.count
            }
            if accept && !result.diffs.isEmpty {
                do {
                    try result.accept(into: script)
                    status +=
                        " (accepted: \(result.diffs.count) output block\(result.diffs.count == 1 ? "" : "s") rewritten)"
                } catch {
                    status += " (not accepted: \(error.message))"
                    failed += result.diffs.count
                }
            } else {
                failed += result.diffs.count
            }
            out.write(status + "\n")
        }
        out.write("\(passed) passed, \(failed) failed\n")
        return failed == 0 ? 0 : 1
    }
}

#if os(Linux)
    /// glibc's `mallopt` (malloc.h is not part of Swift's Glibc module).
    @_silgen_name("mallopt")
    private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

// GNU readline at a terminal: line editing, history kept across runs, Tab completion. Its callback
// interface lets the notebook wait on standard input itself, so Ctrl-C can abandon the line being
// typed and return to a fresh prompt with everything else intact.
@preconcurrency import CReadline
import Foundation
import NotebookLanguage
import SafeFiles

/// Reads lines with GNU readline. One per process: readline's state is global.
public final class ReadlineReader: LineReader {
    /// The history file: $GRADBOOK_HISTORY, or ~/.gradbook_history. Every line typed is appended
    /// to it; nothing in it is ever removed.
    public let historyPath: String
    /// How many of the file's last lines the up arrow reaches: $GRADBOOK_HISTORY_SIZE, or 2,000.
    /// The file itself keeps every line.
    public let historySize: Int32
    /// The open history file; nil once it cannot be written (warned about once).
    private var historyFile: SafeFile.Appender?
    private let warn: (String) -> Void

    /// `complete` gives the candidates for the word before the cursor, given the text of the line
    /// before that word; `warn` tells the user, once, when the history cannot be kept.
    public init(complete: @escaping (_ word: String, _ before: String) -> [String], warn: @escaping (String) -> Void) {
        let environment = ProcessInfo.processInfo.environment
        historyPath =
            environment["GRADBOOK_HISTORY"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.gradbook_history"
        historySize = environment["GRADBOOK_HISTORY_SIZE"].flatMap { Int32($0) }.map { max(0, $0) } ?? 2000
        self.warn = warn
        ReadlineState.complete = complete
        rl_readline_name = UnsafePointer(strdup("gradbook"))
        rl_catch_signals = 0
        rl_attempted_completion_function = { text, start, _ in
            rl_attempted_completion_over = 1
            // The line up to the word being completed: which command, and which of its arguments.
            ReadlineState.before =
                rl_line_buffer.map { buffer in
                    String(decoding: UnsafeRawBufferPointer(start: buffer, count: Int(max(0, start))), as: UTF8.self)
                } ?? ""
            rl_completion_append_character = 0  // `alpha` then `.data`: no space after a name
            return rl_completion_matches(text) { text, state in ReadlineState.nextCompletion(text, state) }
        }
        using_history()
        stifle_history(historySize)
        do {
            // Checked first: reading a FIFO would wait for a writer for ever.
            try SafeFile.requireRegularOrMissing(historyPath)
            read_history(historyPath)
            historyFile = try SafeFile.Appender(keeping: historyPath)
        } catch {
            warnHistoryLost(error)
        }
    }

    private func warnHistoryLost(_ problem: FileProblem) {
        historyFile = nil
        warn(
            "the history cannot be saved to \(historyPath): \(problem); lines typed now are not kept after gradbook ends (set GRADBOOK_HISTORY to a writable file)"
        )
    }

    public func readLine(prompt: String) -> LineInput {
        ReadlineState.result = nil
        rl_callback_handler_install(prompt) { line in
            ReadlineState.result = line.map { .line(String(cString: $0)) } ?? .endOfInput
            free(line)
            rl_callback_handler_remove()
        }
        while ReadlineState.result == nil {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, -1)
            if Interrupt.isRequested {
                Interrupt.reset()
                abandonLine()
                return .interrupted
            }
            if ready > 0 { rl_callback_read_char() }
            if ready < 0 && errno != EINTR { return .endOfInput }
        }
        let result = ReadlineState.result ?? .endOfInput
        if case .line(let text) = result, !text.allSatisfy(\.isWhitespace) {
            add_history(text)
            // Written after every line, so the history survives however the session ends.
            if let historyFile {
                do { try historyFile.append(Array((text + "\n").utf8)) } catch { warnHistoryLost(error) }
            }
        }
        return result
    }

    /// Clears what was typed and moves to a new line, as a shell does on Ctrl-C.
    private func abandonLine() {
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_replace_line("", 0)
        rl_crlf()
        rl_callback_handler_remove()
        fflush(nil)
    }
}

/// Readline's callbacks are C functions: the state they share lives here.
private enum ReadlineState {
    nonisolated(unsafe) static var result: LineInput?
    nonisolated(unsafe) static var complete: (String, String) -> [String] = { _, _ in [] }
    nonisolated(unsafe) static var before = ""
    nonisolated(unsafe) static var matches: [String] = []

    static func nextCompletion(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
        if state == 0 { matches = complete(text.map { String(cString: $0) } ?? "", before) }
        let index = Int(state)
        return index < matches.count ? strdup(matches[index]) : nil
    }
}

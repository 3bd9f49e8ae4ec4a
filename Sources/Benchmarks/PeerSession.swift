// A peer kept running between measurements (a Python or Lua harness), so that gradbook's rounds and
// the peer's alternate in one run (A B A B): a machine whose speed drifts for seconds at a time (a
// shared host) slows both sides of a pair instead of one side of the comparison.
//
// The harness prints `ready` once its model is built and warmed up; then it reads one line per round
// from standard input (the number of steps to time, or `run`), runs them, and prints one line (its
// seconds, and what the benchmark asks of it), flushing it; at end of input it exits.
import Foundation

final class PeerSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()

    /// Starts `python -c harness` and waits for its `ready`; nil when it cannot be started or ends
    /// first (no torch, say).
    convenience init?(python: String, harness: String) {
        self.init(executable: python, arguments: ["-c", harness])
    }

    /// Starts `executable arguments…` and waits for its `ready`; nil when it cannot be started or
    /// ends first.
    init?(executable: String, arguments: [String]) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        // A harness that dies between rounds must fail the write to its pipe, not kill gradbook.
        signal(SIGPIPE, SIG_IGN)
        do { try process.run() } catch { return nil }
        guard readLine() == "ready" else { return nil }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends `request` as one line and returns the harness's reply line, or nil when it ended.
    func ask(_ request: String) -> String? {
        do { try input.fileHandleForWriting.write(contentsOf: Data((request + "\n").utf8)) } catch { return nil }
        return readLine()
    }

    /// The harness's next line, or nil when it ended.
    private func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                return line
            }
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { return nil }  // the harness exited (no torch, or it failed)
            pending.append(more)
        }
    }

    /// The harness's seconds per step for `steps` steps, or nil when it gave none.
    func secondsPerStep(steps: Int) -> Double? {
        ask("\(steps)").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}

// `gradbook bench`: named workloads timed in-process after a warm-up, one line each:
// `NAME: X ms/step (Y steps/s)`. Speed targets are checked here, in release builds, never by
// timed unit tests.
import Foundation

/// A named workload.
public struct Benchmark: Sendable {
    public let name: String
    public let summary: String
    /// Runs the workload and returns its result lines.
    let run: @Sendable () -> [String]

    /// Every workload, in the order `gradbook bench` runs them.
    public static let all: [Benchmark] = [
        ValueBenchmarks.readme, ValueBenchmarks.chain, NeuralNetBenchmarks.moons, TensorBenchmarks.matmul,
        MakemoreBenchmarks.mlp, MakemoreBenchmarks.batchNormMLP, MakemoreBenchmarks.neuralBigram,
        MakemoreBenchmarks.wavenet, TransformerBenchmarks.bagOfWords, TransformerBenchmarks.transformer,
        GPTBenchmarks.gpt,
        RecurrentBenchmarks.rnn, RecurrentBenchmarks.gru, RecurrentBenchmarks.lstm, TokenizerBenchmarks.tokenizer,
        InterpreterBenchmarks.interpreter, TensorLoopBenchmarks.tensorLoop
    ]

    /// The workload called `name`.
    public static func named(_ name: String) -> Benchmark? { all.first { $0.name == name } }

    /// Runs `selected` (all when it is empty), writing each line as it finishes.
    public static func run(_ selected: [Benchmark], write: (String) -> Void) {
        #if DEBUG
            write("note: this is a debug build; measure speed with swift run -c release gradbook bench\n")
        #endif
        for benchmark in selected.isEmpty ? all : selected {
            for line in benchmark.run() { write(line + "\n") }
        }
    }

    /// Seconds per call of `body`: a warm-up, then repeated calls for at least `seconds`.
    static func secondsPerCall(minimumSeconds seconds: Double = 1, warmup: Int = 3, _ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        let clock = ContinuousClock()
        var calls = 0
        let start = clock.now
        var elapsed = 0.0
        repeat {
            body()
            calls += 1
            let duration = clock.now - start
            elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        } while elapsed < seconds
        return elapsed / Double(calls)
    }

    /// The fastest of `runs` calls of `body` in seconds, after a warm-up call: the figure least
    /// disturbed by other work on a shared machine.
    static func bestSecondsPerCall(runs: Int, _ body: () -> Void) -> Double {
        body()
        let clock = ContinuousClock()
        return (0..<runs).map { _ in
            let start = clock.now
            body()
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }.min()!
    }

    /// The first of `candidates`, then `python3` on the PATH, that can be run.
    static func python(preferring candidates: [String] = []) -> String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (candidates + searchPath.split(separator: ":").map { "\($0)/python3" })
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What `python -c harness` prints with `input` on its standard input, or nil when it could not
    /// run or failed (the peer's time, measured by the harness inside Python).
    static func runPython(_ python: String, harness: String, input: Data) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", harness]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? text : nil
    }

    /// `NAME: X ms/step (Y steps/s)`, in µs when a step is under a millisecond.
    static func line(_ name: String, secondsPerStep: Double, unit: String = "step", note: String = "") -> String {
        let time =
            secondsPerStep < 1e-3
            ? String(format: "%.2f µs", secondsPerStep * 1e6) : String(format: "%.2f ms", secondsPerStep * 1e3)
        let rate = 1 / secondsPerStep
        let rateText = rate >= 100 ? String(format: "%.0f", rate) : String(format: "%.2f", rate)
        return "\(name): \(time)/\(unit) (\(rateText) \(unit)s/s)" + (note.isEmpty ? "" : "  \(note)")
    }
}

// `gradbook bench live`: what fit's live view costs. The lecture's MLP trains 20,000 steps at a
// terminal with the live view and with --no-live, alternately (A B A B), and the ratio of their speeds
// is reported: the view must cost at most 5% of the training's throughput at its default refresh.
import Foundation

public enum LiveBenchmark {
    public static let name = "live"
    public static let summary =
        "fit's live view against --no-live, 20,000 steps of the lecture MLP (needs names.txt here)"

    /// A terminal that draws nothing but counts the live view's frames.
    private final class Terminal: OutputSink {
        var frames = 0
        let showsStatus = true
        func write(_ text: String) {}
        func status(_ line: String?) {}
        func frame(_ lines: [String]?) { if lines != nil { frames += 1 } }
    }

    public static func run(write: (String) -> Void) {
        func timed(live: Bool) -> (stepsPerSecond: Double, frames: Int)? {
            let terminal = Terminal()
            let session = Session(output: terminal, style: TextStyle(color: true, width: 100))
            session.isInteractive = true
            for line in ["load", "seed 2147483647", "model mlp"] {
                guard session.execute(line) else { return nil }
            }
            let clock = ContinuousClock()
            let start = clock.now
            guard session.execute("fit --steps 20000 --every 20000 --no-dev" + (live ? "" : " --no-live")) else {
                return nil
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return (20_000 / seconds, terminal.frames)
        }
        var live: [Double] = []
        var plain: [Double] = []
        var frames = 0
        for _ in 0..<2 {
            guard let a = timed(live: true), let b = timed(live: false) else {
                write("live: needs names.txt in the current folder (run it from the package root)\n")
                return
            }
            live.append(a.stepsPerSecond)
            plain.append(b.stepsPerSecond)
            frames = a.frames
        }
        let (l, p) = (live.max() ?? 0, plain.max() ?? 1)
        write(
            "live: \(Int(l).grouped) steps/s with the live view (\(frames) frames), \(Int(p).grouped) without: it costs \(String(format: "%.1f", 100 * (1 - l / p)))% (best of 2 each, A B A B)\n"
        )
    }
}

// The live progress line of `fit`: step, loss, learning rate, steps per second and time left.
import ArgumentParser
import Engine
import Foundation
import Makemore
import NotebookLanguage

/// The live progress line of `fit` at a terminal, redrawn about ten times a second; nothing at all
/// when the session is not interactive. It is the output's status line, not part of the session's log.
struct LiveProgress {
    let session: Session
    let total: Int
    let start: Int
    let clock = ContinuousClock()
    let began: ContinuousClock.Instant
    var lastDrawn: ContinuousClock.Instant
    var isShowing = false
    /// The live view under the status line (`fit`'s dashboard), given the room it has (columns, rows),
    /// redrawn every `frameInterval`; nil for the status line alone.
    let dashboard: ((_ columns: Int, _ rows: Int) -> [String])?
    /// How often the dashboard is redrawn (fit's default, 0.5 s: its drawing then costs under 1% of
    /// the training's time; `bench live` measures it).
    let frameInterval: Duration
    var lastFrame: ContinuousClock.Instant

    init(
        session: Session, total: Int, start: Int, dashboard: ((Int, Int) -> [String])? = nil,
        frameInterval: Duration = .milliseconds(500)
    ) {
        self.session = session
        self.total = total
        self.start = start
        self.dashboard = dashboard
        self.frameInterval = frameInterval
        began = clock.now
        lastDrawn = began - .seconds(1)  // the first eligible step draws at once
        lastFrame = began - .seconds(1)
    }

    /// A person is typing and the output is a terminal (not redirected to a file).
    var isEnabled: Bool { session.isInteractive && session.output.showsStatus }

    /// Redraws the line for `step` (at most ten times a second); `label` names the work (`lr-find`).
    mutating func update(step: Int, label: String = "step", loss: Float, learningRate: Double, every: Int = 16) {
        guard isEnabled, step % every == 0 || step == total else { return }
        let now = clock.now
        guard now - lastDrawn > .milliseconds(100) else { return }
        lastDrawn = now
        let seconds = Self.seconds(now - began)
        let rate = Double(step - start) / Swift.max(seconds, 1e-9)
        let left = Double(total - step) / Swift.max(rate, 1e-9)
        let line =
            "\(label) \(step.grouped)/\(total.grouped)  loss \(loss.loss)  lr \(FitCommand.rate(learningRate))  \(Int(rate).grouped) steps/s  \(Self.clockTime(left)) left"
        if let dashboard {
            guard now - lastFrame >= frameInterval else { return }
            lastFrame = now
            let rows = TextStyle.windowSize()?.rows ?? 24
            session.output.frame([session.style.paint(line, .bold)] + dashboard(session.style.width, rows - 2))
        } else {
            session.output.status(session.style.paint(line, .dim))
        }
        isShowing = true
    }

    /// Erases the live line (or view) so that a row can print in its place; the next step redraws it.
    mutating func clear() {
        guard isShowing else { return }
        session.output.frame(nil)
        isShowing = false
        lastDrawn = began - .seconds(1)
        lastFrame = began - .seconds(1)
    }

    /// `(200,000 steps in 27.9 s, 7,168 steps/s)` at a terminal only.
    func summary(steps: Int) {
        guard isEnabled, steps > 0 else { return }
        let seconds = Self.seconds(clock.now - began)
        session.output.write(
            session.style.paint(
                "(\(steps.grouped) steps in \(seconds.fixed(1)) s, \(Int(Double(steps) / Swift.max(seconds, 1e-9)).grouped) steps/s)",
                .dim) + "\n")
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// `0:27`, `12:05`, `1:02:03`.
    static func clockTime(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(r))" : "\(m):\(two(r))"
    }
}

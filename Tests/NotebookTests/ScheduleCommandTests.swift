// `schedule SPEC`: a learning-rate schedule printed (its description and the lr at a few steps) and
// plotted; every mistake in SPEC or the options is one line from the parser, with the session intact.
import Foundation
import Testing

@testable import Notebook

@Suite("Schedule command")
struct ScheduleCommandTests {
    /// The lecture's schedule (0.1, then 0.01), over 1000 steps with the drop half way.
    @Test func theLecturesStepSchedule() {
        #expect(
            lastOutput(["schedule 0.1@500=0.01"]) == """
                stepwise(0.1, 0.01 from step 500)
                step    lr  where
                ────  ────  ─────
                   0   0.1  first
                 250   0.1  25%
                 500  0.01  50%
                 750  0.01  75%
                 999  0.01  last

                lr
                0.10 ┤⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⡇
                     │                                ⡇
                0.08 ┤                                ⡇
                     │                                ⡇
                     │                                ⡇
                0.06 ┤                                ⡇
                     │                                ⡇
                0.04 ┤                                ⡇
                     │                                ⡇
                     │                                ⡇
                0.02 ┤                                ⡇
                     │                                ⢇⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀
                     └┬────────────┬────────────┬───────────┬────────────┬────────────┬
                      0           200          400         600          800         1000
                                                    step

                """)
    }

    @Test func aLogAxisShowsTheCosinesTail() {
        let lines = lastOutput(["schedule cosine:0.1 --steps 100 --log"]).components(separatedBy: "\n")
        #expect(
            Array(lines.prefix(8)) == [
                "cosine(0.1 → 0 over 100 steps)",
                "step          lr  where",
                "────  ──────────  ─────",
                "   0         0.1  first",
                "  25   0.0853553  25%",
                "  50        0.05  50%",
                "  75   0.0146447  75%",
                "  99  2.4672e-05  last"
            ])
        #expect(["1e-1 ┤", "1e-2 ┤", "1e-3 ┤", "1e-4 ┤"].allSatisfy { tick in lines.contains { $0.hasPrefix(tick) } })
    }

    @Test func aScheduleOfOneStep() {
        let lines = lastOutput(["schedule 0.1 --steps 1"]).components(separatedBy: "\n")
        #expect(lines[3] == "   0  0.1  first and last")
        #expect(lines.contains("note: every y value is 0.1"))
    }

    @Test(
        arguments: [
            (
                "schedule cosin:0.1",
                "error: schedule: unknown schedule kind 'cosin'; did you mean 'cosine'? (kinds: constant, step, multistep, exp, cosine, restarts, linear, warmup, factor, poly, onecycle, cyclic)"
            ),
            (
                "schedule cosine:0.1:stpes=10",
                "error: schedule: cosine takes no key 'stpes'; did you mean 'steps'? (keys: lr, min, steps, for)"
            ),
            (
                "schedule '0.1@abc'",
                "error: schedule: '@abc' is not understood; expected LR@STEP=LR… with steps ≥ 0 in increasing order, e.g. 0.1@100000=0.01@150000=0.001"
            ),
            ("schedule warmup:10", "error: schedule: warmup needs lr=…, e.g. warmup:100+cosine:0.1"),
            (
                "schedule ''",
                "error: schedule: empty schedule: give a learning rate such as 0.1, or a kind such as cosine:0.1 (kinds: constant, step, multistep, exp, cosine, restarts, linear, warmup, factor, poly, onecycle, cyclic)"
            ),
            ("schedule 0.1 --steps 0", "error: schedule: --steps must be from 1 to 10000000, not 0"),
            ("schedule 0.1 --steps -5", "error: schedule: --steps must be from 1 to 10000000, not -5"),
            ("schedule 0.1 --steps 20000000", "error: schedule: --steps must be from 1 to 10000000, not 20000000"),
            (
                "schedule 0.1 --steps abc",
                "error: schedule: 'abc' is not a valid value for --steps (usage: schedule <spec> [--steps <n>] [--log] [--svg <file>]; see help schedule)"
            ),
            (
                "schedule",
                "error: schedule: Missing expected argument '<spec>' (usage: schedule <spec> [--steps <n>] [--log] [--svg <file>]; see help schedule)"
            ),
            (
                "schedule 0.1 --svg /no/such/folder/lr.svg",
                "error: schedule: cannot write /no/such/folder/lr.svg: no such file or folder; check that the folder exists"
            )
        ] as [(String, String)])
    func mistakesAreOneLine(line: String, expected: String) {
        let (session, output) = makeSession()
        session.execute("x = [3]")
        _ = output.take()
        #expect(!session.execute(line))
        #expect(output.take() == expected + "\n")
        session.execute("x")
        #expect(output.take() == "[3]\n")  // the session carries on as it was
    }

    @Test func theSVGIsWrittenBeforeAnythingIsShown() throws {
        let path = try temporaryFile("lr.svg", "")
        let lines = lastOutput(["schedule warmup:100+cosine:0.1 --svg \(path)"]).components(separatedBy: "\n")
        #expect(
            lines.first == "linear(0.1 × 0.01 → 1 over 100 steps), then from step 100 cosine(0.1 → 0 over 900 steps)")
        #expect(lines.suffix(2) == ["wrote \(path): lr against step, 640×400 px", ""])
        let document = try String(contentsOfFile: path, encoding: .utf8)
        let reading = SVGReading(document)
        #expect(reading.parsed && reading.counts["polyline"] == 1)
        #expect(reading.texts.contains("lr") && reading.texts.contains("step"))
    }

    @Test func helpListsItUnderTraining() {
        let help = lastOutput(["help"])
        #expect(
            help.contains(
                "Training:\n  schedule  Show a learning-rate schedule: what it is, its lr at a few steps, and a plot of lr against step.\n"
            ))
        #expect(lastOutput(["help schedule"]).contains("USAGE: schedule <spec> [--steps <n>] [--log] [--svg <file>]"))
    }
}

// Work whose size the user chooses: big graphs stepped and checked in one pass each, Ctrl-C between
// pieces of work, batches whose memory is measured before the step, vocabularies too big for a
// count matrix, and option mistakes blamed on the option.
import Foundation
import Testing

@testable import Engine
@testable import Makemore
@testable import Notebook
@testable import NotebookLanguage

@Suite("Long work and big inputs")
struct LongWorkTests {
    /// z = z0 + 1 + 1 + … (n additions): 2n + 1 nodes.
    static func chain(_ n: Int) -> [String] {
        ["z0 = Value(1.0, label=\"z0\")", "z = z0", "for i in range(\(n)): z = z + 1"]
    }

    @Test func stepAllFinishesALongChainWithBackwardsGrads() {
        let (session, output) = makeSession()
        for line in Self.chain(5_000) { session.execute(line) }
        session.execute("step z --all")
        let text = output.take()
        #expect(text.contains("step 10001/10001  z0 (an input)"))
        #expect(text.contains("done: every node's grad is in place"))
        session.execute("z0.grad")
        #expect(output.take() == "1.0\n")
    }

    @Test func ctrlCStopsStepAndTheNextStepGoesOn() {
        let (session, output) = makeSession()
        for line in Self.chain(100) { session.execute(line) }
        session.execute("step z")
        _ = output.take()
        Interrupt.$simulated.withValue(true) { session.execute("step z --all") }
        #expect(output.take().contains("warning: stopped by Ctrl-C after 0 nodes; step z goes on from node 2"))
        session.execute("step z --all")
        #expect(output.take().contains("step 201/201"))
    }

    @Test func checkSamplesTheInputsOfABigGraphAndNamesUnreliableRows() {
        // A sum near 5e7: a change of 2e-6 in one input is lost in rounding, as the check now says.
        let text = lastOutput([
            "xs = [Value(2500.0 + i % 7) for i in range(20000)]", "s = sum(xs)", "check s --inputs 4"
        ])
        #expect(
            text.contains(
                "checked 4 of 20,000 inputs, evenly spaced: each costs three passes over 40,001 nodes (--inputs N to check more)"
            ))
        #expect(!text.contains("MISMATCH"))
        #expect(text.contains("input #1 "))
        #expect(text.contains("input #15001 "))
        #expect(
            text.contains(
                "unreliable: rounding in f(x ± h) alone could make a difference that large here; try a larger --h, e.g. --h 0.001"
            ))
        // A larger h on the same graph: every row agrees.
        let wide = lastOutput([
            "xs = [Value(2500.0 + i % 7) for i in range(20000)]", "s = sum(xs)", "check s --inputs 4 --h 1"
        ])
        #expect(wide.components(separatedBy: "  ok").count - 1 == 4)
    }

    @Test func aBigGraphIsSampledByDefaultAndAGenuineMismatchStillShows() {
        let sampled = lastOutput(["xs = [Value(1.0 * i) for i in range(5000)]", "s = sum(xs)", "check s"])
        let budget = CheckCommand.defaultBudget / (3 * 10_001)
        #expect(sampled.contains("checked \(budget) of 5,000 inputs, evenly spaced"))
        // relu at 0: autograd says 0, the central difference 0.5. Rounding cannot explain that.
        let kink = lastOutput(["a = Value(0.0, label=\"a\")", "r = a.relu()", "check r"])
        #expect(kink.contains("MISMATCH"))
        #expect(!kink.contains("unreliable"))
        #expect(
            lastOutput(["a = Value(1.0)", "check a*a --inputs 0"])
                == "error: check: --inputs must be at least 1, e.g. --inputs 100\n")
    }

    @Test func ctrlCStopsCheckWithTheGraphAsItWas() {
        let (session, output) = makeSession()
        session.execute("a = Value(2.0, label=\"a\")")
        session.execute("L = a * a")
        Interrupt.$simulated.withValue(true) { session.execute("check L") }
        #expect(output.take().contains("warning: check stopped by Ctrl-C after 0 of 1 inputs; the graph is as it was"))
        session.execute("print(L.data, a.grad)")
        #expect(output.take() == "4.0 0.0\n")
    }

    @Test func ctrlCStopsTopoAndEval() {
        let (session, output) = makeSession()
        for line in Self.chain(100) { session.execute(line) }
        Interrupt.$simulated.withValue(true) { session.execute("topo z") }
        #expect(output.take() == "error: topo: interrupted (Ctrl-C)\n")
        for line in ModelCommandTests.setup + ["split"] { session.execute(line) }
        _ = output.take()
        Interrupt.$simulated.withValue(true) { session.execute("eval") }
        #expect(output.take() == "warning: eval stopped by Ctrl-C during the train split\n")
        session.execute("eval train")
        #expect(output.take().hasPrefix("train loss "))
    }

    @Test func nudgeListsAtMostThirtyInputs() {
        let text = lastOutput([
            "xs = [Value(1.0 * i) for i in range(100)]", "s = sum(xs)", "s.backward()", "nudge s 0.01"
        ])
        #expect(text.contains("… and 70 more inputs, moved the same way"))
        #expect(text.hasSuffix("s: 4950.0 → 4951.0 (up by 1.0)\n"))
    }

    @Test func aTransformerBatchTooBigForMemoryIsRefusedNamingOneThatFits() throws {
        let (session, output) = makeSession()
        for line in ["load \(ModelCommandTests.names)", "seed 1", "model transformer", "split"] {
            session.execute(line)
        }
        _ = output.take()
        session.execute("fit --batch 100000 --steps 1")
        let refusal = output.take()
        #expect(refusal.hasPrefix("error: fit: a step on batch 100,000 needs about "))
        #expect(refusal.contains("more than the 4.0 GB budget; the largest batch that fits is "))
        #expect(refusal.contains("or raise the budget with --memory GB"))
        // The batch it names fits, and one more does not.
        let named = try #require(
            refusal.components(separatedBy: "the largest batch that fits is ").last?.prefix { $0 != ";" })
        let largest = try #require(Int(named.replacingOccurrences(of: ",", with: "")))
        let trainer = try #require(session.state.languageModels.trainer)
        let memory = trainer.model.stepMemory(on: try session.windows(.train, for: trainer.model))
        #expect(memory.bytes(rows: largest) <= 4e9 && memory.bytes(rows: largest + 1) > 4e9)
        #expect(trainer.stepsTaken == 0)
        session.execute("lr-find --batch 100000")
        #expect(output.take().hasPrefix("error: lr-find: a step on batch 100,000 needs about "))
        session.execute("fit --batch 4 --steps 1 --no-dev --memory 0.5")
        #expect(output.take().contains("after 1 step"))
        session.execute("fit --batch 4 --steps 1 --memory -1")
        #expect(output.take().hasPrefix("error: fit: --memory is a number of gigabytes above 0"))
    }

    @Test func stepMemoryGrowsWithTheBatchAndStaysAboveTheGraph() throws {
        let dataset = try NamesDataset(contentsOf: ModelCommandTests.names)
        let vocabulary = dataset.vocabulary
        let model = try ModelConfiguration.mlp().make(vocabulary: vocabulary, generator: TorchGenerator(seed: 1))
        let data = try ContextWindows(dataset.words, vocabulary: vocabulary, blockSize: 3)
        let memory = model.stepMemory(on: data)
        // The MLP's graph per row: embedding 30, hidden pre-activation and tanh 200 each, logits and
        // the cross-entropy's own 27 each at least, every one with a value and a gradient.
        #expect(memory.bytesPerRow >= 2 * 4 * (30 + 200 + 200 + 27))
        #expect(memory.bytes(rows: 1000) > memory.bytes(rows: 10))
    }

    @Test func aVocabularyTooBigForTheCountMatrixIsRefused() throws {
        let words = (0..<2_500).map { String(Character(Unicode.Scalar(0x4E00 + $0)!)) + "a" }
        let path = try temporaryFile("hanzi.txt", words.joined(separator: "\n"))
        let text = lastOutput(["load \(path)"])
        #expect(
            text
                == "error: load: \(path) uses 2,502 distinct characters, more than the 2,000 a character model may have "
                + "(its tables hold one entry per pair of characters: 2,502² = 6,260,004); is it a names file?\n")
        let fits = try temporaryFile("some.txt", words.prefix(1_000).joined(separator: "\n"))
        #expect(lastOutput(["load \(fits)"]).contains("vocabulary: 1002 characters"))
    }

    @Test func anUnknownOptionIsBlamedBeforeAnyValue() {
        let setup = ["a = Value(2.0, label=\"a\")", "L = a * a"]
        #expect(
            lastOutput(setup + ["step L --h nan"])
                == "error: step: there is no option --h (step takes --all, --graph, --restart; see help step)\n")
        #expect(
            lastOutput(setup + ["step L --al"])
                == "error: step: there is no option --al; did you mean --all? (step takes --all, --graph, --restart; see help step)\n"
        )
        #expect(
            lastOutput(["quit --now"])
                == "error: quit: there is no option --now (quit takes no options; see help quit)\n")
        // Values after a known option still parse, negative ones too.
        #expect(lastOutput(setup + ["check L --h 1e-4"]).contains("ok"))
        #expect(lastOutput(setup + ["L.backward()", "nudge L -0.01"]).contains("down by"))
    }

    @Test func aGraphTooBigToDrawNamesTheFlagsThatWork() {
        let text = lastOutput(Self.chain(1_000) + ["graph z"])
        #expect(
            text.contains(
                "draw the part nearest the output with --tree --depth 4, or write it all for Graphviz with --dot FILE"))
        #expect(lastOutput(Self.chain(1_000) + ["graph z --tree --depth 4"]).contains("…"))
    }
}

// A run saved and resumed in a new session is the run left alone: the checkpoint keeps where the
// minibatch generator and the dropout generator stood, so `fit --resume` prints the same rows and
// `sample` the same names.
import Engine
import Foundation
import Testing

@testable import Makemore
@testable import Notebook
@testable import NotebookLanguage

@Suite("Resuming from a checkpoint")
struct ResumeTests {
    /// The table rows of a `fit` (lines that start with a step number), and what follows.
    static func rows(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.drop(while: { $0 == " " }).first?.isNumber == true }
    }

    @Test(arguments: [
        "mlp --block-size 2 --embedding 2 --hidden 8 --init kaiming",
        "transformer --embedding 8 --layers 1 --heads 2 --dropout 0.2"
    ])
    func aResumedRunPrintsWhatTheWholeRunPrints(model: String) throws {
        let setup = ["load \(ModelCommandTests.names)", "split", "seed 1", "model \(model)"]
        let fit = "fit --steps 12 --batch 4 --every 3 --lr 0.05 --no-dev"

        let (whole, wholeOutput) = makeSession()
        for line in setup + [fit] { #expect(whole.execute(line), "\(line): \(wholeOutput.text)") }
        let wholeRows = Self.rows(wholeOutput.take())
        whole.execute("sample 3")
        let wholeNames = wholeOutput.take()

        let file = try temporaryFile("resume.ckpt", "")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (first, firstOutput) = makeSession()
        for line in setup { first.execute(line) }
        Interrupt.$simulated.withValue(true) { first.execute(fit) }
        #expect(first.execute("checkpoint save \(file)"), "\(firstOutput.text)")

        let (second, secondOutput) = makeSession()
        for line in ["load \(ModelCommandTests.names)", "split", "checkpoint load \(file)"] {
            #expect(second.execute(line), "\(line): \(secondOutput.text)")
        }
        #expect(secondOutput.take().contains("drawing the batches the whole run would have drawn"))
        #expect(second.execute("fit --resume"))
        #expect(Self.rows(secondOutput.take()) == wholeRows)
        second.execute("sample 3")
        #expect(secondOutput.take() == wholeNames)
    }

    @Test func aDamagedGeneratorStateIsRefused() throws {
        var state = TorchGenerator().state
        state.words.removeLast()
        let g = TorchGenerator(seed: 5)
        #expect(!g.restore(state))
        #expect(g.nextUInt32() == TorchGenerator(seed: 5).nextUInt32())
        state = TorchGenerator().state
        state.index = 625
        #expect(!g.restore(state))
    }
}

// Makemore part 1's neural bigram as the lecture trains it: on every bigram of the names at once
// (split --layout all), full batch, lr 50, with the lecture's seed. Its losses are the lecture's.
import TestSupport
import Testing

@testable import Makemore
@testable import Notebook

@Suite("The neural bigram on all 228,146 bigrams")
struct NeuralBigramLectureTests {
    @Test func theFullBatchLossesAreTheLectures() {
        let (session, output) = makeSession()
        for line in ["load \(Reference.lectureNames.path)", "split --layout all", "seed 2147483647", "model bigram-nn"]
        {
            #expect(session.execute(line), "\(line): \(output.text)")
        }
        _ = output.take()
        #expect(session.execute("fit --steps 2 --every 1"))
        let text = output.take()
        #expect(text.contains("on 228,146 train examples: 2 steps, every example, sgd, lr constant(50)"), "\(text)")
        // The lecture's first two losses: 3.768618583679199, then 3.3788.
        #expect(text.contains("   0   3.7686") && text.contains("   1   3.3788"), "\(text)")
        #expect(text.hasSuffix("after 2 steps; eval gives the train loss\n"))
        #expect(session.execute("eval"))
        #expect(output.take().hasPrefix("train loss "))
        #expect(!session.execute("eval dev"))
        #expect(
            output.take().hasPrefix("error: eval: split --layout all trains on every word, so there are no dev words"))
    }

    @Test func theLayoutKeepsTheFilesOrder() throws {
        let dataset = try NamesDataset(contentsOf: Reference.lectureNames.path)
        let split = DataSplit(dataset, layout: .all)
        #expect(split.train == dataset.words && split.dev.isEmpty && split.test.isEmpty)
        #expect(split.description == "32,033 words, every one in train, in the file's order (no dev or test words)")
    }
}

// What the tests of makemore.py's whole-word attention models (bag of words, Transformer) share: a tiny
// batch, central finite differences over every parameter element, and a small training run.
//
// Finite differences as in EngineTests' TensorGradientCheckTests: (f(p+h) − f(p−h)) / 2h with h = 1e-2
// on the float32 forward pass, read in Double; tolerance |numeric − autograd| ≤ 5e-3·max(|numeric|,
// |autograd|) + 2e-4.
//
// Shapes: B = batch, T = block size, V = vocabulary.
import Engine
import TestSupport
import Testing

@testable import Makemore

enum AttentionModelChecks {
    /// 5 characters with '.'.
    static let vocabulary = Vocabulary(characters: "abcd")

    /// A batch of 2 words in blocks of 4: X (2, 4) and Y (2, 4), the second padded with -1.
    static func batch() throws -> (IndexTensor, IndexTensor) {
        (
            try IndexTensor([0, 1, 2, 3, 0, 4, 1, 0], shape: [2, 4]),  // (B, T)
            try IndexTensor([1, 2, 3, 4, 4, 1, 0, -1], shape: [2, 4])
        )  // (B, T)
    }

    /// Every element of every parameter: the autograd gradient against central differences of the loss.
    static func expectGradientsMatchFiniteDifferences(_ model: any LanguageModel) throws {
        let (X, Y) = try batch()
        let mismatches = try centralDifferenceMismatches(
            model.parameters(), label: { "parameter \($0)" },
            loss: {
                try #require(model.forward(X, targets: Y).loss)  // ()
            })
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// Changing the token at position `k` leaves the logits of positions before `k` exactly as they were.
    static func expectCausal(_ model: any LanguageModel) throws {
        let (X, _) = try batch()
        let (B, T, V) = (X.shape[0], X.shape[1], model.vocabulary.count)
        let before = try model.forward(X, targets: nil).logits.scalars  // (B, T, V)
        for k in 1..<T {
            var changed = X.values
            for b in 0..<B { changed[b * T + k] = (changed[b * T + k] + 1) % Int32(V) }
            // (B, T, V)
            let after = try model.forward(IndexTensor(changed, shape: X.shape), targets: nil).logits.scalars
            for b in 0..<B {
                let earlier = (b * T * V)..<((b * T + k) * V)
                #expect(
                    Array(after[earlier]) == Array(before[earlier]), "changing position \(k) moved an earlier logit")
                #expect(
                    after[((b * T + k) * V)..<((b * T + k + 1) * V)]
                        != before[((b * T + k) * V)..<((b * T + k + 1) * V)])
            }
        }
    }

    /// Shapes: any 1 ≤ t ≤ T gives (B, t, V); anything else throws a ShapeError instead of trapping.
    static func expectShapesAndShapeErrors(_ model: any LanguageModel) throws {
        let T = model.blockSize
        let V = model.vocabulary.count
        for t in 1...T {
            let X = try IndexTensor((0..<(3 * t)).map { Int32($0 % V) }, shape: [3, t])  // (3, t)
            let Y = try IndexTensor((0..<(3 * t)).map { Int32(($0 + 1) % V) }, shape: [3, t])
            let (logits, loss) = try model.forward(X, targets: Y)
            #expect(logits.shape == [3, t, V])
            #expect(try loss!.item() == languageModelLoss(logits, Y).item())
        }
        let bad: [(IndexTensor, IndexTensor?)] = [
            (try IndexTensor([Int32](repeating: 0, count: 2 * (T + 1)), shape: [2, T + 1]), nil),  // t > T
            (try IndexTensor([Int32](repeating: 0, count: T), shape: [T]), nil),  // 1-D
            (try IndexTensor([], shape: [2, 0]), nil),  // t = 0
            (try IndexTensor([Int32](repeating: 0, count: 2 * T), shape: [2, T]), try IndexTensor([0, 1], shape: [2])),
            // index past the vocabulary
            (try IndexTensor([Int32](repeating: Int32(V), count: 2 * T), shape: [2, T]), nil),
            (
                try IndexTensor([Int32](repeating: 0, count: 2 * T), shape: [2, T]),
                try IndexTensor([Int32](repeating: Int32(V), count: 2 * T), shape: [2, T])
            )  // target past it
        ]
        for (X, Y) in bad {
            #expect(throws: ShapeError.self, "contexts \(X.shape), targets \(Y?.shape ?? [])") {
                try model.forward(X, targets: Y)
            }
        }
    }

    /// The loss on a few words before and after `steps` AdamW steps through the Trainer.
    static func lossBeforeAndAfterTraining(_ c: ModelConfiguration, steps: Int, schedule: LearningRateSchedule) throws
        -> (
            Float, Float
        )
    {
        let words = ["emma", "olivia", "ava", "mia", "ella", "amelia", "liam", "noah"]
        let vocabulary = Vocabulary(words: words)
        let g = TorchGenerator(seed: 42)
        let model = try c.make(vocabulary: vocabulary, generator: g)
        let data = try ContextWindows(wholeWords: words, vocabulary: vocabulary, blockSize: c.blockSize)
        let trainer = Trainer(model: model)
        #expect(trainer.optimizer is AdamW)
        let before = model.loss(on: data)
        var plan = TrainingPlan(steps: steps, batchSize: 8, schedule: schedule, evaluateEvery: nil)
        #expect(trainer.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: g) == .finished)
        return (before, model.loss(on: data))
    }
}

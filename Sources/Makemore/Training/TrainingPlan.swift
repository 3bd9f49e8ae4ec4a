// One `fit` run as a plain value: how many steps, how big a batch, which learning-rate schedule, how
// often to measure the dev loss, and how far it got. Kept after Ctrl-C and in checkpoints, so that
// `fit --resume` finishes it.
import Engine
import Foundation

/// The settings and progress of one training run.
package struct TrainingPlan: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The run's length in steps.
    package var steps: Int
    /// Examples per step, drawn at random with replacement across steps (`torch.randint(0, N, (32,))`);
    /// 0 trains on every example at every step (the neural bigram's full-batch gradient descent).
    package var batchSize: Int
    /// The learning rate of each step of this run.
    package var schedule: LearningRateSchedule
    /// Report every this many steps (and at the end), as the lecture prints every 10,000; nil for never.
    package var evaluateEvery: Int?
    /// Whether a report includes the loss over the whole dev split (a pass over every dev example).
    package var measuresDev = true
    /// Steps of this run already taken.
    package var completed = 0
    /// A text model's batches per part for each loss estimate (gpt.py's `eval_iters`); nil for the
    /// names models, which measure the whole dev split.
    package var estimateIterations: Int?

    /// The most steps one run may take, and the largest batch.
    package static let maximumSteps = 10_000_000, maximumBatchSize = 100_000
    /// The most batches one loss estimate may take per part.
    package static let maximumEstimateIterations = 100_000

    package init(
        steps: Int, batchSize: Int, schedule: LearningRateSchedule, evaluateEvery: Int?, measuresDev: Bool = true
    ) {
        self.steps = steps
        self.batchSize = batchSize
        self.schedule = schedule
        self.evaluateEvery = evaluateEvery
        self.measuresDev = measuresDev
    }

    /// The lecture's schedule for a run of `steps`: 0.1, then 0.01 from the halfway step.
    package static func lectureSchedule(steps: Int) -> LearningRateSchedule {
        steps >= 2 ? .stepwise(0.1, then: [steps / 2: 0.01]) : .constant(0.1)
    }

    /// Checks the numbers, and gives the schedule.
    package func validated() throws(TrainingError) -> LearningRateSchedule {
        guard (1...Self.maximumSteps).contains(steps) else {
            throw .badCount("--steps", steps, "from 1 to \(Self.maximumSteps.grouped)")
        }
        guard (0...Self.maximumBatchSize).contains(batchSize) else {
            throw .badCount("--batch", batchSize, "from 1 to \(Self.maximumBatchSize.grouped), or 0 for every example")
        }
        if let evaluateEvery, evaluateEvery < 1 { throw .badCount("--every", evaluateEvery, "at least 1") }
        if let estimateIterations, !(1...Self.maximumEstimateIterations).contains(estimateIterations) {
            throw .badCount("--eval-iters", estimateIterations, "from 1 to \(Self.maximumEstimateIterations.grouped)")
        }
        return schedule
    }

    /// Reads a plan saved by a checkpoint, whose schedule is a value, or text in the notebook's
    /// schedule syntax in files written before schedules were saved as values: that text is read by
    /// the `ScheduleSyntax` in the decoder's `userInfo`.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        steps = try c.decode(Int.self, forKey: .steps)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        evaluateEvery = try c.decodeIfPresent(Int.self, forKey: .evaluateEvery)
        measuresDev = try c.decodeIfPresent(Bool.self, forKey: .measuresDev) ?? true
        completed = try c.decodeIfPresent(Int.self, forKey: .completed) ?? 0
        estimateIterations = try c.decodeIfPresent(Int.self, forKey: .estimateIterations)
        if let text = try? c.decode(String.self, forKey: .schedule) {
            guard let syntax = decoder.userInfo[.scheduleSyntax] as? ScheduleSyntax else {
                throw DecodingError.dataCorruptedError(
                    forKey: .schedule, in: c,
                    debugDescription: "the schedule '\(text)' is text, and no syntax reads it here")
            }
            schedule = try syntax.read(text, steps)
        } else {
            schedule = try c.decode(LearningRateSchedule.self, forKey: .schedule)
        }
    }

    /// Whether steps remain.
    package var isFinished: Bool { completed >= steps }

    /// `200,000 steps, batch 32, lr 0.1@100000=0.01 (12,000 done)`.
    package var description: String {
        "\(steps.grouped) step\(steps == 1 ? "" : "s"), \(batchSize == 0 ? "every example" : "batch \(batchSize)"), lr \(schedule) (\(completed.grouped) done)"
    }
}

/// How text in the notebook's schedule syntax becomes a schedule (`0.1@100000=0.01` over a run of
/// `steps`): given by the notebook, which owns the syntax, to read checkpoints that saved text.
package struct ScheduleSyntax: Sendable {
    package var read: @Sendable (_ text: String, _ steps: Int) throws -> LearningRateSchedule
    package init(read: @escaping @Sendable (_ text: String, _ steps: Int) throws -> LearningRateSchedule) {
        self.read = read
    }
}

extension CodingUserInfoKey {
    /// Where a decoder finds the ``ScheduleSyntax`` for plans that saved their schedule as text.
    package static let scheduleSyntax = CodingUserInfoKey(rawValue: "gradbook.scheduleSyntax")!
}

extension ModelConfiguration.Kind {
    /// How `fit` trains this kind of model when no option says otherwise: the run of the lecture or
    /// of makemore.py that the model comes from.
    package struct TrainingDefaults: Sendable {
        /// Steps of a run.
        package var steps: Int
        /// Examples per step; 0 for every example.
        package var batchSize: Int
        /// The learning-rate schedule of a run of `steps`.
        package var schedule: @Sendable (_ steps: Int) -> LearningRateSchedule
        /// The optimizer a new model starts with.
        package var optimizer: OptimizerSettings
        /// A text model's eval_interval and eval_iters; nil for the names models.
        package var estimateEvery: Int? = nil
        package var estimateIterations: Int? = nil
    }

    package var trainingDefaults: TrainingDefaults {
        switch self {
        case .neuralBigram:
            // Part 1: gradient descent on every bigram at once, lr 50.
            TrainingDefaults(steps: 200, batchSize: 0, schedule: { _ in .constant(50) }, optimizer: .sgd())
        case .mlp, .batchNormMLP, .backpropMLP:
            // Parts 2 and 3: 200,000 steps of 32, lr 0.1 then 0.01 from half way.
            TrainingDefaults(steps: 200_000, batchSize: 32, schedule: TrainingPlan.lectureSchedule, optimizer: .sgd())
        case .wavenet, .deepBatchNorm:
            // Parts 5 and 3's last cell: 200,000 steps of 32, lr 0.1 then 0.01 for the last quarter
            // (`0.1 if i < 150000 else 0.01`).
            TrainingDefaults(
                steps: 200_000, batchSize: 32,
                schedule: { $0 >= 4 ? .stepwise(0.1, then: [$0 / 4 * 3: 0.01]) : .constant(0.1) },
                optimizer: .sgd())
        case .rnn, .gru, .lstm, .bagOfWords, .transformer:
            // makemore.py: AdamW at a constant 5e-4 (betas 0.9, 0.99; weight decay 0.01), batches of 32.
            TrainingDefaults(
                steps: 20_000, batchSize: 32, schedule: { _ in .constant(5e-4) },
                optimizer: OptimizerSettings(kind: .adamw))
        case .gptBigram:
            // bigram.py: 3,000 steps of 32, AdamW (PyTorch's defaults) at lr 1e-2.
            TrainingDefaults(
                steps: 3_000, batchSize: 32, schedule: { _ in .constant(1e-2) }, optimizer: .torchAdamW(),
                estimateEvery: 300, estimateIterations: 200)
        case .gpt:
            // gpt.py's AdamW (PyTorch's defaults) at lr 3e-4, at the laptop size: 2,000 steps of 32.
            TrainingDefaults(
                steps: 2_000, batchSize: 32, schedule: { _ in .constant(3e-4) }, optimizer: .torchAdamW(),
                estimateEvery: 200, estimateIterations: 50)
        }
    }
}

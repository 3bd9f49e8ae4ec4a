// The training loop of "Let's build GPT" (bigram.py and gpt.py), for a model of a text: the losses are
// estimated on random batches before the step, every eval_interval steps and before the last one,
// all batches drawn from the one generator:
//
//     for iter in range(max_iters):
//         if iter % eval_interval == 0 or iter == max_iters - 1:
//             losses = estimate_loss()                  # eval mode, no grad: eval_iters batches per split
//             print(f"step {iter}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
//         xb, yb = get_batch('train')                   # torch.randint(len(data) - block_size, (batch_size,))
//         logits, loss = model(xb, yb)
//         optimizer.zero_grad(set_to_none=True); loss.backward(); optimizer.step()
import Engine

extension Trainer {
    /// The mean losses of `iterations` random batches of `batchSize` from each part, in evaluation mode
    /// and without a graph (gpt.py's `estimate_loss`); recorded in the history at this step (val as
    /// dev). nil when `shouldStop` said so between batches.
    package func estimateLoss(
        train: ContextWindows, val: ContextWindows, batchSize: Int, iterations: Int, generator: TorchGenerator,
        shouldStop: () -> Bool = { false }
    ) -> (train: Float, val: Float)? {
        var means: [Float] = []
        for data in [train, val] {
            var total: Double = 0
            for _ in 0..<iterations {
                if shouldStop() { return nil }
                let (X, Y) = data.batch(Self.draw(batchSize, below: data.count, generator))  // (B, T), (B, T)
                let loss = model.withMode(training: false) {
                    Tensor.withoutGrad {
                        modelShapes { () throws(ShapeError) in try model.forward(X, targets: Y).loss!.item() }
                    }
                }
                total += Double(loss)
            }
            means.append(Float(total / Double(iterations)))
        }
        for (split, loss) in zip([Split.train, .dev], means) {
            history.evaluations.append(.init(step: stepsTaken, split: split, loss: loss))
        }
        return (means[0], means[1])
    }

    /// Trains a text model from `plan.completed` to `plan.steps` as gpt.py does, estimating the losses
    /// over `estimateIterations` batches per part before step k when k is a multiple of
    /// `plan.evaluateEvery` or the last step.
    ///
    /// - Precondition: `train` and `val` are streams with runs of the model's block size.
    package func runText(
        _ plan: inout TrainingPlan, schedule: LearningRateSchedule, train: ContextWindows, val: ContextWindows,
        estimateIterations: Int, generator: TorchGenerator, report: (TextEvent) -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) -> Outcome {
        precondition(
            train.count > 0 && val.count > 0 && train.blockSize == model.blockSize,
            "training needs runs of the model's block size")
        self.plan = plan
        defer { self.plan = plan }
        model.training = true
        let parameters = model.parameters()
        var previous: StepUndo?
        while plan.completed < plan.steps {
            if shouldStop() { return .stopped }
            let k = plan.completed
            if let every = plan.evaluateEvery, k % every == 0 || k == plan.steps - 1 {
                guard
                    let losses = estimateLoss(
                        train: train, val: val, batchSize: plan.batchSize, iterations: estimateIterations,
                        generator: generator, shouldStop: shouldStop)
                else { return .stopped }
                report(.estimate(k, train: losses.train, val: losses.val))
            }
            let rows = Self.draw(plan.batchSize, below: train.count, generator)
            let (Xb, Yb) = train.batch(rows)  // (B, T), (B, T)
            lastBatch = rows
            lastBatchWindows = train.count
            if let end = step(Xb, Yb, &plan, schedule: schedule, parameters: parameters, previous: &previous) {
                return end
            }
            report(.step(k, loss: history.losses.last!, learningRate: schedule.learningRate(atStep: k)))
        }
        return .finished
    }

    /// What the text loop reports as it goes.
    package enum TextEvent {
        /// After each step: its number (from 0), loss and learning rate.
        case step(Int, loss: Float, learningRate: Double)
        /// Before step k: the estimated train and val losses.
        case estimate(Int, train: Float, val: Float)
    }
}

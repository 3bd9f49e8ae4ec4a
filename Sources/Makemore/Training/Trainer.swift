// The training loop of makemore parts 2 and 3, written once for every language model:
//
//     for i in range(max_steps):
//         ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
//         Xb, Yb = Xtr[ix], Ytr[ix]
//         logits, loss = model(Xb, Yb)
//         for p in parameters: p.grad = None
//         loss.backward()
//         lr = 0.1 if i < 100000 else 0.01
//         for p in parameters: p.data += -lr * p.grad
//         lossi.append(loss.item())
//
// plus what the lectures add by hand: the dev loss every k steps, lecture 3's update:data ratios, a
// stop between steps on request (Ctrl-C), and a stop when the loss stops being a number.
import Engine

/// A model with its optimizer and everything training has recorded: what `fit` drives and a
/// checkpoint saves.
package final class Trainer: CustomStringConvertible {
    package let model: any LanguageModel
    package private(set) var optimizer: any Optimizer
    package private(set) var optimizerSettings: OptimizerSettings
    package var history = TrainingHistory()
    /// The current (or last) run, kept for `fit --resume`.
    package var plan: TrainingPlan?
    /// The rows of the last minibatch (lecture 3 looks inside the network on it).
    package internal(set) var lastBatch: [Int]?
    /// How many examples the split `lastBatch` was drawn from had: its rows index that split only.
    package internal(set) var lastBatchWindows: Int?

    /// Where the minibatch generator stood when a checkpoint saved this trainer (nil otherwise): its
    /// loader puts its own generator there, so that `fit --resume` draws what the whole run would.
    package var savedGenerator: GeneratorState?

    /// Record the update:data ratios every this many steps (lecture 3 records every step of 1,000).
    package var ratioInterval = 1
    /// The weights and optimizer state before the latest update.
    private let snapshot = StepUndo()

    /// A trainer for `model` with `settings`, or the optimizer its kind trains with by default.
    package init(model: any LanguageModel, optimizer settings: OptimizerSettings? = nil) {
        let settings = settings ?? model.configuration.kind.trainingDefaults.optimizer
        self.model = model
        optimizerSettings = settings
        optimizer = settings.make(model.parameters(), learningRate: 0.1)
    }

    /// Steps trained so far, over every run.
    package var stepsTaken: Int { history.steps }

    /// `Trainer(mlp (block 3, embedding 10, hidden 200, randn init), sgd, 200,000 steps trained)`.
    package var description: String {
        "Trainer(\(model.configuration), \(optimizerSettings), \(stepsTaken.grouped) step\(stepsTaken == 1 ? "" : "s") trained)"
    }

    /// Switches to an optimizer with `settings`; its state starts afresh. Returns false (and keeps the
    /// current optimizer and its state) when the settings are the same.
    @discardableResult
    package func useOptimizer(_ settings: OptimizerSettings) -> Bool {
        guard settings != optimizerSettings else { return false }
        optimizerSettings = settings
        optimizer = settings.make(model.parameters(), learningRate: optimizer.learningRate)
        return true
    }

    /// Puts back an optimizer restored from a checkpoint.
    package func restore(optimizer settings: OptimizerSettings, state: OptimizerState) throws(OptimizerStateError) {
        let fresh = settings.make(model.parameters(), learningRate: 0.1)
        try fresh.restore(state)
        (optimizerSettings, optimizer) = (settings, fresh)
    }

    /// How a run ended.
    package enum Outcome: Equatable, Sendable {
        case finished
        /// `shouldStop` said so after this many steps of the run.
        case stopped
        /// The loss of step `step` (of the run) was not a finite number (`loss` is it), or it was but
        /// the update made a weight inf or nan (`loss` is finite); that step was not applied. When the
        /// loss was not finite and the step before it was trained in this run, that step's update led
        /// there and was taken back too (`undidPrevious`): the model keeps the weights whose loss was
        /// the last finite one.
        case diverged(step: Int, loss: Float, undidPrevious: Bool = false)
    }

    /// What the loop reports as it goes.
    package enum Event {
        /// After each step: the run's step number (from 0), its loss and learning rate.
        case step(Int, loss: Float, learningRate: Double)
        /// Step k of the run is one to report (its `.step` event came just before), with the dev loss
        /// measured after it when the plan measures it and there is a dev split.
        case report(Int, devLoss: Float?)
    }

    /// Trains from `plan.completed` to `plan.steps` on `data`, drawing minibatches from `generator`,
    /// reporting step k when k is a multiple of `plan.evaluateEvery` (the lecture prints at
    /// i % 10000 == 0) and after the last step, with the loss on `dev` when the plan measures it.
    ///
    /// - Parameters:
    ///   - schedule: the learning rate of each step of the run (`plan.validated()`).
    ///   - shouldStop: asked before each step; true stops the run there, keeping what was learned.
    /// - Precondition: `data` (and `dev`) have examples and the model's block size.
    package func run(
        _ plan: inout TrainingPlan, schedule: LearningRateSchedule, data: ContextWindows, dev: ContextWindows?,
        generator: TorchGenerator, report: (Event) -> Void = { _ in }, shouldStop: () -> Bool = { false }
    ) -> Outcome {
        precondition(
            data.count > 0 && data.blockSize == model.blockSize, "training needs examples with the model's block size")
        self.plan = plan
        defer { self.plan = plan }
        model.training = true
        let parameters = model.parameters()
        let fullBatch = plan.batchSize == 0 ? data.batch(0..<data.count) : nil  // (N, T), (N,)
        var previous: StepUndo?
        while plan.completed < plan.steps {
            if shouldStop() { return .stopped }
            let k = plan.completed
            let (Xb, Yb): (IndexTensor, IndexTensor)
            if let fullBatch {
                (Xb, Yb) = fullBatch
            } else {
                let rows = Self.draw(plan.batchSize, below: data.count, generator)
                (Xb, Yb) = data.batch(rows)  // (B, T), (B,)
                lastBatch = rows
                lastBatchWindows = data.count
            }
            if let end = step(Xb, Yb, &plan, schedule: schedule, parameters: parameters, previous: &previous) {
                return end
            }
            report(.step(k, loss: history.losses.last!, learningRate: schedule.learningRate(atStep: k)))
            if let every = plan.evaluateEvery, k % every == 0 || plan.isFinished {
                report(.report(k, devLoss: plan.measuresDev ? dev.map { evaluate($0, .dev) } : nil))
            }
        }
        return .finished
    }

    /// One training step of run step `plan.completed` on a batch: forward, zero_grad, backward, the
    /// scheduled lr, the update; recorded in the history. nil when the step was taken, or how the run
    /// ends when it diverged.
    ///
    /// Finite weights can still be so large (AdamW at lr 1e30) that the next loss is nan: then the
    /// update before it (`previous`, the snapshot of this run's last step) is taken back too.
    func step(
        _ Xb: IndexTensor, _ Yb: IndexTensor, _ plan: inout TrainingPlan, schedule: LearningRateSchedule,
        parameters: [Tensor], previous: inout StepUndo?
    ) -> Outcome? {
        let k = plan.completed
        // forward pass
        let loss = modelShapes { () throws(ShapeError) -> Tensor in
            let dataLoss = try model.forward(Xb, targets: Yb).loss!  // ()
            return model.regularization().map { dataLoss + $0 } ?? dataLoss  // ()
        }
        let lossValue = modelShapes { () throws(ShapeError) in try loss.item() }
        guard lossValue.isFinite else {
            guard let saved = previous else { return .diverged(step: k, loss: lossValue) }
            optimizer.takeBack(saved)
            history.removeLastStep()
            plan.completed -= 1
            return .diverged(step: k, loss: lossValue, undidPrevious: true)
        }
        // backward pass
        optimizer.zeroGrad()
        modelShapes { () throws(ShapeError) in try loss.backward() }
        // update
        let lr = schedule.learningRate(atStep: k)
        optimizer.learningRate = lr
        // The weights and the optimizer's state before the update, so that an update that overflows
        // them (a learning rate of 1e30) can be taken back whole.
        optimizer.step(saving: snapshot)
        guard parameters.allSatisfy({ $0.allFinite }) else {
            optimizer.takeBack(snapshot)
            return .diverged(step: k, loss: lossValue)
        }
        previous = snapshot
        if stepsTaken % ratioInterval == 0 { recordRatios(snapshot, parameters) }
        history.losses.append(lossValue)
        history.learningRates.append(Float(lr))
        plan.completed += 1
        return nil
    }

    /// The loss over a whole split, recorded in the history.
    @discardableResult
    package func evaluate(_ data: ContextWindows, _ split: Split) -> Float {
        evaluate(data, split, until: { false }) ?? .nan
    }

    /// The same, stopping between chunks when `shouldStop` says so: nil (and nothing recorded) when stopped.
    package func evaluate(_ data: ContextWindows, _ split: Split, until shouldStop: () -> Bool) -> Float? {
        guard let loss = model.loss(on: data, until: shouldStop) else { return nil }
        history.evaluations.append(.init(step: stepsTaken, split: split, loss: loss))
        return loss
    }

    /// std(p after − p before) / std(p before) for every parameter (lecture 3: `(lr*p.grad).std() / p.data.std()`,
    /// which is the same for plain SGD and, measured on the update itself, right for any optimizer).
    private func recordRatios(_ before: StepUndo, _ parameters: [Tensor]) {
        var offset = 0
        let ratios = parameters.map { p -> Float in
            let old = Array(before.weights[offset..<offset + p.count])
            offset += p.count
            return p.withUnsafeBufferPointer { new in
                var delta = [Float](repeating: 0, count: old.count)
                for i in old.indices { delta[i] = new[i] - old[i] }
                let spread = meanAndStandardDeviation(old).std
                return spread > 0 ? Float(meanAndStandardDeviation(delta).std / spread) : 0
            }
        }
        history.updateRatios.append(.init(step: stepsTaken, ratios: ratios))
    }

    /// `torch.randint(0, n, (count,), generator=g)`.
    static func draw(_ count: Int, below n: Int, _ generator: TorchGenerator) -> [Int] {
        do { return try generator.randint(low: 0, high: n, count: count) } catch {
            preconditionFailure("batch sizes are checked before training: \(error)")
        }
    }

}

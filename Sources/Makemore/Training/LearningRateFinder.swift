// The learning-rate range test of makemore part 2, run on a model without changing it: one step per
// learning rate, from 10^-3 up to 10^0, recording each step's loss; then the weights are put back. The
// steps are the model's own optimizer's (the lecture's plain SGD; AdamW for makemore's models), fresh.
//
//     lre = torch.linspace(-3, 0, 1000); lrs = 10**lre
//     for i in range(1000):
//         ... forward, backward ...
//         lr = lrs[i]
//         for p in parameters: p.data += -lr * p.grad
//         lri.append(lre[i]); lossi.append(loss.item())
import Engine

extension Trainer {
    /// The loss of each step of `sweep` (a fresh optimizer with the trainer's settings at the sweep's
    /// learning rates, minibatches of `batchSize` drawn from `generator`), stopping early when the loss
    /// is no longer a number or `shouldStop` says so; `progress` hears of each step. The model's
    /// weights, batch norm statistics, optimizer and history are as they were afterwards.
    package func rangeTest(
        _ sweep: LearningRateRangeTest, data: ContextWindows, batchSize: Int, generator: TorchGenerator,
        progress: (_ step: Int, _ loss: Double) -> Void = { _, _ in }, shouldStop: () -> Bool = { false }
    ) -> [Double] {
        precondition(
            data.count > 0 && data.blockSize == model.blockSize && batchSize > 0,
            "a range test needs examples and a batch")
        let parameters = model.parameters()
        let saved = (weights: WeightSnapshot(of: model), training: model.training)
        defer {
            saved.weights.restore(into: model)
            for p in parameters { p.zeroGrad() }
            model.training = saved.training
        }
        model.training = true
        let stepper = optimizerSettings.make(parameters, learningRate: sweep.learningRate(atStep: 0))
        var losses: [Double] = []
        for i in 0..<sweep.steps {
            if shouldStop() { break }
            let (Xb, Yb) = data.batch(Self.draw(batchSize, below: data.count, generator))  // (B, T), (B,)
            let loss = modelShapes { () throws(ShapeError) -> Tensor in
                let dataLoss = try model.forward(Xb, targets: Yb).loss!
                return model.regularization().map { dataLoss + $0 } ?? dataLoss  // ()
            }
            let value = Double(modelShapes { () throws(ShapeError) in try loss.item() })
            losses.append(value)
            progress(i, value)
            guard value.isFinite else { break }
            stepper.zeroGrad()
            modelShapes { () throws(ShapeError) in try loss.backward() }
            stepper.learningRate = sweep.learningRate(atStep: i)
            stepper.step()
        }
        return losses
    }
}

// Lecture 3's "calibrate the batch norm at the end of training": instead of trusting the running
// estimates kept during training, measure each batch-norm layer's input mean and variance over the
// whole training split, once, and use those for evaluation and sampling.
//
//     with torch.no_grad():
//         hpreact = embcat @ W1                        # over every training example
//         bnmean = hpreact.mean(0, keepdim=True)
//         bnstd = hpreact.std(0, keepdim=True)
//
// With several batch-norm layers (WaveNet's three) each is calibrated in turn, the layers before it
// already using their calibrated statistics, so every layer sees the inputs it will see at evaluation.
//
// Shapes: N = examples, T = block size, C = channels of a batch-norm layer.
import Engine

extension LayeredLanguageModel {
    /// Sets every batch-norm layer's running mean and (unbiased) variance to those of its input over all
    /// of `data`, in order, and returns how many layers it set (0 for a model without batch norm).
    /// The weights and the mode are unchanged.
    /// - Precondition: `data` has examples for this model.
    @discardableResult
    package func calibrateBatchNorm(on data: ContextWindows, chunk: Int = 8_192) -> Int {
        precondition(
            data.count > 0 && data.blockSize == blockSize, "calibration needs examples with the model's block size")
        let layers = network.layers
        let norms = layers.indices.filter { layers[$0] is BatchNorm1d }
        guard !norms.isEmpty else { return 0 }
        withMode(training: false) {
            Tensor.withoutGrad {
                for k in norms {
                    guard let norm = layers[k] as? BatchNorm1d else { continue }
                    let C = norm.dimension
                    var sum = [Double](repeating: 0, count: C)
                    var sumOfSquares = [Double](repeating: 0, count: C)
                    var n = 0
                    for start in stride(from: 0, to: data.count, by: chunk) {
                        let (X, _) = data.batch(start..<min(start + chunk, data.count))  // (b, T)
                        let x = modelShapes { () throws(ShapeError) -> Tensor in
                            var x = try layers[0].forward(indices: X)  // (b, T, E)
                            for layer in layers[1..<k] { x = try layer.forward(x) }
                            return x  // (b, …, C): the input of layer k
                        }
                        x.contiguous().withUnsafeBufferPointer { values in
                            for r in 0..<(values.count / C) {
                                for c in 0..<C {
                                    let v = Double(values[r * C + c])
                                    sum[c] += v
                                    sumOfSquares[c] += v * v
                                }
                            }
                            n += values.count / C
                        }
                    }
                    let mean = sum.map { $0 / Double(n) }  // (C,)
                    let variance = (0..<C).map { c in  // (C,), unbiased as torch.std
                        max(0, (sumOfSquares[c] - Double(n) * mean[c] * mean[c]) / Double(max(1, n - 1)))
                    }
                    norm.runningMean.withUnsafeMutableBufferPointer { for c in 0..<C { $0[c] = Float(mean[c]) } }
                    norm.runningVar.withUnsafeMutableBufferPointer { for c in 0..<C { $0[c] = Float(variance[c]) } }
                }
            }
        }
        return norms.count
    }
}

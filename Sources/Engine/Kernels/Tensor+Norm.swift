// Normalisation layers as fused ops: layer norm (Ba et al. 2016, GPT's LayerNorm) over the last
// dim, and the lecture's batch norm (Ioffe & Szegedy 2015) over every dim but the last, with running
// statistics. Forward and backward follow llm.c's layernorm_forward / layernorm_backward.
//
// Shapes: C = channels (the last dim), R = rows = every other element position; x is (…, C) = (R, C).

extension Tensor {
    /// (x - mean) / √(var + eps) · weight + bias over the last dim, with the biased variance, as
    /// `F.layer_norm(x, (C,), weight, bias)`. `weight` and `bias` have C elements or are `nil`.
    ///
    /// Backward, with x̂ the normalised x and dx̂ = dout·weight:
    /// dx = (dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)) / √(var + eps); dweight += Σ dout·x̂; dbias += Σ dout.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) throws(ShapeError) -> Tensor {
        guard let C = shape.last, C > 0 else {
            throw ShapeError("layer_norm", "needs a last dim to normalise over, got \(formatShape(shape))")
        }
        for (p, name) in [(weight, "weight"), (bias, "bias")] {
            if let p, p.count != C {
                throw ShapeError(
                    "layer_norm", "\(name) has shape \(formatShape(p.shape)); it needs \(C) elements, one per channel")
            }
        }
        let R = count / C
        let inp = dense()
        let w = weight.channelValues(or: 1, C)
        let b = bias.channelValues(or: 0, C)  // (C,)
        let out = Tensor(uninitializedShape: shape, op: "layer_norm")  // (R, C)
        out.track([self] + [weight, bias].compactMap { $0 })
        var mean = [Float](repeating: 0, count: R)
        var rstd = [Float](repeating: 0, count: R)  // (R,)
        withExtendedLifetime(inp) {
            w.withUnsafeBufferPointer { w in
                b.withUnsafeBufferPointer { b in
                    for r in 0..<R {
                        let x = inp.pointer + r * C
                        let m = Vec8.sum(x, C) / Float(C)
                        let v = Vec8.sum(C) { j in
                            (x[j] - m) * (x[j] - m)
                        } lanes: { j in
                            let d = Vec8.load(x + j) - m
                            return d * d
                        }
                        let s = 1 / (v / Float(C) + eps).squareRoot()
                        let y = out.pointer + r * C
                        Vec8.forEach(C) { j in
                            y[j] = (x[j] - m) * s * w[j] + b[j]
                        } lanes: { j in
                            let norm = (Vec8.load(x + j) - m) * s
                            Vec8.store(norm * Vec8.load(w.baseAddress! + j) + Vec8.load(b.baseAddress! + j), y + j)
                        }
                        mean[r] = m
                        rstd[r] = s
                    }
                }
            }
        }
        out.onBackward { out in
            let dout = out.gradBuffer()
            let (dinp, fresh) = self.requiresGrad ? self.gradBufferToWrite() : (nil, false)
            var dw = [Float](repeating: 0, count: C)
            var db = [Float](repeating: 0, count: C)  // (C,)
            w.withUnsafeBufferPointer { w in
                dw.withUnsafeMutableBufferPointer { dw in
                    db.withUnsafeMutableBufferPointer { db in
                        let (w, dw, db) = (w.baseAddress!, dw.baseAddress!, db.baseAddress!)
                        for r in 0..<R {
                            let x = inp.pointer + r * C
                            let g = dout + r * C
                            let m = mean[r]
                            let s = rstd[r]
                            // Σ dx̂ and Σ dx̂·x̂ over the row, in eight partial sums
                            var laneMean = SIMD8<Float>()
                            var laneNormMean = SIMD8<Float>()
                            var j = 0
                            while j + 8 <= C {
                                let norm = (Vec8.load(x + j) - m) * s
                                let gj = Vec8.load(g + j)
                                let dnorm = gj * Vec8.load(w + j)
                                laneMean += dnorm
                                laneNormMean += dnorm * norm
                                Vec8.store(Vec8.load(db + j) + gj, db + j)
                                Vec8.store(Vec8.load(dw + j) + norm * gj, dw + j)
                                j += 8
                            }
                            var dnormMean = laneMean.sum()
                            var dnormNormMean = laneNormMean.sum()
                            while j < C {
                                let norm = (x[j] - m) * s
                                let dnorm = g[j] * w[j]
                                dnormMean += dnorm
                                dnormNormMean += dnorm * norm
                                db[j] += g[j]
                                dw[j] += norm * g[j]
                                j += 1
                            }
                            dnormMean /= Float(C)
                            dnormNormMean /= Float(C)
                            guard let dinp else { continue }
                            let dx = dinp + r * C
                            Vec8.forEach(C) { j in
                                let d = (g[j] * w[j] - dnormMean - (x[j] - m) * s * dnormNormMean) * s
                                dx[j] = fresh ? d : dx[j] + d
                            } lanes: { j in
                                let norm = (Vec8.load(x + j) - m) * s
                                let d = (Vec8.load(g + j) * Vec8.load(w + j) - dnormMean - norm * dnormNormMean) * s
                                Vec8.store(fresh ? d : Vec8.load(dx + j) + d, dx + j)
                            }
                        }
                    }
                }
            }
            weight?.accumulateGrad(dw)
            bias?.accumulateGrad(db)
        }
        return out
    }

    /// Batch normalisation over every dim but the last (channels last: (N, C), or (N, L, C) as in the
    /// lecture's WaveNet), `gain · (x - mean) / √(var + eps) + bias`, with the variance that
    /// `statistics` names (see ``BatchNormStatistics``).
    ///
    /// - `training`: normalise with the batch's mean and variance, then update the running
    ///   statistics in place: `running = (1 - momentum)·running + momentum·batch`, with the *unbiased*
    ///   variance for `runningVar` (or the unbiased std, for lecture 3's form), as `nn.BatchNorm1d` does.
    /// - not `training`: normalise with `runningMean` and `runningVar` (both required).
    ///
    /// Backward in training, with x̂ the normalised x, dx̂ = dout·gain, R rows and k the variance's
    /// divisor (R, or R - 1 when unbiased): dx = (dx̂ - Σ dx̂ / R - x̂·Σ dx̂·x̂ / k) / √(var + eps).
    /// In evaluation dx = dx̂ / √(var + eps).
    public func batchNorm(
        gain: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
        training: Bool, momentum: Float = 0.1, eps: Float = 1e-5, statistics: BatchNormStatistics = .torch
    ) throws(ShapeError) -> Tensor {
        guard shape.count >= 2, let C = shape.last, C > 0 else {
            throw ShapeError(
                "batch_norm", "needs (N, C) or (N, L, C) input with channels last, got \(formatShape(shape))")
        }
        let stats = [(gain, "gain"), (bias, "bias"), (runningMean, "runningMean"), (runningVar, "runningVar")]
        for (p, name) in stats {
            if let p, p.count != C || p.shape.last != C {
                throw ShapeError(
                    "batch_norm",
                    "\(name) has shape \(formatShape(p.shape)); it needs \(C) elements along its last dim, one per channel"
                )
            }
        }
        for (p, name) in [(runningMean, "runningMean"), (runningVar, "runningVar")] where p?.isContiguous == false {
            throw ShapeError(
                "batch_norm",
                "\(name) is a strided view; running statistics are updated in place and must be contiguous")
        }
        let R = count / C
        let eps = statistics == .lecture3 ? 0 : eps
        let divisor = Float(statistics == .torch ? R : R - 1)  // k, the variance's divisor
        guard !training || R > 1 else {
            throw ShapeError("batch_norm", "training needs more than one value per channel; got \(formatShape(shape))")
        }
        guard training || (runningMean != nil && runningVar != nil) else {
            throw ShapeError("batch_norm", "evaluation needs runningMean and runningVar")
        }
        let inp = dense()
        let g = gain.channelValues(or: 1, C)
        let b = bias.channelValues(or: 0, C)  // (C,)
        let out = Tensor(uninitializedShape: shape, op: "batch_norm")  // (R, C)
        out.track([self] + [gain, bias].compactMap { $0 })
        var mean = [Float](repeating: 0, count: C)
        var rstd = [Float](repeating: 0, count: C)  // (C,)
        var std = [Float](repeating: 1, count: C)  // (C,) √(var + eps)
        withExtendedLifetime(inp) {
            let x = inp.pointer
            if training {
                // Mean and Σ(x - mean)² in double, as PyTorch's mean and var accumulate.
                var means = [Double](repeating: 0, count: C)
                var squares = [Double](repeating: 0, count: C)  // (C,)
                means.withUnsafeMutableBufferPointer { m in
                    squares.withUnsafeMutableBufferPointer { q in
                        for r in 0..<R { for c in 0..<C { m[c] += Double(x[r * C + c]) } }
                        for c in 0..<C { m[c] /= Double(R) }
                        for r in 0..<R {
                            for c in 0..<C {
                                let d = Double(x[r * C + c]) - m[c]
                                q[c] += d * d
                            }
                        }
                    }
                }
                for c in 0..<C { mean[c] = Float(means[c]) }
                let variance = squares.map { Float($0) }  // (C,) Σ(x - mean)²
                for c in 0..<C {
                    std[c] = (variance[c] / divisor + eps).squareRoot()
                    rstd[c] = 1 / std[c]
                }
                runningMean?.updateRunning(with: mean, momentum: momentum, scale: 1)
                if statistics == .lecture3 {  // the lecture keeps a running std: 0.999·running + 0.001·std
                    runningVar?.updateRunning(with: std, momentum: momentum, scale: 1)
                } else {
                    runningVar?.updateRunning(with: variance, momentum: momentum, scale: 1 / Float(R - 1))
                }
            } else if let rm = runningMean, let rv = runningVar {  // contiguous, checked above
                for c in 0..<C {
                    mean[c] = rm.pointer[c]
                    std[c] = statistics == .lecture3 ? rv.pointer[c] : (rv.pointer[c] + eps).squareRoot()
                    rstd[c] = 1 / std[c]
                }
            }
            let y = out.pointer
            switch statistics {
            case .lecture3:  // the cell's order: gain · (x - mean) / std + bias
                for r in 0..<R {
                    for c in 0..<C { y[r * C + c] = g[c] * (x[r * C + c] - mean[c]) / std[c] + b[c] }
                }
            case .lecture5:  // the class's order: x̂ = (x - mean) / √(var + eps), then gain · x̂ + bias
                for r in 0..<R {
                    for c in 0..<C { y[r * C + c] = g[c] * ((x[r * C + c] - mean[c]) / std[c]) + b[c] }
                }
            case .torch:
                for r in 0..<R {
                    for c in 0..<C { y[r * C + c] = (x[r * C + c] - mean[c]) * rstd[c] * g[c] + b[c] }
                }
            }
        }
        out.onBackward { out in
            let dout = out.gradBuffer()
            let x = inp.pointer
            var dg = [Float](repeating: 0, count: C)
            var db = [Float](repeating: 0, count: C)  // (C,)
            for r in 0..<R {
                for c in 0..<C {
                    let xhat = (x[r * C + c] - mean[c]) * rstd[c]
                    let dy = dout[r * C + c]
                    dg[c] += dy * xhat
                    db[c] += dy
                }
            }
            gain?.accumulateGrad(dg)
            bias?.accumulateGrad(db)
            guard self.requiresGrad else { return }
            // Σ dx̂ = gain·Σ dout and Σ dx̂·x̂ = gain·Σ dout·x̂, per channel.
            let dinp = self.gradBuffer()
            let n = Float(R)
            for r in 0..<R {
                for c in 0..<C {
                    let xhat = (x[r * C + c] - mean[c]) * rstd[c]
                    let dxhat = dout[r * C + c] * g[c]
                    dinp[r * C + c] +=
                        training
                        ? rstd[c] * (dxhat - g[c] * db[c] / n - xhat * g[c] * dg[c] / divisor)
                        : dxhat * rstd[c]
                }
            }
        }
        return out
    }

    /// Adds `values` into the gradient when this tensor needs one (a weight's share of a backward pass).
    fileprivate func accumulateGrad(_ values: [Float]) {
        guard requiresGrad else { return }
        let d = gradBuffer()
        for i in values.indices { d[i] += values[i] }
    }

    /// `self = (1 - momentum)·self + momentum·scale·batch`, in place (a running statistic).
    private func updateRunning(with batch: [Float], momentum: Float, scale: Float) {
        withUnsafeMutableBufferPointer { running in
            for c in running.indices { running[c] = (1 - momentum) * running[c] + momentum * scale * batch[c] }
        }
    }
}

/// Which variance a batch norm divides by. The lectures wrote their own batch norms with PyTorch's
/// default, unbiased estimates; `nn.BatchNorm1d` normalises with the biased one.
public enum BatchNormStatistics: String, Sendable, Codable, CaseIterable {
    /// `nn.BatchNorm1d`: the biased variance, Σ(x - mean)² / R, plus eps.
    case torch
    /// Lecture 5's `BatchNorm1d`: `x.var(dim, keepdim=True)`, unbiased (÷ (R - 1)), plus eps.
    case lecture5
    /// Lecture 3's cell: `(x - x.mean(0)) / x.std(0)`, the unbiased std with no eps; the running
    /// statistic kept beside the mean is the std itself (`bnstd_running`), not a variance.
    case lecture3
}

extension Optional where Wrapped == Tensor {
    /// The C values of a per-channel weight, or `fill` repeated when there is none.
    fileprivate func channelValues(or fill: Float, _ C: Int) -> [Float] {
        self?.scalars ?? [Float](repeating: fill, count: C)
    }
}

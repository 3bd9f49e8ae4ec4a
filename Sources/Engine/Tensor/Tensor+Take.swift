// Indexing by positions, for the notebook's `x[...]` with index tensors and lists (PyTorch's
// advanced indexing): `take` gathers elements by their row-major position (backward: scatter-add,
// so an element picked twice gets both gradients), `put` writes values into positions in place.
// Also the few elementwise ops the notebook needs beyond the models': abs and clamp.
import Foundation

extension Tensor {
    /// The elements at row-major `positions` of `self`, laid out as `shape`, as `torch.take`:
    /// `logprobs[range(n), Yb]` is `take` of `i * 27 + Yb[i]`.
    public func take(_ positions: [Int], shape: [Int]) throws(ShapeError) -> Tensor {
        let n = try Tensor.elementCount(shape, op: "index")
        guard positions.count == n else {
            throw ShapeError("index", "\(positions.count) positions cannot fill shape \(formatShape(shape))")
        }
        for p in positions where p < 0 || p >= count {
            throw ShapeError("index", "position \(p) is outside a tensor of \(count) elements")
        }
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "index", inputs: self)  // (shape)
        withExtendedLifetime(inp) {
            for (i, p) in positions.enumerated() { out.pointer[i] = inp.pointer[p] }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            for (i, p) in positions.enumerated() { dinp[p] += dout[i] }
        }
        return out
    }

    /// Writes `values` (broadcast to `positions.count` elements in order) into the row-major
    /// `positions` of `self`, in place and outside the graph, as `x[idx] = v`. The last write to a
    /// position repeated in `positions` wins, as in PyTorch.
    public func put(_ positions: [Int], _ values: [Float]) throws(ShapeError) {
        guard values.count == positions.count || values.count == 1 else {
            throw ShapeError("index", "\(values.count) values cannot fill \(positions.count) positions")
        }
        for p in positions where p < 0 || p >= count {
            throw ShapeError("index", "position \(p) is outside a tensor of \(count) elements")
        }
        let strides = self.strides
        let shape = self.shape
        for (i, p) in positions.enumerated() {
            // Row-major position → storage offset through this tensor's (possibly strided) layout.
            var rest = p
            var at = 0
            for d in stride(from: shape.count - 1, through: 0, by: -1) {
                at += (rest % shape[d]) * strides[d]
                rest /= shape[d]
            }
            pointer[at] = values.count == 1 ? values[0] : values[i]
        }
    }

    /// A copy of `self` with the row-major `positions` set to `values` (one value per position, in
    /// order), as PyTorch records `x[idx] = v` on a tensor in the graph: the gradient of each written
    /// position flows to the value written last there, every other position's to `self`.
    public func replacing(_ positions: [Int], with values: Tensor) throws(ShapeError) -> Tensor {
        guard values.count == positions.count else {
            throw ShapeError("index", "\(values.count) values cannot fill \(positions.count) positions")
        }
        for p in positions where p < 0 || p >= count {
            throw ShapeError("index", "position \(p) is outside a tensor of \(count) elements")
        }
        let inp = dense()
        let source = values.dense()
        let out = Tensor(uninitializedShape: shape, op: "index_put", inputs: self, values)  // (…)
        // The write each position keeps: the last one.
        var writer = [Int](repeating: -1, count: count)
        for (i, p) in positions.enumerated() { writer[p] = i }
        withExtendedLifetime((inp, source)) {
            for i in 0..<count { out.pointer[i] = writer[i] >= 0 ? source.pointer[writer[i]] : inp.pointer[i] }
        }
        out.onBackward { out in
            let dout = out.gradBuffer()
            if self.requiresGrad {
                let dinp = self.gradBuffer()
                for i in 0..<out.count where writer[i] < 0 { dinp[i] += dout[i] }
            }
            if values.requiresGrad {
                let dvalues = values.gradBuffer()
                for i in 0..<out.count where writer[i] >= 0 { dvalues[writer[i]] += dout[i] }
            }
        }
        return out
    }

    /// Forgets the gradient, as `x.grad = None`: the next backward pass starts it from zeros.
    public func clearGrad() { grad = nil }

    /// Sets the gradient to a copy of `values` (same shape), or clears it: for putting gradients back
    /// after a computation that needed the graph's own.
    public func setGrad(_ values: Tensor?) throws(ShapeError) {
        guard let values else {
            grad = nil
            return
        }
        try values.expectShape(shape, "the gradient", op: "setGrad")
        grad = try Tensor(shape: shape, values: values.scalars)
    }

    /// The tensors this one was computed from that need gradients (none for a leaf).
    public var inputs: [Tensor] { parents }

    /// Every tensor this one's value depends on that needs a gradient, each after its inputs,
    /// ending with this one.
    public var graph: [Tensor] { topologicalOrder() }

    /// `self op s` for a number `s`, elementwise and exactly as the same op with a 0-D tensor (no
    /// fused multiply-add, -0.0 kept): the notebook's `x * 0.1`, `x + 1`, `x - s`, `x / n`.
    public func scalarOp(_ op: ScalarOp, _ s: Float) -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: op.name, inputs: self)  // (…)
        withExtendedLifetime(inp) {
            switch op {
            case .add: Vec8.map(inp.pointer, out.pointer, count) { $0 + SIMD8(repeating: s) }
            case .subtract: Vec8.map(inp.pointer, out.pointer, count) { $0 - SIMD8(repeating: s) }
            case .multiply: Vec8.map(inp.pointer, out.pointer, count) { $0 * SIMD8(repeating: s) }
            case .divide: Vec8.map(inp.pointer, out.pointer, count) { $0 / SIMD8(repeating: s) }
            }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            switch op {
            case .add, .subtract: for i in 0..<out.count { dinp[i] += dout[i] }
            case .multiply: for i in 0..<out.count { dinp[i] += dout[i] * s }
            case .divide: for i in 0..<out.count { dinp[i] += dout[i] / s }
            }
        }
        return out
    }

    /// The ops ``scalarOp(_:_:)`` applies.
    public enum ScalarOp: Sendable {
        case add, subtract, multiply, divide
        var name: String {
            switch self {
            case .add: "add"
            case .subtract: "sub"
            case .multiply: "mul"
            case .divide: "div"
            }
        }
    }

    /// Whether `self` and `other` are views of the same values (`x.data` and `x`).
    public func sharesStorage(with other: Tensor) -> Bool {
        storage === other.storage && offset == other.offset && shape == other.shape && viewStrides == other.viewStrides
    }

    /// base^x, elementwise (`10 ** lre`, the lecture's learning rates). ∂/∂x = base^x · ln(base).
    public func exponentiating(base: Float) -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "rpow", inputs: self)  // (…)
        withExtendedLifetime(inp) { for i in 0..<count { out.pointer[i] = Foundation.pow(base, inp.pointer[i]) } }
        let logBase = Foundation.log(base)
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let y = out.pointer
            for i in 0..<out.count { dinp[i] += dout[i] * y[i] * logBase }
        }
        return out
    }

    /// |x|, elementwise. ∂/∂x = sign(x), 0 at 0 (as PyTorch).
    public func absolute() -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "abs", inputs: self)  // (…)
        withExtendedLifetime(inp) { for i in 0..<count { out.pointer[i] = Swift.abs(inp.pointer[i]) } }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let x = inp.pointer
            for i in 0..<out.count { dinp[i] += x[i] > 0 ? dout[i] : x[i] < 0 ? -dout[i] : 0 }
        }
        return out
    }

    /// x limited to [low, high] (either bound may be absent), as `clamp(min=, max=)`. The gradient
    /// passes where x is within the bounds.
    public func clamp(min low: Float?, max high: Float?) -> Tensor {
        let inp = dense()
        let out = Tensor(uninitializedShape: shape, op: "clamp", inputs: self)  // (…)
        withExtendedLifetime(inp) {
            for i in 0..<count {
                var v = inp.pointer[i]
                if let low, v < low { v = low }
                if let high, v > high { v = high }
                out.pointer[i] = v
            }
        }
        out.onBackward { out in
            let dinp = self.gradBuffer()
            let dout = out.gradBuffer()
            let x = inp.pointer
            for i in 0..<out.count {
                let inside = (low.map { x[i] >= $0 } ?? true) && (high.map { x[i] <= $0 } ?? true)
                if inside { dinp[i] += dout[i] }
            }
        }
        return out
    }
}

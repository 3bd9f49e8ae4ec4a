// Every way a user can combine tensors wrongly gets a `ShapeError` with a readable message (never a
// trap): one table row per error path, with the exact message expected.
import Engine
import Testing

/// A call that must throw, and the message it must throw with.
struct ShapeMistake: Sendable, CustomTestStringConvertible {
    let message: String
    let call: @Sendable () throws -> Void
    init(_ message: String, _ call: @escaping @Sendable () throws -> Void) {
        self.message = message
        self.call = call
    }
    var testDescription: String { message }
}

private func t(_ shape: Int...) -> Tensor { Tensor(repeating: 0.5, shape: shape) }

extension Tensor {
    fileprivate convenience init(repeating value: Float, shape: [Int]) {
        try! self.init(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
    }
}

let shapeMistakes: [ShapeMistake] = [
    ShapeMistake("matmul: (32, 30) @ (20, 200): inner dimensions 30 and 20 differ") {
        _ = try t(32, 30).matmul(t(20, 200))
    },
    ShapeMistake("matmul: (2, 3, 4) @ (5, 4, 6): batch dims (2,) and (5,) do not broadcast") {
        _ = try t(2, 3, 4).matmul(t(5, 4, 6))
    },
    ShapeMistake("matmul: () @ (3,): both operands need at least 1 dim (use * to scale by a scalar)") {
        _ = try Tensor(2).matmul(t(3))
    },
    ShapeMistake("add: (4, 5) + (4,): sizes 5 and 4 differ at dim -1 (each pair must match or one be 1)") {
        _ = try t(4, 5).add(t(4))
    },
    ShapeMistake("sub: (2, 3) - (3, 3): sizes 2 and 3 differ at dim -2 (each pair must match or one be 1)") {
        _ = try t(2, 3).sub(t(3, 3))
    },
    ShapeMistake("mul: (4, 5) * (4, 2): sizes 5 and 2 differ at dim -1 (each pair must match or one be 1)") {
        _ = try t(4, 5).mul(t(4, 2))
    },
    ShapeMistake("div: (3,) / (2,): sizes 3 and 2 differ at dim -1 (each pair must match or one be 1)") {
        _ = try t(3).div(t(2))
    },
    ShapeMistake("view: cannot view (32, 3, 10) (960 elements) as (32, 31) (992 elements)") {
        _ = try t(32, 3, 10).view(32, 31)
    },
    ShapeMistake("view: cannot view (32, 3, 10) (960 elements) as (-1, 7): 960 is not a multiple of 7") {
        _ = try t(32, 3, 10).view(-1, 7)
    },
    ShapeMistake("view: (-1, -1) has more than one -1") { _ = try t(4, 4).view(-1, -1) },
    ShapeMistake("view: size -3 in (-3, 2) is negative (only -1, meaning 'infer', is allowed)") {
        _ = try t(6).view(-3, 2)
    },
    ShapeMistake(
        "view: this (3, 2) strided view (after transpose, permute or a slice) cannot be seen as (6,) without copying; use reshape, or call contiguous() first"
    ) {
        _ = try t(2, 3).transpose(0, 1).view(6)
    },
    ShapeMistake("reshape: cannot view (2, 3) (6 elements) as (4,) (4 elements)") { _ = try t(2, 3).reshape(4) },
    ShapeMistake("sum: dim 2 is out of range for a 2-D tensor (expected -2...1)") { _ = try t(3, 4).sum(dim: 2) },
    ShapeMistake("sum: dim -1 is listed twice") { _ = try t(3, 4).sum(dims: [1, -1]) },
    ShapeMistake("mean: dim -3 is out of range for a 2-D tensor (expected -2...1)") { _ = try t(3, 4).mean(dim: -3) },
    ShapeMistake("variance: dim 5 is out of range for a 1-D tensor (expected -1...0)") {
        _ = try t(3).variance(dim: 5)
    },
    ShapeMistake("max: dim 1 is empty: a max of nothing is undefined") { _ = try t(3, 0).max(dim: 1) },
    ShapeMistake("softmax: dim 2 is out of range for a 2-D tensor (expected -2...1)") {
        _ = try t(3, 4).softmax(dim: 2)
    },
    ShapeMistake("log_softmax: dim -3 is out of range for a 2-D tensor (expected -2...1)") {
        _ = try t(3, 4).logSoftmax(dim: -3)
    },
    ShapeMistake("transpose: dim 3 is out of range for a 3-D tensor (expected -3...2)") {
        _ = try t(2, 3, 4).transpose(0, 3)
    },
    ShapeMistake("permute: dim 0 appears twice in [0, 0, 1]") { _ = try t(2, 3, 4).permute([0, 0, 1]) },
    ShapeMistake("permute: 2 dims given for a 3-D tensor; give each dim once") { _ = try t(2, 3, 4).permute([1, 0]) },
    ShapeMistake(
        "cat: tensor 1 has shape (2, 3) but tensor 0 has (3, 3): sizes differ at dim 0 (only dim 1 may differ)"
    ) {
        _ = try Tensor.cat([t(3, 3), t(2, 3)], dim: 1)
    },
    ShapeMistake("cat: tensor 1 has shape (3,) but tensor 0 has (3, 3): ranks differ") {
        _ = try Tensor.cat([t(3, 3), t(3)], dim: 0)
    },
    ShapeMistake("cat: needs at least one tensor") { _ = try Tensor.cat([], dim: 0) },
    ShapeMistake("stack: tensor 1 has shape (2,) but tensor 0 has (3,); all must match") {
        _ = try Tensor.stack([t(3), t(2)], dim: 0)
    },
    ShapeMistake("slice: range 2..<5 is out of bounds for dim 1 of size 4") { _ = try t(3, 4).slice(2..<5, dim: 1) },
    ShapeMistake("select: index 4 is out of range for dim 0 of size 4") { _ = try t(4, 2).select(4, dim: 0) },
    ShapeMistake("select: index -5 is out of range for dim 0 of size 4") { _ = try t(4, 2).select(-5, dim: 0) },
    ShapeMistake("unsqueeze: dim 3 is out of range for a 2-D tensor (expected -3...2)") {
        _ = try t(2, 2).unsqueeze(3)
    },
    ShapeMistake("embedding: index 27 at position 1 is out of range for 27 rows of the table (0...26)") {
        _ = try t(27, 10).embedding(IndexTensor([3, 27]))
    },
    ShapeMistake("embedding: index -1 at position 0 is out of range for 5 rows of the table (0...4)") {
        _ = try t(5, 2)[IndexTensor([-1])]
    },
    ShapeMistake("cross_entropy: logits must be 2-D (N, classes), got (4, 8, 27); flatten with view(-1, 27)") {
        _ = try t(4, 8, 27).crossEntropy(targets: IndexTensor([0]))
    },
    ShapeMistake("cross_entropy: targets (3,) must be (4,), one class per row of logits (4, 27)") {
        _ = try t(4, 27).crossEntropy(targets: IndexTensor([0, 1, 2]))
    },
    ShapeMistake("cross_entropy: index 27 at position 2 is out of range for 27 classes (0...26)") {
        _ = try t(3, 27).crossEntropy(targets: IndexTensor([0, 1, 27]))
    },
    ShapeMistake("cross_entropy: index -1 at position 0 is out of range for 27 classes (0...26)") {
        _ = try t(1, 27).crossEntropy(targets: IndexTensor([-1]))
    },
    ShapeMistake("one_hot: index 5 at position 0 is out of range for 5 classes (0...4)") {
        _ = try IndexTensor([5]).oneHot(classes: 5)
    },
    ShapeMistake("masked_fill: the mask (2, 4, 4) must broadcast to the tensor's shape (4, 4), not enlarge it") {
        _ = try t(4, 4).maskedFill(t(2, 4, 4), value: 0)
    },
    ShapeMistake(
        "masked_fill: (4, 4) masked by (3, 4): sizes 4 and 3 differ at dim -2 (each pair must match or one be 1)"
    ) {
        _ = try t(4, 4).maskedFill(t(3, 4), value: 0)
    },
    ShapeMistake("tril: needs at least 2 dims, got (4,)") { _ = try t(4).tril() },
    ShapeMistake("layer_norm: weight has shape (3,); it needs 4 elements, one per channel") {
        _ = try t(2, 4).layerNorm(weight: t(3), bias: nil)
    },
    ShapeMistake("batch_norm: gain has shape (1, 3); it needs 4 elements along its last dim, one per channel") {
        _ = try t(8, 4).batchNorm(gain: t(1, 3), bias: nil, runningMean: nil, runningVar: nil, training: true)
    },
    ShapeMistake("batch_norm: training needs more than one value per channel; got (1, 4)") {
        _ = try t(1, 4).batchNorm(gain: nil, bias: nil, runningMean: nil, runningVar: nil, training: true)
    },
    ShapeMistake("batch_norm: evaluation needs runningMean and runningVar") {
        _ = try t(8, 4).batchNorm(gain: nil, bias: nil, runningMean: nil, runningVar: nil, training: false)
    },
    ShapeMistake("batch_norm: needs (N, C) or (N, L, C) input with channels last, got (4,)") {
        _ = try t(4).batchNorm(gain: nil, bias: nil, runningMean: nil, runningVar: nil, training: true)
    },
    ShapeMistake("Tensor: 5 values cannot fill shape (2, 3) (6 elements)") {
        _ = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5])
    },
    ShapeMistake("Tensor: row 1 has 1 values but row 0 has 2") { _ = try Tensor(rows: [[1, 2], [3]]) },
    ShapeMistake("full: size -2 in (3, -2) is negative") { _ = try Tensor.zeros([3, -2]) },
    ShapeMistake("full: (100000, 100000) has more than 1073741824 elements") {
        _ = try Tensor.zeros([100_000, 100_000])
    },
    ShapeMistake("mul: (100000, 100000) has more than 1073741824 elements") {
        _ = try t(100_000, 1).mul(t(1, 100_000))
    },
    ShapeMistake("matmul: (100000, 100000) has more than 1073741824 elements") {
        _ = try t(100_000, 1).matmul(t(1, 100_000))
    },
    ShapeMistake("randn: size -1 in (-1,) is negative") { _ = try Tensor.randn([-1], generator: TorchGenerator()) },
    ShapeMistake("arange: start, end and a non-zero step must be finite") { _ = try Tensor.arange(0, 5, step: 0) },
    ShapeMistake("IndexTensor: 3 indices cannot fill shape (2, 2) (4 elements)") {
        _ = try IndexTensor([1, 2, 3], shape: [2, 2])
    },
    ShapeMistake("item: a tensor of shape (2,) has 2 elements, not one") { _ = try t(2).item() },
    ShapeMistake(
        "backward: needs a one-element output such as a loss; this tensor has shape (2, 2) (use backward(gradient:) or sum() first)"
    ) {
        try t(2, 2).backward()
    },
    ShapeMistake(
        "backward: this tensor does not depend on any tensor that requires grad (mark parameters with requiringGrad())"
    ) {
        try t(2, 2).sum().backward()
    },
    ShapeMistake("backward: the gradient has shape (3,) but (2,) is needed") {
        try t(2).requiringGrad().exp().backward(gradient: t(3))
    }
]

@Suite("Tensor shape errors")
struct TensorShapeErrorTests {
    @Test("a shape mistake throws ShapeError with its message", arguments: shapeMistakes)
    func throwsReadableError(_ mistake: ShapeMistake) {
        do {
            try mistake.call()
            Issue.record("no error thrown; expected \(mistake.message)")
        } catch let error as ShapeError {
            #expect(error.description == mistake.message)
        } catch {
            Issue.record("threw \(type(of: error)), not ShapeError: \(error)")
        }
    }

    @Test("the static shape rules give the output shape of a good combination")
    func rulesGiveShapes() throws {
        #expect(try Tensor.broadcastShape([4, 5], [5]) == [4, 5])
        #expect(try Tensor.broadcastShape([4, 1], [1, 5]) == [4, 5])
        #expect(try Tensor.matmulShape([32, 30], [30, 200]) == [32, 200])
        #expect(try Tensor.matmulShape([4, 8, 32], [32, 27]) == [4, 8, 27])
        #expect(try Tensor.matmulShape([2, 3, 8, 4], [2, 3, 4, 8]) == [2, 3, 8, 8])
        #expect(try Tensor.matmulShape([3], [3, 4]) == [4])
        #expect(try Tensor.matmulShape([2, 5, 3], [3]) == [2, 5])
        #expect(try Tensor.viewShape([-1, 30], from: [32, 3, 10]) == [32, 30])
        #expect(try Tensor.catShape([[2, 3], [2, 2]], dim: -1).shape == [2, 5])
    }
}

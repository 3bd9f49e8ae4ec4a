// Whatever shapes a user types, tensor ops either work or throw `ShapeError`; none traps. Every
// op is tried on every pairing of a set of awkward shapes (0-D, empty, size 1, mismatched ranks),
// and every result that exists is backpropagated too.
import Engine
import Testing

@Suite("Tensor ops never trap on user shapes")
struct TensorNoTrapTests {
    static let shapes: [[Int]] = [[], [0], [1], [3], [2, 3], [3, 1], [1, 3], [2, 0, 3], [2, 3, 4], [3, 3]]
    static let dims = [-4, -3, -2, -1, 0, 1, 2, 3]

    /// A parameter of `shape` with distinct values.
    static func parameter(_ shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return try! Tensor(shape: shape, values: (0..<count).map { Float($0 % 7) * 0.25 - 0.5 }).requiringGrad()
    }

    /// Runs `op`; a ShapeError is fine, a result is backpropagated (its sum, with a gradient).
    static func attempt(_ label: String, _ op: () throws -> Tensor) {
        do {
            let out = try op()
            try out.sum().backward()
        } catch let error as ShapeError {
            #expect(!error.message.isEmpty, "\(label)")
        } catch {
            Issue.record("\(label) threw \(error), not a ShapeError")
        }
    }

    @Test("binary ops on every pair of shapes", arguments: shapes)
    func binary(_ left: [Int]) {
        for right in Self.shapes {
            let (a, b) = (Self.parameter(left), Self.parameter(right))
            let label = "\(left) with \(right)"
            Self.attempt("add \(label)") { try a.add(b) }
            Self.attempt("div \(label)") { try a.div(b) }
            Self.attempt("matmul \(label)") { try a.matmul(b) }
            Self.attempt("maskedFill \(label)") { try a.maskedFill(b.detach(), value: 1) }
            Self.attempt("layerNorm \(label)") { try a.layerNorm(weight: b, bias: nil) }
            Self.attempt("batchNorm \(label)") {
                try a.batchNorm(gain: b, bias: b, runningMean: nil, runningVar: nil, training: true)
            }
            for dim in Self.dims {
                Self.attempt("cat \(label) dim \(dim)") { try Tensor.cat([a, b], dim: dim) }
                Self.attempt("stack \(label) dim \(dim)") { try Tensor.stack([a, b], dim: dim) }
            }
            Self.attempt("view \(label)") { try a.view(right) }
            Self.attempt("reshape \(label)") { try a.transposed().reshape(right.map { $0 == 3 ? -1 : $0 }) }
        }
    }

    @Test("ops along a dim, for every dim from -4 to 3", arguments: shapes)
    func alongDim(_ shape: [Int]) {
        let x = Self.parameter(shape)
        let targets = try! IndexTensor((0..<(shape.first ?? 1)).map { Int32($0 % 3) - 1 }, shape: [shape.first ?? 1])
        Self.attempt("sum \(shape)") { x.sum() }
        Self.attempt("max \(shape)") { try x.max() }
        Self.attempt("crossEntropy \(shape)") { try x.crossEntropy(targets: targets, ignoreIndex: -1) }
        Self.attempt("embedding \(shape)") { try x.embedding(IndexTensor([0, 2])) }
        Self.attempt("tril \(shape)") { try x.tril() }
        for dim in Self.dims {
            let label = "\(shape) dim \(dim)"
            Self.attempt("sum \(label)") { try x.sum(dim: dim, keepdim: true) }
            Self.attempt("mean \(label)") { try x.mean(dim: dim) }
            Self.attempt("max \(label)") { try x.max(dim: dim) }
            Self.attempt("variance \(label)") { try x.variance(dim: dim) }
            Self.attempt("std \(label)") { try x.std(dim: dim, unbiased: false) }
            Self.attempt("softmax \(label)") { try x.softmax(dim: dim) }
            Self.attempt("logSoftmax \(label)") { try x.logSoftmax(dim: dim) }
            Self.attempt("transpose \(label)") { try x.transpose(dim, 0) }
            Self.attempt("unsqueeze \(label)") { try x.unsqueeze(dim) }
            Self.attempt("squeeze \(label)") { try x.squeeze(dim) }
            Self.attempt("select \(label)") { try x.select(dim, dim: dim) }
            Self.attempt("slice \(label)") { try x.slice(0..<1, dim: dim) }
            Self.attempt("argmax \(label)") {
                _ = try x.argmax(dim: dim)
                return x
            }
            Self.attempt("index \(label)") { try x[dim] }
        }
    }
}

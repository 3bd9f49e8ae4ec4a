// Integer tensors for what is counted, not computed: character indices fed to an embedding, class
// targets of cross-entropy. They carry no gradient, so they are a plain value type.

/// An n-dimensional array of `Int32` indices, row-major: `X (32, 3)` of character ids, `Y (32,)`
/// of targets. PyTorch's `torch.long` tensors in the lectures.
public struct IndexTensor: Equatable, Sendable, CustomStringConvertible {
    /// The size of each dim.
    public let shape: [Int]
    /// The indices in row-major order.
    public let values: [Int32]

    /// `values` laid out as `shape`.
    public init(_ values: [Int32], shape: [Int]) throws(ShapeError) {
        let count = try Tensor.elementCount(shape, op: "IndexTensor")
        guard values.count == count else {
            throw ShapeError(
                "IndexTensor", "\(values.count) indices cannot fill shape \(formatShape(shape)) (\(count) elements)")
        }
        self.shape = shape
        self.values = values
    }

    /// A 1-D tensor of indices.
    public init(_ values: [Int]) throws(ShapeError) {
        var narrowed: [Int32] = []
        narrowed.reserveCapacity(values.count)
        for v in values {
            guard let i = Int32(exactly: v) else {
                throw ShapeError("IndexTensor", "index \(v) does not fit in 32 bits")
            }
            narrowed.append(i)
        }
        self.shape = [values.count]
        self.values = narrowed
    }

    /// Indices whose count already matches `shape` (our own code).
    init(trustedValues values: [Int32], shape: [Int]) {
        precondition(
            values.count == shape.reduce(1, *), "IndexTensor: \(values.count) values for \(formatShape(shape))")
        self.shape = shape
        self.values = values
    }

    /// The number of indices.
    public var count: Int { values.count }

    /// The same indices as `shape` (one size may be -1): `Y.view(-1)`.
    public func view(_ shape: [Int]) throws(ShapeError) -> IndexTensor {
        IndexTensor(trustedValues: values, shape: try Tensor.viewShape(shape, from: self.shape))
    }

    /// One-hot rows as float32 (`F.one_hot(x, num_classes).float()`): shape `self.shape + [classes]`.
    public func oneHot(classes: Int) throws(ShapeError) -> Tensor {
        guard classes > 0 else { throw ShapeError("one_hot", "needs at least one class, got \(classes)") }
        try checkRange(below: classes, op: "one_hot", what: "classes")
        _ = try Tensor.elementCount(shape + [classes], op: "one_hot")
        let out = Tensor(repeating: 0, shape: shape + [classes])  // (…, classes)
        for (i, v) in values.enumerated() { out.pointer[i * classes + Int(v)] = 1 }
        return out
    }

    /// Throws unless every index is in `0..<limit` (or equals `ignoring`).
    func checkRange(below limit: Int, ignoring: Int32? = nil, op: String, what: String) throws(ShapeError) {
        for (i, v) in values.enumerated() where v != ignoring && (v < 0 || Int(v) >= limit) {
            throw ShapeError(op, "index \(v) at position \(i) is out of range for \(limit) \(what) (0...\(limit - 1))")
        }
    }

    public var description: String {
        let preview = values.prefix(20).map(String.init).joined(separator: ", ")
        return "IndexTensor(shape: \(formatShape(shape)), [\(preview)\(values.count > 20 ? ", …" : "")])"
    }
}

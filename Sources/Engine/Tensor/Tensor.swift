// `Tensor`: an n-dimensional array of Float, row-major, that remembers how it was made so that
// `backward()` can run the chain rule through it (micrograd's `Value`, one array at a time).
//
// Storage is shared by views: `view`/`reshape` of contiguous data, `transpose`, `permute`, slices and
// `select` cost nothing; ops that need row-major input copy a strided view once (see `dense()`).

/// The raw buffer behind one or more tensors. Views hold the same storage with their own offset and
/// strides; the buffer is freed with the last of them. One allocation holds the object and its
/// floats (a tensor's storage took two before: the object, and the floats it pointed to).
///
/// The floats start on a 64-byte boundary, a cache line and one AVX-512 vector: with malloc's 16-byte
/// alignment, a buffer that started off a boundary (three in four do) had every 64-byte load and
/// store of the kernels straddle two lines.
final class TensorStorage: ManagedBuffer<TensorStorage.Header, Float> {
    struct Header {
        let count: Int
        /// Floats of padding before the first element, for its alignment.
        let skip: Int
    }

    /// The alignment of the first float, in floats (64 bytes).
    static let alignment = 16

    /// Uninitialised memory for `count` floats: the caller writes every element before reading any.
    static func make(uninitializedCount count: Int) -> TensorStorage {
        let buffer = create(minimumCapacity: Swift.max(count, 1) + alignment - 1) { buffer in
            let address = buffer.withUnsafeMutablePointerToElements { UInt(bitPattern: $0) }
            return Header(count: count, skip: Int((0 &- address) % UInt(alignment * 4)) / 4)
        }
        let storage = unsafeDowncast(buffer, to: TensorStorage.self)
        #if DEBUG
            // Debug builds (and so the tests) fill it with NaN: a kernel that reads an element before
            // writing it shows NaN at once instead of whatever the allocator left there.
            storage.pointer.initialize(repeating: .nan, count: Swift.max(count, 1))
        #endif
        return storage
    }

    static func make(repeating value: Float, count: Int) -> TensorStorage {
        let storage = make(uninitializedCount: count)
        storage.pointer.initialize(repeating: value, count: count)
        return storage
    }

    /// The first float (stable for the storage's life), 64-byte aligned.
    var pointer: UnsafeMutablePointer<Float> {
        @inline(__always) get { withUnsafeMutablePointers { header, elements in elements + header.pointee.skip } }
    }
}

/// An n-dimensional float32 array with reverse-mode automatic differentiation.
///
/// Every op returns a new tensor that records its inputs and a closure computing their gradients;
/// ``backward()`` walks that graph in reverse topological order and accumulates into ``grad``:
///
///     let g = TorchGenerator(seed: 2147483647)
///     let W = try Tensor.randn([27, 27], generator: g).requiringGrad()
///     let logits = xenc ⊗ W                                   // (N, 27)
///     let loss = try logits.crossEntropy(targets: ys)          // ()
///     try loss.backward()                                     // W.grad: (27, 27)
///
/// A tensor's values are float32. Integer indices (embedding rows, class targets) are ``IndexTensor``.
public final class Tensor {
    /// The size of each dim; `[]` for a scalar.
    public let shape: [Int]
    /// The number of elements, the product of `shape`.
    public let count: Int
    /// A `var` only so that `zeroGrad()` can ask whether a view shares it; never reassigned.
    var storage: TensorStorage
    /// Where element `[0, 0, …]` sits in `storage`.
    let offset: Int
    /// Element strides of a strided view, or `nil` when the elements are contiguous and row-major.
    let viewStrides: [Int]?

    /// Whether `backward()` computes a gradient for this tensor. Set it on parameters (leaves);
    /// ops set it on their outputs when any input has it (outside ``withoutGrad(_:)``).
    public var requiresGrad: Bool
    /// ∂(output of the last `backward()`)/∂self, same shape as `self`; accumulated over calls for
    /// leaves, reset on every call for intermediate results. `nil` until a backward pass reaches it.
    public internal(set) var grad: Tensor? {
        get {
            if gradIsZeroed { fillZeroedGrad() }
            return storedGrad
        }
        set {
            storedGrad = newValue
            gradIsZeroed = false
        }
    }
    /// The gradient as kept. While `gradIsZeroed` its values are stale and stand for zeros: they are
    /// filled in when it is first read, or overwritten whole by an op that writes every element.
    var storedGrad: Tensor?
    /// `zeroGrad()` was called on a gradient nobody else held, and the zeros are not written yet.
    var gradIsZeroed = false
    /// The tensors this one was computed from that need gradients (empty for leaves).
    var parents: [Tensor] = []
    /// Where each of `parents` stood among the op's operands, when some operands needed no gradient
    /// (nil when every operand is a parent, in order).
    var parentPositions: [Int]?
    /// Adds this tensor's gradient, through its op's derivative, into its parents' gradients.
    var gradFn: ((_ out: Tensor) -> Void)?
    /// Floats the op keeps outside the graph for its backward (attention's weights and dropout mask),
    /// counted by ``graphFloatCount`` so that a step's memory is measured with them.
    var savedFloatCount = 0
    /// The op that made this tensor, for printing (`"tanh"`, `"matmul"`); `nil` for leaves.
    public let op: String?
    /// Scratch mark for the topological sort in `backward()`.
    var isVisited = false

    /// The designated initialiser: wraps `storage` (already holding the values) as `shape`.
    init(storage: TensorStorage, shape: [Int], count: Int, offset: Int = 0, strides: [Int]? = nil, op: String? = nil) {
        self.storage = storage
        self.shape = shape
        self.count = count
        self.offset = offset
        self.viewStrides = strides
        self.requiresGrad = false
        self.op = op
    }

    /// A new contiguous tensor whose values the caller writes before reading (op outputs).
    convenience init(uninitializedShape shape: [Int], op: String? = nil) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage.make(uninitializedCount: count), shape: shape, count: count, op: op)
    }

    /// A tensor of `shape` filled with `value`, for trusted shapes (model code, gradients).
    convenience init(repeating value: Float, shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage.make(repeating: value, count: count), shape: shape, count: count)
    }

    deinit { releaseGraphIteratively() }

    // MARK: Making tensors

    /// A tensor of `shape` holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float]) throws(ShapeError) {
        let count = try Tensor.elementCount(shape, op: "Tensor")
        guard values.count == count else {
            throw ShapeError(
                "Tensor", "\(values.count) values cannot fill shape \(formatShape(shape)) (\(count) elements)")
        }
        self.init(uninitializedShape: shape)
        if count > 0 { values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) } }
    }

    /// A 1-D tensor: `Tensor([1, 2, 3])` has shape `(3,)`.
    public convenience init(_ values: [Float]) {
        self.init(uninitializedShape: [values.count])
        if count > 0 { values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) } }
    }

    /// A 2-D tensor from rows of equal length: `Tensor(rows: [[1, 2], [3, 4]])` has shape `(2, 2)`.
    public convenience init(rows: [[Float]]) throws(ShapeError) {
        let width = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() where row.count != width {
            throw ShapeError("Tensor", "row \(i) has \(row.count) values but row 0 has \(width)")
        }
        try self.init(shape: [rows.count, width], values: rows.flatMap { $0 })
    }

    /// A 0-D (scalar) tensor.
    public convenience init(_ value: Float) {
        self.init(repeating: value, shape: [])
    }

    /// Zeros of `shape`.
    public static func zeros(_ shape: [Int]) throws(ShapeError) -> Tensor {
        try full(shape, value: 0)
    }

    /// Ones of `shape`.
    public static func ones(_ shape: [Int]) throws(ShapeError) -> Tensor {
        try full(shape, value: 1)
    }

    /// `value` everywhere in `shape`.
    public static func full(_ shape: [Int], value: Float) throws(ShapeError) -> Tensor {
        _ = try elementCount(shape, op: "full")
        return Tensor(repeating: value, shape: shape)  // (…)
    }

    /// `0, 1, …, end - 1`, as `torch.arange(end)`.
    public static func arange(_ end: Float) throws(ShapeError) -> Tensor {
        try arange(0, end)
    }

    /// `start, start + step, …` up to but excluding `end`, as `torch.arange`.
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) throws(ShapeError) -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw ShapeError("arange", "start, end and a non-zero step must be finite")
        }
        let steps = ((end - start) / step).rounded(.up)
        guard steps <= Float(maximumElementCount) else {
            throw ShapeError("arange", "\(steps) elements is more than \(maximumElementCount)")
        }
        let n = Swift.max(0, Int(steps))
        let out = Tensor(uninitializedShape: [n])  // (n,)
        for i in 0..<n { out.pointer[i] = start + Float(i) * step }
        return out
    }

    /// Standard normal samples from `generator`, taken in order: equal to
    /// `torch.randn(shape, generator=g)` when `generator` is in the same state as `g`.
    public static func randn(_ shape: [Int], generator: TorchGenerator) throws(ShapeError) -> Tensor {
        try Tensor(shape: shape, values: generator.randn(elementCount(shape, op: "randn")))
    }

    /// Uniform samples in [0, 1) from `generator`, as `torch.rand(shape, generator=g)`.
    public static func rand(_ shape: [Int], generator: TorchGenerator) throws(ShapeError) -> Tensor {
        try Tensor(shape: shape, values: generator.rand(elementCount(shape, op: "rand")))
    }

    /// Marks this tensor as a parameter whose gradient `backward()` should compute; returns `self`.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    // MARK: Reading and writing values

    /// The values in row-major order (a copy; strided views are gathered).
    public var scalars: [Float] {
        let x = dense()
        return withExtendedLifetime(x) { Array(UnsafeBufferPointer(start: x.pointer, count: count)) }
    }

    /// The single value of a one-element tensor, as PyTorch's `.item()`.
    public func item() throws(ShapeError) -> Float {
        guard count == 1 else {
            throw ShapeError("item", "a tensor of shape \(formatShape(shape)) has \(count) elements, not one")
        }
        return storage.pointer[offset]
    }

    /// The contiguous values, for optimizers and initialisers that update parameters in place.
    /// Strided views cannot be written this way (call `contiguous()` first).
    public func withUnsafeMutableBufferPointer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R)
        throws(E) -> R
    {
        precondition(isContiguous, "withUnsafeMutableBufferPointer needs a contiguous tensor, not a strided view")
        return try withExtendedLifetime(storage) { () throws(E) -> R in
            try body(UnsafeMutableBufferPointer(start: pointer, count: count))
        }
    }

    /// The values in row-major order without copying when they are already contiguous.
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R
    {
        let x = dense()
        return try withExtendedLifetime(x) { () throws(E) -> R in
            try body(UnsafeBufferPointer(start: x.pointer, count: count))
        }
    }

    // MARK: Layout

    /// `true` when the elements sit in row-major order without gaps.
    public var isContiguous: Bool { viewStrides == nil }

    /// Element `[0, 0, …]`. Valid while `self` (or its storage) is alive.
    var pointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// The element strides, computed for contiguous tensors.
    var strides: [Int] { viewStrides ?? Tensor.contiguousStrides(shape) }

    /// Row-major strides of `shape`: `(2, 3, 4)` → `(12, 4, 1)`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for i in (0..<shape.count).reversed() {
            strides[i] = step
            step *= shape[i]
        }
        return strides
    }

    /// `self` when contiguous, else a contiguous copy of the values that is not part of the graph.
    /// Kernels read their inputs through it.
    func dense() -> Tensor {
        guard let strides = viewStrides else { return self }
        let out = Tensor(uninitializedShape: shape)  // (…)
        StridedLoop(shape: shape, strides: [Tensor.contiguousStrides(shape), strides]).forEachRun { o, n, s in
            let dst = out.pointer + o[0]
            let src = pointer + o[1]
            let step = s[1]
            for j in 0..<n { dst[j] = src[j * step] }
        }
        return out
    }

    /// A tensor sharing the values but not the graph, as PyTorch's `.detach()`.
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, count: count, offset: offset, strides: viewStrides)  // (…)
    }
}

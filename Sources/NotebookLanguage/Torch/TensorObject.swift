// `torch.Tensor` in the notebook: float32 tensors are the Engine's `Tensor` (its ops, gradients and
// kernels), integer and boolean tensors are plain row-major arrays (counts, indices, masks). This
// file holds the object itself, its dtypes and the conversions between tensors and Python values;
// printing, indexing, arithmetic and methods are in the files beside it.
import Engine
import Foundation

/// The element types the notebook's tensors have, named as PyTorch names them.
package enum DType: String, CaseIterable {
    case float32, int64, int32, bool

    package var isFloat: Bool { self == .float32 }
    /// `torch.int32`, as PyTorch prints a dtype.
    var name: String { "torch.\(rawValue)" }
    /// The type PyTorch's `tensor.type()` names and error messages use (`Float`, `Long`).
    var scalarName: String {
        switch self {
        case .float32: "Float"
        case .int64: "Long"
        case .int32: "Int"
        case .bool: "Bool"
        }
    }
}

/// The values of an integer or boolean tensor, row-major (booleans as 0 and 1).
struct IntegerArray {
    var shape: [Int]
    var values: [Int]
}

/// A tensor typed at the prompt: `torch.zeros((27, 27), dtype=torch.int32)`, `W @ x`, `loss`.
package final class TensorObject: NotebookObject {
    package static let typeName = "Tensor"

    enum Storage {
        case float(Tensor)
        case integer(IntegerArray)
    }

    package let dtype: DType
    private(set) var storage: Storage
    /// PyTorch's name for the backward of the op that made this tensor (`AddBackward0`), printed as
    /// `grad_fn=<…>`; nil for leaves and for tensors outside the graph.
    private(set) var gradFn: String?
    /// `retain_grad()` was called: `.grad` of this intermediate is kept, as in PyTorch.
    var retainsGrad = false
    /// Made by `nn.Parameter` or a module's weights: printed as PyTorch prints a parameter.
    var isParameter = false

    package init(_ tensor: Tensor, gradFn: String? = nil) {
        dtype = .float32
        storage = .float(tensor)
        self.gradFn = tensor.requiresGrad && tensor.op != nil ? gradFn : nil
    }

    init(_ values: [Int], shape: [Int], dtype: DType) {
        precondition(!dtype.isFloat, "integer storage for a float dtype")
        self.dtype = dtype
        storage = .integer(IntegerArray(shape: shape, values: dtype == .bool ? values.map { $0 != 0 ? 1 : 0 } : values))
        gradFn = nil
    }

    package var shape: [Int] {
        switch storage {
        case .float(let t): t.shape
        case .integer(let a): a.shape
        }
    }

    package var numel: Int {
        switch storage {
        case .float(let t): t.count
        case .integer(let a): a.values.count
        }
    }

    /// The Engine tensor of a float tensor.
    package var floatTensor: Tensor? {
        if case .float(let t) = storage { return t }
        return nil
    }

    /// The values of an integer or boolean tensor.
    var integers: [Int]? {
        if case .integer(let a) = storage { return a.values }
        return nil
    }

    /// The values as float32, for mixing with float tensors (a copy for integer tensors, outside the graph).
    func asFloat() -> Tensor {
        switch storage {
        case .float(let t): return t
        case .integer(let a):
            // The values already fit the shape: this cannot fail.
            return (try? Tensor(shape: a.shape, values: a.values.map { Float($0) })) ?? Tensor(0)
        }
    }

    /// The values in row-major order as doubles (float32 widened exactly, as `tolist()` gives them).
    package func doubles() -> [Double] {
        switch storage {
        case .float(let t): t.scalars.map { Double($0) }
        case .integer(let a): a.values.map { Double($0) }
        }
    }

    /// The values as indices (an integer tensor's own values; a float tensor is refused, as PyTorch does).
    func indexValues(_ context: String) throws(NotebookError) -> [Int] {
        guard let values = integers else {
            throw .python(
                "IndexError",
                "tensors used as indices must be long, int or bool tensors, not float (\(context); use .long())")
        }
        return values
    }

    /// A Python number for a one-element tensor, as `.item()`.
    func item() throws(NotebookError) -> Object {
        guard numel == 1 else {
            throw .python("RuntimeError", "a Tensor with \(numel) elements cannot be converted to Scalar")
        }
        switch storage {
        case .float(let t): return .float(Double((try? t.item()) ?? .nan))
        case .integer(let a): return dtype == .bool ? .bool(a.values[0] != 0) : .int(a.values[0])
        }
    }

    /// Nested lists of Python numbers, as `.tolist()`; a 0-D tensor gives its number.
    func toList() -> Object {
        let shape = self.shape
        if shape.isEmpty { return (try? item()) ?? .none }
        let flat: [Object]
        switch storage {
        case .float(let t): flat = t.scalars.map { .float(Double($0)) }
        case .integer(let a): flat = a.values.map { dtype == .bool ? .bool($0 != 0) : .int($0) }
        }
        func nest(_ dim: Int, _ start: Int) -> Object {
            let size = shape[dim]
            let stride = shape[(dim + 1)...].reduce(1, *)
            if dim == shape.count - 1 { return .list(Array(flat[start..<(start + size)])) }
            return .list((0..<size).map { nest(dim + 1, start + $0 * stride) })
        }
        return nest(0, 0)
    }

    /// Makes this object stand for `tensor` from now on: an in-place change to a tensor in the graph,
    /// recorded as a new node (`x -= y` on an op's result, `x[i] = v` with gradients), as PyTorch does.
    func become(_ tensor: Tensor, gradFn: String?) {
        storage = .float(tensor)
        self.gradFn = tensor.requiresGrad && tensor.op != nil ? gradFn : nil
    }

    /// Writes integer values in place (index assignment into an integer tensor).
    func writeIntegers(_ positions: [Int], _ values: [Int]) {
        guard case .integer(var a) = storage else { return }
        storage = .integer(IntegerArray(shape: [], values: []))  // released, so the write below is in place
        for (i, p) in positions.enumerated() {
            let v = values.count == 1 ? values[0] : values[i]
            a.values[p] = dtype == .bool ? (v != 0 ? 1 : 0) : dtype == .int32 ? Int(Int32(truncatingIfNeeded: v)) : v
        }
        storage = .integer(a)
    }

    package var description: String { TensorFormat.string(self) }
}

// MARK: Python values in, tensors out

extension TensorObject {
    /// `torch.tensor(data)`: nested lists (or tuples) of numbers, a number, or a tensor (copied).
    /// Without `dtype`, bools make a bool tensor, ints an int64 tensor and any float a float32 one.
    static func from(_ data: Object, dtype: DType?, _ interpreter: Interpreter) throws(NotebookError) -> TensorObject {
        if case .object(let t as TensorObject) = data { return try t.converted(to: dtype ?? t.dtype, copy: true) }
        var shape: [Int] = []
        var flat: [Object] = []
        var shapeKnown = false
        func walk(_ o: Object, _ depth: Int) throws(NotebookError) {
            guard depth < 64 else { throw .python("ValueError", "torch.tensor(): the data is nested too deeply") }
            let items: [Object]?
            switch o {
            case .list(let box): items = box.items
            case .tuple(let box): items = box.items
            case .object(let r as RangeObject): items = try interpreter.items(of: .object(r))
            case .object(let t as TensorObject):
                guard t.shape.isEmpty else {
                    throw .python(
                        "ValueError",
                        "only one element tensors can be converted to Python scalars (torch.tensor() of a list holding a tensor of shape \(formatShape(t.shape)); use torch.stack)"
                    )
                }
                items = nil
            default: items = nil
            }
            if let items {
                if !shapeKnown {
                    if depth == shape.count { shape.append(items.count) }
                } else if depth >= shape.count {
                    throw .python(
                        "ValueError", "torch.tensor(): the data is not rectangular: a list where a number was")
                }
                if depth < shape.count, shape[depth] != items.count {
                    throw .python(
                        "ValueError", "expected sequence of length \(shape[depth]) at dim \(depth) (got \(items.count))"
                    )
                }
                if items.isEmpty { shapeKnown = true }
                for item in items {
                    try walk(item, depth + 1)
                    if flat.count & 0xFFFF == 0xFFFF { try Builtins.checkLength(flat.count, of: "tensor") }
                }
            } else {
                if !shapeKnown {
                    shapeKnown = true
                    if depth != shape.count {
                        throw .python("ValueError", "torch.tensor(): the data is not rectangular")
                    }
                } else if depth != shape.count {
                    throw .python(
                        "ValueError", "expected sequence of length \(shape[depth]) at dim \(depth) (got a number)")
                }
                flat.append(o)
            }
        }
        try walk(data, 0)
        var inferred = DType.bool
        for o in flat {
            switch o {
            case .bool: break
            case .int: if inferred == .bool { inferred = .int64 }
            case .float, .value: inferred = .float32
            case .object(let t as TensorObject):
                if t.dtype.isFloat {
                    inferred = .float32
                } else if inferred == .bool, t.dtype != .bool {
                    inferred = .int64
                }
            default:
                throw .python(
                    "TypeError", "torch.tensor() takes numbers (in lists), not \(o.typeNameWithArticle)")
            }
        }
        if flat.isEmpty { inferred = .float32 }
        let target = dtype ?? inferred
        _ = try TorchErrors.elementCount(shape)
        if target.isFloat {
            var values: [Float] = []
            values.reserveCapacity(flat.count)
            for o in flat {
                if case .object(let t as TensorObject) = o {
                    values.append(Float(t.doubles()[0]))
                } else {
                    values.append(Float(try o.number(as: "each value of torch.tensor()")))
                }
            }
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try Tensor(shape: shape, values: values) })
        }
        var values: [Int] = []
        values.reserveCapacity(flat.count)
        for o in flat {
            if case .object(let t as TensorObject) = o {
                values.append(t.integers?.first ?? t.doubles()[0].clampedInt)
            } else if case .float(let d) = o {
                guard d.isFinite, abs(d) < 9.2e18 else {
                    throw .python(
                        "RuntimeError", "value cannot be converted to type \(target.rawValue) without overflow")
                }
                values.append(Int(d.rounded(.towardZero)))
            } else {
                values.append(try o.integer(as: "each value of torch.tensor()"))
            }
        }
        return TensorObject(values, shape: shape, dtype: target)
    }

    /// This tensor as `dtype` (`.float()`, `.long()`, `.int()`, `.bool()`): itself when already of
    /// that type (unless `copy`), else a new tensor outside the graph's gradient for integer targets.
    func converted(to target: DType, copy: Bool = false) throws(NotebookError) -> TensorObject {
        if target == dtype && !copy { return self }
        switch (storage, target.isFloat) {
        case (.float(let t), true):
            return TensorObject((try? Tensor(shape: t.shape, values: t.scalars)) ?? t.detach())
        case (.float(let t), false):
            var values: [Int] = []
            values.reserveCapacity(t.count)
            for v in t.scalars {
                if target == .bool {
                    values.append(v != 0 ? 1 : 0)
                } else {
                    // As C's conversion PyTorch does: toward zero (NaN and out-of-range values are undefined there).
                    values.append(v.isFinite && abs(v) < 9.2e18 ? Int(v.rounded(.towardZero)) : Int.min)
                }
            }
            return TensorObject(
                target == .int32 ? values.map { Int(Int32(truncatingIfNeeded: $0)) } : values, shape: t.shape,
                dtype: target)
        case (.integer, true):
            return TensorObject(asFloat())
        case (.integer(let a), false):
            let values = target == .int32 ? a.values.map { Int(Int32(truncatingIfNeeded: $0)) } : a.values
            return TensorObject(values, shape: a.shape, dtype: target)
        }
    }
}

extension Double {
    /// Toward zero, clamped to Int's range (NaN is 0): a conversion that cannot trap.
    package var clampedInt: Int {
        guard isFinite else { return isNaN ? 0 : (self > 0 ? .max : .min) }
        if self >= 9.2e18 { return .max }
        if self <= -9.2e18 { return .min }
        return Int(rounded(.towardZero))
    }
}

extension Collection<Int> {
    /// The product of the sizes, or nil when it does not fit in 64 bits (a shape's element count).
    package var checkedProduct: Int? {
        var n = 1
        for size in self {
            let (product, overflow) = n.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            n = product
        }
        return n
    }
}

/// Turning the Engine's shape errors into PyTorch's RuntimeError, and the checks PyTorch makes first.
enum TorchErrors {
    static func run<R>(_ body: () throws(ShapeError) -> R) throws(NotebookError) -> R {
        do {
            return try body()
        } catch {
            throw .python("RuntimeError", error.message)
        }
    }

    static func elementCount(_ shape: [Int]) throws(NotebookError) -> Int {
        for s in shape where s < 0 {
            throw .python("RuntimeError", "Trying to create tensor with negative dimension \(s): \(shape)")
        }
        let count = try run { () throws(ShapeError) in try Tensor.elementCount(shape, op: "tensor") }
        if count >= 1 << 20 { try fits(count) }
        return count
    }

    /// MemoryError when a tensor of `count` elements (4 bytes each, 8 for integers) would take the
    /// notebook past its memory limit.
    static func fits(_ count: Int) throws(NotebookError) {
        let used = MemoryGuard.resident()
        guard used + count * 4 > MemoryGuard.limit else { return }
        throw .python(
            "MemoryError",
            "a tensor of \(count) elements would take the notebook past its limit of \(MemoryGuard.limit >> 20) MiB (it uses \(used >> 20) MiB); delete big tensors (del name) or make a smaller one"
        )
    }

    /// A shape as Python prints a tuple: `(3,)`, `(2, 3)`.
    static func tupleText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// The shape two operands broadcast to, with PyTorch's message when they do not.
    static func broadcast(_ a: [Int], _ b: [Int]) throws(NotebookError) -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if x == y || y == 1 {
                out[i] = x
            } else if x == 1 {
                out[i] = y
            } else {
                throw .python(
                    "RuntimeError",
                    "The size of tensor a (\(x)) must match the size of tensor b (\(y)) at non-singleton dimension \(i)"
                )
            }
        }
        _ = try elementCount(out)  // a result too big to make is refused here, before any work
        return out
    }

    /// For each element of `outShape` (row-major), the position of the element of a tensor of
    /// `shape` that broadcasting reads.
    static func broadcastPositions(_ shape: [Int], to outShape: [Int]) -> [Int] {
        let n = outShape.reduce(1, *)
        let offset = outShape.count - shape.count
        var strides = [Int](repeating: 0, count: outShape.count)
        var step = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d + offset] = shape[d] == 1 ? 0 : step
            step *= shape[d]
        }
        var positions = [Int](repeating: 0, count: n)
        var index = [Int](repeating: 0, count: outShape.count)
        var position = 0
        for i in 0..<n {
            positions[i] = position
            var d = outShape.count - 1
            while d >= 0 {
                index[d] += 1
                position += strides[d]
                if index[d] < outShape[d] { break }
                position -= strides[d] * index[d]
                index[d] = 0
                d -= 1
            }
        }
        return positions
    }
}

// Arithmetic, comparison, reductions and elementwise functions of tensors, with PyTorch's type
// promotion (a float anywhere makes a float32 result; `/` always does; ints stay ints), its
// broadcasting, and the names of the backward functions PyTorch prints as `grad_fn`.
import Engine
import Foundation

/// What `with torch.no_grad():` switches off, for the cell's thread (each session runs its cells on
/// its own thread, so one session's `no_grad` never reaches another's).
enum TorchState {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The default generator of the session running on this thread (for tensor methods, which have
    /// no interpreter at hand).
    static var defaultGenerator: TorchGenerator? {
        get { Thread.current.threadDictionary["gradbook.torch.generator"] as? TorchGenerator }
        set { Thread.current.threadDictionary["gradbook.torch.generator"] = newValue }
    }

    /// How many `no_grad` blocks the running code is inside.
    static var noGradDepth: Int {
        get { Int(bitPattern: pthread_getspecific(key)) }
        set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// Runs a tensor op, without recording the graph inside `torch.no_grad()`.
    static func op<R>(_ body: () throws(NotebookError) -> R) throws(NotebookError) -> R {
        guard noGradDepth > 0 else { return try body() }
        var result: Result<R, NotebookError>?
        Tensor.withoutGrad {
            result = Result { () throws(NotebookError) -> R in try body() }
        }
        return try result!.get()
    }
}

extension TensorObject: ArithmeticObject, IterableObject {
    /// An operand of a tensor op: another tensor, or a Python number.
    enum Operand {
        case tensor(TensorObject)
        case scalar(Double, isFloat: Bool)
    }

    static func operand(_ o: Object) -> Operand? {
        switch o {
        case .object(let t as TensorObject): .tensor(t)
        case .int(let n): .scalar(Double(n), isFloat: false)
        case .bool(let b): .scalar(b ? 1 : 0, isFloat: false)
        case .float(let d): .scalar(d, isFloat: true)
        default: nil
        }
    }

    package func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object {
        if case .object(let wide as DoubleTensorObject) = other {
            // float64 wins, as PyTorch promotes.
            return try wide.binary(op, .object(self), reversed: !reversed)
        }
        guard let operand = TensorObject.operand(other) else {
            throw .python(
                "TypeError",
                "unsupported operand type(s) for \(op.rawValue): 'Tensor' and '\(other.typeName)' (a tensor combines with tensors and numbers)"
            )
        }
        return .object(try TorchState.op { () throws(NotebookError) in try combine(op, operand, reversed: reversed) })
    }

    package func negated() throws(NotebookError) -> Object {
        switch storage {
        case .float(let t):
            return .object(
                try TorchState.op { () throws(NotebookError) in
                    TensorObject(
                        try TorchErrors.run { () throws(ShapeError) in try t.mul(Tensor(-1)) }, gradFn: "NegBackward0")
                })
        case .integer(let a):
            guard dtype != .bool else {
                throw .python(
                    "RuntimeError",
                    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
                )
            }
            return .object(TensorObject(a.values.map { 0 &- $0 }, shape: a.shape, dtype: dtype))
        }
    }

    /// `self op other` (or `other op self` when `reversed`).
    func combine(_ op: BinaryOperator, _ other: Operand, reversed: Bool) throws(NotebookError) -> TensorObject {
        let otherIsFloat: Bool
        switch other {
        case .tensor(let t): otherIsFloat = t.dtype.isFloat
        case .scalar(_, let isFloat): otherIsFloat = isFloat
        }
        if op == .matrixMultiply {
            guard case .tensor(let b) = other else {
                throw .python("TypeError", "unsupported operand type(s) for @: a tensor and a number")
            }
            return try matmul(reversed ? b : self, reversed ? self : b)
        }
        if dtype.isFloat || otherIsFloat || op == .divide || op == .power && otherIsFloat {
            return try floatCombine(op, other, reversed: reversed)
        }
        return try integerCombine(op, other, reversed: reversed)
    }

    static let backwardNames: [BinaryOperator: String] = [
        .add: "AddBackward0", .subtract: "SubBackward0", .multiply: "MulBackward0", .divide: "DivBackward0",
        .power: "PowBackward0"
    ]

    private func floatCombine(_ op: BinaryOperator, _ other: Operand, reversed: Bool) throws(NotebookError)
        -> TensorObject
    {
        let a = asFloat()
        if op == .power {
            if reversed {
                guard case .scalar(let base, _) = other else {
                    throw .python(
                        "TypeError", "a tensor ** a tensor is not in the notebook; the exponent must be a number")
                }
                return TensorObject(a.exponentiating(base: Float(base)), gradFn: "PowBackward1")
            }
            let exponent: Double
            switch other {
            case .scalar(let d, _): exponent = d
            case .tensor(let t):
                guard t.numel == 1, t.shape.isEmpty else {
                    throw .python(
                        "TypeError", "a tensor ** a tensor is not in the notebook; the exponent must be a number")
                }
                exponent = t.doubles()[0]
            }
            return TensorObject(a.pow(Float(exponent)), gradFn: "PowBackward0")
        }
        // A number on the right: one pass, no broadcasting (the same floats as with a 0-D tensor).
        if !reversed, case .scalar(let d, _) = other {
            let scalarOps: [BinaryOperator: Tensor.ScalarOp] = [
                .add: .add, .subtract: .subtract, .multiply: .multiply, .divide: .divide
            ]
            if let scalarOp = scalarOps[op] {
                return TensorObject(a.scalarOp(scalarOp, Float(d)), gradFn: TensorObject.backwardNames[op])
            }
        }
        if reversed, op == .multiply || op == .add, case .scalar(let d, _) = other {
            // s * x and s + x: the same floats as x * s and x + s.
            return TensorObject(
                a.scalarOp(op == .multiply ? .multiply : .add, Float(d)), gradFn: TensorObject.backwardNames[op])
        }
        let b: Tensor
        switch other {
        case .tensor(let t): b = t.asFloat()
        case .scalar(let d, _): b = Tensor(Float(d))
        }
        let (x, y) = reversed ? (b, a) : (a, b)
        _ = try TorchErrors.elementCount(try TorchErrors.broadcast(x.shape, y.shape))
        let result: Tensor
        switch op {
        case .add: result = try TorchErrors.run { () throws(ShapeError) in try x.add(y) }
        case .subtract: result = try TorchErrors.run { () throws(ShapeError) in try x.sub(y) }
        case .multiply: result = try TorchErrors.run { () throws(ShapeError) in try x.mul(y) }
        case .divide: result = try TorchErrors.run { () throws(ShapeError) in try x.div(y) }
        case .floorDivide, .remainder:
            let q = try TorchErrors.run { () throws(ShapeError) in try x.div(y) }
            let xs = TorchErrors.broadcastPositions(x.shape, to: q.shape)
            let ys = TorchErrors.broadcastPositions(y.shape, to: q.shape)
            let xv = x.scalars
            let yv = y.scalars
            let values = (0..<q.count).map { i -> Float in
                let (u, v) = (xv[xs[i]], yv[ys[i]])
                let floor = (u / v).rounded(.down)
                return op == .floorDivide ? floor : u - floor * v
            }
            result = try TorchErrors.run { () throws(ShapeError) in try Tensor(shape: q.shape, values: values) }
        default:
            throw .python(
                "TypeError",
                "unsupported operand type(s) for \(op.rawValue): float tensors take + - * / // % ** and @")
        }
        var name = TensorObject.backwardNames[op]
        if reversed, case .scalar = other, op == .subtract { name = "RsubBackward1" }
        return TensorObject(result, gradFn: name)
    }

    private func integerCombine(_ op: BinaryOperator, _ other: Operand, reversed: Bool) throws(NotebookError)
        -> TensorObject
    {
        let (otherValues, otherShape, otherType): ([Int], [Int], DType)
        switch other {
        case .tensor(let t): (otherValues, otherShape, otherType) = (t.integers ?? [], t.shape, t.dtype)
        case .scalar(let d, _):
            (otherValues, otherShape, otherType) = ([d.clampedInt], [], dtype == .bool ? .int64 : dtype)
        }
        let mine = integers ?? []
        let (xv, xs, yv, ys) =
            reversed ? (otherValues, otherShape, mine, shape) : (mine, shape, otherValues, otherShape)
        let outShape = try TorchErrors.broadcast(xs, ys)
        _ = try TorchErrors.elementCount(outShape)
        let xr = TorchErrors.broadcastPositions(xs, to: outShape)
        let yr = TorchErrors.broadcastPositions(ys, to: outShape)
        let bothBool = dtype == .bool && otherType == .bool
        let resultType: DType =
            bothBool && [.bitAnd, .bitOr, .bitXor].contains(op)
            ? .bool : (dtype == .int32 && (otherType == .int32 || otherType == .bool) ? .int32 : .int64)
        var values = [Int](repeating: 0, count: xr.count)
        for i in 0..<xr.count {
            let (u, v) = (xv[xr[i]], yv[yr[i]])
            switch op {
            case .add: values[i] = u &+ v
            case .subtract: values[i] = u &- v
            case .multiply: values[i] = u &* v
            case .floorDivide, .remainder:
                guard v != 0 else { throw .python("RuntimeError", "ZeroDivisionError") }
                // -2**63 // -1 wraps to -2**63 in int64, as PyTorch's does, instead of trapping.
                let (quotient, overflow) = u.dividedReportingOverflow(by: v)
                let remainder = overflow ? 0 : u % v
                let q = quotient &- (remainder != 0 && (u < 0) != (v < 0) ? 1 : 0)
                values[i] = op == .floorDivide ? q : u &- q &* v
            case .power:
                guard v >= 0 else {
                    throw .python("RuntimeError", "Integers to negative integer powers are not allowed.")
                }
                var r = 1
                for _ in 0..<min(v, 64) { r = r &* u }
                values[i] = r
            case .bitAnd: values[i] = u & v
            case .bitOr: values[i] = u | v
            case .bitXor: values[i] = u ^ v
            case .shiftLeft: values[i] = v >= 64 ? 0 : u << v
            case .shiftRight: values[i] = v >= 64 ? (u < 0 ? -1 : 0) : u >> v
            default: throw .python("TypeError", "unsupported operand type(s) for \(op.rawValue) on integer tensors")
            }
        }
        if resultType == .int32 { values = values.map { Int(Int32(truncatingIfNeeded: $0)) } }
        return TensorObject(values, shape: outShape, dtype: resultType)
    }

    private func matmul(_ a: TensorObject, _ b: TensorObject) throws(NotebookError) -> TensorObject {
        guard a.dtype.isFloat && b.dtype.isFloat else {
            throw .python(
                "RuntimeError",
                "expected m1 and m2 to have the same dtype, but got: \(a.dtype.scalarName.lowercased()) != \(b.dtype.scalarName.lowercased()) (use .float())"
            )
        }
        let (x, y) = (a.asFloat(), b.asFloat())
        if x.shape.count == 2 && y.shape.count == 2 && x.shape[1] != y.shape[0] {
            throw .python(
                "RuntimeError",
                "mat1 and mat2 shapes cannot be multiplied (\(x.shape[0])x\(x.shape[1]) and \(y.shape[0])x\(y.shape[1]))"
            )
        }
        if x.shape.isEmpty || y.shape.isEmpty {
            throw .python(
                "RuntimeError",
                "both arguments to matmul need to be at least 1D, but they are \(x.shape.count)D and \(y.shape.count)D")
        }
        if x.shape.count == 2 && y.shape.count == 2 { _ = try TorchErrors.elementCount([x.shape[0], y.shape[1]]) }
        // 1-D operands as PyTorch: a vector is a row on the left and a column on the right.
        let left = x.shape.count == 1 ? try TorchErrors.run { () throws(ShapeError) in try x.unsqueeze(0) } : x
        let right = y.shape.count == 1 ? try TorchErrors.run { () throws(ShapeError) in try y.unsqueeze(1) } : y
        var out = try TorchErrors.run { () throws(ShapeError) in try left.matmul(right) }
        if x.shape.count == 1 {
            out = try TorchErrors.run { () throws(ShapeError) in try out.squeeze(out.shape.count - 2) }
        }
        if y.shape.count == 1 {
            out = try TorchErrors.run { () throws(ShapeError) in try out.squeeze(out.shape.count - 1) }
        }
        let name =
            x.shape.count == 2 && y.shape.count == 2
            ? "MmBackward0" : x.shape.count == 1 && y.shape.count == 1 ? "DotBackward0" : "UnsafeViewBackward0"
        return TensorObject(out, gradFn: name)
    }

    /// `x op= y`: the tensor changes in place (every name for it sees the change), as in PyTorch.
    /// A tensor in the graph gets a new node for the change; a parameter (a leaf that requires grad)
    /// can be changed only inside `torch.no_grad()` or through `.data`, as PyTorch insists.
    package func inPlace(_ op: BinaryOperator, _ other: Object) throws(NotebookError) -> Object? {
        guard let operand = TensorObject.operand(other) else { return nil }
        try checkInPlace()
        let result = try TorchState.op { () throws(NotebookError) in try combine(op, operand, reversed: false) }
        guard result.shape == shape else {
            throw .python(
                "RuntimeError",
                "output with shape \(shape) doesn't match the broadcast shape \(result.shape)")
        }
        if result.dtype.isFloat && !dtype.isFloat {
            throw .python(
                "RuntimeError", "result type Float can't be cast to the desired output type \(dtype.scalarName)")
        }
        if case .float = storage, let t = result.floatTensor, t.requiresGrad, TorchState.noGradDepth == 0 {
            become(t, gradFn: result.gradFn)
        } else {
            try overwrite(with: result)
        }
        return .object(self)
    }

    /// PyTorch's refusal of an in-place change to a parameter outside `torch.no_grad()`.
    func checkInPlace() throws(NotebookError) {
        if case .float(let t) = storage, t.requiresGrad, t.op == nil, TorchState.noGradDepth == 0 {
            throw .python(
                "RuntimeError",
                "a leaf Variable that requires grad is being used in an in-place operation (update parameters inside `with torch.no_grad():` or through .data)"
            )
        }
    }

    /// Replaces every value with `source`'s (same shape), in place.
    func overwrite(with source: TensorObject) throws(NotebookError) {
        switch storage {
        case .float(let t):
            let from = source.asFloat()
            if t.sharesStorage(with: from) { return }  // `x.data = x.data`, after `x.data += …`
            if t.isContiguous && from.isContiguous {
                t.withUnsafeMutableBufferPointer { buffer in
                    from.withUnsafeBufferPointer { values in
                        if let base = buffer.baseAddress, let start = values.baseAddress {
                            base.update(from: start, count: min(buffer.count, values.count))
                        }
                    }
                }
                return
            }
            let values = from.scalars
            if t.isContiguous {
                t.withUnsafeMutableBufferPointer { buffer in
                    for i in 0..<min(buffer.count, values.count) { buffer[i] = values[i] }
                }
            } else {
                try TorchErrors.run { () throws(ShapeError) in try t.put(Array(0..<t.count), values) }
            }
        case .integer:
            let values = source.doubles().map { $0.isFinite && abs($0) < 9.2e18 ? Int($0.rounded(.towardZero)) : 0 }
            writeIntegers(Array(0..<numel), values)
        }
    }

    /// `a == b`, `a < b`, …: a bool tensor, compared elementwise with broadcasting.
    package func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object? {
        guard let operand = TensorObject.operand(other) else {
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            return nil
        }
        let (otherValues, otherShape): ([Double], [Int])
        switch operand {
        case .tensor(let t): (otherValues, otherShape) = (t.doubles(), t.shape)
        case .scalar(let d, let isFloat):
            (otherValues, otherShape) = ([dtype.isFloat || isFloat ? Double(Float(d)) : d], [])
        }
        let mine = doubles()
        return reversed
            ? try Self.compared(op, otherValues, otherShape, mine, shape)
            : try Self.compared(op, mine, shape, otherValues, otherShape)
    }

    /// `x op y` elementwise with broadcasting, as a bool tensor: float32 and float64 tensors both
    /// compare their values as doubles.
    static func compared(_ op: ComparisonOperator, _ xv: [Double], _ xs: [Int], _ yv: [Double], _ ys: [Int])
        throws(NotebookError) -> Object
    {
        let outShape = try TorchErrors.broadcast(xs, ys)
        let xr = TorchErrors.broadcastPositions(xs, to: outShape)
        let yr = TorchErrors.broadcastPositions(ys, to: outShape)
        let values = (0..<xr.count).map { i -> Int in
            let (u, v) = (xv[xr[i]], yv[yr[i]])
            let r: Bool
            switch op {
            case .equal: r = u == v
            case .notEqual: r = u != v
            case .less: r = u < v
            case .lessOrEqual: r = u <= v
            case .greater: r = u > v
            default: r = u >= v
            }
            return r ? 1 : 0
        }
        return .object(TensorObject(values, shape: outShape, dtype: .bool))
    }

    // MARK: Python's protocols

    package func makeIterator() throws(NotebookError) -> ObjectIterator {
        guard !shape.isEmpty else { throw .python("TypeError", "iteration over a 0-d tensor") }
        var i = 0
        let n = shape[0]
        return ObjectIterator { [self] () throws(NotebookError) -> Object? in
            guard i < n else { return nil }
            i += 1
            return .object(try selectFirst(i - 1))
        }
    }

    /// `t[i]` along the first dim.
    func selectFirst(_ i: Int) throws(NotebookError) -> TensorObject {
        switch storage {
        case .float(let t):
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try t.select(i, dim: 0) }, gradFn: "SelectBackward0")
        case .integer(let a):
            let stride = a.shape.dropFirst().reduce(1, *)
            return TensorObject(
                Array(a.values[(i * stride)..<((i + 1) * stride)]), shape: Array(a.shape.dropFirst()), dtype: dtype)
        }
    }
}

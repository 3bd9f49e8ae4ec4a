// `import numpy as np`, as far as the micrograd lecture uses it: float64 (and int64) arrays made by
// `np.arange`, `np.linspace`, `np.array`, …, elementwise arithmetic with broadcasting, the math
// functions (`np.tanh(xs)`), reductions, and numpy's own printing (`array([-5.  , -4.75, …])`), so
// that `ys = f(xs)` and `plt.plot(xs, ys)` work as in the lecture.
import Engine
import Foundation

/// A numpy array: row-major doubles, and whether they are integers (int64) or floats (float64).
package final class ArrayObject: NotebookObject, ArithmeticObject, IterableObject, IndexableObject, SizedObject {
    package static let typeName = "ndarray"
    package let shape: [Int]
    package let values: [Double]
    let isInteger: Bool

    init(_ values: [Double], shape: [Int], isInteger: Bool = false) {
        self.values = values
        self.shape = shape
        self.isInteger = isInteger
    }

    package var count: Int { shape.first ?? 0 }
    package var description: String { ArrayFormat.repr(self) }
    package var attributeNames: [String] {
        ["shape", "ndim", "size", "dtype", "T", "sum", "mean", "max", "min", "tolist"]
    }

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "shape": return .tuple(shape.map(Object.int))
        case "ndim": return .int(shape.count)
        case "size": return .int(values.count)
        case "dtype": return .string(isInteger ? "int64" : "float64")
        case "sum", "mean", "max", "min":
            return .function(
                Function(name: "ndarray.\(name)") { [self] (_: Arguments) throws(NotebookError) -> Object in
                    try reduce(name)
                })
        case "tolist":
            return .function(
                Function(name: "ndarray.tolist") { [self] (_: Arguments) throws(NotebookError) -> Object in
                    try Builtins.checkLength(values.count, of: "list")
                    return .list(values.map(element))
                })
        default:
            throw .python("AttributeError", "'numpy.ndarray' object has no attribute '\(name)'")
        }
    }

    func element(_ v: Double) -> Object { isInteger ? .int(v.clampedInt) : .float(v) }

    func reduce(_ name: String) throws(NotebookError) -> Object {
        guard !values.isEmpty || name == "sum" else {
            throw .python("ValueError", "zero-size array to reduction operation \(name) which has no identity")
        }
        switch name {
        case "sum": return element(values.reduce(0, +))
        case "mean": return .float(values.reduce(0, +) / Double(values.count))
        case "max": return element(values.max()!)
        default: return element(values.min()!)
        }
    }

    package func makeIterator() -> ObjectIterator {
        guard shape.count > 1 else { return ObjectIterator(items: values.map(element)) }
        let stride = shape.dropFirst().reduce(1, *)
        return ObjectIterator(
            items: (0..<shape[0]).map { i in
                .object(
                    ArrayObject(
                        Array(values[(i * stride)..<((i + 1) * stride)]), shape: Array(shape.dropFirst()),
                        isInteger: isInteger))
            })
    }

    package func item(at key: Object) throws(NotebookError) -> Object {
        guard let first = shape.first else { throw .python("IndexError", "too many indices for array") }
        let stride = shape.dropFirst().reduce(1, *)
        if case .object(let slice as SliceObject) = key {
            let picked = try slice.indices(count: first).flatMap { i in values[(i * stride)..<((i + 1) * stride)] }
            return .object(
                ArrayObject(picked, shape: [picked.count / max(stride, 1)] + shape.dropFirst(), isInteger: isInteger))
        }
        let i = try Interpreter.index(key, count: first, kind: "array")
        if shape.count == 1 { return element(values[i]) }
        return .object(
            ArrayObject(
                Array(values[(i * stride)..<((i + 1) * stride)]), shape: Array(shape.dropFirst()), isInteger: isInteger)
        )
    }

    package func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object {
        let (theirs, theirShape, theirInteger): ([Double], [Int], Bool)
        switch other {
        case .object(let a as ArrayObject): (theirs, theirShape, theirInteger) = (a.values, a.shape, a.isInteger)
        case .int(let n): (theirs, theirShape, theirInteger) = ([Double(n)], [], true)
        case .bool(let b): (theirs, theirShape, theirInteger) = ([b ? 1 : 0], [], true)
        case .float(let d): (theirs, theirShape, theirInteger) = ([d], [], false)
        case .list, .tuple:
            let made = try Numpy.array(other)
            return try binary(op, .object(made), reversed: reversed)
        default:
            throw .python(
                "TypeError", "unsupported operand type(s) for \(op.rawValue): 'numpy.ndarray' and '\(other.typeName)'")
        }
        let (xs, xShape, ys, yShape) =
            reversed ? (theirs, theirShape, values, shape) : (values, shape, theirs, theirShape)
        let outShape: [Int]
        do {
            outShape = try TorchErrors.broadcast(xShape, yShape)
        } catch {
            throw .python(
                "ValueError",
                "operands could not be broadcast together with shapes \(TorchErrors.tupleText(xShape)) \(TorchErrors.tupleText(yShape)) "
            )
        }
        let xr = TorchErrors.broadcastPositions(xShape, to: outShape)
        let yr = TorchErrors.broadcastPositions(yShape, to: outShape)
        let integer = isInteger && theirInteger && op != .divide && op != .power
        var out = [Double](repeating: 0, count: xr.count)
        for i in 0..<xr.count {
            let (a, b) = (xs[xr[i]], ys[yr[i]])
            switch op {
            case .add: out[i] = a + b
            case .subtract: out[i] = a - b
            case .multiply: out[i] = a * b
            case .divide: out[i] = a / b
            case .power: out[i] = Foundation.pow(a, b)
            case .floorDivide: out[i] = (a / b).rounded(.down)
            case .remainder: out[i] = a - (a / b).rounded(.down) * b
            default:
                throw .python(
                    "TypeError", "unsupported operand type(s) for \(op.rawValue): numpy arrays take + - * / // % **")
            }
        }
        return .object(ArrayObject(out, shape: outShape, isInteger: integer))
    }

    package func negated() throws(NotebookError) -> Object {
        .object(ArrayObject(values.map { -$0 }, shape: shape, isInteger: isInteger))
    }
}

/// numpy's functions: making arrays, elementwise math, reductions.
enum Numpy {
    static func array(_ data: Object) throws(NotebookError) -> ArrayObject {
        var shape: [Int] = []
        var flat: [Double] = []
        var integer = true
        func walk(_ o: Object, _ depth: Int) throws(NotebookError) {
            guard depth < 32 else { throw .python("ValueError", "np.array(): the data is nested too deeply") }
            var items: [Object]?
            if case .list(let box) = o { items = box.items }
            if case .tuple(let box) = o { items = box.items }
            if case .object(let a as ArrayObject) = o {
                var iterator = a.makeIterator()
                items = try iterator.collect()
            }
            if let items {
                if depth == shape.count { shape.append(items.count) }
                guard shape[depth] == items.count else {
                    throw .python(
                        "ValueError",
                        "setting an array element with a sequence. The requested array has an inhomogeneous shape after \(depth) dimensions."
                    )
                }
                for item in items { try walk(item, depth + 1) }
                return
            }
            guard depth == shape.count else {
                throw .python("ValueError", "setting an array element with a sequence: the rows differ in depth")
            }
            if case .float = o { integer = false }
            flat.append(try o.number(as: "each item of np.array()"))
            try Builtins.checkLength(flat.count, of: "array")
        }
        try walk(data, 0)
        return ArrayObject(flat, shape: shape, isInteger: integer && !flat.isEmpty)
    }
}

extension Interpreter {
    func numpyModule() -> Object {
        var members: [String: Object] = [
            "pi": .float(Double.pi), "e": .float(M_E), "inf": .float(.infinity), "nan": .float(.nan)
        ]
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) {
            members[name] = .function(Function(name: "np.\(name)", call: body))
        }
        function("array") { (args) throws(NotebookError) in .object(try Numpy.array(args.positional.first ?? .list([])))
        }
        function("arange") { (args) throws(NotebookError) in
            let numbers = args.positional
            guard (1...3).contains(numbers.count) else { throw .python("TypeError", "arange() takes 1 to 3 numbers") }
            let isFloat = numbers.contains { if case .float = $0 { true } else { false } }
            let (start, stop, step) =
                numbers.count == 1
                ? (0.0, try numbers[0].number(as: "arange()'s stop"), 1.0)
                : (
                    try numbers[0].number(as: "arange()'s start"), try numbers[1].number(as: "arange()'s stop"),
                    numbers.count == 3 ? try numbers[2].number(as: "arange()'s step") : 1.0
                )
            guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
                throw .python("ValueError", "arange() needs finite numbers and a non-zero step")
            }
            let n = max(0, ((stop - start) / step).rounded(.up))
            guard n <= Double(Builtins.maximumLength) else {
                try Builtins.checkLength(Int.max, of: "array")
                return .none
            }
            // As numpy fills it: the step actually taken is (start + step) - start, and each value is
            // start + i * that (np.arange(-5, 5, 0.2)[25] is 4.4e-15, not 0).
            let delta = (start + step) - start
            let values = (0..<Int(n)).map { start + Double($0) * delta }
            return .object(ArrayObject(values, shape: [values.count], isInteger: !isFloat))
        }
        function("linspace") { (args) throws(NotebookError) in
            let start = try args.number(0, "start")
            let stop = try args.number(1, "stop")
            let num = try args.integer(2, "num", default: 50)
            guard num >= 0 else { throw .python("ValueError", "Number of samples, \(num), must be non-negative.") }
            try Builtins.checkLength(num, of: "array")
            let step = num > 1 ? (stop - start) / Double(num - 1) : 0
            var values = (0..<num).map { start + Double($0) * step }
            if num > 1 { values[num - 1] = stop }
            return .object(ArrayObject(values, shape: [num]))
        }
        for (name, value) in [("zeros", 0.0), ("ones", 1.0)] {
            function(name) { (args) throws(NotebookError) in
                var shape: [Int] = []
                if case .tuple(let box)? = args.positional.first {
                    for o in box.items { shape.append(try o.integer(as: "a size")) }
                } else if case .list(let box)? = args.positional.first {
                    for o in box.items { shape.append(try o.integer(as: "a size")) }
                } else {
                    shape = [try args.integer(0, "shape")]
                }
                guard shape.allSatisfy({ $0 >= 0 }) else {
                    throw .python("ValueError", "negative dimensions are not allowed")
                }
                guard let n = shape.checkedProduct else {
                    throw .python("ValueError", "array is too big: its number of elements does not fit in 64 bits")
                }
                try Builtins.checkLength(n, of: "array")
                return .object(ArrayObject([Double](repeating: value, count: n), shape: shape))
            }
        }
        let math: [(String, (Double) -> Double)] = [
            ("tanh", Foundation.tanh), ("exp", Foundation.exp), ("log", Foundation.log), ("sqrt", Foundation.sqrt),
            ("abs", Swift.abs), ("sin", Foundation.sin), ("cos", Foundation.cos)
        ]
        for (name, f) in math {
            function(name) { (args) throws(NotebookError) in
                guard let x = args.positional.first else { throw .python("TypeError", "np.\(name)() needs a value") }
                if case .object(let a as ArrayObject) = x {
                    return .object(
                        ArrayObject(a.values.map(f), shape: a.shape, isInteger: name == "abs" && a.isInteger))
                }
                if case .list = x {
                    let a = try Numpy.array(x)
                    return .object(ArrayObject(a.values.map(f), shape: a.shape))
                }
                return .float(f(try x.number(as: "np.\(name)()'s argument")))
            }
        }
        for name in ["sum", "mean", "max", "min"] {
            function(name) { (args) throws(NotebookError) in
                guard let x = args.positional.first else { throw .python("TypeError", "np.\(name)() needs a value") }
                if case .object(let a as ArrayObject) = x { return try a.reduce(name) }
                return try Numpy.array(x).reduce(name)
            }
        }
        return .object(ModuleObject(name: "numpy", members: members))
    }
}

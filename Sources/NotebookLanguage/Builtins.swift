// The built-in names of the notebook: Python's built-in functions and types as the lectures use
// them (`print`, `range`, `len`, `sorted`, `zip`, `int`, `isinstance`, `open`, …), its exceptions,
// and `Value`.
import Engine
import Foundation
import SafeFiles

package enum Builtins {
    /// The longest list (in items) or string (in bytes) the notebook makes: keeps `range(10**12)`,
    /// or `xs = xs + xs` in a loop, from exhausting memory.
    package static let maximumLength = 10_000_000

    /// Python's MemoryError, before the memory is asked for.
    package static func checkLength(_ count: Int, of kind: String) throws(NotebookError) {
        if count > 100_000 { try MemoryGuard.note(count) }
        guard count > maximumLength else { return }
        throw .python(
            "MemoryError",
            "the \(kind) would hold \(count) \(kind == "string" ? "bytes" : "items"); the notebook's lists and strings hold at most \(maximumLength)"
        )
    }

    /// The exceptions `raise` and `except` know.
    static let exceptionNames = [
        "BaseException", "Exception", "ValueError", "TypeError", "KeyError", "IndexError", "ZeroDivisionError",
        "RuntimeError", "AssertionError", "NotImplementedError", "StopIteration", "AttributeError", "NameError",
        "OverflowError", "RecursionError", "ArithmeticError", "LookupError", "ImportError", "ModuleNotFoundError",
        "FileNotFoundError", "OSError", "MemoryError", "KeyboardInterrupt", "UnboundLocalError"
    ]

    package static func make(_ interpreter: Interpreter) -> [(String, Object)] {
        @Unretained var interpreter = interpreter
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) -> (String, Object)
        {
            (name, .function(Function(name: name, call: body)))
        }
        func type(_ name: String, _ make: @escaping (Arguments) throws(NotebookError) -> Object) -> (String, Object) {
            (name, .object(BuiltinType(name, matches: matcher(name), make: make)))
        }
        func single(_ args: Arguments) throws(NotebookError) -> Object? {
            try args.expect(atMost: 1)
            return args.positional.first
        }
        var entries: [(String, Object)] = [
            ("True", .bool(true)), ("False", .bool(false)), ("None", .none),
            ("NotImplemented", .object(NotImplementedObject())), ("Ellipsis", .object(EllipsisObject())),
            ("math", Modules.math(interpreter)),
            type("Value") { (args) throws(NotebookError) in
                try args.expect(atMost: 4, keywords: ["data", "_children", "_op", "label"])
                let data = try args.number(0, "data")
                return .value(Value(data, label: try args.string(3, "label", default: "")))
            },
            type("int") {
                (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["base"])
                guard let x = args.positional.first else { return .int(0) }
                /// A float toward zero, as Python's int(float) (a one-element tensor's too).
                func truncated(_ d: Double) throws(NotebookError) -> Object {
                    guard d.isFinite else {
                        throw .python(
                            d.isNaN ? "ValueError" : "OverflowError",
                            "cannot convert float \(d.pythonRepr) to integer")
                    }
                    guard abs(d) < 9.2e18 else {
                        throw .python("OverflowError", "int(\(d.pythonRepr)) does not fit in 64 bits")
                    }
                    return .int(Int(d.rounded(.towardZero)))
                }
                switch x {
                case .int: return x
                case .bool(let b): return .int(b ? 1 : 0)
                case .float(let d): return try truncated(d)
                case .string(let s):
                    let base = try args.integer(1, "base", default: 10)
                    let text = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                    guard base == 0 || (2...36).contains(base) else {
                        throw .python("ValueError", "int() base must be >= 2 and <= 36, or 0")
                    }
                    guard let n = Int(text, radix: base == 0 ? 10 : base) else {
                        throw .python("ValueError", "invalid literal for int() with base \(base): \(s.pythonRepr)")
                    }
                    return .int(n)
                case .value(let v): return .int(Int(v.data.rounded(.towardZero)))
                case .object(let t as DoubleTensorObject) where t.values.count == 1: return try truncated(t.values[0])
                case .object(let t as TensorObject) where t.numel == 1:
                    let item = try t.item()
                    if case .float(let d) = item { return try truncated(d) }
                    return .int(try item.integer(as: "int()'s argument"))
                default:
                    if case .instance = x, let f = interpreter.special(x, "__int__") {
                        return try interpreter.invoke(f, [x], [])
                    }
                    throw .python("TypeError", "int() argument must be a string or a number, not '\(x.typeName)'")
                }
            },
            type("float") { (args) throws(NotebookError) in
                guard let x = try single(args) else { return .float(0) }
                if case .string(let s) = x {
                    let text = s.trimmingCharacters(in: .whitespaces).lowercased()
                    switch text {
                    case "inf", "+inf", "infinity": return .float(.infinity)
                    case "-inf", "-infinity": return .float(-.infinity)
                    case "nan", "+nan", "-nan": return .float(.nan)
                    default:
                        guard let n = Double(text.replacingOccurrences(of: "_", with: "")) else {
                            throw .python("ValueError", "could not convert string to float: \(s.pythonRepr)")
                        }
                        return .float(n)
                    }
                }
                if case .instance = x, let f = interpreter.special(x, "__float__") {
                    return try interpreter.invoke(f, [x], [])
                }
                return .float(try x.number(as: "float()'s argument"))
            },
            type("bytes") { (args) throws(NotebookError) in try BytesObject.make(args, interpreter) },
            type("bytearray") { (args) throws(NotebookError) in try ByteArrayObject.make(args) },
            type("bool") { (args) throws(NotebookError) in
                guard let x = try single(args) else { return .bool(false) }
                return .bool(try interpreter.truth(x))
            },
            type("str") { (args) throws(NotebookError) in
                guard let x = try single(args) else { return .string("") }
                return .string(try interpreter.str(x))
            },
            type("list") { (args) throws(NotebookError) in
                guard let x = try single(args) else { return .list([]) }
                return .list(try interpreter.items(of: x))
            },
            type("tuple") { (args) throws(NotebookError) in
                guard let x = try single(args) else { return .tuple([]) }
                if case .tuple = x { return x }
                return .tuple(try interpreter.items(of: x))
            },
            type("set") { (args) throws(NotebookError) in
                guard let x = try single(args) else { return .set(SetBox()) }
                return .set(try SetBox(try interpreter.items(of: x)))
            },
            type("dict") { (args) throws(NotebookError) in
                try args.expect(atMost: 1, keywords: args.keywords.map(\.name))
                let dict = DictBox()
                if let source = args.positional.first {
                    if case .dict(let box) = source {
                        for (k, v) in zip(box.keys, box.values) { try dict.set(k, v) }
                    } else {
                        for pair in try interpreter.items(of: source) {
                            let parts = try interpreter.items(of: pair)
                            guard parts.count == 2 else {
                                throw .python(
                                    "ValueError",
                                    "dictionary update sequence element has length \(parts.count); 2 is required")
                            }
                            try dict.set(parts[0], parts[1])
                        }
                    }
                }
                for (k, v) in args.keywords { try dict.set(.string(k), v) }
                return .dict(dict)
            },
            type("object") { (_: Arguments) throws(NotebookError) -> Object in
                throw .python("TypeError", "object() cannot be made in the notebook")
            },
            type("range") {
                (args) throws(NotebookError) in
                try args.expect(atMost: 3)
                var numbers: [Int] = []
                for o in args.positional {
                    guard case .int = o.withoutBool else {
                        throw .python("TypeError", "'\(o.typeName)' object cannot be interpreted as an integer")
                    }
                    numbers.append(try o.integer(as: "range()'s argument"))
                }
                let (start, stop, step): (Int, Int, Int)
                switch numbers.count {
                case 1: (start, stop, step) = (0, numbers[0], 1)
                case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
                case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
                default: throw .python("TypeError", "range expected at least 1 argument, got 0")
                }
                guard step != 0 else { throw .python("ValueError", "range() arg 3 must not be zero") }
                return .object(RangeObject(start, stop, step))
            },
            function("print") { (args) throws(NotebookError) in
                try args.expect(atMost: .max, keywords: ["sep", "end", "flush", "file"])
                let sep = try optionalText(args, "sep") ?? " "
                let end = try optionalText(args, "end") ?? "\n"
                var parts: [String] = []
                for o in args.positional { parts.append(try interpreter.str(o)) }
                interpreter.write(parts.joined(separator: sep) + end)
                return .none
            },
            function("len") { (args) throws(NotebookError) in
                guard let o = try single(args) else {
                    throw .python("TypeError", "len() takes exactly one argument (0 given)")
                }
                switch o {
                case .string(let s): return .int(s.unicodeScalars.count)
                case .list(let box): return .int(box.items.count)
                case .tuple(let box): return .int(box.items.count)
                case .dict(let box): return .int(box.count)
                case .set(let box): return .int(box.count)
                case .object(let r as RangeObject):
                    guard r.count < Int.max else {
                        throw .python("OverflowError", "the range holds more than 2**63 - 1 numbers")
                    }
                    return .int(r.count)
                case .object(let v as DictView): return .int(v.items.count)
                case .object(let t as TensorObject):
                    guard let first = t.shape.first else { throw .python("TypeError", "len() of a 0-d tensor") }
                    return .int(first)
                case .object(let t as DoubleTensorObject):
                    guard let first = t.shape.first else { throw .python("TypeError", "len() of a 0-d tensor") }
                    return .int(first)
                case .instance:
                    if let f = interpreter.special(o, "__len__") { return try interpreter.invoke(f, [o], []) }
                case .object(let sized as any SizedObject): return .int(sized.count)
                default: break
                }
                throw .python("TypeError", "object of type '\(o.typeName)' has no len()")
            },
            function("repr") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "repr() takes exactly one argument") }
                return .string(try interpreter.repr(o))
            },
            function("format") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                guard let o = args.positional.first else { throw .python("TypeError", "format() needs a value") }
                return .string(try interpreter.format(o, spec: try args.string(1, "format_spec", default: "")))
            },
            function("abs") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "abs() takes exactly one argument") }
                switch o {
                case .int(let n):
                    guard n != .min else { throw .python("OverflowError", "abs(\(n)) does not fit in 64 bits") }
                    return .int(abs(n))
                case .bool(let b): return .int(b ? 1 : 0)
                case .float(let x): return .float(abs(x))
                case .instance:
                    if let f = interpreter.special(o, "__abs__") { return try interpreter.invoke(f, [o], []) }
                case .object(let t as TensorObject):
                    return .object(try TorchState.op { () throws(NotebookError) in try t.elementwise("abs") })
                case .object(let t as DoubleTensorObject): return .object(t.elementwise("abs"))
                default: break
                }
                throw .python("TypeError", "bad operand type for abs(): '\(o.typeName)'")
            },
            function("round") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["ndigits"])
                guard let o = args.value(0, "number") else { throw .python("TypeError", "round() needs a number") }
                let digits = args.value(1, "ndigits")
                if case .int = o.withoutBool, digits.map({ $0 == .none }) ?? true { return o.withoutBool }
                let x = try o.number(as: "round()'s argument")
                guard let digits, !(digits == .none) else {
                    guard x.isFinite else {
                        throw .python(
                            x.isNaN ? "ValueError" : "OverflowError", "cannot convert float \(x.pythonRepr) to integer")
                    }
                    let rounded = x.rounded(.toNearestOrEven)
                    guard abs(rounded) < 9.2e18 else {
                        throw .python("OverflowError", "round(\(x.pythonRepr)) does not fit in a 64-bit int")
                    }
                    return .int(Int(rounded))
                }
                let n = try digits.integer(as: "round()'s ndigits")
                guard x.isFinite, n < 300 else { return .float(x) }
                guard n >= 0 else {
                    guard n > -400 else { return .float(0 * x) }  // 10**400 is past every float
                    let scale = Foundation.pow(10, Double(-n))
                    return .float((x / scale).rounded(.toNearestOrEven) * scale)
                }
                return .float(Double(String(format: "%.\(n)f", x)) ?? x)
            },
            function("pow") { (args) throws(NotebookError) in
                try args.expect(atMost: 3)
                guard args.positional.count >= 2 else {
                    throw .python("TypeError", "pow() needs a base and an exponent")
                }
                if args.positional.count == 3 {
                    let base = try args.integer(0, "base")
                    var exponent = try args.integer(1, "exp")
                    let modulus = try args.integer(2, "mod")
                    guard modulus != 0 else { throw .python("ValueError", "pow() 3rd argument cannot be 0") }
                    guard exponent >= 0 else {
                        throw .python("ValueError", "negative exponents with a modulus are not supported")
                    }
                    // Exact modular products in 128 bits, for any 64-bit modulus.
                    let m = UInt64(modulus.magnitude)
                    func times(_ x: UInt64, _ y: UInt64) -> UInt64 {
                        m.dividingFullWidth(x.multipliedFullWidth(by: y)).remainder
                    }
                    var b = UInt64(base.magnitude) % m
                    if base < 0 && b != 0 { b = m - b }
                    var result: UInt64 = 1 % m
                    while exponent > 0 {
                        if exponent & 1 == 1 { result = times(result, b) }
                        b = times(b, b)
                        exponent >>= 1
                    }
                    // Python's sign: the result lies between the modulus and 0.
                    if modulus < 0 && result != 0 { return .int(-Int(m - result)) }
                    return .int(Int(result))
                }
                return try interpreter.binary(.power, args.positional[0], args.positional[1])
            },
            function("divmod") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                guard args.positional.count == 2 else { throw .python("TypeError", "divmod expected 2 arguments") }
                let (a, b) = (args.positional[0], args.positional[1])
                return .tuple([try interpreter.binary(.floorDivide, a, b), try interpreter.binary(.remainder, a, b)])
            },
            function("sum") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["start"])
                guard let items = args.positional.first else {
                    throw .python("TypeError", "sum() takes at least 1 positional argument (0 given)")
                }
                var total = args.value(1, "start") ?? .int(0)
                var iterator = try interpreter.iterate(items)
                while let item = try iterator.next() {
                    try interpreter.tick()
                    total = try interpreter.binary(.add, total, item)
                }
                return total
            },
            function("min") { (args) throws(NotebookError) in try extreme(args, interpreter, wantsSmallest: true) },
            function("max") { (args) throws(NotebookError) in try extreme(args, interpreter, wantsSmallest: false) },
            function("sorted") { (args) throws(NotebookError) in
                try args.expect(atMost: 1, keywords: ["key", "reverse"])
                guard let items = args.positional.first else {
                    throw .python("TypeError", "sorted expected 1 argument, got 0")
                }
                return .list(
                    try interpreter.sorted(
                        try interpreter.items(of: items), key: args.value(.max, "key"),
                        reverse: args.value(.max, "reverse")))
            },
            function("reversed") { (args) throws(NotebookError) in
                guard let o = try single(args) else {
                    throw .python("TypeError", "reversed expected 1 argument, got 0")
                }
                if case .instance = o, let f = interpreter.special(o, "__reversed__") {
                    return try interpreter.invoke(f, [o], [])
                }
                switch o {
                case .list(let box):
                    // Lazy, as Python's: no reversed copy of the list is made.
                    return .object(IteratorObject(kind: "reversed", ObjectIterator(reversing: box)))
                case .tuple, .string, .object(is RangeObject), .instance:
                    return .object(
                        IteratorObject(kind: "reversed", ObjectIterator(items: try interpreter.items(of: o).reversed()))
                    )
                default:
                    throw .python("TypeError", "'\(o.typeName)' object is not reversible")
                }
            },
            function("enumerate") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["start"])
                guard let items = args.positional.first else {
                    throw .python("TypeError", "enumerate() needs an iterable")
                }
                var n = try args.integer(1, "start", default: 0)
                var iterator = try interpreter.iterate(items)
                return .object(
                    IteratorObject(
                        kind: "enumerate",
                        ObjectIterator { () throws(NotebookError) -> Object? in
                            guard let item = try iterator.next() else { return nil }
                            let count = n
                            let (next, overflow) = n.addingReportingOverflow(1)
                            if overflow { throw .python("OverflowError", "enumerate() counted past 64 bits") }
                            n = next
                            return .tuple([.int(count), item])
                        }))
            },
            function("zip") { (args) throws(NotebookError) in
                try args.expect(atMost: .max, keywords: ["strict"])
                let strict = try args.value(.max, "strict").map(interpreter.truth) ?? false
                var iterators: [ObjectIterator] = []
                for o in args.positional { iterators.append(try interpreter.iterate(o)) }
                return .object(IteratorObject(kind: "zip", ObjectIterator(zipping: iterators, strict: strict)))
            },
            function("map") { (args) throws(NotebookError) in
                guard args.positional.count >= 2 else {
                    throw .python("TypeError", "map() must have at least two arguments.")
                }
                let f = args.positional[0]
                var iterators: [ObjectIterator] = []
                for o in args.positional.dropFirst() { iterators.append(try interpreter.iterate(o)) }
                return .object(
                    IteratorObject(
                        kind: "map",
                        ObjectIterator { () throws(NotebookError) -> Object? in
                            var row: [Object] = []
                            row.reserveCapacity(iterators.count)
                            for i in iterators.indices {
                                guard let item = try iterators[i].next() else { return nil }
                                row.append(item)
                            }
                            return try interpreter.call(f, row)
                        }))
            },
            function("filter") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                guard args.positional.count == 2 else { throw .python("TypeError", "filter expected 2 arguments") }
                let f = args.positional[0]
                var iterator = try interpreter.iterate(args.positional[1])
                return .object(
                    IteratorObject(
                        kind: "filter",
                        ObjectIterator { () throws(NotebookError) -> Object? in
                            while let item = try iterator.next() {
                                let keep = f == .none ? item : try interpreter.call(f, [item])
                                if try interpreter.truth(keep) { return item }
                            }
                            return nil
                        }))
            },
            function("iter") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "iter expected 1 argument, got 0") }
                if case .object(let it as IteratorObject) = o { return .object(it) }
                return .object(IteratorObject(kind: "iterator", try interpreter.iterate(o)))
            },
            function("next") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                guard case .object(let it as IteratorObject)? = args.positional.first else {
                    throw .python(
                        "TypeError", "'\(args.positional.first?.typeName ?? "nothing")' object is not an iterator")
                }
                if let item = try it.next() { return item }
                if args.positional.count > 1 { return args.positional[1] }
                throw .python("StopIteration", "")
            },
            function("any") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "any() takes exactly one argument") }
                var iterator = try interpreter.iterate(o)
                while let item = try iterator.next() { if try interpreter.truth(item) { return .bool(true) } }
                return .bool(false)
            },
            function("all") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "all() takes exactly one argument") }
                var iterator = try interpreter.iterate(o)
                while let item = try iterator.next() { if !(try interpreter.truth(item)) { return .bool(false) } }
                return .bool(true)
            },
            function("isinstance") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                guard args.positional.count == 2 else { throw .python("TypeError", "isinstance expected 2 arguments") }
                return .bool(try isInstance(args.positional[0], args.positional[1]))
            },
            function("callable") { (args) throws(NotebookError) in
                guard let o = try single(args) else {
                    throw .python("TypeError", "callable() takes exactly one argument")
                }
                switch o {
                case .function, .closure, .method, .type: return .bool(true)
                case .instance(let i): return .bool(i.type.lookup("__call__") != nil)
                case .object(let b): return .bool(b is BuiltinType)
                default: return .bool(false)
                }
            },
            function("type") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "type() takes 1 argument") }
                if case .instance(let i) = o { return .type(i.type) }
                if case .bool = o, let t = interpreter.builtin("bool") { return t }
                let name = o.typeName
                return interpreter.builtin(name)
                    ?? .object(
                        BuiltinType(name, matches: { $0.typeName == name }) {
                            (_: Arguments) throws(NotebookError) -> Object in
                            throw .python("TypeError", "cannot create '\(name)' instances")
                        })
            },
            function("dir") { (args) throws(NotebookError) in
                guard let o = try single(args) else {
                    return .list(interpreter.globals.keys.sorted().map(Object.string))
                }
                var names: [String]
                switch o {
                case .instance(let i):
                    names = i.fieldNames + i.type.order.flatMap { Array($0.attributes.keys) }
                case .type(let t): names = t.order.flatMap { Array($0.attributes.keys) }
                case .object(let n): names = n.attributeNames
                default: names = Methods.names(of: o)
                }
                return .list(Array(Set(names)).sorted().map(Object.string))
            },
            function("hash") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "hash() takes exactly one argument") }
                return .int(stableHash(try HashKey(o)))
            },
            function("ord") { (args) throws(NotebookError) in
                guard case .string(let s)? = try single(args), s.unicodeScalars.count == 1,
                    let scalar = s.unicodeScalars.first
                else {
                    throw .python("TypeError", "ord() expected a character (a string of length 1)")
                }
                return .int(Int(scalar.value))
            },
            function("chr") { (args) throws(NotebookError) in
                let n = try args.integer(0, "i")
                guard n >= 0, n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else {
                    throw .python("ValueError", "chr() arg not in range(0x110000)")
                }
                return .string(String(Character(scalar)))
            },
            function("getattr") { (args) throws(NotebookError) in
                try args.expect(atMost: 3)
                guard args.positional.count >= 2 else {
                    throw .python("TypeError", "getattr expected at least 2 arguments")
                }
                let name = try args.string(1, "name")
                do throws(NotebookError) {
                    return try interpreter.attribute(name, of: args.positional[0])
                } catch {
                    if args.positional.count == 3, error.exceptionType == "AttributeError" { return args.positional[2] }
                    throw error
                }
            },
            function("setattr") { (args) throws(NotebookError) in
                try args.expect(atMost: 3)
                guard args.positional.count == 3 else { throw .python("TypeError", "setattr expected 3 arguments") }
                try interpreter.setAttribute(try args.string(1, "name"), of: args.positional[0], to: args.positional[2])
                return .none
            },
            function("hasattr") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                guard args.positional.count == 2 else { throw .python("TypeError", "hasattr expected 2 arguments") }
                return .bool((try? interpreter.attribute(try args.string(1, "name"), of: args.positional[0])) != nil)
            },
            function("open") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["mode", "encoding"])
                let path = try args.string(0, "file")
                let mode = try args.string(1, "mode", default: "r")
                switch mode {
                case "r", "rt": return .object(try FileObject(path: path))
                case "w", "wt": return .object(try WritableFileObject(path: path))
                default:
                    throw .python(
                        "ValueError",
                        "the notebook opens files with mode 'r' (read) or 'w' (write the whole file), not '\(mode)'")
                }
            },
            function("input") { (_: Arguments) throws(NotebookError) -> Object in
                throw .python(
                    "RuntimeError", "input() is not available in the notebook; assign the value to a name instead")
            },
            function("cmp") { (args) throws(NotebookError) in
                interpreter.write(try TensorObject.compareWithAutograd(args) + "\n")
                return .none
            },
            function("id") { (args) throws(NotebookError) in
                guard let o = try single(args) else { throw .python("TypeError", "id() takes exactly one argument") }
                return .int(identity(of: o))
            }
        ]
        // `Value.tanh(v)`, as micrograd's tests pass `Value.tanh` around as a function.
        if let valueType = entries.first(where: { $0.0 == "Value" }),
            case .object(let type as BuiltinType) = valueType.1
        {
            for method in ["exp", "log", "tanh", "relu", "sigmoid", "backward", "zero_grad"] {
                type.methods[method] = .function(
                    Function(name: "Value.\(method)") { (args) throws(NotebookError) in
                        guard args.positional.count == 1, case .value(let v) = args.positional[0] else {
                            throw .python("TypeError", "Value.\(method)() takes one Value")
                        }
                        return try interpreter.call(try interpreter.attribute(method, of: .value(v)), [])
                    })
            }
        }
        for name in exceptionNames {
            let exception = BuiltinType(
                name, matches: { _ in false },
                make: { (args) throws(NotebookError) in
                    let detail = try args.positional.map { (o) throws(NotebookError) in try interpreter.str(o) }.joined(
                        separator: ", ")
                    return .object(ExceptionObject(.python(name, detail)))
                })
            exception.isException = true
            entries.append((name, .object(exception)))
        }
        return entries
    }

    /// Which objects `isinstance(x, T)` takes for the built-in type named `name`.
    private static func matcher(_ name: String) -> (Object) -> Bool {
        { object in
            switch name {
            case "Value": if case .value = object { true } else { false }
            case "int": if case .int = object { true } else if case .bool = object { true } else { false }
            case "float": if case .float = object { true } else { false }
            case "bytes": if case .object(is BytesObject) = object { true } else { false }
            case "bytearray": if case .object(is ByteArrayObject) = object { true } else { false }
            case "bool": if case .bool = object { true } else { false }
            case "str": if case .string = object { true } else { false }
            case "list": if case .list = object { true } else { false }
            case "tuple": if case .tuple = object { true } else { false }
            case "set": if case .set = object { true } else { false }
            case "dict": if case .dict = object { true } else { false }
            case "object": true
            case "range": if case .object(let o) = object { o is RangeObject } else { false }
            default: false
            }
        }
    }

    private static func optionalText(_ args: Arguments, _ name: String) throws(NotebookError) -> String? {
        guard let value = args.keywords.first(where: { $0.name == name })?.value else { return nil }
        if case .none = value { return nil }
        guard case .string(let s) = value else {
            throw .python("TypeError", "\(name) must be None or a string, not \(value.typeName)")
        }
        return s
    }

    /// `isinstance(x, T)` with T a class, a built-in type or a tuple of them.
    static func isInstance(_ object: Object, _ type: Object) throws(NotebookError) -> Bool {
        switch type {
        case .type(let c):
            if case .instance(let i) = object { return i.type.isSubclass(of: c) }
            return false
        case .object(let t as BuiltinType):
            if t.name == "int", case .bool = object { return true }
            return t.matches(object)
        case .tuple(let box):
            for t in box.items where try isInstance(object, t) { return true }
            return false
        default:
            throw .python("TypeError", "isinstance() arg 2 must be a type or tuple of types, not \(type.typeName)")
        }
    }

    /// `min`/`max` over the arguments, or over one iterable, with `key=` and `default=`.
    private static func extreme(_ args: Arguments, _ interpreter: Interpreter, wantsSmallest: Bool)
        throws(NotebookError)
        -> Object
    {
        try args.expect(atMost: .max, keywords: ["key", "default"])
        let items = args.positional.count == 1 ? try interpreter.items(of: args.positional[0]) : args.positional
        guard var best = items.first else {
            if let fallback = args.value(.max, "default") { return fallback }
            throw .python("ValueError", "\(args.function)() arg is an empty sequence")
        }
        let key = args.value(.max, "key")
        func keyOf(_ o: Object) throws(NotebookError) -> Object {
            guard let key, !(key == .none) else { return o }
            return try interpreter.call(key, [o])
        }
        var bestKey = try keyOf(best)
        for item in items.dropFirst() {
            let k = try keyOf(item)
            let order = try interpreter.ordering(k, bestKey)
            if wantsSmallest ? order < 0 : order > 0 { (best, bestKey) = (item, k) }
        }
        return best
    }

    /// Python's `id`: the object's address for shared objects, its value's hash for the others.
    static func identity(of object: Object) -> Int {
        func address(_ o: AnyObject) -> Int { Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o))) }
        switch object {
        case .list(let b): return address(b)
        case .tuple(let b): return address(b)
        case .dict(let b): return address(b)
        case .set(let b): return address(b)
        case .instance(let i): return address(i)
        case .closure(let f): return address(f)
        case .method(let m): return address(m)
        case .type(let t): return address(t)
        case .object(let o): return address(o)
        case .value(let v): return v.hashValue & 0x7fff_ffff_ffff
        default: return stableHash(try? HashKey(object))
        }
    }

    /// A hash that is the same on every run (Swift's own is seeded per process): ints hash to
    /// themselves, as in Python.
    static func stableHash(_ key: HashKey?) -> Int {
        switch key {
        case .int(let n)?: return n == -1 ? -2 : n
        case .string(let s)?:
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(truncatingIfNeeded: h >> 1)
        case .tuple(let items)?:
            return items.reduce(0x345678) { ($0 &* 1_000_003) ^ stableHash($1) }
        case .float(let d)?: return Int(truncatingIfNeeded: d.bitPattern >> 1)
        default: return 0
        }
    }
}

/// A notebook object `len` can measure.
package protocol SizedObject: NotebookObject {
    var count: Int { get }
}

/// A file opened for reading: `open(path).read()`, `.readlines()`, `for line in f`, `with … as f`.
final class FileObject: IterableObject, ContextObject {
    static let typeName = "file"
    let path: String
    private let text: String
    /// Lines already given by `readline` (or iteration); reading goes on after them.
    private var linesRead = 0
    private lazy var allLines = lines()
    /// The largest file `open` reads (100 MB): a typo naming a huge file must not fill memory.
    static let maximumSize = 100_000_000

    init(path: String) throws(NotebookError) {
        self.path = path
        let data = try FileObject.contents(of: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw .python("UnicodeDecodeError", "'\(path)' is not UTF-8 text")
        }
        self.text = text
    }

    /// The bytes of the file at `path` (`~` expanded), with a one-line error for a missing, unreadable
    /// or too large file.
    static func contents(of path: String) throws(NotebookError) -> Data {
        let expanded = (path as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
            throw .python(
                "FileNotFoundError",
                "no file '\(path)' (check the name; the notebook runs in \(FileManager.default.currentDirectoryPath))")
        }
        guard !isDirectory.boolValue else { throw .python("IsADirectoryError", "'\(path)' is a folder, not a file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: expanded)[.size] as? Int) ?? 0
        guard size <= FileObject.maximumSize else {
            throw .python("MemoryError", "'\(path)' is \(size) bytes; the notebook reads files of at most 100 MB")
        }
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw .python("PermissionError", "cannot read '\(path)' (check its permissions)")
        }
        return data
    }

    var description: String { "<file '\(path)' mode='r'>" }
    var attributeNames: [String] { ["read", "readline", "readlines", "close", "name"] }

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "read":
            return .function(
                Function(name: "read") { [self] _ in
                    let rest = linesRead == 0 ? text : allLines[linesRead...].joined()
                    linesRead = allLines.count
                    return .string(rest)
                })
        case "readline":
            return .function(
                Function(name: "readline") { [self] _ in
                    guard linesRead < allLines.count else { return .string("") }
                    linesRead += 1
                    return .string(allLines[linesRead - 1])
                })
        case "readlines":
            return .function(
                Function(name: "readlines") { [self] _ in
                    let rest = allLines[linesRead...].map(Object.string)
                    linesRead = allLines.count
                    return .list(Array(rest))
                })
        case "close": return .function(Function(name: "close") { _ in .none })
        case "name": return .string(path)
        default: throw .python("AttributeError", "'file' object has no attribute '\(name)'")
        }
    }

    /// The lines with their endings, as Python's `readlines`.
    private func lines() -> [String] {
        var result: [String] = []
        var current = ""
        for c in text {
            current.append(c)
            if c == "\n" || c == "\r\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    func makeIterator() -> ObjectIterator {
        let rest = allLines[linesRead...].map(Object.string)
        linesRead = allLines.count
        return ObjectIterator(items: Array(rest))
    }
    func enter() -> Object { .object(self) }
    func exit() {}
}

/// `open(path, 'w')`: text gathered by `write` and written whole when the file is closed (at the end of
/// its `with` block, or by `close()`), through a temporary beside it and a rename, so that the file
/// is never left half written. A folder, a device or a read-only file is refused when it is opened.
final class WritableFileObject: ContextObject {
    static let typeName = "file"
    let path: String
    private var text = ""
    private var closed = false

    init(path: String) throws(NotebookError) {
        self.path = path
        do { try SafeFile.requireRegularOrMissing(SafeFile.expandingTilde(path)) } catch {
            throw .python("PermissionError", "cannot write '\(path)': \(error)")
        }
    }

    var description: String { "<file '\(path)' mode='w'>" }
    var attributeNames: [String] { ["write", "close", "name"] }

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "write":
            return .function(
                Function(name: "write") { [self] (args) throws(NotebookError) in
                    try args.expect(atMost: 1)
                    guard case .string(let s)? = args.positional.first else {
                        throw .python(
                            "TypeError",
                            "write() argument must be str, not \(args.positional.first?.typeName ?? "nothing")")
                    }
                    guard !closed else { throw .python("ValueError", "I/O operation on closed file.") }
                    try Builtins.checkLength(text.utf8.count + s.utf8.count, of: "file")
                    text += s
                    return .int(s.unicodeScalars.count)
                })
        case "close": return .function(Function(name: "close") { [self] (_) throws(NotebookError) in try commit() })
        case "name": return .string(path)
        default: throw .python("AttributeError", "'file' object has no attribute '\(name)'")
        }
    }

    /// Writes the file once; later calls do nothing, as closing a closed file.
    @discardableResult
    private func commit() throws(NotebookError) -> Object {
        guard !closed else { return .none }
        closed = true
        do { try SafeFile.write(Array(text.utf8), to: SafeFile.expandingTilde(path)) } catch {
            throw .python("OSError", "cannot write '\(path)': \(error)")
        }
        return .none
    }

    func enter() -> Object { .object(self) }
    func exit() throws(NotebookError) { try commit() }

    /// A file never closed is written when it is dropped, as CPython writes it when its last reference
    /// goes (a failure then has no line to report on, as in CPython).
    deinit { _ = try? commit() }
}

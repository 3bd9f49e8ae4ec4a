// `import torch` and `import torch.nn.functional as F`: making tensors (bit for bit with PyTorch's
// generator), sampling by either of PyTorch's multinomial rules, `torch.no_grad()`, and the
// functions the makemore lectures call.
import Engine
import Foundation

/// `torch.Generator()`: PyTorch's CPU generator (a Mersenne Twister), seeded with `manual_seed`.
package final class GeneratorObject: NotebookObject {
    package static let typeName = "Generator"
    let generator: TorchGenerator
    init(_ generator: TorchGenerator) { self.generator = generator }

    package var description: String { "<torch._C.Generator object>" }
    package var attributeNames: [String] { ["manual_seed", "initial_seed", "seed"] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "manual_seed":
            return .function(
                Function(name: "Generator.manual_seed") { [self] (args) throws(NotebookError) in
                    generator.manualSeed(try GeneratorObject.seed(try args.integer(0, "seed")))
                    return .object(self)
                })
        case "initial_seed":
            return .function(Function(name: "Generator.initial_seed") { [generator] _ in .int(Int(generator.seed)) })
        default:
            throw .python("AttributeError", "'torch.Generator' object has no attribute '\(name)'")
        }
    }

    /// PyTorch takes any int64 seed; a negative one wraps to its unsigned 64-bit value.
    static func seed(_ n: Int) throws(NotebookError) -> UInt64 { UInt64(bitPattern: Int64(n)) }
}

/// `with torch.no_grad():` and `@torch.no_grad()`: ops inside build no graph.
final class NoGradObject: ContextObject {
    static let typeName = "no_grad"
    @Unretained var interpreter: Interpreter
    init(_ interpreter: Interpreter) { self._interpreter = Unretained(wrappedValue: interpreter) }
    var description: String { "<torch.autograd.grad_mode.no_grad object>" }
    var attributeNames: [String] { [] }
    func attribute(_ name: String) throws(NotebookError) -> Object {
        throw .python("AttributeError", "'no_grad' object has no attribute '\(name)'")
    }
    func enter() throws(NotebookError) -> Object {
        TorchState.noGradDepth += 1
        return .none
    }
    func exit() throws(NotebookError) { TorchState.noGradDepth = max(0, TorchState.noGradDepth - 1) }
    /// As a decorator: the function runs without building a graph.
    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        guard arguments.positional.count == 1, arguments.keywords.isEmpty else {
            throw .python("TypeError", "torch.no_grad() decorates one function")
        }
        let function = arguments.positional[0]
        let interpreter = self.interpreter
        return .function(
            Function(name: "no_grad") { (args) throws(NotebookError) in
                TorchState.noGradDepth += 1
                defer { TorchState.noGradDepth = max(0, TorchState.noGradDepth - 1) }
                return try interpreter.call(function, args.positional, args.keywords)
            })
    }
}

extension Interpreter {
    /// The default generator, as `torch.manual_seed` sets it (PyTorch's default seed until then).
    var torchGenerator: TorchGenerator {
        if let g = torchDefaultGenerator { return g }
        let g = TorchGenerator(seed: 67_280_421_310_721)
        torchDefaultGenerator = g
        TorchState.defaultGenerator = g
        return g
    }

    func torchModule() -> Object {
        TorchState.defaultGenerator = torchGenerator
        var members: [String: Object] = [:]
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) {
            members[name] = .function(
                Function(name: "torch.\(name)") { (args) throws(NotebookError) in
                    try TorchState.op { () throws(NotebookError) in try body(args) }
                })
        }
        for dtype in DType.allCases { members[dtype.rawValue] = .object(DTypeObject(dtype)) }
        members["float64"] = .object(Float64DType.shared)
        members["double"] = .object(Float64DType.shared)
        members["float"] = .object(DTypeObject(.float32))
        members["long"] = .object(DTypeObject(.int64))
        members["int"] = .object(DTypeObject(.int32))
        let isTensor = { (o: Object) -> Bool in
            switch o {
            case .object(is TensorObject), .object(is DoubleTensorObject): true
            default: false
            }
        }
        let tensorType = BuiltinType("Tensor", matches: isTensor) { [unowned self] (args) throws(NotebookError) in
            .object(try TensorObject.from(args.positional.first ?? .list([]), dtype: .float32, self))
        }
        // `torch.Tensor.tanh(x)` is `x.tanh()`, as micrograd's tests pass `torch.Tensor.tanh` around.
        for name in Set(TensorObject.methodNames + DoubleTensorObject.methodNames) {
            tensorType.methods[name] = .function(
                Function(name: "Tensor.\(name)") { (args) throws(NotebookError) in
                    if case .object(let wide as DoubleTensorObject)? = args.positional.first {
                        return try wide.call(name, Array(args.positional.dropFirst()), args.keywords)
                    }
                    guard case .object(let tensor as TensorObject)? = args.positional.first else {
                        let given = args.positional.first.map { "a '\($0.typeName)' object" } ?? "nothing"
                        throw .python(
                            "TypeError", "descriptor '\(name)' of 'Tensor' needs a tensor first, not \(given)")
                    }
                    let rest = Arguments(
                        function: "Tensor.\(name)", positional: Array(args.positional.dropFirst()),
                        keywords: args.keywords)
                    return try TorchState.op { () throws(NotebookError) in try tensor.method(name, rest) }
                })
        }
        members["Tensor"] = .object(tensorType)
        members["Size"] = .function(
            Function(name: "torch.Size") { [unowned self] (args) throws(NotebookError) in
                .object(
                    SizeObject(
                        try items(of: args.positional.first ?? .tuple([])).map { (o) throws(NotebookError) in
                            try o.integer(as: "a size")
                        }))
            })
        members["Generator"] = .function(
            Function(name: "torch.Generator") { _ in .object(GeneratorObject(TorchGenerator(seed: 67_280_421_310_721)))
            })
        function("manual_seed") { [unowned self] (args) throws(NotebookError) in
            torchGenerator.manualSeed(try GeneratorObject.seed(try args.integer(0, "seed")))
            return .object(GeneratorObject(torchGenerator))
        }
        members["no_grad"] = .function(
            Function(name: "torch.no_grad") { [unowned self] _ in .object(NoGradObject(self)) })
        function("tensor") { [unowned self] (args) throws(NotebookError) in
            try args.expect(atMost: 1, keywords: ["data", "dtype", "requires_grad"])
            guard let data = args.value(0, "data") else { throw .python("TypeError", "tensor() needs data") }
            if case .object(is Float64DType)? = args.keywords.first(where: { $0.name == "dtype" })?.value {
                let made = try DoubleTensorObject.from(data)
                if try requiresGrad(args) { try made.setAttribute("requires_grad", to: .bool(true)) }
                return .object(made)
            }
            let made = try TensorObject.from(data, dtype: try dtypeArgument(args), self)
            if try requiresGrad(args) { try made.setRequiresGrad(true) }
            return .object(made)
        }
        for (name, value) in [("zeros", 0.0), ("ones", 1.0)] {
            function(name) { [unowned self] (args) throws(NotebookError) in
                try full(TensorObject.shapeArguments(dropKeywords(args)), value, args)
            }
            function(name + "_like") { [unowned self] (args) throws(NotebookError) in
                guard case .object(let t as TensorObject)? = args.positional.first else {
                    throw .python("TypeError", "\(name)_like() needs a tensor")
                }
                return try full(t.shape, value, args, dtype: try dtypeArgument(args) ?? t.dtype)
            }
        }
        function("full") { [unowned self] (args) throws(NotebookError) in
            let shape = try TensorObject.shapeArguments(
                Arguments(function: "full", positional: [args.value(0, "size") ?? .tuple([])]))
            let value = args.value(1, "fill_value") ?? .float(0)
            let isFloat: Bool = if case .float = value { true } else { false }
            return try full(
                shape, try value.number(as: "full()'s fill_value"), args,
                dtype: try dtypeArgument(args) ?? (isFloat ? .float32 : .int64))
        }
        for name in ["randn", "rand"] {
            function(name) { [unowned self] (args) throws(NotebookError) in
                let shape = try TensorObject.shapeArguments(dropKeywords(args))
                let n = try TorchErrors.elementCount(shape)
                let g = try generatorArgument(args)
                let values = name == "randn" ? g.randn(n) : g.rand(n)
                let made = TensorObject(
                    try TorchErrors.run { () throws(ShapeError) in try Tensor(shape: shape, values: values) })
                if try requiresGrad(args) { try made.setRequiresGrad(true) }
                return .object(made)
            }
        }
        function("randint") { [unowned self] (args) throws(NotebookError) in
            // randint(high, size) or randint(low, high, size)
            let positional = args.positional
            var low = 0
            var high: Int
            var sizeObject: Object
            if positional.count >= 3 {
                low = try positional[0].integer(as: "randint()'s low")
                high = try positional[1].integer(as: "randint()'s high")
                sizeObject = positional[2]
            } else if positional.count == 2 {
                high = try positional[0].integer(as: "randint()'s high")
                sizeObject = positional[1]
            } else {
                high = try args.integer(.max, "high")
                sizeObject = args.value(.max, "size") ?? .tuple([])
            }
            if let l = args.keywords.first(where: { $0.name == "low" }) { low = try l.value.integer(as: "low") }
            if let h = args.keywords.first(where: { $0.name == "high" }) { high = try h.value.integer(as: "high") }
            if let s = args.keywords.first(where: { $0.name == "size" }) { sizeObject = s.value }
            let shape = try TensorObject.shapeArguments(Arguments(function: "randint", positional: [sizeObject]))
            let n = try TorchErrors.elementCount(shape)
            guard low < high else {
                throw .python(
                    "RuntimeError", "random_ expects 'from' to be less than 'to', but got from=\(low) >= to=\(high)")
            }
            guard !high.subtractingReportingOverflow(low).overflow else {
                throw .python("RuntimeError", "randint: the range from \(low) to \(high) is wider than 64 bits")
            }
            let g = try generatorArgument(args)
            let values = try generatorErrors { () throws(GeneratorError) in
                try g.randint(low: low, high: high, count: n)
            }
            return .object(TensorObject(values, shape: shape, dtype: try dtypeArgument(args) ?? .int64))
        }
        function("randperm") { [unowned self] (args) throws(NotebookError) in
            let n = try args.integer(0, "n")
            let g = try generatorArgument(args)
            let values = try generatorErrors { () throws(GeneratorError) in try g.randperm(n) }
            return .object(TensorObject(values, shape: [n], dtype: .int64))
        }
        function("arange") { [unowned self] (args) throws(NotebookError) in
            let numbers = args.positional
            guard (1...3).contains(numbers.count) else { throw .python("TypeError", "arange() takes 1 to 3 numbers") }
            let isFloat = numbers.contains { if case .float = $0 { true } else { false } }
            let (start, end, step) =
                numbers.count == 1
                ? (0.0, try numbers[0].number(as: "arange()'s end"), 1.0)
                : (
                    try numbers[0].number(as: "arange()'s start"), try numbers[1].number(as: "arange()'s end"),
                    numbers.count == 3 ? try numbers[2].number(as: "arange()'s step") : 1.0
                )
            guard step != 0 else { throw .python("RuntimeError", "step must be nonzero") }
            guard start.isFinite, end.isFinite, step.isFinite else {
                throw .python("RuntimeError", "unsupported range: \(start) -> \(end)")
            }
            let n = max(0, (((end - start) / step).rounded(.up)).clampedInt)
            _ = try TorchErrors.elementCount([n])
            let dtype = try dtypeArgument(args) ?? (isFloat ? .float32 : .int64)
            if dtype.isFloat {
                return .object(TensorObject(Tensor((0..<n).map { Float(start + Double($0) * step) })))
            }
            return .object(
                TensorObject((0..<n).map { start.clampedInt &+ $0 &* step.clampedInt }, shape: [n], dtype: dtype))
        }
        function("linspace") { (args) throws(NotebookError) in
            let start = try args.number(0, "start")
            let end = try args.number(1, "end")
            let steps = try args.integer(2, "steps")
            _ = try TorchErrors.elementCount([steps])
            let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
            // PyTorch fills the first half from the start and the second half from the end.
            let values = (0..<steps).map { i -> Float in
                i < steps / 2 ? Float(start + step * Double(i)) : Float(end - step * Double(steps - i - 1))
            }
            return .object(TensorObject(Tensor(values)))
        }
        function("multinomial") { [unowned self] (args) throws(NotebookError) in
            try args.expect(atMost: 3, keywords: ["input", "num_samples", "replacement", "generator"])
            guard case .object(let p as TensorObject)? = args.value(0, "input") else {
                throw .python("TypeError", "multinomial() needs a tensor of probabilities")
            }
            let samples = try args.integer(1, "num_samples")
            let replacement = args.value(2, "replacement")?.isTruthy ?? false
            return .object(try multinomial(p, samples: samples, replacement: replacement, try generatorArgument(args)))
        }
        function("cat") { [unowned self] (args) throws(NotebookError) in try join(args, stack: false) }
        function("stack") { [unowned self] (args) throws(NotebookError) in try join(args, stack: true) }
        for name in ["tanh", "exp", "log", "log10", "sigmoid", "relu", "abs", "sqrt"] {
            function(name) { (args) throws(NotebookError) in
                if case .object(let wide as DoubleTensorObject)? = args.value(0, "input"), name != "log10" {
                    return .object(wide.elementwise(name))
                }
                return .object(try Interpreter.tensorArgument(args, name).elementwise(name))
            }
        }
        for name in [
            "sum", "mean", "std", "var", "max", "min", "argmax", "all", "any", "softmax", "log_softmax", "numel"
        ] {
            function(name) { (args) throws(NotebookError) in
                if case .object(let wide as DoubleTensorObject)? = args.value(0, "input") {
                    return try wide.call(name, Array(args.positional.dropFirst()), args.keywords)
                }
                let t = try Interpreter.tensorArgument(args, name)
                return try t.method(
                    name,
                    Arguments(function: name, positional: Array(args.positional.dropFirst()), keywords: args.keywords))
            }
        }
        function("unbind") { [unowned self] (args) throws(NotebookError) in
            let t = try Interpreter.tensorArgument(args, "unbind")
            let dim = try t.normalizedDim(try args.integer(1, "dim", default: 0))
            guard !t.shape.isEmpty else {
                throw .python("IndexError", "Dimension specified as 0 but tensor has no dimensions")
            }
            var parts: [Object] = []
            for i in 0..<t.shape[dim] {
                var key = [Object](repeating: .object(SliceObject(lower: .none, upper: .none, step: .none)), count: dim)
                key.append(.int(i))
                parts.append(.object(try t.index(.tuple(key), self)))
            }
            return .tuple(parts)
        }
        function("allclose") { (args) throws(NotebookError) in
            guard case .object(let a as TensorObject)? = args.value(0, "input"),
                case .object(let b as TensorObject)? = args.value(1, "other")
            else { throw .python("TypeError", "allclose() needs two tensors") }
            let rtol = try args.number(2, "rtol", default: 1e-5)
            let atol = try args.number(3, "atol", default: 1e-8)
            let shape = try TorchErrors.broadcast(a.shape, b.shape)
            let (x, y) = (a.doubles(), b.doubles())
            let (ra, rb) = (
                TorchErrors.broadcastPositions(a.shape, to: shape), TorchErrors.broadcastPositions(b.shape, to: shape)
            )
            return .bool((0..<ra.count).allSatisfy { i in abs(x[ra[i]] - y[rb[i]]) <= atol + rtol * abs(y[rb[i]]) })
        }
        function("histogram") { (args) throws(NotebookError) in
            try args.expect(atMost: 2, keywords: ["input", "bins", "range", "density", "weight"])
            let t = try Interpreter.tensorArgument(args, "histogram")
            let bins = try args.integer(1, "bins", default: 100)
            guard bins > 0, bins <= 1_000_000 else { throw .python("RuntimeError", "histogram(): bins must be > 0") }
            let values = t.doubles().map { Double(Float($0)) }
            var low = values.filter(\.isFinite).min() ?? 0
            var high = values.filter(\.isFinite).max() ?? 0
            if let r = args.keywords.first(where: { $0.name == "range" })?.value, case .tuple(let box) = r,
                box.items.count == 2
            {
                low = try box.items[0].number(as: "range")
                high = try box.items[1].number(as: "range")
            }
            if low == high { (low, high) = (low - 0.5, high + 0.5) }
            let density = args.keywords.first { $0.name == "density" }?.value.isTruthy ?? false
            var counts = [Double](repeating: 0, count: bins)
            var total = 0.0
            for v in values where v.isFinite && v >= low && v <= high {
                let bin = min(bins - 1, max(0, ((v - low) * Double(bins) / (high - low)).clampedInt))
                counts[bin] += 1
                total += 1
            }
            let width = (high - low) / Double(bins)
            if density && total > 0 { counts = counts.map { $0 / (total * width) } }
            let edges = (0...bins).map { Float(low + Double($0) * width) }
            return .object(
                NamedPair(
                    name: "histogram",
                    fields: [
                        ("hist", TensorObject(Tensor(counts.map { Float($0) }))),
                        ("bin_edges", TensorObject(Tensor(edges)))
                    ]))
        }
        function("from_file") { [unowned self] (args) throws(NotebookError) in
            // PyTorch's raw reader: `size` little-endian float32 numbers (or int64 with dtype=torch.int64).
            try args.expect(atMost: 3, keywords: ["filename", "shared", "size", "dtype"])
            let path = try args.string(0, "filename")
            let size = try args.integer(2, "size", default: 0)
            let dtype = try dtypeArgument(args) ?? .float32
            guard dtype == .float32 || dtype == .int64 else {
                throw .python("RuntimeError", "from_file reads float32 or int64 numbers, not \(dtype.name)")
            }
            let data = try FileObject.contents(of: path)
            let width = dtype == .float32 ? 4 : 8
            guard size >= 0, size <= data.count / width else {
                throw .python(
                    "RuntimeError",
                    "from_file: '\(path)' holds \(data.count) bytes, fewer than the \(size) numbers of \(width) bytes asked for"
                )
            }
            _ = try TorchErrors.elementCount([size])
            if dtype == .float32 {
                let values = data.withUnsafeBytes { raw in
                    (0..<size).map {
                        Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian)
                    }
                }
                return .object(TensorObject(Tensor(values)))
            }
            let values = data.withUnsafeBytes { raw in
                (0..<size).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            }
            return .object(TensorObject(values, shape: [size], dtype: .int64))
        }
        function("is_tensor") { (args) throws(NotebookError) in
            if case .object(is TensorObject)? = args.positional.first { return .bool(true) }
            return .bool(false)
        }
        // nn.Parameter: a leaf that requires grad, printed as a parameter.
        function("_parameter") { (args) throws(NotebookError) in
            let t = try Interpreter.tensorArgument(args, "Parameter")
            try t.setRequiresGrad(args.value(1, "requires_grad")?.isTruthy ?? true)
            t.isParameter = true
            return .object(t)
        }
        function("empty") { [unowned self] (args) throws(NotebookError) in
            try full(TensorObject.shapeArguments(dropKeywords(args)), 0, args)
        }
        for name in ["tril", "triu"] {
            function(name) { (args) throws(NotebookError) in
                let t = try Interpreter.tensorArgument(args, name)
                let diagonal = try args.integer(1, "diagonal", default: 0)
                guard t.shape.count >= 2 else {
                    throw .python("RuntimeError", "\(name): input tensor must have at least 2 dimensions")
                }
                let (rows, columns) = (t.shape[t.shape.count - 2], t.shape[t.shape.count - 1])
                let mask = (0..<(rows * columns)).map { k -> Int in
                    let (i, j) = (k / columns, k % columns)
                    return (name == "tril" ? j - i <= diagonal : j - i >= diagonal) ? 1 : 0
                }
                let keep = TensorObject(mask, shape: [rows, columns], dtype: .bool)
                if case .float = t.storage {
                    return .object(try t.combine(.multiply, .tensor(try keep.converted(to: .float32)), reversed: false))
                }
                return .object(try t.combine(.multiply, .tensor(try keep.converted(to: .int64)), reversed: false))
            }
        }
        members["cuda"] = .object(
            ModuleObject(
                name: "torch.cuda",
                members: ["is_available": .function(Function(name: "torch.cuda.is_available") { _ in .bool(false) })]))
        members["device"] = .function(
            Function(name: "torch.device") { (args) throws(NotebookError) in
                .string(try args.string(0, "type", default: "cpu"))
            })
        var optimizers: [String: Object] = [:]
        for name in ["SGD", "Adam", "AdamW"] {
            optimizers[name] = .function(
                Function(name: "torch.optim.\(name)") { [unowned self] (args) throws(NotebookError) in
                    try OptimizerObject.make(name, args, self)
                })
        }
        members["optim"] = .object(ModuleObject(name: "torch.optim", members: optimizers))
        let torch = ModuleObject(name: "torch", members: members)
        let functional = functionalModule()
        do {
            torch.members["nn"] = try torchNNModule(torch: .object(torch), functional: functional)
        } catch {
            torch.members["nn"] = .object(ModuleObject(name: "torch.nn", members: ["functional": functional]))
            warn("torch.nn could not be set up: \(error.message)")
        }
        return .object(torch)
    }

    /// `torch.nn.functional`, as the lectures import it (`F`).
    func functionalModule() -> Object {
        if let loaded = modules["torch.nn.functional"] { return loaded }
        var members: [String: Object] = [:]
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) {
            members[name] = .function(
                Function(name: "F.\(name)") { (args) throws(NotebookError) in
                    try TorchState.op { () throws(NotebookError) in try body(args) }
                })
        }
        function("one_hot") { (args) throws(NotebookError) in
            try args.expect(atMost: 2, keywords: ["tensor", "input", "num_classes"])
            let t = try Interpreter.tensorArgument(args, "one_hot")
            let values = try t.indexValues("one_hot() takes an index tensor")
            let classes = try args.integer(1, "num_classes", default: (values.max() ?? -1) + 1)
            for v in values where v < 0 || v >= classes {
                throw .python("RuntimeError", "Class values must be smaller than num_classes.")
            }
            _ = try TorchErrors.elementCount(t.shape + [classes])
            var out = [Int](repeating: 0, count: values.count * classes)
            for (i, v) in values.enumerated() { out[i * classes + v] = 1 }
            return .object(TensorObject(out, shape: t.shape + [classes], dtype: .int64))
        }
        function("cross_entropy") { (args) throws(NotebookError) in
            try args.expect(atMost: 2, keywords: ["input", "target", "ignore_index", "reduction", "label_smoothing"])
            let logits = try Interpreter.tensorArgument(args, "cross_entropy")
            guard case .object(let target as TensorObject)? = args.value(1, "target") else {
                throw .python("TypeError", "cross_entropy() needs a target tensor of class indices")
            }
            let t = try logits.requireFloat("cross_entropy")
            let classes = try target.indexValues("cross_entropy() targets must be class indices (a long tensor)")
            let ignore = try args.keywords.first { $0.name == "ignore_index" }.map { (k) throws(NotebookError) in
                try k.value.integer(as: "ignore_index")
            }
            guard t.shape.count == 2, target.shape == [t.shape[0]] else {
                throw .python(
                    "RuntimeError",
                    "cross_entropy expects logits (N, C) and targets (N,), got \(formatShape(t.shape)) and \(formatShape(target.shape))"
                )
            }
            for c in classes where (c < 0 || c >= t.shape[1]) && c != ignore {
                throw .python("IndexError", "Target \(c) is out of bounds.")
            }
            let indices = try TorchErrors.run { () throws(ShapeError) in
                try IndexTensor(classes.map { Int32($0) }, shape: target.shape)
            }
            return .object(
                TensorObject(
                    try TorchErrors.run { () throws(ShapeError) in
                        try t.crossEntropy(targets: indices, ignoreIndex: ignore == -100 ? nil : ignore)
                    }, gradFn: "NllLossBackward0"))
        }
        for name in ["softmax", "log_softmax"] {
            function(name) { (args) throws(NotebookError) in
                let t = try Interpreter.tensorArgument(args, name)
                return .object(try t.softmax(try args.integer(1, "dim"), log: name == "log_softmax"))
            }
        }
        for name in ["tanh", "relu", "sigmoid"] {
            function(name) { (args) throws(NotebookError) in
                .object(try Interpreter.tensorArgument(args, name).elementwise(name))
            }
        }
        function("linear") { (args) throws(NotebookError) in
            let x = try Interpreter.tensorArgument(args, "linear").requireFloat("linear")
            guard case .object(let w as TensorObject)? = args.value(1, "weight") else {
                throw .python("TypeError", "linear() needs a weight tensor")
            }
            var bias: Tensor?
            if case .object(let b as TensorObject)? = args.value(2, "bias") { bias = try b.requireFloat("linear") }
            let weight = try w.requireFloat("linear")
            // PyTorch's weight is (out_features, in_features): x @ weight.T + bias.
            guard weight.shape.count == 2, x.shape.last == weight.shape[1] else {
                throw .python(
                    "RuntimeError",
                    "mat1 and mat2 shapes cannot be multiplied (\(x.shape.dropLast().reduce(1, *))x\(x.shape.last ?? 0) and \(weight.shape.last ?? 0)x\(weight.shape.first ?? 0))"
                )
            }
            return .object(
                TensorObject(
                    try TorchErrors.run { () throws(ShapeError) in try x.linear(weight.transposed(), bias: bias) },
                    gradFn: bias == nil ? "MmBackward0" : "AddmmBackward0"))
        }
        function("layer_norm") { (args) throws(NotebookError) in
            try args.expect(atMost: 5, keywords: ["input", "normalized_shape", "weight", "bias", "eps"])
            let x = try Interpreter.tensorArgument(args, "layer_norm").requireFloat("layer_norm")
            var weight: Tensor?
            var bias: Tensor?
            if case .object(let w as TensorObject)? = args.value(2, "weight") {
                weight = try w.requireFloat("layer_norm")
            }
            if case .object(let b as TensorObject)? = args.value(3, "bias") { bias = try b.requireFloat("layer_norm") }
            let eps = Float(try args.number(4, "eps", default: 1e-5))
            return .object(
                TensorObject(
                    try TorchErrors.run { () throws(ShapeError) in try x.layerNorm(weight: weight, bias: bias, eps: eps)
                    },
                    gradFn: "NativeLayerNormBackward0"))
        }
        function("dropout") { [unowned self] (args) throws(NotebookError) in
            try args.expect(atMost: 3, keywords: ["input", "p", "training", "inplace"])
            let t = try Interpreter.tensorArgument(args, "dropout")
            let p = try args.number(1, "p", default: 0.5)
            guard p >= 0, p <= 1 else {
                throw .python("ValueError", "dropout probability has to be between 0 and 1, but got \(p)")
            }
            let training = args.value(2, "training")?.isTruthy ?? true
            guard training, p > 0 else { return .object(t) }
            let x = try t.requireFloat("dropout")
            if p == 1 {
                return .object(
                    TensorObject(
                        try TorchErrors.run { () throws(ShapeError) in try x.mul(Tensor(0)) }, gradFn: "MulBackward0"))
            }
            return .object(TensorObject(x.dropout(Float(p), generator: torchGenerator), gradFn: "MulBackward0"))
        }
        let module = Object.object(ModuleObject(name: "torch.nn.functional", members: members))
        modules["torch.nn.functional"] = module
        return module
    }

    private func dropKeywords(_ args: Arguments) -> Arguments {
        Arguments(
            function: args.function, positional: args.positional, keywords: args.keywords.filter { $0.name == "size" })
    }

    private func dtypeArgument(_ args: Arguments) throws(NotebookError) -> DType? {
        guard let value = args.keywords.first(where: { $0.name == "dtype" })?.value else { return nil }
        if case .none = value { return nil }
        if case .object(is Float64DType) = value {
            throw .python(
                "TypeError",
                "the notebook makes float64 tensors with torch.tensor(data, dtype=torch.float64) and x.double(); here use torch.float32"
            )
        }
        guard case .object(let d as DTypeObject) = value else {
            throw .python("TypeError", "dtype must be a torch dtype such as torch.float32 or torch.int32")
        }
        return d.dtype
    }

    private func requiresGrad(_ args: Arguments) throws(NotebookError) -> Bool {
        args.keywords.first(where: { $0.name == "requires_grad" })?.value.isTruthy ?? false
    }

    private func generatorArgument(_ args: Arguments) throws(NotebookError) -> TorchGenerator {
        guard let value = args.keywords.first(where: { $0.name == "generator" })?.value else { return torchGenerator }
        if case .none = value { return torchGenerator }
        guard case .object(let g as GeneratorObject) = value else {
            throw .python("TypeError", "generator= must be a torch.Generator()")
        }
        return g.generator
    }

    private func full(_ shape: [Int], _ value: Double, _ args: Arguments, dtype: DType? = nil) throws(NotebookError)
        -> Object
    {
        let n = try TorchErrors.elementCount(shape)
        let requested = try dtypeArgument(args)
        let type = dtype ?? requested ?? .float32
        if type.isFloat {
            let made = TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try Tensor.full(shape, value: Float(value)) })
            if try requiresGrad(args) { try made.setRequiresGrad(true) }
            return .object(made)
        }
        return .object(TensorObject([Int](repeating: value.clampedInt, count: n), shape: shape, dtype: type))
    }

    fileprivate static func tensorArgument(_ args: Arguments, _ name: String) throws(NotebookError) -> TensorObject {
        guard case .object(let t as TensorObject)? = args.value(0, "input") ?? args.value(0, "tensor") else {
            throw .python(
                "TypeError",
                "\(name)(): argument 'input' must be a Tensor, not \(args.positional.first?.typeNameWithArticle ?? "nothing")"
            )
        }
        return t
    }

    private func generatorErrors<R>(_ body: () throws(GeneratorError) -> R) throws(NotebookError) -> R {
        do throws(GeneratorError) {
            return try body()
        } catch {
            throw .python("RuntimeError", "\(error)")
        }
    }

    /// `torch.multinomial`: one draw without replacement by PyTorch's exponential race (parts 2–5),
    /// draws with replacement by its cumulative-sum search (part 1), several without replacement as
    /// the top of the race.
    private func multinomial(_ p: TensorObject, samples: Int, replacement: Bool, _ g: TorchGenerator)
        throws(NotebookError) -> TensorObject
    {
        guard p.shape.count == 1 || p.shape.count == 2 else {
            throw .python("RuntimeError", "prob_dist must be 1 or 2 dim")
        }
        let t = try p.requireFloat("multinomial")
        let categories = p.shape.last!
        guard samples > 0 else { throw .python("RuntimeError", "cannot sample n_sample <= 0 samples") }
        guard replacement || samples <= categories else {
            throw .python("RuntimeError", "cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        }
        let rows = p.shape.count == 1 ? 1 : p.shape[0]
        let values = t.scalars
        var out: [Int] = []
        for r in 0..<rows {
            let row = Array(values[(r * categories)..<((r + 1) * categories)])
            if replacement && !(samples == 1 && modernMultinomial) {
                out += try generatorErrors { () throws(GeneratorError) in try g.multinomial(row, samples: samples) }
            } else if samples == 1 {
                out.append(try generatorErrors { () throws(GeneratorError) in try g.multinomialRace(row) })
            } else {
                _ = try generatorErrors { () throws(GeneratorError) in try g.multinomial(row, samples: 0) }
                let q = g.exponential(categories).map { Float($0) }
                let ratios = row.enumerated().map { ($0.offset, $0.element / q[$0.offset]) }
                out += ratios.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(samples).map(\.0)
            }
        }
        return TensorObject(out, shape: p.shape.count == 1 ? [samples] : [rows, samples], dtype: .int64)
    }

    private func join(_ args: Arguments, stack: Bool) throws(NotebookError) -> Object {
        let name = stack ? "stack" : "cat"
        guard let list = args.value(0, "tensors") else {
            throw .python("TypeError", "\(name)() needs a list of tensors")
        }
        var tensors: [TensorObject] = []
        for item in try items(of: list) {
            guard case .object(let t as TensorObject) = item else {
                throw .python("TypeError", "expected Tensor as element in argument 0, but got \(item.typeName)")
            }
            tensors.append(t)
        }
        guard !tensors.isEmpty else { throw .python("RuntimeError", "\(name)() expects a non-empty TensorList") }
        let dim = try args.integer(1, "dim", default: 0)
        if !stack, let first = tensors.first, !first.shape.isEmpty {
            // PyTorch's wording for the mistake: the sizes that must agree.
            let rank = first.shape.count
            let d = dim < 0 ? dim + rank : dim
            if d >= 0 && d < rank {
                for (n, t) in tensors.enumerated().dropFirst() where t.shape.count == rank {
                    for k in 0..<rank where k != d && t.shape[k] != first.shape[k] {
                        throw .python(
                            "RuntimeError",
                            "Sizes of tensors must match except in dimension \(d). Expected size \(first.shape[k]) but got size \(t.shape[k]) for tensor number \(n) in the list."
                        )
                    }
                }
            }
        }
        if tensors.allSatisfy({ !$0.dtype.isFloat }) {
            return .object(try joinIntegers(tensors, dim: dim, stack: stack))
        }
        return .object(
            TensorObject(
                try TorchErrors.run { () throws(ShapeError) in
                    stack
                        ? try Tensor.stack(tensors.map { $0.asFloat() }, dim: dim)
                        : try Tensor.cat(tensors.map { $0.asFloat() }, dim: dim)
                }, gradFn: stack ? "StackBackward0" : "CatBackward0"))
    }

    /// `torch.cat`/`torch.stack` of integer tensors, exactly.
    private func joinIntegers(_ tensors: [TensorObject], dim: Int, stack: Bool) throws(NotebookError) -> TensorObject {
        var parts = tensors
        if stack {
            let first = tensors[0].shape
            for t in tensors where t.shape != first {
                throw .python(
                    "RuntimeError",
                    "stack expects each tensor to be equal size, but got \(first) at entry 0 and \(t.shape) at another entry"
                )
            }
            parts = []
            for t in tensors { parts.append(try t.unsqueezed(dim)) }
        }
        let rank = parts[0].shape.count
        guard rank > 0 else { throw .python("RuntimeError", "zero-dimensional tensor cannot be concatenated") }
        let d = dim < 0 && !stack ? dim + rank : (stack && dim < 0 ? dim + rank : dim)
        guard d >= 0 && d < rank else {
            throw .python(
                "IndexError",
                "Dimension out of range (expected to be in range of [\(-rank), \(rank - 1)], but got \(dim))")
        }
        for t in parts {
            guard t.shape.count == rank,
                t.shape.enumerated().allSatisfy({ $0.offset == d || $0.element == parts[0].shape[$0.offset] })
            else {
                throw .python(
                    "RuntimeError",
                    "Sizes of tensors must match except in dimension \(d). Expected \(parts[0].shape) but got \(t.shape)"
                )
            }
        }
        let outer = parts[0].shape[..<d].reduce(1, *)
        var values: [Int] = []
        for o in 0..<outer {
            for t in parts {
                let chunk = t.shape[d...].reduce(1, *)
                values += (t.integers ?? [])[(o * chunk)..<((o + 1) * chunk)]
            }
        }
        var shape = parts[0].shape
        shape[d] = parts.reduce(0) { $0 + $1.shape[d] }
        return TensorObject(values, shape: shape, dtype: tensors[0].dtype)
    }
}

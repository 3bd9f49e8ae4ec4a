// A tensor's attributes and methods as PyTorch spells them: `shape`, `grad`, `view(-1, 30)`,
// `sum(1, keepdim=True)`, `max(1)`, `backward()`, `item()`, `float()`, ….
import Engine
import Foundation

extension TensorObject {
    static let propertyNames = ["shape", "dtype", "grad", "data", "requires_grad", "T", "is_leaf", "grad_fn", "ndim"]
    static let methodNames = [
        "size", "dim", "numel", "nelement", "item", "tolist", "view", "reshape", "transpose", "permute", "squeeze",
        "unsqueeze", "float", "double", "long", "int", "bool", "sum", "mean", "max", "min", "std", "var", "argmax",
        "all", "any",
        "exp", "log", "log10", "tanh", "relu", "sigmoid", "abs", "sqrt", "pow", "clamp", "softmax", "log_softmax",
        "backward",
        "retain_grad", "zero_", "fill_", "detach", "clone", "contiguous", "requires_grad_", "t", "flatten", "type",
        "eq", "ne", "gt", "lt", "ge", "le", "add", "sub", "mul", "div", "matmul", "masked_fill", "cumsum", "sort",
        "uniform_", "normal_", "to", "cpu", "numel"
    ]

    package var attributeNames: [String] { (TensorObject.propertyNames + TensorObject.methodNames).sorted() }

    /// The Engine tensor of a float tensor, or PyTorch's error for an op that needs one.
    func requireFloat(_ op: String) throws(NotebookError) -> Tensor {
        guard let t = floatTensor else {
            throw .python(
                "RuntimeError",
                "\(op)(): expected a floating point tensor, but got \(dtype.scalarName) (convert with .float())")
        }
        return t
    }

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "shape": return .object(SizeObject(shape))
        case "dtype": return .object(DTypeObject(dtype))
        case "ndim": return .int(shape.count)
        case "requires_grad": return .bool(floatTensor?.requiresGrad ?? false)
        case "is_leaf": return .bool(gradFn == nil)
        case "grad_fn": return gradFn.map { .string("<\($0)>") } ?? .none
        case "grad":
            guard let t = floatTensor, let g = t.grad, gradFn == nil || retainsGrad else { return .none }
            return .object(TensorObject(g))
        case "data":
            switch storage {
            case .float(let t): return .object(TensorObject(t.detach()))
            case .integer: return .object(self)
            }
        case "T":
            guard shape.count <= 2 else {
                throw .python(
                    "RuntimeError", "x.T is for tensors of 2 or fewer dims; use x.permute(…) for \(shape.count)")
            }
            return .object(try transposed(0, shape.count == 2 ? 1 : 0, gradFn: "PermuteBackward0"))
        default: break
        }
        guard TensorObject.methodNames.contains(name) else {
            throw NotebookError.unknown(
                "attribute", name, among: attributeNames,
                hint: "a tensor has \(TensorObject.methodNames.prefix(12).joined(separator: ", ")), …"
            ).typed("AttributeError", prefix: "'Tensor' object has no attribute '\(name)'")
        }
        return .function(
            Function(name: "Tensor.\(name)") { [self] (args) throws(NotebookError) in
                try TorchState.op { () throws(NotebookError) in try method(name, args) }
            })
    }

    package func setAttribute(_ name: String, to value: Object) throws(NotebookError) {
        switch name {
        case "grad":
            guard case .none = value else {
                throw .python("RuntimeError", "the notebook sets .grad only to None (x.grad = None), which clears it")
            }
            floatTensor?.clearGrad()
        case "data":
            guard case .object(let source as TensorObject) = value, source.shape == shape else {
                throw .python("RuntimeError", "x.data = y needs a tensor y of the same shape \(formatShape(shape))")
            }
            try overwrite(with: source)
        case "requires_grad":
            try setRequiresGrad(value.isTruthy)
        default:
            throw .python("AttributeError", "cannot set '\(name)' on a tensor (it has grad, data and requires_grad)")
        }
    }

    func setRequiresGrad(_ flag: Bool) throws(NotebookError) {
        guard let t = floatTensor else {
            throw .python("RuntimeError", "only Tensors of floating point dtype can require gradients")
        }
        guard gradFn == nil else {
            throw .python(
                "RuntimeError",
                "you can only change requires_grad flags of leaf variables (use .detach() to make a new leaf)")
        }
        t.requiringGrad(flag)
    }

    // MARK: Methods

    func method(_ name: String, _ args: Arguments) throws(NotebookError) -> Object {
        switch name {
        case "size":
            if let d = args.value(0, "dim") {
                let dim = try d.integer(as: "size()'s dim")
                guard !shape.isEmpty else {
                    throw .python("IndexError", "Dimension specified as \(dim) but tensor has no dimensions")
                }
                return .int(shape[try normalizedDim(dim)])
            }
            return .object(SizeObject(shape))
        case "dim": return .int(shape.count)
        case "numel", "nelement": return .int(numel)
        case "item": return try item()
        case "tolist":
            try Builtins.checkLength(numel, of: "list")
            return toList()
        case "view", "reshape":
            return .object(try reshaped(try TensorObject.shapeArguments(args), op: name))
        case "flatten":
            return .object(try reshaped([numel], op: "reshape"))
        case "transpose":
            try args.expect(atMost: 2, keywords: ["dim0", "dim1"])
            return .object(
                try transposed(
                    try args.integer(0, "dim0"), try args.integer(1, "dim1"), gradFn: "TransposeBackward0"))
        case "t":
            guard shape.count <= 2 else {
                throw .python("RuntimeError", "t() expects a tensor with <= 2 dimensions, but self is \(shape.count)D")
            }
            return .object(try transposed(0, shape.count == 2 ? 1 : 0, gradFn: "TBackward0"))
        case "permute":
            let dims = try TensorObject.shapeArguments(args)
            return .object(try permuted(dims))
        case "squeeze":
            return .object(
                try squeezed(
                    try args.value(0, "dim").map { (d) throws(NotebookError) in try d.integer(as: "squeeze()'s dim") }))
        case "unsqueeze":
            return .object(try unsqueezed(try args.integer(0, "dim")))
        case "float": return .object(try converted(to: .float32))
        case "double": return .object(try DoubleTensorObject.widened(self))
        case "long": return .object(try converted(to: .int64))
        case "int": return .object(try converted(to: .int32))
        case "bool": return .object(try converted(to: .bool))
        case "type":
            if args.positional.isEmpty { return .string("torch.\(dtype.scalarName)Tensor") }
            guard case .object(let d as DTypeObject) = args.positional[0] else {
                throw .python("TypeError", "type() takes a dtype such as torch.float32")
            }
            return .object(try converted(to: d.dtype))
        case "sum", "mean", "std", "var":
            return .object(try reduce(name, args))
        case "max", "min":
            return try extremum(name, args)
        case "argmax":
            return .object(try argmax(args))
        case "all", "any":
            let values = doubles()
            return .object(
                TensorObject(
                    [(name == "all" ? values.allSatisfy { $0 != 0 } : values.contains { $0 != 0 }) ? 1 : 0], shape: [],
                    dtype: .bool))
        case "exp", "log", "log10", "tanh", "relu", "sigmoid", "abs", "sqrt":
            return .object(try elementwise(name))
        case "pow":
            return try binary(.power, args.value(0, "exponent") ?? .none, reversed: false)
        case "add", "sub", "mul", "div", "matmul", "eq", "ne", "gt", "lt", "ge", "le":
            guard let other = args.value(0, "other") else {
                throw .python("TypeError", "\(name)() needs the argument 'other'")
            }
            let ops: [String: BinaryOperator] = [
                "add": .add, "sub": .subtract, "mul": .multiply, "div": .divide, "matmul": .matrixMultiply
            ]
            if let op = ops[name] { return try binary(op, other, reversed: false) }
            let comparisons: [String: ComparisonOperator] = [
                "eq": .equal, "ne": .notEqual, "gt": .greater, "lt": .less, "ge": .greaterOrEqual, "le": .lessOrEqual
            ]
            return try compare(comparisons[name]!, other, reversed: false) ?? .bool(false)
        case "clamp":
            try args.expect(atMost: 2, keywords: ["min", "max"])
            let low = try args.value(0, "min").flatMap { (o) throws(NotebookError) -> Float? in
                if case .none = o { return nil }
                return Float(try o.number(as: "clamp()'s min"))
            }
            let high = try args.value(1, "max").flatMap { (o) throws(NotebookError) -> Float? in
                if case .none = o { return nil }
                return Float(try o.number(as: "clamp()'s max"))
            }
            return .object(TensorObject(asFloat().clamp(min: low, max: high), gradFn: "ClampBackward1"))
        case "softmax", "log_softmax":
            let dim = try args.integer(0, "dim")
            return .object(try softmax(dim, log: name == "log_softmax"))
        case "masked_fill":
            guard case .object(let mask as TensorObject)? = args.value(0, "mask") else {
                throw .python("TypeError", "masked_fill() needs a bool tensor mask")
            }
            let value = Float(try args.number(1, "value"))
            let t = try requireFloat("masked_fill")
            return .object(
                TensorObject(
                    try TorchErrors.run { () throws(ShapeError) in try t.maskedFill(mask.asFloat(), value: value) },
                    gradFn: "MaskedFillBackward0"))
        case "cumsum":
            let d = try normalizedDim(try args.integer(0, "dim"))
            return .object(try cumulativeSum(d))
        case "backward":
            let t = try requireFloat("backward")
            guard t.requiresGrad else {
                throw .python("RuntimeError", "element 0 of tensors does not require grad and does not have a grad_fn")
            }
            guard numel == 1 else {
                throw .python("RuntimeError", "grad can be implicitly created only for scalar outputs")
            }
            try TorchErrors.run { () throws(ShapeError) in try t.backward() }
            return .none
        case "retain_grad":
            retainsGrad = true
            return .none
        case "zero_", "fill_":
            let v = name == "zero_" ? 0 : try args.number(0, "value")
            try fill(v)
            return .object(self)
        case "detach":
            switch storage {
            case .float(let t): return .object(TensorObject(t.detach()))
            case .integer: return .object(self)
            }
        case "clone":
            switch storage {
            case .float(let t):
                return .object(TensorObject(t.affine(scale: 1, shift: 0), gradFn: "CloneBackward0"))
            case .integer: return .object(try converted(to: dtype, copy: true))
            }
        case "contiguous":
            if case .float(let t) = storage { return .object(TensorObject(t.contiguous(), gradFn: gradFn)) }
            return .object(self)
        case "requires_grad_":
            try setRequiresGrad(args.value(0, "requires_grad").map { $0.isTruthy } ?? true)
            return .object(self)
        case "uniform_", "normal_":
            // In place from PyTorch's generator, as nn.init does (inside torch.no_grad() for a parameter).
            guard let t = floatTensor else {
                throw .python("RuntimeError", "\(name) is for float tensors")
            }
            try checkInPlace()
            let generator: TorchGenerator
            if case .object(let g as GeneratorObject)? = args.keywords.first(where: { $0.name == "generator" })?.value {
                generator = g.generator
            } else {
                generator = TorchState.defaultGenerator ?? TorchGenerator(seed: 67_280_421_310_721)
            }
            let values: [Float]
            if name == "uniform_" {
                let low = Float(try args.number(0, "from", default: 0))
                let high = Float(try args.number(1, "to", default: 1))
                values = generator.rand(t.count).map { $0 * (high - low) + low }
            } else {
                let mean = Float(try args.number(0, "mean", default: 0))
                let std = Float(try args.number(1, "std", default: 1))
                values = generator.randn(t.count).map { $0 * std + mean }
            }
            try TorchErrors.run { () throws(ShapeError) in try t.put(Array(0..<t.count), values) }
            return .object(self)
        case "to", "cpu":
            // One device here: .to('cpu'), .to(device) and .to(torch.float32) keep the tensor (or convert its dtype).
            if case .object(let d as DTypeObject)? = args.positional.first {
                return .object(try converted(to: d.dtype))
            }
            return .object(self)
        case "sort":
            throw .python("RuntimeError", "sort() is not in the notebook's tensors yet; use sorted(t.tolist())")
        default:
            throw .python("AttributeError", "'Tensor' object has no attribute '\(name)'")
        }
    }

    /// `x.view(-1, 30)`, `x.view((32, 30))`, `x.view(emb.shape[0], 30)`, `x.permute(0, 2, 1)`.
    static func shapeArguments(_ args: Arguments) throws(NotebookError) -> [Int] {
        var items = args.positional
        if let keyword = args.keywords.first(where: { ["size", "shape", "dims"].contains($0.name) }) {
            items = [keyword.value]
        }
        if items.count == 1 {
            switch items[0] {
            case .list(let box): items = box.items
            case .tuple(let box): items = box.items
            case .object(let s as SizeObject): return s.dims
            default: break
            }
        }
        var dims: [Int] = []
        for item in items {
            if case .object(let t as TensorObject) = item, t.numel == 1, let v = t.integers?.first {
                dims.append(v)
            } else {
                dims.append(try item.integer(as: "each size in a shape"))
            }
        }
        return dims
    }

    func normalizedDim(_ dim: Int) throws(NotebookError) -> Int {
        let rank = max(shape.count, 1)
        guard dim >= -rank && dim < rank else {
            throw .python(
                "IndexError",
                "Dimension out of range (expected to be in range of [\(-rank), \(rank - 1)], but got \(dim))")
        }
        return dim < 0 ? dim + rank : dim
    }

    func reshaped(_ requested: [Int], op: String) throws(NotebookError) -> TensorObject {
        let newShape = try viewShape(requested)
        switch storage {
        case .float(let t):
            if op == "view" && !t.isContiguous {
                throw .python(
                    "RuntimeError",
                    "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead."
                )
            }
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try t.reshape(newShape) },
                gradFn: t.isContiguous ? "ViewBackward0" : "UnsafeViewBackward0")
        case .integer(let a):
            return TensorObject(a.values, shape: newShape, dtype: dtype)
        }
    }

    /// PyTorch's shape for `view`: one -1 is inferred; the sizes must hold every element.
    func viewShape(_ requested: [Int]) throws(NotebookError) -> [Int] {
        let inferred = requested.filter { $0 == -1 }.count
        guard inferred <= 1 else { throw .python("RuntimeError", "only one dimension can be inferred") }
        for s in requested where s < -1 {
            throw .python("RuntimeError", "invalid shape dimension \(s)")
        }
        guard let known = requested.filter({ $0 != -1 }).checkedProduct else {
            throw .python("RuntimeError", "shape '\(requested)' is invalid for input of size \(numel)")
        }
        var shape = requested
        if inferred == 1 {
            guard known != 0, numel % known == 0 else {
                throw .python("RuntimeError", "shape '\(requested)' is invalid for input of size \(numel)")
            }
            shape[requested.firstIndex(of: -1)!] = numel / known
        } else if known != numel {
            throw .python("RuntimeError", "shape '\(requested)' is invalid for input of size \(numel)")
        }
        return shape
    }

    func transposed(_ a: Int, _ b: Int, gradFn: String) throws(NotebookError) -> TensorObject {
        if shape.count < 2 { return self }
        let (x, y) = (try normalizedDim(a), try normalizedDim(b))
        var order = Array(0..<shape.count)
        order.swapAt(x, y)
        return try permuted(order, gradFn: gradFn)
    }

    func permuted(_ dims: [Int], gradFn: String = "PermuteBackward0") throws(NotebookError) -> TensorObject {
        guard dims.count == shape.count else {
            throw .python(
                "RuntimeError",
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(shape.count) is not equal to len(dims) = \(dims.count)"
            )
        }
        var order: [Int] = []
        for d in dims { order.append(try normalizedDim(d)) }
        guard Set(order).count == order.count else {
            throw .python("RuntimeError", "permute(): duplicate dims are not allowed.")
        }
        switch storage {
        case .float(let t):
            return TensorObject(try TorchErrors.run { () throws(ShapeError) in try t.permute(order) }, gradFn: gradFn)
        case .integer(let a):
            let outShape = order.map { a.shape[$0] }
            var strides = [Int](repeating: 1, count: a.shape.count)
            for d in stride(from: a.shape.count - 2, through: 0, by: -1) {
                strides[d] = strides[d + 1] * a.shape[d + 1]
            }
            let permutedStrides = order.map { strides[$0] }
            var values: [Int] = []
            values.reserveCapacity(a.values.count)
            var index = [Int](repeating: 0, count: outShape.count)
            for _ in 0..<a.values.count {
                values.append(a.values[zip(index, permutedStrides).map(*).reduce(0, +)])
                var d = outShape.count - 1
                while d >= 0 {
                    index[d] += 1
                    if index[d] < outShape[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
            return TensorObject(values, shape: outShape, dtype: dtype)
        }
    }

    func squeezed(_ dim: Int?) throws(NotebookError) -> TensorObject {
        var newShape = shape
        if let dim {
            let d = try normalizedDim(dim)
            if !shape.isEmpty && shape[d] == 1 { newShape.remove(at: d) }
        } else {
            newShape = shape.filter { $0 != 1 }
        }
        return try reshapedKeepingName(newShape, gradFn: dim == nil ? "SqueezeBackward0" : "SqueezeBackward1")
    }

    func unsqueezed(_ dim: Int) throws(NotebookError) -> TensorObject {
        let rank = shape.count + 1
        guard dim >= -rank && dim < rank else {
            throw .python(
                "IndexError",
                "Dimension out of range (expected to be in range of [\(-rank), \(rank - 1)], but got \(dim))")
        }
        var newShape = shape
        newShape.insert(1, at: dim < 0 ? dim + rank : dim)
        return try reshapedKeepingName(newShape, gradFn: "UnsqueezeBackward0")
    }

    private func reshapedKeepingName(_ newShape: [Int], gradFn: String) throws(NotebookError) -> TensorObject {
        switch storage {
        case .float(let t):
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try t.reshape(newShape) }, gradFn: gradFn)
        case .integer(let a): return TensorObject(a.values, shape: newShape, dtype: dtype)
        }
    }

    func elementwise(_ name: String) throws(NotebookError) -> TensorObject {
        if name == "abs" && !dtype.isFloat {
            // int64's -2**63 has no positive twin: it stays, as in PyTorch.
            let values = (integers ?? []).map { $0 == .min ? $0 : Swift.abs($0) }
            return TensorObject(values, shape: shape, dtype: dtype)
        }
        if name == "relu" && !dtype.isFloat {
            return TensorObject((integers ?? []).map { Swift.max(0, $0) }, shape: shape, dtype: dtype)
        }
        let t = asFloat()  // an integer tensor is converted first, as PyTorch does
        switch name {
        case "exp": return TensorObject(t.exp(), gradFn: "ExpBackward0")
        case "log": return TensorObject(t.log(), gradFn: "LogBackward0")
        case "log10":
            let scaled = try TorchErrors.run { () throws(ShapeError) in try t.log().mul(Tensor(Float(1 / M_LN10))) }
            return TensorObject(scaled, gradFn: "Log10Backward0")
        case "tanh": return TensorObject(t.tanh(), gradFn: "TanhBackward0")
        case "relu": return TensorObject(t.relu(), gradFn: "ReluBackward0")
        case "sigmoid": return TensorObject(t.sigmoid(), gradFn: "SigmoidBackward0")
        case "abs": return TensorObject(t.absolute(), gradFn: "AbsBackward0")
        default: return TensorObject(t.sqrt(), gradFn: "SqrtBackward0")
        }
    }

    func softmax(_ dim: Int, log: Bool) throws(NotebookError) -> TensorObject {
        let t = try requireFloat(log ? "log_softmax" : "softmax")
        let d = try normalizedDim(dim)
        if shape.isEmpty {
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in
                    log
                        ? try t.reshape([1]).logSoftmax(dim: 0).reshape([])
                        : try t.reshape([1]).softmax(dim: 0).reshape([])
                },
                gradFn: log ? "LogSoftmaxBackward0" : "SoftmaxBackward0")
        }
        return TensorObject(
            try TorchErrors.run { () throws(ShapeError) in log ? try t.logSoftmax(dim: d) : try t.softmax(dim: d) },
            gradFn: log ? "LogSoftmaxBackward0" : "SoftmaxBackward0")
    }

    func fill(_ v: Double) throws(NotebookError) {
        switch storage {
        case .float(let t):
            if t.requiresGrad && TorchState.noGradDepth == 0 {
                throw .python(
                    "RuntimeError", "a leaf Variable that requires grad is being used in an in-place operation.")
            }
            try TorchErrors.run { () throws(ShapeError) in try t.put(Array(0..<t.count), [Float(v)]) }
        case .integer:
            writeIntegers(Array(0..<numel), [v.clampedInt])
        }
    }

    /// `sum`, `mean`, `std`, `var`, all or along dims, with `keepdim` (or numpy's `keepdims`).
    func reduce(_ name: String, _ args: Arguments) throws(NotebookError) -> TensorObject {
        try args.expect(atMost: 2, keywords: ["dim", "keepdim", "keepdims", "unbiased", "correction", "dtype"])
        let keepdim =
            (args.value(1, "keepdim") ?? args.keywords.first { $0.name == "keepdims" }?.value)?.isTruthy ?? false
        var dims: [Int]?
        if let d = args.value(0, "dim"), !(d == .none) {
            dims = try TensorObject.dimList(d).map { (x) throws(NotebookError) in try normalizedDim(x) }
        }
        var unbiased = true
        if let u = args.keywords.first(where: { $0.name == "unbiased" }) { unbiased = u.value.isTruthy }
        if let c = args.keywords.first(where: { $0.name == "correction" }) {
            unbiased = (try c.value.integer(as: "correction")) != 0
        }
        if !dtype.isFloat && name != "sum" {
            throw .python(
                "RuntimeError",
                "\(name)(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarName)"
            )
        }
        if case .integer(let a) = storage {
            // An integer sum is exact, in int64.
            let all = dims ?? Array(0..<shape.count)
            let outShape = shape.enumerated().compactMap { all.contains($0.offset) ? (keepdim ? 1 : nil) : $0.element }
            let reduced = shape.enumerated().map { all.contains($0.offset) ? 1 : $0.element }
            var sums = [Int](repeating: 0, count: reduced.reduce(1, *))
            let reads = TorchErrors.broadcastPositions(reduced, to: shape)
            for (i, v) in a.values.enumerated() { sums[reads[i]] &+= v }
            return TensorObject(sums, shape: outShape, dtype: .int64)
        }
        let t = try requireFloat(name)
        let backward: String
        let result: Tensor
        switch name {
        case "sum":
            result = try TorchErrors.run { () throws(ShapeError) in
                if let dims { return try t.sum(dims: dims, keepdim: keepdim) }
                return keepdim ? try t.sum(dims: Array(0..<t.shape.count), keepdim: true) : t.sum()
            }
            backward = dims == nil ? "SumBackward0" : "SumBackward1"
        case "mean":
            result = try TorchErrors.run { () throws(ShapeError) in
                if let dims { return try t.mean(dims: dims, keepdim: keepdim) }
                return keepdim ? try t.mean(dims: Array(0..<t.shape.count), keepdim: true) : t.mean()
            }
            backward = dims == nil ? "MeanBackward0" : "MeanBackward1"
        default:
            let all = dims ?? Array(0..<t.shape.count)
            let v = try TorchErrors.run { () throws(ShapeError) in
                try t.variance(dims: all, unbiased: unbiased, keepdim: keepdim)
            }
            result = name == "var" ? v : v.sqrt()
            backward = name == "var" ? "VarBackward0" : "StdBackward0"
        }
        return TensorObject(result, gradFn: backward)
    }

    static func dimList(_ o: Object) throws(NotebookError) -> [Int] {
        switch o {
        case .tuple(let box): return try box.items.map { (x) throws(NotebookError) in try x.integer(as: "a dim") }
        case .list(let box): return try box.items.map { (x) throws(NotebookError) in try x.integer(as: "a dim") }
        default: return [try o.integer(as: "dim")]
        }
    }

    /// `max()`/`min()`: the extreme value; with a dim, `(values, indices)` as PyTorch's named pair.
    func extremum(_ name: String, _ args: Arguments) throws(NotebookError) -> Object {
        try args.expect(atMost: 2, keywords: ["dim", "keepdim", "keepdims"])
        if case .object(let other as TensorObject)? = args.positional.first {
            // torch.max(a, b): the elementwise maximum.
            let a = doubles()
            let b = other.doubles()
            let outShape = try TorchErrors.broadcast(shape, other.shape)
            let ra = TorchErrors.broadcastPositions(shape, to: outShape)
            let rb = TorchErrors.broadcastPositions(other.shape, to: outShape)
            let values = (0..<ra.count).map {
                name == "max" ? Swift.max(a[ra[$0]], b[rb[$0]]) : Swift.min(a[ra[$0]], b[rb[$0]])
            }
            if dtype.isFloat || other.dtype.isFloat {
                return .object(
                    TensorObject(
                        try TorchErrors.run { () throws(ShapeError) in
                            try Tensor(shape: outShape, values: values.map { Float($0) })
                        }))
            }
            return .object(TensorObject(values.map(\.clampedInt), shape: outShape, dtype: dtype))
        }
        let keepdim =
            (args.value(1, "keepdim") ?? args.keywords.first { $0.name == "keepdims" }?.value)?.isTruthy ?? false
        let sign: Float = name == "max" ? 1 : -1
        guard let d = args.value(0, "dim") else {
            guard numel > 0 else {
                throw .python(
                    "RuntimeError",
                    "\(name)(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."
                )
            }
            if case .integer(let a) = storage {
                return .object(
                    TensorObject([name == "max" ? a.values.max()! : a.values.min()!], shape: [], dtype: dtype))
            }
            let t = try requireFloat(name)
            let signed = sign == 1 ? t : try TorchErrors.run { () throws(ShapeError) in try t.mul(Tensor(-1)) }
            var m = try TorchErrors.run { () throws(ShapeError) in try signed.max() }
            if sign == -1 { m = try TorchErrors.run { () throws(ShapeError) in try m.mul(Tensor(-1)) } }
            return .object(TensorObject(m, gradFn: name == "max" ? "MaxBackward1" : "MinBackward1"))
        }
        let dim = try normalizedDim(try d.integer(as: "\(name)()'s dim"))
        let t = asFloat()
        let signed = sign == 1 ? t : try TorchErrors.run { () throws(ShapeError) in try t.mul(Tensor(-1)) }
        let indices = try TorchErrors.run { () throws(ShapeError) in try signed.argmax(dim: dim) }
        var indexShape = indices.shape
        if keepdim { indexShape.insert(1, at: min(dim, indexShape.count)) }
        let indexTensor = TensorObject(indices.values.map { Int($0) }, shape: indexShape, dtype: .int64)
        let values: TensorObject
        if case .integer(let a) = storage {
            let picked = try indexTensor.selectionAlong(dim, in: a.shape, keepdim: keepdim)
            values = TensorObject(picked.map { a.values[$0] }, shape: indexShape, dtype: dtype)
        } else {
            var m = try TorchErrors.run { () throws(ShapeError) in try signed.max(dim: dim, keepdim: keepdim) }
            if sign == -1 { m = try TorchErrors.run { () throws(ShapeError) in try m.mul(Tensor(-1)) } }
            values = TensorObject(m, gradFn: name == "max" ? "MaxBackward0" : "MinBackward0")
        }
        return .object(NamedPair(name: name, values: values, indices: indexTensor))
    }

    /// The positions in a tensor of `shape` that per-slice indices along `dim` point at.
    private func selectionAlong(_ dim: Int, in shape: [Int], keepdim: Bool) throws(NotebookError) -> [Int] {
        // A 0-d tensor's one value is its own maximum.
        guard dim < shape.count else { return (integers ?? []).map { _ in 0 } }
        let inner = shape[(dim + 1)...].reduce(1, *)
        let n = shape[dim]
        let values = integers ?? []
        return values.enumerated().map { i, at in
            let outer = i / inner
            let k = i % inner
            return (outer * n + at) * inner + k
        }
    }

    func argmax(_ args: Arguments) throws(NotebookError) -> TensorObject {
        let t = asFloat()
        if let d = args.value(0, "dim"), !(d == .none) {
            let dim = try normalizedDim(try d.integer(as: "argmax()'s dim"))
            let keepdim = (args.value(1, "keepdim"))?.isTruthy ?? false
            let indices = try TorchErrors.run { () throws(ShapeError) in try t.argmax(dim: dim) }
            var s = indices.shape
            if keepdim { s.insert(1, at: min(dim, s.count)) }
            return TensorObject(indices.values.map { Int($0) }, shape: s, dtype: .int64)
        }
        let flat = try TorchErrors.run { () throws(ShapeError) in try t.reshape([t.count]).argmax(dim: 0) }
        return TensorObject(flat.values.map { Int($0) }, shape: [], dtype: .int64)
    }

    func cumulativeSum(_ dim: Int) throws(NotebookError) -> TensorObject {
        if shape.isEmpty { return try converted(to: dtype.isFloat ? dtype : .int64, copy: true) }  // a 0-D sum of one
        let inner = shape[(dim + 1)...].reduce(1, *)
        let n = shape.isEmpty ? 1 : shape[dim]
        let values = doubles()
        if dtype.isFloat {
            var floats = values.map { Float($0) }
            for i in 0..<floats.count where (i / inner) % n != 0 { floats[i] += floats[i - inner] }
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try Tensor(shape: shape, values: floats) })
        }
        var integers = self.integers ?? values.map(\.clampedInt)
        for i in 0..<integers.count where (i / inner) % n != 0 { integers[i] = integers[i] &+ integers[i - inner] }
        _ = values
        return TensorObject(integers, shape: shape, dtype: .int64)
    }

    /// `~mask`: logical not of a bool tensor, bitwise not of an integer one.
    func inverted() throws(NotebookError) -> Object {
        guard let values = integers else {
            throw .python("TypeError", "~ (bitwise not) is only for integer and bool tensors")
        }
        return .object(
            TensorObject(dtype == .bool ? values.map { 1 - $0 } : values.map { ~$0 }, shape: shape, dtype: dtype))
    }
}

extension TensorObject {
    /// `cmp(name, dt, t)`: a gradient worked out by hand against the one autograd left in `t.grad`,
    /// as makemore part 4 checks each step: exactly equal, equal within `allclose`, the largest
    /// difference, and whether the shapes agree.
    static func compareWithAutograd(_ args: Arguments) throws(NotebookError) -> String {
        try args.expect(atMost: 3)
        let name = try args.string(0, "s")
        guard case .object(let manual as TensorObject)? = args.value(1, "dt"),
            case .object(let target as TensorObject)? = args.value(2, "t")
        else {
            throw .python("TypeError", "cmp(s, dt, t) takes a name, your gradient dt and the tensor t it is for")
        }
        guard let grad = target.floatTensor?.grad, target.gradFn == nil || target.retainsGrad else {
            throw .python(
                "RuntimeError",
                "\(name) has no .grad to compare with: call t.retain_grad() before loss.backward() for an intermediate")
        }
        let mine = manual.doubles()
        let theirs = grad.scalars.map { Double($0) }
        let shapeOK = manual.shape == target.shape
        var exact = shapeOK
        var close = true
        var maxdiff = 0.0
        let outShape = try TorchErrors.broadcast(manual.shape, grad.shape)
        let (ra, rb) = (
            TorchErrors.broadcastPositions(manual.shape, to: outShape),
            TorchErrors.broadcastPositions(grad.shape, to: outShape)
        )
        for i in 0..<ra.count {
            let (a, b) = (mine[ra[i]], theirs[rb[i]])
            if a != b { exact = false }
            let d = Double(Float(a) - Float(b)).magnitude
            if d > maxdiff || d.isNaN { maxdiff = d }
            if !(abs(a - b) <= 1e-8 + 1e-5 * abs(b)) { close = false }
        }
        func padded(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        let line =
            "\(padded(name, 15)) | exact: \(padded(exact ? "True" : "False", 5)) | approximate: \(padded(close ? "True" : "False", 5)) | maxdiff: \(maxdiff.pythonRepr) | shape is correct: \(shapeOK ? "True" : "False")"
        return line
    }
}

/// `torch.Size([32, 3, 10])`: a tensor's shape, a tuple of ints.
package final class SizeObject: IterableObject, SizedObject, IndexableObject, ArithmeticObject {
    package static let typeName = "Size"
    let dims: [Int]
    init(_ dims: [Int]) { self.dims = dims }

    package var description: String { "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])" }
    package var attributeNames: [String] { ["numel"] }
    package var count: Int { dims.count }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        guard name == "numel" else { throw .python("AttributeError", "'torch.Size' object has no attribute '\(name)'") }
        return .function(
            Function(name: "Size.numel") { [dims] (_: Arguments) throws(NotebookError) -> Object in
                guard let n = dims.checkedProduct else {
                    throw .python("OverflowError", "the shape's number of elements does not fit in 64 bits")
                }
                return .int(n)
            })
    }
    package func makeIterator() -> ObjectIterator { ObjectIterator(items: dims.map(Object.int)) }
    package func item(at key: Object) throws(NotebookError) -> Object {
        if case .object(let slice as SliceObject) = key {
            return .object(SizeObject(try slice.indices(count: dims.count).map { dims[$0] }))
        }
        return .int(dims[try Interpreter.index(key, count: dims.count, kind: "tuple")])
    }
    package func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object {
        if op == .add, case .tuple(let box) = other {
            let mine = dims.map(Object.int)
            return .tuple(reversed ? box.items + mine : mine + box.items)
        }
        throw .python(
            "TypeError", "unsupported operand type(s) for \(op.rawValue): 'torch.Size' and '\(other.typeName)'")
    }
    package func negated() throws(NotebookError) -> Object {
        throw .python("TypeError", "bad operand type for unary -: 'torch.Size'")
    }
    package func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object? {
        guard op == .equal || op == .notEqual else { return nil }
        let theirs: [Object]
        switch other {
        case .tuple(let box): theirs = box.items
        case .list: return .bool(op == .notEqual)
        case .object(let s as SizeObject): theirs = s.dims.map(Object.int)
        default: return .bool(op == .notEqual)
        }
        let same =
            theirs.count == dims.count
            && zip(theirs, dims).allSatisfy { if case .int(let n) = $0.0 { n == $0.1 } else { false } }
        return .bool(op == .equal ? same : !same)
    }
}

/// `torch.float32`, `torch.int32`, …: printed as PyTorch prints them, taken by `dtype=`.
package final class DTypeObject: NotebookObject {
    package static let typeName = "dtype"
    let dtype: DType
    init(_ dtype: DType) { self.dtype = dtype }
    package var description: String { dtype.name }
    package var attributeNames: [String] { ["is_floating_point"] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        guard name == "is_floating_point" else {
            throw .python("AttributeError", "'torch.dtype' object has no attribute '\(name)'")
        }
        return .bool(dtype.isFloat)
    }
}

/// The named pairs PyTorch returns: `(values, indices)` from `max(dim)` and `min(dim)`
/// (`torch.return_types.max`), `(hist, bin_edges)` from `torch.histogram`.
package final class NamedPair: IterableObject, IndexableObject, SizedObject {
    package static let typeName = "return_types"
    let name: String
    let fields: [(name: String, value: TensorObject)]
    init(name: String, values: TensorObject, indices: TensorObject) {
        self.name = name
        fields = [("values", values), ("indices", indices)]
    }
    init(name: String, fields: [(name: String, value: TensorObject)]) {
        self.name = name
        self.fields = fields
    }
    package var description: String {
        "torch.return_types.\(name)(\n" + fields.map { "\($0.name)=\($0.value.description)" }.joined(separator: ",\n")
            + ")"
    }
    package var attributeNames: [String] { fields.map(\.name) }
    package var count: Int { fields.count }
    package func attribute(_ attribute: String) throws(NotebookError) -> Object {
        guard let field = fields.first(where: { $0.name == attribute }) else {
            throw .python("AttributeError", "'torch.return_types.\(name)' object has no attribute '\(attribute)'")
        }
        return .object(field.value)
    }
    package func makeIterator() -> ObjectIterator { ObjectIterator(items: fields.map { .object($0.value) }) }
    package func item(at key: Object) throws(NotebookError) -> Object {
        .object(fields[try Interpreter.index(key, count: fields.count, kind: "tuple")].value)
    }
}

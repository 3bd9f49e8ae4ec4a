// float64 tensors, as the micrograd lecture and micrograd's tests make them to check `Value` against
// PyTorch: `torch.Tensor([2.0]).double()`, `x.requires_grad = True`, arithmetic, `torch.tanh`,
// `backward()`, `x.grad.item()`. The notebook's other tensors are float32 (the engine's); these keep
// their values in doubles, with a graph of their own for autograd, and do what those cells and tests
// do: elementwise arithmetic with broadcasting, the elementwise functions, `sum` and `mean`, and the
// attributes and methods of a leaf and its gradient. Results are PyTorch's to the bit where its CPU
// kernels are plain double arithmetic and libm (`x / y` from the left, `y / x` as `y * (1 / x)`, as
// `Tensor.__rtruediv__` computes it; `x ** 2` as `x * x`).
import Engine
import Foundation
import Synchronization

/// A float64 tensor.
package final class DoubleTensorObject: NotebookObject {
    package static let typeName = "Tensor"
    static let methodNames = [
        "item", "tolist", "size", "dim", "numel", "backward", "tanh", "exp", "log", "relu", "sigmoid", "abs", "sqrt",
        "pow", "sum", "mean", "double", "float", "detach", "clone", "requires_grad_", "retain_grad", "zero_"
    ]
    static let propertyNames = ["shape", "dtype", "ndim", "grad", "data", "requires_grad", "is_leaf", "grad_fn", "T"]

    let shape: [Int]
    private(set) var values: [Double]
    private(set) var requiresGrad: Bool
    private(set) var grad: DoubleTensorObject?
    /// PyTorch's name for the backward of the op that made this tensor; nil for a leaf.
    let gradFn: String?
    private var retainsGrad = false
    /// Each input of the op that made this tensor, with the gradient it receives from this tensor's.
    private var inputs: [(tensor: DoubleTensorObject, gradient: ([Double]) -> [Double])]
    /// `backward()` went through this tensor's op and freed it, as PyTorch frees a graph.
    private var isFreed = false
    /// When the tensor was made: `backward()` runs the ops from the last made to the first, the
    /// order PyTorch's engine runs them in (and so adds a tensor's gradients in).
    private let sequence: Int
    private static let made = Atomic<Int>(0)
    /// Made from a Python number in an op (`x ** 2`): PyTorch's scalar kernels apply.
    private(set) var isNumber = false

    init(_ values: [Double], shape: [Int], requiresGrad: Bool = false) {
        self.values = values
        self.shape = shape
        self.requiresGrad = requiresGrad
        gradFn = nil
        inputs = []
        sequence = Self.made.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// A long chain of ops is freed a link at a time, not by nested releases that could overflow
    /// the stack.
    deinit {
        guard !inputs.isEmpty else { return }
        var pending = inputs.map(\.tensor)
        inputs.removeAll()
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending += node.inputs.map(\.tensor)
                node.inputs.removeAll()
            }
        }
    }

    private convenience init(number: Double) {
        self.init([number], shape: [])
        isNumber = true
    }

    /// The result of an op: in the graph when an input needs a gradient and no `no_grad` is open.
    private init(
        _ values: [Double], shape: [Int], gradFn: String,
        inputs: [(tensor: DoubleTensorObject, gradient: ([Double]) -> [Double])]
    ) {
        self.values = values
        self.shape = shape
        let tracked = TorchState.noGradDepth == 0 ? inputs.filter { $0.tensor.requiresGrad } : []
        requiresGrad = !tracked.isEmpty
        self.gradFn = tracked.isEmpty ? nil : gradFn
        self.inputs = tracked
        sequence = Self.made.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// A float32 or integer tensor widened to float64 (`x.double()`), outside the graph when it
    /// needs no gradient; a float32 tensor that needs one cannot be widened here.
    static func widened(_ t: TensorObject) throws(NotebookError) -> DoubleTensorObject {
        if t.floatTensor?.requiresGrad == true {
            throw .python(
                "RuntimeError",
                "the notebook cannot carry a float32 tensor's gradient into float64: call .double() before requires_grad = True"
            )
        }
        return DoubleTensorObject(t.doubles(), shape: t.shape)
    }

    /// `torch.tensor(data, dtype=torch.float64)`: nested lists or tuples of numbers, a number, or a
    /// tensor, each number kept as the double it is.
    static func from(_ data: Object) throws(NotebookError) -> DoubleTensorObject {
        switch data {
        case .object(let t as DoubleTensorObject): return DoubleTensorObject(t.values, shape: t.shape)
        case .object(let t as TensorObject): return DoubleTensorObject(t.doubles(), shape: t.shape)
        default: break
        }
        var shape: [Int] = []
        var values: [Double] = []
        func walk(_ o: Object, _ depth: Int) throws(NotebookError) {
            guard depth < 64 else { throw .python("ValueError", "torch.tensor(): the data is nested too deeply") }
            switch o {
            case .list, .tuple:
                let items: [Object]
                switch o {
                case .list(let box): items = box.items
                case .tuple(let box): items = box.items
                default: items = []
                }
                if depth == shape.count && values.isEmpty { shape.append(items.count) }
                guard depth < shape.count else {
                    throw .python(
                        "ValueError", "expected a number at dim \(depth), not a sequence (the data is not rectangular)")
                }
                guard shape[depth] == items.count else {
                    throw .python(
                        "ValueError", "expected sequence of length \(shape[depth]) at dim \(depth) (got \(items.count))"
                    )
                }
                for item in items { try walk(item, depth + 1) }
            case .int(let n): values.append(Double(n))
            case .float(let d): values.append(d)
            case .bool(let b): values.append(b ? 1 : 0)
            case .object(let t as DoubleTensorObject) where t.values.count == 1 && t.shape.isEmpty:
                values.append(t.values[0])
            case .object(let t as TensorObject) where t.shape.isEmpty: values.append(t.doubles()[0])
            default:
                throw .python(
                    "TypeError", "torch.tensor(): a float64 tensor is made of numbers, not \(o.typeNameWithArticle)")
            }
        }
        try walk(data, 0)
        guard values.count == shape.reduce(1, *) else {
            throw .python("ValueError", "torch.tensor(): the data is not rectangular (a number where a list was)")
        }
        return DoubleTensorObject(values, shape: shape)
    }

    package var description: String {
        var suffixes = ["dtype=torch.float64"]
        if let gradFn {
            suffixes.append("grad_fn=<\(gradFn)>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        let body =
            values.isEmpty
            ? "[]" : TensorFormat.tensorString(values, shape: shape, dtype: .float32, indent: 7, wide: true)
        return TensorFormat.addSuffixes("tensor(" + body, suffixes, indent: 7)
    }

    package var attributeNames: [String] { (Self.propertyNames + Self.methodNames).sorted() }

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "shape": return .object(SizeObject(shape))
        case "dtype": return .object(Float64DType.shared)
        case "ndim": return .int(shape.count)
        case "requires_grad": return .bool(requiresGrad)
        case "is_leaf": return .bool(gradFn == nil)
        case "grad_fn": return gradFn.map { .string("<\($0)>") } ?? .none
        case "grad": return grad.map { .object($0) } ?? .none
        case "data": return .object(DoubleTensorObject(values, shape: shape))
        case "T":
            guard shape.count <= 2 else {
                throw .python(
                    "RuntimeError", "x.T is for tensors of 2 or fewer dims; this float64 tensor has \(shape.count)")
            }
            guard shape.count == 2 else {
                return .object(
                    DoubleTensorObject(values, shape: shape, gradFn: "PermuteBackward0", inputs: [(self, { $0 })]))
            }
            let (rows, columns) = (shape[0], shape[1])
            func transposed(_ v: [Double], _ rows: Int, _ columns: Int) -> [Double] {
                (0..<(rows * columns)).map { k in v[(k % rows) * columns + k / rows] }
            }
            return .object(
                DoubleTensorObject(
                    transposed(values, rows, columns), shape: [columns, rows], gradFn: "PermuteBackward0",
                    inputs: [(self, { transposed($0, columns, rows) })]))
        default: break
        }
        if !Self.methodNames.contains(name) && TensorObject.methodNames.contains(name) {
            throw .python(
                "AttributeError",
                "'Tensor' object has no attribute '\(name)': the notebook's float64 tensors have \(Self.methodNames.joined(separator: ", ")); convert with .float() for \(name)()"
            )
        }
        guard Self.methodNames.contains(name) else {
            throw NotebookError.unknown(
                "attribute", name, among: attributeNames,
                hint:
                    "a float64 tensor has \(Self.methodNames.joined(separator: ", ")); convert with .float() for the rest"
            ).typed("AttributeError", prefix: "'Tensor' object has no attribute '\(name)'")
        }
        return .function(
            Function(name: "Tensor.\(name)") { [self] (args) throws(NotebookError) in try method(name, args) })
    }

    package func setAttribute(_ name: String, to value: Object) throws(NotebookError) {
        switch name {
        case "requires_grad": try setRequiresGrad(value.isTruthy)
        case "grad":
            guard case .none = value else {
                throw .python("RuntimeError", "the notebook sets .grad only to None (x.grad = None), which clears it")
            }
            grad = nil
        case "data":
            guard case .object(let source as DoubleTensorObject) = value, source.shape == shape else {
                throw .python("RuntimeError", "x.data = y needs a float64 tensor y of the same shape \(shape)")
            }
            values = source.values
        default:
            throw .python(
                "AttributeError", "cannot set '\(name)' on a float64 tensor (it has requires_grad, grad and data)")
        }
    }

    private func setRequiresGrad(_ on: Bool) throws(NotebookError) {
        guard gradFn == nil else {
            throw .python(
                "RuntimeError",
                "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        }
        requiresGrad = on
    }

    /// The method `name` called with these arguments (`torch.sum(x)`, `torch.Tensor.tanh(x)`).
    func call(_ name: String, _ positional: [Object], _ keywords: [(name: String, value: Object)])
        throws(NotebookError) -> Object
    {
        guard Self.methodNames.contains(name) else {
            throw .python(
                "TypeError",
                "\(name)() is for the notebook's float32 tensors; a float64 tensor has \(Self.methodNames.joined(separator: ", ")) (convert with .float())"
            )
        }
        return try method(name, Arguments(function: name, positional: positional, keywords: keywords))
    }

    func method(_ name: String, _ args: Arguments) throws(NotebookError) -> Object {
        switch name {
        case "item":
            guard values.count == 1 else {
                throw .python(
                    "RuntimeError", "a Tensor with \(values.count) elements cannot be converted to Scalar")
            }
            return .float(values[0])
        case "tolist":
            try Builtins.checkLength(values.count, of: "list")
            return toList(0, shape[...])
        case "size":
            if let d = args.value(0, "dim") { return .int(shape[try dimension(try d.integer(as: "size()'s dim"))]) }
            return .object(SizeObject(shape))
        case "dim": return .int(shape.count)
        case "numel": return .int(values.count)
        case "backward":
            try backward()
            return .none
        case "tanh", "exp", "log", "relu", "sigmoid", "abs", "sqrt": return .object(elementwise(name))
        case "pow":
            guard let exponent = args.value(0, "exponent") else {
                throw .python("TypeError", "pow() needs an exponent")
            }
            return try binary(.power, exponent, reversed: false)
        case "sum", "mean":
            guard args.positional.isEmpty, args.keywords.isEmpty else {
                throw .python(
                    "RuntimeError",
                    "the notebook's float64 tensors \(name) all their elements only; use .float() for \(name)(dim)")
            }
            return .object(reduced(mean: name == "mean"))
        case "double": return .object(self)
        case "float":
            guard !requiresGrad else {
                throw .python(
                    "RuntimeError",
                    "the notebook cannot carry a float64 tensor's gradient into float32: convert x.detach().float()")
            }
            return .object(TensorObject((try? Tensor(shape: shape, values: values.map { Float($0) })) ?? Tensor(0)))
        case "detach": return .object(DoubleTensorObject(values, shape: shape))
        case "clone":
            return .object(DoubleTensorObject(values, shape: shape, gradFn: "CloneBackward0", inputs: [(self, { $0 })]))
        case "requires_grad_":
            try setRequiresGrad(args.value(0, "requires_grad")?.isTruthy ?? true)
            return .object(self)
        case "retain_grad":
            if gradFn != nil { retainsGrad = true }
            return .none
        case "zero_":
            values = Array(repeating: 0, count: values.count)
            return .object(self)
        default:
            throw .python("AttributeError", "'Tensor' object has no attribute '\(name)'")
        }
    }

    private func dimension(_ d: Int) throws(NotebookError) -> Int {
        guard !shape.isEmpty else {
            throw .python("IndexError", "Dimension specified as \(d) but tensor has no dimensions")
        }
        let n = shape.count
        guard d >= -n && d < n else {
            throw .python(
                "IndexError", "Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(d))")
        }
        return d < 0 ? d + n : d
    }

    private func toList(_ start: Int, _ dims: ArraySlice<Int>) -> Object {
        guard let size = dims.first else { return .float(values[start]) }
        let stride = dims.dropFirst().reduce(1, *)
        return .list((0..<size).map { toList(start + $0 * stride, dims.dropFirst()) })
    }

    // MARK: Ops

    /// `tanh`, `exp`, … elementwise, with PyTorch's backward for each.
    func elementwise(_ name: String) -> DoubleTensorObject {
        let x = values
        let y: [Double]
        let gradient: ([Double]) -> [Double]
        switch name {
        case "tanh":
            y = x.map { Foundation.tanh($0) }
            gradient = { g in zip(g, y).map { $0 * (1 - $1 * $1) } }
        case "exp":
            y = x.map { Foundation.exp($0) }
            gradient = { g in zip(g, y).map { $0 * $1 } }
        case "log":
            y = x.map { Foundation.log($0) }
            gradient = { g in zip(g, x).map { $0 / $1 } }
        case "relu":
            y = x.map { $0 > 0 ? $0 : 0 }
            gradient = { g in zip(g, y).map { $1 > 0 ? $0 : 0 } }
        case "sigmoid":
            y = x.map { 1 / (1 + Foundation.exp(-$0)) }
            gradient = { g in zip(g, y).map { $0 * (1 - $1) * $1 } }
        case "abs":
            y = x.map { Swift.abs($0) }
            gradient = { g in zip(g, x).map { $0 * ($1 > 0 ? 1 : $1 < 0 ? -1 : 0) } }
        default:  // sqrt
            y = x.map { $0.squareRoot() }
            gradient = { g in zip(g, y).map { $0 / (2 * $1) } }
        }
        let backward = name.prefix(1).uppercased() + name.dropFirst() + "Backward0"
        return DoubleTensorObject(y, shape: shape, gradFn: backward, inputs: [(self, gradient)])
    }

    private func reduced(mean: Bool) -> DoubleTensorObject {
        var total = 0.0
        for v in values { total += v }
        let count = values.count
        let n = Double(count)
        return DoubleTensorObject(
            [mean ? total / n : total], shape: [], gradFn: mean ? "MeanBackward0" : "SumBackward0",
            inputs: [(self, { g in Array(repeating: mean ? g[0] / n : g[0], count: count) })])
    }

    // MARK: Backward

    /// `backward()` from a one-element tensor: the gradients of the leaves that require them are
    /// added to their `.grad`, and the graph is freed, as PyTorch does.
    private func backward() throws(NotebookError) {
        guard requiresGrad else {
            throw .python("RuntimeError", "element 0 of tensors does not require grad and does not have a grad_fn")
        }
        guard values.count == 1 else {
            throw .python("RuntimeError", "grad can be implicitly created only for scalar outputs")
        }
        // Every tensor the output was made from, run from the last made to the first: each then
        // comes after every op that used it, in the order PyTorch's engine runs them.
        var order: [DoubleTensorObject] = [self]
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var next = 0
        while next < order.count {
            for (input, _) in order[next].inputs where seen.insert(ObjectIdentifier(input)).inserted {
                order.append(input)
            }
            next += 1
        }
        order.sort { $0.sequence > $1.sequence }
        if order.contains(where: \.isFreed) {
            throw .python(
                "RuntimeError",
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."
            )
        }
        var grads: [ObjectIdentifier: [Double]] = [ObjectIdentifier(self): [1]]
        for node in order {
            guard let g = grads[ObjectIdentifier(node)] else { continue }
            if node.gradFn == nil || node.retainsGrad {
                if let grad = node.grad {
                    grad.values = zip(grad.values, g).map { $0 + $1 }
                } else {
                    node.grad = DoubleTensorObject(g, shape: node.shape)
                }
            }
            for (input, gradient) in node.inputs {
                let contribution = gradient(g)
                let key = ObjectIdentifier(input)
                grads[key] = grads[key].map { zip($0, contribution).map { $0 + $1 } } ?? contribution
            }
            if node.gradFn != nil {
                node.inputs = []
                node.isFreed = true
            }
        }
    }
}

extension DoubleTensorObject: ArithmeticObject, IterableObject, IndexableObject, SizedObject {
    package var count: Int { shape.first ?? 0 }

    /// `x[i]`: the row `i` (negative from the end), in the graph as PyTorch's `SelectBackward0`.
    package func item(at key: Object) throws(NotebookError) -> Object {
        guard case .int(let i) = key else {
            throw .python(
                "TypeError",
                "the notebook's float64 tensors are indexed by one whole number, not \(key.typeNameWithArticle); use .float() for slices and masks"
            )
        }
        guard let rows = shape.first else {
            throw .python(
                "IndexError",
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
        }
        guard i >= -rows && i < rows else {
            throw .python("IndexError", "index \(i) is out of bounds for dimension 0 with size \(rows)")
        }
        return .object(row(i < 0 ? i + rows : i, gradFn: "SelectBackward0"))
    }

    /// `a == b`, `a < b`, …: a bool tensor, elementwise with broadcasting.
    package func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object? {
        guard let operand = try Self.operand(other) else {
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            return nil
        }
        return reversed
            ? try TensorObject.compared(op, operand.values, operand.shape, values, shape)
            : try TensorObject.compared(op, values, shape, operand.values, operand.shape)
    }

    package func makeIterator() throws(NotebookError) -> ObjectIterator {
        guard let rows = shape.first else { throw .python("TypeError", "iteration over a 0-d tensor") }
        return ObjectIterator(items: (0..<rows).map { .object(row($0, gradFn: "UnbindBackward0")) })
    }

    /// Row `row` of the first dim, in the graph under `gradFn`.
    private func row(_ row: Int, gradFn: String) -> DoubleTensorObject {
        let inner = Array(shape.dropFirst())
        let stride = inner.reduce(1, *)
        let total = values.count
        return DoubleTensorObject(
            Array(values[(row * stride)..<((row + 1) * stride)]), shape: inner, gradFn: gradFn,
            inputs: [
                (
                    self,
                    { g in
                        var out = [Double](repeating: 0, count: total)
                        for k in 0..<stride { out[row * stride + k] = g[k] }
                        return out
                    }
                )
            ])
    }

    /// The other operand as float64 values and shape, or nil when it cannot be one.
    private static func operand(_ o: Object) throws(NotebookError) -> DoubleTensorObject? {
        switch o {
        case .object(let t as DoubleTensorObject): t
        case .object(let t as TensorObject): try widened(t)
        case .int(let n): DoubleTensorObject(number: Double(n))
        case .bool(let b): DoubleTensorObject(number: b ? 1 : 0)
        case .float(let d): DoubleTensorObject(number: d)
        default: nil
        }
    }

    package func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object {
        guard let operand = try Self.operand(other) else {
            throw .python(
                "TypeError",
                "unsupported operand type(s) for \(op.rawValue): 'Tensor' and '\(other.typeName)' (a tensor combines with tensors and numbers)"
            )
        }
        if reversed && op == .divide {
            // `y / x` is `x.reciprocal() * y`, as `Tensor.__rtruediv__` computes it.
            let reciprocal = values.map { 1 / $0 }
            let made = DoubleTensorObject(
                reciprocal, shape: shape, gradFn: "ReciprocalBackward0",
                inputs: [(self, { g in zip(g, reciprocal).map { -$0 * ($1 * $1) } })])
            return try made.binary(.multiply, other, reversed: false)
        }
        let (a, b) = reversed ? (operand, self) : (self, operand)
        return .object(try Self.combine(op, a, b, reversedScalar: reversed))
    }

    package func negated() throws(NotebookError) -> Object {
        .object(
            DoubleTensorObject(
                values.map { -$0 }, shape: shape, gradFn: "NegBackward0", inputs: [(self, { $0.map { -$0 } })]))
    }

    /// `a op b` elementwise with broadcasting; each gradient is summed back over the dims it was
    /// broadcast along.
    private static func combine(
        _ op: BinaryOperator, _ a: DoubleTensorObject, _ b: DoubleTensorObject, reversedScalar: Bool
    )
        throws(NotebookError) -> DoubleTensorObject
    {
        let shape = try TorchErrors.broadcast(a.shape, b.shape)
        // Each element of the result takes its value and two positions (24 bytes) while it is made.
        let count = shape.reduce(1, *)
        if count >= 1 << 18, MemoryGuard.resident() + count * 24 > MemoryGuard.limit {
            throw .python(
                "MemoryError",
                "a float64 tensor of \(count) elements would take the notebook past its limit of \(MemoryGuard.limit >> 20) MiB (it uses \(MemoryGuard.resident() >> 20) MiB); make a smaller one"
            )
        }
        let ia = TorchErrors.broadcastPositions(a.shape, to: shape)
        let ib = TorchErrors.broadcastPositions(b.shape, to: shape)
        let (x, y) = (a.values, b.values)
        let n = ia.count
        func reduce(_ g: [Double], _ positions: [Int], _ count: Int) -> [Double] {
            var out = [Double](repeating: 0, count: count)
            for i in 0..<g.count { out[positions[i]] += g[i] }
            return out
        }
        let (na, nb) = (x.count, y.count)
        let result: [Double]
        let gradFn: String
        let da: ([Double]) -> [Double]
        let db: ([Double]) -> [Double]
        switch op {
        case .add:
            result = (0..<n).map { x[ia[$0]] + y[ib[$0]] }
            gradFn = "AddBackward0"
            (da, db) = ({ reduce($0, ia, na) }, { reduce($0, ib, nb) })
        case .subtract:
            result = (0..<n).map { x[ia[$0]] - y[ib[$0]] }
            gradFn = reversedScalar ? "RsubBackward1" : "SubBackward0"
            (da, db) = ({ reduce($0, ia, na) }, { reduce($0.map { -$0 }, ib, nb) })
        case .multiply:
            result = (0..<n).map { x[ia[$0]] * y[ib[$0]] }
            gradFn = "MulBackward0"
            da = { g in reduce((0..<n).map { g[$0] * y[ib[$0]] }, ia, na) }
            db = { g in reduce((0..<n).map { g[$0] * x[ia[$0]] }, ib, nb) }
        case .divide:
            result = (0..<n).map { x[ia[$0]] / y[ib[$0]] }
            gradFn = "DivBackward0"
            da = { g in reduce((0..<n).map { g[$0] / y[ib[$0]] }, ia, na) }
            db = { g in reduce((0..<n).map { -g[$0] * ((x[ia[$0]] / y[ib[$0]]) / y[ib[$0]]) }, ib, nb) }
        case .power where b.isNumber:
            // A tensor to a number: PyTorch's scalar kernels, and `grad * (e * x.pow(e - 1))`.
            let e = y[0]
            result = x.map { power($0, e) }
            gradFn = "PowBackward0"
            da = { g in e == 0 ? Array(repeating: 0, count: na) : zip(g, x).map { $0 * (e * power($1, e - 1)) } }
            db = { _ in [0] }
        case .power:
            result = (0..<n).map { Foundation.pow(x[ia[$0]], y[ib[$0]]) }
            gradFn = a.isNumber ? "PowBackward2" : "PowBackward1"
            da = { g in reduce((0..<n).map { g[$0] * (y[ib[$0]] * Foundation.pow(x[ia[$0]], y[ib[$0]] - 1)) }, ia, na) }
            db = { g in reduce((0..<n).map { g[$0] * (result[$0] * Foundation.log(x[ia[$0]])) }, ib, nb) }
        default:
            throw .python(
                "TypeError",
                "unsupported operand type(s) for \(op.rawValue) with a float64 tensor (it has + - * / **; use .float() for the rest)"
            )
        }
        return DoubleTensorObject(result, shape: shape, gradFn: gradFn, inputs: [(a, da), (b, db)])
    }

    /// `x ** e` for a number `e`, as PyTorch's CPU kernels compute it: squares and cubes as
    /// products, square roots and reciprocals by their own functions, the rest by `pow`.
    static func power(_ x: Double, _ e: Double) -> Double {
        switch e {
        case 0: 1
        case 1: x
        case 2: x * x
        case 3: x * x * x
        case -2: 1 / (x * x)
        case 0.5: x.squareRoot()
        case -0.5: 1 / x.squareRoot()
        case -1: 1 / x
        default: Foundation.pow(x, e)
        }
    }
}

/// `torch.float64` (also `torch.double`): the dtype of the float64 tensors.
package final class Float64DType: NotebookObject, Sendable {
    package static let typeName = "dtype"
    static let shared = Float64DType()
    package var description: String { "torch.float64" }
    package var attributeNames: [String] { ["is_floating_point"] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        guard name == "is_floating_point" else {
            throw .python("AttributeError", "'torch.dtype' object has no attribute '\(name)'")
        }
        return .bool(true)
    }
}

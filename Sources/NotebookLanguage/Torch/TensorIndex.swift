// `t[key]` and `t[key] = v` with PyTorch's rules: ints and slices pick along dims (float tensors get
// views that share storage and pass gradients back), index tensors, lists and ranges pick elements
// (advanced indexing: `C[X]`, `logprobs[range(n), Yb]`, `N[ix1, ix2] += 1`), and a bool mask picks
// where it is true.
import Engine

/// Where the elements of `t[key]` come from: their row-major positions in `t`, and the result's shape.
struct TensorSelection {
    var positions: [Int]
    var shape: [Int]
}

extension TensorObject {
    /// One entry of an index key, resolved against the tensor's shape.
    enum IndexEntry {
        case integer(Int)
        case range(start: Int, count: Int, step: Int)
        /// Index values (already checked to be in range) and the shape they are laid out in.
        case array([Int], shape: [Int])
        case newAxis
    }

    /// The key's entries (a tuple is several), each resolved, with PyTorch's errors for the rest.
    func entries(_ key: Object, _ interpreter: Interpreter) throws(NotebookError) -> [IndexEntry] {
        let shape = self.shape
        let keys: [Object]
        if case .tuple(let box) = key { keys = box.items } else { keys = [key] }
        let used = keys.filter { if case .none = $0 { false } else { true } }.count
        if case .object(let mask as TensorObject) = key, mask.dtype == .bool {
            return [try maskEntry(mask)]
        }
        guard used <= shape.count else {
            throw .python("IndexError", "too many indices for tensor of dimension \(shape.count)")
        }
        var dim = 0
        var result: [IndexEntry] = []
        for k in keys {
            if case .none = k {
                result.append(.newAxis)
                continue
            }
            let size = shape[dim]
            switch k {
            case .int, .bool:
                let i = try k.integer(as: "a tensor index")
                guard i >= -size && i < size else {
                    throw .python("IndexError", "index \(i) is out of bounds for dimension \(dim) with size \(size)")
                }
                result.append(.integer(i < 0 ? i + size : i))
            case .object(let slice as SliceObject):
                let (start, stop, step) = try slice.bounds(count: size)
                guard step > 0 else { throw .python("ValueError", "step must be greater than zero") }
                result.append(
                    .range(start: start, count: stop > start ? (stop - start + step - 1) / step : 0, step: step))
            case .object(let t as TensorObject):
                if t.dtype == .bool {
                    throw .python("IndexError", "a bool mask must be the only index (t[mask]), not one of several")
                }
                if t.shape.isEmpty, let v = t.integers?.first {
                    guard v >= -size && v < size else {
                        throw .python(
                            "IndexError", "index \(v) is out of bounds for dimension \(dim) with size \(size)")
                    }
                    result.append(.integer(v < 0 ? v + size : v))
                } else {
                    result.append(try arrayEntry(try t.indexValues("t[...]"), shape: t.shape, dim: dim, size: size))
                }
            case .list, .tuple, .object(is RangeObject):
                let items = try interpreter.items(of: k)
                var values: [Int] = []
                values.reserveCapacity(items.count)
                for item in items {
                    if case .object(let t as TensorObject) = item, t.numel == 1, let v = t.integers?.first {
                        values.append(v)
                    } else {
                        values.append(try item.integer(as: "each index in a list"))
                    }
                }
                result.append(try arrayEntry(values, shape: [values.count], dim: dim, size: size))
            default:
                throw .python(
                    "IndexError",
                    "only integers, slices (`:`), None, lists and integer or boolean tensors are valid indices, not \(k.typeNameWithArticle)"
                )
            }
            dim += 1
        }
        return result
    }

    private func arrayEntry(_ values: [Int], shape: [Int], dim: Int, size: Int) throws(NotebookError) -> IndexEntry {
        var checked = values
        for (i, v) in values.enumerated() {
            guard v >= -size && v < size else {
                throw .python("IndexError", "index \(v) is out of bounds for dimension \(dim) with size \(size)")
            }
            if v < 0 { checked[i] = v + size }
        }
        return .array(checked, shape: shape)
    }

    /// `t[mask]`: the elements where a bool tensor of the same shape is true, as one flat list.
    private func maskEntry(_ mask: TensorObject) throws(NotebookError) -> IndexEntry {
        guard mask.shape == shape else {
            throw .python(
                "IndexError",
                "The shape of the mask \(formatShape(mask.shape)) does not match the shape of the indexed tensor \(formatShape(shape))"
            )
        }
        let picked = (mask.integers ?? []).enumerated().filter { $0.element != 0 }.map(\.offset)
        return .array(picked, shape: [picked.count])
    }

    /// The positions and result shape of `t[entries]`.
    func selection(_ entries: [IndexEntry]) throws(NotebookError) -> TensorSelection {
        let shape = self.shape
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        // With any index array present, ints are 0-D index arrays too (PyTorch's placement rule).
        let hasArray = entries.contains { if case .array = $0 { true } else { false } }
        var arrays: [(values: [Int], shape: [Int], stride: Int)] = []
        var arrayPositions: [Int] = []
        // Each output axis: its sizes in the result shape and the offset each of its positions adds.
        var axes: [(shape: [Int], offsets: [Int])] = []
        var base = 0
        var dim = 0
        for entry in entries {
            switch entry {
            case .newAxis:
                axes.append(([1], [0]))
                continue
            case .integer(let i):
                if hasArray {
                    arrays.append(([i], [], strides[dim]))
                    arrayPositions.append(axes.count)
                } else {
                    base += i * strides[dim]
                }
            case .range(let start, let count, let step):
                axes.append(([count], (0..<count).map { (start + $0 * step) * strides[dim] }))
            case .array(let values, let s):
                arrays.append((values, s, strides[dim]))
                arrayPositions.append(axes.count)
            }
            dim += 1
        }
        while dim < shape.count {
            axes.append(([shape[dim]], (0..<shape[dim]).map { $0 * strides[dim] }))
            dim += 1
        }
        if !arrays.isEmpty {
            var groupShape: [Int] = []
            for a in arrays { groupShape = try TorchErrors.broadcast(groupShape, a.shape) }
            let n = try TorchErrors.elementCount(groupShape)
            var offsets = [Int](repeating: 0, count: n)
            for a in arrays {
                let reads = TorchErrors.broadcastPositions(a.shape, to: groupShape)
                for i in 0..<n { offsets[i] += a.values[reads[i]] * a.stride }
            }
            // Adjacent index arrays put their dims where the first one was; apart, they go first.
            let adjacent = arrayPositions.allSatisfy { $0 == arrayPositions[0] }
            axes.insert((groupShape, offsets), at: adjacent ? arrayPositions[0] : 0)
        }
        let resultShape = axes.flatMap(\.shape)
        let total = try TorchErrors.elementCount(resultShape)
        var positions = [Int](repeating: base, count: total)
        var repeatCount = total
        var tile = 1
        for axis in axes {
            let size = axis.offsets.count
            repeatCount = size == 0 ? 0 : repeatCount / size
            // Row-major: this axis's offset changes every `repeatCount` positions, cycling `tile` times.
            var p = 0
            for _ in 0..<tile {
                for o in axis.offsets {
                    for _ in 0..<repeatCount {
                        positions[p] += o
                        p += 1
                    }
                }
            }
            tile *= size
        }
        return TensorSelection(positions: positions, shape: resultShape)
    }

    /// `t[key]`.
    func index(_ key: Object, _ interpreter: Interpreter) throws(NotebookError) -> TensorObject {
        let entries = try entries(key, interpreter)
        if case .float(let t) = storage {
            // Ints and step-1 slices: a view sharing storage, as PyTorch's basic indexing.
            if let view = try basicView(t, entries) { return view }
            // `C[X]`: rows of a table by an index tensor (the embedding lookup).
            if entries.count == 1, case .array(let rows, let s) = entries[0], !isMask(key) {
                let indices = try TorchErrors.run { () throws(ShapeError) in
                    try IndexTensor(rows.map { Int32($0) }, shape: s)
                }
                return TensorObject(
                    try TorchErrors.run { () throws(ShapeError) in try t.embedding(indices) }, gradFn: "IndexBackward0")
            }
            let picked = try maskAwareSelection(key, entries)
            return TensorObject(
                try TorchErrors.run { () throws(ShapeError) in try t.take(picked.positions, shape: picked.shape) },
                gradFn: "IndexBackward0")
        }
        let values = integers ?? []
        // Rows of an integer table by an index tensor (`Xtr[ix]`, each minibatch): copied row by row.
        if entries.count == 1, case .array(let rows, let s) = entries[0], !isMask(key), let first = shape.first {
            let stride = shape.dropFirst().reduce(1, *)
            var out: [Int] = []
            out.reserveCapacity(rows.count * stride)
            for r in rows where r < first { out += values[(r * stride)..<((r + 1) * stride)] }
            return TensorObject(out, shape: s + shape.dropFirst(), dtype: dtype)
        }
        let picked = try maskAwareSelection(key, entries)
        return TensorObject(picked.positions.map { values[$0] }, shape: picked.shape, dtype: dtype)
    }

    private func isMask(_ key: Object) -> Bool {
        if case .object(let t as TensorObject) = key, t.dtype == .bool { return true }
        return false
    }

    private func maskAwareSelection(_ key: Object, _ entries: [IndexEntry]) throws(NotebookError) -> TensorSelection {
        if isMask(key), case .array(let picked, let s) = entries[0] {
            return TensorSelection(positions: picked, shape: s)
        }
        return try selection(entries)
    }

    /// Basic indexing of a float tensor as a view (nil when the key has index arrays or steps).
    private func basicView(_ t: Tensor, _ entries: [IndexEntry]) throws(NotebookError) -> TensorObject? {
        var view = t
        var dim = 0
        var lastOp: String?
        for entry in entries {
            switch entry {
            case .integer(let i):
                view = try TorchErrors.run { () throws(ShapeError) in try view.select(i, dim: dim) }
                lastOp = "SelectBackward0"
            case .range(let start, let count, let step):
                guard step == 1 else { return nil }
                if start == 0 && count == view.shape[dim] {
                    dim += 1
                    continue
                }
                view = try TorchErrors.run { () throws(ShapeError) in
                    try view.slice(start..<(start + count), dim: dim)
                }
                lastOp = "SliceBackward0"
                dim += 1
            case .newAxis:
                view = try TorchErrors.run { () throws(ShapeError) in try view.unsqueeze(dim) }
                lastOp = "UnsqueezeBackward0"
                dim += 1
            case .array:
                return nil
            }
        }
        if lastOp == nil {
            // `t[:]`: a view of the whole tensor.
            view = try TorchErrors.run { () throws(ShapeError) in try view.view(view.shape) }
            lastOp = "SliceBackward0"
        }
        return TensorObject(view, gradFn: lastOp)
    }

    /// `t[key] = value`: writes in place (a number, or a tensor broadcast to the picked shape).
    func setIndex(_ key: Object, to value: Object, _ interpreter: Interpreter) throws(NotebookError) {
        let entries = try entries(key, interpreter)
        let picked = try maskAwareSelection(key, entries)
        let source: TensorObject
        switch value {
        case .object(let t as TensorObject): source = t
        case .int, .float, .bool: source = try TensorObject.from(value, dtype: dtype, interpreter)
        default:
            throw .python(
                "TypeError",
                "can only assign a number or a tensor to a tensor's elements, not \(value.typeNameWithArticle)")
        }
        let target = try TorchErrors.broadcast(source.shape, picked.shape)
        guard target == picked.shape else {
            throw .python(
                "RuntimeError",
                "shape mismatch: value tensor of shape \(formatShape(source.shape)) cannot be broadcast to indexing result of shape \(formatShape(picked.shape))"
            )
        }
        let reads = TorchErrors.broadcastPositions(source.shape, to: picked.shape)
        switch storage {
        case .float(let t):
            try checkInPlace()
            let sourceTensor = source.floatTensor
            if TorchState.noGradDepth == 0, t.requiresGrad || sourceTensor?.requiresGrad == true,
                let sourceTensor
            {
                // In the graph: a new node with the values written (PyTorch's CopySlices).
                let spread = try TorchErrors.run { () throws(ShapeError) in
                    try sourceTensor.take(reads.map { $0 }, shape: [reads.count])
                }
                let replaced = try TorchErrors.run { () throws(ShapeError) in
                    try t.replacing(picked.positions, with: spread)
                }
                become(replaced, gradFn: "CopySlices")
                return
            }
            let values = source.doubles()
            try TorchErrors.run { () throws(ShapeError) in
                try t.put(picked.positions, reads.map { Float(values[$0]) })
            }
        case .integer:
            let values = source.doubles()
            writeIntegers(
                picked.positions,
                reads.map { values[$0].isFinite && abs(values[$0]) < 9.2e18 ? Int(values[$0].rounded(.towardZero)) : 0 }
            )
        }
    }
}

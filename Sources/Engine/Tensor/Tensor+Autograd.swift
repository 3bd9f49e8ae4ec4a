// Reverse-mode autodiff over tensors, as micrograd's `Value.backward`: every op records its inputs
// and a closure that adds into their gradients; `backward()` sorts the graph (iteratively, no
// recursion) and runs the closures from the output back to the leaves.

extension Tensor {
    /// Whether ops record the graph; `false` inside ``withoutGrad(_:)``.
    @TaskLocal static var isRecording = true

    /// Runs `body` without building a graph, as PyTorch's `with torch.no_grad():` — for evaluation,
    /// sampling and parameter updates. Tensors made inside have `requiresGrad == false`.
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $isRecording.withValue(false, operation: body)
    }

    /// A new output of `op` computed from `inputs`: it joins the graph (and needs a gradient) when
    /// any input does and recording is on.
    convenience init(uninitializedShape shape: [Int], op: String, inputs: Tensor...) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage.make(uninitializedCount: count), shape: shape, count: count, op: op)
        track(inputs)
    }

    /// Records `inputs` as this tensor's parents when any of them needs a gradient.
    func track(_ inputs: [Tensor]) {
        guard inputs.contains(where: \.requiresGrad), Tensor.isRecording else { return }
        requiresGrad = true
        parents = inputs.filter(\.requiresGrad)
        if parents.count < inputs.count { parentPositions = inputs.indices.filter { inputs[$0].requiresGrad } }
    }

    /// Which operand of its op `input` was (0 for the left of `a @ b`, 1 for the right), counting
    /// the operands that need no gradient too; nil when `input` is not one of this tensor's inputs.
    public func operandPosition(of input: Tensor) -> Int? {
        guard let i = parents.firstIndex(where: { $0 === input }) else { return nil }
        return parentPositions?[i] ?? i
    }

    /// Sets the closure that pushes `out.grad` back into the inputs' gradients. It is kept only when
    /// this tensor is in the graph; it receives the output so that it need not capture it.
    @inline(__always)
    func onBackward(_ body: @escaping (_ out: Tensor) -> Void) {
        if requiresGrad { gradFn = body }
    }

    /// The gradient buffer (contiguous, the shape of `self`), created as zeros on first use.
    func gradBuffer() -> UnsafeMutablePointer<Float> {
        if let g = grad { return g.pointer }
        let g = Tensor(repeating: 0, shape: shape)  // (…) like self
        grad = g
        return g.pointer
    }

    /// The gradient buffer for an op that will write every element: when there is no gradient yet,
    /// a new buffer left unfilled, with `fresh` true, so that the op stores (`=`) where it would
    /// otherwise add (`+=`), saving the zero fill and a pass over memory.
    func gradBufferToWrite() -> (pointer: UnsafeMutablePointer<Float>, fresh: Bool) {
        if let g = storedGrad {
            let fresh = gradIsZeroed
            gradIsZeroed = false
            return (g.pointer, fresh)
        }
        let g = Tensor(uninitializedShape: shape)  // (…) like self
        grad = g
        return (g.pointer, true)
    }

    /// Sets the gradient to zero, keeping its buffer, as `optimizer.zero_grad(set_to_none=False)`.
    /// When nothing but this tensor holds the gradient, the zeros are written only if it is read
    /// before an op overwrites it whole (a linear layer's weight and bias gradients are): the
    /// training step's gradients are then written once instead of zeroed and added to.
    public func zeroGrad() {
        guard storedGrad != nil else { return }
        // Held by nobody else: neither the gradient tensor nor its storage (a view shares that).
        if isKnownUniquelyReferenced(&storedGrad), isKnownUniquelyReferenced(&storedGrad!.storage) {
            gradIsZeroed = true
        } else {
            fillZeroedGrad()
        }
    }

    /// Writes the zeros `zeroGrad()` left pending.
    func fillZeroedGrad() {
        gradIsZeroed = false
        if let g = storedGrad { g.pointer.update(repeating: 0, count: count) }
    }

    /// Backpropagates from a one-element output (a loss): ∂self/∂x accumulates into `x.grad` for
    /// every leaf `x` with `requiresGrad`. Intermediate tensors get their gradient of this pass.
    public func backward() throws(ShapeError) {
        guard count == 1 else {
            throw ShapeError(
                "backward",
                "needs a one-element output such as a loss; this tensor has shape \(formatShape(shape)) (use backward(gradient:) or sum() first)"
            )
        }
        try backward(gradient: Tensor(repeating: 1, shape: shape))  // dself/dself = 1
    }

    /// Backpropagates `gradient` (∂L/∂self, the shape of `self`) into every tensor this one depends on.
    public func backward(gradient: Tensor) throws(ShapeError) {
        try gradient.expectShape(shape, "the gradient", op: "backward")
        guard requiresGrad else {
            throw ShapeError(
                "backward",
                "this tensor does not depend on any tensor that requires grad (mark parameters with requiringGrad())")
        }
        // The graph is held by `self` (each node by its output's `parents`) while the closures run,
        // so the walk holds its nodes unretained.
        withExtendedLifetime(self) {
            let order = unretainedTopologicalOrder()  // inputs before outputs
            for node in order {
                node._withUnsafeGuaranteedRef { node in if node.gradFn != nil { node.zeroGrad() } }
            }
            let seed = gradient.dense()
            let dself = gradBuffer()
            withExtendedLifetime(seed) { for i in 0..<count { dself[i] += seed.pointer[i] } }
            for node in order.reversed() {
                node._withUnsafeGuaranteedRef { node in node.gradFn?(node) }
            }
        }
    }

    /// Every tensor in the graph that needs a gradient, each after all of its inputs. A depth-first
    /// walk with an explicit stack, so graphs of any depth (long RNN unrolls) are safe.
    func topologicalOrder() -> [Tensor] {
        withExtendedLifetime(self) { unretainedTopologicalOrder().map { $0.takeUnretainedValue() } }
    }

    /// The same order, its nodes not retained (no reference counting per node and edge): valid while
    /// `self` is alive and the graph unchanged.
    private func unretainedTopologicalOrder() -> [Unmanaged<Tensor>] {
        var order: [Unmanaged<Tensor>] = []
        var stack: [(node: Unmanaged<Tensor>, next: Int)] = [(.passUnretained(self), 0)]
        isVisited = true
        while let (node, next) = stack.last {
            let parent = node._withUnsafeGuaranteedRef { node in
                next < node.parents.count ? Unmanaged.passUnretained(node.parents[next]) : nil
            }
            if let parent {
                stack[stack.count - 1].next += 1
                let unvisited = parent._withUnsafeGuaranteedRef { parent in
                    guard !parent.isVisited else { return false }
                    parent.isVisited = true
                    return true
                }
                if unvisited { stack.append((parent, 0)) }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        for node in order { node._withUnsafeGuaranteedRef { $0.isVisited = false } }
        return order
    }

    /// Frees a long chain of graph nodes without one nested `deinit` per node: the parents of every
    /// node about to die are moved onto a local stack first, so each `deinit` finds nothing to free.
    func releaseGraphIteratively() {
        guard !parents.isEmpty else { return }
        var stack = parents
        parents = []
        gradFn = nil
        while var node = stack.popLast() {
            if isKnownUniquelyReferenced(&node) {
                stack.append(contentsOf: node.parents)
                node.parents = []
                node.gradFn = nil
            }
        }
    }
}

extension Tensor {
    /// The floats held by the results this tensor's graph recorded (every tensor with parents, each
    /// storage counted once; the parameters at the leaves are not): what a forward pass keeps alive
    /// for backward. Walked iteratively.
    public var graphFloatCount: Int {
        var visited = Set<ObjectIdentifier>()
        var storages: [ObjectIdentifier: Int] = [:]
        var saved = 0
        var stack = [self]
        while let tensor = stack.popLast() {
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            guard !tensor.parents.isEmpty else { continue }
            storages[ObjectIdentifier(tensor.storage), default: 0] = Swift.max(
                storages[ObjectIdentifier(tensor.storage)] ?? 0, tensor.count)
            saved += tensor.savedFloatCount
            stack += tensor.parents
        }
        return storages.values.reduce(saved, +)
    }
}

// Reverse-mode autodiff over a `Value` graph: an iterative topological sort, then the chain rule
// node by node from the output back. No recursion, so a 1,000,000-node chain is fine.

extension Value {
    /// Every node this value depends on, inputs before the nodes that use them, ending with `self`.
    /// Each shared node appears once. Iterative depth-first search with an explicit stack.
    public func topologicalOrder() -> [Value] {
        withTopologicalOrder { order in order.map { $0.takeUnretainedValue() } }
    }

    /// Calls `body` with the topological order as unretained references: the graph is held by
    /// `self` for the duration, so the traversal needs no reference counting. `startingPass`
    /// also zeroes every node's upstream gradient, for a new backward pass.
    func withTopologicalOrder<R>(startingPass: Bool = false, _ body: (UnsafeBufferPointer<Unmanaged<Value>>) -> R) -> R {
        let traversal = Value.nextTraversal()
        var order: [Unmanaged<Value>] = []
        var stack: [(node: Unmanaged<Value>, expanded: Bool)] = [(Unmanaged.passUnretained(self), false)]
        while let (handle, expanded) = stack.popLast() {
            if expanded { order.append(handle); continue }
            let node = handle.takeUnretainedValue()
            if node.visited == traversal { continue }
            node.visited = traversal
            if startingPass { node.upstream = 0 }
            stack.append((handle, true))
            if let r = node.rhs, r.visited != traversal { stack.append((Unmanaged.passUnretained(r), false)) }
            if let l = node.lhs, l.visited != traversal { stack.append((Unmanaged.passUnretained(l), false)) }
            node.operands.withUnsafeBufferPointer { operands in
                for i in operands.indices.reversed() where operands[i].value.visited != traversal {
                    stack.append((Unmanaged.passUnretained(operands[i].value), false))
                }
            }
        }
        return order.withUnsafeBufferPointer(body)
    }

    /// Backpropagates from this value: d(self)/d(node) is *added* to every node's `grad`.
    ///
    /// As in PyTorch, a second call adds the gradients again (leaves end with twice the grad);
    /// call `zeroGrad()` first to start from zero. Each pass propagates its own fresh gradient,
    /// so intermediate nodes never feed an earlier pass's gradient back in.
    public func backward() {
        withTopologicalOrder(startingPass: true) { order in
            upstream = 1
            for handle in order.reversed() { handle._withUnsafeGuaranteedRef { $0.propagate() } }
        }
    }

    /// One step of the chain rule: adds this node's upstream gradient to `grad`, then sends
    /// local derivative × upstream to each input.
    func propagate() {
        grad += upstream
        if let l = lhs { l.upstream += dlhs * upstream }
        if let r = rhs { r.upstream += drhs * upstream }
        operands.withUnsafeBufferPointer { operands in
            for operand in operands { operand.value.upstream += operand.local * upstream }
        }
    }

    /// Sets `grad` to zero on every node of the graph (PyTorch's `zero_grad`).
    public func zeroGrad() {
        for node in topologicalOrder() { node.grad = 0 }
    }

    /// Recomputes every node's value and local derivatives from the leaves' current `data`:
    /// after `a.data = 3`, `L.forward()` shows the new `L`.
    public func forward() {
        for node in topologicalOrder() { node.recompute() }
    }

    /// Recomputes this node from its inputs' current data.
    func recompute() {
        if op == .dot { return recomputeDot() }
        guard let l = lhs else { return }
        (data, dlhs, drhs) = op.evaluate(l.data, rhs?.data ?? 0)
    }

    /// The inputs (non-constant leaves) this value depends on, in the order they are first reached.
    public func leaves() -> [Value] {
        topologicalOrder().filter(\.isInput)
    }

    /// The number of nodes and the length of the longest path from a leaf to this value.
    public func graphSize() -> (nodes: Int, depth: Int) {
        let order = topologicalOrder()
        var depth: [ObjectIdentifier: Int] = [:]
        var deepest = 0
        for node in order {
            let d = node.inputs.map { depth[ObjectIdentifier($0), default: 0] + 1 }.max() ?? 0
            depth[ObjectIdentifier(node)] = d
            deepest = Swift.max(deepest, d)
        }
        return (order.count, deepest)
    }
}

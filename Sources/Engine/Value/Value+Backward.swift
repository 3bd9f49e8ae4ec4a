// Reverse-mode autodiff over a `Value` graph: an iterative topological sort, then the chain rule
// node by node from the output back. No recursion, so a 1,000,000-node chain is fine. The walk
// crosses tapes through their imports, so a graph spread over several tapes is one graph here.

extension Value {
    /// Every node this value depends on, inputs before the nodes that use them, ending with `self`.
    /// Each shared node appears once. Iterative depth-first search with an explicit stack.
    public func topologicalOrder() -> [Value] {
        withTopologicalOrder { order in order.map(\.value) }
    }

    /// Calls `body` with the topological order as node handles: the graph is held by `self` for
    /// the duration, and `body` must not add nodes to it. `startingPass` also zeroes every node's
    /// upstream gradient, for a new backward pass. The walk uses the thread's scratch buffers, so
    /// it allocates nothing once they have grown to the graph's size.
    func withTopologicalOrder<R>(startingPass: Bool = false, _ body: (UnsafeBufferPointer<NodeHandle>) -> R) -> R {
        let thread = TapeThread.current.takeUnretainedValue()
        // A walk started while another is under way (from its `body`) gets buffers of its own.
        let buffers = thread.walkBuffers ?? WalkBuffers()
        thread.walkBuffers = nil
        defer { thread.walkBuffers = buffers }
        return walk(with: buffers, startingPass: startingPass, body)
    }

    private func walk<R>(with buffers: WalkBuffers, startingPass: Bool, _ body: (UnsafeBufferPointer<NodeHandle>) -> R)
        -> R
    {
        let traversal = TapeThread.nextTraversal()
        var depth = 0
        var count = 0
        func push(_ node: NodeHandle, expanded: Bool) {
            buffers.stack[depth] = WalkBuffers.Visit(node: node, expanded: expanded)
            depth += 1
        }
        buffers.reserveStack(1)
        push(NodeHandle(self), expanded: false)
        while depth > 0 {
            depth -= 1
            let visit = buffers.stack[depth]
            if visit.expanded {
                buffers.reserveOrder(count + 1)
                buffers.order[count] = visit.node
                count += 1
                continue
            }
            let node = visit.node.node
            if node.pointee.visited == traversal { continue }
            node.pointee.visited = traversal
            if startingPass { node.pointee.upstream = 0 }
            if case .dot = node.pointee.op {
                let run = node.pointee.operandRun
                buffers.reserveStack(depth + 1 + run.count)
                push(visit.node, expanded: true)
                visit.node.tape._withUnsafeGuaranteedRef { tape in
                    tape.operands.withUnsafeBufferPointer { operands in
                        for i in run.reversed() {
                            let input = tape.resolve(operands[i].input)
                            if input.node.pointee.visited != traversal { push(input, expanded: false) }
                        }
                    }
                }
            } else {
                buffers.reserveStack(depth + 3)
                push(visit.node, expanded: true)
                let (lhs, rhs) = (node.pointee.lhs, node.pointee.rhs)
                if rhs != Reference.none {
                    let r = visit.node.resolve(rhs)
                    if r.node.pointee.visited != traversal { push(r, expanded: false) }
                }
                if lhs != Reference.none {
                    let l = visit.node.resolve(lhs)
                    if l.node.pointee.visited != traversal { push(l, expanded: false) }
                }
            }
        }
        return body(UnsafeBufferPointer(start: buffers.order, count: count))
    }

    /// Backpropagates from this value: d(self)/d(node) is *added* to every node's `grad`.
    ///
    /// As in PyTorch, a second call adds the gradients again (leaves end with twice the grad);
    /// call `zeroGrad()` first to start from zero. Each pass propagates its own fresh gradient,
    /// so intermediate nodes never feed an earlier pass's gradient back in.
    public func backward() {
        withTopologicalOrder(startingPass: true) { order in
            upstream = 1
            for handle in order.reversed() { handle.propagate() }
        }
    }

    /// One step of the chain rule: adds this node's upstream gradient to `grad`, then sends
    /// local derivative × upstream to each input.
    func propagate() {
        NodeHandle(self).propagate()
    }

    /// Sets `grad` to zero on every node of the graph (PyTorch's `zero_grad`).
    public func zeroGrad() {
        withTopologicalOrder { order in
            for handle in order { handle.node.pointee.grad = 0 }
        }
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
        let (out, dx, dy) = op.evaluate(l.data, rhs?.data ?? 0)
        node.pointee.data = out
        node.pointee.dlhs = dx
        node.pointee.drhs = dy
    }

    /// The inputs (non-constant leaves) this value depends on, in the order they are first reached.
    public func leaves() -> [Value] {
        topologicalOrder().filter(\.isInput)
    }

    /// The number of nodes and the length of the longest path from a leaf to this value.
    public func graphSize() -> (nodes: Int, depth: Int) {
        let order = topologicalOrder()
        var depth: [Value: Int] = [:]
        var deepest = 0
        for node in order {
            let d = node.inputs.map { depth[$0, default: 0] + 1 }.max() ?? 0
            depth[node] = d
            deepest = Swift.max(deepest, d)
        }
        return (order.count, deepest)
    }
}

extension NodeHandle {
    /// The chain rule at this node: `grad += upstream`, then local × upstream to each input.
    @inline(__always)
    func propagate() {
        let node = self.node
        let upstream = node.pointee.upstream
        node.pointee.grad += upstream
        if case .dot = node.pointee.op {
            let run = node.pointee.operandRun
            tape._withUnsafeGuaranteedRef { tape in
                tape.operands.withUnsafeBufferPointer { operands in
                    for i in run {
                        tape.resolve(operands[i].input).node.pointee.upstream += operands[i].local * upstream
                    }
                }
            }
            return
        }
        if node.pointee.lhs != Reference.none {
            resolve(node.pointee.lhs).node.pointee.upstream += node.pointee.dlhs * upstream
        }
        if node.pointee.rhs != Reference.none {
            resolve(node.pointee.rhs).node.pointee.upstream += node.pointee.drhs * upstream
        }
    }
}

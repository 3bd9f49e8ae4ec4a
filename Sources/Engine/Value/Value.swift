// The scalar autograd value of micrograd: a number that remembers the op and inputs that made it.
// Reverse-mode autodiff over the graph these values form lives in Value+Backward.swift; the ops and
// their local derivatives in Value+Ops.swift.
import Synchronization

/// A scalar that remembers how it was computed, so that gradients can flow back through it.
///
/// ```swift
/// let a = Value(2.0, label: "a"), b = Value(-3.0, label: "b")
/// let L = (a * b + 10) * -2
/// L.backward()
/// a.grad   // 6.0
/// ```
///
/// Each value made by an op keeps its inputs and the local derivatives d(self)/d(input), computed
/// together with the forward value: `lhs`/`dlhs` and `rhs`/`drhs` for the unary and binary ops,
/// `operands` (each input beside its local derivative) for the one n-ary op, a neuron's weighted sum
/// `Value.dot` (Value+Dot.swift). Backpropagation is then the chain rule alone:
/// `input.grad += local * upstream`.
public final class Value {
    /// The number this value holds.
    public var data: Double
    /// d(output)/d(self), accumulated by `backward()` (and settable, for manual backprop).
    public var grad: Double = 0
    /// A name for display: set by the notebook to the variable it is assigned to.
    public var label: String
    /// The op that made this value (`.leaf` for an input, `.constant` for a plain number).
    public let op: Op
    /// The op's inputs: `lhs` for every op, `rhs` for the binary ones.
    public private(set) var lhs: Value?
    public private(set) var rhs: Value?
    /// The local derivatives d(self)/d(lhs) and d(self)/d(rhs), from the last forward computation.
    public internal(set) var dlhs: Double = 0
    public internal(set) var drhs: Double = 0
    /// The inputs of an n-ary op (`.dot`), each beside its local derivative d(self)/d(input);
    /// empty for every other op.
    public internal(set) var operands: [Operand] = []

    /// One input of an n-ary op and the local derivative d(output)/d(input).
    public struct Operand {
        public let value: Value
        public internal(set) var local: Double
    }

    /// The traversal that last visited this node (see `Value.nextTraversal`).
    var visited: UInt64 = 0
    /// The gradient flowing into this node during one backward pass, before it is added to `grad`.
    var upstream: Double = 0

    /// A leaf: an input or parameter of the expression.
    public init(_ data: Double, label: String = "") {
        self.data = data
        self.label = label
        self.op = .leaf
    }

    /// A plain number used in an expression (`2 * a`): a leaf that is not an input to nudge or check.
    public init(constant data: Double) {
        self.data = data
        self.label = ""
        self.op = .constant
    }

    /// The result of `op` applied to `lhs` (and `rhs`): forward value and local derivatives at once.
    init(_ op: Op, _ lhs: Value, _ rhs: Value? = nil) {
        let (out, dx, dy) = op.evaluate(lhs.data, rhs?.data ?? 0)
        self.data = out
        self.label = ""
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.dlhs = dx
        self.drhs = dy
    }

    /// The result of an n-ary `op` whose forward value and local derivatives the caller computed
    /// (see `Value.dot`).
    init(_ op: Op, data: Double, operands: [Operand]) {
        self.data = data
        self.label = ""
        self.op = op
        self.operands = operands
    }

    /// The inputs of this value, in order.
    public var inputs: [Value] {
        if !operands.isEmpty { return operands.map(\.value) }
        switch (lhs, rhs) {
        case let (l?, r?): return [l, r]
        case let (l?, nil): return [l]
        default: return []
        }
    }

    /// `true` for an input or parameter (a leaf that is not a plain-number constant).
    public var isInput: Bool { op == .leaf }

    /// Releases a long chain of values without recursing once per node: a 1,000,000-node chain
    /// would otherwise overflow the stack as each node's release frees the next. Inputs that other
    /// nodes still hold are simply released; an input about to be freed has its own inputs taken
    /// first, on a work list kept on the stack (the heap only for very wide graphs).
    deinit {
        guard isKnownUniquelyReferenced(&lhs) || isKnownUniquelyReferenced(&rhs) || !operands.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: Value?.self, capacity: 32) { buffer in
            var count = 0
            var overflow: [Value] = []
            func push(_ node: Value) {
                if count < buffer.count { (buffer.baseAddress! + count).initialize(to: node); count += 1 } else { overflow.append(node) }
            }
            func pop() -> Value? {
                if let node = overflow.popLast() { return node }
                guard count > 0 else { return nil }
                count -= 1
                return (buffer.baseAddress! + count).move()
            }
            takeInputs(into: push)
            while var node = pop() {
                // Only a node nobody else holds is about to be freed: take its inputs first.
                if isKnownUniquelyReferenced(&node) { node.takeInputs(into: push) }
            }
        }
    }

    /// Hands this node's inputs to `push` and forgets them (for the iterative release above).
    private func takeInputs(into push: (Value) -> Void) {
        if let l = lhs { lhs = nil; push(l) }
        if let r = rhs { rhs = nil; push(r) }
        if !operands.isEmpty {
            // Leaves (a neuron's weights, plain-number inputs) have no inputs to release: no visit.
            for operand in operands where operand.value.lhs != nil || !operand.value.operands.isEmpty {
                push(operand.value)
            }
            operands = []
        }
    }
}

extension Value: CustomStringConvertible {
    /// `Value(data=-8.0, grad=1.0, label='L')`, as micrograd's repr with the label added.
    public var description: String {
        let named = label.isEmpty ? "" : ", label='\(label)'"
        return "Value(data=\(data.pythonDescription), grad=\(grad.pythonDescription)\(named))"
    }
}

extension Value {
    private static let traversals = Atomic<UInt64>(0)

    /// A number no earlier graph traversal used: nodes stamped with it count as visited.
    static func nextTraversal() -> UInt64 {
        traversals.add(1, ordering: .relaxed).newValue
    }
}

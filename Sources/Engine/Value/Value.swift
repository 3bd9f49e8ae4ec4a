// The scalar autograd value of micrograd: a number that remembers the op and inputs that made it.
// Its node lives on a `Tape` (Tape.swift); reverse-mode autodiff over the graph is in
// Value+Backward.swift; the ops and their local derivatives in Value+Ops.swift.

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
///
/// A `Value` is a handle: a node's position on the `Tape` that stores it. Copies name the same
/// node (setting `data` or `grad` through one is seen through all), and two values are equal when
/// they name the same node. A value keeps its tape, and with it its whole graph, alive.
public struct Value {
    /// The tape this value's node lives on.
    public private(set) var tape: Tape
    /// The node's position on `tape`.
    let index: Int32

    init(tape: Tape, index: Int32) {
        self.tape = tape
        self.index = index
    }

    /// Whether this is the only reference to `tape`, so that dropping it frees the tape.
    mutating func holdsLastReferenceToTape() -> Bool { isKnownUniquelyReferenced(&tape) }

    /// The node. Valid until the next node is appended to `tape`: never hold it across an op.
    @inline(__always)
    var node: UnsafeMutablePointer<Node> { tape.node(index) }

    /// A leaf: an input or parameter of the expression, on the current tape.
    public init(_ data: Double, label: String = "") {
        let tape = Tape.current
        self.init(tape: tape, index: tape.append(Node(data: data, op: .leaf)))
        if !label.isEmpty { tape.labels[index] = label }
    }

    /// A plain number used in an expression (`2 * a`): a leaf that is not an input to nudge or check.
    public init(constant data: Double) {
        let tape = Tape.current
        self.init(tape: tape, index: tape.append(Node(data: data, op: .constant)))
    }

    /// The result of the binary `op` applied to `lhs` and `rhs`: forward value and local derivatives
    /// at once, on the current tape.
    @inline(__always)
    init(_ op: Op, _ lhs: Value, _ rhs: Value) {
        let (out, dx, dy) = op.evaluate(lhs.data, rhs.data)
        let tape = Tape.current
        let node = Node(
            data: out, dlhs: dx, drhs: dy, lhs: tape.reference(to: lhs), rhs: tape.reference(to: rhs), op: op)
        self.init(tape: tape, index: tape.append(node))
    }

    /// The result of the unary `op` applied to `lhs`.
    @inline(__always)
    init(_ op: Op, _ lhs: Value) {
        let (out, dx, _) = op.evaluate(lhs.data, 0)
        let tape = Tape.current
        self.init(tape: tape, index: tape.append(Node(data: out, dlhs: dx, lhs: tape.reference(to: lhs), op: op)))
    }

    /// The number this value holds.
    public var data: Double {
        get { node.pointee.data }
        nonmutating set { node.pointee.data = newValue }
    }

    /// d(output)/d(self), accumulated by `backward()` (and settable, for manual backprop).
    public var grad: Double {
        get { node.pointee.grad }
        nonmutating set { node.pointee.grad = newValue }
    }

    /// A name for display: set by the notebook to the variable it is assigned to.
    public var label: String {
        get { tape.labels[index] ?? "" }
        nonmutating set { tape.labels[index] = newValue.isEmpty ? nil : newValue }
    }

    /// The op that made this value (`.leaf` for an input, `.constant` for a plain number).
    public var op: Op { node.pointee.op }

    /// The op's inputs: `lhs` for every op, `rhs` for the binary ones.
    public var lhs: Value? { op == .dot ? nil : tape.value(at: node.pointee.lhs) }
    public var rhs: Value? { op == .dot ? nil : tape.value(at: node.pointee.rhs) }

    /// The local derivatives d(self)/d(lhs) and d(self)/d(rhs), from the last forward computation.
    public internal(set) var dlhs: Double {
        get { node.pointee.dlhs }
        nonmutating set { node.pointee.dlhs = newValue }
    }
    public internal(set) var drhs: Double {
        get { node.pointee.drhs }
        nonmutating set { node.pointee.drhs = newValue }
    }

    /// The gradient flowing into this node during one backward pass, before it is added to `grad`.
    var upstream: Double {
        get { node.pointee.upstream }
        nonmutating set { node.pointee.upstream = newValue }
    }

    /// One input of an n-ary op and the local derivative d(output)/d(input).
    public struct Operand {
        public let value: Value
        public internal(set) var local: Double
    }

    /// The inputs of an n-ary op (`.dot`), each beside its local derivative d(self)/d(input);
    /// empty for every other op.
    public var operands: [Operand] {
        tape.operands[node.pointee.operandRun].map { Operand(value: tape.value(at: $0.input)!, local: $0.local) }
    }

    /// The inputs of this value, in order. An input on another tape is that tape's own `Value`.
    public var inputs: [Value] {
        if op == .dot { return tape.operands[node.pointee.operandRun].map { tape.value(at: $0.input)! } }
        switch (lhs, rhs) {
        case (let l?, let r?): return [l, r]
        case (let l?, nil): return [l]
        default: return []
        }
    }

    /// `true` for an input or parameter (a leaf that is not a plain-number constant).
    public var isInput: Bool { op == .leaf }
}

extension Value: Hashable {
    /// The same node: the same tape and position. (Two nodes holding equal numbers are not equal.)
    public static func == (a: Value, b: Value) -> Bool { a.tape === b.tape && a.index == b.index }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tape))
        hasher.combine(index)
    }
}

extension Value: CustomStringConvertible {
    /// `Value(data=-8.0, grad=1.0, label='L')`, as micrograd's repr with the label added.
    public var description: String {
        let named = label.isEmpty ? "" : ", label='\(label)'"
        return "Value(data=\(data.pythonDescription), grad=\(grad.pythonDescription)\(named))"
    }
}

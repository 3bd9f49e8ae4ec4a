// The tape: where the nodes of `Value` graphs live. An arena of plain structs instead of one heap
// object per node, so building a graph is appending to an array and freeing it is freeing the array.
// Which tape is current on a thread, and the scratch space of graph walks, live in Tape+Thread.swift.

/// The storage of `Value` graphs: every node a `Value` names lives on a tape.
///
/// A tape is an arena. Each node is a small struct (its number, its gradient, its local derivatives
/// and the positions of its inputs) in one contiguous buffer, appended in the order the nodes are
/// made, so a graph costs no allocation per node, no reference counting per edge, and is freed all
/// at once. A `Value` is a tape and a position on it.
///
/// Nodes go on the thread's current tape (`Tape.current`). A node's inputs may live on other tapes:
/// those inputs are *imported* into the node's tape, which then keeps them (and so their tapes)
/// alive. Backward walks across imports, so a graph spread over several tapes backpropagates exactly
/// as it would on one.
///
/// **Lifetimes.** A tape lives as long as a `Value` on it, or a later tape that imported one of
/// its values, still exists; then all its nodes go at once. Nothing frees a single node. So a loop
/// that builds a graph per step gives each step its own tape (`Tape.withNew`), or every step's
/// graph stays on one tape for as long as that tape lives:
///
/// ```swift
/// let model = MLP(2, [16, 16, 1], generator: g)       // parameters: leaves on the current tape
/// for _ in 0..<100 {
///     Tape.withNew {                                  // this step's graph, freed when it ends
///         let loss = model.loss(on: data, loss: .hinge).total
///         model.zeroGrad(); loss.backward()           // gradients land on the parameters' tape
///     }
/// }
/// ```
///
/// A tape is used by one thread at a time; values are not shared between threads.
public final class Tape {
    /// The nodes, in the order they were made: `count` of them in a buffer of `capacity`.
    private(set) var nodes: UnsafeMutablePointer<Node>
    public private(set) var count = 0
    private var capacity: Int
    /// The labels that were set, by node position (most nodes have none).
    var labels: [Int32: String] = [:]
    /// The inputs and local derivatives of every `.dot` node, each node's run in one stretch.
    var operands: [OperandSlot] = []
    /// Values of other tapes that nodes of this tape use as inputs. A value imported twice takes one
    /// slot: a short list is searched, a longer one indexed by `importSlots` (built from the
    /// `indexedImports`th import on, so the many small tapes of a notebook loop allocate no table).
    private(set) var imports: [Value] = []
    private var importSlots: [Value: Int32] = [:]
    private static let indexedImports = 8

    /// An empty tape. Nodes go on it while it is current (`Tape.withNew`).
    public init() {
        // The buffer of the thread's last freed tape if there is one, so that a loop making and
        // freeing a tape per step reuses one buffer; else a small one (a notebook loop that keeps
        // every iteration's tape holds a few nodes on each), grown by doubling.
        (nodes, capacity) = TapeThread.takeSpareBuffer() ?? (.allocate(capacity: 4), 4)
    }

    /// Frees the nodes, then releases the imports without recursing once per tape: a chain of
    /// tapes each importing the one before (a notebook loop `x = x + 1` run a million times) would
    /// otherwise overflow the stack as each tape's release frees the next. An import that holds
    /// the last reference to its tape has that tape's imports taken first, onto a work list.
    deinit {
        if !TapeThread.keepSpareBuffer(nodes, capacity: capacity) { nodes.deallocate() }
        var work = takeImports()
        while var value = work.popLast() {
            if value.holdsLastReferenceToTape() { work += value.tape.takeImports() }
        }
    }

    /// Empties the imports and hands them over.
    private func takeImports() -> [Value] {
        importSlots = [:]
        defer { imports = [] }
        return imports
    }

    /// The node at `index`. Valid until the next node is appended (the buffer may move).
    @inline(__always)
    func node(_ index: Int32) -> UnsafeMutablePointer<Node> { nodes + Int(index) }

    /// Appends `node`; returns its position.
    @inline(__always)
    func append(_ node: Node) -> Int32 {
        if count == capacity { grow() }
        (nodes + count).initialize(to: node)
        count += 1
        return Int32(truncatingIfNeeded: count - 1)
    }

    @inline(never)
    private func grow() {
        precondition(capacity < Int(Int32.max) / 2, "a tape holds at most 2³⁰ nodes")
        let larger = UnsafeMutablePointer<Node>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: nodes, count: count)
        nodes.deallocate()
        nodes = larger
        capacity *= 2
    }

    // MARK: Inputs: this tape's nodes, or imports

    /// How a node of this tape refers to `value`: its position when it lives here, else an import.
    @inline(__always)
    func reference(to value: Value) -> Int32 {
        value.tape === self ? value.index : importing(value)
    }

    /// The reference to an import slot holding `value`, reusing the slot of an earlier import.
    @inline(never)
    private func importing(_ value: Value) -> Int32 {
        if imports.count < Self.indexedImports {
            if let slot = imports.firstIndex(of: value) { return Reference.imported(Int32(slot)) }
        } else if let slot = importSlots[value] {
            return Reference.imported(slot)
        }
        let slot = Int32(imports.count)
        imports.append(value)
        if imports.count == Self.indexedImports {
            for (i, imported) in imports.enumerated() { importSlots[imported] = Int32(i) }
        } else if imports.count > Self.indexedImports {
            importSlots[value] = slot
        }
        return Reference.imported(slot)
    }

    /// The node a reference held by this tape names, as a handle for graph walks.
    @inline(__always)
    func resolve(_ reference: Int32) -> NodeHandle {
        if reference >= 0 { return NodeHandle(tape: Unmanaged.passUnretained(self), index: reference) }
        return NodeHandle(imports[Int(Reference.slot(reference))])
    }

    /// The `Value` a reference held by this tape names; nil for `Reference.none`.
    func value(at reference: Int32) -> Value? {
        if reference == Reference.none { return nil }
        if reference >= 0 { return Value(tape: self, index: reference) }
        return imports[Int(Reference.slot(reference))]
    }
}

extension Tape: CustomStringConvertible {
    /// `Tape(12 nodes, 2 imports)`.
    public var description: String {
        "Tape(\(count) node\(count == 1 ? "" : "s")"
            + (imports.isEmpty ? "" : ", \(imports.count) import\(imports.count == 1 ? "" : "s")") + ")"
    }
}

/// How a node names an input: a position on its own tape (≥ 0), none (−1), or import slot k (−2 − k).
enum Reference {
    static let none: Int32 = -1
    static func imported(_ slot: Int32) -> Int32 { -2 - slot }
    static func slot(_ reference: Int32) -> Int32 { -2 - reference }
}

/// One node of a tape: the forward value, the gradient and the local derivatives of one `Value`.
struct Node {
    var data: Double
    /// d(output)/d(self), accumulated by backward.
    var grad: Double = 0
    /// d(self)/d(lhs) and d(self)/d(rhs), from the last forward computation.
    var dlhs: Double = 0
    var drhs: Double = 0
    /// The gradient flowing into this node during one backward pass, before it is added to `grad`.
    var upstream: Double = 0
    /// The traversal that last visited this node (see `TapeThread.nextTraversal`).
    var visited: UInt64 = 0
    /// The inputs, as `Reference`s. A `.dot` node has none of these but a run of `Tape.operands`:
    /// `lhs` holds where the run starts and `rhs` its length (see `operandRun`).
    var lhs: Int32 = Reference.none
    var rhs: Int32 = Reference.none
    var op: Op

    /// The positions of a `.dot` node's operands in `Tape.operands`; empty for other ops.
    var operandRun: Range<Int> {
        if case .dot = op { return Int(lhs)..<Int(lhs) + Int(rhs) }
        return 0..<0
    }
}

/// One input of a `.dot` node as the tape stores it: a `Reference` and d(node)/d(input).
struct OperandSlot {
    var input: Int32
    var local: Double
}

/// A node seen from a graph walk: its tape, unretained (whoever started the walk holds a `Value`
/// that keeps every tape it reaches alive), and its position.
struct NodeHandle {
    let tape: Unmanaged<Tape>
    let index: Int32

    init(tape: Unmanaged<Tape>, index: Int32) {
        self.tape = tape
        self.index = index
    }

    init(_ value: Value) {
        self.init(tape: Unmanaged.passUnretained(value.tape), index: value.index)
    }

    /// The node. Valid while no node is appended to its tape.
    @inline(__always)
    var node: UnsafeMutablePointer<Node> { tape._withUnsafeGuaranteedRef { $0.node(index) } }

    /// The handle of an input reference held by this node's tape.
    @inline(__always)
    func resolve(_ reference: Int32) -> NodeHandle { tape._withUnsafeGuaranteedRef { $0.resolve(reference) } }

    var value: Value { Value(tape: tape.takeUnretainedValue(), index: index) }
}

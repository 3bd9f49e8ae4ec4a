// The run-time objects of the language: frames of running functions, the functions and classes
// the user defines, their instances and bound methods, and the module-level names.
import Foundation

/// A reference that does not keep its object alive (a node's reference to the interpreter that owns
/// it), read as a strong reference counted without atomics. An `unowned(unsafe)` reference, read,
/// makes its strong reference with an atomic count even where the compiler assumes one thread.
@propertyWrapper
struct Unretained<Instance: AnyObject> {
    private let reference: Unmanaged<Instance>
    init(wrappedValue: Instance) { reference = .passUnretained(wrappedValue) }
    var wrappedValue: Instance {
        @inline(__always) get { reference._withUnsafeGuaranteedRef { $0 } }
    }
}

/// The variables of one running function (or comprehension, or class body), by slot. `parent` is
/// the frame the function was defined in, so a closure reads and writes its enclosing variables.
/// One allocation holds the frame and its slots (a call makes one frame).
package final class Frame: ManagedBuffer<Frame.Header, Object?> {
    package struct Header {
        let count: Int
        var parent: Frame?
        /// The names a class body defines, while it runs.
        let namespace: ClassNamespace?
        /// What `return` gave.
        var returned: Object
        /// The heap that tracks the frame once a closure has captured it (a frame nothing captured
        /// is freed when its call returns, and is never part of a cycle).
        var heap: CycleHeap?
        var heapIndex = -1
    }

    static func make(slots: Int, parent: Frame?, namespace: ClassNamespace? = nil) -> Frame {
        let buffer = Frame.create(minimumCapacity: slots) { _ in
            Header(count: slots, parent: parent, namespace: namespace, returned: .none, heap: nil)
        }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: slots) }
        return frame
    }

    deinit {
        header.heap?.untrack(header.heapIndex)
        withUnsafeMutablePointers { header, slots in Object.clear(slots, header.pointee.count) }
    }

    /// Tracks the frame in the current heap, when a closure captures it.
    func captured() {
        guard header.heapIndex < 0, let heap = CycleHeap.current else { return }
        header.heap = heap
        heap.track(self)
    }

    var parent: Frame? {
        get { header.parent }
        set { header.parent = newValue }
    }
    var namespace: ClassNamespace? { header.namespace }
    var returned: Object {
        get { header.returned }
        set { header.returned = newValue }
    }

    /// What `return` gave, moved out of the frame (which is left holding None): no reference is
    /// counted for it, where reading it and then clearing it counted two.
    @inline(__always)
    func takeReturned() -> Object {
        withUnsafeMutablePointerToHeader { header in
            var value = Object.none
            swap(&value, &header.pointee.returned)
            return value
        }
    }

    /// The parent, moved out of the frame (which is left with none).
    @inline(__always)
    fileprivate func takeParent() -> Frame? {
        withUnsafeMutablePointerToHeader { header in
            var parent: Frame? = nil
            swap(&parent, &header.pointee.parent)
            return parent
        }
    }

    /// How many variables the frame has.
    var slotCount: Int { header.count }

    /// Variable `index`: read and written through the frame itself (a method on a frame the
    /// caller holds costs no reference counting).
    subscript(index: Int) -> Object? {
        @inline(__always) get {
            precondition(index >= 0 && index < header.count, "slot out of range")
            return withUnsafeMutablePointerToElements { $0[index] }
        }
        @inline(__always) set {
            precondition(index >= 0 && index < header.count, "slot out of range")
            withUnsafeMutablePointerToElements { $0[index] = newValue }
        }
    }

    /// Where variable `index` is kept, for reading it in place.
    @inline(__always)
    func address(of index: Int) -> UnsafeMutablePointer<Object?> {
        precondition(index >= 0 && index < header.count, "slot out of range")
        return withUnsafeMutablePointerToElements { $0 + index }
    }

    /// Where variable `index` of the frame `depth` levels out is kept (a closure's enclosing
    /// variable), reached without counting references to the frames on the way: each holds the
    /// next, and this one holds the first. (Walking `parent` counted one for each, at every read
    /// of `self` or `out` in a `_backward` closure.)
    @inline(__always)
    func outerAddress(_ depth: Int, of index: Int) -> UnsafeMutablePointer<Object?> {
        var frame = Unmanaged.passUnretained(self)
        for _ in 0..<depth {
            let parent = frame._withUnsafeGuaranteedRef { frame in
                frame.withUnsafeMutablePointerToHeader {
                    UnsafeRawPointer($0).load(fromByteOffset: Frame.parentOffset, as: UnsafeRawPointer?.self)
                }
            }
            guard let parent else { break }  // a frame without a parent is its own outside
            frame = Unmanaged.fromOpaque(parent)
        }
        return frame._withUnsafeGuaranteedRef { $0.address(of: index) }
    }

    /// Where a frame's header keeps its parent, a single pointer (0 for none).
    private static let parentOffset = MemoryLayout<Header>.offset(of: \Header.parent)!
}

extension Frame: Collectable {
    static var kind: CollectableKind { .frame }
    var heapIndex: Int {
        get { header.heapIndex }
        set { header.heapIndex = newValue }
    }

    func forEachTracked(_ visit: (Int) -> Void) {
        withUnsafeMutablePointers { header, slots in
            Object.forEachTracked(slots, header.pointee.count, visit)
            if let parent = header.pointee.parent, parent.heapIndex >= 0 { visit(parent.heapIndex) }
            let returned = header.pointee.returned.heapIndex
            if returned >= 0 { visit(returned) }
        }
    }

    func dropReferences() {
        withUnsafeMutablePointers { header, slots in
            for i in 0..<header.pointee.count { slots[i] = nil }
            header.pointee.returned = .none
        }
    }
}

extension Object {
    /// Empties `count` variables at `slots`, each by the compiled code that frees an `Object?`.
    /// (`deinitialize(count:)` goes through the runtime's generic loop, which asks the type's
    /// value witnesses for each element: about 90 instructions a slot where this takes 10.) An
    /// empty `Object?` holds nothing, so the memory needs no deinitializing after.
    @inline(__always)
    static func clear(_ slots: UnsafeMutablePointer<Object?>, _ count: Int) {
        for i in 0..<count { slots[i] = nil }
    }
}

/// The frames of finished calls, kept for the next calls with as many slots: a call then costs
/// no allocation. A frame comes back only when nothing else holds it (no closure captured it),
/// emptied.
struct FramePool {
    /// Frames of more slots than this are not kept.
    private static let largest = 16
    /// How many frames of one size are kept (a recursion deeper than this allocates the rest).
    private static let perSize = 64
    /// For each size, the first spare frame; the others follow through their `parent` field
    /// (unused while a frame is spare). A list, not an array of arrays: taking and returning a
    /// frame checks no array's uniqueness.
    private let first = UnsafeMutablePointer<Frame?>.allocate(capacity: FramePool.largest + 1)
    private let counts = UnsafeMutablePointer<Int>.allocate(capacity: FramePool.largest + 1)

    init() {
        first.initialize(repeating: nil, count: Self.largest + 1)
        counts.initialize(repeating: 0, count: Self.largest + 1)
    }

    /// Frees the spare frames (the pool's owner calls it once, when it goes).
    func release() {
        first.deinitialize(count: Self.largest + 1)
        first.deallocate()
        counts.deallocate()
    }

    /// A frame of `slots` empty slots in `parent`.
    @inline(__always)
    func make(slots: Int, parent: Frame?) -> Frame {
        if slots <= Self.largest {
            // The pool's reference passes to the caller, and the next spare frame moves up:
            // moved, not copied, so no count changes.
            if let frame = (first + slots).move() {
                (first + slots).initialize(to: frame.takeParent())
                counts[slots] -= 1
                frame.parent = parent
                return frame
            }
            (first + slots).initialize(to: nil)
        }
        return Frame.make(slots: slots, parent: parent)
    }

    /// Whether an emptied frame of `slots` slots would be kept.
    @inline(__always)
    func wants(_ slots: Int) -> Bool { slots <= Self.largest && counts[slots] < Self.perSize }

    /// Keeps an emptied frame (its `parent` is nil) that `wants` asked for.
    @inline(__always)
    func keep(_ frame: Frame) {
        let slots = frame.slotCount
        frame.parent = (first + slots).move()
        (first + slots).initialize(to: frame)
        counts[slots] += 1
    }
}

/// What a call needs from the interpreter: how many calls deep the running code is, and the frames
/// to reuse. An object of its own, which call nodes hold strongly (it holds no node, so no cycle),
/// so that a direct call counts no reference to reach it (through the node's `Unretained`
/// interpreter, each use counts one).
final class CallStack {
    /// How many calls deep the running code is (Python's recursion limit is 1,000).
    var depth = 0
    /// Frames for the next calls.
    let frames = FramePool()

    deinit { frames.release() }

    /// Runs a function whose arguments are already in `frame`.
    @inline(__always)
    func run(_ function: UserFunction, in frame: Frame) throws(NotebookError) -> Object {
        guard depth < Interpreter.recursionLimit else {
            throw .python(
                "RecursionError",
                "maximum recursion depth exceeded (\(Interpreter.recursionLimit) calls deep, in \(function.qualifiedName))"
            )
        }
        depth += 1
        defer { depth -= 1 }
        if let expression = function.expressionNode { return try expression.evaluate(frame) }
        _ = try StatementList.run(function.statements, frame)
        return frame.takeReturned()
    }

    /// Empties the frame of a call that has returned and keeps it for the next call, unless some
    /// closure still holds it (or a collection tracks it).
    @inline(__always)
    func recycle(_ frame: inout Frame) {
        guard frame.heapIndex < 0, frame.namespace == nil, frames.wants(frame.slotCount),
            isKnownUniquelyReferenced(&frame)
        else { return }
        frame.withUnsafeMutablePointers { header, slots in
            Object.clear(slots, header.pointee.count)
            header.pointee.returned = .none  // (already, after `run`; a frame must come back empty)
            header.pointee.parent = nil
        }
        frames.keep(frame)
    }
}

/// The names a class body assigns, in order.
final class ClassNamespace {
    var entries: [String: Object] = [:]
    var order: [String] = []

    func set(_ name: String, _ value: Object) {
        if entries.updateValue(value, forKey: name) == nil { order.append(name) }
    }
}

/// The module-level names (Python's globals), by slot so that compiled code finds them without
/// hashing; the built-ins sit behind them in a parallel table. Slots live in chunks that never
/// move, so a compiled name holds the address of its slot and reads it without touching a
/// reference count.
package final class GlobalTable {
    private(set) var names: [String] = []
    private var slotOf: [String: Int] = [:]
    private var valueChunks: [UnsafeMutablePointer<Object?>] = []
    private var builtinChunks: [UnsafeMutablePointer<Object?>] = []
    private static let chunkSize = 256

    deinit {
        for chunk in valueChunks + builtinChunks {
            chunk.deinitialize(count: Self.chunkSize)
            chunk.deallocate()
        }
    }

    /// The slot of `name`, made on first use.
    func slot(_ name: String) -> Int {
        if let slot = slotOf[name] { return slot }
        let slot = names.count
        if slot % Self.chunkSize == 0 {
            for _ in 0..<2 {
                let chunk = UnsafeMutablePointer<Object?>.allocate(capacity: Self.chunkSize)
                chunk.initialize(repeating: nil, count: Self.chunkSize)
                if valueChunks.count == builtinChunks.count {
                    valueChunks.append(chunk)
                } else {
                    builtinChunks.append(chunk)
                }
            }
        }
        names.append(name)
        slotOf[name] = slot
        return slot
    }

    /// Where the value of slot `slot` lives (stable for the table's life).
    func valueAddress(_ slot: Int) -> UnsafeMutablePointer<Object?> {
        valueChunks[slot / Self.chunkSize] + slot % Self.chunkSize
    }

    /// Where the built-in of slot `slot` lives.
    func builtinAddress(_ slot: Int) -> UnsafeMutablePointer<Object?> {
        builtinChunks[slot / Self.chunkSize] + slot % Self.chunkSize
    }

    package subscript(name: String) -> Object? {
        get { slotOf[name].flatMap { valueAddress($0).pointee } }
        set { valueAddress(slot(name)).pointee = newValue }
    }

    func setBuiltin(_ name: String, _ value: Object) { builtinAddress(slot(name)).pointee = value }
    func builtin(_ name: String) -> Object? { slotOf[name].flatMap { builtinAddress($0).pointee } }

    /// Names the notebook keeps for itself (`__gb_…`, the built-in torch.nn's own references): never
    /// listed, offered or forgotten by `reset`.
    static func isHidden(_ name: String) -> Bool { name.hasPrefix("__gb_") }

    /// The user's names that hold something, in the order they were first made.
    package var keys: [String] {
        names.indices.filter { valueAddress($0).pointee != nil && !Self.isHidden(names[$0]) }.map { names[$0] }
    }
    package var count: Int { keys.count }
    package var isEmpty: Bool { count == 0 }
    /// The user's names with what they hold.
    package var entries: [(key: String, value: Object)] {
        names.indices.compactMap { i in
            Self.isHidden(names[i]) ? nil : valueAddress(i).pointee.map { (names[i], $0) }
        }
    }
    package var builtinNames: [String] { names.indices.filter { builtinAddress($0).pointee != nil }.map { names[$0] } }

    package func removeAll() {
        for i in names.indices where !Self.isHidden(names[i]) { valueAddress(i).pointee = nil }
    }
}

/// What a `def` or `lambda` makes each time it runs, made once: the name, the parameters with their
/// defaults, the body. A `def` whose parameters have no defaults shares one among all the functions
/// it makes (micrograd's `_backward`, made at every operation, then costs one small object).
final class FunctionCode {
    let name: String
    let parameters: CompiledParameters
    let body: StatementList
    /// A lambda's expression (its body is then empty).
    let expression: ExpressionNode?
    let slotCount: Int
    /// The default of each positional parameter (nil for the required ones, which come first).
    let defaults: [Object?]
    /// How many positional parameters have no default.
    let required: Int
    unowned let interpreter: Interpreter
    /// The parameters' slots when they are all positional ones (no `*`, `**` or keyword-only),
    /// and their count (-1 when they are not): a call with positional arguments only fills them
    /// directly, and the defaults after them. Plain memory, read with no reference counting.
    let plainSlotAddress: UnsafeMutablePointer<Int>
    let plainCount: Int

    init(
        name: String, parameters: CompiledParameters, body: StatementList, expression: ExpressionNode?,
        slotCount: Int, interpreter: Interpreter
    ) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.expression = expression
        self.slotCount = slotCount
        let plain = parameters.variadic == nil && parameters.keywords == nil && parameters.keywordOnly.isEmpty
        defaults = parameters.positional.map(\.defaultValue)
        required = parameters.positional.prefix { $0.defaultValue == nil }.count
        self.interpreter = interpreter
        let slots = plain ? parameters.positional.map(\.slot) : []
        plainSlotAddress = .allocate(capacity: max(1, slots.count))
        plainSlotAddress.initialize(from: slots, count: slots.count)
        plainCount = plain ? slots.count : -1
    }

    deinit { plainSlotAddress.deallocate() }

    /// Whether any parameter has a default (the code then belongs to one function).
    var hasDefaults: Bool {
        required < parameters.positional.count || parameters.keywordOnly.contains { $0.defaultValue != nil }
    }
}

/// A function made by `def` or `lambda`: its code and the frame it was made in.
package final class UserFunction: Collectable {
    static var kind: CollectableKind { .function }
    let code: FunctionCode
    /// The frame the function was defined in (nil at module level).
    let enclosing: Frame?
    /// `Class.method` for methods, once the class is made.
    private var qualifiedNameOverride: String?
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    /// The code's facts a call reads, kept here as plain values (the code, which owns the memory
    /// they point to, lives as long as the function): a call then counts no references for them.
    let slotCount: Int
    let required: Int
    let plainCount: Int
    let plainSlotAddress: UnsafeMutablePointer<Int>
    /// The body of a lambda (its code holds it).
    var expressionNode: ExpressionNode? { expressionReference?._withUnsafeGuaranteedRef { $0 } }
    private let expressionReference: Unmanaged<ExpressionNode>?
    let statements: UnsafeBufferPointer<Unmanaged<StatementNode>>

    init(code: FunctionCode, enclosing: Frame?) {
        self.code = code
        slotCount = code.slotCount
        required = code.required
        plainCount = code.plainCount
        plainSlotAddress = code.plainSlotAddress
        expressionReference = code.expression.map { Unmanaged.passUnretained($0) }
        statements = code.body.statements
        self.enclosing = enclosing
        // A function with no enclosing frame and no defaults holds nothing the heap tracks, so it
        // can be in no cycle: it is left to reference counting (micrograd's `lambda: None`, made
        // for every Value).
        if enclosing != nil || code.hasDefaults { heap = CycleHeap.adopt(self) }
        enclosing?.captured()
    }

    deinit { heap?.untrack(heapIndex) }

    var name: String { code.name }
    var qualifiedName: String {
        get { qualifiedNameOverride ?? code.name }
        set { qualifiedNameOverride = newValue }
    }
    var parameters: CompiledParameters { code.parameters }
    var body: StatementList { code.body }
    var expression: ExpressionNode? { code.expression }
    var interpreter: Interpreter { code.interpreter }

    func forEachTracked(_ visit: (Int) -> Void) {
        // Defaults are held by the code, which a function with defaults has to itself.
        guard code.hasDefaults else {
            if let enclosing, enclosing.heapIndex >= 0 { visit(enclosing.heapIndex) }
            return
        }
        for parameter in code.parameters.positional {
            if let index = parameter.defaultValue?.heapIndex, index >= 0 { visit(index) }
        }
        for parameter in code.parameters.keywordOnly {
            if let index = parameter.defaultValue?.heapIndex, index >= 0 { visit(index) }
        }
        code.defaults.forEachTracked(visit)
        if let enclosing, enclosing.heapIndex >= 0 { visit(enclosing.heapIndex) }
    }

    /// A function's references are all fixed when it is made: a cycle through one is broken at the
    /// frame or object it holds.
    func dropReferences() {}
}

extension UserFunction {
    /// Whether a call with `count` positional arguments (and no keywords) can fill the frame directly.
    @inline(__always)
    func accepts(_ count: Int) -> Bool { count >= required && count <= plainCount }

    /// The defaults of the parameters after the first `given`.
    @inline(__always)
    func fillDefaults(_ frame: Frame, from given: Int) {
        guard given < plainCount else { return }
        let defaults = code.defaults
        for i in given..<plainCount { frame[plainSlotAddress[i]] = defaults[i] }
    }
}

/// Parameters with their defaults evaluated (at `def` time, as in Python) and their slots.
struct CompiledParameters {
    var positional: [(name: String, slot: Int, defaultValue: Object?)] = []
    var variadic: (name: String, slot: Int)?
    var keywordOnly: [(name: String, slot: Int, defaultValue: Object?)] = []
    var keywords: (name: String, slot: Int)?

    var signature: String {
        var parts = positional.map { $0.defaultValue == nil ? $0.name : "\($0.name)=\($0.defaultValue?.repr ?? "")" }
        if let variadic { parts.append("*" + variadic.name) } else if !keywordOnly.isEmpty { parts.append("*") }
        parts += keywordOnly.map { $0.defaultValue == nil ? $0.name : "\($0.name)=\($0.defaultValue?.repr ?? "")" }
        if let keywords { parts.append("**" + keywords.name) }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}

/// `instance.method`, bound to its instance (or any receiver).
package final class BoundMethod: Collectable {
    static var kind: CollectableKind { .method }
    let receiver: Object
    let function: UserFunction
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    init(receiver: Object, function: UserFunction) {
        self.receiver = receiver
        self.function = function
        heap = CycleHeap.adopt(self)
    }

    deinit { heap?.untrack(heapIndex) }

    func forEachTracked(_ visit: (Int) -> Void) {
        if receiver.heapIndex >= 0 { visit(receiver.heapIndex) }
        if function.heapIndex >= 0 { visit(function.heapIndex) }
    }

    func dropReferences() {}
}

/// A class defined with `class`.
package final class ClassObject: Collectable {
    static var kind: CollectableKind { .type }
    package let name: String
    let bases: [ClassObject]
    /// The class's own attributes (methods, class variables).
    var attributes: [String: Object] {
        didSet { version &+= 1 }
    }
    /// Changes whenever an attribute of the class is set: the compiled nodes' caches check it.
    private(set) var version = 0
    /// Instance attribute slots, shared by every instance: `self.data` is found without hashing.
    private(set) var fieldSlots: [String: Int] = [:]
    private(set) var fieldNames: [String] = []
    /// This class, then its bases, depth first (enough for the single inheritance lectures use).
    private(set) var order: [ClassObject] = []
    unowned let interpreter: Interpreter
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    init(name: String, bases: [ClassObject], attributes: [String: Object], interpreter: Interpreter) {
        self.name = name
        self.bases = bases
        self.attributes = attributes
        self.interpreter = interpreter
        var order: [ClassObject] = []
        var seen: Set<ObjectIdentifier> = []
        func visit(_ c: ClassObject) {
            guard seen.insert(ObjectIdentifier(c)).inserted else { return }
            order.append(c)
            c.bases.forEach(visit)
        }
        order.append(self)
        seen.insert(ObjectIdentifier(self))
        bases.forEach(visit)
        self.order = order
        heap = CycleHeap.adopt(self)
    }

    /// The `super()` cell of the `class` statement that made this class, which forgets the class
    /// when it is freed.
    var cell: ClassCell?

    deinit {
        cell?.release(self)
        heap?.untrack(heapIndex)
    }

    func forEachTracked(_ visit: (Int) -> Void) {
        for c in bases + order where c.heapIndex >= 0 { visit(c.heapIndex) }
        for value in attributes.values where value.heapIndex >= 0 { visit(value.heapIndex) }
        for lookup in lookups {
            if let index = lookup.found?.heapIndex, index >= 0 { visit(index) }
        }
    }

    func dropReferences() {
        attributes = [:]
        order = []
        lookups = []
    }

    /// A class attribute, looked up through the bases.
    func lookup(_ name: String) -> Object? {
        let stamp = orderVersion
        for i in lookups.indices where lookups[i].name == name {
            if lookups[i].stamp == stamp { return lookups[i].found }
            lookups.remove(at: i)
            break
        }
        var found: Object?
        for c in order {
            if let attribute = c.attributes[name] {
                found = attribute
                break
            }
        }
        if lookups.count < Self.rememberedLookups { lookups.append((name, stamp, found)) }
        return found
    }

    /// The names looked up last, and what they found while no class in `order` changed: a short
    /// list compared name by name (a few nanoseconds), where the dictionaries hash the name.
    private var lookups: [(name: String, stamp: Int, found: Object?)] = []
    private static let rememberedLookups = 24

    /// Changes whenever an attribute of this class or a base is set.
    var orderVersion: Int {
        var total = 0
        for c in order { total &+= c.version }
        return total
    }

    func fieldSlot(_ name: String) -> Int? { fieldSlots[name] }

    func makeFieldSlot(_ name: String) -> Int {
        if let slot = fieldSlots[name] { return slot }
        let slot = fieldNames.count
        fieldNames.append(name)
        fieldSlots[name] = slot
        return slot
    }

    func isSubclass(of other: ClassObject) -> Bool { order.contains { $0 === other } }

    /// The class's attribute names, its bases' included.
    package var attributeNames: [String] { Array(Set(order.flatMap { $0.attributes.keys })).sorted() }
}

/// An instance of a user class: its attributes by the class's slots. One allocation holds the
/// instance and room for every attribute its class's instances had when it was made (`__init__`
/// then fills them in place); attributes added later live in `overflow`.
package final class Instance: ManagedBuffer<Instance.Header, Object?> {
    package struct Header {
        let type: ClassObject
        /// How many fields are kept in the instance itself.
        let inline: Int
        /// The fields past `inline`, by slot − `inline`.
        var overflow: [Object?] = []
        var heapIndex = -1
        /// The heap that tracks the object (set when made while a cell runs).
        var heap: CycleHeap?
    }

    static func make(type: ClassObject) -> Instance {
        let inline = type.fieldNames.count
        let buffer = Instance.create(minimumCapacity: inline) { _ in Header(type: type, inline: inline) }
        let instance = unsafeDowncast(buffer, to: Instance.self)
        instance.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: inline) }
        instance.header.heap = CycleHeap.adopt(instance)
        return instance
    }

    deinit {
        header.heap?.untrack(header.heapIndex)
        withUnsafeMutablePointers { header, fields in Object.clear(fields, header.pointee.inline) }
    }

    package var type: ClassObject { header.type }

    @inline(__always)
    func field(_ slot: Int) -> Object? {
        let inline = header.inline
        if slot < inline { return withUnsafeMutablePointerToElements { $0[slot] } }
        let index = slot - inline
        return index < header.overflow.count ? header.overflow[index] : nil
    }

    @inline(__always)
    func setField(_ slot: Int, _ value: Object?) {
        let inline = header.inline
        if slot < inline {
            withUnsafeMutablePointerToElements { $0[slot] = value }
            return
        }
        let index = slot - inline
        if index >= header.overflow.count {
            guard value != nil else { return }
            header.overflow += [Object?](repeating: nil, count: index - header.overflow.count + 1)
        }
        header.overflow[index] = value
    }

    /// The attribute `name` set on the instance itself.
    package func field(named name: String) -> Object? { type.fieldSlot(name).flatMap { field($0) } }

    package func setField(named name: String, _ value: Object) { setField(type.makeFieldSlot(name), value) }

    /// The instance's own attributes, in the order the class first saw them.
    package var fieldNames: [String] { type.fieldNames.filter { field(named: $0) != nil } }

    func repr() throws(NotebookError) -> String {
        // A user's __repr__ may recurse: it runs on the deep stack, whatever thread asked.
        try DeepStack.run { () throws(NotebookError) in try representation() }
    }

    private func representation() throws(NotebookError) -> String {
        if type.lookup("__repr__") != nil {
            let result = try type.interpreter.callMethod(.instance(self), "__repr__", [])
            guard case .string(let text) = result else {
                throw .python("TypeError", "__repr__ returned \(result.typeNameWithArticle), not a str")
            }
            return text
        }
        return "<\(type.name) object>"
    }

    func str() throws(NotebookError) -> String {
        try DeepStack.run { () throws(NotebookError) in try text() }
    }

    private func text() throws(NotebookError) -> String {
        if type.lookup("__str__") != nil {
            let result = try type.interpreter.callMethod(.instance(self), "__str__", [])
            guard case .string(let text) = result else {
                throw .python("TypeError", "__str__ returned \(result.typeNameWithArticle), not a str")
            }
            return text
        }
        return try repr()
    }
}

extension Instance: Collectable {
    static var kind: CollectableKind { .instance }
    var heapIndex: Int {
        get { header.heapIndex }
        set { header.heapIndex = newValue }
    }

    func forEachTracked(_ visit: (Int) -> Void) {
        withUnsafeMutablePointers { header, fields in
            if header.pointee.type.heapIndex >= 0 { visit(header.pointee.type.heapIndex) }
            Object.forEachTracked(fields, header.pointee.inline, visit)
            header.pointee.overflow.forEachTracked(visit)
        }
    }

    func dropReferences() {
        withUnsafeMutablePointers { header, fields in
            for i in 0..<header.pointee.inline { fields[i] = nil }
            header.pointee.overflow = []
        }
    }
}

/// A compiled node's memory of where a name led for the last class it met: the method a call or
/// an operator finds, or the slot an attribute is stored in, so that the next instance of the same
/// class skips the lookups.
struct MethodCache {
    private var type: ObjectIdentifier?
    private var version = -1
    private var fieldCount = -1
    private var fieldSlot: Int?
    private var function: UserFunction?

    /// The class's function `name` for `instance`, unless the instance has an attribute of that name.
    mutating func method(_ instance: Instance, _ name: String) -> UserFunction? {
        let type = instance.type
        if self.type != ObjectIdentifier(type) || version != type.version || fieldCount != type.fieldNames.count {
            self.type = ObjectIdentifier(type)
            version = type.version
            fieldCount = type.fieldNames.count
            fieldSlot = type.fieldSlot(name)
            if case .closure(let f)? = type.lookup(name) { function = f } else { function = nil }
        }
        if let fieldSlot, instance.field(fieldSlot) != nil { return nil }
        return function
    }

    /// The instance's own attribute `name`, by the slot found by the last `method` call on the
    /// same class (a function stored on the instance, as micrograd's `_backward`).
    func field(_ instance: Instance) -> Object? {
        guard type == ObjectIdentifier(instance.type), let fieldSlot else { return nil }
        return instance.field(fieldSlot)
    }
}

/// The same for storing an attribute: the slot `name` has in the last class met (nil when the
/// class defines `__setattr__`, which must be called instead).
final class AttributeSite {
    private var type: ObjectIdentifier?
    private var version = -1
    private var slot: Int?

    func slot(_ instance: Instance, _ name: String) -> Int? {
        let type = instance.type
        if self.type != ObjectIdentifier(type) || version != type.version {
            self.type = ObjectIdentifier(type)
            version = type.version
            slot = type.lookup("__setattr__") == nil ? type.makeFieldSlot(name) : nil
        }
        return slot
    }
}

/// Walking through what `for` loops over: lists (live, as Python's), tuples, strings, ranges,
/// dicts (their keys), sets, and the iterator objects `zip`, `enumerate` and the rest return.
package struct ObjectIterator {
    private enum Source {
        case items([Object])
        case list(ListBox)
        /// `reversed(xs)`: the live list from `start` (its last index when the iterator was made)
        /// back to 0, as Python's list_reverseiterator walks it.
        case reversedList(ListBox, start: Int)
        /// start, step and how many numbers.
        case range(Int, Int, Int)
        case characters(String.UnicodeScalarView, String.UnicodeScalarView.Index)
        case iterator(IteratorObject)
        /// `zip(a, b, …)`: a row of the iterables' next items at each step.
        case zip(Zipped)
        case custom(() throws(NotebookError) -> Object?)
    }

    /// The iterables a `zip` walks together (a class: they advance in place).
    final class Zipped {
        var iterators: [ObjectIterator]
        /// `zip(…, strict=True)`: iterables of different lengths are an error, found when the
        /// shortest ends.
        let strict: Bool
        init(_ iterators: [ObjectIterator], strict: Bool) {
            self.iterators = iterators
            self.strict = strict
        }

        /// The next row, or nil when one of the iterables has ended (those before it have each
        /// given an item, as in Python).
        func nextRow() throws(NotebookError) -> [Object]? {
            guard !iterators.isEmpty else { return nil }
            var row: [Object] = []
            row.reserveCapacity(iterators.count)
            for i in iterators.indices {
                guard let item = try iterators[i].next() else { return try ended(at: i) }
                row.append(item)
            }
            return row
        }

        /// The next item of each of two iterables, or nil when one has ended.
        func nextPair() throws(NotebookError) -> (Object, Object)? {
            guard let a = try iterators[0].next() else { return try ended(at: 0) }
            guard let b = try iterators[1].next() else { return try ended(at: 1) }
            return (a, b)
        }

        /// Iterable `index` has ended: the end of the zip, or (when strict) CPython's error if the
        /// others are not at their end too.
        private func ended<T>(at index: Int) throws(NotebookError) -> T? {
            guard strict else { return nil }
            func others(_ i: Int) -> String { i > 1 ? "arguments 1-\(i)" : "argument 1" }
            if index > 0 {
                throw .python("ValueError", "zip() argument \(index + 1) is shorter than \(others(index))")
            }
            for i in iterators.indices.dropFirst() where try iterators[i].next() != nil {
                throw .python("ValueError", "zip() argument \(i + 1) is longer than \(others(i))")
            }
            return nil
        }
    }

    private var source: Source
    private var position = 0

    package init(items: [Object]) { source = .items(items) }
    init(list: ListBox) { source = .list(list) }
    init(reversing list: ListBox) { source = .reversedList(list, start: list.items.count - 1) }
    init(range start: Int, _ stop: Int, _ step: Int) {
        source = .range(start, step, RangeObject(start, stop, step).count)
    }
    init(string: String) { source = .characters(string.unicodeScalars, string.unicodeScalars.startIndex) }
    init(iterator: IteratorObject) { source = .iterator(iterator) }
    init(zipping iterators: [ObjectIterator], strict: Bool) { source = .zip(Zipped(iterators, strict: strict)) }
    package init(next: @escaping () throws(NotebookError) -> Object?) { source = .custom(next) }

    package mutating func next() throws(NotebookError) -> Object? {
        switch source {
        case .items(let items):
            guard position < items.count else { return nil }
            position += 1
            return items[position - 1]
        case .list(let box):
            guard position < box.items.count else { return nil }
            position += 1
            return box.items[position - 1]
        case .reversedList(let box, let start):
            // A list that shrank below the walk ends it, for good (as in Python).
            let index = start - position
            guard index >= 0, index < box.items.count else {
                position = start + 1
                return nil
            }
            position += 1
            return box.items[index]
        case .range(let start, let step, let count):
            guard position < count else { return nil }
            position += 1
            return .int(start &+ (position - 1) &* step)  // within the range: exact
        case .characters(let scalars, let index):
            guard index < scalars.endIndex else { return nil }
            source = .characters(scalars, scalars.index(after: index))
            return .string(String(Character(scalars[index])))
        case .iterator(let iterator):
            return try iterator.next()
        case .zip(let zipped):
            return try zipped.nextRow().map(Object.tuple)
        case .custom(let next):
            return try next()
        }
    }

    /// Whether this walks a `zip` of two iterables (itself, or as the iterator object `zip` gave):
    /// then `for a, b in zip(xs, ys)` takes the pairs with `nextPair`, and no tuple is made.
    var isZipOfTwo: Bool {
        switch source {
        case .zip(let zipped): zipped.iterators.count == 2
        case .iterator(let iterator): iterator.isZipOfTwo
        default: false
        }
    }

    /// The next pair of a zip of two (`isZipOfTwo`), or nil at its end.
    mutating func nextPair() throws(NotebookError) -> (Object, Object)? {
        switch source {
        case .zip(let zipped):
            guard zipped.iterators.count == 2 else { return nil }
            return try zipped.nextPair()
        case .iterator(let iterator):
            return try iterator.nextPair()
        default:
            return nil
        }
    }

    /// The next int of a `range`, without making an Object; nil at the end or when the source is
    /// not a range (`isRange` says which).
    mutating func nextInt() -> Int? {
        guard case .range(let start, let step, let count) = source, position < count else { return nil }
        position += 1
        return start &+ (position - 1) &* step
    }

    var isRange: Bool {
        if case .range = source { return true }
        return false
    }

    /// Everything left, as an array (for `list(x)`, `sorted(x)`, unpacking).
    package mutating func collect() throws(NotebookError) -> [Object] {
        var result: [Object] = []
        while let item = try next() {
            result.append(item)
            if result.count & 0xFFFF == 0 {
                try Interrupt.check()
                try Builtins.checkLength(result.count, of: "list")
            }
        }
        return result
    }
}

/// A one-shot iterator, as `zip`, `enumerate`, `map`, `reversed` and generator expressions give:
/// walked once, then empty, as in Python.
package final class IteratorObject: IterableObject {
    package static let typeName = "iterator"
    let kind: String
    private var iterator: ObjectIterator

    init(kind: String, _ iterator: ObjectIterator) {
        self.kind = kind
        self.iterator = iterator
    }

    package var description: String { kind == "generator" ? "<generator object <genexpr>>" : "<\(kind) object>" }
    package var attributeNames: [String] { [] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        throw .python("AttributeError", "'\(kind)' object has no attribute '\(name)'")
    }
    private var running = false

    /// The next item. An iterator asked for its next item from inside itself (a `map` whose function
    /// calls `next` on the map) is refused, as Python refuses a generator that is already running.
    func next() throws(NotebookError) -> Object? {
        try enter()
        defer { running = false }
        return try iterator.next()
    }

    var isZipOfTwo: Bool { iterator.isZipOfTwo }

    /// The next pair of a zip of two, taken without a tuple (`ObjectIterator.nextPair`).
    func nextPair() throws(NotebookError) -> (Object, Object)? {
        try enter()
        defer { running = false }
        return try iterator.nextPair()
    }

    private func enter() throws(NotebookError) {
        if running {
            throw .python("ValueError", "\(kind) already executing: it was asked for its next item from inside itself")
        }
        running = true
    }
    package func makeIterator() -> ObjectIterator { ObjectIterator(iterator: self) }
}

/// `range(start, stop, step)`: lazy, as Python's.
package final class RangeObject: IterableObject, IndexableObject {
    package static let typeName = "range"
    let start: Int
    let stop: Int
    let step: Int

    init(_ start: Int, _ stop: Int, _ step: Int) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    /// How many numbers the range holds (Int.max for a span wider than 64 bits).
    var count: Int {
        if step > 0 {
            guard start < stop else { return 0 }
            let (span, overflow) = stop.subtractingReportingOverflow(start)
            return overflow ? Int.max : (span - 1) / step + 1
        }
        guard start > stop else { return 0 }
        let (span, overflow) = start.subtractingReportingOverflow(stop)
        return overflow || step == .min ? Int.max : (span - 1) / (-step) + 1
    }

    package var description: String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }
    package var attributeNames: [String] { ["start", "stop", "step"] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "start": return .int(start)
        case "stop": return .int(stop)
        case "step": return .int(step)
        default: throw .python("AttributeError", "'range' object has no attribute '\(name)'")
        }
    }
    package func makeIterator() -> ObjectIterator { ObjectIterator(range: start, stop, step) }
    package func item(at key: Object) throws(NotebookError) -> Object {
        let i = try key.integer(as: "a range index")
        let resolved = i < 0 ? i + count : i
        guard resolved >= 0, resolved < count else { throw .python("IndexError", "range object index out of range") }
        return .int(start &+ resolved &* step)  // between start and stop: exact
    }
}

/// A module: a namespace of names (`math`, `random`, the user's `import`s).
package final class ModuleObject: NotebookObject {
    package static let typeName = "module"
    let name: String
    var members: [String: Object]

    package init(name: String, members: [String: Object]) {
        self.name = name
        self.members = members
    }

    package var description: String { "<module '\(name)'>" }
    package var attributeNames: [String] { members.keys.sorted() }
    package func attribute(_ attribute: String) throws(NotebookError) -> Object {
        if let member = members[attribute] { return member }
        throw NotebookError.unknown(
            "attribute", attribute, among: attributeNames,
            hint: "gradbook's \(name) module has \(attributeNames.prefix(12).joined(separator: ", "))"
        ).typed("AttributeError", prefix: "module '\(name)' has no attribute '\(attribute)'")
    }
    package func setAttribute(_ name: String, to value: Object) throws(NotebookError) { members[name] = value }
}

/// A built-in type (`int`, `list`, …): callable to convert, and what `isinstance` and `type` use.
package final class BuiltinType: NotebookObject {
    package static let typeName = "type"
    package let name: String
    let matches: (Object) -> Bool
    let make: (Arguments) throws(NotebookError) -> Object
    var methods: [String: Object] = [:]
    /// An exception class (`ValueError`): `raise` and `except` take it.
    var isException = false

    init(
        _ name: String, matches: @escaping (Object) -> Bool, make: @escaping (Arguments) throws(NotebookError) -> Object
    ) {
        self.name = name
        self.matches = matches
        self.make = make
    }

    package var description: String { "<class '\(name)'>" }
    package var callName: String { name }
    package var attributeNames: [String] { methods.keys.sorted() + ["__name__"] }
    package func attribute(_ attribute: String) throws(NotebookError) -> Object {
        if attribute == "__name__" { return .string(name) }
        if let method = methods[attribute] { return method }
        throw .python("AttributeError", "type object '\(name)' has no attribute '\(attribute)'")
    }
    package func call(_ arguments: Arguments) throws(NotebookError) -> Object { try make(arguments) }
}

extension NotebookError {
    /// This error as a Python exception of `type`, its message led by `prefix` when given.
    func typed(_ type: String, prefix: String? = nil) -> NotebookError {
        var copy = self
        copy.exceptionType = type
        if let prefix {
            copy.message =
                "\(type): \(prefix)"
                + (message.contains("did you mean") ? "; " + (message.components(separatedBy: "; ").last ?? "") : "")
        }
        return copy
    }
}

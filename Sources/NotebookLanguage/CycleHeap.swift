// Reference counting alone never frees a cycle, and the lectures make one at every step: micrograd's
// `Value` keeps its `_backward` closure, the closure keeps the frame that made it, and the frame
// keeps the Value. As CPython's `gc` does, every object that can hold others (lists, tuples, dicts,
// sets, instances, classes, functions, bound methods, and the frames closures capture) is tracked
// by its interpreter's heap, except those that can never be in a cycle: a tuple of numbers and
// strings, a function with no enclosing frame and no defaults. Once the heap has doubled, it finds
// the tracked objects that nothing outside them refers to and empties them, so that reference
// counting frees them.
//
// The test (CPython's): a tracked object's strong reference count, less the references other tracked
// objects hold to it, is what the rest of the program holds (Swift variables, the globals, compiled
// nodes, untracked objects). An object with such a reference is reachable, and so is all it refers
// to; what is left is garbage. Counting too few references can only keep garbage alive, so holders
// the heap does not know are treated as the program's own.

import Foundation

@_silgen_name("swift_retainCount")
private func swiftRetainCount(_ object: UnsafeMutableRawPointer) -> Int

/// An object the heap tracks.
protocol Collectable: AnyObject {
    /// Which of the tracked classes this is, so that the heap reaches it without an existential.
    static var kind: CollectableKind { get }
    /// Where the object stands in its heap's list; -1 when it is not tracked.
    var heapIndex: Int { get set }
    /// Calls `visit` once for each strong reference the object holds to a tracked object, with that
    /// object's `heapIndex`.
    func forEachTracked(_ visit: (Int) -> Void)
    /// Empties what the object holds in its mutable parts (items, fields, slots, attributes).
    func dropReferences()
}

enum CollectableKind: UInt8 {
    case list, tuple, dict, set, instance, type, function, method, frame
}

/// One interpreter's tracked objects. Used by one thread at a time, as the interpreter is.
package final class CycleHeap {
    /// A tracked object, not retained: the object leaves the list when it is freed.
    private struct Entry {
        let address: UnsafeMutableRawPointer
        let kind: CollectableKind
    }

    private var entries: [Entry] = []
    /// The count of tracked objects that starts the next collection.
    private var threshold = CycleHeap.defaultMinimum
    private var isCollecting = false
    /// Objects freed by collections so far.
    package private(set) var collected = 0

    /// Collections wait at least until this many objects are tracked (the fuzzer sets a few dozen,
    /// so that collections happen at every kind of checkpoint).
    package var minimumThreshold = CycleHeap.defaultMinimum {
        didSet { threshold = minimumThreshold }
    }
    static let defaultMinimum = 20_000

    /// Set when some heap has reached its threshold; the interpreter's checkpoints (every 64 loop
    /// turns and calls) then collect the heap of the thread they run on.
    nonisolated(unsafe) static var isDue = false

    package init() {}

    /// How many objects are tracked.
    package var count: Int { entries.count }

    func track<T: Collectable>(_ object: T) {
        object.heapIndex = entries.count
        entries.append(Entry(address: Unmanaged.passUnretained(object).toOpaque(), kind: T.kind))
        if entries.count >= threshold { Self.isDue = true }
    }

    /// Tracks `object` in this thread's current heap, if a cell is running; returns that heap,
    /// which the object keeps so as to leave it when freed.
    static func adopt<T: Collectable>(_ object: T) -> CycleHeap? {
        guard let heap = current else { return nil }
        heap.track(object)
        return heap
    }

    /// Forgets the object at `index`, which is being freed.
    func untrack(_ index: Int) {
        let last = entries.removeLast()
        guard index < entries.count else { return }
        entries[index] = last
        Self.with(last) { $0.heapIndex = index }
    }

    /// Runs `body` on the object of `entry`, neither retaining nor releasing it.
    @inline(__always)
    private static func with<R>(_ entry: Entry, _ body: (any Collectable) -> R) -> R {
        switch entry.kind {
        case .list: Unmanaged<ListBox>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .tuple: Unmanaged<TupleBox>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .dict: Unmanaged<DictBox>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .set: Unmanaged<SetBox>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .instance: Unmanaged<Instance>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .type: Unmanaged<ClassObject>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .function: Unmanaged<UserFunction>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .method: Unmanaged<BoundMethod>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        case .frame: Unmanaged<Frame>.fromOpaque(entry.address)._withUnsafeGuaranteedRef(body)
        }
    }

    /// Frees the tracked objects that only tracked garbage refers to; returns how many there were.
    @discardableResult
    package func collect() -> Int {
        guard !isCollecting else { return 0 }
        isCollecting = true
        defer {
            isCollecting = false
            threshold = Swift.max(minimumThreshold, 2 * entries.count)
        }
        let n = entries.count
        // What the rest of the program holds of each object.
        var outside = [Int](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = swiftRetainCount(entries[i].address) }
            count = n
        }
        outside.withUnsafeMutableBufferPointer { outside in
            for i in 0..<n { Self.with(entries[i]) { $0.forEachTracked { outside[$0] -= 1 } } }
        }
        // Reachable: held from outside, or from something reachable.
        var reachable = [Bool](repeating: false, count: n)
        var pending: [Int] = []
        for i in 0..<n where outside[i] > 0 {
            reachable[i] = true
            pending.append(i)
        }
        reachable.withUnsafeMutableBufferPointer { reachable in
            while let i = pending.popLast() {
                Self.with(entries[i]) {
                    $0.forEachTracked { j in
                        if !reachable[j] {
                            reachable[j] = true
                            pending.append(j)
                        }
                    }
                }
            }
        }
        // Held here while they are emptied, then let go: each is freed with nothing left in it.
        var garbage: [Entry] = []
        for i in 0..<n where !reachable[i] {
            _ = Unmanaged<AnyObject>.fromOpaque(entries[i].address).retain()
            garbage.append(entries[i])
        }
        for entry in garbage { Self.with(entry) { $0.dropReferences() } }
        for entry in garbage { Unmanaged<AnyObject>.fromOpaque(entry.address).release() }
        collected += garbage.count
        return garbage.count
    }

    /// The heap that objects made on this thread join (the running interpreter's), if any.
    static var current: CycleHeap? {
        // (takeUnretainedValue would count the reference atomically, for every object made)
        get { pthread_getspecific(key).map { Unmanaged<CycleHeap>.fromOpaque($0)._withUnsafeGuaranteedRef { $0 } } }
        set { pthread_setspecific(key, newValue.map { Unmanaged.passUnretained($0).toOpaque() }) }
    }

    /// Runs `body` with `heap` as this thread's current heap.
    static func withCurrent<T>(_ heap: CycleHeap, _ body: () throws(NotebookError) -> T) throws(NotebookError) -> T {
        let previous = current
        current = heap
        defer { current = previous }
        return try body()
    }

    /// Collects this thread's heap if a collection is due.
    static func collectIfDue() {
        guard isDue else { return }
        isDue = false
        guard let heap = current, heap.count >= heap.threshold else { return }
        heap.collect()
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}

extension Object {
    /// The heap index of the tracked object this one is, or -1.
    @inline(__always)
    var heapIndex: Int {
        switch self {
        case .list(let box): box.heapIndex
        case .tuple(let box): box.heapIndex
        case .dict(let box): box.heapIndex
        case .set(let box): box.heapIndex
        case .closure(let function): function.heapIndex
        case .method(let method): method.heapIndex
        case .type(let type): type.heapIndex
        case .instance(let instance): instance.heapIndex
        default: -1
        }
    }

    /// Visits the tracked objects among `count` objects at `objects`, read in place (no copies,
    /// so no reference counting).
    @inline(__always)
    static func forEachTracked(_ objects: UnsafePointer<Object>, _ count: Int, _ visit: (Int) -> Void) {
        for i in 0..<count {
            let index = objects[i].heapIndex
            if index >= 0 { visit(index) }
        }
    }

    /// The same for optional objects (a frame's slots, an instance's fields).
    @inline(__always)
    static func forEachTracked(_ objects: UnsafePointer<Object?>, _ count: Int, _ visit: (Int) -> Void) {
        for i in 0..<count {
            guard case .some(let object) = objects[i] else { continue }
            let index = object.heapIndex
            if index >= 0 { visit(index) }
        }
    }
}

extension Array where Element == Object {
    @inline(__always)
    func forEachTracked(_ visit: (Int) -> Void) {
        withUnsafeBufferPointer { if let base = $0.baseAddress { Object.forEachTracked(base, $0.count, visit) } }
    }
}

extension Array where Element == Object? {
    @inline(__always)
    func forEachTracked(_ visit: (Int) -> Void) {
        withUnsafeBufferPointer { if let base = $0.baseAddress { Object.forEachTracked(base, $0.count, visit) } }
    }
}

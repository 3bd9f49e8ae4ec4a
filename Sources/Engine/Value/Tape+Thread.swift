// Which tape is current: one per thread, so tests running in parallel never share a graph. Also the
// thread's scratch space for graph walks, reused so that backward allocates nothing in steady state.
import Foundation
import Synchronization

extension Tape {
    /// The tape new nodes go on, on this thread: the innermost `withNew`'s, else the thread's
    /// default tape, made on first use, which lives as long as the thread (so nodes made outside
    /// any `withNew` stay until the thread ends).
    public static var current: Tape {
        @inline(__always) get { TapeThread.current._withUnsafeGuaranteedRef { $0.tape } }
    }

    /// Whether the current tape has no nodes yet (read without touching its reference count: the
    /// notebook asks at every turn of a loop).
    public static var currentIsEmpty: Bool {
        @inline(__always) get { TapeThread.current._withUnsafeGuaranteedRef { $0.tape.count == 0 } }
    }

    /// Runs `body` with a fresh current tape, then makes the previous tape current again. The fresh
    /// tape is freed once no `Value` on it (and no tape that imported one) is left.
    ///
    /// A value made inside and used after `body` returns makes the outer tape import it; if the
    /// inner tape had imported values of the outer one, the two tapes then keep each other alive.
    /// To move on to new tapes without going back, use `startNew()`.
    public static func withNew<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let thread = TapeThread.current.takeUnretainedValue()
        let previous = thread.tape
        thread.tape = Tape()
        defer { thread.tape = previous }
        return try body()
    }

    /// Makes a fresh tape current, for good (until an enclosing `withNew` ends). Each tape started
    /// this way is newer than every tape it can import from, so tapes never keep each other alive:
    /// the notebook starts one per iteration of a loop.
    public static func startNew() {
        TapeThread.current.takeUnretainedValue().tape = Tape()
    }
}

/// A loop's handle on its thread's tape, looked up once when the loop starts (a loop runs on one
/// thread), so that each turn's `startNewIfUsed()` costs a load and a compare rather than a
/// thread-local lookup.
public struct LoopTape {
    private let thread: Unmanaged<TapeThread>

    /// The handle for the calling thread; use it on this thread only.
    public init() { thread = TapeThread.current }

    /// `Tape.startNew()` when the current tape has nodes: each turn of a loop builds its own.
    public func startNewIfUsed() {
        thread._withUnsafeGuaranteedRef { state in if state.tape.count != 0 { state.tape = Tape() } }
    }
}

/// One thread's tape state (`PerThread`), so that every thread has its own.
final class TapeThread {
    /// The current tape.
    var tape = Tape()
    /// Scratch buffers for graph walks, lent to one walk at a time (nil while lent).
    var walkBuffers: WalkBuffers? = WalkBuffers()

    private static let perThread = PerThread<TapeThread>("the current tape")

    /// This thread's state, made on first use; released when the thread ends.
    static var current: Unmanaged<TapeThread> {
        @inline(__always) get { perThread.current { TapeThread() } }
    }

    /// The node buffer of the last tape freed on this thread, for the next tape to start with.
    private var spareBuffer: (nodes: UnsafeMutablePointer<Node>, capacity: Int)?
    /// The largest buffer kept as the spare (16,384 nodes, about 1 MB).
    private static let largestSpare = 1 << 14

    deinit {
        spareBuffer?.nodes.deallocate()
    }

    /// Takes this thread's spare node buffer, if it has one.
    static func takeSpareBuffer() -> (UnsafeMutablePointer<Node>, Int)? {
        guard let state = perThread.existing else { return nil }
        return state._withUnsafeGuaranteedRef { thread in
            defer { thread.spareBuffer = nil }
            return thread.spareBuffer
        }
    }

    /// Keeps the node buffer of a freed tape as this thread's spare when it is not too large and
    /// larger than the spare already kept; false when the caller should free it.
    static func keepSpareBuffer(_ nodes: UnsafeMutablePointer<Node>, capacity: Int) -> Bool {
        guard capacity <= largestSpare, let state = perThread.existing else { return false }
        return state._withUnsafeGuaranteedRef { thread in
            if let spare = thread.spareBuffer {
                guard spare.capacity < capacity else { return false }
                spare.nodes.deallocate()
            }
            thread.spareBuffer = (nodes, capacity)
            return true
        }
    }

    private static let traversals = Atomic<UInt64>(0)

    /// A number no earlier graph traversal used: nodes stamped with it count as visited.
    static func nextTraversal() -> UInt64 {
        traversals.add(1, ordering: .relaxed).newValue
    }
}

/// The stack and the output of a depth-first walk, grown as needed and kept between walks.
final class WalkBuffers {
    struct Visit {
        var node: NodeHandle
        var expanded: Bool
    }

    private(set) var stack: UnsafeMutablePointer<Visit>
    private var stackCapacity = 256
    private(set) var order: UnsafeMutablePointer<NodeHandle>
    private var orderCapacity = 256

    init() {
        stack = .allocate(capacity: stackCapacity)
        order = .allocate(capacity: orderCapacity)
    }

    deinit {
        stack.deallocate()
        order.deallocate()
    }

    /// Makes room for `count` visits on the stack.
    @inline(__always)
    func reserveStack(_ count: Int) { if count > stackCapacity { growStack(to: count) } }

    /// Makes room for `count` nodes in the order.
    @inline(__always)
    func reserveOrder(_ count: Int) { if count > orderCapacity { growOrder(to: count) } }

    @inline(never)
    private func growStack(to count: Int) {
        (stack, stackCapacity) = Self.enlarged(stack, capacity: stackCapacity, toHold: count)
    }

    @inline(never)
    private func growOrder(to count: Int) {
        (order, orderCapacity) = Self.enlarged(order, capacity: orderCapacity, toHold: count)
    }

    /// A buffer with room for `count` and at least twice `capacity`, holding `buffer`'s elements, and
    /// its capacity; `buffer` is freed. (The elements are trivial values: moving the unused tail too
    /// is harmless.)
    private static func enlarged<T>(_ buffer: UnsafeMutablePointer<T>, capacity: Int, toHold count: Int) -> (
        UnsafeMutablePointer<T>, Int
    ) {
        let newCapacity = Swift.max(count, 2 * capacity)
        let larger = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        larger.moveInitialize(from: buffer, count: capacity)
        buffer.deallocate()
        return (larger, newCapacity)
    }
}

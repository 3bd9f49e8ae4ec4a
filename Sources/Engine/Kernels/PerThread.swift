// One object per thread, kept in a pthread key: made on first use on each thread and released when
// that thread ends. The tape a thread records on and the GEMM's packing buffers live this way.
import Foundation

struct PerThread<Value: AnyObject>: @unchecked Sendable {
    /// The key alone: the object is made by the code the caller passes to `current`.
    private let key: pthread_key_t

    /// `what` names the state in the message if the system has no key left.
    init(_ what: String) {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { state in
            if let state { Unmanaged<AnyObject>.fromOpaque(state).release() }
        }
        precondition(status == 0, "no thread-local key for \(what)")
        self.key = key
    }

    /// The calling thread's object, made by `make` on the thread's first call (not retained: the
    /// thread holds it until it ends).
    @inline(__always)
    func current(making make: () -> Value) -> Unmanaged<Value> {
        if let state = pthread_getspecific(key) { return Unmanaged.fromOpaque(state) }
        return makeCurrent(make)
    }

    /// The calling thread's object if it has been made, without making it (for work done while
    /// the thread ends).
    var existing: Unmanaged<Value>? {
        pthread_getspecific(key).map { Unmanaged.fromOpaque($0) }
    }

    @inline(never)
    private func makeCurrent(_ make: () -> Value) -> Unmanaged<Value> {
        let state = Unmanaged.passRetained(make())
        pthread_setspecific(key, state.toOpaque())
        return state
    }
}

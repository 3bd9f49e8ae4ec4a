// The storage of variables: a frame's locals and the module's names. A plain buffer rather than an
// array, so that reading a variable in a hot loop touches no reference count: an array held by a
// class is retained and released around every read.

/// A growable buffer of optional objects (nil: the slot holds nothing yet), owned by one frame or
/// table and freed with it.
struct SlotStorage: ~Copyable {
    private var base: UnsafeMutablePointer<Object?>
    private(set) var count: Int
    private var capacity: Int

    init(count: Int) {
        self.count = count
        capacity = Swift.max(count, 1)
        base = .allocate(capacity: capacity)
        base.initialize(repeating: nil, count: capacity)
    }

    deinit {
        // Objects are released one after another (a nest of lists dismantles itself without recursion).
        base.deinitialize(count: capacity)
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }
    var indices: Range<Int> { 0..<count }

    subscript(index: Int) -> Object? {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "slot out of range")
            return base[index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count, "slot out of range")
            base[index] = newValue
        }
    }

    mutating func append(_ value: Object?) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Object?>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: capacity)
            (grown + capacity).initialize(repeating: nil, count: capacity)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        base[count] = value
        count += 1
    }

    /// Empties every slot (the count stays: the slots still stand for their names).
    mutating func clear() {
        for i in 0..<count { base[i] = nil }
    }
}

// The hash index of dicts and sets: from a key to its position in the box's insertion-ordered
// arrays. Open addressing with linear probing and a cheap hash. Swift's dictionaries hash with
// SipHash, several times slower than this on the keys the lectures use most: the identities of
// nodes (micrograd's `seen` set in `backward`), small ints and short strings (makemore's counts).
// Hashes only find positions; the order of a dict or set is its insertion order either way.

/// Positions of keys: `find(key)` is where `key` was inserted.
struct KeyIndex {
    /// The keys by position, with their hashes.
    private var keys: [HashKey] = []
    private var hashes: [Int] = []
    /// Position + 1 of the key in each bucket, 0 for an empty bucket; a power of two in size, at
    /// most half full.
    private var buckets: [Int32] = []

    var count: Int { keys.count }

    /// The position of `key`, or nil.
    func find(_ key: HashKey) -> Int? {
        guard !buckets.isEmpty else { return nil }
        let hash = key.fastHash
        let mask = buckets.count - 1
        var b = hash & mask
        while true {
            let entry = Int(buckets[b])
            if entry == 0 { return nil }
            if hashes[entry - 1] == hash && keys[entry - 1] == key { return entry - 1 }
            b = (b + 1) & mask
        }
    }

    /// Adds `key` at the next position (`count`); the caller has checked it is not there.
    mutating func append(_ key: HashKey) {
        let hash = key.fastHash
        keys.append(key)
        hashes.append(hash)
        if 2 * keys.count > buckets.count {
            rebuild()
        } else {
            place(hash, position: keys.count - 1)
        }
    }

    /// Removes the key at `position`; the keys after it move up one, as the box's arrays do.
    mutating func remove(at position: Int) {
        keys.remove(at: position)
        hashes.remove(at: position)
        rebuild()
    }

    mutating func removeAll() {
        keys = []
        hashes = []
        buckets = []
    }

    private mutating func place(_ hash: Int, position: Int) {
        let mask = buckets.count - 1
        var b = hash & mask
        while buckets[b] != 0 { b = (b + 1) & mask }
        buckets[b] = Int32(truncatingIfNeeded: position + 1)
    }

    private mutating func rebuild() {
        var size = 8
        while size < 2 * keys.count { size *= 2 }
        buckets = [Int32](repeating: 0, count: size)
        for (position, hash) in hashes.enumerated() { place(hash, position: position) }
    }
}

extension HashKey {
    /// A hash for `KeyIndex`: equal keys hash alike (1, 1.0 and True are one key already).
    var fastHash: Int {
        switch self {
        case .none: return Self.mix(0x9E37_79B9)
        case .int(let n): return Self.mix(UInt64(bitPattern: Int64(n)))
        case .float(let d): return Self.mix(d.bitPattern ^ 0x5555)
        case .string(let s):
            var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the UTF-8 bytes
            for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return Self.mix(h)
        case .tuple(let items):
            var h: UInt64 = 0x2545_F491
            for item in items { h = (h &* 31) &+ UInt64(bitPattern: Int64(item.fastHash)) }
            return Self.mix(h)
        case .identity(let id): return Self.mix(UInt64(UInt(bitPattern: id)))
        case .value(let v): return v.hashValue
        case .bytes(let bytes):
            var h: UInt64 = 0x8422_2325
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return Self.mix(h)
        }
    }

    /// SplitMix64's finaliser: every input bit moves every output bit.
    @inline(__always)
    private static func mix(_ x: UInt64) -> Int {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(bitPattern: UInt(truncatingIfNeeded: z ^ (z >> 31)))
    }
}

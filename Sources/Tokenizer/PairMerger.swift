// minbpe's training loop, kept incrementally. minbpe recounts every pair of the whole text for each
// merge and rewrites the whole text; here the counts are kept up to date and a merge visits only the
// places its pair occurs, so that training costs about the text's length, not length × merges:
//
//     for i in range(num_merges):
//         stats = get_stats(ids)                    # here: `counts`, updated around each merge
//         pair = max(stats, key=stats.get)          # the first of the most frequent, in text order
//         ids = merge(ids, pair, 256 + i)           # here: only at `places[pair]`, left to right
//
// The text is a linked list of tokens (a merged pair keeps its left slot and unlinks the right one).
// Ties go to the pair that occurs first in the text, as `max` over a dict built in text order does,
// so the merges are exactly minbpe's.

/// Learns merges from chunks of byte tokens laid out one after another, each weighted by how often it
/// occurs in the text.
struct PairMerger {
    /// The token in each slot; a slot merged into its left neighbour is dead.
    private var token: [Int32]
    /// The next and previous live slot of the same chunk, or -1.
    private var next: [Int32], previous: [Int32]
    /// The weight of each slot's chunk.
    private let weight: [Int]
    /// How often each pair occurs (weighted), by key `a << 32 | b`.
    private var counts: [UInt64: Int] = [:]
    /// Where each pair may start: slots that held it when it was counted (some no longer do).
    private var places: [UInt64: [Int32]] = [:]

    init(tokens: [Int32], starts: [Int], lengths: [Int], weights: [Int]) {
        let n = tokens.count
        token = tokens
        next = [Int32](repeating: -1, count: n)
        previous = [Int32](repeating: -1, count: n)
        var weight = [Int](repeating: 0, count: n)
        for (c, start) in starts.enumerated() {
            let end = start + lengths[c]
            for i in start..<end {
                weight[i] = weights[c]
                if i + 1 < end { next[i] = Int32(i + 1) }
                if i > start { previous[i] = Int32(i - 1) }
            }
        }
        self.weight = weight
        for i in 0..<n where next[i] >= 0 { add(Int32(i), weight[i]) }
    }

    private static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// Counts the pair starting at slot `i` (`amount` times, negative to uncount), noting the slot.
    private mutating func add(_ i: Int32, _ amount: Int) {
        let k = Self.key(token[Int(i)], token[Int(next[Int(i)])])
        counts[k, default: 0] += amount
        if amount > 0 { places[k, default: []].append(i) }
    }

    /// Whether slot `i` starts the pair (a, b) now.
    private func starts(_ i: Int32, _ a: Int32, _ b: Int32) -> Bool {
        let j = next[Int(i)]
        return j >= 0 && token[Int(i)] == a && token[Int(j)] == b
    }

    /// The first slot (in text order) where the pair `k` occurs now.
    private func firstPlace(_ k: UInt64) -> Int32 {
        let (a, b) = (Int32(truncatingIfNeeded: k >> 32), Int32(truncatingIfNeeded: k))
        return places[k, default: []].filter { starts($0, a, b) }.min() ?? .max
    }

    /// The next merge: the most frequent pair, the first in the text among equals.
    private func best() -> UInt64? {
        var top = 0
        var tied: [UInt64] = []
        for (k, n) in counts where n >= top && n > 0 {
            if n > top {
                top = n
                tied.removeAll(keepingCapacity: true)
            }
            tied.append(k)
        }
        guard tied.count > 1 else { return tied.first }
        return tied.min { firstPlace($0) < firstPlace($1) }
    }

    /// Replaces every occurrence of the pair `k`, left to right, by `new`, updating the counts of
    /// the pairs around each.
    private mutating func merge(_ k: UInt64, into new: Int32) {
        let (a, b) = (Int32(truncatingIfNeeded: k >> 32), Int32(truncatingIfNeeded: k))
        let slots = (places.removeValue(forKey: k) ?? []).sorted()
        for i in slots where starts(i, a, b) {
            let j = next[Int(i)]
            let w = weight[Int(i)]
            let p = previous[Int(i)]
            let after = next[Int(j)]
            if p >= 0 { add(p, -w) }  // (x, a) is gone
            if after >= 0 { add(j, -w) }  // (b, y) is gone
            counts[k, default: 0] -= w
            token[Int(i)] = new
            next[Int(i)] = after
            if after >= 0 { previous[Int(after)] = i }
            (token[Int(j)], next[Int(j)], previous[Int(j)]) = (-1, -1, -1)  // dead: starts no pair
            if p >= 0 { add(p, w) }  // (x, new)
            if after >= 0 { add(i, w) }  // (new, y)
        }
        if counts[k] == 0 { counts[k] = nil }
    }

    /// Learns up to `count` merges (fewer when no pair is left), minting tokens 256, 257, ….
    /// - Throws: ``TokenizerError/stopped(after:)`` when `shouldStop` says so between merges.
    mutating func learn(_ count: Int, shouldStop: () -> Bool) throws(TokenizerError) -> [BytePairTokenizer.Merge] {
        var merges: [BytePairTokenizer.Merge] = []
        for i in 0..<count {
            if shouldStop() { throw .stopped(after: i) }
            guard let k = best() else { break }
            let new = Int32(256 + i)
            merge(k, into: new)
            merges.append(.init(left: Int(k >> 32), right: Int(k & 0xFFFF_FFFF), token: Int(new)))
        }
        return merges
    }
}

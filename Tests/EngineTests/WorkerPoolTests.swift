import Foundation
import Synchronization
import Testing

// The pool that shares ops between the cores: every part runs exactly once whoever runs it, a part
// that asks the pool again (or a second caller at the same time) runs its parts itself, and ranges
// cover their span without gaps or overlaps.
@testable import Engine

/// A count shared by the threads of a test.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var total: Int { value.load(ordering: .relaxed) }
}

@Suite("Worker pool")
struct WorkerPoolTests {
    /// Counts of how often each part ran, after `run`.
    private func counts(_ pool: WorkerPool, parts: Int) -> [Int] {
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: parts)
        hits.initialize(repeating: 0, count: parts)
        defer { hits.deallocate() }
        let h = UncheckedSendable(hits)
        pool.run(parts) { part in h.value[part] += 1 }  // each part writes only its own counter
        return Array(UnsafeBufferPointer(start: hits, count: parts))
    }

    @Test("each part runs once", arguments: [0, 1, 2, 3, 17, 1000])
    func eachPartOnce(_ parts: Int) {
        let pool = WorkerPool(workers: 1)
        for _ in 0..<50 { #expect(counts(pool, parts: parts) == [Int](repeating: 1, count: parts)) }
    }

    @Test("a part that calls the pool runs the inner parts itself")
    func nested() {
        let pool = WorkerPool(workers: 1)
        let total = Counter()
        pool.run(4) { _ in pool.run(3) { _ in total.add() } }
        #expect(total.total == 12)
    }

    @Test("callers on several threads at once all finish, each part once")
    func concurrentCallers() async {
        let pool = WorkerPool(workers: 1)
        let total = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<200 { pool.run(5) { _ in total.add() } }
                }
            }
        }
        #expect(total.total == 4 * 200 * 5)
    }

    @Test("ranges cover 0..<n exactly, in whole SIMD widths but the last", arguments: [0, 1, 15, 65_536, 100_003])
    func ranges(_ n: Int) {
        let pool = WorkerPool(workers: 1)
        let seen = Mutex<[Range<Int>]>([])
        pool.forEachRange(n, grain: 1000) { r in seen.withLock { $0.append(r) } }
        let spans = seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        var next = 0
        for r in spans {
            #expect(r.lowerBound == next)
            #expect(r.lowerBound % 16 == 0)
            next = r.upperBound
        }
        #expect(next == n)
        #expect(spans.count == (n >= 2000 ? 2 : (n > 0 ? 1 : 0)))
    }

    /// The caller runs whatever no worker claims, so a worker that never woke would go unnoticed by
    /// the counts alone: parts slow enough for a woken worker to claim some must show two threads.
    @Test("the pool wakes its worker after it has gone to sleep")
    func wakesAfterSleep() {
        let pool = WorkerPool(workers: 1)
        #expect(counts(pool, parts: 8) == [Int](repeating: 1, count: 8))
        Thread.sleep(forTimeInterval: 0.01)  // well past the spin: the worker sleeps
        let threads = Mutex<Set<pthread_t>>([])
        pool.run(20) { _ in
            threads.withLock { _ = $0.insert(pthread_self()) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(threads.withLock { $0.count } == 2)
    }
}

@Suite("AdamW over the cores")
struct AdamLanesTests {
    /// AdamW's update of 16 floats at a time equals its scalar loop bit for bit, so that where a step
    /// is cut between the cores (and where a parameter's last lanes fall) changes no weight.
    @Test func lanesEqualTheScalarLoop() {
        let rule = AdamRule(betas: (0.9, 0.99), eps: 1e-8, weightDecay: 0.01, decoupled: true)
        var s: UInt32 = 7
        func next() -> Float {
            s = s &* 1_664_525 &+ 1_013_904_223
            return Float(s >> 9) / Float(1 << 22) - 1
        }
        let n = 16 * 9
        let (p0, g, m0, v0) = (
            (0..<n).map { _ in next() }, (0..<n).map { _ in next() }, (0..<n).map { _ in next() * 0.1 },
            (0..<n).map { _ in abs(next()) * 0.01 }
        )
        func run(piece: Int) -> [Float] {
            var (p, m, v) = (p0, m0, v0)
            p.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        g.withUnsafeBufferPointer { g in
                            for lo in stride(from: 0, to: n, by: piece) {
                                let hi = min(n, lo + piece)
                                rule.update(
                                    UnsafeMutableBufferPointer(rebasing: p[lo..<hi]),
                                    gradient: UnsafeBufferPointer(rebasing: g[lo..<hi]),
                                    m: UnsafeMutableBufferPointer(rebasing: m[lo..<hi]),
                                    v: UnsafeMutableBufferPointer(rebasing: v[lo..<hi]), step: 3, learningRate: 3e-4)
                            }
                        }
                    }
                }
            }
            return p + m + v
        }
        let lanes = run(piece: n)
        for piece in [1, 7, 15] {
            #expect(run(piece: piece).map(\.bitPattern) == lanes.map(\.bitPattern), "pieces of \(piece)")
        }
    }

    /// A parameter with no values (torch.zeros(0) typed at the prompt) takes a step that does nothing.
    @Test func anEmptyParameterIsAStepThatDoesNothing() {
        let rule = AdamRule(betas: (0.9, 0.99), eps: 1e-8, weightDecay: 0.01, decoupled: true)
        let empty = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
        rule.update(empty, gradient: UnsafeBufferPointer(empty), m: empty, v: empty, step: 1, learningRate: 0.1)
    }
}

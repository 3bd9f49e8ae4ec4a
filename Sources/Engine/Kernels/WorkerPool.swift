import CMaskedVectors
// The spare cores, kept warm between the many small ops of a training step. A product of a few MFLOP
// takes 30–150 µs on one core; waking a sleeping thread (libdispatch, a futex) costs tens of µs of
// that, so splitting such products did not pay. Here each spare core runs one worker that spins for a
// while after its last job, so the next op's job starts within a microsecond, and sleeps only when
// the caller has been quiet for longer.
//
// A job is `count` parts of fixed extent; the caller and the workers claim parts one at a time from a
// shared counter, so a worker that is late (descheduled on a busy machine) never holds the caller up:
// the caller runs whatever nobody has claimed. Which thread runs a part never changes what the part
// computes, so results are bit-identical whatever the thread count or timing.
import Foundation
import Synchronization

package final class WorkerPool: @unchecked Sendable {
    /// The process's pool: one worker per core beyond the caller's.
    package static let shared = WorkerPool(workers: Gemm.defaultThreads - 1)

    /// How long a worker spins for the next job before it sleeps.
    static let spinNanoseconds: UInt64 = 300_000

    /// One job: `count` parts, claimed by index.
    private final class Job: @unchecked Sendable {
        let count: Int
        /// The parts' code; the caller drops it once every part has finished, so that what it
        /// captured is freed on the caller's thread, never on a worker's after `run` returned
        /// (the notebook's own objects are reference-counted without atomics).
        private var body: ((Int) -> Void)?
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)

        init(count: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
        }

        /// Runs unclaimed parts until none is left. `body` is read only for a claimed part, so a
        /// worker arriving after the last part never touches it.
        func work() {
            while true {
                let part = next.add(1, ordering: .relaxed).oldValue
                guard part < count else { return }
                body?(part)
                finished.add(1, ordering: .releasing)
            }
        }

        /// Called by the caller once `finished` reached `count`.
        func dropBody() { body = nil }
    }

    let workers: Int
    /// Bumped once per job; a worker that sees it move looks at `current`.
    private let generation = Atomic<Int>(0)
    /// Set while some caller owns the pool; a second caller (another thread, or a job's own part)
    /// runs its parts itself.
    private let busy = Atomic<Bool>(false)
    /// Workers asleep on `wakeup`.
    private let sleepers = Atomic<Int>(0)
    private let wakeup = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var current: Job?
    private var started = false

    init(workers: Int) { self.workers = Swift.max(0, workers) }

    /// Runs `body(part)` once for each part in 0..<count, on the caller's thread and the pool's.
    /// Returns when every part has finished. Parts must write disjoint memory.
    package func run(_ count: Int, _ body: @escaping (Int) -> Void) {
        guard count > 1, workers > 0,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for part in 0..<count { body(part) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        let job = Job(count: count, body: body)
        lock.withLock {
            if !started { startWorkers() }
            current = job
        }
        generation.add(1, ordering: .sequentiallyConsistent)
        while takeSleeper() { wakeup.signal() }
        job.work()
        var spins = 0
        while job.finished.load(ordering: .acquiring) < count {
            gb_spin_pause()
            spins += 1
            if spins > 256 { sched_yield() }  // a worker was descheduled mid-part
        }
        job.dropBody()
        lock.withLock { current = nil }
    }

    /// Runs `body` over `0..<n` cut into one range per thread, each a multiple of `alignment` long
    /// but the last; on the caller alone when `n` is under two `grain`s (too little to share).
    package func forEachRange(
        _ n: Int, grain: Int = 32_768, alignment: Int = 16, _ body: @escaping (Range<Int>) -> Void
    ) {
        let parts = Swift.min(workers + 1, n / Swift.max(grain, 1))
        guard parts > 1 else {
            if n > 0 { body(0..<n) }
            return
        }
        let width = ((n + parts - 1) / parts + alignment - 1) / alignment * alignment
        run(parts) { part in
            let range = Swift.min(n, part * width)..<Swift.min(n, (part + 1) * width)
            if !range.isEmpty { body(range) }
        }
    }

    private func startWorkers() {
        started = true
        for _ in 0..<workers {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "gradbook-worker"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func workerLoop() {
        var seen = generation.load(ordering: .sequentiallyConsistent)
        while true {
            var spinStart: UInt64 = 0
            var spins = 0
            var latest = seen
            while latest == seen {
                gb_spin_pause()
                latest = generation.load(ordering: .acquiring)
                spins += 1
                guard spins & 63 == 0 else { continue }
                let now = DispatchTime.now().uptimeNanoseconds
                if spinStart == 0 { spinStart = now }
                if now - spinStart > Self.spinNanoseconds {
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    latest = generation.load(ordering: .sequentiallyConsistent)
                    if latest != seen {
                        // A job came after all: take back the sleep, unless a caller already
                        // counted this worker awake and signalled (then the signal is consumed).
                        if !takeSleeper() { wakeup.wait() }
                        break
                    }
                    wakeup.wait()
                    spinStart = 0
                }
            }
            seen = latest
            let job = lock.withLock { current }
            job?.work()
        }
    }

    /// Takes one worker off the sleepers' count: a caller does so for each worker it signals, and a
    /// worker that finds a job before sleeping for itself. False when the count is already 0 (for
    /// that worker: a caller counted it and signalled, and the signal must be consumed).
    private func takeSleeper() -> Bool {
        var asleep = sleepers.load(ordering: .sequentiallyConsistent)
        while asleep > 0 {
            let (exchanged, original) = sleepers.compareExchange(
                expected: asleep, desired: asleep - 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            asleep = original
        }
        return false
    }
}

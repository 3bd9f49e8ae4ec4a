// Single-precision GEMM, BLAS-style: C = α·op(A)·op(B) + β·C, op = identity or transpose. As in
// BLIS / GotoBLAS, B (and a transposed A) is packed into cache-sized panels and an 8×32 register-tile
// micro-kernel (16 accumulators of 16 floats, FMAs) does the work.
//
// Shapes: op(A) (M, K), op(B) (K, N), C (M, N); lda/ldb/ldc are row strides of the stored matrices.
import Foundation

package enum Gemm {
    /// Rows and columns of the register tile computed by one micro-kernel call.
    static let mr = 8, nr = 32
    /// Cache blocks: a KC×NR panel of B sits in L1, an MC×KC block of A in L2, KC×NC of B in L3.
    /// MC = 64 rather than 144: 1024³ went from 148 to 152–156 GFLOP/s on one core (two: 283 → 297),
    /// 512×64·64×256 from 153 to 158; KC = 128 was slower (141 at 1024³).
    static let kc = 256, mc = 64, nc = 4064
    /// Below this many flops a second thread costs more than it saves. The pool's workers spin
    /// between jobs (WorkerPool), so handing a part over costs about a microsecond, and a product of
    /// 2 MFLOP takes about 15 µs on one core. makemore's Transformer (products of 2–17 MFLOP) steps in
    /// 8.1 ms with this threshold against 10.3 ms with 32 MFLOP (every product on one core); 1 MFLOP
    /// was no faster.
    static let parallelThreshold = 2_000_000
    /// The cores to use by default.
    package static let defaultThreads = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// C = α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ as `transA`/`transB` say. β = 0 ignores what
    /// C held (even NaN); β = 1 accumulates, which is how backward adds dA = dC·Bᵀ into a gradient.
    /// With a `bias` (n floats), C = α·op(A)·op(B) + bias on every row instead, β unused: a linear
    /// layer's output in one pass, the bits of filling C with the bias and accumulating with β = 1.
    /// Up to `threads` threads share the work when it has at least `parallelFlops` flops.
    package static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil,
        threads: Int = defaultThreads, parallelFlops: Int = parallelThreshold
    ) {
        let A = Operand(base: a, rowStride: transA ? 1 : lda, colStride: transA ? lda : 1)  // (M, K)
        let B = Operand(base: b, rowStride: transB ? 1 : ldb, colStride: transB ? ldb : 1)  // (K, N)
        gemm(
            m: m, n: n, k: k, alpha: alpha, a: A, b: B, beta: beta, c: c, ldc: ldc, bias: bias, threads: threads,
            parallelFlops: parallelFlops)
    }

    /// `sgemm` with each operand given by its row and column strides, so any strided view (a
    /// transpose, a head of attention) is read in place. C is row-major with row stride `ldc`.
    /// With `relu`, C = max(α·op(A)·op(B) + β·C (or + bias), 0), as `Tensor.relu` clamps (a NaN or a
    /// -0 is kept): each tile is clamped as soon as its last block of K is written.
    static func gemm(
        m: Int, n: Int, k: Int, alpha: Float = 1, a A: Operand, b B: Operand,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil, relu: Bool = false,
        threads: Int = defaultThreads, parallelFlops: Int = parallelThreshold
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0, alpha != 0 else {
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = bias.map { $0[j] } ?? (beta == 0 ? 0 : beta * c[i * ldc + j]) }
                if relu { clampBelowZero(c + i * ldc, ldc: ldc, rows: 1, columns: n) }
            }
            return
        }
        let C = UncheckedSendable(c)
        let parts = threads > 1 && 2 * m * n * k >= parallelFlops ? Swift.min(threads, 8) : 1
        if parts == 1 {
            gemmBlocked(m: m, n: n, k: k, alpha: alpha, a: A, b: B, beta: beta, c: c, ldc: ldc, bias: bias, relu: relu)
        } else if n >= parts * 2 * nr && m < n {
            // Split the columns of C: each part reads all of A and its share of B. Splitting the rows
            // instead reads all of B: the smaller of the two is the one read twice.
            let width = roundUp((n + parts - 1) / parts, nr)  // every column in some part
            WorkerPool.shared.run(parts) { part in
                let j0 = part * width
                let j1 = Swift.min(n, j0 + width)
                guard j0 < j1 else { return }
                gemmBlocked(
                    m: m, n: j1 - j0, k: k, alpha: alpha, a: A, b: B.advanced(by: j0 * B.colStride), beta: beta,
                    c: C.value + j0, ldc: ldc, bias: bias.map { $0 + j0 }, relu: relu)
            }
        } else {  // split the rows of C
            let height = roundUp((m + parts - 1) / parts, mr)  // every row in some part
            WorkerPool.shared.run(parts) { part in
                let i0 = part * height
                let i1 = Swift.min(m, i0 + height)
                guard i0 < i1 else { return }
                gemmBlocked(
                    m: i1 - i0, n: n, k: k, alpha: alpha, a: A.advanced(by: i0 * A.rowStride), b: B, beta: beta,
                    c: C.value + i0 * ldc, ldc: ldc, bias: bias, relu: relu)
            }
        }
    }

    /// A matrix as a base pointer and element strides between rows and between columns.
    struct Operand: @unchecked Sendable {
        let base: UnsafePointer<Float>
        let rowStride: Int, colStride: Int
        /// The transpose, read in place.
        var transposed: Operand { Operand(base: base, rowStride: colStride, colStride: rowStride) }
        /// The same layout starting `elements` further on (a later column, row or batch element).
        func advanced(by elements: Int) -> Operand {
            Operand(base: base + elements, rowStride: rowStride, colStride: colStride)
        }
    }

    /// One thread's GEMM: loop over cache blocks, pack, and run the micro-kernel over each tile.
    /// A is read in place when its rows are contiguous, and packed only when it is stored transposed
    /// and reused across many panels of B (packing costs about as much as the multiply when N is
    /// small, as in the lecture's MLP; measured at 1024³: row-major A 88 GFLOP/s unpacked, 85
    /// packed; transposed A 68 unpacked, 93 packed).
    static func gemmBlocked(
        m: Int, n: Int, k: Int, alpha: Float, a: Operand, b: Operand, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil, relu: Bool = false
    ) {
        let kcMax = Swift.min(kc, k)
        let mcMax = Swift.min(mc, roundUp(m, mr))
        let ncMax = Swift.min(nc, roundUp(n, nr))
        let packsA = a.colStride != 1 && n >= packAColumns
        let readsB = b.colStride == 1 && m <= unpackedBRows
        // The thread's buffer, borrowed without counting a reference to it (the count's atomic
        // increment and decrement were 1% of the gpt step's time, over its thousand small products).
        let packedB = PackingScratch.current._withUnsafeGuaranteedRef {
            $0.buffer(kcMax * ncMax + (packsA ? mcMax * kcMax : 0))
        }  // (KC, NC) in NR panels
        let packedA = packedB + kcMax * ncMax  // (MC, KC) in MR strips

        for jc in stride(from: 0, to: n, by: nc) {
            let nb = Swift.min(nc, n - jc)
            for pc in stride(from: 0, to: k, by: kc) {
                let kb = Swift.min(kc, k - pc)
                // Later K blocks add to the first one's result; the first adds the bias, if any.
                let betaHere: Float = pc == 0 && bias == nil ? beta : 1
                let biasHere = pc == 0 ? bias : nil
                let clampsHere = relu && pc + kb == k  // the last block of K: C is final
                let whole = nb / nr * nr  // columns in full panels
                // A narrow last panel read in place needs masked loads; without them it is packed.
                let narrowInPlace = readsB && MaskedVectors.areNative
                if !readsB {
                    packB(b, row: pc, column: jc, k: kb, n: nb, into: packedB)
                } else if whole < nb, !narrowInPlace {  // only the narrow last panel is packed (zero-padded)
                    packB(b, row: pc, column: jc + whole, k: kb, n: nb - whole, into: packedB + whole * kb)
                }
                for ic in stride(from: 0, to: m, by: mc) {
                    let mb = Swift.min(mc, m - ic)
                    if packsA { packA(a, row: ic, column: pc, m: mb, k: kb, into: packedA) }
                    for jr in stride(from: 0, to: nb, by: nr) {
                        let columns = Swift.min(nr, nb - jr)
                        let inPlace = readsB && (jr < whole || narrowInPlace)
                        let panel: UnsafePointer<Float> =
                            inPlace ? b.base + (pc * b.rowStride + jc + jr) : UnsafePointer(packedB + jr * kb)
                        let bStep = inPlace ? b.rowStride : nr
                        for ir in stride(from: 0, to: mb, by: mr) {
                            let rows = Swift.min(mr, mb - ir)
                            let tile = c + (ic + ir) * ldc + jc + jr
                            let (source, sourceStride) =
                                biasHere.map { ($0 + jc + jr, 0) } ?? (UnsafePointer(tile), ldc)
                            let inPlaceA = a.base + (ic + ir) * a.rowStride + pc * a.colStride
                            if inPlace && columns < nr {
                                tileOfNarrowPanel(
                                    k: kb, a: a, inPlaceA: inPlaceA, packedA: packsA ? packedA + ir * kb : nil,
                                    b: panel, bStep: bStep, c: tile, ldc: ldc, source: source,
                                    sourceStride: sourceStride, rows: rows, columns: columns, alpha: alpha,
                                    beta: betaHere)
                            } else if packsA {
                                microKernel(
                                    k: kb, a: PackedStrip(base: packedA + ir * kb), b: panel, panel: WholePanel(),
                                    bStep: bStep, c: tile, ldc: ldc, source: source, sourceStride: sourceStride,
                                    rows: rows, columns: columns, alpha: alpha, beta: betaHere)
                            } else if rows == mr, a.rowStride == 1 {
                                microKernel(
                                    k: kb, a: ColumnsInPlace(base: inPlaceA, step: a.colStride),
                                    b: panel, panel: WholePanel(), bStep: bStep, c: tile, ldc: ldc, source: source,
                                    sourceStride: sourceStride, rows: mr, columns: columns, alpha: alpha,
                                    beta: betaHere)
                            } else if rows == mr {
                                microKernel(
                                    k: kb, a: RowsInPlace(base: inPlaceA, rowStride: a.rowStride, step: a.colStride),
                                    b: panel, panel: WholePanel(), bStep: bStep, c: tile, ldc: ldc, source: source,
                                    sourceStride: sourceStride, rows: mr, columns: columns, alpha: alpha,
                                    beta: betaHere)
                            } else {
                                microKernel(
                                    k: kb,
                                    a: ShortStrip(
                                        base: inPlaceA, rowStride: a.rowStride, step: a.colStride, rows: rows),
                                    b: panel, panel: WholePanel(), bStep: bStep, c: tile, ldc: ldc, source: source,
                                    sourceStride: sourceStride, rows: rows, columns: columns, alpha: alpha,
                                    beta: betaHere)
                            }
                            if clampsHere { clampBelowZero(tile, ldc: ldc, rows: rows, columns: columns) }
                        }
                    }
                }
            }
        }
    }

    /// One tile whose panel of B is the narrow last one, read in place with masked loads.
    @inline(never)
    static func tileOfNarrowPanel(
        k: Int, a: Operand, inPlaceA: UnsafePointer<Float>, packedA: UnsafeMutablePointer<Float>?,
        b: UnsafePointer<Float>, bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int, source: UnsafePointer<Float>,
        sourceStride: Int, rows: Int, columns: Int, alpha: Float, beta: Float
    ) {
        let panel = NarrowPanel(columns: columns)
        if let packedA {
            microKernel(
                k: k, a: PackedStrip(base: packedA), b: b, panel: panel, bStep: bStep, c: c, ldc: ldc, source: source,
                sourceStride: sourceStride, rows: rows, columns: columns, alpha: alpha, beta: beta)
        } else if rows == mr {
            microKernel(
                k: k, a: RowsInPlace(base: inPlaceA, rowStride: a.rowStride, step: a.colStride), b: b, panel: panel,
                bStep: bStep, c: c, ldc: ldc, source: source, sourceStride: sourceStride, rows: mr, columns: columns,
                alpha: alpha, beta: beta)
        } else {
            microKernel(
                k: k, a: ShortStrip(base: inPlaceA, rowStride: a.rowStride, step: a.colStride, rows: rows), b: b,
                panel: panel, bStep: bStep, c: c, ldc: ldc, source: source, sourceStride: sourceStride, rows: rows,
                columns: columns, alpha: alpha, beta: beta)
        }
    }

    /// C[0..<rows, 0..<columns] = max(C, 0), in place: every negative element becomes +0, as
    /// `Tensor.relu` (a -0 or a NaN stays). A tile just written, still in L1.
    @inline(__always)
    static func clampBelowZero(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int) {
        for r in 0..<rows {
            let row = c + r * ldc
            var j = 0
            while j + 16 <= columns {
                let v = Vec16.load(row + j)
                Vec16.store(v.replacing(with: 0, where: v .< 0), row + j)
                j += 16
            }
            while j < columns {
                if row[j] < 0 { row[j] = 0 }
                j += 1
            }
        }
    }

    /// Up to this many rows of C, a row-major B is read in place rather than packed: each panel then
    /// serves at most four strips of A, too few to repay copying it (the lecture MLP's 32 rows).
    static let unpackedBRows = 32

    /// From this many columns of C on, a transposed A is packed.
    static let packAColumns = 256

    @inline(__always)
    static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }
}

/// One thread's buffer for packed panels, kept between products (allocating it for each small product
/// cost more than packing into it), grown as needed, freed when the thread ends. A thread runs one
/// `gemmBlocked` at a time, so one buffer serves it.
final class PackingScratch {
    private var pointer = PackingScratch.allocate(16)
    private var capacity = 16

    /// At least `count` floats, their contents undefined.
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = Swift.max(count, 2 * capacity)
            pointer = Self.allocate(capacity)
        }
        return pointer
    }

    deinit { pointer.deallocate() }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(
            to: Float.self, capacity: count)
    }

    private static let perThread = PerThread<PackingScratch>("GEMM packing buffers")

    /// This thread's buffer, made on first use.
    static var current: Unmanaged<PackingScratch> { perThread.current { PackingScratch() } }
}

/// A value handed to the pool's threads; each thread writes a disjoint part.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

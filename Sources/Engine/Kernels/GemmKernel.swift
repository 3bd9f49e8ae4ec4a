// The inner loops of `Gemm`: packing blocks of A and B into the order the micro-kernel reads them,
// and the 8×32 micro-kernel itself (16 accumulators of 16 floats; with -march=native on a machine with
// AVX-512, 512-bit FMAs: twice the flops per instruction of AVX2, measured 167 against 81 GFLOP/s on
// one core of this machine's Xeon).
//
// Every element of C is still one FMA chain over k in order, so the tile's shape changes no result.
//
// Shapes: packed A is (KC, 8) per strip of eight rows; packed B is (KC, 32) per panel of 32 columns;
// both are zero-padded past the matrix edge so the kernel never branches inside its loop.
import CMaskedVectors

#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

extension Gemm {
    /// Packs rows `row..<row+m`, columns `column..<column+k` of A as strips of `mr` rows:
    /// `packed[strip·mr·k + p·mr + r] = A[row + strip·mr + r, column + p]`.
    static func packA(_ a: Operand, row: Int, column: Int, m: Int, k: Int, into packed: UnsafeMutablePointer<Float>) {
        for strip in stride(from: 0, to: m, by: mr) {
            let rows = Swift.min(mr, m - strip)
            let dst = packed + strip * k
            let src = a.base + (row + strip) * a.rowStride + column * a.colStride
            if rows == mr, a.rowStride == 1 {  // Aᵀ stored: eight rows are eight neighbours, one vector
                for p in 0..<k { Vec8.store(Vec8.load(src + p * a.colStride), dst + p * mr) }
            } else {
                for r in 0..<mr {
                    if r < rows {
                        let s = src + r * a.rowStride
                        for p in 0..<k { dst[p * mr + r] = s[p * a.colStride] }
                    } else {
                        for p in 0..<k { dst[p * mr + r] = 0 }
                    }
                }
            }
        }
    }

    /// Packs rows `row..<row+k`, columns `column..<column+n` of B as panels of `nr` columns:
    /// `packed[panel·nr·k + p·nr + j] = B[row + p, column + panel·nr + j]`.
    static func packB(_ b: Operand, row: Int, column: Int, k: Int, n: Int, into packed: UnsafeMutablePointer<Float>) {
        for panel in stride(from: 0, to: n, by: nr) {
            let columns = Swift.min(nr, n - panel)
            let dst = packed + panel * k
            let src = b.base + row * b.rowStride + (column + panel) * b.colStride
            if columns == nr, b.colStride == 1 {  // B stored row-major: 32 neighbours per row
                for p in 0..<k {
                    let s = src + p * b.rowStride
                    let d = dst + p * nr
                    Vec16.store(Vec16.load(s), d)
                    Vec16.store(Vec16.load(s + 16), d + 16)
                }
            } else if b.rowStride == 1 {  // Bᵀ stored (dA = dC·Bᵀ, q·kᵀ): transpose 8×8 blocks
                packTransposed(src, columnStride: b.colStride, k: k, columns: columns, into: dst)
            } else if b.colStride == 1 {  // the last, narrower panel of a row-major B: row by row, zero-padded
                let wide = columns >= 16
                for p in 0..<k {
                    let s = src + p * b.rowStride
                    let d = dst + p * nr
                    Vec16.store(.zero, d + 16)
                    if wide {  // columns 0..<16, then the last 16 (overlapping them: the same values again)
                        Vec16.store(Vec16.load(s), d)
                        Vec16.store(Vec16.load(s + (columns - 16)), d + (columns - 16))
                    } else {
                        Vec16.store(.zero, d)
                        for j in 0..<columns { d[j] = s[j] }
                    }
                }
            } else {
                for j in 0..<nr {
                    if j < columns {
                        let s = src + j * b.colStride
                        for p in 0..<k { dst[p * nr + j] = s[p * b.rowStride] }
                    } else {
                        for p in 0..<k { dst[p * nr + j] = 0 }
                    }
                }
            }
        }
    }

    /// One panel of B whose columns are contiguous (`B[p, j]` at `src[j·columnStride + p]`), packed as
    /// `dst[p·32 + j]`, eight columns by eight rows at a time (`transpose8x8`). A panel of fewer than
    /// 32 `columns` (attention's q·kᵀ over 16 positions) is zero-padded.
    static func packTransposed(
        _ src: UnsafePointer<Float>, columnStride ld: Int, k: Int, columns: Int = nr,
        into dst: UnsafeMutablePointer<Float>
    ) {
        guard k >= 8, columns >= 8 else {  // too small for a block: element by element
            for q in 0..<k {
                for j in 0..<nr { dst[q * nr + j] = j < columns ? src[j * ld + q] : 0 }
            }
            return
        }
        // Blocks of eight columns by eight rows; a last partial block in either direction starts
        // eight before the end instead, overlapping its neighbour (which it writes again, unchanged).
        var p = 0
        while p < k {
            let p0 = Swift.min(p, k - 8)
            var j = 0
            while j < columns {
                let j0 = Swift.min(j, columns - 8)
                transpose8x8(src + j0 &* ld + p0, ld, into: dst + p0 &* nr + j0, nr)
                j += 8
            }
            p += 8
        }
        guard columns < nr else { return }
        for q in 0..<k { (dst + q * nr + columns).update(repeating: 0, count: nr - columns) }
    }

    /// The 8×8 block at `s` (rows `ld` apart) written transposed at `d` (rows `dStride` apart).
    @inline(__always)
    static func transpose8x8(
        _ s: UnsafePointer<Float>, _ ld: Int, into d: UnsafeMutablePointer<Float>, _ dStride: Int
    ) {
        #if arch(x86_64)
            // AVX: rows i and i+4 share a register (one in each 128-bit lane), then two rounds of
            // unpacking, of 32-bit and of 64-bit elements, finish the transpose within the lanes.
            // (The portable version below compiled to some forty shuffles and blends a block.)
            let r0 = _mm256_loadu2_m128(s + 4 &* ld, s)
            let r1 = _mm256_loadu2_m128(s + 5 &* ld, s + ld)
            let r2 = _mm256_loadu2_m128(s + 6 &* ld, s + 2 &* ld)
            let r3 = _mm256_loadu2_m128(s + 7 &* ld, s + 3 &* ld)
            let r4 = _mm256_loadu2_m128(s + 4 &* ld + 4, s + 4)
            let r5 = _mm256_loadu2_m128(s + 5 &* ld + 4, s + ld + 4)
            let r6 = _mm256_loadu2_m128(s + 6 &* ld + 4, s + 2 &* ld + 4)
            let r7 = _mm256_loadu2_m128(s + 7 &* ld + 4, s + 3 &* ld + 4)
            let t0 = _mm256_castps_pd(_mm256_unpacklo_ps(r0, r1))
            let t1 = _mm256_castps_pd(_mm256_unpackhi_ps(r0, r1))
            let t2 = _mm256_castps_pd(_mm256_unpacklo_ps(r2, r3))
            let t3 = _mm256_castps_pd(_mm256_unpackhi_ps(r2, r3))
            let t4 = _mm256_castps_pd(_mm256_unpacklo_ps(r4, r5))
            let t5 = _mm256_castps_pd(_mm256_unpackhi_ps(r4, r5))
            let t6 = _mm256_castps_pd(_mm256_unpacklo_ps(r6, r7))
            let t7 = _mm256_castps_pd(_mm256_unpackhi_ps(r6, r7))
            _mm256_storeu_ps(d, _mm256_castpd_ps(_mm256_unpacklo_pd(t0, t2)))
            _mm256_storeu_ps(d + dStride, _mm256_castpd_ps(_mm256_unpackhi_pd(t0, t2)))
            _mm256_storeu_ps(d + 2 &* dStride, _mm256_castpd_ps(_mm256_unpacklo_pd(t1, t3)))
            _mm256_storeu_ps(d + 3 &* dStride, _mm256_castpd_ps(_mm256_unpackhi_pd(t1, t3)))
            _mm256_storeu_ps(d + 4 &* dStride, _mm256_castpd_ps(_mm256_unpacklo_pd(t4, t6)))
            _mm256_storeu_ps(d + 5 &* dStride, _mm256_castpd_ps(_mm256_unpackhi_pd(t4, t6)))
            _mm256_storeu_ps(d + 6 &* dStride, _mm256_castpd_ps(_mm256_unpacklo_pd(t5, t7)))
            _mm256_storeu_ps(d + 7 &* dStride, _mm256_castpd_ps(_mm256_unpackhi_pd(t5, t7)))
        #else
            // Three rounds of unzipping, each moving one bit of the row index into the lane index.
            @inline(__always) func unzip(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>) {
                let both = SIMD16(lowHalf: a, highHalf: b)
                return (both.evenHalf, both.oddHalf)
            }
            let v0 = Vec8.load(s)
            let v1 = Vec8.load(s + ld)
            let v2 = Vec8.load(s + 2 * ld)
            let v3 = Vec8.load(s + 3 * ld)
            let v4 = Vec8.load(s + 4 * ld)
            let v5 = Vec8.load(s + 5 * ld)
            let v6 = Vec8.load(s + 6 * ld)
            let v7 = Vec8.load(s + 7 * ld)
            let (a0, a1) = unzip(v0, v1)
            let (a2, a3) = unzip(v2, v3)
            let (a4, a5) = unzip(v4, v5)
            let (a6, a7) = unzip(v6, v7)
            let (b0, b1) = unzip(a0, a2)
            let (b2, b3) = unzip(a1, a3)
            let (b4, b5) = unzip(a4, a6)
            let (b6, b7) = unzip(a5, a7)
            let (t0, t4) = unzip(b0, b4)
            let (t2, t6) = unzip(b1, b5)
            let (t1, t5) = unzip(b2, b6)
            let (t3, t7) = unzip(b3, b7)
            Vec8.store(t0, d)
            Vec8.store(t1, d + dStride)
            Vec8.store(t2, d + 2 * dStride)
            Vec8.store(t3, d + 3 * dStride)
            Vec8.store(t4, d + 4 * dStride)
            Vec8.store(t5, d + 5 * dStride)
            Vec8.store(t6, d + 6 * dStride)
            Vec8.store(t7, d + 7 * dStride)
        #endif
    }

    /// Eight rows of A as the micro-kernel reads them: element (r, p) at `base + offset(r) + p·step`.
    /// The kernel is specialised for each layout, so that a packed strip's offsets are constants and
    /// one read in place needs a register for its stride only (with the layout a run-time value, the
    /// eight offsets did not fit in registers and were reloaded from the stack at every step of k).
    protocol StripA {
        var base: UnsafePointer<Float> { get }
        var step: Int { get }
        func offset(_ r: Int) -> Int
        /// Asks for A's elements some steps of k ahead of `a` (the strip at the current step).
        func prefetch(_ a: UnsafePointer<Float>)
    }

    /// A packed strip: eight neighbouring floats per step of k.
    struct PackedStrip: StripA {
        let base: UnsafePointer<Float>
        var step: Int { mr }
        @inline(__always) func offset(_ r: Int) -> Int { r }
        @inline(__always) func prefetch(_ a: UnsafePointer<Float>) {}
    }

    /// Eight whole rows of A read in place, `rowStride` apart, their elements `step` apart.
    struct RowsInPlace: StripA {
        let base: UnsafePointer<Float>
        let rowStride: Int, step: Int
        @inline(__always) func offset(_ r: Int) -> Int { r * rowStride }
        @inline(__always) func prefetch(_ a: UnsafePointer<Float>) {}
    }

    /// Eight rows of an A stored transposed (xᵀ in a weight's gradient), read in place: eight
    /// neighbouring floats per step of k, the steps `step` apart. Each step is a new cache line, a
    /// stride the hardware does not prefetch across pages, so the kernel asks for the line
    /// `prefetchSteps` steps ahead (past the end of A too: a prefetch never faults).
    struct ColumnsInPlace: StripA {
        let base: UnsafePointer<Float>
        let step: Int
        @inline(__always) func offset(_ r: Int) -> Int { r }
        @inline(__always) func prefetch(_ a: UnsafePointer<Float>) {
            gb_prefetch(a + prefetchSteps &* step)
        }
    }

    /// How many steps of k ahead `ColumnsInPlace` prefetches: a step is sixteen FMAs (about eight
    /// cycles), a line from the last-level cache takes a few hundred. Chosen by that estimate, not
    /// tuned. 512×2048ᵀ·2048×64 on one core went from 114–116 to 118–136 GFLOP/s with it, and
    /// 512×2048ᵀ·2048×128 on two from 201 to 267.
    static let prefetchSteps = 32

    /// The last strip of A read in place when fewer than eight rows are left: rows past `rows` repeat
    /// the last row (their results are computed and dropped), so nothing is read out of bounds.
    struct ShortStrip: StripA {
        let base: UnsafePointer<Float>
        let rowStride: Int, step: Int, rows: Int
        @inline(__always) func offset(_ r: Int) -> Int { Swift.min(r, rows - 1) * rowStride }
        @inline(__always) func prefetch(_ a: UnsafePointer<Float>) {}
    }

    /// Thirty-two columns of a panel of B as the micro-kernel reads them, at each step of k.
    protocol PanelB {
        func load(_ b: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>)
    }

    /// A full panel, packed or read in place: two whole vectors.
    struct WholePanel: PanelB {
        @inline(__always) func load(_ b: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
            (Vec16.load(b), Vec16.load(b + 16))
        }
    }

    /// The last, narrower panel of a row-major B read in place: the first `columns` floats of each
    /// row (masked loads, nothing past them read), the other lanes zero. Only where masked loads
    /// are single instructions (`MaskedVectors.areNative`).
    struct NarrowPanel: PanelB {
        let first: Int32, second: Int32
        init(columns: Int) {
            first = Int32(Swift.min(columns, 16))
            second = Int32(Swift.max(columns - 16, 0))
        }
        @inline(__always) func load(_ b: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
            (Vec16.loadFirst(b, first), Vec16.loadFirst(b + 16, second))
        }
    }

    /// C[0..<rows, 0..<columns] = α·(A strip)·(B panel) + β·S for one 8×32 tile, where S is C itself
    /// (`source` = `c`, `sourceStride` = `ldc`) or a bias row added to every row (`sourceStride` 0);
    /// the panel's rows are `bStep` apart (32 when packed, B's row stride when read in place).
    static func microKernel<Strip: StripA, Panel: PanelB>(
        k: Int, a strip: Strip, b: UnsafePointer<Float>, panel: Panel, bStep: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, source: UnsafePointer<Float>, sourceStride: Int,
        rows: Int, columns: Int, alpha: Float, beta: Float
    ) {
        let (o0, o1, o2, o3) = (strip.offset(0), strip.offset(1), strip.offset(2), strip.offset(3))
        let (o4, o5, o6, o7) = (strip.offset(4), strip.offset(5), strip.offset(6), strip.offset(7))
        let step = strip.step
        var c00 = SIMD16<Float>()
        var c01 = SIMD16<Float>()
        var c10 = SIMD16<Float>()
        var c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>()
        var c21 = SIMD16<Float>()
        var c30 = SIMD16<Float>()
        var c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>()
        var c41 = SIMD16<Float>()
        var c50 = SIMD16<Float>()
        var c51 = SIMD16<Float>()
        var c60 = SIMD16<Float>()
        var c61 = SIMD16<Float>()
        var c70 = SIMD16<Float>()
        var c71 = SIMD16<Float>()
        var a = strip.base
        var b = b
        for _ in 0..<k {
            strip.prefetch(a)
            let (b0, b1) = panel.load(b)
            var ai = SIMD16<Float>(repeating: a[o0])
            c00 = c00.addingProduct(ai, b0)
            c01 = c01.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o1])
            c10 = c10.addingProduct(ai, b0)
            c11 = c11.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o2])
            c20 = c20.addingProduct(ai, b0)
            c21 = c21.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o3])
            c30 = c30.addingProduct(ai, b0)
            c31 = c31.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o4])
            c40 = c40.addingProduct(ai, b0)
            c41 = c41.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o5])
            c50 = c50.addingProduct(ai, b0)
            c51 = c51.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o6])
            c60 = c60.addingProduct(ai, b0)
            c61 = c61.addingProduct(ai, b1)
            ai = SIMD16<Float>(repeating: a[o7])
            c70 = c70.addingProduct(ai, b0)
            c71 = c71.addingProduct(ai, b1)
            a += step
            b += bStep
        }
        let (s, ss) = (source, sourceStride)
        if rows == mr, columns == nr {
            update(c, c00, c01, from: s, alpha, beta)
            update(c + ldc, c10, c11, from: s + ss, alpha, beta)
            update(c + 2 * ldc, c20, c21, from: s + 2 * ss, alpha, beta)
            update(c + 3 * ldc, c30, c31, from: s + 3 * ss, alpha, beta)
            update(c + 4 * ldc, c40, c41, from: s + 4 * ss, alpha, beta)
            update(c + 5 * ldc, c50, c51, from: s + 5 * ss, alpha, beta)
            update(c + 6 * ldc, c60, c61, from: s + 6 * ss, alpha, beta)
            update(c + 7 * ldc, c70, c71, from: s + 7 * ss, alpha, beta)
            return
        }
        if MaskedVectors.areNative {
            // An edge tile, written from the registers with masked stores: the first `rows` rows,
            // the first `columns` columns of each.
            @inline(__always) func row(_ r: Int, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>) {
                guard r < rows else { return }
                update(c + r * ldc, v0, v1, columns: columns, from: s + r * ss, alpha, beta)
            }
            row(0, c00, c01)
            row(1, c10, c11)
            row(2, c20, c21)
            row(3, c30, c31)
            row(4, c40, c41)
            row(5, c50, c51)
            row(6, c60, c61)
            row(7, c70, c71)
            return
        }
        // An edge tile: spill the accumulators, (8, 32) on the stack, and write the part inside C.
        let tile = (c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71)
        withUnsafeBytes(of: tile) { tile in
            let t = tile.assumingMemoryBound(to: Float.self).baseAddress!
            for r in 0..<rows {
                let (out, old) = (c + r * ldc, s + r * ss)
                let row = t + r * nr
                var j = 0
                while j + 8 <= columns {
                    update(out + j, Vec8.load(row + j), from: old + j, alpha, beta)
                    j += 8
                }
                while j < columns {
                    out[j] = beta == 0 ? alpha * row[j] : alpha * row[j] + beta * old[j]
                    j += 1
                }
            }
        }
    }

    /// Eight floats of C at `out` ← α·v + β·S, S the eight at `old` (C itself, or a bias).
    @inline(__always)
    static func update(
        _ out: UnsafeMutablePointer<Float>, _ v: SIMD8<Float>, from old: UnsafePointer<Float>, _ alpha: Float,
        _ beta: Float
    ) {
        Vec8.store(beta == 0 ? alpha * v : (alpha * v).addingProduct(beta, Vec8.load(old)), out)
    }

    /// Sixteen floats of C at `out` ← α·v + β·S. With α = 1 (every product but attention's scaled
    /// scores) the multiply is skipped: 1·v is v, and v + 1·S rounds once either way.
    @inline(__always)
    static func update(
        _ out: UnsafeMutablePointer<Float>, _ v: SIMD16<Float>, from old: UnsafePointer<Float>, _ alpha: Float,
        _ beta: Float
    ) {
        if alpha == 1 {
            Vec16.store(beta == 0 ? v : (beta == 1 ? v + Vec16.load(old) : v.addingProduct(beta, Vec16.load(old))), out)
        } else {
            Vec16.store(beta == 0 ? alpha * v : (alpha * v).addingProduct(beta, Vec16.load(old)), out)
        }
    }

    /// The first `count` floats of C at `out` ← α·v + β·S, with masked loads and stores.
    @inline(__always)
    static func update(
        _ out: UnsafeMutablePointer<Float>, _ v: SIMD16<Float>, count: Int32, from source: UnsafePointer<Float>,
        _ alpha: Float, _ beta: Float
    ) {
        let old = beta == 0 ? SIMD16<Float>() : Vec16.loadFirst(source, count)
        let new: SIMD16<Float>
        if alpha == 1 {
            new = beta == 0 ? v : (beta == 1 ? v + old : v.addingProduct(beta, old))
        } else {
            new = beta == 0 ? alpha * v : (alpha * v).addingProduct(beta, old)
        }
        Vec16.storeFirst(new, out, count)
    }

    /// The first `columns` floats of a row of a tile: C at `row` ← α·(v0, v1) + β·S.
    @inline(__always)
    static func update(
        _ row: UnsafeMutablePointer<Float>, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>, columns: Int,
        from old: UnsafePointer<Float>, _ alpha: Float, _ beta: Float
    ) {
        if columns >= 16 {
            update(row, v0, from: old, alpha, beta)
            update(row + 16, v1, count: Int32(columns - 16), from: old + 16, alpha, beta)
        } else {
            update(row, v0, count: Int32(columns), from: old, alpha, beta)
        }
    }

    /// One full row of a tile: 32 floats of C at `row` ← α·(v0, v1) + β·S.
    @inline(__always)
    static func update(
        _ row: UnsafeMutablePointer<Float>, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>, from old: UnsafePointer<Float>,
        _ alpha: Float, _ beta: Float
    ) {
        update(row, v0, from: old, alpha, beta)
        update(row + 16, v1, from: old + 16, alpha, beta)
    }
}

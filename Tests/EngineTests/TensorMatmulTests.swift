import Foundation
import Testing

// GEMM against a plain triple loop in Double (edge tiles, several K blocks, transposes, α, β, two
// threads), and batched `matmul` against broadcast-multiply-and-sum, forward and backward.
//
// Tolerance: |gemm - exact| ≤ 1e-5 · Σₚ|aᵢₚ·bₚⱼ| + 1e-6 (the error bound of a float32 dot product).
@testable import Engine

struct GemmCase: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int, k: Int
    var transA = false, transB = false
    var alpha: Float = 1, beta: Float = 0
    var threads = 1
    /// Whether a bias row is added to every row of C (β unused).
    var bias = false
    var testDescription: String {
        "(\(m)×\(k))·(\(k)×\(n)) transA \(transA) transB \(transB) α \(alpha) β \(beta) threads \(threads)"
            + (bias ? " bias" : "")
    }
}

let gemmCases: [GemmCase] = [
    GemmCase(m: 1, n: 1, k: 1),
    GemmCase(m: 6, n: 16, k: 8),
    GemmCase(m: 7, n: 5, k: 3, beta: 1),
    GemmCase(m: 32, n: 27, k: 200, transB: true),
    GemmCase(m: 13, n: 37, k: 300, transA: true, alpha: 0.5, beta: 0.25),
    GemmCase(m: 150, n: 20, k: 10, transA: true, transB: true, beta: 1),
    GemmCase(m: 33, n: 70, k: 65, alpha: -2),
    GemmCase(m: 128, n: 128, k: 130, threads: 2),
    GemmCase(m: 400, n: 20, k: 260, transA: true, beta: 1, threads: 2),
    // Two threads where the halves do not divide evenly: the last row / column must not be left out.
    GemmCase(m: 2401, n: 27, k: 200, threads: 2),  // rows split 1200 + 1201 (an 8,192-row eval's last chunk)
    GemmCase(m: 90, n: 97, k: 200, threads: 2),  // columns split 64 + 33 (fewer rows than columns)
    // As many rows as columns or more: the rows are split, even with a wide C (gpt's dW of its
    // feed-forward, transposed A).
    GemmCase(m: 203, n: 130, k: 70, transA: true, beta: 1, threads: 2),
    GemmCase(m: 5, n: 3, k: 0, beta: 0.5),
    // A bias row added to every row, as a linear layer's output: full and edge tiles, a narrow
    // panel read in place, two K blocks (the bias added once), both splits on two threads, k = 0.
    GemmCase(m: 37, n: 70, k: 30, bias: true),
    GemmCase(m: 20, n: 27, k: 300, bias: true),
    GemmCase(m: 203, n: 130, k: 40, threads: 2, bias: true),
    GemmCase(m: 60, n: 200, k: 33, threads: 2, bias: true),
    GemmCase(m: 4, n: 5, k: 0, bias: true),
    GemmCase(m: 150, n: 270, k: 20, transA: true, beta: 1),  // packed A, two MC blocks
    GemmCase(m: 7, n: 300, k: 260, transA: true, transB: true, alpha: 2),  // packed A, two KC blocks
    // Bᵀ stored in panels narrower than 32 columns, packed by 8×8 transposes and zero-padded: one
    // head of attention's q·kᵀ (16 positions), and a last panel of 12 columns with k not a multiple of 8.
    GemmCase(m: 16, n: 16, k: 16, transB: true),
    GemmCase(m: 9, n: 44, k: 13, transB: true, beta: 1),
    // A row-major B whose last panel is 16 or 20 columns wide (attention's P·V with heads of 16).
    GemmCase(m: 16, n: 16, k: 16, beta: 1),
    GemmCase(m: 11, n: 52, k: 9),
    // Up to 32 rows a row-major B is read in place, all but a narrow last panel: the MLP's first
    // layer, and several full panels with a K block boundary, α and β.
    GemmCase(m: 32, n: 200, k: 30),
    GemmCase(m: 20, n: 96, k: 300, alpha: 0.5, beta: 0.25),
    // Bᵀ packed in 8×8 blocks where neither side is a multiple of 8 (a last block overlaps the one
    // before it), or one side is under 8 (element by element): the MLP's dX = dY·Wᵀ for both layers.
    GemmCase(m: 32, n: 30, k: 200, transB: true, beta: 1),
    GemmCase(m: 32, n: 200, k: 27, transB: true),
    GemmCase(m: 12, n: 5, k: 41, transB: true),
    GemmCase(m: 12, n: 43, k: 5, transB: true),
    // A row-major B packed, its last panel 27 or 17 columns wide (copied as two overlapping halves)
    // or 9 (element by element); and a short last strip of A read in place (the MLP's dW = Xᵀ·dY).
    GemmCase(m: 64, n: 27, k: 30),
    GemmCase(m: 40, n: 49, k: 9, beta: 1),
    GemmCase(m: 41, n: 9, k: 12),
    GemmCase(m: 30, n: 200, k: 32, transA: true, beta: 1),
    // Up to 32 rows, a narrow last panel of a row-major B is read in place with masked loads (on
    // AVX-512) and edge tiles are written with masked stores: the MLP's second layer (27 columns),
    // panels of 8, 16 and 17 columns, one column; α and β that are neither 0 nor 1.
    GemmCase(m: 32, n: 27, k: 200),
    GemmCase(m: 5, n: 40, k: 7, alpha: 0.5, beta: 0.25),
    GemmCase(m: 17, n: 49, k: 33, beta: 1),
    GemmCase(m: 8, n: 16, k: 3),
    GemmCase(m: 3, n: 1, k: 5, alpha: -1, beta: 1),
    GemmCase(m: 200, n: 27, k: 32, transA: true, beta: 1)
]

/// The same inputs as a double-precision product, for the bound.
private func pseudoRandomMatrix(_ count: Int, seed: UInt32) -> [Float] {
    var s = seed
    return (0..<count).map { _ in
        s = s &* 1_664_525 &+ 1_013_904_223
        return Float(s >> 9) / Float(1 << 22) - 1
    }
}

/// Floats that end where an unreadable page begins.
private struct GuardedFloats {
    let pointer: UnsafeMutablePointer<Float>
    private let mapping: UnsafeMutableRawPointer
    private let length: Int

    init(_ values: [Float]) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = values.count * MemoryLayout<Float>.stride
        let dataPages = (bytes + page - 1) / page
        length = (dataPages + 1) * page
        mapping = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        precondition(mapping != MAP_FAILED, "mmap failed")
        mprotect(mapping + dataPages * page, page, PROT_NONE)
        pointer = (mapping + dataPages * page - bytes).bindMemory(to: Float.self, capacity: max(values.count, 1))
        pointer.initialize(from: values, count: values.count)
    }

    func release() { munmap(mapping, length) }
}

@Suite("GEMM and matmul")
struct TensorMatmulTests {
    /// Each case with B ending where a page that cannot be read begins, and C's rows `ldc = n + 3`
    /// apart with sentinels in the gaps and after the last row: a read past B's last element stops
    /// the test, and a write outside C's elements changes a sentinel.
    @Test("sgemm equals the triple loop", arguments: gemmCases)
    func sgemm(_ g: GemmCase) {
        let a = pseudoRandomMatrix(g.m * g.k, seed: 1)
        let b = GuardedFloats(pseudoRandomMatrix(g.k * g.n, seed: 2))
        defer { b.release() }
        let ldc = g.n + 3
        let sentinel: Float = 12345
        var c = [Float](repeating: sentinel, count: g.m * ldc + 16)
        let c0 = pseudoRandomMatrix(g.m * g.n, seed: 3)
        for i in 0..<g.m {
            for j in 0..<g.n { c[i * ldc + j] = g.beta == 0 ? .nan : c0[i * g.n + j] }  // β = 0 ignores C, even NaN
        }
        let (lda, ldb) = (g.transA ? g.m : g.k, g.transB ? g.k : g.n)
        let biasValues = pseudoRandomMatrix(g.n, seed: 9)
        c.withUnsafeMutableBufferPointer { cp in
            biasValues.withUnsafeBufferPointer { bias in
                Gemm.sgemm(
                    transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                    a: a, lda: lda, b: b.pointer, ldb: ldb, beta: g.beta, c: cp.baseAddress!, ldc: ldc,
                    bias: g.bias ? bias.baseAddress : nil,
                    threads: g.threads, parallelFlops: 0)  // two threads whenever the case asks for them, however small
            }
        }
        var worst = 0.0
        for i in 0..<g.m {
            for j in 0..<g.n {
                var exact = 0.0
                var bound = 0.0
                for p in 0..<g.k {
                    let x = Double(g.transA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(g.transB ? b.pointer[j * ldb + p] : b.pointer[p * ldb + j])
                    exact += x * y
                    bound += abs(x * y)
                }
                let added =
                    g.bias ? Double(biasValues[j]) : (g.beta == 0 ? 0 : Double(g.beta) * Double(c0[i * g.n + j]))
                exact = Double(g.alpha) * exact + added
                let error = abs(Double(c[i * ldc + j]) - exact) - (1e-5 * abs(Double(g.alpha)) * bound + 1e-6)
                worst = max(worst, error.isNaN ? .infinity : error)
            }
        }
        #expect(worst <= 0, "worst excess error \(worst)")
        let outside = c.indices.filter { $0 >= g.m * ldc || $0 % ldc >= g.n }
        #expect(outside.allSatisfy { c[$0] == sentinel }, "a write outside C's elements")
    }

    /// A bias added by the kernel gives the bits of C filled with the bias rows and then accumulated
    /// into with β = 1, which is how linear layers computed their output before (and the lessons'
    /// recorded numbers with them).
    @Test("a bias row gives the bits of filling C with it and accumulating", arguments: gemmCases.filter(\.bias))
    func biasEqualsFillAndAccumulate(_ g: GemmCase) {
        let a = pseudoRandomMatrix(g.m * g.k, seed: 4)
        let b = pseudoRandomMatrix(g.k * g.n, seed: 5)
        let bias = pseudoRandomMatrix(g.n, seed: 9)
        let (lda, ldb) = (g.transA ? g.m : g.k, g.transB ? g.k : g.n)
        func product(withBias: Bool) -> [Float] {
            var c = withBias ? [Float](repeating: .nan, count: g.m * g.n) : (0..<g.m).flatMap { _ in bias }
            c.withUnsafeMutableBufferPointer { cp in
                bias.withUnsafeBufferPointer { bp in
                    Gemm.sgemm(
                        transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                        a: a, lda: lda, b: b, ldb: ldb, beta: withBias ? 0 : 1, c: cp.baseAddress!, ldc: g.n,
                        bias: withBias ? bp.baseAddress : nil, threads: g.threads, parallelFlops: 0)
                }
            }
            return c
        }
        let same = product(withBias: true).map(\.bitPattern) == product(withBias: false).map(\.bitPattern)
        #expect(same)
    }

    /// Two threads split C between them but compute each element as one thread does (one FMA chain
    /// over k, in order), so a seeded run prints the same numbers on a machine of any core count.
    @Test(
        arguments: gemmCases.filter { $0.k > 0 } + [GemmCase(m: 2048, n: 384, k: 128), GemmCase(m: 64, n: 1030, k: 70)])
    func twoThreadsGiveTheSameBitsAsOne(_ g: GemmCase) {
        let a = pseudoRandomMatrix(g.m * g.k, seed: 4)
        let b = pseudoRandomMatrix(g.k * g.n, seed: 5)
        let (lda, ldb) = (g.transA ? g.m : g.k, g.transB ? g.k : g.n)
        func product(threads: Int) -> [Float] {
            var c = pseudoRandomMatrix(g.m * g.n, seed: 6)
            c.withUnsafeMutableBufferPointer { cp in
                Gemm.sgemm(
                    transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                    a: a, lda: lda, b: b, ldb: ldb, beta: g.beta, c: cp.baseAddress!, ldc: g.n, threads: threads,
                    parallelFlops: 0)
            }
            return c
        }
        let one = product(threads: 1)
        #expect(product(threads: 2).map(\.bitPattern) == one.map(\.bitPattern))
    }

    /// (left shape, right shape, transpose the left operand's last two dims first).
    static let batchedCases: [([Int], [Int], Bool)] = [
        ([3, 4], [4, 5], false),
        ([2, 3, 4], [4, 5], false),  // (B, T, C) @ (C, D): one GEMM
        ([2, 4, 3], [4, 5], true),  // a strided left operand: one GEMM per batch
        ([2, 2, 3, 4], [2, 2, 4, 3], false),  // (B, nh, T, hs) @ (B, nh, hs, T)
        ([2, 1, 3, 4], [5, 4, 2], false),  // broadcast batch dims on both sides
        ([3, 4], [2, 4, 5], false)  // a shared left operand
    ]

    @Test("batched matmul equals broadcast multiply and sum, with gradients", arguments: batchedCases)
    func batchedMatmul(_ shapes: ([Int], [Int], Bool)) throws {
        let g = TorchGenerator(seed: 5)
        let a = try Tensor.randn(shapes.0, generator: g).requiringGrad()
        let b = try Tensor.randn(shapes.1, generator: g).requiringGrad()
        let left = shapes.2 ? try a.transpose(-1, -2) : a
        let ours = try left.matmul(b)  // (…, M, N)
        let upstream = try Tensor.randn(ours.shape, generator: g)
        try ours.backward(gradient: upstream)
        let (da, db) = (try #require(a.grad).scalars, try #require(b.grad).scalars)
        a.zeroGrad()
        b.zeroGrad()
        let slow = try (left.unsqueeze(-1) * b.unsqueeze(-3)).sum(dim: -2)  // (…, M, N)
        try slow.backward(gradient: upstream)
        #expect(ours.shape == slow.shape)
        for (x, y) in Array(zip(ours.scalars, slow.scalars)) + zip(da, a.grad!.scalars) + zip(db, b.grad!.scalars) {
            #expect(abs(x - y) <= 1e-5 * max(1, abs(y)))
        }
    }

    @Test("1-D operands are promoted and dropped, as torch.matmul")
    func vectors() throws {
        let m = try Tensor(rows: [[1, 2], [3, 4], [5, 6]])  // (3, 2)
        #expect(try m.matmul(Tensor([1, 1])).scalars == [3, 7, 11])
        #expect(try Tensor([1, 0, 1]).matmul(m).scalars == [6, 8])
        #expect(try Tensor([1, 2]).matmul(Tensor([3, 4])).shape == [])
    }
}

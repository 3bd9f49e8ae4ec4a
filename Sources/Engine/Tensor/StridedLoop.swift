// Walking a shape in row-major order over up to four operands at once, each with its own element
// strides (0 along a broadcast dim). Broadcasting ops, strided copies and gradient reductions use it.

/// A row-major walk over `shape` for up to four operands, as runs of contiguous inner iterations.
///
/// Size-1 dims are dropped and neighbouring dims merged where every operand allows it, so
/// `(32, 200) + (200,)` walks 32 runs of 200 and `(4, 5) + (4, 5)` walks one run of 20.
struct StridedLoop {
    /// The merged sizes, outermost first.
    private var sizes: [Int] = []
    /// The merged strides; lane `k` belongs to operand `k`.
    private var steps: [SIMD4<Int>] = []
    /// Whether some size is 0, so there is nothing to walk.
    private var isEmpty = false

    /// `strides[k]` are operand `k`'s element strides over `shape` (at most four operands).
    init(shape: [Int], strides: [[Int]]) {
        precondition(strides.count <= 4 && strides.allSatisfy { $0.count == shape.count })
        isEmpty = shape.contains(0)
        for i in 0..<shape.count where shape[i] != 1 {
            var step = SIMD4<Int>()
            for k in strides.indices { step[k] = strides[k][i] }
            if let outer = steps.last, outer == step &* shape[i] {
                sizes[sizes.count - 1] *= shape[i]
                steps[steps.count - 1] = step
            } else {
                sizes.append(shape[i])
                steps.append(step)
            }
        }
    }

    /// Calls `body(offsets, n, innerStrides)` once per run: operand `k`'s elements in this run are
    /// at `offsets[k] + j * innerStrides[k]` for `j` in `0..<n`.
    @inline(__always)
    func forEachRun(_ body: (_ offsets: SIMD4<Int>, _ n: Int, _ strides: SIMD4<Int>) -> Void) {
        if isEmpty { return }
        guard let n = sizes.last, let inner = steps.last else {
            body(SIMD4<Int>(), 1, SIMD4<Int>())  // a single element
            return
        }
        let outerRank = sizes.count - 1
        if outerRank == 0 {
            body(SIMD4<Int>(), n, inner)
            return
        }
        var index = [Int](repeating: 0, count: outerRank)
        var offsets = SIMD4<Int>()
        while true {
            body(offsets, n, inner)
            var d = outerRank - 1
            while d >= 0 {
                index[d] += 1
                offsets &+= steps[d]
                if index[d] < sizes[d] { break }
                offsets &-= steps[d] &* sizes[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// Operand strides of a tensor of `shape` with `strides`, broadcast to `outShape`: 0 along the dims
    /// it is repeated over, including the leading dims it lacks.
    static func broadcastStrides(_ shape: [Int], _ strides: [Int], to outShape: [Int]) -> [Int] {
        var out = [Int](repeating: 0, count: outShape.count)
        let lead = outShape.count - shape.count
        for i in 0..<shape.count where shape[i] != 1 || outShape[lead + i] == 1 {
            out[lead + i] = strides[i]
        }
        return out
    }
}

// Sums, means and the cross-entropy over many rows agree with an exact (double) sum of the same
// float32 values, as PyTorch's reductions do: a running float32 sum over the 182,625 rows of a full
// batch drifted by 5e-4 in the loss. (Sums and means accumulate in double; the cross-entropy sums its
// rows with nll_loss's own cascade of float partial sums.)
import Foundation
import Testing

@testable import Engine

@Suite("Reduction accuracy")
struct ReductionAccuracyTests {
    /// The double sum of `values`, rounded once to float32: what an accurate reduction gives.
    static func exactSum(_ values: [Float]) -> Double { values.reduce(0.0) { $0 + Double($1) } }

    @Test(arguments: [1_000, 182_625, 1_000_000])
    func sumAndMeanOfManyValues(count: Int) throws {
        let x = try Tensor.rand([count], generator: TorchGenerator(seed: 7))  // (count,)
        let values = x.scalars
        let exact = Self.exactSum(values)
        #expect(try x.sum().item() == Float(exact))
        #expect(try x.mean().item() == Float(exact / Double(count)))
        // Along a dimension too: 7 columns of `count` rows each, summed down the rows.
        let rows = count / 7
        let m = try Tensor(shape: [rows, 7], values: Array(values.prefix(rows * 7)))  // (rows, 7)
        let columns = try m.sum(dims: [0]).scalars  // (7,)
        for c in 0..<7 {
            let column = (0..<rows).map { values[$0 * 7 + c] }
            #expect(columns[c] == Float(Self.exactSum(column)))
        }
    }

    /// A constant loss of 2.2345 on every row averages to 2.2345, however many rows there are.
    @Test func aConstantMeanStaysConstant() throws {
        let x = try Tensor.full([182_625], value: 2.2345)  // (N,)
        #expect(try x.mean().item() == 2.2345)
    }

    /// Full-batch cross-entropy equals the per-row losses summed exactly, to float32 rounding.
    @Test func crossEntropyOverAFullBatch() throws {
        let (N, V) = (182_625, 27)
        let g = TorchGenerator(seed: 3)
        let logits = try Tensor.randn([N, V], generator: g)  // (N, V)
        let targets = try IndexTensor((0..<N).map { Int32(($0 * 7 + 3) % V) }, shape: [N])  // (N,)
        let loss = try logits.crossEntropy(targets: targets).item()
        let x = logits.scalars
        var total = 0.0
        for r in 0..<N {
            let row = x[(r * V)..<(r * V + V)].map(Double.init)
            let top = row.max()!
            let lse = top + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp($1 - top) })
            total += lse - row[Int(targets.values[r])]
        }
        let exact = total / Double(N)
        #expect(abs(Double(loss) - exact) / exact < 1e-6, "\(loss) vs \(exact)")
    }
}

@Suite("nll_loss's cascade sum")
struct CascadeSumTests {
    /// PyTorch's carry pattern for a batch of 32 (levels of 16 rows): row 0 alone on the top level,
    /// rows 1–16 on the next, rows 17–31 at the bottom, added bottom first.
    @Test func aBatchOf32IsSummedInPyTorchsOrder() {
        let values: [Float] = (0..<32).map { Float($0) * 0.1 + 1.0 / 3.0 }
        let expected = (values[17...].reduce(0, +) + values[1...16].reduce(0, +)) + values[0]
        let (sum, counted) = Tensor.cascadeSum(32, skip: { _ in false }, { values[$0] })
        #expect(sum == 0 + expected && counted == 32)
        let (skipped, n) = Tensor.cascadeSum(32, skip: { $0 % 2 == 1 }, { values[$0] })
        #expect(
            n == 16
                && abs(
                    Double(skipped)
                        - values.enumerated().filter { $0.offset % 2 == 0 }.reduce(0.0) { $0 + Double($1.element) })
                    < 1e-4
        )
    }
}

// The lectures' own batch norms against PyTorch (torch-lecture-norms.json): part 3's cell divides by
// the unbiased std with no eps, part 5's BatchNorm1d by √(unbiased var + eps) over (B, T); both are
// the fused batch-norm op with the matching statistics, forward and backward.
import TestSupport
import Testing

@testable import Engine

let lectureNormBuilders: [String: @Sendable ([String: Tensor]) throws -> Tensor] = [
    "var_dim0_unbiased": { t in try t["x"]!.variance(dim: 0, unbiased: true, keepdim: true) },
    "var_dim0_biased": { t in try t["x"]!.variance(dim: 0, unbiased: false, keepdim: true) },
    "batchnorm_lecture3_std": { t in
        try t["x"]!.batchNorm(
            gain: t["g"]!, bias: t["b"]!, runningMean: nil, runningVar: nil, training: true, statistics: .lecture3)
    },
    "batchnorm_lecture5_var": { t in
        try t["x"]!.batchNorm(
            gain: t["g"]!, bias: t["b"]!, runningMean: nil, runningVar: nil, training: true, statistics: .lecture5)
    }
]

@Suite("The lectures' batch norms against PyTorch (torch-lecture-norms.json)")
struct LectureNormTests {
    static let file = try? Reference.load(TorchOpsFile.self, from: "torch-lecture-norms.json")

    @Test("forward and backward match PyTorch", arguments: lectureNormBuilders.keys.sorted())
    func matchesPyTorch(_ name: String) throws {
        let reference = try #require(Self.file?.cases.first { $0.name == name }, "no case \(name) in the file")
        let inputs = reference.inputs.mapValues { $0.tensor.requiringGrad() }
        let output = try lectureNormBuilders[name]!(inputs)
        expectMatchesTorch(output, reference.output, "\(name) output")
        try output.backward(gradient: reference.upstream.tensor)
        for (input, grad) in reference.grads.sorted(by: { $0.key < $1.key }) {
            expectMatchesTorch(inputs[input]?.grad, grad, "\(name) d\(input)")
        }
    }

    @Test func everyCaseIsCovered() throws {
        let cases = try #require(Self.file?.cases)
        #expect(cases.count == 4 && cases.allSatisfy { lectureNormBuilders[$0.name] != nil })
    }

    /// Part 3 keeps a running std (`0.999 * bnstd_running + 0.001 * bnstdi`) and divides by it in
    /// evaluation; part 5 keeps the unbiased variance at momentum 0.1 and adds eps.
    @Test func runningStatisticsFollowEachLecture() throws {
        let x = try Tensor(shape: [4, 1], values: [1, 2, 3, 6])  // (4, 1): mean 3, unbiased var 14/3
        let std = Float((14.0 / 3.0).squareRoot())
        let (mean3, std3) = (Tensor(repeating: 0, shape: [1]), Tensor(repeating: 1, shape: [1]))
        _ = try x.batchNorm(
            gain: nil, bias: nil, runningMean: mean3, runningVar: std3, training: true, momentum: 0.001,
            statistics: .lecture3)
        #expect(mean3.scalars == [0.999 * 0 + 0.001 * 3] && std3.scalars == [0.999 * 1 + 0.001 * std])
        let evaluated = try x.batchNorm(
            gain: nil, bias: nil, runningMean: mean3, runningVar: std3, training: false, statistics: .lecture3)
        #expect(evaluated.scalars[3] == (6 - mean3.scalars[0]) / std3.scalars[0])

        let (mean5, var5) = (Tensor(repeating: 0, shape: [1]), Tensor(repeating: 1, shape: [1]))
        _ = try x.batchNorm(
            gain: nil, bias: nil, runningMean: mean5, runningVar: var5, training: true, momentum: 0.1,
            statistics: .lecture5)
        #expect(abs(var5.scalars[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6)
    }
}

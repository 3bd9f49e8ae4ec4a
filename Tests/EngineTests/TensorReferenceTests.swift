// The tensor ops against PyTorch: each case of Tests/Fixtures/torch-ops.json is rebuilt from our
// ops (composites exactly as its `expr` says), run forward in float32, then backward with the case's
// upstream gradient; output and every input gradient must match PyTorch's float64 numbers.
//
// Tolerance: |ours - torch| ≤ max(1e-5 · |torch|, 1e-6 · max(1, largest |value| of that array)).
import Engine
import TestSupport
import Testing

/// One array of the reference file: a shape and row-major values.
struct TorchOpsArray: Decodable {
    let shape: [Int]
    let data: [Double]
    var tensor: Tensor { try! Tensor(shape: shape, values: data.map(Float.init)) }
}

struct TorchOpsIndices: Decodable {
    let shape: [Int]
    let data: [Int]
    var indices: IndexTensor { try! IndexTensor(data.map { Int32($0) }, shape: shape) }
}

struct TorchOpsCase: Decodable {
    let name: String
    let expr: String
    let inputs: [String: TorchOpsArray]
    let int_inputs: [String: TorchOpsIndices]
    let output: TorchOpsArray
    let upstream: TorchOpsArray
    let grads: [String: TorchOpsArray]
}

struct TorchOpsFile: Decodable {
    let cases: [TorchOpsCase]
}

/// `ours` equals `torch` (same shape, every value within the file's stated tolerance).
func expectMatchesTorch(
    _ ours: Tensor?, _ torch: TorchOpsArray, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let ours else {
        Issue.record("\(what): no tensor", sourceLocation: sourceLocation)
        return
    }
    #expect(ours.shape == torch.shape, "\(what): shape", sourceLocation: sourceLocation)
    let floor = 1e-6 * max(1, torch.data.map(abs).max() ?? 0)
    let values = ours.scalars
    guard values.count == torch.data.count else { return }
    let bad = zip(values, torch.data).enumerated().filter {
        !Reference.close(Double($0.element.0), $0.element.1, relative: 1e-5, absolute: floor)
    }
    #expect(
        bad.isEmpty,
        "\(what): \(bad.count) of \(values.count) differ, first at \(bad.first.map { "\($0.offset): \($0.element.0) vs \($0.element.1)" } ?? "")",
        sourceLocation: sourceLocation)
}

/// How each reference case is built from our ops. Keys are case names; a `/variant` suffix builds
/// the same case another way (the fused op against the composite reference, or the reverse).
let torchOpsBuilders: [String: @Sendable ([String: Tensor], [String: IndexTensor]) throws -> Tensor] = [
    "matmul": { x, _ in try x["a"]!.matmul(x["b"]!) },
    "batched_matmul": { x, _ in try x["a"]!.matmul(x["b"]!) },
    "add_broadcast_row": { x, _ in try x["a"]!.add(x["b"]!) },
    "mul_broadcast_col": { x, _ in try x["a"]!.mul(x["b"]!) },
    "div": { x, _ in try x["a"]!.div(x["b"]!) },
    "pow3": { x, _ in x["a"]!.pow(3) },
    "tanh": { x, _ in x["a"]!.tanh() },
    "exp": { x, _ in x["a"]!.exp() },
    "log": { x, _ in x["a"]!.log() },
    "relu": { x, _ in x["a"]!.relu() },
    "sigmoid": { x, _ in x["a"]!.sigmoid() },
    "gelu_tanh": { x, _ in x["a"]!.gelu() },
    "sum_dim0_keepdim": { x, _ in try x["a"]!.sum(dim: 0, keepdim: true) },
    "mean_dim1": { x, _ in try x["a"]!.mean(dim: 1) },
    "var_dim0_unbiased": { x, _ in try x["a"]!.variance(dim: 0, keepdim: true) },
    "std_dim0_unbiased": { x, _ in try x["a"]!.std(dim: 0, keepdim: true) },
    "max_dim1": { x, _ in try x["a"]!.max(dim: 1, keepdim: true) },
    "softmax_last": { x, _ in try x["a"]!.softmax(dim: -1) },
    "log_softmax_last": { x, _ in try x["a"]!.logSoftmax(dim: -1) },
    "cross_entropy": { x, i in try x["logits"]!.crossEntropy(targets: i["y"]!) },
    "cross_entropy_ignore": { x, i in try x["logits"]!.crossEntropy(targets: i["y"]!, ignoreIndex: -1) },
    "embedding": { x, i in try x["C"]![i["ix"]!] },
    "view_concat": { x, _ in try x["C"]!.view(2, 6) },
    "cat_last": { x, _ in try Tensor.cat([x["a"]!, x["b"]!], dim: -1) },
    "transpose_12": { x, _ in try x["a"]!.transpose(1, 2) },
    // g*(x-x.mean(0,keepdim))/sqrt(x.var(0,keepdim,unbiased=False)+1e-5)+b
    "batchnorm_lecture": { t, _ in
        let (x, g, b) = (t["x"]!, t["g"]!, t["b"]!)
        let centered = x - (try x.mean(dim: 0, keepdim: true))  // (8, 4)
        let variance = try x.variance(dim: 0, unbiased: false, keepdim: true)  // (1, 4)
        return g * centered / (variance + 1e-5).sqrt() + b  // (8, 4)
    },
    "batchnorm_lecture/fused": { t, _ in
        try t["x"]!.batchNorm(gain: t["g"]!, bias: t["b"]!, runningMean: nil, runningVar: nil, training: true)
    },
    // F.layer_norm(x, (4,), w, b)
    "layernorm": { t, _ in try t["x"]!.layerNorm(weight: t["w"]!, bias: t["b"]!) },
    "layernorm/composite": { t, _ in
        let x = t["x"]!
        let centered = x - (try x.mean(dim: -1, keepdim: true))  // (3, 4)
        let variance = try x.variance(dim: -1, unbiased: false, keepdim: true)  // (3, 1)
        return centered / (variance + 1e-5).sqrt() * t["w"]! + t["b"]!  // (3, 4)
    },
    // softmax(mask(q@k^T/sqrt(d)))@v, (B=2,T=4,d=3)
    "causal_attention": { t, _ in
        let (q, k, v) = (t["q"]!, t["k"]!, t["v"]!)
        let scores = (q ⊗ k.transposed()) / Float(3).squareRoot()  // (2, 4, 4)
        let causal = try Tensor.ones([4, 4]).tril().eq(0)  // (4, 4)
        return try scores.maskedFill(causal, value: -.infinity).softmax(dim: -1) ⊗ v  // (2, 4, 3)
    },
    // F.linear(x, W, b) = x @ W.T + b
    "linear": { t, _ in t["x"]! ⊗ t["W"]!.transposed() + t["b"]! },
    // makemore's GRUCell with the biases left out; W… are (n_embd + n_embd2, n_embd2)
    "gru_cell_makemore": { t, _ in
        let (x, h) = (t["x"]!, t["h"]!)
        let xh = try Tensor.cat([x, h], dim: 1)  // (3, 6)
        let r = (xh ⊗ t["Wr"]!).sigmoid()  // (3, 4)
        let xhr = try Tensor.cat([x, r * h], dim: 1)  // (3, 6)
        let hbar = (xhr ⊗ t["Wh"]!).tanh()  // (3, 4)
        let z = (xh ⊗ t["Wz"]!).sigmoid()  // (3, 4)
        return (1 - z) * h + z * hbar  // (3, 4)
    }
]

@Suite("Tensor ops against PyTorch (torch-ops.json)")
struct TensorReferenceTests {
    static let file = try? Reference.load(TorchOpsFile.self, from: "torch-ops.json")

    @Test("forward and backward match PyTorch", arguments: torchOpsBuilders.keys.sorted())
    func matchesPyTorch(_ builderName: String) throws {
        let caseName = String(builderName.split(separator: "/")[0])
        let reference = try #require(Self.file?.cases.first { $0.name == caseName }, "no case \(caseName) in the file")
        let inputs = reference.inputs.mapValues { $0.tensor.requiringGrad() }
        let output = try torchOpsBuilders[builderName]!(inputs, reference.int_inputs.mapValues(\.indices))
        expectMatchesTorch(output, reference.output, "\(builderName) output")
        try output.backward(gradient: reference.upstream.tensor)
        for (name, grad) in reference.grads.sorted(by: { $0.key < $1.key }) {
            expectMatchesTorch(inputs[name]?.grad, grad, "\(builderName) d\(name)")
        }
    }

    @Test("every case in the file has a builder")
    func everyCaseIsCovered() throws {
        let cases = try #require(Self.file?.cases)
        #expect(cases.count == 30)
        for c in cases { #expect(torchOpsBuilders[c.name] != nil, "case \(c.name) (\(c.expr)) is not tested") }
    }
}

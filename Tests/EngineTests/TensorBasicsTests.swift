// Making tensors, views that share storage, and the autograd rules: accumulation into leaves,
// fresh gradients for intermediates, no graph in `withoutGrad`, deep graphs without recursion.
import Engine
import Foundation
import TestSupport
import Testing

@Suite("Tensor basics")
struct TensorBasicsTests {
    @Test("factories fill shapes and values")
    func factories() throws {
        #expect(try Tensor.zeros([2, 3]).scalars == [0, 0, 0, 0, 0, 0])
        #expect(try Tensor.ones([2]).scalars == [1, 1])
        #expect(try Tensor.full([1, 2], value: 7).shape == [1, 2])
        #expect(try Tensor.arange(5).scalars == [0, 1, 2, 3, 4])
        #expect(try Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(try Tensor(rows: [[1, 2], [3, 4], [5, 6]]).shape == [3, 2])
        #expect(try Tensor(3).item() == 3)
        #expect(Tensor([1, 2, 3]).shape == [3])
    }

    @Test("randn takes the generator's values in order (torch.randn((27,27), generator=g))")
    func randnMatchesTorch() throws {
        struct File: Decodable {
            struct Case: Decodable {
                let name: String
                let output: Output
            }
            struct Output: Decodable {
                let W: [[Double]]?
                init(from decoder: Decoder) throws {
                    W = try? decoder.container(keyedBy: Key.self).decode([[Double]].self, forKey: .W)
                }
                enum Key: CodingKey { case W }
            }
            let cases: [Case]
        }
        let file = try Reference.load(File.self, from: "torch-rng.json")
        let W = try #require(file.cases.first { $0.name == "randn_27x27_then_rand3" }?.output.W)
        let ours = try Tensor.randn([27, 27], generator: TorchGenerator(seed: 2_147_483_647))
        #expect(ours.shape == [27, 27])
        #expect(ours.scalars == W.flatMap { $0 }.map(Float.init))
    }

    @Test("view and reshape of contiguous data share storage; transpose is a strided view")
    func viewsShareStorage() throws {
        let x = try Tensor.arange(6).view(2, 3)  // (2, 3)
        let flat = try x.view(-1)
        let again = try x.reshape(3, 2)
        x.withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(flat.scalars[0] == 100 && again.scalars[0] == 100)
        let t = try x.transpose(0, 1)  // (3, 2)
        #expect(!t.isContiguous && t.shape == [3, 2])
        #expect(t.scalars == [100, 3, 1, 4, 2, 5])
        let copied = try t.reshape(6)
        x.withUnsafeMutableBufferPointer { $0[1] = -1 }
        #expect(copied.scalars == [100, 3, 1, 4, 2, 5])
        #expect(t.scalars[2] == -1)  // the view still sees the storage
        #expect(try x.slice(1..<3, dim: 1).scalars == [-1, 2, 4, 5])
        #expect(try x.select(-1, dim: 0).scalars == [3, 4, 5])
        #expect(try x.unsqueeze(0).squeeze(0).shape == [2, 3])
        #expect(try x.permute([1, 0]).contiguous().isContiguous)
    }

    @Test("a strided view can be viewed when dims only split or merge evenly (attention heads)")
    func viewOfStridedView() throws {
        let qkv = try Tensor.arange(2 * 3 * 12).view(2, 3, 12)  // (B, T, 3C)
        let k = try qkv.slice(4..<8, dim: 2)  // (B, T, C), strided
        let heads = try k.view(2, 3, 2, 2)  // (B, T, nh, hs)
        #expect(!heads.isContiguous)
        #expect(heads.scalars == (try k.contiguous().view(2, 3, 2, 2)).scalars)
        #expect(throws: ShapeError.self) { try k.view(-1) }  // rows are not evenly spaced
        #expect(try k.reshape(-1).scalars == k.scalars)
        let t = try qkv.transpose(1, 2)  // (B, 3C, T)
        #expect(try t.view(2, 3, 4, 3).scalars == t.scalars)  // splitting a dim is fine
    }

    @Test("slices and selects send gradients back to the positions they show")
    func viewGradients() throws {
        let x = try Tensor.arange(12).view(3, 4).detach().requiringGrad()  // (3, 4)
        let y = try x.slice(1..<3, dim: 1).sum() * 2 + x.select(2, dim: 0).sum()  // ()
        try y.backward()
        #expect(x.grad?.scalars == [0, 2, 2, 0, 0, 2, 2, 0, 1, 3, 3, 1])
    }

    @Test("leaves accumulate over backward calls; intermediates hold the last pass's gradient")
    func accumulation() throws {
        let w = Tensor([1, 2, 3]).requiringGrad()
        let h = w * w  // (3,)
        let loss = h.sum()  // ()
        try loss.backward()
        #expect(w.grad?.scalars == [2, 4, 6])
        try loss.backward()
        #expect(w.grad?.scalars == [4, 8, 12])
        #expect(h.grad?.scalars == [1, 1, 1])
        w.zeroGrad()
        #expect(w.grad?.scalars == [0, 0, 0])
        try (w * 3).sum().backward()
        #expect(w.grad?.scalars == [3, 3, 3])
    }

    @Test("withoutGrad builds no graph")
    func noGrad() throws {
        let w = Tensor([1, 2]).requiringGrad()
        let y = Tensor.withoutGrad { (w * 2).tanh().sum() }
        #expect(!y.requiresGrad)
        #expect(throws: ShapeError.self) { try y.backward() }
        #expect((w * 2).requiresGrad)
        #expect(!(w.detach() * 2).requiresGrad)
    }

    @Test("a 20,000-op chain runs backward and is freed without deep recursion")
    func deepGraph() throws {
        let x = Tensor([0.5]).requiringGrad()
        var y = x
        for _ in 0..<20_000 { y = y * 1 + 0 }
        try y.sum().backward()
        #expect(x.grad?.scalars == [1])
        y = x  // drops the 40,000-node graph
        #expect(y.requiresGrad)
    }

    @Test("cross-entropy equals -log softmax at the target, and one_hot matches")
    func crossEntropyAndOneHot() throws {
        let logits = try Tensor(rows: [[1, 2, 3], [0, 0, 5]])
        let targets = try IndexTensor([2, 0])
        let loss = try logits.crossEntropy(targets: targets).item()
        let logp = try logits.logSoftmax(dim: 1).scalars
        #expect(abs(loss - -(logp[2] + logp[3]) / 2) < 1e-6)
        let manual = try (logits.logSoftmax(dim: 1) * targets.oneHot(classes: 3)).sum().item() / -2
        #expect(abs(loss - manual) < 1e-6)
        #expect(try IndexTensor([1, 0]).oneHot(classes: 2).scalars == [0, 1, 1, 0])
    }

    @Test("softmax survives huge logits and fully masked -inf entries")
    func stableSoftmax() throws {
        let x = try Tensor(rows: [[1000, 1001, -.infinity], [-1000, -1000, -1000]])
        let p = try x.softmax(dim: -1).scalars
        #expect(abs(p[0] - 0.26894142) < 1e-6 && abs(p[1] - 0.73105858) < 1e-6 && p[2] == 0)
        #expect(p[3...].allSatisfy { abs($0 - 1 / 3) < 1e-6 })
        #expect(try Tensor([1e4, -1e4]).logSoftmax(dim: 0).scalars == [0, -2e4])
        let y = try Tensor.randn([3, 4, 5], generator: TorchGenerator(seed: 1))
        for (ours, viaLastDim) in zip(
            try y.logSoftmax(dim: 1).scalars,
            try y.transpose(1, 2).logSoftmax(dim: -1).transpose(1, 2).scalars)
        {
            #expect(abs(ours - viaLastDim) < 1e-6)
        }
    }

    @Test("printing shows shape, values and the graph")
    func description() throws {
        let x = try Tensor(rows: [[1, 2.5], [-3, 4]]).requiringGrad()
        #expect(x.description == "tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]], requiresGrad: true)")
        #expect((x * 2).description.hasSuffix("gradFn: affine)"))
        #expect(try Tensor.zeros([2, 600]).description.contains("..."))
        #expect(Tensor(2).description == "tensor(2.0000)")
    }
}

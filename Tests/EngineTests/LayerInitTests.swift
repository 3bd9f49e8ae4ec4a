// Initialisation through the shared generator: weights are the lecture's draws in the lecture's order,
// Kaiming and Xavier have the stated spread, and with the tanh gain activations keep their spread
// through a deep stack (makemore part 3). Also `*=`, the in-place scaling the lecture uses.
//
// Statistics are of fixed-seed draws; bounds are about 5 standard errors wide.
import Engine
import Testing

@Suite("Layers: initialisation")
struct LayerInitTests {
    @Test("Linear's weight is torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5, then × gain; bias zeros")
    func linearDrawsInLectureOrder() {
        let g = TorchGenerator(seed: 2_147_483_647)
        let replay = TorchGenerator(seed: 2_147_483_647)
        let first = Linear(30, 200, generator: g)
        let second = Linear(200, 27, initialization: .kaiming(gain: WeightInitialization.tanhGain), generator: g)
        let draws1 = replay.randn(30 * 200)
        let draws2 = replay.randn(200 * 27)
        #expect(first.weight.scalars == draws1.map { $0 / Float(30.0.squareRoot()) })
        #expect(second.weight.scalars == draws2.map { $0 / Float(200.0.squareRoot()) * (5.0 / 3.0) })
        #expect(first.bias?.scalars == [Float](repeating: 0, count: 200))
        #expect(first.weight.requiresGrad && first.bias!.requiresGrad)
        let emb = Embedding(27, 10, generator: g)
        #expect(emb.weight.scalars == replay.randn(270))
    }

    @Test(
        "Kaiming and Xavier weights have the stated standard deviation and zero mean",
        arguments: [WeightInitialization.kaiming(gain: 5.0 / 3.0), .kaiming(gain: 1), .xavier(gain: 1)])
    func spread(_ initialization: WeightInitialization) {
        let (fanIn, fanOut) = (300, 200)
        let layer = Linear(fanIn, fanOut, initialization: initialization, generator: TorchGenerator(seed: 1337))
        let w = layer.weight.scalars.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(w.count)).squareRoot()
        let expected = Double(initialization.standardDeviation(fanIn: fanIn, fanOut: fanOut))
        #expect(abs(std / expected - 1) < 0.015, "std \(std), expected \(expected)")
        #expect(abs(mean) < 0.015 * expected, "mean \(mean)")
    }

    @Test("the standard deviations are gain/√fanIn and gain·√(2/(fanIn + fanOut))")
    func standardDeviations() {
        #expect(WeightInitialization.lecture.standardDeviation(fanIn: 100, fanOut: 7) == 0.1)
        #expect(
            abs(WeightInitialization.kaiming(gain: 5.0 / 3.0).standardDeviation(fanIn: 25, fanOut: 1) - 1.0 / 3.0)
                < 1e-7)
        #expect(WeightInitialization.xavier(gain: 2).standardDeviation(fanIn: 150, fanOut: 50) == 0.2)
        #expect(
            WeightInitialization.kaiming(gain: WeightInitialization.tanhGain).description == "kaiming(gain: 1.66667)")
    }

    @Test("with gain 5/3, tanh activations keep their spread through 5 layers; with gain 1 they shrink")
    func tanhGainKeepsActivationsAlive() throws {
        func lastLayerStd(gain: Float) throws -> Double {
            let g = TorchGenerator(seed: 2_147_483_647)
            var layers: [any TensorLayer] = []
            for _ in 0..<5 {
                layers.append(Linear(100, 100, initialization: .kaiming(gain: gain), generator: g))
                layers.append(Tanh())
            }
            let x = try Tensor.randn([100, 100], generator: g)  // (N, 100)
            let model = Sequential(layers)
            let out: Tensor = Tensor.withoutGrad { model(x) }  // (N, 100)
            let h = out.scalars.map { Double($0) }
            let mean = h.reduce(0, +) / Double(h.count)
            return (h.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(h.count)).squareRoot()
        }
        let tanhGain = try lastLayerStd(gain: 5.0 / 3.0)
        let unitGain = try lastLayerStd(gain: 1)
        // the lecture shows ≈ 0.65
        #expect((0.55...0.75).contains(tanhGain), "std after 5 layers with gain 5/3: \(tanhGain)")
        #expect(unitGain < 0.5 && unitGain < tanhGain - 0.15, "std after 5 layers with gain 1: \(unitGain)")
    }

    @Test("*= scales a parameter in place: the model and its optimizer see the same tensor")
    func scaleInPlace() throws {
        let model = Sequential([
            Linear(3, 4, generator: TorchGenerator()), Tanh(), Linear(4, 2, generator: TorchGenerator())
        ])
        let optimizer = SGD(model.parameters(), learningRate: 0.1)
        let before = try #require(model[-1] as? Linear).weight.scalars
        (model.layers.last as? Linear)?.weight *= 0.1
        #expect(optimizer.parameters[2].scalars == before.map { $0 * 0.1 })
        #expect(optimizer.parameters[2].requiresGrad)
    }
}

// The exponential race against PyTorch (torch-rng.json): Exp(1) draws in float64 and float32, and
// 200 single draws of torch.multinomial(P, 1) with and without replacement (PyTorch 2.x races for
// both), where the cumulative rule of makemore part 1 would draw other indices.
import Testing

@testable import Engine

@Suite("The exponential race (makemore parts 2-5's multinomial)")
struct ExponentialRaceTests {
    @Test func exponentialDrawsMatchPyTorch() throws {
        let float64 = try RNGReference.values(of: "exponential_float64_20")
        #expect(TorchGenerator().exponential(20) == float64)
        let float32 = try RNGReference.values(of: "exponential_20")
        #expect(TorchGenerator().exponential(20).map { Float($0) } == float32.map(Float.init))
    }

    @Test(arguments: ["multinomial_1_no_replacement_x200", "multinomial_1_replacement_x200_torch2"])
    func twoHundredSingleDraws(name: String) throws {
        guard case .multinomial(let probabilities, let samples) = try RNGReference.output(of: name) else {
            Issue.record("unexpected output shape")
            return
        }
        let g = TorchGenerator()
        let uniforms = g.rand(27)
        let total = uniforms.reduce(0, +)
        let p = uniforms.map { $0 / total }
        #expect(p == probabilities.map(Float.init))
        #expect(try (0..<200).map { _ in try g.multinomialRace(p) } == samples)
        // The cumulative rule draws differently from the same state: the two rules are not the same.
        let other = TorchGenerator()
        _ = other.rand(27)
        #expect(try (0..<200).map { _ in try other.multinomial(p, samples: 1)[0] } != samples)
    }

    @Test func badWeightsAreRefusedBeforeDrawing() {
        let g = TorchGenerator()
        #expect(throws: GeneratorError.self) { try g.multinomialRace([]) }
        #expect(throws: GeneratorError.self) { try g.multinomialRace([0.5, -0.1]) }
        #expect(throws: GeneratorError.self) { try g.multinomialRace([0, 0]) }
        #expect(g.nextUInt32() == TorchGenerator().nextUInt32())
    }
}

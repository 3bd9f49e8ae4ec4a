// The compiled micrograd the interpreter benchmark sets beside CPython must do the same work as the
// benchmark's Python program: given the weights CPython's `random.uniform(-1, 1)` draws after
// `random.seed(42)`, it must print the losses CPython prints for that program.
import Engine
import Foundation
import NativeMicrograd
import Testing

@Suite("Compiled micrograd")
struct NativeMicrogradTests {
    /// CPython's draws: `uniform(a, b)` is `a + (b - a) * random()`.
    static let weights: [Double] = {
        var random = PythonRandom(seed: 42)
        return (0..<41).map { _ in -1 + 2 * random.random() }
    }()

    /// CPython 3.11 prints these losses at steps 0, 5, 10 and 15 and after 20 steps (0.0364987560865,
    /// whose last digits vary with the order of the children's sets).
    @Test func trainsAsCPythonDoes() {
        let printed = [1, 6, 11, 16].map {
            String(format: "%.6f", NativeMicrograd.train(weights: Self.weights, steps: $0))
        }
        #expect(printed == ["5.230518", "0.375133", "0.083704", "0.049317"])
        #expect(abs(NativeMicrograd.train(weights: Self.weights) - 0.0364987560865) < 1e-12)
    }

    /// Other weights give another loss: the result comes from the weights, not from a constant.
    @Test func dependsOnTheWeights() {
        let moved = Self.weights.map { $0 * 0.5 }
        #expect(abs(NativeMicrograd.train(weights: moved) - NativeMicrograd.train(weights: Self.weights)) > 1e-6)
    }
}

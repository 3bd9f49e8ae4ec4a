// The toy data sets: scikit-learn's moons and circles drawn from our generator, xor, blobs, and the
// lecture's four examples.
import Foundation
import Testing

@testable import Engine

@Suite("Toy data sets")
struct NNDataTests {
    @Test func moonsWithoutNoiseLieOnTheirArcs() {
        let data = ToyDataset.moons(count: 101, noise: 0, generator: TorchGenerator())
        #expect(data.count == 101 && data.features == 2 && data.isLabeled)
        #expect(data.targets.count { $0 == -1 } == 50)  // n // 2 in the upper moon
        for (p, y) in zip(data.inputs, data.targets) {
            let (cx, cy) = y == -1 ? (0.0, 0.0) : (1.0, 0.5)
            #expect(abs(hypot(p[0] - cx, p[1] - cy) - 1) < 1e-12)
            #expect(y == -1 ? p[1] >= -1e-12 : p[1] <= 0.5 + 1e-12)
        }
        #expect(data.targets != data.targets.sorted())  // shuffled
        #expect(data.description == "moons: 101 points in 2-D, labels ±1 (50 of -1, 51 of 1), noise 0.0")
    }

    @Test func moonsAreSeededAndNoisy() {
        let a = ToyDataset.moons(count: 100, noise: 0.1, generator: TorchGenerator(seed: 1))
        let b = ToyDataset.moons(count: 100, noise: 0.1, generator: TorchGenerator(seed: 1))
        let c = ToyDataset.moons(count: 100, noise: 0.1, generator: TorchGenerator(seed: 2))
        #expect(a == b && a != c)
        let clean = ToyDataset.moons(count: 100, noise: 0, generator: TorchGenerator(seed: 1))
        let offsets = zip(a.inputs, clean.inputs).flatMap { zip($0, $1).map { $0 - $1 } }
        let spread = (offsets.map { $0 * $0 }.reduce(0, +) / Double(offsets.count)).squareRoot()
        #expect(spread > 0.07 && spread < 0.13, "noise 0.1 gave a spread of \(spread)")
        #expect(zip(a.targets, clean.targets).allSatisfy { $0 == $1 })  // noise after the shuffle
    }

    @Test func circlesXorAndBlobs() {
        let circles = ToyDataset.circles(count: 40, noise: 0, factor: 0.3, generator: TorchGenerator())
        for (p, y) in zip(circles.inputs, circles.targets) {
            #expect(abs(hypot(p[0], p[1]) - (y == -1 ? 1 : 0.3)) < 1e-12)
        }
        let xor = ToyDataset.xor(count: 200, noise: 0, generator: TorchGenerator())
        #expect(zip(xor.inputs, xor.targets).allSatisfy { ($0[0] * $0[1] > 0) == ($1 == 1) })
        #expect(xor.inputs.joined().allSatisfy { $0 >= -1 && $0 < 1 })
        let blobs = ToyDataset.blobs(count: 2000, noise: 0.5, generator: TorchGenerator())
        let positive = blobs.inputs.indices.filter { blobs.targets[$0] == 1 }.map { blobs.inputs[$0][0] }
        #expect(positive.count == 1000 && abs(positive.reduce(0, +) / 1000 - 1) < 0.05)
    }

    @Test func linspaceIsNumpys() {
        #expect(ToyDataset.linspace(0, 1, 5) == [0, 0.25, 0.5, 0.75, 1])
        #expect(ToyDataset.linspace(0, .pi, 1) == [0] && ToyDataset.linspace(0, .pi, 0).isEmpty)
        #expect(ToyDataset.linspace(0, .pi, 3).last == .pi)
    }

    @Test func theLecturesExamples() {
        #expect(ToyDataset.lecture.inputs == [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]])
        #expect(ToyDataset.lecture.targets == [1, -1, -1, 1])
        #expect(
            ToyDataset.lecture.description == "the lecture's examples: 4 points in 3-D, labels ±1 (2 of -1, 2 of 1)")
    }
}

// TorchGenerator against PyTorch's own outputs (`Tests/Fixtures/torch-rng.json`), plus determinism,
// reseeding and the mistakes a user can make. Every reference comparison is exact: float32 values are
// compared bit for bit after rounding the JSON's double to Float, float64 values and integers exactly.
import Foundation
import TestSupport
import Testing

@testable import Engine

// MARK: The reference file

/// `torch-rng.json`: cases made with `torch.Generator().manual_seed(2147483647)`, each from a fresh seed.
struct RNGReference: Decodable, Sendable {
    let seed: UInt64
    let cases: [Case]

    struct Case: Decodable, Sendable {
        let name: String
        let call: String
        let output: Output
    }

    /// A case's output: a flat list, `W` then `rand3`, or `p` then `samples`.
    enum Output: Decodable, Sendable {
        case values([Double])
        case matrixThenUniforms(matrix: [[Double]], uniforms: [Double])
        case multinomial(probabilities: [Double], samples: [Int])

        private enum Keys: String, CodingKey { case W, rand3, p, samples }

        init(from decoder: any Decoder) throws {
            if let values = try? decoder.singleValueContainer().decode([Double].self) {
                self = .values(values)
                return
            }
            let keyed = try decoder.container(keyedBy: Keys.self)
            if keyed.contains(.W) {
                self = .matrixThenUniforms(
                    matrix: try keyed.decode([[Double]].self, forKey: .W),
                    uniforms: try keyed.decode([Double].self, forKey: .rand3))
            } else {
                self = .multinomial(
                    probabilities: try keyed.decode([Double].self, forKey: .p),
                    samples: try keyed.decode([Int].self, forKey: .samples))
            }
        }
    }

    /// Loads the file (the tests using it are disabled when it is absent) and returns case `name`.
    static func output(of name: String) throws -> Output {
        let reference = try Reference.load(RNGReference.self, from: "torch-rng.json")
        #expect(reference.seed == 2_147_483_647)
        return try #require(reference.cases.first { $0.name == name }, "no case \(name)").output
    }

    /// The flat list of case `name`.
    static func values(of name: String) throws -> [Double] {
        guard case .values(let values) = try output(of: name) else {
            Issue.record("case \(name) is not a flat list")
            return []
        }
        return values
    }
}

/// The float32 values of `expected` (doubles holding float32 numbers) differing in any bit from `actual`,
/// as `(index, ours, PyTorch's)`; empty when the lengths differ too, which is checked separately.
func bitwiseMismatches(_ actual: [Float], _ expected: [Double]) -> [(Int, Float, Float)] {
    zip(actual, expected).enumerated()
        .filter { $0.element.0.bitPattern != Float($0.element.1).bitPattern }
        .map { ($0.offset, $0.element.0, Float($0.element.1)) }
}

// MARK: Against PyTorch

@Suite("TorchGenerator matches PyTorch")
struct GeneratorReferenceTests {
    @Test("torch.rand(1000): float32, bit for bit")
    func randFloat32() throws {
        let expected = try RNGReference.values(of: "rand_float32_1000")
        let actual = TorchGenerator().rand(1000)
        #expect(actual.count == expected.count)
        #expect(bitwiseMismatches(actual, expected).isEmpty)
    }

    @Test("torch.rand(1000, dtype=float64): bit for bit")
    func randFloat64() throws {
        let expected = try RNGReference.values(of: "rand_float64_1000")
        #expect(TorchGenerator().randDouble(1000) == expected)
    }

    /// Below 16 the one-at-a-time path, at 16 and above the blocks of 16, with a recomputed tail for
    /// 17, 31, 100 and 729. Each case starts from a fresh seed.
    @Test("torch.randn(n): float32, bit for bit", arguments: [1, 2, 3, 7, 15, 16, 17, 31, 32, 100, 729])
    func randn(count: Int) throws {
        let expected = try RNGReference.values(of: "randn_\(count)")
        let actual = TorchGenerator().randn(count)
        #expect(actual.count == count && expected.count == count)
        #expect(bitwiseMismatches(actual, expected).isEmpty)
    }

    @Test("randn((27,27)) then rand(3): the state carries over")
    func randnMatrixThenRand() throws {
        guard case .matrixThenUniforms(let matrix, let uniforms) = try RNGReference.output(of: "randn_27x27_then_rand3")
        else {
            Issue.record("unexpected output shape")
            return
        }
        let g = TorchGenerator()
        let W = g.randn(27 * 27)  // (27, 27) row-major
        #expect(bitwiseMismatches(W, matrix.flatMap { $0 }).isEmpty)
        #expect(bitwiseMismatches(g.rand(3), uniforms).isEmpty)
    }

    /// `p = rand(3); p = p / p.sum()`, then 100 samples; also as 100 single draws (the lecture's rule).
    @Test("multinomial(p, 100, replacement=True) after rand(3)")
    func multinomialAfterRand() throws {
        guard
            case .multinomial(let probabilities, let samples) = try RNGReference.output(
                of: "multinomial_100_after_rand3")
        else {
            Issue.record("unexpected output shape")
            return
        }
        let p = probabilities.map(Float.init)
        let g = TorchGenerator()
        let uniforms = g.rand(3)
        let total = uniforms[0] + uniforms[1] + uniforms[2]
        #expect(uniforms.map { $0 / total } == p)
        let state = TorchGenerator()
        _ = state.rand(3)
        #expect(try g.multinomial(p, samples: 100) == samples)
        #expect(try (0..<100).map { _ in try state.multinomial(p, samples: 1)[0] } == samples)
    }

    @Test("multinomial([0.1, 0, 0.5, 0.25, 0.15], 50): a float32 p, a zero weight never drawn")
    func multinomialFixed() throws {
        let expected = try RNGReference.values(of: "multinomial_50_fixed_p").map { Int($0) }
        let p: [Float] = [0.1, 0.0, 0.5, 0.25, 0.15]
        #expect(try TorchGenerator().multinomial(p, samples: 50) == expected)
        #expect(!expected.contains(1))
    }

    @Test("torch.randint(0, 1000, (20,))")
    func randint() throws {
        let expected = try RNGReference.values(of: "randint_0_1000_x20").map { Int($0) }
        #expect(try TorchGenerator().randint(low: 0, high: 1000, count: 20) == expected)
    }

    @Test("torch.randperm(10): forward Fisher–Yates with 32-bit draws")
    func randperm() throws {
        let expected = try RNGReference.values(of: "randperm_10").map { Int($0) }
        #expect(try TorchGenerator().randperm(10) == expected)
    }
}

// MARK: The stream

@Suite("TorchGenerator stream")
struct GeneratorStreamTests {
    /// The reference mt19937 (and C++'s `std::mt19937`, seed 5489) gives 4123659995 as its 10000th output.
    @Test("mt19937 known answer: 10000th output for seed 5489")
    func knownAnswer() {
        let g = TorchGenerator(seed: 5489)
        #expect(g.nextUInt32() == 3_499_211_612)
        for _ in 0..<9998 { _ = g.nextUInt32() }
        #expect(g.nextUInt32() == 4_123_659_995)
    }

    /// The bulk path (sixteen words tempered at a time, the twist in blocks of sixteen) against one
    /// draw at a time, from starts that put the blocks' edges and the twists in different places.
    @Test("fillRand gives the floats of one draw at a time, across twists", arguments: [0, 5, 600, 623, 624])
    func bulkUniforms(start: Int) {
        let bulk = TorchGenerator(seed: 5489)
        let single = TorchGenerator(seed: 5489)
        for _ in 0..<start {
            _ = bulk.nextUInt32()
            _ = single.nextUInt32()
        }
        for count in [1, 15, 16, 17, 3001] {
            let drawn = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                bulk.fillRand(buffer.baseAddress!, count: count)
                initialized = count
            }
            let expected = (0..<count).map { _ in single.nextFloat() }
            #expect(drawn.map(\.bitPattern) == expected.map(\.bitPattern), "\(count) after \(start)")
        }
        #expect(bulk.nextUInt32() == single.nextUInt32())
    }

    @Test("nextUInt64 is two 32-bit draws, the first as the high half")
    func uint64() {
        let a = TorchGenerator(seed: 7)
        let b = TorchGenerator(seed: 7)
        let high = UInt64(b.nextUInt32())
        let low = UInt64(b.nextUInt32())
        #expect(a.nextUInt64() == high << 32 | low)
    }

    @Test("the same seed gives the same stream through every kind of draw")
    func determinism() throws {
        func draws(_ g: TorchGenerator) throws -> [Double] {
            var out = g.rand(5).map(Double.init) + g.randDouble(3) + g.randn(3).map(Double.init)
            out += g.randn(40).map(Double.init) + g.randnDouble(3) + g.randnDouble(20)
            out += try g.randint(low: -5, high: 5, count: 7).map(Double.init)
            out += try g.randperm(9).map(Double.init) + g.multinomial([1, 2, 3.5], samples: 6).map(Double.init)
            return out
        }
        #expect(try draws(TorchGenerator(seed: 42)) == draws(TorchGenerator(seed: 42)))
        #expect(try draws(TorchGenerator(seed: 42)) != draws(TorchGenerator(seed: 43)))
    }

    /// Also forgets the cached second normal, which `randn(1)` leaves behind.
    @Test("manualSeed restarts the stream and clears the cached normal")
    func manualSeed() {
        let g = TorchGenerator(seed: 1)
        _ = g.randn(1)
        _ = g.rand(700)  // past one twist of the state
        g.manualSeed(2_147_483_647)
        let fresh = TorchGenerator()
        #expect(g.seed == 2_147_483_647)
        #expect(g.randn(1) == fresh.randn(1))
        #expect(g.rand(1000) == fresh.rand(1000))
    }

    @Test("only the seed's low 32 bits reach the Mersenne Twister, as in PyTorch")
    func seedTruncation() {
        #expect(TorchGenerator(seed: 1 << 32 | 5).rand(10) == TorchGenerator(seed: 5).rand(10))
    }

    /// PyTorch keeps the second value of a Box–Muller pair in the generator (inferred from its source).
    @Test("small randn: the cached second normal carries over between calls")
    func normalCache() {
        let pair = TorchGenerator().randn(2)
        let g = TorchGenerator()
        #expect(g.randn(1) + g.randn(1) == pair)
        #expect(TorchGenerator().randnDouble(7).map(Float.init) == TorchGenerator().randn(7))
    }

    @Test("shapes and ranges: uniforms in [0, 1), normals look standard, permutations are permutations")
    func ranges() throws {
        let g = TorchGenerator()
        #expect(g.rand(10_000).allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(g.randDouble(10_000).allSatisfy { $0 >= 0 && $0 < 1 })
        for normals in [g.randn(100_000).map(Double.init), g.randnDouble(100_000)] {
            let mean = normals.reduce(0, +) / Double(normals.count)
            let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(normals.count)
            #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02)  // 6σ for 100k samples
        }
        for n in [0, 1, 2, 100] { #expect(try g.randperm(n).sorted() == Array(0..<n)) }
        #expect(try g.randint(low: -3, high: -1, count: 100).allSatisfy { $0 == -3 || $0 == -2 })
        #expect(try g.randint(low: Int.min, high: Int.max, count: 100).allSatisfy { $0 != Int.max })
        #expect(g.rand(0).isEmpty && g.rand(-4).isEmpty && g.randn(-1).isEmpty && g.randnDouble(0).isEmpty)
        #expect("\(TorchGenerator())" == "TorchGenerator(seed: 2147483647)")
    }

    /// The AVX2 float32 `log` and `sincos` stay within a few ulps of libm over Box–Muller's domain.
    @Test("CephesFloat agrees with libm to 2e-7 over (0, 1] and [0, 2π)")
    func cephes() {
        for i in 1...10_000 {
            let u = Float(i) / 10_000
            #expect(abs(CephesFloat.log(u) - log(u)) <= 2e-7 * max(1, abs(log(u))))
            let theta = Float(2 * Double.pi) * (u - 1e-4)
            let (sine, cosine) = CephesFloat.sinCos(theta)
            #expect(abs(sine - sin(theta)) <= 2e-7 && abs(cosine - cos(theta)) <= 2e-7)
        }
    }
}

// MARK: Mistakes a user can make

/// One bad call, the error it must throw, and a check that nothing was drawn.
struct BadCall: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let call: @Sendable (TorchGenerator) throws -> Void
    let expected: GeneratorError
}

let badCalls: [BadCall] = [
    BadCall(
        testDescription: "randint high == low", call: { _ = try $0.randint(low: 5, high: 5, count: 3) },
        expected: .emptyRange(low: 5, high: 5)),
    BadCall(
        testDescription: "randint high < low", call: { _ = try $0.randint(low: 5, high: 0, count: 3) },
        expected: .emptyRange(low: 5, high: 0)),
    BadCall(
        testDescription: "randint negative count", call: { _ = try $0.randint(low: 0, high: 9, count: -1) },
        expected: .negativeCount(-1, argument: "randint count")),
    BadCall(
        testDescription: "randperm negative", call: { _ = try $0.randperm(-2) },
        expected: .negativeCount(-2, argument: "randperm n")),
    BadCall(
        testDescription: "randperm huge", call: { _ = try $0.randperm(Int.max) },
        expected: .countTooLarge(Int.max, argument: "randperm n")),
    BadCall(
        testDescription: "multinomial empty", call: { _ = try $0.multinomial([Double](), samples: 1) },
        expected: .noCategories),
    BadCall(
        testDescription: "multinomial all zero", call: { _ = try $0.multinomial([0.0, 0, 0], samples: 1) },
        expected: .zeroTotalWeight),
    BadCall(
        testDescription: "multinomial negative", call: { _ = try $0.multinomial([0.5, -0.1], samples: 1) },
        expected: .invalidWeight(index: 1, value: -0.1)),
    BadCall(
        testDescription: "multinomial NaN", call: { _ = try $0.multinomial([Float.nan, 1], samples: 1) },
        expected: .invalidWeight(index: 0, value: .nan)),
    BadCall(
        testDescription: "multinomial infinity", call: { _ = try $0.multinomial([1, Double.infinity], samples: 1) },
        expected: .invalidWeight(index: 1, value: .infinity)),
    BadCall(
        testDescription: "multinomial float32 overflow",
        call: { _ = try $0.multinomial([Float.greatestFiniteMagnitude, .greatestFiniteMagnitude], samples: 1) },
        expected: .totalWeightOverflow),
    BadCall(
        testDescription: "multinomial negative samples", call: { _ = try $0.multinomial([1.0], samples: -3) },
        expected: .negativeCount(-3, argument: "multinomial samples"))
]

@Test("bad input throws a readable GeneratorError and draws nothing", arguments: badCalls)
func badInput(_ bad: BadCall) {
    let g = TorchGenerator()
    // Compared by message: `.invalidWeight(value: .nan)` is not `==` to itself.
    #expect(throws: GeneratorError.self) { try bad.call(g) }
    do { try bad.call(g) } catch let error as GeneratorError {
        #expect(error.description == bad.expected.description)
    } catch { Issue.record("threw \(error)") }
    #expect(!bad.expected.description.isEmpty)
    #expect(g.nextUInt32() == TorchGenerator().nextUInt32())
}

@Test("validate(count:) accepts 0...maximumCount only")
func validateCount() {
    #expect(throws: Never.self) { try TorchGenerator.validate(count: 0) }
    #expect(throws: Never.self) { try TorchGenerator.validate(count: TorchGenerator.maximumCount) }
    #expect(throws: GeneratorError.negativeCount(-1, argument: "count")) { try TorchGenerator.validate(count: -1) }
    #expect(throws: GeneratorError.countTooLarge(1 << 40, argument: "n")) {
        try TorchGenerator.validate(count: 1 << 40, argument: "n")
    }
}

// Tensor.dropout (Tensor+Dropout.swift): the kept fraction and the scale of the kept elements, a
// backward pass that multiplies the upstream gradient by the same mask·scale, p = 0 as the identity,
// and masks that repeat for a seed.
//
// Shapes: n = number of elements.
import Engine
import Testing

@Suite("Tensor dropout")
struct TensorDropoutTests {
    @Test(arguments: [Float(0.1), 0.2, 0.5])
    func keepsAboutOneMinusPAndScalesTheRest(_ p: Float) throws {
        let x = try Tensor.ones([100, 100])  // (100, 100)
        let y = x.dropout(p, generator: TorchGenerator(seed: 3))  // (100, 100)
        #expect(y.shape == [100, 100])
        let values = y.scalars
        let scale = 1 / (1 - p)
        #expect(values.allSatisfy { $0 == 0 || abs($0 - scale) <= 1e-6 })
        let kept = Double(values.filter { $0 != 0 }.count) / Double(values.count)
        // 10,000 Bernoulli draws: the kept fraction is within 5 standard deviations of 1 - p.
        let sd = (Double(p) * Double(1 - p) / 10_000).squareRoot()
        #expect(abs(kept - Double(1 - p)) <= 5 * sd, "kept \(kept) for p = \(p)")
        // Inverted dropout keeps the mean: 1 on average.
        let mean = values.reduce(0, +) / Float(values.count)
        #expect(abs(mean - 1) <= 5 * Float(sd) * scale, "mean \(mean)")
    }

    @Test func theMaskComesFromTheGeneratorsUniforms() throws {
        let p: Float = 0.3
        let x = try Tensor.randn([4, 5], generator: TorchGenerator(seed: 1))  // (4, 5)
        let y = x.dropout(p, generator: TorchGenerator(seed: 7))  // (4, 5)
        let u = TorchGenerator(seed: 7).rand(20)  // (20,)
        for (i, (a, b)) in zip(x.scalars, y.scalars).enumerated() {
            #expect(b == (u[i] >= p ? a * (1 / (1 - p)) : 0))
        }
    }

    @Test func backwardMultipliesTheUpstreamGradientByTheMask() throws {
        let p: Float = 0.25
        let scale = 1 / (1 - p)
        let x = try Tensor.randn([3, 4, 6], generator: TorchGenerator(seed: 2)).requiringGrad()  // (3, 4, 6)
        let upstream = try Tensor.randn([3, 4, 6], generator: TorchGenerator(seed: 4))  // (3, 4, 6)
        let y = x.dropout(p, generator: TorchGenerator(seed: 5))  // (3, 4, 6)
        try y.mul(upstream).sum().backward()
        let grad = try #require(x.grad).scalars
        let u = TorchGenerator(seed: 5).rand(72)  // (72,)
        var dropped = 0
        for i in 0..<72 {
            let mask: Float = u[i] >= p ? scale : 0
            if mask == 0 { dropped += 1 }
            #expect(abs(grad[i] - mask * upstream.scalars[i]) <= 1e-6, "element \(i)")
        }
        #expect(dropped > 0 && dropped < 72)
    }

    @Test func zeroIsTheIdentityAndDrawsNothing() throws {
        let x = try Tensor.randn([2, 3], generator: TorchGenerator(seed: 1)).requiringGrad()  // (2, 3)
        let g = TorchGenerator(seed: 11)
        let y = x.dropout(0, generator: g)
        #expect(y === x)
        #expect(g.nextUInt32() == TorchGenerator(seed: 11).nextUInt32())
        try y.sum().backward()
        #expect(try #require(x.grad).scalars == Array(repeating: 1, count: 6))
    }

    @Test func aSeedRepeatsTheMaskAndTheStreamMovesOn() throws {
        let x = try Tensor.ones([8, 8])  // (8, 8)
        let a = x.dropout(0.5, generator: TorchGenerator(seed: 42)).scalars
        let b = x.dropout(0.5, generator: TorchGenerator(seed: 42)).scalars
        #expect(a == b)
        let g = TorchGenerator(seed: 42)
        let first = x.dropout(0.5, generator: g).scalars
        let second = x.dropout(0.5, generator: g).scalars
        #expect(first == a && second != first)
    }

    @Test func stridedInputsDropInRowMajorOrder() throws {
        let x = try Tensor.randn([3, 5], generator: TorchGenerator(seed: 8))  // (3, 5)
        let t = try x.transpose(0, 1)  // (5, 3), strided
        let y = t.dropout(0.4, generator: TorchGenerator(seed: 9))  // (5, 3)
        let u = TorchGenerator(seed: 9).rand(15)
        for (i, (a, b)) in zip(t.scalars, y.scalars).enumerated() {
            #expect(b == (u[i] >= 0.4 ? a * (1 / (1 - Float(0.4))) : 0))
        }
    }
}

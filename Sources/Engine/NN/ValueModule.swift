// micrograd's `Module`: a part of a network whose parameters are scalar `Value`s. `Neuron`, `Layer` and
// `MLP` conform; training asks only for `parameters()`, so it never needs to know which one it holds.

/// A network part made of `Value` parameters (micrograd's `Module`).
public protocol ValueModule: AnyObject, CustomStringConvertible {
    /// Every weight and bias, always in the same order (micrograd's `parameters()`).
    func parameters() -> [Value]
}

extension ValueModule {
    /// Sets every parameter's grad to 0 (micrograd's `zero_grad`): call it before each backward pass,
    /// because `backward()` adds to the grads that are there.
    public func zeroGrad() {
        for p in parameters() { p.grad = 0 }
    }

    /// The number of parameters: `len(n.parameters())`.
    public var parameterCount: Int { parameters().count }
}

/// The uniform draw micrograd's `random.uniform(-1, 1)` makes, from our generator: one float64 uniform
/// u in [0, 1) (two 32-bit draws, as `torch.rand(dtype=float64)`), mapped to 2u − 1.
@inline(__always)
func uniformMinusOneToOne(_ generator: TorchGenerator) -> Double {
    2 * generator.nextDouble() - 1
}

/// Where a micrograd network's initial weights come from: uniform draws in [-1, 1).
public final class WeightSource {
    /// The next weight.
    let next: () -> Double
    /// Whether a neuron with this nonlinearity draws its bias too (else it starts at 0).
    let drawsBias: (Nonlinearity) -> Bool

    init(next: @escaping () -> Double, drawsBias: @escaping (Nonlinearity) -> Bool) {
        (self.next, self.drawsBias) = (next, drawsBias)
    }

    /// PyTorch's generator, as the lectures seed it: each weight `2u - 1`, and a tanh neuron's bias too.
    public static func torch(_ generator: TorchGenerator) -> WeightSource {
        WeightSource(next: { uniformMinusOneToOne(generator) }, drawsBias: { $0 == .tanh })
    }

    /// CPython's `random` after `random.seed(seed)`, as micrograd's nn.py draws: each weight
    /// `random.uniform(-1, 1)`, every bias 0. With the demo's seed, 1337, its network's weights.
    public static func python(seed: UInt32) -> WeightSource {
        var random = PythonRandom(seed: seed)
        return WeightSource(next: { -1 + 2 * random.random() }, drawsBias: { _ in false })
    }
}

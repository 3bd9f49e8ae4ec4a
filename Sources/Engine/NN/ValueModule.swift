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

// Nonlinearities as layers, so a `Sequential` can hold them: the lectures' `Tanh`, plus `ReLU` and
// makemore's `NewGELU` for the transformer. No parameters; the derivative is the op's.
//
// Shapes: each maps (…) → (…).

/// tanh x, elementwise: the lectures' hidden nonlinearity. ∂/∂x = 1 - tanh²x.
///
///     Sequential([Linear(30, 200, generator: g), Tanh(), Linear(200, 27, generator: g)])
public final class Tanh: TensorLayer {
    public var training = true
    public init() {}
    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor { x.tanh() }  // (…)
    public func parameters() -> [Tensor] { [] }
    /// `Tanh()`.
    public var description: String { "Tanh()" }
}

/// max(0, x), elementwise. ∂/∂x = 1 where x > 0, else 0.
///
///     Sequential([Linear(2, 16, initialization: .kaiming(gain: WeightInitialization.reluGain), generator: g), ReLU()])
public final class ReLU: TensorLayer {
    public var training = true
    public init() {}
    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor { x.relu() }  // (…)
    public func parameters() -> [Tensor] { [] }
    /// `ReLU()`.
    public var description: String { "ReLU()" }
}

/// GELU in its tanh form, ½x(1 + tanh(√(2/π)(x + 0.044715x³))): makemore's `NewGELU`, GPT-2's
/// activation.
///
///     Sequential([Linear(64, 256, generator: g), GELU(), Linear(256, 64, generator: g)])   // an MLP block
public final class GELU: TensorLayer {
    public var training = true
    public init() {}
    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor { x.gelu() }  // (…)
    public func parameters() -> [Tensor] { [] }
    /// `GELU()`.
    public var description: String { "GELU()" }
}

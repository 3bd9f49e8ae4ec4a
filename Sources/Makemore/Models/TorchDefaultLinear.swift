// PyTorch's default initialisation of `nn.Linear`, which makemore.py's Transformer and bag of words
// keep (the lectures' own `Linear` draws N(0, 1)/√fan-in instead): weight and bias both uniform in
// ±1/√fan-in (`kaiming_uniform_(a=√5)` works out to that bound).
//
// Shapes: C = fan-in (input features), D = fan-out (output features).
import Engine

extension Linear {
    /// `nn.Linear(C, D, bias=bias)` as PyTorch initialises it, drawing from `g` in PyTorch's order:
    /// the weight as its (D, C) matrix row by row (stored here transposed, (C, D)), then the bias.
    /// Each value is `-k + 2k·u` for u = `torch.rand` and k = 1/√C, as `uniform_(-k, k)` computes it.
    static func torchDefault(_ C: Int, _ D: Int, bias: Bool = true, generator g: TorchGenerator) -> Linear {
        let k = 1 / Double(C).squareRoot()
        func uniform(_ n: Int) -> [Float] { g.rand(n).map { Float(Double($0) * 2 * k - k) } }
        let drawn = uniform(D * C)  // (D, C), PyTorch's layout
        var values = [Float](repeating: 0, count: C * D)  // (C, D)
        for o in 0..<D {
            for i in 0..<C { values[i * D + o] = drawn[o * C + i] }
        }
        // (C, D)
        let weight = modelShapes { () throws(ShapeError) in try Tensor(shape: [C, D], values: values) }.requiringGrad()
        let b =
            bias
            // (D,)
            ? modelShapes { () throws(ShapeError) in try Tensor(shape: [D], values: uniform(D)) }.requiringGrad() : nil
        return Linear(weight: weight, bias: b)
    }

    /// x·W + b as one fused op (see `Tensor.linear`), for model code whose shapes are right: (…, C) → (…, D).
    /// With `relu`, relu(x·W + b) in the same pass.
    func fused(_ x: Tensor, relu: Bool = false) throws(ShapeError) -> Tensor {
        try x.linear(weight, bias: bias, relu: relu)  // (…, D)
    }
}

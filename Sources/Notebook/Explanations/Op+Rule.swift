// Each scalar op's local derivative in words, for the notebook's explanations: the engine computes
// the calculus (Value+Backward.swift), and this is where it is explained, once.
import Engine

extension Op {
    /// The op's derivative rule, in words: what `manual` shows when an answer is wrong.
    var rule: String {
        switch self {
        case .leaf, .constant: "an input: nothing to pass back"
        case .add: "d(x+y)/dx = 1, d(x+y)/dy = 1: a sum routes the gradient unchanged to both inputs"
        case .sub: "d(x-y)/dx = 1, d(x-y)/dy = -1"
        case .mul: "d(x*y)/dx = y, d(x*y)/dy = x: each input gets the other's value times the upstream grad"
        case .div: "d(x/y)/dx = 1/y, d(x/y)/dy = -x/y²"
        case .pow: "d(x**y)/dx = y*x**(y-1), d(x**y)/dy = x**y * ln(x)"
        case .power(let k): "d(x**k)/dx = k*x**(k-1) with k = \(k.pythonDescription)"
        case .neg: "d(-x)/dx = -1"
        case .exp: "d(exp x)/dx = exp x: the output itself"
        case .log: "d(ln x)/dx = 1/x"
        case .tanh: "d(tanh x)/dx = 1 - tanh(x)²: one minus the output squared"
        case .relu: "d(relu x)/dx = 1 where x > 0, else 0"
        case .sigmoid: "d(σ(x))/dx = σ(x)(1 - σ(x))"
        case .other(let name): "the rule of '\(name)' is the one its _backward applies"
        case .dot:
            "d(Σ wᵢxᵢ + b)/dwᵢ = xᵢ, d/dxᵢ = wᵢ, d/db = 1: each weight gets its input's value, each input its weight's"
        }
    }
}

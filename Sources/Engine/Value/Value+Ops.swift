// The ops of `Value`: each computes its forward value and its local derivatives in one place,
// so the calculus of every op fits on one screen. The operators build nodes from them.
import Foundation

/// What made a `Value`.
public enum Op: Equatable, Sendable {
    case leaf, constant
    case add, sub, mul, div
    /// `x ** y` with a `Value` exponent.
    case pow
    /// `x ** k` with a plain-number exponent.
    case power(Double)
    case neg, exp, log, tanh, relu, sigmoid
    /// w₀·x₀ + w₁·x₁ + … (+ b): a neuron's weighted sum as one node with many inputs (`Value.dot`).
    case dot
    /// An op of a notebook user's own Value class that the engine does not know, by its name: drawn,
    /// never differentiated (its value and derivatives are nan).
    case other(String)

    /// The forward value `out` and the local derivatives d(out)/dx and d(out)/dy, from the inputs.
    /// This is where each op's calculus lives; backward only multiplies by the upstream gradient.
    /// For `.dot` this is a dot product of one pair, x·y; its n-ary form lives in Value+Dot.swift.
    @inline(__always)
    public func evaluate(_ x: Double, _ y: Double) -> (out: Double, dx: Double, dy: Double) {
        switch self {
        case .leaf, .constant: return (x, 0, 0)
        case .add: return (x + y, 1, 1)  // d(x+y) = dx + dy
        case .sub: return (x - y, 1, -1)
        case .mul: return (x * y, y, x)  // d(xy) = y dx + x dy
        case .div: return (x / y, 1 / y, -x / (y * y))  // d(x/y) = dx/y - x dy/y²
        case .pow:  // d(x^y) = y x^(y-1) dx + x^y ln x dy
            let out = Foundation.pow(x, y)
            let dy = x > 0 ? out * Foundation.log(x) : (x == 0 && y > 0 ? 0 : Double.nan)
            return (out, y * Foundation.pow(x, y - 1), dy)
        case .power(let k): return (Foundation.pow(x, k), k * Foundation.pow(x, k - 1), 0)
        case .neg: return (-x, -1, 0)
        case .exp:
            let e = Foundation.exp(x)
            return (e, e, 0)  // d(e^x) = e^x dx
        case .log: return (Foundation.log(x), 1 / x, 0)  // d(ln x) = dx / x
        case .tanh:
            let t = lectureTanh(x)
            return (t, 1 - t * t, 0)  // d(tanh x) = (1 - tanh² x) dx
        case .relu: return (x > 0 || x.isNaN ? x : 0, x > 0 ? 1 : 0, 0)  // nan stays nan, as in PyTorch
        case .sigmoid:
            let s = 1 / (1 + Foundation.exp(-x))
            return (s, s * (1 - s), 0)  // dσ = σ(1 - σ) dx
        case .dot: return (x * y, y, x)  // one pair: a product
        case .other: return (.nan, .nan, .nan)
        }
    }

    /// The symbol drawn on graphs: `+`, `*`, `**2`, `tanh`, …
    public var symbol: String {
        switch self {
        case .leaf, .constant: ""
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .div: "/"
        case .pow: "**"
        case .power(let k):
            "**" + k.pythonDescription.replacingOccurrences(of: ".0", with: "", options: .anchored.union(.backwards))
        case .neg: "neg"
        case .exp: "exp"
        case .log: "log"
        case .tanh: "tanh"
        case .relu: "ReLU"
        case .sigmoid: "sigmoid"
        case .dot: "dot"
        case .other(let name): name
        }
    }
}

// MARK: Operators, with plain numbers on either side as constants

extension Value {
    public static func + (a: Value, b: Value) -> Value { Value(.add, a, b) }
    public static func - (a: Value, b: Value) -> Value { Value(.sub, a, b) }
    public static func * (a: Value, b: Value) -> Value { Value(.mul, a, b) }
    public static func / (a: Value, b: Value) -> Value { Value(.div, a, b) }
    public static prefix func - (a: Value) -> Value { Value(.neg, a) }

    public static func + (a: Value, b: Double) -> Value { a + Value(constant: b) }
    public static func - (a: Value, b: Double) -> Value { a - Value(constant: b) }
    public static func * (a: Value, b: Double) -> Value { a * Value(constant: b) }
    public static func / (a: Value, b: Double) -> Value { a / Value(constant: b) }
    public static func + (a: Double, b: Value) -> Value { Value(constant: a) + b }
    public static func - (a: Double, b: Value) -> Value { Value(constant: a) - b }
    public static func * (a: Double, b: Value) -> Value { Value(constant: a) * b }
    public static func / (a: Double, b: Value) -> Value { Value(constant: a) / b }

    /// `self ** k` for a plain-number exponent.
    public func pow(_ k: Double) -> Value { Value(.power(k), self) }
    /// `self ** y` for a `Value` exponent.
    public func pow(_ y: Value) -> Value { Value(.pow, self, y) }
    public func exp() -> Value { Value(.exp, self) }
    public func log() -> Value { Value(.log, self) }
    public func tanh() -> Value { Value(.tanh, self) }
    public func relu() -> Value { Value(.relu, self) }
    public func sigmoid() -> Value { Value(.sigmoid, self) }

    public static func += (a: inout Value, b: Value) { a = a + b }
    public static func += (a: inout Value, b: Double) { a = a + b }
    public static func -= (a: inout Value, b: Value) { a = a - b }
    public static func *= (a: inout Value, b: Value) { a = a * b }
}

/// tanh as the micrograd lecture computes it, (e^2x - 1)/(e^2x + 1), so that values print as
/// micrograd's do (tanh of 0.8814 is 0.7071067811865476, libm's is …475); past |x| = 20 it is ±1 to
/// the last bit, and the formula would overflow.
@inline(__always)
package func lectureTanh(_ x: Double) -> Double {
    abs(x) > 20 ? (x > 0 ? 1 : -1) : (Foundation.exp(2 * x) - 1) / (Foundation.exp(2 * x) + 1)
}

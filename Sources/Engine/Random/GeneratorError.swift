// The mistakes a caller can make when asking `TorchGenerator` for integers, permutations or samples.
// Each case carries the offending value and prints one line: what was wrong and what to do instead.

/// A request to ``TorchGenerator`` that cannot be satisfied, e.g. `randint(low: 5, high: 5, count: 3)`.
///
/// The draws never trap on such input; the throwing methods report it with one of these instead and
/// leave the generator's state untouched (validation happens before any number is drawn).
public enum GeneratorError: Error, Equatable, CustomStringConvertible {
    /// A count of numbers or samples below zero.
    case negativeCount(Int, argument: String)
    /// A count above ``TorchGenerator/maximumCount``.
    case countTooLarge(Int, argument: String)
    /// `randint` with `high <= low`: the half-open range `low..<high` holds no integer.
    case emptyRange(low: Int, high: Int)
    /// `multinomial` with no categories at all.
    case noCategories
    /// `multinomial` with a weight that is negative, infinite or NaN.
    case invalidWeight(index: Int, value: Double)
    /// `multinomial` whose weights sum to zero (or, in float32, underflow to zero).
    case zeroTotalWeight
    /// `multinomial` whose finite weights add up to infinity in their precision.
    case totalWeightOverflow

    /// A one-line message for the user.
    public var description: String {
        switch self {
        case .negativeCount(let count, let argument):
            "\(argument) must be 0 or more, got \(count)"
        case .countTooLarge(let count, let argument):
            "\(argument) must be at most \(TorchGenerator.maximumCount), got \(count)"
        case .emptyRange(let low, let high):
            "randint needs low < high, got low \(low) and high \(high): the range \(low)..<\(high) is empty"
        case .noCategories:
            "multinomial needs at least one weight, got an empty list"
        case .invalidWeight(let index, let value):
            "multinomial weights must be finite and 0 or more, but weight \(index) is \(value)"
        case .zeroTotalWeight:
            "multinomial weights sum to zero: give at least one category a positive weight"
        case .totalWeightOverflow:
            "multinomial weights sum to infinity: scale them down (only their ratios matter)"
        }
    }
}

extension TorchGenerator {
    /// The most numbers one call should ask for: 2²⁸ (1 GiB of float32). The throwing draws reject
    /// larger counts; the non-throwing ones (``rand(_:)``, ``randn(_:)``, …) have it as a documented
    /// precondition, so check a user's count with ``validate(count:argument:)`` first.
    public static let maximumCount = 1 << 28

    /// Throws unless `0 <= count <= maximumCount`; `argument` names the count in the message.
    ///
    /// ```swift
    /// try TorchGenerator.validate(count: n, argument: "randn count")
    /// let x = g.randn(n)
    /// ```
    public static func validate(count: Int, argument: String = "count") throws(GeneratorError) {
        guard count >= 0 else { throw .negativeCount(count, argument: argument) }
        guard count <= maximumCount else { throw .countTooLarge(count, argument: argument) }
    }
}

// The one error a user can get from tensor code: shapes that do not combine, dims or indices out of
// range, a graph that cannot be differentiated. Each message names the op, the shapes, and what to do.

/// A mistake in how tensors were combined, reported instead of trapping.
///
/// The message reads like PyTorch's but names the shapes the user typed:
///
///     matmul: (32, 30) @ (20, 200): inner dimensions 30 and 20 differ
///
/// Model code that knows its shapes can use the non-throwing operators (`+`, `*`, `⊗`, …), which
/// trap on the same mistakes with the same message.
public struct ShapeError: Error, Equatable, CustomStringConvertible {
    /// The op that refused, as a user would write it (`matmul`, `view`, `cat`, …).
    public let op: String
    /// What was wrong and, where it helps, what to do instead.
    public let message: String

    public init(_ op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    public var description: String { "\(op): \(message)" }
}

/// Formats a shape the way PyTorch prints a size tuple: `(32, 30)`, `(5,)`, `()`.
public func formatShape(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}

/// Runs a shape rule that our own model code has already got right; a failure is a bug and traps
/// with the rule's message.
@inline(__always)
func trusted<T>(_ body: () throws(ShapeError) -> T) -> T {
    do { return try body() } catch { preconditionFailure(error.description) }
}

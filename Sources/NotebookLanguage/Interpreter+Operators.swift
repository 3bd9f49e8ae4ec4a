// Arithmetic in the notebook: numbers with numbers stay numbers; anything with a `Value` builds a
// graph node, with plain numbers as constants. A nan or inf that the inputs did not already
// carry is shown with a warning instead of stopping the line.
import Engine
import Foundation

/// Objects that take part in arithmetic themselves (tensors, in later lessons).
package protocol ArithmeticObject: NotebookObject {
    /// `self op other`, or `other op self` when `reversed`.
    func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object
    func negated() throws(NotebookError) -> Object
}

extension Interpreter {
    package func binary(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object, column: Int) throws(NotebookError) -> Object
    {
        do {
            return try combine(op, lhs, rhs)
        } catch {
            var located = error
            if located.column == nil { located.column = column }
            throw located
        }
    }

    private func combine(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object) throws(NotebookError) -> Object {
        if case .object(let o as any ArithmeticObject) = lhs { return try o.binary(op, rhs, reversed: false) }
        if case .object(let o as any ArithmeticObject) = rhs { return try o.binary(op, lhs, reversed: true) }
        switch (lhs, rhs) {
        case (.value, _), (_, .value):
            let a = try asValue(lhs, op)
            let b = try asValue(rhs, op)
            let result: Value
            // The graph micrograd builds: a number on the left is the Value's right operand
            // (`__radd__`, `__rmul__`); `a - b` is `a + (-b)` with `-b` a `* -1` node, or a negated
            // constant when b is a number; `a / b` is `a * b**-1`, or a times the number's inverse.
            let leftIsNumber: Bool
            if case .value = lhs { leftIsNumber = false } else { leftIsNumber = true }
            switch op {
            case .add: result = leftIsNumber ? b + a : a + b
            case .multiply: result = leftIsNumber ? b * a : a * b
            case .subtract:
                if case .value = rhs {
                    result = a + b * Value(constant: -1)
                } else {
                    result = a + Value(constant: -b.data)
                }
            case .divide:
                if case .value = rhs {
                    result = a * b.pow(-1)
                } else {
                    result = a * Value(constant: Foundation.pow(b.data, -1))
                }
            case .power:
                // A plain-number exponent is part of the op (`**2`), as in micrograd.
                if b.op == .constant, case .number = rhs { result = a.pow(b.data) } else { result = a.pow(b) }
            default: throw unsupported(op, lhs, rhs)
            }
            checkFinite(op.rawValue, [a.data, b.data], result.data)
            return .value(result)
        case (.list(let a), .list(let b)) where op == .add:
            try Builtins.checkLength(a.items.count + b.items.count, of: "list")
            return .list(a.items + b.items)
        case (.string(let a), .string(let b)) where op == .add:
            try Builtins.checkLength(a.utf8.count + b.utf8.count, of: "string")
            return .string(a + b)
        default:
            guard let a = try? lhs.number(as: ""), let b = try? rhs.number(as: "") else {
                throw unsupported(op, lhs, rhs)
            }
            let result: Double
            switch op {
            case .add: result = a + b
            case .subtract: result = a - b
            case .multiply: result = a * b
            case .divide: result = a / b
            case .power: result = Foundation.pow(a, b)
            case .floorDivide: result = (a / b).rounded(.down)
            case .remainder: result = b == 0 ? .nan : a - b * (a / b).rounded(.down)
            default: throw unsupported(op, lhs, rhs)
            }
            checkFinite(op.rawValue, [a, b], result)
            return .number(result)
        }
    }

    /// A `Value` for an operand: itself, or a constant for a plain number.
    private func asValue(_ object: Object, _ op: BinaryOperator) throws(NotebookError) -> Value {
        switch object {
        case .value(let v): return v
        case .number(let n): return Value(constant: n)
        case .bool(let b): return Value(constant: b ? 1 : 0)
        default: throw NotebookError("'\(op.rawValue)' cannot combine a Value with a \(object.typeName)")
        }
    }

    private func unsupported(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object) -> NotebookError {
        NotebookError("'\(op.rawValue)' is not defined between a \(lhs.typeName) and a \(rhs.typeName)")
    }

    package func negate(_ operand: Object, column: Int) throws(NotebookError) -> Object {
        switch operand {
        case .number(let n): return .number(-n)
        case .bool(let b): return .number(b ? -1 : 0)
        case .value(let v): return .value(v * Value(constant: -1))  // micrograd's `self * -1`
        case .object(let o as any ArithmeticObject): return try o.negated()
        default: throw NotebookError("cannot negate a \(operand.typeName)", column: column)
        }
    }

    package func compare(_ op: ComparisonOperator, _ lhs: Object, _ rhs: Object, column: Int) throws(NotebookError)
        -> Object
    {
        if case .string(let a) = lhs, case .string(let b) = rhs {
            switch op {
            case .equal: return .bool(a == b)
            case .notEqual: return .bool(a != b)
            case .less: return .bool(a < b)
            case .greater: return .bool(a > b)
            case .lessOrEqual: return .bool(a <= b)
            case .greaterOrEqual: return .bool(a >= b)
            }
        }
        guard let a = try? lhs.number(as: ""), let b = try? rhs.number(as: "") else {
            if op == .equal || op == .notEqual { return .bool((op == .notEqual) != (try lhs.isEqual(to: rhs))) }
            throw NotebookError(
                "cannot compare a \(lhs.typeName) with a \(rhs.typeName) using '\(op.rawValue)'", column: column)
        }
        switch op {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .greater: return .bool(a > b)
        case .lessOrEqual: return .bool(a <= b)
        case .greaterOrEqual: return .bool(a >= b)
        }
    }

    /// Warns when an op turns finite inputs into nan or inf (division by zero, log of a negative).
    package func checkFinite(_ op: String, _ inputs: [Double], _ result: Double) {
        guard !result.isFinite, inputs.allSatisfy(\.isFinite) else { return }
        let shown = inputs.map(\.pythonDescription)
        switch op {
        case "/" where inputs.count > 1 && inputs[1] == 0:
            warn("division by zero: \(shown[0]) / 0 gives \(result.pythonDescription)")
        case "log" where inputs[0] < 0:
            warn("log(\(shown[0])) is nan: log is defined for positive numbers only")
        case "log":
            warn("log(0) is -inf")
        default:
            let expression = inputs.count > 1 ? "\(shown[0]) \(op) \(shown[1])" : "\(op)(\(shown[0]))"
            warn("\(expression) gives \(result.pythonDescription)")
        }
    }
}

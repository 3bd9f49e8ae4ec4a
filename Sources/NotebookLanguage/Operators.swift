// Arithmetic and comparison, as Python defines them: ints stay ints (and raise OverflowError past
// 64 bits), `/` gives a float, `//` and `%` floor; anything with a `Value` builds a graph node,
// with plain numbers as constants; a user's class takes part through `__add__`, `__radd__`, ….
import Engine
import Foundation

/// Objects that take part in arithmetic themselves (tensors).
package protocol ArithmeticObject: NotebookObject {
    /// `self op other`, or `other op self` when `reversed`.
    func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object
    func negated() throws(NotebookError) -> Object
    /// `self op= other`, changing `self` in place; nil to make a new object as `self op other` does.
    func inPlace(_ op: BinaryOperator, _ other: Object) throws(NotebookError) -> Object?
    /// `self op other` for a comparison (`other op self` when `reversed`); nil when it does not apply.
    func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object?
}

extension ArithmeticObject {
    package var asArithmetic: (any ArithmeticObject)? { self }
    package func inPlace(_ op: BinaryOperator, _ other: Object) throws(NotebookError) -> Object? { nil }
    package func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object? {
        nil
    }
}

enum Operators {
    /// Float with float, for the operators that cannot fail: the compiled nodes' short path.
    @inline(__always)
    static func floats(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double? {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: b == 0 ? nil : a / b
        default: nil
        }
    }

    /// The common cases of arithmetic, computed where they are met: float and int operands of
    /// `+ - * /` and int `%` and `//` by a positive int. Nil for everything else (and for an int
    /// result that would overflow), which the interpreter then handles in full.
    @inline(__always)
    static func fast(_ op: BinaryOperator, _ a: Object, _ b: Object) -> Object? {
        guard let x = Number(a), let y = Number(b) else { return nil }
        return numbers(op, x, y)?.object
    }

    /// `fast` on numbers already unwrapped (the compiled nodes' number path).
    @inline(__always)
    static func numbers(_ op: BinaryOperator, _ a: Number, _ b: Number) -> Number? {
        switch (a, b) {
        case (.float(let x), .float(let y)): return floatNumber(op, x, y)
        case (.float(let x), .int(let y)): return floatNumber(op, x, Double(y))
        case (.int(let x), .float(let y)): return floatNumber(op, Double(x), y)
        case (.int(let x), .int(let y)):
            switch op {
            case .add:
                let (r, o) = x.addingReportingOverflow(y)
                return o ? nil : .int(r)
            case .subtract:
                let (r, o) = x.subtractingReportingOverflow(y)
                return o ? nil : .int(r)
            case .multiply:
                let (r, o) = x.multipliedReportingOverflow(by: y)
                return o ? nil : .int(r)
            case .remainder where y > 0:
                let r = x % y
                return .int(r < 0 ? r + y : r)
            case .floorDivide where y > 0:
                let q = x / y
                return .int(x % y < 0 ? q - 1 : q)
            case .divide where y != 0:
                return .float(Double(x) / Double(y))
            default: return nil
            }
        }
    }

    /// `floats` as a `Number`, written out (the compiled number path's commonest step).
    @inline(__always)
    static func floatNumber(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Number? {
        switch op {
        case .add: .float(a + b)
        case .subtract: .float(a - b)
        case .multiply: .float(a * b)
        case .divide: b == 0 ? nil : .float(a / b)
        default: nil
        }
    }

    /// The method Python tries on the right operand of a comparison: `a < b` asks `b.__gt__(a)`.
    static let reflectedComparison: [String: String] = [
        "__lt__": "__gt__", "__gt__": "__lt__", "__le__": "__ge__", "__ge__": "__le__", "__eq__": "__eq__",
        "__ne__": "__ne__"
    ]

    /// A comparison of two ints or floats, where it is met; nil for anything else.
    @inline(__always)
    static func compareNumbers(_ op: ComparisonOperator, _ a: Object, _ b: Object) -> Bool? {
        guard let x = Number(a), let y = Number(b) else { return nil }
        return compareNumbers(op, x, y)
    }

    /// The same on numbers already unwrapped: ints exactly, a float with either as doubles.
    @inline(__always)
    static func compareNumbers(_ op: ComparisonOperator, _ a: Number, _ b: Number) -> Bool? {
        if case .int(let x) = a, case .int(let y) = b { return compare(op, x, y) }
        let x: Double
        let y: Double
        switch a {
        case .int(let n): x = Double(n)
        case .float(let d): x = d
        }
        switch b {
        case .int(let n): y = Double(n)
        case .float(let d): y = d
        }
        return compare(op, x, y)
    }

    @inline(__always)
    private static func compare<T: Comparable>(_ op: ComparisonOperator, _ x: T, _ y: T) -> Bool? {
        switch op {
        case .equal: x == y
        case .notEqual: x != y
        case .less: x < y
        case .lessOrEqual: x <= y
        case .greater: x > y
        case .greaterOrEqual: x >= y
        default: nil
        }
    }

    static func floorDivide(_ a: Double, _ b: Double) -> Double {
        let remainder = a.truncatingRemainder(dividingBy: b)
        var quotient = (a - remainder) / b
        if remainder != 0 && (remainder < 0) != (b < 0) { quotient -= 1 }
        return quotient
    }

    static func modulo(_ a: Double, _ b: Double) -> Double {
        var r = a.truncatingRemainder(dividingBy: b)
        if r != 0 && (r < 0) != (b < 0) { r += b }
        return r == 0 ? (b < 0 ? -0.0 : 0.0) : r
    }

    static func overflow(_ op: BinaryOperator, _ a: Int, _ b: Int) -> NotebookError {
        .python(
            "OverflowError",
            "\(a) \(op.rawValue) \(b) does not fit in 64 bits (gradbook's ints are 64-bit; use a float, e.g. \(a).0 \(op.rawValue) \(b))"
        )
    }

    static func integers(_ op: BinaryOperator, _ a: Int, _ b: Int) throws(NotebookError) -> Object {
        switch op {
        case .add:
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw overflow(op, a, b) }
            return .int(r)
        case .subtract:
            let (r, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow(op, a, b) }
            return .int(r)
        case .multiply:
            let (r, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow(op, a, b) }
            return .int(r)
        case .divide:
            guard b != 0 else { throw .python("ZeroDivisionError", "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide:
            guard b != 0 else { throw .python("ZeroDivisionError", "integer division or modulo by zero") }
            if a == .min && b == -1 { throw overflow(op, a, b) }
            let q = a / b
            return .int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
        case .remainder:
            guard b != 0 else { throw .python("ZeroDivisionError", "integer modulo by zero") }
            if b == -1 { return .int(0) }
            let r = a % b
            return .int(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        case .power:
            if b < 0 {
                guard a != 0 else { throw .python("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(a), Double(b)))
            }
            var result = 1
            var base = a
            var exponent = b
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw overflow(op, a, b) }
                    result = r
                }
                exponent >>= 1
                if exponent > 0 {
                    let (sq, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw overflow(op, a, b) }
                    base = sq
                }
            }
            return .int(result)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .shiftLeft:
            guard b >= 0 else { throw .python("ValueError", "negative shift count") }
            guard b < 63, (a << b) >> b == a else { throw overflow(op, a, b) }
            return .int(a << b)
        case .shiftRight:
            guard b >= 0 else { throw .python("ValueError", "negative shift count") }
            return .int(b >= 64 ? (a < 0 ? -1 : 0) : a >> b)
        case .matrixMultiply:
            throw .python("TypeError", "unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    static func doubles(_ op: BinaryOperator, _ a: Double, _ b: Double) throws(NotebookError) -> Object {
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            guard b != 0 else { throw .python("ZeroDivisionError", "float division by zero") }
            return .float(a / b)
        case .floorDivide:
            guard b != 0 else { throw .python("ZeroDivisionError", "float floor division by zero") }
            return .float(floorDivide(a, b))
        case .remainder:
            guard b != 0 else { throw .python("ZeroDivisionError", "float modulo") }
            return .float(modulo(a, b))
        case .power:
            if a == 0 && b < 0 { throw .python("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
            if a < 0 && b != b.rounded() && b.isFinite {
                throw .python(
                    "ValueError",
                    "\(a.pythonRepr) ** \(b.pythonRepr) is a complex number, which the notebook does not have")
            }
            let result = Foundation.pow(a, b)
            if result.isInfinite && a.isFinite && b.isFinite {
                throw .python("OverflowError", "(34, 'Numerical result out of range')")
            }
            return .float(result)
        default:
            throw .python("TypeError", "unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }
}

extension Interpreter {
    package func binary(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object, column: Int) throws(NotebookError) -> Object
    {
        do {
            return try binary(op, lhs, rhs)
        } catch {
            throw error.located(Location(line: 1, column: column))
        }
    }

    /// `lhs op rhs`.
    package func binary(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object) throws(NotebookError) -> Object {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return try Operators.integers(op, a, b)
        case (.float(let a), .float(let b)): return try Operators.doubles(op, a, b)
        case (.int(let a), .float(let b)): return try Operators.doubles(op, Double(a), b)
        case (.float(let a), .int(let b)): return try Operators.doubles(op, a, Double(b))
        case (.bool, _), (_, .bool):
            if lhs.isNumber && rhs.isNumber { return try binary(op, lhs.withoutBool, rhs.withoutBool) }
        default: break
        }
        // A user's class: __op__ on the left, else __rop__ on the right.
        if case .instance = lhs, let f = special(lhs, op.specialMethods.forward) {
            let result = try invoke(f, lhs, rhs)
            if !result.isNotImplemented { return result }
        }
        if case .instance = rhs, let f = special(rhs, op.specialMethods.reflected) {
            let result = try invoke(f, rhs, lhs)
            if !result.isNotImplemented { return result }
        }
        if let o = lhs.arithmetic { return try o.binary(op, rhs, reversed: false) }
        if let o = rhs.arithmetic, !(op == .remainder && lhs.isString) {
            return try o.binary(op, lhs, reversed: true)
        }
        switch (lhs, rhs) {
        case (.value, _), (_, .value):
            return try valueArithmetic(op, lhs, rhs)
        case (.string(let a), .string(let b)) where op == .add:
            try Builtins.checkLength(a.utf8.count + b.utf8.count, of: "string")
            return .string(a + b)
        case (.list(let a), .list(let b)) where op == .add:
            try Builtins.checkLength(a.items.count + b.items.count, of: "list")
            return .list(a.items + b.items)
        case (.tuple(let a), .tuple(let b)) where op == .add:
            try Builtins.checkLength(a.items.count + b.items.count, of: "tuple")
            return .tuple(a.items + b.items)
        case (.string(let s), .int(let n)) where op == .multiply, (.int(let n), .string(let s)) where op == .multiply:
            try Builtins.checkLength(
                s.utf8.count * Swift.max(0, Swift.min(n, Builtins.maximumLength + 1)), of: "string")
            return .string(n <= 0 ? "" : String(repeating: s, count: n))
        case (.list(let box), .int(let n)) where op == .multiply, (.int(let n), .list(let box)) where op == .multiply:
            try Builtins.checkLength(
                box.items.count * Swift.max(0, Swift.min(n, Builtins.maximumLength + 1)), of: "list")
            return .list(n <= 0 ? [] : Array([[Object]](repeating: box.items, count: n).joined()))
        case (.tuple(let box), .int(let n)) where op == .multiply, (.int(let n), .tuple(let box)) where op == .multiply:
            try Builtins.checkLength(
                box.items.count * Swift.max(0, Swift.min(n, Builtins.maximumLength + 1)), of: "tuple")
            return .tuple(n <= 0 ? [] : Array([[Object]](repeating: box.items, count: n).joined()))
        case (.string(let format), _) where op == .remainder:
            return .string(try percentFormat(format, rhs))
        case (.set(let a), .set(let b)):
            switch op {
            case .bitOr: return .set(try SetBox(a.items + b.items))
            case .bitAnd: return .set(try SetBox(try a.items.keeping(b, true)))
            case .subtract: return .set(try SetBox(try a.items.keeping(b, false)))
            case .bitXor:
                let left = try a.items.keeping(b, false)
                let right = try b.items.keeping(a, false)
                return .set(try SetBox(left + right))
            default: break
            }
        case (.dict(let a), .dict(let b)) where op == .bitOr:
            let merged = DictBox()
            for (k, v) in zip(a.keys, a.values) { try merged.set(k, v) }
            for (k, v) in zip(b.keys, b.values) { try merged.set(k, v) }
            return .dict(merged)
        default: break
        }
        throw .python(
            "TypeError", "unsupported operand type(s) for \(op.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'")
    }

    /// `x op= y`: lists extend in place (`xs += [1]` changes every name holding xs), as in Python.
    func inPlace(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object) throws(NotebookError) -> Object {
        if op == .add, case .list(let box) = lhs {
            let added = try items(of: rhs)
            try Builtins.checkLength(box.items.count + added.count, of: "list")
            box.items += added
            return lhs
        }
        if case .instance = lhs, let f = special(lhs, op.specialMethods.inPlace) {
            let result = try invoke(f, [lhs, rhs], [])
            if !result.isNotImplemented { return result }
        }
        if let o = lhs.arithmetic, let result = try o.inPlace(op, rhs) { return result }
        return try binary(op, lhs, rhs)
    }

    /// The graph micrograd builds: a number on the left is the Value's right operand (`__radd__`,
    /// `__rmul__`); `a - b` is `a + (-b)` with `-b` a `* -1` node, or a negated constant when b is
    /// a number; `a / b` is `a * b**-1`, or a times the number's inverse.
    private func valueArithmetic(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object) throws(NotebookError) -> Object {
        let a = try asValue(lhs, op)
        let b = try asValue(rhs, op)
        let result: Value
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
            if b.op == .constant, !(rhs.isValue) { result = a.pow(b.data) } else { result = a.pow(b) }
        default:
            throw .python(
                "TypeError", "unsupported operand type(s) for \(op.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'")
        }
        checkFinite(op.rawValue, [a.data, b.data], result.data)
        return .value(result)
    }

    /// A `Value` for an operand: itself, or a constant for a plain number.
    private func asValue(_ object: Object, _ op: BinaryOperator) throws(NotebookError) -> Value {
        switch object {
        case .value(let v): return v
        case .float(let n): return Value(constant: n)
        case .int(let n): return Value(constant: Double(n))
        case .bool(let b): return Value(constant: b ? 1 : 0)
        default:
            throw .python(
                "TypeError", "unsupported operand type(s) for \(op.rawValue): a Value and a '\(object.typeName)'")
        }
    }

    func unary(_ op: UnaryOperator, _ operand: Object) throws(NotebookError) -> Object {
        switch (op, operand) {
        case (.negate, .int(let n)):
            guard n != .min else { throw .python("OverflowError", "-(\(n)) does not fit in 64 bits") }
            return .int(-n)
        case (.negate, .float(let n)): return .float(-n)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .value(let v)): return .value(v * Value(constant: -1))  // micrograd's `self * -1`
        case (.plus, .int), (.plus, .float), (.plus, .value): return operand
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let n)): return .int(~n)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (_, .instance):
            let name = op == .negate ? "__neg__" : op == .plus ? "__pos__" : "__invert__"
            if let f = special(operand, name) { return try invoke(f, [operand], []) }
        case (.negate, .object(let o as any ArithmeticObject)): return try o.negated()
        case (.plus, .object(let o as any ArithmeticObject)): return .object(o)
        case (.invert, .object(let t as TensorObject)): return try t.inverted()
        default: break
        }
        throw .python("TypeError", "bad operand type for unary \(op.rawValue): '\(operand.typeName)'")
    }

    package func negate(_ operand: Object, column: Int) throws(NotebookError) -> Object {
        do {
            return try unary(.negate, operand)
        } catch {
            throw error.located(Location(line: 1, column: column))
        }
    }

    /// `lhs op rhs` for a comparison.
    package func compare(_ op: ComparisonOperator, _ lhs: Object, _ rhs: Object) throws(NotebookError) -> Object {
        switch op {
        case .is: return .bool(Self.identical(lhs, rhs))
        case .isNot: return .bool(!Self.identical(lhs, rhs))
        case .in: return .bool(try contains(rhs, lhs))
        case .notIn: return .bool(!(try contains(rhs, lhs)))
        default: break
        }
        if let result = Operators.compareNumbers(op, lhs, rhs) { return .bool(result) }
        if let o = lhs.arithmetic, let result = try o.compare(op, rhs, reversed: false) {
            return result
        }
        if let o = rhs.arithmetic, let result = try o.compare(op, lhs, reversed: true) {
            return result
        }
        if let name = op.methodName {
            if case .instance = lhs, let f = special(lhs, name) {
                let result = try invoke(f, [lhs, rhs], [])
                if !result.isNotImplemented { return result }
            }
            if case .instance = rhs, let mirrored = Operators.reflectedComparison[name], let f = special(rhs, mirrored)
            {
                let result = try invoke(f, [rhs, lhs], [])
                if !result.isNotImplemented { return result }
            }
        }
        switch op {
        case .equal: return .bool(try equal(lhs, rhs))
        case .notEqual: return .bool(!(try equal(lhs, rhs)))
        default:
            let order = try ordering(lhs, rhs, op)
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    package func compare(_ op: ComparisonOperator, _ lhs: Object, _ rhs: Object, column: Int) throws(NotebookError)
        -> Object
    {
        do {
            return try compare(op, lhs, rhs)
        } catch {
            throw error.located(Location(line: 1, column: column))
        }
    }

    static func identical(_ a: Object, _ b: Object) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return x == y
        case (.value(let x), .value(let y)): return x == y
        case (.list(let x), .list(let y)): return x === y
        case (.tuple(let x), .tuple(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.set(let x), .set(let y)): return x === y
        case (.closure(let x), .closure(let y)): return x === y
        case (.type(let x), .type(let y)): return x === y
        case (.instance(let x), .instance(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.function(let x), .function(let y)): return x.name == y.name
        default: return false
        }
    }

    /// Python's `==`: numbers by value across int, float and bool; containers item by item.
    package func equal(_ lhs: Object, _ rhs: Object, depth: Int = 0) throws(NotebookError) -> Bool {
        guard depth < Object.maximumPrintDepth else { throw Object.tooDeep("compare") }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)):
            if a === b { return true }
            return try itemsEqual(a.items, b.items, depth)
        case (.tuple(let a), .tuple(let b)):
            if a === b { return true }
            return try itemsEqual(a.items, b.items, depth)
        case (.dict(let a), .dict(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in zip(a.keys, a.values) {
                guard let other = try b.get(k), try equal(v, other, depth: depth + 1) else { return false }
            }
            return true
        case (.set(let a), .set(let b)):
            guard a.count == b.count else { return false }
            for item in a.items where !(try b.contains(item)) { return false }
            return true
        case (.instance, _), (_, .instance):
            if case .instance = lhs, let f = special(lhs, "__eq__") {
                let result = try invoke(f, [lhs, rhs], [])
                if !result.isNotImplemented { return try truth(result) }
            }
            return Self.identical(lhs, rhs)
        case (.value(let a), .value(let b)): return a == b
        default:
            if lhs.isNumber && rhs.isNumber {
                return (try? lhs.number(as: "")) == (try? rhs.number(as: ""))
            }
            return Self.identical(lhs, rhs)
        }
    }

    private func itemsEqual(_ a: [Object], _ b: [Object], _ depth: Int) throws(NotebookError) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where !(try equal(x, y, depth: depth + 1)) { return false }
        return true
    }

    /// -1, 0 or 1 for `<`, `==`, `>`; TypeError for objects Python does not order.
    func ordering(_ lhs: Object, _ rhs: Object, _ op: ComparisonOperator = .less, depth: Int = 0) throws(NotebookError)
        -> Int
    {
        guard depth < Object.maximumPrintDepth else { throw Object.tooDeep("compare") }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.string(let a), .string(let b)):
            // Python orders strings by code point.
            let x = Array(a.unicodeScalars).map(\.value)
            let y = Array(b.unicodeScalars).map(\.value)
            return x.lexicographicallyPrecedes(y) ? -1 : x == y ? 0 : 1
        case (.list(let a), .list(let b)): return try sequenceOrdering(a.items, b.items, op, depth)
        case (.tuple(let a), .tuple(let b)): return try sequenceOrdering(a.items, b.items, op, depth)
        case (.instance, _):
            if let f = special(lhs, "__lt__") {
                if try truth(try invoke(f, [lhs, rhs], [])) { return -1 }
                if let g = special(rhs, "__lt__"), try truth(try invoke(g, [rhs, lhs], [])) { return 1 }
                return 0
            }
        default:
            if lhs.isNumber && rhs.isNumber {
                let a = try lhs.number(as: "")
                let b = try rhs.number(as: "")
                if a.isNaN || b.isNaN { return op == .less || op == .lessOrEqual ? 1 : -1 }  // every comparison False
                return a < b ? -1 : a > b ? 1 : 0
            }
            if let order = try tensorOrdering(lhs, rhs) { return order }
        }
        throw .python(
            "TypeError", "'\(op.rawValue)' not supported between instances of '\(lhs.typeName)' and '\(rhs.typeName)'")
    }

    /// `max`, `min` and `sorted` over one-element tensors, by the tensors' own `<` and `>`.
    private func tensorOrdering(_ lhs: Object, _ rhs: Object) throws(NotebookError) -> Int? {
        let less: Object?
        let greater: Object?
        if let tensor = lhs.arithmetic {
            less = try tensor.compare(ComparisonOperator.less, rhs, reversed: false)
            greater = try tensor.compare(ComparisonOperator.greater, rhs, reversed: false)
        } else if let tensor = rhs.arithmetic {
            less = try tensor.compare(ComparisonOperator.less, lhs, reversed: true)
            greater = try tensor.compare(ComparisonOperator.greater, lhs, reversed: true)
        } else {
            return nil
        }
        guard let less, let greater else { return nil }
        if try truth(less) { return -1 }
        return try truth(greater) ? 1 : 0
    }

    private func sequenceOrdering(_ a: [Object], _ b: [Object], _ op: ComparisonOperator, _ depth: Int)
        throws(NotebookError)
        -> Int
    {
        for (x, y) in zip(a, b) where !(try equal(x, y, depth: depth + 1)) {
            return try ordering(x, y, op, depth: depth + 1)
        }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }

    /// `item in container`.
    func contains(_ container: Object, _ item: Object) throws(NotebookError) -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let part) = item else {
                throw .python("TypeError", "'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return part.isEmpty || s.contains(part)
        case .dict(let box): return try box.get(item) != nil
        case .set(let box): return try box.contains(item)
        case .object(let r as RangeObject):
            guard case .int(let n) = item else { return false }
            return r.step > 0
                ? n >= r.start && n < r.stop && (n - r.start) % r.step == 0
                : n <= r.start && n > r.stop && (r.start - n) % (-r.step) == 0
        case .instance:
            if let f = special(container, "__contains__") { return try truth(try invoke(f, [container, item], [])) }
        default: break
        }
        var iterator = try iterate(container)
        while let element = try iterator.next() {
            if Self.identical(element, item) { return true }
            if try equal(element, item) { return true }
        }
        return false
    }

    /// Warns when an op on a `Value` turns finite inputs into nan or inf (division by zero, log of
    /// a negative): the graph is kept, and the warning says where the nan came from.
    package func checkFinite(_ op: String, _ inputs: [Double], _ result: Double) {
        guard !result.isFinite, inputs.allSatisfy(\.isFinite) else { return }
        let shown = inputs.map(\.pythonRepr)
        switch op {
        case "/" where inputs.count > 1 && inputs[1] == 0:
            warn("division by zero: \(shown[0]) / 0 gives \(result.pythonRepr)")
        case "log" where inputs[0] < 0:
            warn("log(\(shown[0])) is nan: log is defined for positive numbers only")
        case "log":
            warn("log(0) is -inf")
        default:
            let expression = inputs.count > 1 ? "\(shown[0]) \(op) \(shown[1])" : "\(op)(\(shown[0]))"
            warn("\(expression) gives \(result.pythonRepr)")
        }
    }
}

extension [Object] {
    /// The items that are (or are not) in `set`, in order.
    func keeping(_ set: SetBox, _ members: Bool) throws(NotebookError) -> [Object] {
        var result: [Object] = []
        for item in self where try set.contains(item) == members { result.append(item) }
        return result
    }
}

extension Object {
    var isNumber: Bool {
        switch self {
        case .int, .float, .bool: true
        default: false
        }
    }

    /// A bool as the int it counts as; anything else as it is.
    var withoutBool: Object {
        if case .bool(let b) = self { return .int(b ? 1 : 0) }
        return self
    }

    /// Whether `for` can walk it (a user's class is asked when it is walked).
    var isIterable: Bool {
        switch self {
        case .list, .tuple, .string, .dict, .set, .instance: true
        case .object(let o): o is any IterableObject
        default: false
        }
    }

    /// "an int", "a str": the type's name with its article, for messages.
    package var typeNameWithArticle: String {
        let name = typeName
        return ("aeiouAEIOU".contains(name.first ?? "x") ? "an " : "a ") + name
    }

    var isValue: Bool {
        if case .value = self { return true }
        return false
    }

    var isString: Bool {
        if case .string = self { return true }
        return false
    }

    /// Python's `NotImplemented`, which an operator method returns to let the other operand try.
    var isNotImplemented: Bool {
        if case .object(let o) = self, o is NotImplementedObject { return true }
        return false
    }

    static func == (lhs: Object, rhs: Object) -> Bool { Interpreter.identical(lhs, rhs) }
}

final class NotImplementedObject: NotebookObject {
    static let typeName = "NotImplementedType"
    var description: String { "NotImplemented" }
    var attributeNames: [String] { [] }
    func attribute(_ name: String) throws(NotebookError) -> Object {
        throw .python("AttributeError", "'NotImplementedType' object has no attribute '\(name)'")
    }
}

// The syntax tree of the notebook language: Python's expressions and simple statements.

/// An arithmetic operator, spelled as typed.
package enum BinaryOperator: String, CaseIterable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case floorDivide = "//"
    case remainder = "%"
    case power = "**"
    case matrixMultiply = "@"
}

/// A comparison, spelled as typed.
package enum ComparisonOperator: String, CaseIterable, Sendable {
    case equal = "=="
    case notEqual = "!="
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case less = "<"
    case greater = ">"
}

/// `and` / `or`.
package enum LogicalOperator: String, Sendable {
    case and, or
}

/// An expression, with the column where it starts for error messages.
package indirect enum Expression {
    case number(Double)
    case string(String)
    case name(String, column: Int)
    case list([Expression])
    case tuple([Expression])
    /// `-x` (unary `+` leaves its operand as it is).
    case negate(Expression, column: Int)
    case binary(BinaryOperator, Expression, Expression, column: Int)
    /// A left-associative run `a + b - c` or `a * b / c`, kept flat so that a 10,000-term sum is
    /// parsed, evaluated and freed without one stack frame per term.
    case chain(Expression, [ChainLink])
    case compare(ComparisonOperator, Expression, Expression, column: Int)
    /// `a and b and c` / `a or b or c`, flat for the same reason as `chain`.
    case logical(LogicalOperator, [Expression])
    case not(Expression)
    case call(Expression, [Argument], column: Int)
    case attribute(Expression, String, column: Int)
    case subscripted(Expression, Expression, column: Int)
    case slice(Expression?, Expression?)
    /// `[element for targets in source]` (as a list) or `(element for targets in source)`.
    case comprehension(element: Expression, targets: [String], source: Expression, condition: Expression?, isList: Bool)
    case conditional(Expression, condition: Expression, otherwise: Expression)

    package struct ChainLink {
        let op: BinaryOperator
        let operand: Expression
        let column: Int
    }

    package struct Argument {
        let keyword: String?
        let value: Expression
    }
}

/// A statement: one of the pieces of a line between `;`.
package enum Statement {
    case expression(Expression)
    /// `target = value`
    case assign(Expression, Expression)
    /// `target += value` (and the other operators): rebinds the target, as Python does.
    case augmented(Expression, BinaryOperator, Expression, column: Int)
    /// `for x in xs: statement` on one line.
    case loop(targets: [String], source: Expression, body: [Statement])
    /// `import …` / `from … import …`: accepted so lecture code pastes as is; nothing to load.
    case importModule(String)
    case pass
}

// The syntax tree of the notebook language: Python's expressions and simple statements.

/// An expression, with the column where it starts for error messages.
package indirect enum Expression {
    case number(Double)
    case string(String)
    case name(String, column: Int)
    case list([Expression])
    case tuple([Expression])
    case unary(String, Expression, column: Int)
    case binary(String, Expression, Expression, column: Int)
    /// A left-associative run `a + b - c` or `a * b / c`, kept flat so that a 10,000-term sum is
    /// parsed, evaluated and freed without one stack frame per term.
    case chain(Expression, [ChainLink])
    case compare(String, Expression, Expression, column: Int)
    /// `a and b and c` / `a or b or c`, flat for the same reason as `chain`.
    case logical(String, [Expression])
    case not(Expression)
    case call(Expression, [Argument], column: Int)
    case attribute(Expression, String, column: Int)
    case subscripted(Expression, Expression, column: Int)
    case slice(Expression?, Expression?)
    /// `[element for targets in source]` (as a list) or `(element for targets in source)`.
    case comprehension(element: Expression, targets: [String], source: Expression, condition: Expression?, isList: Bool)
    case conditional(Expression, condition: Expression, otherwise: Expression)

    package struct ChainLink {
        let op: String
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
    case augmented(Expression, String, Expression, column: Int)
    /// `for x in xs: statement` on one line.
    case loop(targets: [String], source: Expression, body: [Statement])
    /// `import …` / `from … import …`: accepted so lecture code pastes as is; nothing to load.
    case importModule(String)
    case pass
}

// The syntax tree of the notebook language: the subset of Python the lectures type, from
// expressions to `def`, `class` and the block statements. The parser makes it, the compiler
// (Compiler.swift) turns it into the nodes the interpreter runs.

/// Where something was typed: 1-based line within the cell and 1-based column.
package struct Location: Equatable, Sendable {
    package var line: Int
    package var column: Int
    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// An arithmetic or bitwise operator, spelled as typed.
package enum BinaryOperator: String, CaseIterable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case floorDivide = "//"
    case remainder = "%"
    case power = "**"
    case matrixMultiply = "@"
    case bitAnd = "&"
    case bitOr = "|"
    case bitXor = "^"
    case shiftLeft = "<<"
    case shiftRight = ">>"

    /// The operator's special methods, `__add__`, `__radd__` and `__iadd__` (spelled out, so that
    /// calling one on a user's class makes no string).
    package var specialMethods: (forward: String, reflected: String, inPlace: String) {
        switch self {
        case .add: ("__add__", "__radd__", "__iadd__")
        case .subtract: ("__sub__", "__rsub__", "__isub__")
        case .multiply: ("__mul__", "__rmul__", "__imul__")
        case .divide: ("__truediv__", "__rtruediv__", "__itruediv__")
        case .floorDivide: ("__floordiv__", "__rfloordiv__", "__ifloordiv__")
        case .remainder: ("__mod__", "__rmod__", "__imod__")
        case .power: ("__pow__", "__rpow__", "__ipow__")
        case .matrixMultiply: ("__matmul__", "__rmatmul__", "__imatmul__")
        case .bitAnd: ("__and__", "__rand__", "__iand__")
        case .bitOr: ("__or__", "__ror__", "__ior__")
        case .bitXor: ("__xor__", "__rxor__", "__ixor__")
        case .shiftLeft: ("__lshift__", "__rlshift__", "__ilshift__")
        case .shiftRight: ("__rshift__", "__rrshift__", "__irshift__")
        }
    }
}

/// A comparison, spelled as typed.
package enum ComparisonOperator: String, CaseIterable, Sendable {
    case equal = "=="
    case notEqual = "!="
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case less = "<"
    case greater = ">"
    case `in` = "in"
    case notIn = "not in"
    case `is` = "is"
    case isNot = "is not"

    /// The rich-comparison method (`__lt__`), where there is one.
    package var methodName: String? {
        switch self {
        case .equal: "__eq__"
        case .notEqual: "__ne__"
        case .less: "__lt__"
        case .lessOrEqual: "__le__"
        case .greater: "__gt__"
        case .greaterOrEqual: "__ge__"
        default: nil
        }
    }
}

/// `and` / `or`.
package enum LogicalOperator: String, Sendable {
    case and, or
}

/// `-x`, `+x`, `~x`.
package enum UnaryOperator: String, Sendable {
    case negate = "-"
    case plus = "+"
    case invert = "~"
}

/// An expression.
package indirect enum Expression {
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case bool(Bool)
    case none
    case ellipsis
    /// `f'...'`: literal text and `{expression!conversion:spec}` fields in order.
    case formatted([FormattedPart])
    case name(String, Location)
    case list([Expression])
    case tuple([Expression])
    case set([Expression])
    /// `{k: v, **other}`: a nil key spreads a mapping.
    case dict([(key: Expression?, value: Expression)])
    /// `*xs` in a call, a display or an assignment target.
    case starred(Expression, Location)
    case unary(UnaryOperator, Expression, Location)
    case binary(BinaryOperator, Expression, Expression, Location)
    /// A left-associative run `a + b - c`, kept flat so that a 10,000-term sum is parsed, compiled
    /// and evaluated without one stack frame per term.
    case chain(Expression, [ChainLink])
    /// `a < b <= c`: each comparison with the operand before it.
    case compare(Expression, [(ComparisonOperator, Expression, Location)])
    case logical(LogicalOperator, [Expression])
    case not(Expression)
    case call(Expression, [Argument], Location)
    case attribute(Expression, String, Location)
    case subscripted(Expression, Expression, Location)
    case slice(Expression?, Expression?, Expression?)
    case comprehension(Comprehension)
    case conditional(Expression, condition: Expression, otherwise: Expression)
    case lambda(Parameters, Expression, Location)

    package struct ChainLink {
        let op: BinaryOperator
        let operand: Expression
        let location: Location
    }

    /// A call's argument: positional, `name=value`, `*xs` or `**kw`.
    package struct Argument {
        enum Kind {
            case positional
            case keyword(String)
            case unpacked
            case unpackedKeywords
        }
        let kind: Kind
        let value: Expression
    }

    package enum FormattedPart {
        case text(String)
        case field(Expression, conversion: Character?, spec: [FormattedPart], source: String)
    }
}

/// `[element for target in source if condition …]` and its set, dict and generator forms.
package struct Comprehension {
    package enum Kind { case list, set, dict, generator }
    let kind: Kind
    let element: Expression
    /// The value of a dict comprehension (`element` is then the key).
    let value: Expression?
    let clauses: [Clause]

    struct Clause {
        let target: Expression
        let source: Expression
        let conditions: [Expression]
    }
}

/// A function's parameters: `(a, b=1, *args, c, **kwargs)`.
package struct Parameters {
    struct Parameter {
        let name: String
        let defaultValue: Expression?
    }
    var positional: [Parameter] = []
    var variadic: String?
    var keywordOnly: [Parameter] = []
    var keywords: String?

    var names: [String] {
        positional.map(\.name) + [variadic].compactMap { $0 } + keywordOnly.map(\.name) + [keywords].compactMap { $0 }
    }
}

/// A statement, with the location it starts at.
package struct Statement {
    package let kind: Kind
    package let location: Location

    package indirect enum Kind {
        case expression(Expression)
        /// `a = b = value`: every target gets the value.
        case assign([Expression], Expression)
        case augmented(Expression, BinaryOperator, Expression)
        case forLoop(target: Expression, source: Expression, body: [Statement], otherwise: [Statement])
        case whileLoop(condition: Expression, body: [Statement], otherwise: [Statement])
        case ifElse([(condition: Expression, body: [Statement])], otherwise: [Statement])
        case breakLoop
        case continueLoop
        case pass
        case returnValue(Expression?)
        case function(FunctionDefinition)
        case classDefinition(ClassDefinition)
        case with([(context: Expression, name: Expression?)], body: [Statement])
        case assert(Expression, message: Expression?)
        case delete([Expression])
        case global([String])
        case nonlocal([String])
        /// `import a.b as c, d`
        case importModules([(module: String, alias: String?)])
        /// `from a import b as c, d` (`*` imports every public name)
        case importNames(module: String, names: [(name: String, alias: String?)])
        case raise(Expression?)
        case tryExcept(body: [Statement], handlers: [Handler], otherwise: [Statement], finally: [Statement])
        /// `%timeit STMT` and the other IPython magics.
        case magic(name: String, argument: String)
    }

    package struct Handler {
        let type: Expression?
        let name: String?
        let body: [Statement]
        let location: Location
    }
}

package struct FunctionDefinition {
    let name: String
    let parameters: Parameters
    let body: [Statement]
    let decorators: [Expression]
}

package struct ClassDefinition {
    let name: String
    let bases: [Expression]
    let body: [Statement]
    let decorators: [Expression]
}

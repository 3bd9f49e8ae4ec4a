// A recursive-descent parser for the notebook language, with Python's precedence:
// `if-else` < `or` < `and` < `not` < comparisons < `+ -` < `* / // % @` < unary `-` < `**` < calls.

/// Parses the tokens of one statement.
package struct Parser {
    private var tokens: [Token]
    private var position = 0
    /// How deep the expression being parsed nests (parentheses, brackets, calls, unary operators,
    /// `not`, `**`, conditionals): a bound on the parser's recursion and on every later walk of the tree.
    private var depth = 0
    /// As in CPython, which refuses more than 200 nested parentheses.
    package static let maximumDepth = 200

    package init(_ tokens: [Token]) { self.tokens = tokens }

    /// Parses `text` as a `;`-separated sequence of statements.
    package static func parse(_ text: String, columnOffset: Int = 0) throws(NotebookError) -> [Statement] {
        var parser = Parser(try Lexer.tokenize(text, columnOffset: columnOffset))
        let statements = try parser.statementSequence()
        try parser.expectEnd()
        return statements
    }

    /// Parses `text` as a single expression.
    package static func parseExpression(_ text: String) throws(NotebookError) -> Expression {
        var parser = Parser(try Lexer.tokenize(text))
        let expression = try parser.expression()
        try parser.expectEnd()
        return expression
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func accept(_ symbol: String) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func acceptKeyword(_ word: String) -> Bool {
        guard current.kind == .name(word) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(NotebookError) {
        guard accept(symbol) else {
            throw .syntax("expected '\(symbol)' \(context), found \(current.text)", column: current.column)
        }
    }

    private func expectEnd() throws(NotebookError) {
        guard current.kind == .end else {
            throw .syntax("unexpected \(current.text)", column: current.column)
        }
    }

    private mutating func identifier(_ context: String) throws(NotebookError) -> String {
        guard case .name(let name) = current.kind else {
            throw .syntax("expected a name \(context), found \(current.text)", column: current.column)
        }
        position += 1
        return name
    }

    // MARK: Statements

    private mutating func statementSequence() throws(NotebookError) -> [Statement] {
        var statements: [Statement] = []
        repeat {
            if current.kind == .end { break }
            statements.append(try statement())
        } while accept(";")
        return statements
    }

    private mutating func statement() throws(NotebookError) -> Statement {
        if acceptKeyword("import") {
            var module = try identifier("after 'import'")
            while accept(".") || accept(",") { module += "." + (try identifier("in the module path")) }
            return .importModule(module)
        }
        if acceptKeyword("from") {
            var module = try identifier("after 'from'")
            while accept(".") { module += "." + (try identifier("in the module path")) }
            guard acceptKeyword("import") else {
                throw .syntax("expected 'import' after 'from \(module)'", column: current.column)
            }
            repeat { _ = accept("*") ? "*" : try identifier("to import") } while accept(",")
            return .importModule(module)
        }
        if acceptKeyword("pass") { return .pass }
        if acceptKeyword("for") {
            let targets = try targetList()
            guard acceptKeyword("in") else { throw .syntax("expected 'in' in the for loop", column: current.column) }
            let source = try expression()
            try expect(":", "after the for loop's header")
            // A Python block (the body on the lines below, indented) would otherwise run as an
            // empty loop followed by its first line, once.
            guard current.kind != .end else {
                throw .syntax(
                    "the for loop's body goes on the same line, after ':' (for x in xs: y = y + x; print(y)); bodies on the lines below are not supported",
                    column: current.column)
            }
            return .loop(targets: targets, source: source, body: try statementSequence())
        }
        let start = current.column
        let target = try expression()
        if accept("=") {
            try checkAssignable(target, column: start)
            return .assign(target, try expression())
        }
        for op in [BinaryOperator.add, .subtract, .multiply, .divide, .power, .floorDivide]
        where current.isSymbol(op.rawValue + "=") {
            let column = current.column
            position += 1
            try checkAssignable(target, column: start)
            return .augmented(target, op, try expression(), column: column)
        }
        return .expression(target)
    }

    private func checkAssignable(_ target: Expression, column: Int) throws(NotebookError) {
        switch target {
        case .name, .attribute, .subscripted: return
        default:
            throw .syntax(
                "cannot assign to this: the left of '=' must be a name, x.attribute or x[index]", column: column)
        }
    }

    /// `x` or `x, y` or `(x, y)`: the names a for loop or comprehension binds.
    private mutating func targetList() throws(NotebookError) -> [String] {
        let parenthesised = accept("(")
        var names = [try identifier("to loop over")]
        while accept(",") { names.append(try identifier("to loop over")) }
        if parenthesised { try expect(")", "after the loop names") }
        return names
    }

    // MARK: Expressions

    package mutating func expression() throws(NotebookError) -> Expression {
        try nested { (p: inout Parser) throws(NotebookError) in try p.unnestedExpression() }
    }

    /// Runs one level of the recursive descent, refusing input nested deeper than `maximumDepth`.
    private mutating func nested<T>(_ body: (inout Parser) throws(NotebookError) -> T) throws(NotebookError) -> T {
        guard depth < Parser.maximumDepth else {
            throw .syntax(
                "the expression is nested too deeply (more than \(Parser.maximumDepth) levels of brackets, operators or calls); split it into several lines with names for the parts",
                column: current.column)
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func unnestedExpression() throws(NotebookError) -> Expression {
        let value = try orExpression()
        if acceptKeyword("if") {
            let condition = try orExpression()
            guard acceptKeyword("else") else {
                throw .syntax("expected 'else' in the conditional expression", column: current.column)
            }
            return .conditional(value, condition: condition, otherwise: try expression())
        }
        return value
    }

    private mutating func orExpression() throws(NotebookError) -> Expression {
        let first = try andExpression()
        var operands = [first]
        while acceptKeyword("or") { operands.append(try andExpression()) }
        return operands.count == 1 ? first : .logical(.or, operands)
    }

    private mutating func andExpression() throws(NotebookError) -> Expression {
        let first = try notExpression()
        var operands = [first]
        while acceptKeyword("and") { operands.append(try notExpression()) }
        return operands.count == 1 ? first : .logical(.and, operands)
    }

    private mutating func notExpression() throws(NotebookError) -> Expression {
        if acceptKeyword("not") {
            return .not(try nested { (p: inout Parser) throws(NotebookError) in try p.notExpression() })
        }
        return try comparison()
    }

    private mutating func comparison() throws(NotebookError) -> Expression {
        let left = try sum()
        // Two-character operators first, so that `<=` is not read as `<`.
        for op in ComparisonOperator.allCases where current.isSymbol(op.rawValue) {
            let column = current.column
            position += 1
            return .compare(op, left, try sum(), column: column)
        }
        return left
    }

    private mutating func sum() throws(NotebookError) -> Expression {
        try leftAssociative([.add, .subtract]) { (p: inout Parser) throws(NotebookError) in try p.term() }
    }

    private mutating func term() throws(NotebookError) -> Expression {
        try leftAssociative([.multiply, .divide, .floorDivide, .remainder, .matrixMultiply]) {
            (p: inout Parser) throws(NotebookError) in try p.unary()
        }
    }

    /// `operand (op operand)*`, as one flat chain.
    private mutating func leftAssociative(
        _ ops: [BinaryOperator], operand: (inout Parser) throws(NotebookError) -> Expression
    )
        throws(NotebookError) -> Expression
    {
        let first = try operand(&self)
        var links: [Expression.ChainLink] = []
        while let op = ops.first(where: { current.isSymbol($0.rawValue) }) {
            let column = current.column
            position += 1
            links.append(.init(op: op, operand: try operand(&self), column: column))
        }
        return links.isEmpty ? first : .chain(first, links)
    }

    private mutating func unary() throws(NotebookError) -> Expression {
        let column = current.column
        if accept("-") {
            return .negate(try nested { (p: inout Parser) throws(NotebookError) in try p.unary() }, column: column)
        }
        if accept("+") { return try nested { (p: inout Parser) throws(NotebookError) in try p.unary() } }
        return try power()
    }

    private mutating func power() throws(NotebookError) -> Expression {
        let base = try postfix()
        let column = current.column
        if accept("**") {
            return .binary(
                .power, base, try nested { (p: inout Parser) throws(NotebookError) in try p.unary() }, column: column)
        }
        return base
    }

    private mutating func postfix() throws(NotebookError) -> Expression {
        var value = try atom()
        let outer = depth
        defer { depth = outer }
        while current.isSymbol("(") || current.isSymbol(".") || current.isSymbol("[") {
            // `f()()()…` and `x.a.b.c…` deepen the tree as nesting does.
            if depth >= Parser.maximumDepth {
                throw .syntax(
                    "the expression is nested too deeply (more than \(Parser.maximumDepth) calls, indexes or attributes in a row); split it into several lines",
                    column: current.column)
            }
            depth += 1
            let column = current.column
            if accept("(") {
                value = .call(value, try arguments(), column: column)
            } else if accept(".") {
                let nameColumn = current.column
                value = .attribute(value, try identifier("after '.'"), column: nameColumn)
            } else if accept("[") {
                value = .subscripted(value, try subscriptIndex(), column: column)
                try expect("]", "to close the index")
            }
        }
        return value
    }

    private mutating func subscriptIndex() throws(NotebookError) -> Expression {
        var lower: Expression?
        if !current.isSymbol(":") { lower = try expression() }
        guard accept(":") else {
            guard let lower else { throw .syntax("expected an index", column: current.column) }
            return lower
        }
        let upper: Expression? = current.isSymbol("]") ? nil : try expression()
        return .slice(lower, upper)
    }

    private mutating func arguments() throws(NotebookError) -> [Expression.Argument] {
        var arguments: [Expression.Argument] = []
        while !accept(")") {
            if case .name(let keyword) = current.kind, tokens[position + 1].isSymbol("=") {
                position += 2
                arguments.append(.init(keyword: keyword, value: try expression()))
            } else {
                let value = try expression()
                if acceptKeyword("for") {
                    arguments.append(.init(keyword: nil, value: try comprehension(value, isList: false)))
                } else {
                    arguments.append(.init(keyword: nil, value: value))
                }
            }
            if !accept(",") {
                try expect(")", "to close the call's arguments")
                break
            }
        }
        return arguments
    }

    /// The rest of `element for targets in source [if condition]`, after `for`.
    private mutating func comprehension(_ element: Expression, isList: Bool) throws(NotebookError) -> Expression {
        let targets = try targetList()
        guard acceptKeyword("in") else { throw .syntax("expected 'in' in the comprehension", column: current.column) }
        let source = try orExpression()
        let condition: Expression? = acceptKeyword("if") ? try orExpression() : nil
        return .comprehension(element: element, targets: targets, source: source, condition: condition, isList: isList)
    }

    private mutating func atom() throws(NotebookError) -> Expression {
        let token = advance()
        switch token.kind {
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .name(let name): return .name(name, column: token.column)
        case .symbol("("):
            if accept(")") { return .tuple([]) }
            let first = try expression()
            if acceptKeyword("for") {
                let generator = try comprehension(first, isList: false)
                try expect(")", "to close the generator expression")
                return generator
            }
            guard accept(",") else {
                try expect(")", "to close the parenthesis")
                return first
            }
            var items = [first]
            while !accept(")") {
                items.append(try expression())
                if !accept(",") {
                    try expect(")", "to close the tuple")
                    break
                }
            }
            return .tuple(items)
        case .symbol("["):
            if accept("]") { return .list([]) }
            let first = try expression()
            if acceptKeyword("for") {
                let list = try comprehension(first, isList: true)
                try expect("]", "to close the list comprehension")
                return list
            }
            var items = [first]
            while accept(",") {
                if current.isSymbol("]") { break }
                items.append(try expression())
            }
            try expect("]", "to close the list")
            return .list(items)
        case .end:
            throw .syntax("the line ends where a value was expected", column: token.column)
        default:
            throw .syntax("unexpected \(token.text)", column: token.column)
        }
    }
}

// A recursive-descent parser for the notebook language, with Python's grammar and precedence:
// `lambda` < `if-else` < `or` < `and` < `not` < comparisons < `|` < `^` < `&` < shifts < `+ -`
// < `* / // % @` < unary `- + ~` < `**` < calls, subscripts and attributes.

/// Parses the tokens of a cell.
package struct Parser {
    private var tokens: [Token]
    private var position = 0
    /// How deep the cell being parsed nests (brackets, calls, unary operators, blocks): a bound on
    /// the parser's recursion and on every later walk of the tree.
    private var depth = 0
    /// As in CPython, which refuses more than 200 nested parentheses.
    package static let maximumDepth = 200

    package init(_ tokens: [Token]) { self.tokens = tokens }

    /// Parses `text` as a sequence of statements (a cell: one line, or a block over several).
    package static func parse(_ text: String, columnOffset: Int = 0) throws(NotebookError) -> [Statement] {
        var parser = Parser(try Lexer.tokenize(text, columnOffset: columnOffset))
        var statements: [Statement] = []
        while true {
            while parser.current.kind == .newline { parser.position += 1 }
            if parser.current.kind == .end { break }
            if parser.current.kind == .indent {
                throw .syntax("unexpected indent", at: parser.current.location)
            }
            statements += try parser.statement()
        }
        return statements
    }

    /// Parses `text` as a single expression.
    package static func parseExpression(_ text: String) throws(NotebookError) -> Expression {
        var parser = Parser(try Lexer.tokenize(text))
        let expression = try parser.expressionList()
        while parser.current.kind == .newline { parser.position += 1 }
        guard parser.current.kind == .end else {
            throw .syntax("unexpected \(parser.current.text)", at: parser.current.location)
        }
        return expression
    }

    private var current: Token { tokens[position] }
    private var next: Token { tokens[min(position + 1, tokens.count - 1)] }

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

    private func isKeyword(_ word: String) -> Bool { current.kind == .name(word) }

    private mutating func acceptKeyword(_ word: String) -> Bool {
        guard isKeyword(word) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(NotebookError) {
        guard accept(symbol) else {
            throw .syntax("expected '\(symbol)' \(context), found \(current.text)", at: current.location)
        }
    }

    private mutating func expectKeyword(_ word: String, _ context: String) throws(NotebookError) {
        guard acceptKeyword(word) else {
            throw .syntax("expected '\(word)' \(context), found \(current.text)", at: current.location)
        }
    }

    private mutating func identifier(_ context: String) throws(NotebookError) -> String {
        guard case .name(let name) = current.kind, !Lexer.keywords.contains(name) else {
            throw .syntax("expected a name \(context), found \(current.text)", at: current.location)
        }
        position += 1
        return name
    }

    private mutating func nest() throws(NotebookError) {
        depth += 1
        if depth > Parser.maximumDepth {
            throw .syntax(
                "the expression is nested too deeply: more than \(Parser.maximumDepth) parentheses, calls, operators or blocks inside each other",
                at: current.location)
        }
    }

    // MARK: Statements

    /// One line's statements (`a = 1; b = 2`) or one compound statement.
    private mutating func statement() throws(NotebookError) -> [Statement] {
        let start = current.location
        if case .name(let word) = current.kind {
            switch word {
            case "if": return [try ifStatement()]
            case "for": return [try forStatement()]
            case "while": return [try whileStatement()]
            case "def": return [try functionDefinition(decorators: [])]
            case "class": return [try classDefinition(decorators: [])]
            case "with": return [try withStatement()]
            case "try": return [try tryStatement()]
            case "elif", "else", "except", "finally":
                throw .syntax(
                    "'\(word)' without the block it belongs to ('if', 'for', 'while' or 'try') above it", at: start)
            default: break
            }
        }
        if current.isSymbol("@") {
            var decorators: [Expression] = []
            while accept("@") {
                decorators.append(try expression())
                try endOfLine()
            }
            if isKeyword("def") { return [try functionDefinition(decorators: decorators)] }
            if isKeyword("class") { return [try classDefinition(decorators: decorators)] }
            throw .syntax("a decorator (@…) goes just above a 'def' or 'class'", at: current.location)
        }
        if current.isSymbol("%") { return [try magic()] }
        var statements = [try simpleStatement()]
        while accept(";") {
            if current.kind == .newline || current.kind == .end { break }
            statements.append(try simpleStatement())
        }
        try endOfLine()
        return statements
    }

    private mutating func endOfLine() throws(NotebookError) {
        if current.kind == .end || current.kind == .dedent { return }
        guard current.kind == .newline else {
            throw .syntax("unexpected \(current.text)", at: current.location)
        }
        position += 1
    }

    /// The body of a compound statement: statements on the same line after `:`, or an indented block.
    private mutating func block(_ context: String) throws(NotebookError) -> [Statement] {
        try expect(":", "after \(context)")
        try nest()
        defer { depth -= 1 }
        guard current.kind == .newline else {
            var statements = [try simpleStatement()]
            while accept(";") {
                if current.kind == .newline || current.kind == .end { break }
                statements.append(try simpleStatement())
            }
            try endOfLine()
            return statements
        }
        position += 1
        guard current.kind == .indent else {
            throw .syntax(
                current.kind == .end
                    ? "\(context) needs a body: type it on the lines below, indented (or 'pass')"
                    : "expected an indented block after \(context)",
                at: current.location)
        }
        position += 1
        var statements: [Statement] = []
        while current.kind != .dedent && current.kind != .end {
            if current.kind == .newline {
                position += 1
                continue
            }
            statements += try statement()
        }
        if current.kind == .dedent { position += 1 }
        return statements
    }

    private mutating func ifStatement() throws(NotebookError) -> Statement {
        let start = advance().location
        var branches: [(Expression, [Statement])] = []
        branches.append((try namedExpression(), try block("the if condition")))
        var otherwise: [Statement] = []
        while true {
            if acceptKeyword("elif") {
                branches.append((try namedExpression(), try block("the elif condition")))
            } else if acceptKeyword("else") {
                otherwise = try block("'else'")
                break
            } else {
                break
            }
        }
        return Statement(
            kind: .ifElse(branches.map { (condition: $0.0, body: $0.1) }, otherwise: otherwise), location: start)
    }

    private mutating func forStatement() throws(NotebookError) -> Statement {
        let start = advance().location
        let target = try targetList()
        try expectKeyword("in", "in the for loop (for x in xs:)")
        let source = try expressionList()
        let body = try block("the for loop's header")
        let otherwise = acceptKeyword("else") ? try block("'else'") : []
        return Statement(
            kind: .forLoop(target: target, source: source, body: body, otherwise: otherwise), location: start)
    }

    private mutating func whileStatement() throws(NotebookError) -> Statement {
        let start = advance().location
        let condition = try namedExpression()
        let body = try block("the while condition")
        let otherwise = acceptKeyword("else") ? try block("'else'") : []
        return Statement(kind: .whileLoop(condition: condition, body: body, otherwise: otherwise), location: start)
    }

    private mutating func functionDefinition(decorators: [Expression]) throws(NotebookError) -> Statement {
        let start = advance().location
        let name = try identifier("after 'def'")
        try expect("(", "after the function's name")
        let parameters = try parameterList(closing: ")")
        try expect(")", "after the parameters")
        if accept("->") { _ = try expression() }
        let body = try block("the def line")
        return Statement(
            kind: .function(FunctionDefinition(name: name, parameters: parameters, body: body, decorators: decorators)),
            location: start)
    }

    /// `a, b=1, *args, c=2, **kw` up to `closing` (`)` for def, `:` for lambda).
    private mutating func parameterList(closing: String) throws(NotebookError) -> Parameters {
        var parameters = Parameters()
        var seen: Set<String> = []
        var afterStar = false
        func add(_ name: String, at location: Location) throws(NotebookError) {
            guard seen.insert(name).inserted else {
                throw .syntax("duplicate parameter '\(name)'", at: location)
            }
        }
        while !current.isSymbol(closing) {
            let location = current.location
            if accept("**") {
                let name = try identifier("after '**'")
                try add(name, at: location)
                parameters.keywords = name
                _ = accept(",")
                break
            }
            if accept("*") {
                afterStar = true
                if case .name = current.kind {
                    let name = try identifier("after '*'")
                    try add(name, at: location)
                    parameters.variadic = name
                }
            } else {
                let name = try identifier("as a parameter")
                try add(name, at: location)
                if closing == ")", accept(":") { _ = try expression() }  // an annotation
                let defaultValue = accept("=") ? try expression() : nil
                if afterStar {
                    parameters.keywordOnly.append(.init(name: name, defaultValue: defaultValue))
                } else {
                    if defaultValue == nil, parameters.positional.last?.defaultValue != nil {
                        throw .syntax(
                            "a parameter without a default ('\(name)') cannot follow one with a default", at: location)
                    }
                    parameters.positional.append(.init(name: name, defaultValue: defaultValue))
                }
            }
            guard accept(",") else { break }
        }
        return parameters
    }

    private mutating func classDefinition(decorators: [Expression]) throws(NotebookError) -> Statement {
        let start = advance().location
        let name = try identifier("after 'class'")
        var bases: [Expression] = []
        if accept("(") {
            while !current.isSymbol(")") {
                if case .name = current.kind, next.isSymbol("=") {
                    throw .syntax("class keywords (metaclass=…) are not supported", at: current.location)
                }
                bases.append(try expression())
                guard accept(",") else { break }
            }
            try expect(")", "after the base classes")
        }
        let body = try block("the class line")
        return Statement(
            kind: .classDefinition(ClassDefinition(name: name, bases: bases, body: body, decorators: decorators)),
            location: start)
    }

    private mutating func withStatement() throws(NotebookError) -> Statement {
        let start = advance().location
        var items: [(Expression, Expression?)] = []
        repeat {
            let context = try expression()
            let name = acceptKeyword("as") ? try target() : nil
            items.append((context, name))
        } while accept(",")
        let body = try block("the with line")
        return Statement(kind: .with(items.map { (context: $0.0, name: $0.1) }, body: body), location: start)
    }

    private mutating func tryStatement() throws(NotebookError) -> Statement {
        let start = advance().location
        let body = try block("'try'")
        var handlers: [Statement.Handler] = []
        while isKeyword("except") {
            let location = advance().location
            var type: Expression?
            var name: String?
            if !current.isSymbol(":") {
                type = try expression()
                if acceptKeyword("as") { name = try identifier("after 'as'") }
            }
            handlers.append(.init(type: type, name: name, body: try block("'except'"), location: location))
        }
        let otherwise = !handlers.isEmpty && acceptKeyword("else") ? try block("'else'") : []
        let finally = acceptKeyword("finally") ? try block("'finally'") : []
        guard !handlers.isEmpty || !finally.isEmpty else {
            throw .syntax("'try' needs an 'except' or a 'finally' block", at: current.location)
        }
        return Statement(
            kind: .tryExcept(body: body, handlers: handlers, otherwise: otherwise, finally: finally), location: start)
    }

    /// `%timeit STMT`, `%matplotlib inline`: the rest of the line, as typed.
    private mutating func magic() throws(NotebookError) -> Statement {
        let start = advance().location
        let name = try identifier("after '%' (a magic such as %timeit)")
        let line = start.line
        var parts: [Token] = []
        while current.kind != .newline && current.kind != .end && current.location.line == line {
            parts.append(advance())
        }
        try endOfLine()
        return Statement(kind: .magic(name: name, argument: Parser.source(of: parts)), location: start)
    }

    /// The text of some tokens, spaced as Python prints code (for `%timeit`'s statement).
    static func source(of tokens: [Token]) -> String {
        var text = ""
        var lastEnd = -1
        for token in tokens {
            let piece: String
            switch token.kind {
            case .name(let n): piece = n
            case .symbol(let s): piece = s
            case .int(let n): piece = String(n)
            case .float(let n): piece = n.pythonRepr
            case .string(let s): piece = Object.string(s).repr
            case .formatted(let s): piece = "f" + Object.string(s).repr
            default: piece = ""
            }
            if lastEnd >= 0, token.location.column > lastEnd { text += " " }
            text += piece
            lastEnd = token.location.column + piece.count
        }
        return text
    }

    private mutating func simpleStatement() throws(NotebookError) -> Statement {
        let start = current.location
        if case .name(let word) = current.kind {
            switch word {
            case "pass":
                position += 1
                return Statement(kind: .pass, location: start)
            case "break":
                position += 1
                return Statement(kind: .breakLoop, location: start)
            case "continue":
                position += 1
                return Statement(kind: .continueLoop, location: start)
            case "return":
                position += 1
                let value = atStatementEnd ? nil : try expressionList()
                return Statement(kind: .returnValue(value), location: start)
            case "raise":
                position += 1
                let value = atStatementEnd ? nil : try expression()
                if acceptKeyword("from") { _ = try expression() }
                return Statement(kind: .raise(value), location: start)
            case "assert":
                position += 1
                let condition = try expression()
                let message = accept(",") ? try expression() : nil
                return Statement(kind: .assert(condition, message: message), location: start)
            case "del":
                position += 1
                var targets = [try target()]
                while accept(",") { targets.append(try target()) }
                return Statement(kind: .delete(targets), location: start)
            case "global", "nonlocal":
                position += 1
                var names = [try identifier("after '\(word)'")]
                while accept(",") { names.append(try identifier("after ','")) }
                return Statement(kind: word == "global" ? .global(names) : .nonlocal(names), location: start)
            case "import":
                position += 1
                var modules: [(String, String?)] = []
                repeat {
                    let module = try dottedName("after 'import'")
                    modules.append((module, acceptKeyword("as") ? try identifier("after 'as'") : nil))
                } while accept(",")
                return Statement(kind: .importModules(modules.map { (module: $0.0, alias: $0.1) }), location: start)
            case "from":
                position += 1
                while accept(".") {}
                let module = try dottedName("after 'from'")
                try expectKeyword("import", "after 'from \(module)'")
                if accept("*") {
                    return Statement(kind: .importNames(module: module, names: [("*", nil)]), location: start)
                }
                let parenthesized = accept("(")
                var names: [(String, String?)] = []
                repeat {
                    if parenthesized, current.isSymbol(")") { break }
                    let name = try identifier("to import")
                    names.append((name, acceptKeyword("as") ? try identifier("after 'as'") : nil))
                } while accept(",")
                if parenthesized { try expect(")", "after the imported names") }
                return Statement(
                    kind: .importNames(module: module, names: names.map { (name: $0.0, alias: $0.1) }), location: start)
            case "yield":
                throw .syntax("generators ('yield') are not supported; build a list and return it", at: start)
            case "async", "await":
                throw .syntax("'\(word)' is not supported in the notebook", at: start)
            default: break
            }
        }
        let first = try expressionList(allowStarred: true)
        if accept("=") {
            var targets = [first]
            var value = try assignedValue()
            while accept("=") {
                targets.append(value)
                value = try assignedValue()
            }
            for target in targets { try checkAssignable(target) }
            return Statement(kind: .assign(targets, value), location: start)
        }
        if case .symbol(let symbol) = current.kind, symbol.count >= 2, symbol.hasSuffix("="),
            let op = BinaryOperator(rawValue: String(symbol.dropLast())), !["==", "<=", ">=", "!="].contains(symbol)
        {
            let location = current.location
            position += 1
            switch first {
            case .name, .attribute, .subscripted: break
            default: throw .syntax("'\(symbol)' needs a name, attribute or item on its left", at: location)
            }
            return Statement(kind: .augmented(first, op, try expressionList()), location: start)
        }
        if accept(":") {
            // An annotated assignment `x: int = 3`: the annotation is read and ignored.
            _ = try expression()
            if accept("=") {
                try checkAssignable(first)
                return Statement(kind: .assign([first], try expressionList()), location: start)
            }
            return Statement(kind: .pass, location: start)
        }
        return Statement(kind: .expression(first), location: start)
    }

    private mutating func assignedValue() throws(NotebookError) -> Expression {
        if isKeyword("yield") { throw .syntax("generators ('yield') are not supported", at: current.location) }
        return try expressionList(allowStarred: true)
    }

    private var atStatementEnd: Bool {
        current.kind == .newline || current.kind == .end || current.isSymbol(";") || current.kind == .dedent
    }

    private mutating func dottedName(_ context: String) throws(NotebookError) -> String {
        var name = try identifier(context)
        while accept(".") { name += "." + (try identifier("in the module path")) }
        return name
    }

    private func checkAssignable(_ target: Expression) throws(NotebookError) {
        switch target {
        case .name, .attribute, .subscripted: return
        case .tuple(let items), .list(let items):
            for item in items { try checkAssignable(item) }
        case .starred(let inner, _): try checkAssignable(inner)
        case .call(_, _, let location):
            throw .syntax("cannot assign to a function call (did you mean '=='?)", at: location)
        default:
            throw .syntax(
                "cannot assign to this expression; the left of '=' must be a name, attribute or item",
                at: current.location)
        }
    }

    /// A `for` target or `del` target: names, attributes, items, or a tuple of them.
    private mutating func targetList() throws(NotebookError) -> Expression {
        let location = current.location
        var items = [try target()]
        var isTuple = false
        while accept(",") {
            isTuple = true
            if isKeyword("in") || current.isSymbol("=") { break }
            items.append(try target())
        }
        let result: Expression = isTuple ? .tuple(items) : items[0]
        do { try checkAssignable(result) } catch { throw .syntax("cannot assign to this loop target", at: location) }
        return result
    }

    private mutating func target() throws(NotebookError) -> Expression {
        if accept("*") { return .starred(try target(), current.location) }
        return try bitwiseOr()
    }

    // MARK: Expressions

    /// `a, b` (a tuple) or a single expression; `allowStarred` for assignment targets and values.
    private mutating func expressionList(allowStarred: Bool = false) throws(NotebookError) -> Expression {
        let first = try listItem(allowStarred: true)
        guard current.isSymbol(",") else {
            if case .starred(_, let location) = first, !allowStarred {
                throw .syntax("a starred expression (*x) cannot stand alone here", at: location)
            }
            return first
        }
        var items = [first]
        while accept(",") {
            if atExpressionListEnd { break }
            items.append(try listItem(allowStarred: true))
        }
        return .tuple(items)
    }

    private var atExpressionListEnd: Bool {
        if atStatementEnd { return true }
        if case .symbol(let s) = current.kind {
            return s == "=" || s == ")" || s == "]" || s == "}" || s == ":"
                || s.hasSuffix("=") && s.count >= 2 && !["==", "<=", ">=", "!="].contains(s)
        }
        return isKeyword("in")
    }

    private mutating func listItem(allowStarred: Bool) throws(NotebookError) -> Expression {
        if current.isSymbol("*") {
            let location = advance().location
            guard allowStarred else { throw .syntax("a starred expression (*x) is not allowed here", at: location) }
            return .starred(try bitwiseOr(), location)
        }
        return try namedExpression()
    }

    /// An expression, allowing `name := value` (parsed as an error: not supported).
    private mutating func namedExpression() throws(NotebookError) -> Expression {
        let value = try expression()
        if current.isSymbol(":=") {
            throw .syntax(
                "the walrus operator ':=' is not supported; assign on a line of its own", at: current.location)
        }
        return value
    }

    package mutating func expression() throws(NotebookError) -> Expression {
        if isKeyword("lambda") {
            let location = advance().location
            let parameters = try parameterList(closing: ":")
            try expect(":", "after the lambda's parameters")
            try nest()
            defer { depth -= 1 }
            return .lambda(parameters, try expression(), location)
        }
        let value = try disjunction()
        guard isKeyword("if") else { return value }
        // `x if cond else y` may only follow on the same line as x, or inside brackets.
        position += 1
        try nest()
        defer { depth -= 1 }
        let condition = try disjunction()
        try expectKeyword("else", "in the conditional expression (x if condition else y)")
        return .conditional(value, condition: condition, otherwise: try expression())
    }

    private mutating func disjunction() throws(NotebookError) -> Expression {
        let first = try conjunction()
        guard isKeyword("or") else { return first }
        var operands = [first]
        while acceptKeyword("or") { operands.append(try conjunction()) }
        return .logical(.or, operands)
    }

    private mutating func conjunction() throws(NotebookError) -> Expression {
        let first = try negation()
        guard isKeyword("and") else { return first }
        var operands = [first]
        while acceptKeyword("and") { operands.append(try negation()) }
        return .logical(.and, operands)
    }

    private mutating func negation() throws(NotebookError) -> Expression {
        if acceptKeyword("not") {
            try nest()
            defer { depth -= 1 }
            return .not(try negation())
        }
        return try comparison()
    }

    private mutating func comparison() throws(NotebookError) -> Expression {
        let first = try bitwiseOr()
        var links: [(ComparisonOperator, Expression, Location)] = []
        while true {
            let location = current.location
            let op: ComparisonOperator
            if case .symbol(let s) = current.kind, let found = ComparisonOperator(rawValue: s), s.count <= 2,
                !["in", "is"].contains(s)
            {
                position += 1
                op = found
            } else if acceptKeyword("in") {
                op = .in
            } else if isKeyword("not"), next.kind == .name("in") {
                position += 2
                op = .notIn
            } else if acceptKeyword("is") {
                op = acceptKeyword("not") ? .isNot : .is
            } else {
                break
            }
            links.append((op, try bitwiseOr(), location))
        }
        return links.isEmpty ? first : .compare(first, links)
    }

    private mutating func bitwiseOr() throws(NotebookError) -> Expression {
        try leftAssociative([.bitOr]) { (p) throws(NotebookError) in
            try p.leftAssociative([.bitXor]) { (p) throws(NotebookError) in
                try p.leftAssociative([.bitAnd]) { (p) throws(NotebookError) in
                    try p.leftAssociative([.shiftLeft, .shiftRight]) { (p) throws(NotebookError) in
                        try p.leftAssociative([.add, .subtract]) { (p) throws(NotebookError) in
                            try p.leftAssociative([.multiply, .divide, .floorDivide, .remainder, .matrixMultiply]) {
                                (p) throws(NotebookError) in try p.unary()
                            }
                        }
                    }
                }
            }
        }
    }

    /// A run of operators of one precedence level, kept flat (see `Expression.chain`).
    private mutating func leftAssociative(
        _ ops: [BinaryOperator], _ operand: (inout Parser) throws(NotebookError) -> Expression
    ) throws(NotebookError) -> Expression {
        let first = try operand(&self)
        var links: [Expression.ChainLink] = []
        while case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s), ops.contains(op) {
            let location = advance().location
            links.append(.init(op: op, operand: try operand(&self), location: location))
        }
        if links.isEmpty { return first }
        if links.count == 1 { return .binary(links[0].op, first, links[0].operand, links[0].location) }
        return .chain(first, links)
    }

    private mutating func unary() throws(NotebookError) -> Expression {
        if case .symbol(let s) = current.kind, let op = UnaryOperator(rawValue: s) {
            let location = advance().location
            try nest()
            defer { depth -= 1 }
            let operand = try unary()
            // Fold `-3` into the literal, as Python's compiler does.
            if op == .negate, case .int(let n) = operand, n != .min { return .int(-n) }
            if op == .negate, case .float(let n) = operand { return .float(-n) }
            return .unary(op, operand, location)
        }
        return try power()
    }

    private mutating func power() throws(NotebookError) -> Expression {
        let base = try primary()
        guard current.isSymbol("**") else { return base }
        let location = advance().location
        try nest()
        defer { depth -= 1 }
        return .binary(.power, base, try unary(), location)  // right-associative: 2**-1, 2**3**2
    }

    private mutating func primary() throws(NotebookError) -> Expression {
        var expression = try atom()
        var trailers = 0
        while true {
            let location = current.location
            if accept("(") {
                try nest()
                trailers += 1
                expression = .call(expression, try arguments(), location)
                try expect(")", "to close the call")
            } else if accept("[") {
                try nest()
                trailers += 1
                expression = .subscripted(expression, try subscriptList(), location)
                try expect("]", "to close the subscript")
            } else if accept(".") {
                try nest()
                trailers += 1
                expression = .attribute(expression, try attributeName(), location)
            } else {
                break
            }
        }
        depth -= trailers
        return expression
    }

    private mutating func attributeName() throws(NotebookError) -> String {
        guard case .name(let name) = current.kind else {
            throw .syntax("expected an attribute name after '.', found \(current.text)", at: current.location)
        }
        position += 1
        return name
    }

    private mutating func arguments() throws(NotebookError) -> [Expression.Argument] {
        var arguments: [Expression.Argument] = []
        var sawKeyword = false
        while !current.isSymbol(")") {
            let location = current.location
            if accept("**") {
                arguments.append(.init(kind: .unpackedKeywords, value: try expression()))
                sawKeyword = true
            } else if accept("*") {
                arguments.append(.init(kind: .unpacked, value: try expression()))
            } else if case .name(let name) = current.kind, next.isSymbol("="), !Lexer.keywords.contains(name) {
                position += 2
                arguments.append(.init(kind: .keyword(name), value: try expression()))
                sawKeyword = true
            } else {
                let value = try namedExpression()
                if sawKeyword {
                    throw .syntax("a positional argument cannot follow a keyword argument", at: location)
                }
                if isKeyword("for") {
                    // f(x for x in xs): a generator as the only argument.
                    arguments.append(.init(kind: .positional, value: try comprehension(.generator, value, nil)))
                } else {
                    arguments.append(.init(kind: .positional, value: value))
                }
            }
            guard accept(",") else { break }
        }
        return arguments
    }

    /// `a[i]`, `a[i:j:k]`, `a[i, j]`, `a[:, 0]`.
    private mutating func subscriptList() throws(NotebookError) -> Expression {
        var items = [try subscriptItem()]
        var isTuple = false
        while accept(",") {
            isTuple = true
            if current.isSymbol("]") { break }
            items.append(try subscriptItem())
        }
        return isTuple ? .tuple(items) : items[0]
    }

    private mutating func subscriptItem() throws(NotebookError) -> Expression {
        func bound(_ parser: inout Parser) throws(NotebookError) -> Expression? {
            parser.current.isSymbol(":") || parser.current.isSymbol("]") || parser.current.isSymbol(",")
                ? nil : try parser.expression()
        }
        let lower = try bound(&self)
        guard accept(":") else {
            guard let lower else { throw .syntax("expected an index inside [ ]", at: current.location) }
            return lower
        }
        let upper = try bound(&self)
        let step = accept(":") ? try bound(&self) : nil
        return .slice(lower, upper, step)
    }

    private mutating func atom() throws(NotebookError) -> Expression {
        let token = current
        switch token.kind {
        case .int(let n):
            position += 1
            return .int(n)
        case .float(let n):
            position += 1
            return .float(n)
        case .string(let s):
            position += 1
            if case .formatted = current.kind { return try joinFormatted(.string(s)) }
            return .string(s)
        case .bytes(let b):
            position += 1
            return .bytes(b)
        case .formatted(let s):
            position += 1
            let parts = try FormattedString.parse(s, at: token.location)
            if case .string = current.kind { return try joinFormatted(.formatted(parts)) }
            if case .formatted = current.kind { return try joinFormatted(.formatted(parts)) }
            return .formatted(parts)
        case .name(let name):
            switch name {
            case "True":
                position += 1
                return .bool(true)
            case "False":
                position += 1
                return .bool(false)
            case "None":
                position += 1
                return .none
            default:
                if Lexer.keywords.contains(name) {
                    throw .syntax("'\(name)' is a keyword and cannot start an expression here", at: token.location)
                }
                position += 1
                return .name(name, token.location)
            }
        case .symbol("..."):
            position += 1
            return .ellipsis
        case .symbol("("):
            position += 1
            try nest()
            defer { depth -= 1 }
            if accept(")") { return .tuple([]) }
            let first = try listItem(allowStarred: true)
            if isKeyword("for") {
                let generator = try comprehension(.generator, first, nil)
                try expect(")", "to close the generator expression")
                return generator
            }
            if accept(")") {
                if case .starred(_, let location) = first {
                    throw .syntax("a starred expression (*x) needs a tuple: (*x,)", at: location)
                }
                return first
            }
            var items = [first]
            while accept(",") {
                if current.isSymbol(")") { break }
                items.append(try listItem(allowStarred: true))
            }
            try expect(")", "to close the parenthesis")
            return .tuple(items)
        case .symbol("["):
            position += 1
            try nest()
            defer { depth -= 1 }
            if accept("]") { return .list([]) }
            let first = try listItem(allowStarred: true)
            if isKeyword("for") {
                let list = try comprehension(.list, first, nil)
                try expect("]", "to close the list comprehension")
                return list
            }
            var items = [first]
            while accept(",") {
                if current.isSymbol("]") { break }
                items.append(try listItem(allowStarred: true))
            }
            try expect("]", "to close the list")
            return .list(items)
        case .symbol("{"):
            position += 1
            try nest()
            defer { depth -= 1 }
            if accept("}") { return .dict([]) }
            if accept("**") {
                return try dictDisplay(first: (nil, try bitwiseOr()))
            }
            let first = try listItem(allowStarred: true)
            if accept(":") {
                let value = try expression()
                if isKeyword("for") {
                    let dict = try comprehension(.dict, first, value)
                    try expect("}", "to close the dict comprehension")
                    return dict
                }
                return try dictDisplay(first: (first, value))
            }
            if isKeyword("for") {
                let set = try comprehension(.set, first, nil)
                try expect("}", "to close the set comprehension")
                return set
            }
            var items = [first]
            while accept(",") {
                if current.isSymbol("}") { break }
                items.append(try listItem(allowStarred: true))
            }
            try expect("}", "to close the set")
            return .set(items)
        case .newline, .end, .dedent:
            throw .syntax(
                "the expression is incomplete: something is missing at the end of the line", at: token.location)
        default:
            throw .syntax("unexpected \(token.text)", at: token.location)
        }
    }

    private mutating func joinFormatted(_ first: Expression) throws(NotebookError) -> Expression {
        var parts: [Expression.FormattedPart] = []
        func add(_ e: Expression) {
            if case .string(let s) = e { parts.append(.text(s)) }
            if case .formatted(let p) = e { parts += p }
        }
        add(first)
        while true {
            if case .string(let s) = current.kind {
                position += 1
                parts.append(.text(s))
            } else if case .formatted(let s) = current.kind {
                parts += try FormattedString.parse(s, at: advance().location)
            } else {
                break
            }
        }
        return .formatted(parts)
    }

    private mutating func dictDisplay(first: (Expression?, Expression)) throws(NotebookError) -> Expression {
        var items = [first]
        while accept(",") {
            if current.isSymbol("}") { break }
            if accept("**") {
                items.append((nil, try bitwiseOr()))
                continue
            }
            let key = try expression()
            try expect(":", "between a key and its value")
            items.append((key, try expression()))
        }
        try expect("}", "to close the dict")
        return .dict(items.map { (key: $0.0, value: $0.1) })
    }

    private mutating func comprehension(_ kind: Comprehension.Kind, _ element: Expression, _ value: Expression?)
        throws(NotebookError) -> Expression
    {
        var clauses: [Comprehension.Clause] = []
        while acceptKeyword("for") {
            let target = try targetList()
            try expectKeyword("in", "in the comprehension (for x in xs)")
            let source = try disjunction()
            var conditions: [Expression] = []
            while acceptKeyword("if") { conditions.append(try disjunction()) }
            clauses.append(.init(target: target, source: source, conditions: conditions))
        }
        return .comprehension(Comprehension(kind: kind, element: element, value: value, clauses: clauses))
    }
}

/// Parsing the inside of an f-string into text and fields.
enum FormattedString {
    static func parse(_ text: String, at location: Location, specDepth: Int = 0) throws(NotebookError)
        -> [Expression.FormattedPart]
    {
        guard specDepth <= 2 else {
            throw .syntax(
                "f-string: format specs are nested too deeply (a field inside a spec, no deeper)", at: location)
        }
        let chars = Array(text)
        var parts: [Expression.FormattedPart] = []
        var literal = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" {
                    literal.append("{")
                    i += 2
                    continue
                }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                // The field runs to the matching '}', skipping brackets and strings inside it.
                var depth = 0
                var j = i + 1
                var quote: Character?
                var conversionAt: Int?
                var specAt: Int?
                while j < chars.count {
                    let d = chars[j]
                    if let q = quote {
                        if d == q { quote = nil }
                    } else if d == "'" || d == "\"" {
                        quote = d
                    } else if d == "(" || d == "[" || d == "{" {
                        depth += 1
                    } else if d == ")" || d == "]" || (d == "}" && depth > 0) {
                        depth -= 1
                    } else if d == "}" {
                        break
                    } else if depth == 0, specAt == nil, d == "!", j + 1 < chars.count, chars[j + 1] != "=" {
                        conversionAt = j
                    } else if depth == 0, d == ":", specAt == nil {
                        specAt = j
                        // The spec runs to the matching '}', and may hold nested {fields}.
                        var nested = 0
                        var k = j + 1
                        while k < chars.count {
                            if chars[k] == "{" { nested += 1 }
                            if chars[k] == "}" {
                                if nested == 0 { break }
                                nested -= 1
                            }
                            k += 1
                        }
                        j = k
                        break
                    }
                    j += 1
                }
                guard j < chars.count, chars[j] == "}" else {
                    throw .syntax("an f-string field '{' is never closed with '}'", at: location)
                }
                let expressionEnd = conversionAt ?? specAt ?? j
                var source = String(chars[(i + 1)..<expressionEnd])
                var selfDocumenting = false
                if source.hasSuffix("=") && !source.hasSuffix("==") {
                    selfDocumenting = true
                    source.removeLast()
                }
                guard !source.allSatisfy(\.isWhitespace) else {
                    throw .syntax("an f-string field '{}' is empty: put an expression inside it", at: location)
                }
                let expression: Expression
                do {
                    expression = try Parser.parseExpression(source)
                } catch {
                    throw .syntax(
                        "in the f-string field {\(source)}: \(error.message.replacingPrefix("syntax error: "))",
                        at: location)
                }
                var conversion: Character?
                if let conversionAt {
                    guard conversionAt + 1 < chars.count, "rsa".contains(chars[conversionAt + 1]) else {
                        throw .syntax("an f-string conversion must be !r, !s or !a", at: location)
                    }
                    conversion = chars[conversionAt + 1]
                }
                var spec: [Expression.FormattedPart] = []
                if let specAt {
                    spec = try parse(String(chars[(specAt + 1)..<j]), at: location, specDepth: specDepth + 1)
                }
                if selfDocumenting {
                    parts.append(.text(source + "="))
                    if conversion == nil && spec.isEmpty { conversion = "r" }
                }
                parts.append(.field(expression, conversion: conversion, spec: spec, source: source))
                i = j + 1
                continue
            }
            if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" {
                    literal.append("}")
                    i += 2
                    continue
                }
                throw .syntax("a single '}' is not allowed in an f-string (write '}}')", at: location)
            }
            literal.append(c)
            i += 1
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        return parts
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}

// Turns the syntax tree into the nodes the interpreter runs (Nodes.swift, StatementNodes.swift),
// resolving every name once, as Python's compiler does: a function's local variables get slots
// in its frame, an enclosing function's variables are reached through the frame they live in, and
// everything else is a module-level name (found by slot too) or a built-in.

/// A scope being compiled: the module, a function (or lambda), a class body or a comprehension.
final class Scope {
    enum Kind { case module, function, classBody, comprehension }
    let kind: Kind
    let parent: Scope?
    private(set) var slots: [String: Int] = [:]
    var declaredGlobal: Set<String> = []
    var declaredNonlocal: Set<String> = []
    /// Whether code in this scope (or in scopes nested in it) reads or writes a variable of an
    /// enclosing function, through the frame this scope's frame was made in. A function that never
    /// does keeps no enclosing frame (as CPython keeps no cells for it): `lambda: None` made in
    /// `__init__` then holds nothing, and the frame of `__init__` is freed when it returns.
    var reachesOut = false

    init(_ kind: Kind, parent: Scope?) {
        self.kind = kind
        self.parent = parent
    }

    var slotCount: Int { slots.count }

    @discardableResult
    func addLocal(_ name: String) -> Int {
        if let slot = slots[name] { return slot }
        let slot = slots.count
        slots[name] = slot
        return slot
    }

    func local(_ name: String) -> Int? { slots[name] }
}

/// Where a name lives, once resolved.
enum NameReference {
    case local(Int)
    /// A variable of an enclosing function, `depth` frames out.
    case enclosing(depth: Int, slot: Int)
    case global(Int)
    /// In a class body: the class's names first, then `fallback`.
    case classBody(String, fallback: Box)

    final class Box {
        let reference: NameReference
        init(_ reference: NameReference) { self.reference = reference }
    }
}

struct Compiler {
    unowned let interpreter: Interpreter
    /// Whether bare expressions at module level show their value (the REPL and scripts).
    let interactive: Bool
    private var scope: Scope

    init(interpreter: Interpreter, interactive: Bool) {
        self.interpreter = interpreter
        self.interactive = interactive
        scope = Scope(.module, parent: nil)
    }

    private var globals: GlobalTable { interpreter.globals }

    // MARK: Names

    func resolve(_ name: String) -> NameReference {
        let reference = resolve(name, in: scope)
        if case .enclosing(let depth, _) = reference { Self.noteReach(depth, from: scope) }
        if case .classBody(_, let fallback) = reference, case .enclosing(let depth, _) = fallback.reference {
            Self.noteReach(depth, from: scope)
        }
        return reference
    }

    /// Marks the scopes whose frames a reference `depth` frames out passes through.
    private static func noteReach(_ depth: Int, from scope: Scope) {
        var current: Scope? = scope
        for _ in 0..<depth {
            current?.reachesOut = true
            current = current?.parent
        }
    }

    private func resolve(_ name: String, in scope: Scope) -> NameReference {
        switch scope.kind {
        case .module:
            return .global(globals.slot(name))
        case .classBody:
            if scope.declaredGlobal.contains(name) { return .global(globals.slot(name)) }
            let outer = scope.parent.map { shifted(resolve(name, in: $0)) } ?? .global(globals.slot(name))
            return .classBody(name, fallback: .init(outer))
        case .function, .comprehension:
            if scope.declaredGlobal.contains(name) { return .global(globals.slot(name)) }
            if let slot = scope.local(name), !scope.declaredNonlocal.contains(name) { return .local(slot) }
            guard let parent = scope.parent else { return .global(globals.slot(name)) }
            return shifted(resolveOuter(name, in: parent))
        }
    }

    /// Resolution from an inner scope: class bodies are skipped (methods do not see class names).
    private func resolveOuter(_ name: String, in scope: Scope) -> NameReference {
        switch scope.kind {
        case .module: return .global(globals.slot(name))
        case .classBody:
            guard let parent = scope.parent else { return .global(globals.slot(name)) }
            return shifted(resolveOuter(name, in: parent))
        case .function, .comprehension:
            if scope.declaredGlobal.contains(name) { return .global(globals.slot(name)) }
            if let slot = scope.local(name), !scope.declaredNonlocal.contains(name) { return .local(slot) }
            guard let parent = scope.parent else { return .global(globals.slot(name)) }
            return shifted(resolveOuter(name, in: parent))
        }
    }

    /// A reference seen from one frame further in.
    private func shifted(_ reference: NameReference) -> NameReference {
        switch reference {
        case .local(let slot): .enclosing(depth: 1, slot: slot)
        case .enclosing(let depth, let slot): .enclosing(depth: depth + 1, slot: slot)
        case .global, .classBody: reference
        }
    }

    /// The names a function body assigns (its locals), not looking inside nested functions,
    /// classes, lambdas or comprehensions.
    private static func assignedNames(
        _ statements: [Statement], into names: inout [String], declared: inout Set<String>
    ) {
        func target(_ e: Expression) {
            switch e {
            case .name(let n, _): names.append(n)
            case .tuple(let items), .list(let items): items.forEach(target)
            case .starred(let inner, _): target(inner)
            default: break
            }
        }
        for statement in statements {
            switch statement.kind {
            case .assign(let targets, _): targets.forEach(target)
            case .augmented(let t, _, _): target(t)
            case .forLoop(let t, _, let body, let otherwise):
                target(t)
                assignedNames(body, into: &names, declared: &declared)
                assignedNames(otherwise, into: &names, declared: &declared)
            case .whileLoop(_, let body, let otherwise):
                assignedNames(body, into: &names, declared: &declared)
                assignedNames(otherwise, into: &names, declared: &declared)
            case .ifElse(let branches, let otherwise):
                for branch in branches { assignedNames(branch.body, into: &names, declared: &declared) }
                assignedNames(otherwise, into: &names, declared: &declared)
            case .function(let f): names.append(f.name)
            case .classDefinition(let c): names.append(c.name)
            case .with(let items, let body):
                for item in items { if let n = item.name { target(n) } }
                assignedNames(body, into: &names, declared: &declared)
            case .delete(let targets): targets.forEach(target)
            case .importModules(let modules):
                for m in modules { names.append(m.alias ?? String(m.module.split(separator: ".")[0])) }
            case .importNames(_, let imported):
                for i in imported where i.name != "*" { names.append(i.alias ?? i.name) }
            case .tryExcept(let body, let handlers, let otherwise, let finally):
                assignedNames(body, into: &names, declared: &declared)
                for h in handlers {
                    if let n = h.name { names.append(n) }
                    assignedNames(h.body, into: &names, declared: &declared)
                }
                assignedNames(otherwise, into: &names, declared: &declared)
                assignedNames(finally, into: &names, declared: &declared)
            case .global(let n), .nonlocal(let n): declared.formUnion(n)
            default: break
            }
        }
    }

    private static func declarations(_ statements: [Statement], global: inout Set<String>, nonlocal: inout Set<String>)
    {
        for statement in statements {
            switch statement.kind {
            case .global(let n): global.formUnion(n)
            case .nonlocal(let n): nonlocal.formUnion(n)
            case .forLoop(_, _, let body, let otherwise), .whileLoop(_, let body, let otherwise):
                declarations(body, global: &global, nonlocal: &nonlocal)
                declarations(otherwise, global: &global, nonlocal: &nonlocal)
            case .ifElse(let branches, let otherwise):
                for b in branches { declarations(b.body, global: &global, nonlocal: &nonlocal) }
                declarations(otherwise, global: &global, nonlocal: &nonlocal)
            case .with(_, let body): declarations(body, global: &global, nonlocal: &nonlocal)
            case .tryExcept(let body, let handlers, let otherwise, let finally):
                declarations(body, global: &global, nonlocal: &nonlocal)
                for h in handlers { declarations(h.body, global: &global, nonlocal: &nonlocal) }
                declarations(otherwise, global: &global, nonlocal: &nonlocal)
                declarations(finally, global: &global, nonlocal: &nonlocal)
            default: break
            }
        }
    }

    // MARK: Statements

    mutating func compile(_ statements: [Statement]) throws(NotebookError) -> [StatementNode] {
        var nodes: [StatementNode] = []
        nodes.reserveCapacity(statements.count)
        for statement in statements { nodes.append(try compile(statement)) }
        return nodes
    }

    private var insideFunction: Bool {
        var s: Scope? = scope
        while let current = s {
            if current.kind == .function { return true }
            s = current.parent
        }
        return false
    }

    private var loopDepth = 0
    /// The class being defined, innermost last: `super()` in its methods finds it here.
    private var classCells: [ClassCell] = []
    /// The first parameter of each function being compiled, innermost last (a method's `self`).
    private var firstParameters: [(name: String?, inMethod: Bool)] = []

    mutating func compile(_ statement: Statement) throws(NotebookError) -> StatementNode {
        let at = statement.location
        switch statement.kind {
        case .expression(let e):
            let shows = interactive && scope.kind == .module
            return ExpressionStatement(try compile(e), shows: shows, interpreter: interpreter, at: at)
        case .assign(let targets, let value):
            let compiledTargets = try targets.map { (t) throws(NotebookError) in try target(t) }
            return AssignStatement(compiledTargets, try compile(value), interpreter: interpreter, at: at)
        case .augmented(let t, let op, let value):
            let reader = try compile(t)
            let writer = try target(t)
            return AugmentedStatement(reader, writer, op, try compile(value), interpreter: interpreter, at: at)
        case .forLoop(let t, let source, let body, let otherwise):
            let compiledSource = try compile(source)
            let compiledTarget = try target(t)
            loopDepth += 1
            let compiledBody = try compile(body)
            loopDepth -= 1
            return ForStatement(
                compiledTarget, compiledSource, compiledBody, try compile(otherwise), interpreter: interpreter, at: at)
        case .whileLoop(let condition, let body, let otherwise):
            let compiledCondition = try compile(condition)
            loopDepth += 1
            let compiledBody = try compile(body)
            loopDepth -= 1
            return WhileStatement(
                compiledCondition, compiledBody, try compile(otherwise), interpreter: interpreter, at: at)
        case .ifElse(let branches, let otherwise):
            var compiled: [(ExpressionNode, [StatementNode])] = []
            for branch in branches { compiled.append((try compile(branch.condition), try compile(branch.body))) }
            return IfStatement(compiled, try compile(otherwise), interpreter: interpreter, at: at)
        case .breakLoop, .continueLoop:
            guard loopDepth > 0 else {
                throw .syntax("'\(statement.kind.isBreak ? "break" : "continue")' outside a loop", at: at)
            }
            return FlowStatement(statement.kind.isBreak ? .breakLoop : .continueLoop, at: at)
        case .pass, .global, .nonlocal:
            return FlowStatement(.next, at: at)
        case .returnValue(let value):
            guard insideFunction, scope.kind != .classBody else { throw .syntax("'return' outside a function", at: at) }
            return ReturnStatement(try value.map { (v) throws(NotebookError) in try compile(v) }, at: at)
        case .function(let definition):
            let maker = try function(
                definition.name, definition.parameters, body: definition.body, expression: nil, at: at)
            let decorators = try definition.decorators.map { (d) throws(NotebookError) in try compile(d) }
            return StoreStatement(
                try target(.name(definition.name, at)),
                DecoratedNode(maker, decorators, interpreter: interpreter, at: at),
                interpreter: interpreter, at: at)
        case .classDefinition(let definition):
            let bases = try definition.bases.map { (b) throws(NotebookError) in try compile(b) }
            let classScope = Scope(.classBody, parent: scope)
            var global: Set<String> = []
            var nonlocal: Set<String> = []
            Self.declarations(definition.body, global: &global, nonlocal: &nonlocal)
            classScope.declaredGlobal = global
            let outer = scope
            scope = classScope
            let savedLoops = loopDepth
            loopDepth = 0
            let cell = ClassCell()
            classCells.append(cell)
            let body: [StatementNode]
            do {
                body = try compile(definition.body)
            } catch {
                scope = outer
                loopDepth = savedLoops
                classCells.removeLast()
                throw error
            }
            classCells.removeLast()
            scope = outer
            loopDepth = savedLoops
            let maker = ClassNode(
                name: definition.name, bases: bases, body: body, cell: cell, interpreter: interpreter, at: at)
            let decorators = try definition.decorators.map { (d) throws(NotebookError) in try compile(d) }
            return StoreStatement(
                try target(.name(definition.name, at)),
                DecoratedNode(maker, decorators, interpreter: interpreter, at: at),
                interpreter: interpreter, at: at)
        case .with(let items, let body):
            var compiled: [(ExpressionNode, Target?)] = []
            for item in items {
                compiled.append(
                    (try compile(item.context), try item.name.map { (n) throws(NotebookError) in try target(n) }))
            }
            return WithStatement(compiled, try compile(body), interpreter: interpreter, at: at)
        case .assert(let condition, let message):
            return AssertStatement(
                try compile(condition), try message.map { (m) throws(NotebookError) in try compile(m) },
                interpreter: interpreter, at: at)
        case .delete(let targets):
            return DeleteStatement(
                try targets.map { (t) throws(NotebookError) in try target(t) }, interpreter: interpreter, at: at)
        case .importModules(let modules):
            var bindings: [(module: String, binding: String, target: Target)] = []
            for m in modules {
                let binding = m.alias ?? String(m.module.split(separator: ".")[0])
                bindings.append((m.module, m.alias == nil ? binding : m.module, try target(.name(binding, at))))
            }
            return ImportStatement(bindings, interpreter: interpreter, at: at)
        case .importNames(let module, let names):
            var bindings: [(name: String, target: Target?)] = []
            for n in names {
                if n.name == "*" {
                    guard scope.kind == .module else {
                        throw .syntax("'from … import *' only at the top level", at: at)
                    }
                    bindings.append(("*", nil))
                } else {
                    bindings.append((n.name, try target(.name(n.alias ?? n.name, at))))
                }
            }
            return FromImportStatement(module: module, names: bindings, interpreter: interpreter, at: at)
        case .raise(let value):
            return RaiseStatement(
                try value.map { (v) throws(NotebookError) in try compile(v) }, interpreter: interpreter, at: at)
        case .tryExcept(let body, let handlers, let otherwise, let finally):
            var compiled: [TryStatement.Handler] = []
            for h in handlers {
                compiled.append(
                    .init(
                        type: try h.type.map { (t) throws(NotebookError) in try compile(t) },
                        name: try h.name.map { (n) throws(NotebookError) in try target(.name(n, h.location)) },
                        body: StatementList(try compile(h.body))))
            }
            return TryStatement(
                body: try compile(body), handlers: compiled, otherwise: try compile(otherwise),
                finally: try compile(finally), interpreter: interpreter, at: at)
        case .magic(let name, let argument):
            return MagicStatement(name: name, argument: argument, interpreter: interpreter, at: at)
        }
    }

    /// A `def` or `lambda`: compiles its body in a scope of its own.
    private mutating func function(
        _ name: String, _ parameters: Parameters, body: [Statement], expression: Expression?, at: Location
    ) throws(NotebookError) -> FunctionNode {
        let functionScope = Scope(.function, parent: scope)
        for parameter in parameters.names { functionScope.addLocal(parameter) }
        firstParameters.append((parameters.positional.first?.name, scope.kind == .classBody))
        defer { firstParameters.removeLast() }
        var assigned: [String] = []
        var declared: Set<String> = []
        Self.assignedNames(body, into: &assigned, declared: &declared)
        var global: Set<String> = []
        var nonlocal: Set<String> = []
        Self.declarations(body, global: &global, nonlocal: &nonlocal)
        for name in global.union(nonlocal) where parameters.names.contains(name) {
            throw .syntax(
                "name '\(name)' is a parameter and declared \(global.contains(name) ? "global" : "nonlocal")", at: at)
        }
        functionScope.declaredGlobal = global
        functionScope.declaredNonlocal = nonlocal
        for name in assigned where !global.contains(name) && !nonlocal.contains(name) { functionScope.addLocal(name) }
        let defaults = try parameters.positional.map { (p) throws(NotebookError) in
            try p.defaultValue.map { (d) throws(NotebookError) in try compile(d) }
        }
        let keywordDefaults = try parameters.keywordOnly.map { (p) throws(NotebookError) in
            try p.defaultValue.map { (d) throws(NotebookError) in try compile(d) }
        }
        let outer = scope
        let savedLoops = loopDepth
        scope = functionScope
        loopDepth = 0
        defer {
            scope = outer
            loopDepth = savedLoops
        }
        let compiledBody = try compile(body)
        let compiledExpression = try expression.map { (e) throws(NotebookError) in try compile(e) }
        var layout = FunctionNode.Layout()
        for (p, d) in zip(parameters.positional, defaults) {
            layout.positional.append((p.name, functionScope.local(p.name) ?? 0, d))
        }
        if let v = parameters.variadic { layout.variadic = (v, functionScope.local(v) ?? 0) }
        for (p, d) in zip(parameters.keywordOnly, keywordDefaults) {
            layout.keywordOnly.append((p.name, functionScope.local(p.name) ?? 0, d))
        }
        if let k = parameters.keywords { layout.keywords = (k, functionScope.local(k) ?? 0) }
        return FunctionNode(
            name: name, layout: layout, body: compiledBody, expression: compiledExpression,
            slotCount: functionScope.slotCount, keepsEnclosingFrame: functionScope.reachesOut,
            interpreter: interpreter, at: at)
    }

    // MARK: Targets

    mutating func target(_ expression: Expression) throws(NotebookError) -> Target {
        switch expression {
        case .name(let name, _):
            if scope.kind == .classBody, !scope.declaredGlobal.contains(name) { return .classBody(name) }
            switch resolve(name) {
            case .local(let slot): return .local(slot)
            case .enclosing(let depth, let slot): return .enclosing(depth: depth, slot: slot)
            case .global(let slot): return .global(interpreter.globals.valueAddress(slot), name)
            case .classBody: return .classBody(name)
            }
        case .attribute(let base, let name, let at):
            return .attribute(AttributeTarget(try compile(base), name, at))
        case .subscripted(let base, let index, let at):
            return .item(ItemTarget(try compile(base), try compile(index), at))
        case .tuple(let items), .list(let items):
            var targets: [Target] = []
            var starred: Int?
            for (i, item) in items.enumerated() {
                if case .starred(let inner, let at) = item {
                    guard starred == nil else { throw .syntax("only one starred name in an assignment", at: at) }
                    starred = i
                    targets.append(try target(inner))
                } else {
                    targets.append(try target(item))
                }
            }
            return .unpack(targets, starred: starred)
        default:
            throw NotebookError("syntax error: cannot assign to this expression", type: "SyntaxError")
        }
    }

    // MARK: Expressions

    mutating func compile(_ expression: Expression) throws(NotebookError) -> ExpressionNode {
        switch expression {
        case .int(let n): return ConstantNode(.int(n))
        case .float(let n): return ConstantNode(.float(n))
        case .string(let s): return ConstantNode(.string(s))
        case .bytes(let b): return ConstantNode(.object(BytesObject(b)))
        case .bool(let b): return ConstantNode(.bool(b))
        case .none: return ConstantNode(.none)
        case .ellipsis: return ConstantNode(interpreter.builtin("Ellipsis") ?? .none)
        case .formatted(let parts):
            return FormattedNode(try formattedParts(parts), interpreter: interpreter)
        case .name(let name, let at):
            return NameNode(resolve(name), name: name, interpreter: interpreter, at: at)
        case .list(let items):
            return DisplayNode(.list, try displayItems(items), interpreter: interpreter)
        case .tuple(let items):
            return DisplayNode(.tuple, try displayItems(items), interpreter: interpreter)
        case .set(let items):
            return DisplayNode(.set, try displayItems(items), interpreter: interpreter)
        case .dict(let items):
            var compiled: [(ExpressionNode?, ExpressionNode)] = []
            for item in items {
                compiled.append(
                    (try item.key.map { (k) throws(NotebookError) in try compile(k) }, try compile(item.value)))
            }
            return DictNode(compiled, interpreter: interpreter)
        case .starred(_, let at):
            throw .syntax("a starred expression (*x) can only be used in a call, a list or an assignment", at: at)
        case .unary(let op, let operand, let at):
            return UnaryNode(op, try compile(operand), interpreter: interpreter, at: at)
        case .binary(let op, let lhs, let rhs, let at):
            return BinaryNode(op, try compile(lhs), try compile(rhs), interpreter: interpreter, at: at)
        case .chain(let first, let links):
            var compiled: [(BinaryOperator, ExpressionNode, Location)] = []
            compiled.reserveCapacity(links.count)
            for link in links { compiled.append((link.op, try compile(link.operand), link.location)) }
            return ChainNode(try compile(first), compiled, interpreter: interpreter)
        case .compare(let first, let links):
            var compiled: [(ComparisonOperator, ExpressionNode, Location)] = []
            for link in links { compiled.append((link.0, try compile(link.1), link.2)) }
            return CompareNode(try compile(first), compiled, interpreter: interpreter)
        case .logical(let op, let operands):
            return LogicalNode(
                op, try operands.map { (o) throws(NotebookError) in try compile(o) }, interpreter: interpreter)
        case .not(let operand):
            return NotNode(try compile(operand), interpreter: interpreter)
        case .call(.name("super", _), let arguments, let at) where arguments.isEmpty:
            // Python's zero-argument super(): the method's class and its first parameter.
            guard let cell = classCells.last, let method = firstParameters.last(where: { $0.inMethod }),
                let selfName = method.name
            else {
                throw NotebookError(
                    "RuntimeError: super(): no arguments works only inside a method of a class", column: at.column,
                    line: at.line, type: "RuntimeError")
            }
            return SuperNode(cell, receiver: try compile(.name(selfName, at)), interpreter: interpreter)
        case .call(let callee, let arguments, let at):
            var compiled: [CallNode.Argument] = []
            for argument in arguments {
                let value = try compile(argument.value)
                switch argument.kind {
                case .positional: compiled.append(.positional(value))
                case .keyword(let name): compiled.append(.keyword(name, value))
                case .unpacked: compiled.append(.unpacked(value))
                case .unpackedKeywords: compiled.append(.unpackedKeywords(value))
                }
            }
            if case .attribute(let base, let name, let attributeAt) = callee {
                return MethodCallNode(
                    try compile(base), name, compiled, interpreter: interpreter, at: at, attributeAt: attributeAt)
            }
            return CallNode(try compile(callee), compiled, interpreter: interpreter, at: at)
        case .attribute(let base, let name, let at):
            return AttributeNode(try compile(base), name, interpreter: interpreter, at: at)
        case .subscripted(let base, let index, let at):
            return SubscriptNode(try compile(base), try compile(index), interpreter: interpreter, at: at)
        case .slice(let lower, let upper, let step):
            return SliceNode(
                try lower.map { (e) throws(NotebookError) in try compile(e) },
                try upper.map { (e) throws(NotebookError) in try compile(e) },
                try step.map { (e) throws(NotebookError) in try compile(e) })
        case .comprehension(let comprehension):
            return try compile(comprehension)
        case .conditional(let value, let condition, let otherwise):
            return ConditionalNode(
                try compile(condition), try compile(value), try compile(otherwise), interpreter: interpreter)
        case .lambda(let parameters, let body, let at):
            return try function("<lambda>", parameters, body: [], expression: body, at: at)
        }
    }

    private mutating func displayItems(_ items: [Expression]) throws(NotebookError) -> [DisplayNode.Item] {
        var compiled: [DisplayNode.Item] = []
        compiled.reserveCapacity(items.count)
        for item in items {
            if case .starred(let inner, _) = item {
                compiled.append(.unpacked(try compile(inner)))
            } else {
                compiled.append(.single(try compile(item)))
            }
        }
        return compiled
    }

    private mutating func formattedParts(_ parts: [Expression.FormattedPart]) throws(NotebookError) -> [FormattedNode
        .Part]
    {
        var compiled: [FormattedNode.Part] = []
        for part in parts {
            switch part {
            case .text(let s): compiled.append(.text(s))
            case .field(let e, let conversion, let spec, _):
                compiled.append(.field(try compile(e), conversion, try formattedParts(spec)))
            }
        }
        return compiled
    }

    /// A comprehension runs in a scope of its own, as in Python 3; its first source is evaluated
    /// outside it.
    private mutating func compile(_ comprehension: Comprehension) throws(NotebookError) -> ExpressionNode {
        let firstSource = try compile(comprehension.clauses[0].source)
        let inner = Scope(.comprehension, parent: scope)
        func bind(_ e: Expression) {
            switch e {
            case .name(let n, _): inner.addLocal(n)
            case .tuple(let items), .list(let items): items.forEach(bind)
            case .starred(let i, _): bind(i)
            default: break
            }
        }
        for clause in comprehension.clauses { bind(clause.target) }
        let outer = scope
        scope = inner
        defer { scope = outer }
        var clauses: [ComprehensionNode.Clause] = []
        for (i, clause) in comprehension.clauses.enumerated() {
            clauses.append(
                .init(
                    target: try target(clause.target),
                    source: i == 0 ? firstSource : try compile(clause.source),
                    conditions: try clause.conditions.map { (c) throws(NotebookError) in try compile(c) }))
        }
        return ComprehensionNode(
            kind: comprehension.kind, element: try compile(comprehension.element),
            value: try comprehension.value.map { (v) throws(NotebookError) in try compile(v) },
            clauses: clauses, slotCount: inner.slotCount, interpreter: interpreter)
    }
}

extension Statement.Kind {
    var isBreak: Bool {
        if case .breakLoop = self { return true }
        return false
    }
}

/// Python's `...`.
final class EllipsisObject: NotebookObject {
    static let typeName = "ellipsis"
    var description: String { "Ellipsis" }
    var attributeNames: [String] { [] }
    func attribute(_ name: String) throws(NotebookError) -> Object {
        throw .python("AttributeError", "'ellipsis' object has no attribute '\(name)'")
    }
}

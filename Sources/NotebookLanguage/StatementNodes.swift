// The compiled statements. Each runs in a frame and says how control goes on: to the next
// statement, out of a loop, to the loop's next turn, or out of the function.
import Engine

/// How control goes on after a statement.
enum Flow {
    case next, breakLoop, continueLoop, returned
}

/// A compiled statement.
class StatementNode {
    let location: Location
    init(at location: Location) { self.location = location }
    func execute(_ frame: Frame) throws(NotebookError) -> Flow { .next }
}

extension [StatementNode] {
    func run(_ frame: Frame) throws(NotebookError) -> Flow { try StatementList(self).run(frame) }
}

/// A block's statements, run in order. The list keeps its nodes alive and walks them through
/// unretained references: a loop body runs without touching a reference count per statement.
struct StatementList {
    private final class Owner {
        let nodes: [StatementNode]
        let references: UnsafeMutableBufferPointer<Unmanaged<StatementNode>>
        init(_ nodes: [StatementNode]) {
            self.nodes = nodes
            references = .allocate(capacity: nodes.count)
            _ = references.initialize(from: nodes.map { Unmanaged.passUnretained($0) })
        }
        deinit { references.deallocate() }
    }
    private let owner: Owner
    private let references: UnsafeBufferPointer<Unmanaged<StatementNode>>

    init(_ nodes: [StatementNode]) {
        owner = Owner(nodes)
        references = UnsafeBufferPointer(owner.references)
    }

    var isEmpty: Bool { references.isEmpty }
    var nodes: [StatementNode] { owner.nodes }
    /// The statements, unretained: valid while this list (its owner) lives.
    var statements: UnsafeBufferPointer<Unmanaged<StatementNode>> { references }

    /// Runs the statements in order until one breaks, continues or returns; an error gets the line
    /// of the statement it came from.
    @inline(__always)
    func run(_ frame: Frame) throws(NotebookError) -> Flow { try Self.run(references, frame) }

    /// `run` on statements kept elsewhere (a function's, whose code owns them).
    @inline(__always)
    static func run(_ references: UnsafeBufferPointer<Unmanaged<StatementNode>>, _ frame: Frame)
        throws(NotebookError) -> Flow
    {
        for reference in references {
            let result = reference._withUnsafeGuaranteedRef { statement -> Result<Flow, NotebookError> in
                do throws(NotebookError) {
                    return .success(try statement.execute(frame))
                } catch {
                    guard error.line == nil else { return .failure(error) }
                    var located = error
                    located.line = statement.location.line
                    return .failure(located)
                }
            }
            switch result {
            case .success(.next): continue
            case .success(let flow): return flow
            case .failure(let error): throw error
            }
        }
        return .next
    }
}

final class ExpressionStatement: StatementNode {
    let expression: ExpressionNode
    /// At the prompt's top level a bare expression shows its value, as in Python's REPL.
    let shows: Bool
    @Unretained var interpreter: Interpreter

    init(_ expression: ExpressionNode, shows: Bool, interpreter: Interpreter, at location: Location) {
        self.expression = expression
        self.shows = shows
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        let value = try expression.evaluate(frame)
        if shows { try interpreter.show(value) }
        return .next
    }
}

final class AssignStatement: StatementNode {
    let targets: [Target]
    let value: ExpressionNode
    @Unretained var interpreter: Interpreter
    /// The one target's slot, or its module-level address (read without the enum's payload).
    let place: (slot: Int?, address: UnsafeMutablePointer<Object?>?)

    init(_ targets: [Target], _ value: ExpressionNode, interpreter: Interpreter, at location: Location) {
        self.targets = targets
        self.value = value
        self._interpreter = Unretained(wrappedValue: interpreter)
        place = targets.count == 1 ? targets[0].place : (nil, nil)
        if targets.count == 1, case .attribute(let target) = targets[0] { attribute = target } else { attribute = nil }
        super.init(at: location)
    }

    /// The one target when it is an attribute (`self.data = data`).
    let attribute: AttributeTarget?

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        let (slot, address) = place
        if let variable = slot.map(frame.address(of:)) ?? address, let number = value.pureNumber(frame) {
            number.store(at: variable)  // `x = x * 0.999 + 1.0`
            return .next
        }
        let result = try value.evaluate(frame)
        if let slot {
            frame[slot] = result
            return .next
        }
        if let address, !result.isValue {
            address.pointee = result
            return .next
        }
        if let attribute, attribute.storeInPlace(result, frame) { return .next }
        for target in targets { try target.assign(result, frame, interpreter) }
        return .next
    }
}

/// `x += 1`: reads the target, combines, writes it back (lists extend in place, as in Python).
final class AugmentedStatement: StatementNode {
    let reader: ExpressionNode
    let writer: Target
    let op: BinaryOperator
    let value: ExpressionNode
    @Unretained var interpreter: Interpreter

    init(
        _ reader: ExpressionNode, _ writer: Target, _ op: BinaryOperator, _ value: ExpressionNode,
        interpreter: Interpreter,
        at location: Location
    ) {
        self.reader = reader
        self.writer = writer
        self.op = op
        self.value = value
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        // `obj.attr += v` and `xs[i] += v` evaluate obj / xs and i once, as Python does.
        switch writer {
        case .attribute(let target):
            let (name, location, site) = (target.name, target.location, target.site)
            // `self.grad += …` on an instance a variable holds: the instance is read where the
            // variable keeps it, and the attribute's slot is read and written directly.
            if let address = target.baseName?.place(in: frame), case .instance(let instance)? = address.pointee,
                let slot = site.slot(instance, name), let current = instance.field(slot)
            {
                try update(instance, slot, current, frame, location)
                return .next
            }
            let base = try target.base.evaluate(frame)
            if case .instance(let instance) = base, let slot = site.slot(instance, name),
                let current = instance.field(slot)
            {
                try update(instance, slot, current, frame, location)
                return .next
            }
            do {
                let current = try interpreter.attribute(name, of: base)
                let result = try interpreter.inPlace(op, current, try value.evaluate(frame))
                try interpreter.setAttribute(name, of: base, to: result)
            } catch {
                throw error.located(location)
            }
        case .item(let target):
            let location = target.location
            let base = try target.base.evaluate(frame)
            let index = try target.index.evaluate(frame)
            do {
                let current = try interpreter.item(of: base, index)
                let result = try interpreter.inPlace(op, current, try value.evaluate(frame))
                try interpreter.setItem(of: base, index, to: result)
            } catch {
                throw error.located(location)
            }
        default:
            if let x = reader.pureNumber(frame), let y = value.pureNumber(frame),
                let result = Operators.numbers(op, x, y)
            {
                switch writer {  // `hits += 1`
                case .local(let slot):
                    result.store(at: frame.address(of: slot))
                    return .next
                case .global(let address, _):
                    result.store(at: address)
                    return .next
                default: break
                }
            }
            let current = try reader.evaluate(frame)
            let operand = try value.evaluate(frame)
            if let result = Operators.fast(op, current, operand) {
                switch writer {
                case .local(let slot): frame[slot] = result
                case .global(let address, _): address.pointee = result
                default: try writer.assign(result, frame, interpreter)
                }
                return .next
            }
            let result: Object
            do {
                result = try interpreter.inPlace(op, current, operand)
            } catch {
                throw error.located(location)
            }
            try writer.assign(result, frame, interpreter)
        }
        return .next
    }

    /// `instance.<slot> op= value`, the field's `current` value already read.
    @inline(__always)
    private func update(_ instance: Instance, _ slot: Int, _ current: Object, _ frame: Frame, _ location: Location)
        throws(NotebookError)
    {
        let operand = try value.evaluate(frame)
        let result: Object
        if let quick = Operators.fast(op, current, operand) {
            result = quick
        } else {
            do {
                result = try interpreter.inPlace(op, current, operand)
            } catch {
                throw error.located(location)
            }
        }
        instance.setField(slot, result)
    }
}

final class ForStatement: StatementNode {
    let target: Target
    let source: ExpressionNode
    let body: StatementList
    let otherwise: StatementList
    @Unretained var interpreter: Interpreter

    init(
        _ target: Target, _ source: ExpressionNode, _ body: [StatementNode], _ otherwise: [StatementNode],
        interpreter: Interpreter, at location: Location
    ) {
        self.target = target
        self.source = source
        self.body = StatementList(body)
        self.otherwise = StatementList(otherwise)
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        var iterator = try interpreter.iterate(try source.evaluate(frame))
        try Interrupt.check()
        var turns = 0
        // Each turn builds its nodes on a tape of its own, so a 1,000-step training loop keeps only
        // the steps its variables still refer to. The new tape is newer than any the turn can import
        // from, so no two tapes ever keep each other alive.
        let tape = LoopTape()
        do {
            if let ended = try walk(&iterator, frame, tape, &turns) { return ended }
        } catch {
            throw interpreter.loopError(error, turn: turns)
        }
        return try otherwise.run(frame)
    }

    /// Runs the turns; the flow that ended the loop early (`break`, `return`), or nil when the
    /// items ran out (then `else` runs).
    private func walk(_ iterator: inout ObjectIterator, _ frame: Frame, _ tape: LoopTape, _ turns: inout Int)
        throws(NotebookError) -> Flow?
    {
        let (slot, address) = target.place
        let variable = slot.map(frame.address(of:)) ?? address
        // `for i in range(…)` into a variable: the ints go straight into its place.
        while iterator.isRange, let variable, let n = iterator.nextInt() {
            try begin(tape, &turns)
            Number.int(n).store(at: variable)
            if let ended = try runBody(frame) { return ended }
        }
        if let (first, second) = target.zippedPair(iterator) {
            while let (a, b) = try iterator.nextPair() {
                try begin(tape, &turns)
                try first.assign(a, frame, interpreter)
                try second.assign(b, frame, interpreter)
                if let ended = try runBody(frame) { return ended }
            }
            return nil
        }
        while let item = try iterator.next() {
            try begin(tape, &turns)
            if let variable, slot != nil || !item.isValue {  // a Value bound to a module-level name is labelled
                variable.pointee = item
            } else {
                try target.assign(item, frame, interpreter)
            }
            if let ended = try runBody(frame) { return ended }
        }
        return nil
    }

    /// The start of a turn: counted, Ctrl-C and the budget checked, and a tape of its own.
    @inline(__always)
    private func begin(_ tape: LoopTape, _ turns: inout Int) throws(NotebookError) {
        turns += 1
        try Interpreter.tick()
        tape.startNewIfUsed()
    }

    /// The body, once: the flow that ends the loop (`break`, `return`), or nil to go on.
    @inline(__always)
    private func runBody(_ frame: Frame) throws(NotebookError) -> Flow? {
        switch try body.run(frame) {
        case .breakLoop: .next
        case .returned: .returned
        case .next, .continueLoop: nil
        }
    }
}

final class WhileStatement: StatementNode {
    let condition: ExpressionNode
    let body: StatementList
    let otherwise: StatementList
    @Unretained var interpreter: Interpreter

    init(
        _ condition: ExpressionNode, _ body: [StatementNode], _ otherwise: [StatementNode], interpreter: Interpreter,
        at location: Location
    ) {
        self.condition = condition
        self.body = StatementList(body)
        self.otherwise = StatementList(otherwise)
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        var turns = 0
        try Interrupt.check()
        let tape = LoopTape()  // a tape per turn, as in `for`
        do {
            while try Interpreter.truth(try condition.evaluate(frame), interpreter) {
                turns += 1
                try Interpreter.tick()
                tape.startNewIfUsed()
                switch try body.run(frame) {
                case .breakLoop: return .next
                case .returned: return .returned
                case .next, .continueLoop: continue
                }
            }
        } catch {
            throw interpreter.loopError(error, turn: turns)
        }
        return try otherwise.run(frame)
    }
}

final class IfStatement: StatementNode {
    let branches: [(ExpressionNode, StatementList)]
    let otherwise: StatementList
    @Unretained var interpreter: Interpreter

    /// The condition and body of the first branch, read without the array (most `if`s have one).
    let firstCondition: ExpressionNode
    let firstBody: StatementList

    init(
        _ branches: [(ExpressionNode, [StatementNode])], _ otherwise: [StatementNode], interpreter: Interpreter,
        at location: Location
    ) {
        self.branches = branches.map { ($0.0, StatementList($0.1)) }
        self.otherwise = StatementList(otherwise)
        self._interpreter = Unretained(wrappedValue: interpreter)
        (firstCondition, firstBody) = self.branches[0]
        firstComparison = firstCondition as? CompareNode
        super.init(at: location)
    }

    /// The first condition when it is a comparison: `i % 3 == 0` is then decided on numbers,
    /// with no Object made.
    let firstComparison: CompareNode?

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        if branches.count == 1 {
            let holds: Bool
            // (Optional chaining reads the comparison in place; binding it first counted a reference.)
            if let quick = firstComparison?.pureTruth(frame) {
                holds = quick
            } else {
                let value: Object
                if let comparison = firstComparison {
                    value = try comparison.evaluateInFull(frame)
                } else {
                    value = try firstCondition.evaluate(frame)
                }
                if case .bool(let b) = value { holds = b } else { holds = try interpreter.truth(value) }
            }
            if holds { return try firstBody.run(frame) }
            return try otherwise.run(frame)
        }
        return try runBranches(from: 0, frame)
    }

    /// The branches from `first` on: the body of the first whose condition holds, else `otherwise`.
    private func runBranches(from first: Int, _ frame: Frame) throws(NotebookError) -> Flow {
        for (condition, body) in branches[first...] {
            let value = try condition.evaluate(frame)
            let holds: Bool
            if case .bool(let b) = value { holds = b } else { holds = try interpreter.truth(value) }
            if holds { return try body.run(frame) }
        }
        return try otherwise.run(frame)
    }
}

/// `pass`, `break`, `continue`, `global`, `nonlocal`.
final class FlowStatement: StatementNode {
    let flow: Flow
    init(_ flow: Flow, at location: Location) {
        self.flow = flow
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow { flow }
}

final class ReturnStatement: StatementNode {
    let value: ExpressionNode?
    init(_ value: ExpressionNode?, at location: Location) {
        self.value = value
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        frame.returned = try value?.evaluate(frame) ?? .none
        return .returned
    }
}

/// `def` and `class`: binds the name to what the node makes.
final class StoreStatement: StatementNode {
    let target: Target
    let maker: ExpressionNode
    @Unretained var interpreter: Interpreter
    init(_ target: Target, _ maker: ExpressionNode, interpreter: Interpreter, at location: Location) {
        self.target = target
        self.maker = maker
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        try target.assign(try maker.evaluate(frame), frame, interpreter)
        return .next
    }
}

/// `with context as name:` — enters (`__enter__`) and always exits (`__exit__`).
final class WithStatement: StatementNode {
    let items: [(ExpressionNode, Target?)]
    let body: StatementList
    @Unretained var interpreter: Interpreter

    init(_ items: [(ExpressionNode, Target?)], _ body: [StatementNode], interpreter: Interpreter, at location: Location)
    {
        self.items = items
        self.body = StatementList(body)
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        try enter(0, frame)
    }

    private func enter(_ index: Int, _ frame: Frame) throws(NotebookError) -> Flow {
        guard index < items.count else { return try body.run(frame) }
        let (node, target) = items[index]
        let context = try node.evaluate(frame)
        let entered = try interpreter.enter(context)
        try target?.assign(entered, frame, interpreter)
        let flow: Flow
        do {
            flow = try enter(index + 1, frame)
        } catch {
            try interpreter.exit(context, error: error)
            throw error
        }
        try interpreter.exit(context, error: nil)
        return flow
    }
}

final class AssertStatement: StatementNode {
    let condition: ExpressionNode
    let message: ExpressionNode?
    @Unretained var interpreter: Interpreter

    init(_ condition: ExpressionNode, _ message: ExpressionNode?, interpreter: Interpreter, at location: Location) {
        self.condition = condition
        self.message = message
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        guard try interpreter.truth(try condition.evaluate(frame)) else {
            let text = try message.map { (m) throws(NotebookError) in try interpreter.str(try m.evaluate(frame)) }
            throw .python("AssertionError", text ?? "", at: location)
        }
        return .next
    }
}

final class DeleteStatement: StatementNode {
    let targets: [Target]
    @Unretained var interpreter: Interpreter
    init(_ targets: [Target], interpreter: Interpreter, at location: Location) {
        self.targets = targets
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        for target in targets { try target.delete(frame, interpreter) }
        return .next
    }
}

/// `import a.b as c`: binds the module (or, without `as`, the top package).
final class ImportStatement: StatementNode {
    let bindings: [(module: String, binding: String, target: Target)]
    @Unretained var interpreter: Interpreter
    init(
        _ bindings: [(module: String, binding: String, target: Target)], interpreter: Interpreter, at location: Location
    ) {
        self.bindings = bindings
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        for (module, binding, target) in bindings {
            do {
                let value = try interpreter.importModule(binding == module ? module : module)
                let bound = binding == module ? value : try interpreter.importModule(binding)
                try target.assign(bound, frame, interpreter)
            } catch {
                throw error.located(location)
            }
        }
        return .next
    }
}

final class FromImportStatement: StatementNode {
    let module: String
    let names: [(name: String, target: Target?)]
    @Unretained var interpreter: Interpreter
    init(module: String, names: [(name: String, target: Target?)], interpreter: Interpreter, at location: Location) {
        self.module = module
        self.names = names
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        do throws(NotebookError) {
            guard case .object(let loaded as ModuleObject) = try interpreter.importModule(module) else { return .next }
            for (name, target) in names {
                guard let target else {
                    for (member, value) in loaded.members where !member.hasPrefix("_") {
                        interpreter.globals[member] = value
                    }
                    continue
                }
                guard let value = loaded.members[name] else {
                    throw NotebookError.unknown("name", name, among: loaded.attributeNames)
                        .typed("ImportError", prefix: "cannot import name '\(name)' from '\(module)'")
                }
                try target.assign(value, frame, interpreter)
            }
        } catch {
            throw error.located(location)
        }
        return .next
    }
}

final class RaiseStatement: StatementNode {
    let value: ExpressionNode?
    @Unretained var interpreter: Interpreter
    init(_ value: ExpressionNode?, interpreter: Interpreter, at location: Location) {
        self.value = value
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        guard let value else {
            if let handling = interpreter.handling { throw handling }
            throw .python("RuntimeError", "No active exception to re-raise", at: location)
        }
        throw try interpreter.exception(from: try value.evaluate(frame)).located(location)
    }
}

final class TryStatement: StatementNode {
    struct Handler {
        let type: ExpressionNode?
        let name: Target?
        let body: StatementList
    }
    let body: StatementList
    let handlers: [Handler]
    let otherwise: StatementList
    let finally: StatementList
    @Unretained var interpreter: Interpreter

    init(
        body: [StatementNode], handlers: [Handler], otherwise: [StatementNode], finally: [StatementNode],
        interpreter: Interpreter, at location: Location
    ) {
        self.body = StatementList(body)
        self.handlers = handlers
        self.otherwise = StatementList(otherwise)
        self.finally = StatementList(finally)
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }

    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        let flow: Flow
        do {
            flow = try handle(frame)
        } catch {
            let after = try finally.run(frame)
            if after != .next { return after }
            throw error
        }
        let after = try finally.run(frame)
        return after != .next ? after : flow
    }

    private func handle(_ frame: Frame) throws(NotebookError) -> Flow {
        let flow: Flow
        do {
            flow = try body.run(frame)
        } catch {
            // Ctrl-C and the interpreter's limits are never caught: they must stop the cell.
            guard !Interrupt.isRequested, error.exceptionType != "RecursionLimit" else { throw error }
            for handler in handlers {
                if let typeNode = handler.type {
                    guard try interpreter.exceptionMatches(error, try typeNode.evaluate(frame)) else { continue }
                }
                try handler.name?.assign(.object(ExceptionObject(error)), frame, interpreter)
                let saved = interpreter.handling
                interpreter.handling = error
                defer { interpreter.handling = saved }
                return try handler.body.run(frame)
            }
            throw error
        }
        if flow != .next { return flow }
        return try otherwise.run(frame)
    }
}

/// A caught exception, as `except E as e` binds it.
package final class ExceptionObject: NotebookObject {
    package static let typeName = "Exception"
    let error: NotebookError
    init(_ error: NotebookError) { self.error = error }
    var detail: String {
        guard let type = error.exceptionType, error.message.hasPrefix(type + ": ") else { return error.message }
        return String(error.message.dropFirst(type.count + 2))
    }
    package var description: String { "\(error.exceptionType ?? "Exception")(\(detail.pythonRepr))" }
    package var attributeNames: [String] { ["args"] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        if name == "args" { return .tuple([.string(detail)]) }
        throw .python("AttributeError", "'\(error.exceptionType ?? "Exception")' object has no attribute '\(name)'")
    }
}

/// `%timeit STMT`, `%matplotlib inline`, …
final class MagicStatement: StatementNode {
    let name: String
    let argument: String
    @Unretained var interpreter: Interpreter
    init(name: String, argument: String, interpreter: Interpreter, at location: Location) {
        self.name = name
        self.argument = argument
        self._interpreter = Unretained(wrappedValue: interpreter)
        super.init(at: location)
    }
    override func execute(_ frame: Frame) throws(NotebookError) -> Flow {
        do {
            try interpreter.magic(name, argument)
        } catch {
            throw error.located(location)
        }
        return .next
    }
}

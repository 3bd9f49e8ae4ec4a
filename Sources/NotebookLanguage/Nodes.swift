// The compiled expressions: one small class per kind of expression, each evaluating itself in a
// frame. Names are already resolved to slots (Compiler.swift), and the common cases (float and int
// arithmetic, method calls on instances, attributes of instances) take a short path.
import Engine

/// A compiled expression.
class ExpressionNode {
    func evaluate(_ frame: Frame) throws(NotebookError) -> Object { .none }

    /// The value, when it is an int or a float, for a node whose evaluation has no effect: a
    /// local or module-level name, a number literal, arithmetic on those. Nil (having done
    /// nothing) for any other node or value: the caller then evaluates the node in full, which
    /// reads the same names again and raises what there is to raise. A chain of arithmetic on
    /// numbers thus makes, copies and frees no `Object`.
    func pureNumber(_ frame: Frame) -> Number? { nil }

    /// Whether `pureNumber` can give a number (the node is one of those kinds).
    var isPure: Bool { false }
}

/// An int or a float met on the short path of arithmetic.
enum Number {
    case int(Int)
    case float(Double)

    @inline(__always)
    init?(_ object: Object) {
        switch object {
        case .int(let n): self = .int(n)
        case .float(let x): self = .float(x)
        default: return nil
        }
    }

    var object: Object {
        switch self {
        case .int(let n): .int(n)
        case .float(let x): .float(x)
        }
    }

    /// Stores the number in a variable's place. When the place already holds a number (a loop's
    /// counter, an accumulator) there is nothing to free: the new value is written over it.
    @inline(__always)
    func store(at address: UnsafeMutablePointer<Object?>) {
        switch address.pointee {
        case .int?, .float?: address.initialize(to: object)
        default: address.pointee = object
        }
    }
}

final class ConstantNode: ExpressionNode {
    let value: Object
    init(_ value: Object) { self.value = value }
    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object { value }

    /// The value when it is an int or a float: what an operator node may hold in place of this node.
    var number: Number? { Number(value) }

    override func pureNumber(_ frame: Frame) -> Number? { number }
    override var isPure: Bool { number != nil }
}

final class NameNode: ExpressionNode {
    let reference: NameReference
    let name: String
    @Unretained var interpreter: Interpreter
    let location: Location
    let slot: Int
    let depth: Int
    let kind: UInt8
    /// For a module-level name: where its value and its built-in live.
    let valueAddress: UnsafeMutablePointer<Object?>?
    let builtinAddress: UnsafeMutablePointer<Object?>?

    init(_ reference: NameReference, name: String, interpreter: Interpreter, at location: Location) {
        self.reference = reference
        self.name = name
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
        if case .global(let s) = reference {
            valueAddress = interpreter.globals.valueAddress(s)
            builtinAddress = interpreter.globals.builtinAddress(s)
        } else {
            valueAddress = nil
            builtinAddress = nil
        }
        switch reference {
        case .local(let s): (kind, slot, depth) = (0, s, 0)
        case .enclosing(let d, let s): (kind, slot, depth) = (1, s, d)
        case .global(let s): (kind, slot, depth) = (2, s, 0)
        case .classBody: (kind, slot, depth) = (3, 0, 0)
        }
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        switch kind {
        case 0:
            if let value = frame[slot] { return value }
            throw .python(
                "UnboundLocalError", "local variable '\(name)' is used before it is assigned a value", at: location)
        case 1:
            if let value = frame.outerAddress(depth, of: slot).pointee { return value }
            throw .python("NameError", "'\(name)' is used before the enclosing function assigns it", at: location)
        case 2:
            if let value = valueAddress?.pointee ?? builtinAddress?.pointee { return value }
            throw interpreter.undefined(name, at: location)
        default:
            return try lookup(reference, frame)
        }
    }

    override func pureNumber(_ frame: Frame) -> Number? { number(in: frame) }

    /// Where the variable is kept (a local, an enclosing function's or a module-level one), for
    /// reading it in place; nil for a class body's names.
    @inline(__always)
    func place(in frame: Frame) -> UnsafeMutablePointer<Object?>? {
        switch kind {
        case 0: frame.address(of: slot)
        case 1: frame.outerAddress(depth, of: slot)
        case 2: valueAddress
        default: nil
        }
    }

    /// A local or module-level name holding a number, read in place without copying the Object
    /// (called directly, not through the class, by the operator nodes whose operand it is).
    @inline(__always)
    func number(in frame: Frame) -> Number? {
        guard let address = kind == 0 ? frame.address(of: slot) : kind == 2 ? valueAddress : nil else { return nil }
        switch address.pointee {
        case .int(let n)?: return .int(n)
        case .float(let x)?: return .float(x)
        default: return nil
        }
    }

    override var isPure: Bool { kind == 0 || kind == 2 }

    private func lookup(_ reference: NameReference, _ frame: Frame) throws(NotebookError) -> Object {
        switch reference {
        case .classBody(let name, let fallback):
            if let value = frame.namespace?.entries[name] { return value }
            return try lookup(fallback.reference, frame)
        case .local(let slot):
            if let value = frame[slot] { return value }
        case .enclosing(let depth, let slot):
            if let value = frame.outerAddress(depth, of: slot).pointee { return value }
        case .global(let slot):
            let globals = interpreter.globals
            if let value = globals.valueAddress(slot).pointee ?? globals.builtinAddress(slot).pointee { return value }
        }
        throw interpreter.undefined(name, at: location)
    }
}

final class FormattedNode: ExpressionNode {
    enum Part {
        case text(String)
        case field(ExpressionNode, Character?, [Part])
    }
    let parts: [Part]
    @Unretained var interpreter: Interpreter

    init(_ parts: [Part], interpreter: Interpreter) {
        self.parts = parts
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        .string(try render(parts, frame))
    }

    private func render(_ parts: [Part], _ frame: Frame) throws(NotebookError) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .text(let s): text += s
            case .field(let node, let conversion, let spec):
                var value = try node.evaluate(frame)
                switch conversion {
                case "r", "a": value = .string(try interpreter.repr(value))
                case "s": value = .string(try interpreter.str(value))
                default: break
                }
                text += try interpreter.format(value, spec: try render(spec, frame))
            }
        }
        return text
    }
}

/// `[a, *b]`, `(a, b)`, `{a, b}`.
final class DisplayNode: ExpressionNode {
    enum Kind { case list, tuple, set }
    enum Item {
        case single(ExpressionNode)
        case unpacked(ExpressionNode)
    }
    let kind: Kind
    let items: [Item]
    @Unretained var interpreter: Interpreter

    init(_ kind: Kind, _ items: [Item], interpreter: Interpreter) {
        self.kind = kind
        self.items = items
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        var values: [Object] = []
        values.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .single(let node): values.append(try node.evaluate(frame))
            case .unpacked(let node):
                var iterator = try interpreter.iterate(try node.evaluate(frame))
                values += try iterator.collect()
            }
        }
        switch kind {
        case .list: return .list(values)
        case .tuple: return .tuple(values)
        case .set: return .set(try SetBox(values))
        }
    }
}

final class DictNode: ExpressionNode {
    let items: [(ExpressionNode?, ExpressionNode)]
    @Unretained var interpreter: Interpreter

    init(_ items: [(ExpressionNode?, ExpressionNode)], interpreter: Interpreter) {
        self.items = items
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        let dict = DictBox()
        for (key, value) in items {
            if let key {
                let k = try key.evaluate(frame)
                try dict.set(k, try value.evaluate(frame))
            } else {
                let other = try value.evaluate(frame)
                guard case .dict(let box) = other else {
                    throw .python("TypeError", "'\(other.typeName)' object is not a mapping (** needs a dict)")
                }
                for (k, v) in zip(box.keys, box.values) { try dict.set(k, v) }
            }
        }
        return .dict(dict)
    }
}

final class UnaryNode: ExpressionNode {
    let op: UnaryOperator
    let operand: ExpressionNode
    @Unretained var interpreter: Interpreter
    let location: Location

    init(_ op: UnaryOperator, _ operand: ExpressionNode, interpreter: Interpreter, at location: Location) {
        self.op = op
        self.operand = operand
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        let value = try operand.evaluate(frame)
        if op == .negate, case .float(let x) = value { return .float(-x) }
        do {
            return try interpreter.unary(op, value)
        } catch {
            throw error.located(location)
        }
    }
}

final class BinaryNode: ExpressionNode {
    let op: BinaryOperator
    let lhs: ExpressionNode
    let rhs: ExpressionNode
    @Unretained var interpreter: Interpreter
    let location: Location
    /// What a user's class does for this operator, remembered per class.
    let dispatch: OperatorDispatch
    /// The right operand when it is a number literal (`x * 0.999`, `i % 3`), read without a call.
    let literal: Number?

    init(
        _ op: BinaryOperator, _ lhs: ExpressionNode, _ rhs: ExpressionNode, interpreter: Interpreter,
        at location: Location
    ) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
        dispatch = OperatorDispatch(op)
        literal = (rhs as? ConstantNode)?.number
        pure = lhs.isPure && rhs.isPure
        (leftName, rightName) = (lhs as? NameNode, rhs as? NameNode)
    }

    /// The operands when they are names, read without a call through the class.
    let leftName: NameNode?
    let rightName: NameNode?

    override func pureNumber(_ frame: Frame) -> Number? {
        guard pure else { return nil }
        let x: Number?
        if let leftName { x = leftName.number(in: frame) } else { x = lhs.pureNumber(frame) }
        guard let x else { return nil }
        let y: Number?
        if let literal {
            y = literal
        } else if let rightName {
            y = rightName.number(in: frame)
        } else {
            y = rhs.pureNumber(frame)
        }
        guard let y else { return nil }
        return Operators.numbers(op, x, y)
    }

    override var isPure: Bool { pure }

    /// Both operands pure (names, number literals, arithmetic on those): the number path applies.
    let pure: Bool

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        if pure, let number = pureNumber(frame) { return number.object }
        let a = try lhs.evaluate(frame)
        let b: Object
        if let literal { b = literal.object } else { b = try rhs.evaluate(frame) }
        if let result = Operators.fast(op, a, b) { return result }
        do {
            if let result = try dispatch.apply(a, b, interpreter) { return result }
            return try interpreter.binary(op, a, b)
        } catch {
            throw error.located(location)
        }
    }
}

/// A user's class in an operator: `a.__add__(b)`, else `b.__radd__(a)`, with the methods found
/// once per class. A class, not a struct: the user's method may reach this same node again (a
/// recursive `__add__`), which must not overlap a mutating access to the node's own field.
final class OperatorDispatch {
    let symbol: String
    let forwardName: String
    let reflectedName: String
    private var forward = MethodCache()
    private var reflected = MethodCache()

    init(_ op: BinaryOperator) {
        symbol = op.rawValue
        forwardName = op.specialMethods.forward
        reflectedName = op.specialMethods.reflected
    }

    /// The result, or nil when neither operand is an instance with the method (the interpreter
    /// then decides, and says what is not supported).
    func apply(_ a: Object, _ b: Object, _ interpreter: Interpreter) throws(NotebookError) -> Object? {
        if case .instance(let left) = a, let f = forward.method(left, forwardName) {
            let result = try interpreter.invoke(f, a, b)
            if !result.isNotImplemented { return result }
            if case .instance(let right) = b, let g = reflected.method(right, reflectedName) {
                let mirrored = try interpreter.invoke(g, b, a)
                if !mirrored.isNotImplemented { return mirrored }
            }
            // Both declined: said here, without asking the interpreter (which would call them again).
            throw .python(
                "TypeError", "unsupported operand type(s) for \(symbol): '\(a.typeName)' and '\(b.typeName)'")
        }
        if case .instance(let right) = b, let g = reflected.method(right, reflectedName) {
            let result = try interpreter.invoke(g, b, a)
            if !result.isNotImplemented { return result }
        }
        return nil
    }
}

/// `a + b - c + …`, evaluated left to right without recursion.
final class ChainNode: ExpressionNode {
    let first: ExpressionNode
    let links: [(BinaryOperator, ExpressionNode, Location)]
    @Unretained var interpreter: Interpreter

    init(_ first: ExpressionNode, _ links: [(BinaryOperator, ExpressionNode, Location)], interpreter: Interpreter) {
        self.first = first
        self.links = links
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        var result = try first.evaluate(frame)
        for (op, node, location) in links {
            let b = try node.evaluate(frame)
            if let value = Operators.fast(op, result, b) {
                result = value
                continue
            }
            do {
                result = try interpreter.binary(op, result, b)
            } catch {
                throw error.located(location)
            }
        }
        return result
    }
}

final class CompareNode: ExpressionNode {
    let first: ExpressionNode
    let links: [(ComparisonOperator, ExpressionNode, Location)]
    @Unretained var interpreter: Interpreter

    /// `a OP literal`, the one link of most comparisons (`i % 3 == 0`): its operator and number.
    let single: (ComparisonOperator, Number)?

    init(_ first: ExpressionNode, _ links: [(ComparisonOperator, ExpressionNode, Location)], interpreter: Interpreter) {
        self.first = first
        self.links = links
        self._interpreter = Unretained(wrappedValue: interpreter)
        if links.count == 1, let number = (links[0].1 as? ConstantNode)?.number {
            single = (links[0].0, number)
        } else {
            single = nil
        }
        if links.count == 1, links[0].0 == .in || links[0].0 == .notIn, let name = links[0].1 as? NameNode {
            membership = (links[0].0 == .notIn, name)
        } else {
            membership = nil
        }
    }

    /// `x in name` / `x not in name`: when the variable holds a set, it is searched in place.
    let membership: (negated: Bool, container: NameNode)?

    /// `number OP literal` on a pure left side (`i % 3 == 0`), with no Object made; nil when that
    /// does not apply (nothing evaluated).
    @inline(__always)
    func pureTruth(_ frame: Frame) -> Bool? {
        guard let (op, literal) = single, let x = first.pureNumber(frame) else { return nil }
        return Operators.compareNumbers(op, x, literal)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        if let quick = pureTruth(frame) { return .bool(quick) }
        return try evaluateInFull(frame)
    }

    /// `evaluate` once `pureTruth` has given no answer.
    func evaluateInFull(_ frame: Frame) throws(NotebookError) -> Object {
        var left = try first.evaluate(frame)
        // `v not in seen`: a set's search runs no user code, so the set is read where it is kept.
        if let (negated, container) = membership, let address = container.place(in: frame),
            case .set(let box)? = address.pointee
        {
            do {
                return .bool(try box.contains(left) != negated)
            } catch {
                throw error.located(links[0].2)
            }
        }
        var result = Object.bool(true)
        for (op, node, location) in links {
            let right = try node.evaluate(frame)
            if let quick = Operators.compareNumbers(op, left, right) {
                if links.count == 1 { return .bool(quick) }
                result = .bool(quick)
                if !quick { return result }
                left = right
                continue
            }
            do {
                result = try interpreter.compare(op, left, right)
            } catch {
                throw error.located(location)
            }
            if links.count > 1, !(try interpreter.truth(result)) { return result }
            left = right
        }
        return result
    }
}

final class LogicalNode: ExpressionNode {
    let op: LogicalOperator
    let operands: [ExpressionNode]
    @Unretained var interpreter: Interpreter

    init(_ op: LogicalOperator, _ operands: [ExpressionNode], interpreter: Interpreter) {
        self.op = op
        self.operands = operands
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        // `a and b`: the first falsy operand, else the last; `a or b`: the first truthy one.
        var result = Object.none
        for operand in operands {
            result = try operand.evaluate(frame)
            if (op == .and) != (try interpreter.truth(result)) { return result }
        }
        return result
    }
}

final class NotNode: ExpressionNode {
    let operand: ExpressionNode
    @Unretained var interpreter: Interpreter
    init(_ operand: ExpressionNode, interpreter: Interpreter) {
        self.operand = operand
        self._interpreter = Unretained(wrappedValue: interpreter)
    }
    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        .bool(!(try interpreter.truth(try operand.evaluate(frame))))
    }
}

final class ConditionalNode: ExpressionNode {
    let condition: ExpressionNode
    let value: ExpressionNode
    let otherwise: ExpressionNode
    @Unretained var interpreter: Interpreter

    init(_ condition: ExpressionNode, _ value: ExpressionNode, _ otherwise: ExpressionNode, interpreter: Interpreter) {
        self.condition = condition
        self.value = value
        self.otherwise = otherwise
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        try interpreter.truth(try condition.evaluate(frame)) ? try value.evaluate(frame) : try otherwise.evaluate(frame)
    }
}

/// `f(a, b=1, *xs, **kw)`.
class CallNode: ExpressionNode {
    enum Argument {
        case positional(ExpressionNode)
        case keyword(String, ExpressionNode)
        case unpacked(ExpressionNode)
        case unpackedKeywords(ExpressionNode)
    }
    let callee: ExpressionNode
    let arguments: [Argument]
    @Unretained var interpreter: Interpreter
    /// The interpreter's call depth and frames, held strongly: a direct call counts no reference.
    let calls: CallStack
    let location: Location
    /// Only plain positional arguments: the common case, evaluated without the keyword machinery.
    let simple: [ExpressionNode]?

    init(_ callee: ExpressionNode, _ arguments: [Argument], interpreter: Interpreter, at location: Location) {
        self.callee = callee
        self.arguments = arguments
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.calls = interpreter.calls
        self.location = location
        var simple: [ExpressionNode] = []
        for argument in arguments {
            guard case .positional(let node) = argument else {
                self.simple = nil
                return
            }
            simple.append(node)
        }
        self.simple = simple
    }

    /// Calls a user function whose parameters are all positional with plain positional arguments
    /// (after `receiver`, a method's `self`, when there is one): each argument is evaluated straight
    /// into the callee's frame, with no argument list. Nil when the call is not of that shape.
    final func callDirectly(_ function: UserFunction, receiver: Object?, _ frame: Frame) throws(NotebookError)
        -> Object?
    {
        let first = receiver == nil ? 0 : 1
        guard let simple, function.accepts(simple.count + first) else { return nil }
        let slots = function.plainSlotAddress
        try Interpreter.tick()
        var callee = calls.frames.make(slots: function.slotCount, parent: function.enclosing)
        if let receiver { callee[slots[0]] = receiver }
        for i in simple.indices { callee[slots[i + first]] = try simple[i].evaluate(frame) }
        function.fillDefaults(callee, from: simple.count + first)
        let result: Object
        do {
            result = try calls.run(function, in: callee)
        } catch {
            throw error.located(location)
        }
        calls.recycle(&callee)
        return result
    }

    final func evaluateArguments(_ frame: Frame, into positional: inout [Object]) throws(NotebookError)
        -> [(name: String, value: Object)]
    {
        if let simple {
            for node in simple { positional.append(try node.evaluate(frame)) }
            return []
        }
        var keywords: [(name: String, value: Object)] = []
        for argument in arguments {
            switch argument {
            case .positional(let node): positional.append(try node.evaluate(frame))
            case .keyword(let name, let node):
                let value = try node.evaluate(frame)
                if keywords.contains(where: { $0.name == name }) {
                    throw .python("SyntaxError", "keyword argument '\(name)' repeated", at: location)
                }
                keywords.append((name, value))
            case .unpacked(let node):
                var iterator = try interpreter.iterate(try node.evaluate(frame))
                positional += try iterator.collect()
            case .unpackedKeywords(let node):
                let value = try node.evaluate(frame)
                guard case .dict(let box) = value else {
                    throw .python("TypeError", "argument after ** must be a dict, not \(value.typeName)", at: location)
                }
                for (k, v) in zip(box.keys, box.values) {
                    guard case .string(let name) = k else {
                        throw .python("TypeError", "keywords must be strings", at: location)
                    }
                    keywords.append((name, v))
                }
            }
        }
        return keywords
    }

    /// The class a constructor call met last, and its `__init__`.
    private var constructorType: ObjectIdentifier?
    private var constructorVersion = -1
    private var constructorInit: UserFunction?

    /// `Class(args)` whose `__init__` takes the arguments as plain positional parameters: the
    /// arguments go straight into the frame of `__init__`, with the new instance as `self`. Nil
    /// when the call is not of that shape (the interpreter's `instantiate` then does it in full).
    private func construct(_ type: ClassObject, _ frame: Frame) throws(NotebookError) -> Object? {
        guard let simple else { return nil }
        let version = type.orderVersion
        if constructorType != ObjectIdentifier(type) || constructorVersion != version {
            constructorType = ObjectIdentifier(type)
            constructorVersion = version
            if case .closure(let f)? = type.lookup("__init__") { constructorInit = f } else { constructorInit = nil }
        }
        guard let initializer = constructorInit, initializer.accepts(simple.count + 1) else { return nil }
        let instance = Object.instance(Instance.make(type: type))
        guard let result = try callDirectly(initializer, receiver: instance, frame) else { return nil }
        guard case .none = result else {
            throw .python("TypeError", "__init__() should return None, not '\(result.typeName)'", at: location)
        }
        return instance
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        let function = try callee.evaluate(frame)
        // A call of a user function with plain positional arguments: straight into its frame.
        if case .closure(let f) = function, let result = try callDirectly(f, receiver: nil, frame) { return result }
        if case .type(let type) = function, let result = try construct(type, frame) { return result }
        if case .object(let o) = function, o === interpreter.setType, let simple, simple.count == 1 {
            let items = try simple[0].evaluate(frame)
            do {
                return .set(try SetBox(try interpreter.items(of: items)))
            } catch {
                throw error.located(location)
            }
        }
        if case .function(let f) = function, let simple, simple.count == 2, f === interpreter.isinstanceFunction {
            // isinstance(x, T): asked at every micrograd operator, answered without an argument list.
            let object = try simple[0].evaluate(frame)
            let type = try simple[1].evaluate(frame)
            do {
                return .bool(try Builtins.isInstance(object, type))
            } catch {
                throw error.located(location)
            }
        }
        var positional: [Object] = []
        positional.reserveCapacity(arguments.count)
        let keywords = try evaluateArguments(frame, into: &positional)
        do {
            return try interpreter.call(function, positional, keywords)
        } catch {
            throw error.located(location)
        }
    }
}

/// `x.name(args)`: an instance's method is called with `self` directly, with no bound method made.
final class MethodCallNode: CallNode {
    let base: ExpressionNode
    let name: String
    let attributeLocation: Location
    private var cache = MethodCache()

    init(
        _ base: ExpressionNode, _ name: String, _ arguments: [Argument], interpreter: Interpreter,
        at location: Location,
        attributeAt: Location
    ) {
        self.base = base
        self.name = name
        self.attributeLocation = attributeAt
        baseName = base as? NameNode
        super.init(ConstantNode(.none), arguments, interpreter: interpreter, at: location)
    }

    /// The receiver when it is a variable.
    private let baseName: NameNode?

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        // `v._backward()`: a function kept on an instance a variable holds is called without
        // copying the instance out of the variable (the function is copied; the instance is not
        // passed).
        if let address = baseName?.place(in: frame), case .instance(let instance)? = address.pointee,
            cache.method(instance, name) == nil, case .closure(let function)? = cache.field(instance),
            let result = try callDirectly(function, receiver: nil, frame)
        {
            return result
        }
        let receiver = try base.evaluate(frame)
        // The two methods a graph walk calls most, without making a bound method for each call.
        if let simple, simple.count == 1 {
            if case .list(let box) = receiver, name == "append" {
                let item = try simple[0].evaluate(frame)
                if box.items.count >= Builtins.maximumLength {
                    try Builtins.checkLength(box.items.count + 1, of: "list")
                }
                box.items.append(item)
                return .none
            }
            if case .set(let box) = receiver, name == "add" {
                let item = try simple[0].evaluate(frame)
                do {
                    try box.insert(item)
                } catch {
                    throw error.located(location)
                }
                return .none
            }
        }
        if case .instance(let instance) = receiver {
            if let function = cache.method(instance, name) {
                if let result = try callDirectly(function, receiver: receiver, frame) { return result }
                var positional: [Object] = [receiver]
                positional.reserveCapacity(arguments.count + 1)
                let keywords = try evaluateArguments(frame, into: &positional)
                do {
                    return try interpreter.invoke(function, positional, keywords)
                } catch {
                    throw error.located(location)
                }
            }
            // A function kept on the instance itself (`self._backward = _backward`): called as it is.
            if case .closure(let function)? = cache.field(instance),
                let result = try callDirectly(function, receiver: nil, frame)
            {
                return result
            }
        }
        let method: Object
        do {
            method = try interpreter.attribute(name, of: receiver)
        } catch {
            throw error.located(attributeLocation)
        }
        var positional: [Object] = []
        positional.reserveCapacity(arguments.count)
        let keywords = try evaluateArguments(frame, into: &positional)
        do {
            return try interpreter.call(method, positional, keywords)
        } catch {
            throw error.located(location)
        }
    }
}

final class AttributeNode: ExpressionNode {
    let base: ExpressionNode
    let name: String
    @Unretained var interpreter: Interpreter
    let location: Location
    /// The class and slot last seen: the next instance of the same class finds the slot at once.
    private var cachedType: ObjectIdentifier?
    private var cachedSlot = 0

    init(_ base: ExpressionNode, _ name: String, interpreter: Interpreter, at location: Location) {
        self.base = base
        self.name = name
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
        baseName = base as? NameNode
    }

    /// The base when it is a variable: read in its place (the instance borrowed, not copied).
    private let baseName: NameNode?

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        if let address = baseName?.place(in: frame), case .instance(let instance)? = address.pointee,
            cachedType == ObjectIdentifier(instance.type), let value = instance.field(cachedSlot)
        {
            return value
        }
        let object = try base.evaluate(frame)
        if case .instance(let instance) = object {
            if cachedType == ObjectIdentifier(instance.type), let value = instance.field(cachedSlot) { return value }
            if let slot = instance.type.fieldSlot(name), let value = instance.field(slot) {
                cachedType = ObjectIdentifier(instance.type)
                cachedSlot = slot
                return value
            }
        }
        do {
            return try interpreter.attribute(name, of: object)
        } catch {
            throw error.located(location)
        }
    }
}

final class SubscriptNode: ExpressionNode {
    let base: ExpressionNode
    let index: ExpressionNode
    @Unretained var interpreter: Interpreter
    let location: Location

    init(_ base: ExpressionNode, _ index: ExpressionNode, interpreter: Interpreter, at location: Location) {
        self.base = base
        self.index = index
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        let container = try base.evaluate(frame)
        let key = try index.evaluate(frame)
        if case .list(let box) = container, case .int(let i) = key {
            let resolved = i < 0 ? i + box.items.count : i
            if resolved >= 0 && resolved < box.items.count { return box.items[resolved] }
        }
        do {
            return try interpreter.item(of: container, key)
        } catch {
            throw error.located(location)
        }
    }
}

/// `a:b:c` inside `[ ]`: a slice object.
final class SliceNode: ExpressionNode {
    let lower: ExpressionNode?
    let upper: ExpressionNode?
    let step: ExpressionNode?

    init(_ lower: ExpressionNode?, _ upper: ExpressionNode?, _ step: ExpressionNode?) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        .object(
            SliceObject(
                lower: try lower?.evaluate(frame) ?? .none, upper: try upper?.evaluate(frame) ?? .none,
                step: try step?.evaluate(frame) ?? .none))
    }
}

/// Python's slice object, `slice(1, None, 2)`.
package final class SliceObject: NotebookObject {
    package static let typeName = "slice"
    let lower: Object
    let upper: Object
    let step: Object

    init(lower: Object, upper: Object, step: Object) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    package var description: String { "slice(\(lower.repr), \(upper.repr), \(step.repr))" }
    package var attributeNames: [String] { ["start", "stop", "step"] }
    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "start": return lower
        case "stop": return upper
        case "step": return step
        default: throw .python("AttributeError", "'slice' object has no attribute '\(name)'")
        }
    }

    /// The start, stop and step this slice means for `count` items, as Python's `slice.indices`.
    package func bounds(count: Int) throws(NotebookError) -> (Int, Int, Int) {
        let stepValue: Int
        if case .none = step { stepValue = 1 } else { stepValue = try step.integer(as: "a slice step") }
        guard stepValue != 0 else { throw .python("ValueError", "slice step cannot be zero") }
        func bound(_ o: Object, _ fallback: Int) throws(NotebookError) -> Int {
            if case .none = o { return fallback }
            var i = try o.integer(as: "a slice bound")
            if i < 0 { i += count }
            return stepValue > 0 ? Swift.min(count, Swift.max(0, i)) : Swift.min(count - 1, Swift.max(-1, i))
        }
        return (
            try bound(lower, stepValue > 0 ? 0 : count - 1), try bound(upper, stepValue > 0 ? count : -1), stepValue
        )
    }

    /// The indices this slice picks out of `count` items.
    package func indices(count: Int) throws(NotebookError) -> StrideTo<Int> {
        let (start, stop, step) = try bounds(count: count)
        return stride(from: start, to: stop, by: step)
    }
}

final class ComprehensionNode: ExpressionNode {
    struct Clause {
        let target: Target
        let source: ExpressionNode
        let conditions: [ExpressionNode]
    }
    let kind: Comprehension.Kind
    let element: ExpressionNode
    let value: ExpressionNode?
    let clauses: [Clause]
    let slotCount: Int
    @Unretained var interpreter: Interpreter

    init(
        kind: Comprehension.Kind, element: ExpressionNode, value: ExpressionNode?, clauses: [Clause], slotCount: Int,
        interpreter: Interpreter
    ) {
        self.kind = kind
        self.element = element
        self.value = value
        self.clauses = clauses
        self.slotCount = slotCount
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        let inner = Frame.make(slots: slotCount, parent: frame)
        var results: [Object] = []
        let dict = kind == .dict ? DictBox() : nil
        let firstSource = try clauses[0].source.evaluate(frame)
        try Interrupt.check()
        try run(0, inner, source: firstSource, results: &results, dict: dict)
        switch kind {
        case .list: return .list(results)
        case .set: return .set(try SetBox(results))
        case .dict: return .dict(dict ?? DictBox())
        case .generator:
            return .object(IteratorObject(kind: "generator", ObjectIterator(items: results)))
        }
    }

    private func run(_ index: Int, _ frame: Frame, source: Object, results: inout [Object], dict: DictBox?)
        throws(NotebookError)
    {
        let clause = clauses[index]
        var iterator = try interpreter.iterate(source)
        if let (first, second) = clause.target.zippedPair(iterator) {
            while let (a, b) = try iterator.nextPair() {
                try interpreter.tick()
                try first.assign(a, frame, interpreter)
                try second.assign(b, frame, interpreter)
                try produce(index, clause, frame, results: &results, dict: dict)
            }
            return
        }
        while let item = try iterator.next() {
            try interpreter.tick()
            try clause.target.assign(item, frame, interpreter)
            try produce(index, clause, frame, results: &results, dict: dict)
        }
    }

    /// One turn of clause `index`, its targets assigned: unless a condition fails, the next clause
    /// runs, or the element is made.
    @inline(__always)
    private func produce(_ index: Int, _ clause: Clause, _ frame: Frame, results: inout [Object], dict: DictBox?)
        throws(NotebookError)
    {
        for condition in clause.conditions where !(try interpreter.truth(try condition.evaluate(frame))) { return }
        if index + 1 < clauses.count {
            try run(
                index + 1, frame, source: try clauses[index + 1].source.evaluate(frame), results: &results, dict: dict)
        } else if let dict, let value {
            let key = try element.evaluate(frame)
            try dict.set(key, try value.evaluate(frame))
        } else {
            results.append(try element.evaluate(frame))
            if results.count > Builtins.maximumLength { try Builtins.checkLength(results.count, of: "list") }
        }
    }
}

/// `def` and `lambda`: makes the function, with its defaults evaluated now.
final class FunctionNode: ExpressionNode {
    struct Layout {
        var positional: [(String, Int, ExpressionNode?)] = []
        var variadic: (String, Int)?
        var keywordOnly: [(String, Int, ExpressionNode?)] = []
        var keywords: (String, Int)?
    }
    let name: String
    let layout: Layout
    let body: StatementList
    let expression: ExpressionNode?
    let slotCount: Int
    @Unretained var interpreter: Interpreter
    /// The code, made once when no parameter has a default to evaluate.
    private var fixedCode: FunctionCode?
    /// Whether the function reaches variables of the frame it is made in (or of frames further out).
    let keepsEnclosingFrame: Bool

    /// A module-level function, or one whose free names are all globals, needs no enclosing frame.
    private func enclosingFrame(_ frame: Frame) -> Frame? {
        guard keepsEnclosingFrame else { return nil }
        return frame.parent == nil && frame.namespace == nil && frame.slotCount == 0 ? nil : frame
    }

    init(
        name: String, layout: Layout, body: [StatementNode], expression: ExpressionNode?, slotCount: Int,
        keepsEnclosingFrame: Bool, interpreter: Interpreter, at location: Location
    ) {
        self.keepsEnclosingFrame = keepsEnclosingFrame
        self.name = name
        self.layout = layout
        self.body = StatementList(body)
        self.expression = expression
        self.slotCount = slotCount
        self._interpreter = Unretained(wrappedValue: interpreter)
        if layout.positional.allSatisfy({ $0.2 == nil }) && layout.keywordOnly.allSatisfy({ $0.2 == nil }) {
            var parameters = CompiledParameters()
            parameters.positional = layout.positional.map { ($0.0, $0.1, nil) }
            parameters.variadic = layout.variadic.map { (name: $0.0, slot: $0.1) }
            parameters.keywordOnly = layout.keywordOnly.map { ($0.0, $0.1, nil) }
            parameters.keywords = layout.keywords.map { (name: $0.0, slot: $0.1) }
            fixedCode = FunctionCode(
                name: name, parameters: parameters, body: self.body, expression: expression, slotCount: slotCount,
                interpreter: interpreter)
        }
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        if let fixedCode { return .closure(UserFunction(code: fixedCode, enclosing: enclosingFrame(frame))) }
        var parameters = CompiledParameters()
        for (name, slot, defaultNode) in layout.positional {
            parameters.positional.append((name, slot, try defaultNode?.evaluate(frame)))
        }
        parameters.variadic = layout.variadic.map { (name: $0.0, slot: $0.1) }
        for (name, slot, defaultNode) in layout.keywordOnly {
            parameters.keywordOnly.append((name, slot, try defaultNode?.evaluate(frame)))
        }
        parameters.keywords = layout.keywords.map { (name: $0.0, slot: $0.1) }
        let code = FunctionCode(
            name: name, parameters: parameters, body: body, expression: expression, slotCount: slotCount,
            interpreter: interpreter)
        return .closure(UserFunction(code: code, enclosing: enclosingFrame(frame)))
    }
}

/// The class a `class` statement made, for `super()` in its methods (Python's `__class__` cell).
/// Not a weak reference: a weakly referenced object keeps its counts in a side table, which made
/// every retain of a class (each instance made, each method looked up) take the slow path. The
/// class holds its cell instead, and empties it when it is freed.
final class ClassCell {
    private var reference: Unmanaged<ClassObject>?
    /// Whether a class was ever made by the statement (to tell a deleted class from one being defined).
    private(set) var wasHeld = false

    var type: ClassObject? { reference?.takeUnretainedValue() }

    /// Points the cell at `type`, which keeps the cell until it is freed.
    func hold(_ type: ClassObject) {
        reference = .passUnretained(type)
        wasHeld = true
        type.cell = self
    }

    /// Called by a class being freed: the cell forgets it, unless it was pointed elsewhere since.
    func release(_ type: ClassObject) {
        if reference?.toOpaque() == Unmanaged.passUnretained(type).toOpaque() { reference = nil }
    }
}

/// `super()`: the class's bases seen from the method's `self`.
final class SuperNode: ExpressionNode {
    let cell: ClassCell
    let receiver: ExpressionNode
    @Unretained var interpreter: Interpreter

    init(_ cell: ClassCell, receiver: ExpressionNode, interpreter: Interpreter) {
        self.cell = cell
        self.receiver = receiver
        self._interpreter = Unretained(wrappedValue: interpreter)
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        guard let type = cell.type else {
            throw .python(
                "RuntimeError",
                cell.wasHeld
                    ? "super(): this method's class no longer exists (it was deleted); call the method through a class that does"
                    : "super(): the class is still being defined")
        }
        return .object(SuperObject(type: type, receiver: try receiver.evaluate(frame), interpreter: interpreter))
    }
}

/// What `super()` gives: attributes looked up in the bases of a class, bound to its instance.
final class SuperObject: NotebookObject {
    static let typeName = "super"
    let type: ClassObject
    let receiver: Object
    unowned let interpreter: Interpreter

    init(type: ClassObject, receiver: Object, interpreter: Interpreter) {
        self.type = type
        self.receiver = receiver
        self.interpreter = interpreter
    }

    var description: String { "<super: <class '\(type.name)'>>" }
    var attributeNames: [String] { Array(type.order.dropFirst().flatMap { $0.attributes.keys }) }

    func attribute(_ name: String) throws(NotebookError) -> Object {
        for base in type.order.dropFirst() {
            if let found = base.attributes[name] { return interpreter.bind(found, to: receiver) }
        }
        // object's own methods, which every class has: __init__ takes nothing and does nothing.
        if name == "__init__" {
            return .function(
                Function(name: "object.__init__") { (args) throws(NotebookError) in
                    try args.expect(atMost: 0)
                    return .none
                })
        }
        throw .python("AttributeError", "'super' object has no attribute '\(name)'")
    }
}

/// `class Name(Base): body`: runs the body in a namespace of its own, then makes the class.
final class ClassNode: ExpressionNode {
    let name: String
    let cell: ClassCell
    let bases: [ExpressionNode]
    let body: StatementList
    @Unretained var interpreter: Interpreter
    let location: Location

    init(
        name: String, bases: [ExpressionNode], body: [StatementNode], cell: ClassCell, interpreter: Interpreter,
        at location: Location
    ) {
        self.name = name
        self.cell = cell
        self.bases = bases
        self.body = StatementList(body)
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        var baseClasses: [ClassObject] = []
        for base in bases {
            let value = try base.evaluate(frame)
            switch value {
            case .type(let c): baseClasses.append(c)
            case .object(let t as BuiltinType) where t.name == "object": continue
            case .object(let t as BuiltinType) where t.name == "Exception" || t.name.hasSuffix("Error"):
                continue
            default:
                throw .python(
                    "TypeError", "a class can only derive from classes defined with 'class', not from \(value.repr)",
                    at: location)
            }
        }
        let namespace = ClassNamespace()
        let classFrame = Frame.make(slots: 0, parent: frame, namespace: namespace)
        _ = try body.run(classFrame)
        let type = ClassObject(name: name, bases: baseClasses, attributes: namespace.entries, interpreter: interpreter)
        cell.hold(type)
        for case .closure(let function) in namespace.entries.values {
            function.qualifiedName = "\(name).\(function.name)"
        }
        return .type(type)
    }
}

/// A `def` or `class` with its decorators applied, innermost first.
final class DecoratedNode: ExpressionNode {
    let maker: ExpressionNode
    let decorators: [ExpressionNode]
    @Unretained var interpreter: Interpreter
    let location: Location

    init(_ maker: ExpressionNode, _ decorators: [ExpressionNode], interpreter: Interpreter, at location: Location) {
        self.maker = maker
        self.decorators = decorators
        self._interpreter = Unretained(wrappedValue: interpreter)
        self.location = location
    }

    override func evaluate(_ frame: Frame) throws(NotebookError) -> Object {
        let applied = try decorators.map { (d) throws(NotebookError) in try d.evaluate(frame) }
        var result = try maker.evaluate(frame)
        for decorator in applied.reversed() {
            do {
                result = try interpreter.call(decorator, [result], [])
            } catch {
                throw error.located(location)
            }
        }
        return result
    }
}

/// `base.name` as an assignment's target (a class, so that a `Target` is copied with one retain).
final class AttributeTarget {
    let base: ExpressionNode
    let name: String
    let location: Location
    let site = AttributeSite()
    /// The base when it is a variable (`self.data = …`), read in its place.
    let baseName: NameNode?

    init(_ base: ExpressionNode, _ name: String, _ location: Location) {
        self.base = base
        self.name = name
        self.location = location
        baseName = base as? NameNode
    }

    /// Stores `value` in the attribute of the instance a variable base holds, without copying the
    /// instance out of the variable; false (having done nothing) in every other case.
    @inline(__always)
    func storeInPlace(_ value: Object, _ frame: Frame) -> Bool {
        guard let address = baseName?.place(in: frame), case .instance(let instance)? = address.pointee,
            let slot = site.slot(instance, name)
        else { return false }
        instance.setField(slot, value)
        return true
    }
}

/// `base[index]` as an assignment's target.
final class ItemTarget {
    let base: ExpressionNode
    let index: ExpressionNode
    let location: Location

    init(_ base: ExpressionNode, _ index: ExpressionNode, _ location: Location) {
        self.base = base
        self.index = index
        self.location = location
    }
}

/// Where an assignment puts its value.
enum Target {
    case local(Int)
    case enclosing(depth: Int, slot: Int)
    /// A module-level name: the address of its slot, and the name.
    case global(UnsafeMutablePointer<Object?>, String)
    case classBody(String)
    case attribute(AttributeTarget)
    case item(ItemTarget)
    indirect case unpack([Target], starred: Int?)

    /// The two targets of `a, b` when `iterator` walks a `zip` of two iterables: the loop then takes
    /// each pair with `nextPair` and assigns it straight to them, with no tuple made.
    @inline(__always)
    func zippedPair(_ iterator: ObjectIterator) -> (Target, Target)? {
        guard case .unpack(let parts, starred: nil) = self, parts.count == 2, iterator.isZipOfTwo else { return nil }
        return (parts[0], parts[1])
    }

    /// A local's slot, or a module-level name's address: the two targets assigned in place.
    var place: (slot: Int?, address: UnsafeMutablePointer<Object?>?) {
        switch self {
        case .local(let slot): (slot, nil)
        case .global(let address, _): (nil, address)
        default: (nil, nil)
        }
    }

    func assign(_ value: Object, _ frame: Frame, _ interpreter: Interpreter) throws(NotebookError) {
        switch self {
        case .local(let slot): frame[slot] = value
        case .enclosing(let depth, let slot): frame.outerAddress(depth, of: slot).pointee = value
        case .global(let address, let name):
            if case .value(let v) = value, v.label.isEmpty { v.label = name }  // a Value takes the name it is given
            address.pointee = value
        case .classBody(let name): frame.namespace?.set(name, value)
        case .attribute(let target):
            let object = try target.base.evaluate(frame)
            if case .instance(let instance) = object, let slot = target.site.slot(instance, target.name) {
                instance.setField(slot, value)
                return
            }
            do {
                try interpreter.setAttribute(target.name, of: object, to: value)
            } catch {
                throw error.located(target.location)
            }
        case .item(let target):
            let container = try target.base.evaluate(frame)
            let key = try target.index.evaluate(frame)
            do {
                try interpreter.setItem(of: container, key, to: value)
            } catch {
                throw error.located(target.location)
            }
        case .unpack(let targets, let starred):
            if !value.isIterable {
                throw .python("TypeError", "cannot unpack non-iterable \(value.typeName) object")
            }
            var iterator = try interpreter.iterate(value)
            let items = try iterator.collect()
            if let starred {
                guard items.count >= targets.count - 1 else {
                    throw .python(
                        "ValueError",
                        "not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))")
                }
                let after = targets.count - starred - 1
                for i in 0..<starred { try targets[i].assign(items[i], frame, interpreter) }
                try targets[starred].assign(.list(Array(items[starred..<(items.count - after)])), frame, interpreter)
                for i in 0..<after {
                    try targets[starred + 1 + i].assign(items[items.count - after + i], frame, interpreter)
                }
                return
            }
            guard items.count == targets.count else {
                throw .python(
                    "ValueError",
                    items.count > targets.count
                        ? "too many values to unpack (expected \(targets.count), got \(items.count))"
                        : "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (target, item) in zip(targets, items) { try target.assign(item, frame, interpreter) }
        }
    }

    func delete(_ frame: Frame, _ interpreter: Interpreter) throws(NotebookError) {
        switch self {
        case .local(let slot): frame[slot] = nil
        case .enclosing(let depth, let slot): frame.outerAddress(depth, of: slot).pointee = nil
        case .global(let address, let name):
            guard address.pointee != nil else {
                throw .python("NameError", "name '\(name)' is not defined")
            }
            address.pointee = nil
        case .classBody(let name): frame.namespace?.entries[name] = nil
        case .attribute(let target):
            do {
                try interpreter.deleteAttribute(target.name, of: try target.base.evaluate(frame))
            } catch {
                throw error.located(target.location)
            }
        case .item(let target):
            let container = try target.base.evaluate(frame)
            do {
                try interpreter.deleteItem(of: container, try target.index.evaluate(frame))
            } catch {
                throw error.located(target.location)
            }
        case .unpack(let targets, _):
            for target in targets { try target.delete(frame, interpreter) }
        }
    }
}

// Runs the notebook language: compiles each cell (Compiler.swift) and runs it at module level.
// Calls, attributes, items and iteration live here; operators in Operators.swift, formatting in
// Formatting.swift, `Value`'s attributes in Interpreter+Value.swift, the built-in functions in
// Builtins.swift and the methods of str, list and dict in Methods.swift, modules in Modules.swift.
import Engine
import Foundation

/// The notebook language's interpreter. As in Python, a failing statement keeps what it did before
/// it failed: an assignment happens only once its value is computed, a loop keeps the iterations
/// that ran, and a list keeps what was appended; a loop's error says so.
package final class Interpreter {
    /// The module-level names (the user's variables) and the built-ins behind them.
    package let globals = GlobalTable()
    /// The program the interpreter runs in: where output goes, what else may be typed, the generator.
    package unowned let host: InterpreterHost
    /// Imported modules, by name.
    var modules: [String: Object] = [:]
    /// Modules the host makes (the notebook's `matplotlib.pyplot`, which draws with its plots).
    package var providedModules: [String: () -> Object] = [:]
    /// `torch`'s default generator, made on first use.
    var torchDefaultGenerator: TorchGenerator?
    /// One draw with replacement by today's PyTorch rule (the exponential race) rather than the
    /// cumulative-sum search of the PyTorch makemore part 1 was recorded with (the `multinomial` command).
    package var modernMultinomial = false
    /// The exception an `except` block is handling (for a bare `raise`).
    var handling: NotebookError?
    /// The call depth and the frames to reuse.
    let calls = CallStack()
    package static let recursionLimit = 1000
    /// Counts loop turns and calls between checks for Ctrl-C.
    nonisolated(unsafe) private static var ticks = 0
    /// The module-level frame.
    let moduleFrame = Frame.make(slots: 0, parent: nil)
    /// The objects that can form cycles, for the cycle collector (CycleHeap.swift).
    package let heap = CycleHeap()

    package init(host: InterpreterHost) {
        self.host = host
        for (name, value) in Builtins.make(self) { globals.setBuiltin(name, value) }
        if case .object(let set as BuiltinType)? = globals.builtin("set") { setType = set }
        if case .function(let f)? = globals.builtin("isinstance") { isinstanceFunction = f }
    }

    /// The built-in `isinstance`, which a call answers without an argument list (micrograd asks
    /// it at every operator); known by identity, where its name would be compared as a string.
    private(set) var isinstanceFunction: Function?

    /// The built-in `set`, which `set(children)` calls without an argument list (micrograd makes
    /// one for every Value).
    private(set) var setType: BuiltinType?

    /// The cycles the variables held are freed with the interpreter (a notebook's session, each of
    /// the fuzzer's many), not left behind.
    deinit {
        globals.removeAll()
        heap.collect()
    }

    /// The user's variables.
    package var variables: GlobalTable { globals }

    /// Adds the host's built-ins (`MLP`, `plot`, …); the language's own keep their names.
    package func define(_ entries: [(String, Object)]) {
        for (name, value) in entries where globals.builtin(name) == nil { globals.setBuiltin(name, value) }
    }

    package func builtin(_ name: String) -> Object? { globals.builtin(name) }

    /// Every name that can be typed: the user's and the built-in ones.
    package var allNames: [String] { globals.keys + globals.builtinNames }

    /// Binds a module-level name, as `name = value` does (a `Value` with no label takes the name).
    package func assign(_ value: Object, toGlobal name: String) {
        if case .value(let v) = value, v.label.isEmpty { v.label = name }
        globals[name] = value
    }

    /// Writes `print()` output.
    package func write(_ text: String) { host.write(text) }

    package func warn(_ message: String) { host.warn(message) }

    // MARK: Running cells

    /// Runs a cell's statements at module level, on a fresh tape: the nodes it makes are freed
    /// once no variable refers to them, so the notebook's memory follows its variables, not its
    /// history. Bare expressions show their value, as at Python's prompt.
    package func run(_ statements: [Statement]) throws(NotebookError) {
        var compiler = Compiler(interpreter: self, interactive: true)
        let nodes = try compiler.compile(statements)
        try DeepStack.run { () throws(NotebookError) in
            try CycleHeap.withCurrent(heap) { () throws(NotebookError) in
                try Tape.withNew { () throws(NotebookError) in
                    calls.depth = 0
                    TorchState.noGradDepth = 0  // a `with torch.no_grad():` never outlives its cell
                    TorchState.defaultGenerator = modules["torch"] == nil ? nil : torchGenerator
                    StepBudget.current = stepBudget.map { (Self.ticks, $0) }
                    _ = try nodes.run(moduleFrame)
                }
            }
        }
    }

    /// Evaluates an expression at module level (commands use it for their arguments).
    package func evaluate(_ expression: Expression) throws(NotebookError) -> Object {
        var compiler = Compiler(interpreter: self, interactive: false)
        let node = try compiler.compile(expression)
        return try DeepStack.run { () throws(NotebookError) in
            try CycleHeap.withCurrent(heap) { () throws(NotebookError) in try node.evaluate(moduleFrame) }
        }
    }

    /// The text shown for a bare expression's result, or nil for `None`.
    package func display(_ object: Object) throws(NotebookError) -> String? {
        if case .none = object { return nil }
        return try repr(object)
    }

    /// Shows a bare expression's value and keeps it as `_`.
    func show(_ value: Object) throws(NotebookError) {
        guard let text = try display(value) else { return }
        globals.setBuiltin("_", value)
        write(text + "\n")
    }

    /// Checks for Ctrl-C now and then (a loop turn, a call).
    @inline(__always)
    func tick() throws(NotebookError) { try Self.tick() }

    /// The same, for the compiled nodes (no interpreter to reach: nothing to retain).
    @inline(__always)
    static func tick() throws(NotebookError) {
        ticks &+= 1
        if ticks & 63 == 0 { try checkpoint() }
    }

    /// Every 64 ticks: Ctrl-C, the step budget, and now and then the memory in use.
    @inline(never)
    private static func checkpoint() throws(NotebookError) {
        try Interrupt.check()
        CycleHeap.collectIfDue()
        if let limit = StepBudget.current, ticks - limit.start > limit.steps {
            throw .python("RuntimeError", "the cell ran more than \(limit.steps) steps (the step budget of this run)")
        }
        if ticks & 0xFFFF == 0 { try MemoryGuard.check() }
    }

    /// A bound on the loop turns and calls of one cell, for runs no one can interrupt (the
    /// fuzzer, the stress test); nil at the prompt, where Ctrl-C stops a runaway loop.
    package var stepBudget: Int?

    /// A loop's error says which turn stopped it, once (the innermost loop's).
    func loopError(_ error: NotebookError, turn: Int) -> NotebookError {
        guard !error.message.contains("(the loop stopped") else { return error }
        var told = error
        told.message += " (the loop stopped in turn \(turn); what the turns before did is kept)"
        return told
    }

    func undefined(_ name: String, at location: Location) -> NotebookError {
        var error = NotebookError.unknown(
            "name", name, among: allNames + host.otherNames, column: location.column,
            hint: "assign it first (vars lists the names defined so far)")
        error.line = location.line
        error.exceptionType = "NameError"
        return error
    }

    package func lookup(_ name: String, column: Int?) throws(NotebookError) -> Object {
        if let value = globals[name] ?? globals.builtin(name) { return value }
        throw undefined(name, at: Location(line: 1, column: column ?? 1))
    }

    // MARK: Calls

    /// Calls any callable object.
    package func call(_ function: Object, _ positional: [Object], _ keywords: [(name: String, value: Object)] = [])
        throws(NotebookError) -> Object
    {
        switch function {
        case .closure(let f):
            return try invoke(f, positional, keywords)
        case .method(let m):
            return try invoke(m.function, [m.receiver] + positional, keywords)
        case .function(let f):
            try tick()
            return try f.call(Arguments(function: f.name, positional: positional, keywords: keywords))
        case .type(let type):
            return try instantiate(type, positional, keywords)
        case .instance(let instance):
            guard let method = instance.type.lookup("__call__") else {
                throw .python("TypeError", "'\(instance.type.name)' object is not callable (its class has no __call__)")
            }
            return try call(bind(method, to: function), positional, keywords)
        case .object(let o):
            return try o.call(Arguments(function: o.callName, positional: positional, keywords: keywords))
        default:
            throw .python("TypeError", "'\(function.typeName)' object is not callable")
        }
    }

    /// Runs a user function with its arguments bound to its parameters.
    func invoke(_ function: UserFunction, _ positional: [Object], _ keywords: [(name: String, value: Object)])
        throws(NotebookError) -> Object
    {
        try tick()
        var frame = calls.frames.make(slots: function.slotCount, parent: function.enclosing)
        if keywords.isEmpty, function.accepts(positional.count) {
            let slots = function.plainSlotAddress
            for (i, value) in positional.enumerated() { frame[slots[i]] = value }
            function.fillDefaults(frame, from: positional.count)
        } else {
            try bind(function, positional, keywords, into: frame)
        }
        let result = try run(function, in: frame)
        calls.recycle(&frame)
        return result
    }

    /// Calls `function(first, second)` without an argument array when its two parameters are plain.
    func invoke(_ function: UserFunction, _ first: Object, _ second: Object) throws(NotebookError) -> Object {
        guard function.accepts(2) else { return try invoke(function, [first, second], []) }
        let slots = function.plainSlotAddress
        try tick()
        var frame = calls.frames.make(slots: function.slotCount, parent: function.enclosing)
        frame[slots[0]] = first
        frame[slots[1]] = second
        function.fillDefaults(frame, from: 2)
        let result = try run(function, in: frame)
        calls.recycle(&frame)
        return result
    }

    /// Runs a function whose arguments are already in `frame`.
    @inline(__always)
    func run(_ function: UserFunction, in frame: Frame) throws(NotebookError) -> Object {
        try calls.run(function, in: frame)
    }

    private func bind(
        _ function: UserFunction, _ positional: [Object], _ keywords: [(name: String, value: Object)], into frame: Frame
    ) throws(NotebookError) {
        let parameters = function.parameters
        let name = function.qualifiedName
        if positional.count > parameters.positional.count {
            guard let variadic = parameters.variadic else {
                let given = positional.count
                let takes = parameters.positional.count
                throw .python(
                    "TypeError",
                    "\(name)() takes \(takes) positional argument\(takes == 1 ? "" : "s") but \(given) \(given == 1 ? "was" : "were") given"
                )
            }
            frame[variadic.slot] = .tuple(Array(positional[parameters.positional.count...]))
        } else if let variadic = parameters.variadic {
            frame[variadic.slot] = .tuple([])
        }
        for (index, value) in positional.prefix(parameters.positional.count).enumerated() {
            frame[parameters.positional[index].slot] = value
        }
        var extra: DictBox?
        if let keywordsParameter = parameters.keywords {
            extra = DictBox()
            frame[keywordsParameter.slot] = .dict(extra ?? DictBox())
        }
        for (keyword, value) in keywords {
            if let p = parameters.positional.first(where: { $0.name == keyword })
                ?? parameters.keywordOnly.first(where: { $0.name == keyword })
            {
                guard frame[p.slot] == nil else {
                    throw .python("TypeError", "\(name)() got multiple values for argument '\(keyword)'")
                }
                frame[p.slot] = value
            } else if let extra {
                try extra.set(.string(keyword), value)
            } else {
                let names = parameters.positional.map(\.name) + parameters.keywordOnly.map(\.name)
                let guess = closestMatch(to: keyword, in: names).map { "; did you mean '\($0)'?" } ?? ""
                throw .python("TypeError", "\(name)() got an unexpected keyword argument '\(keyword)'\(guess)")
            }
        }
        var missing: [String] = []
        for p in parameters.positional where frame[p.slot] == nil {
            if let d = p.defaultValue { frame[p.slot] = d } else { missing.append(p.name) }
        }
        for p in parameters.keywordOnly where frame[p.slot] == nil {
            if let d = p.defaultValue { frame[p.slot] = d } else { missing.append(p.name) }
        }
        if !missing.isEmpty {
            throw .python(
                "TypeError",
                "\(name)() missing \(missing.count) required argument\(missing.count == 1 ? "" : "s"): \(missing.map { "'\($0)'" }.joined(separator: " and "))"
            )
        }
    }

    /// `Class(args)`: a new instance, initialised by `__init__`.
    private func instantiate(_ type: ClassObject, _ positional: [Object], _ keywords: [(name: String, value: Object)])
        throws(NotebookError) -> Object
    {
        let instance = Object.instance(Instance.make(type: type))
        if case .closure(let initializer)? = type.lookup("__init__") {
            let result: Object
            if keywords.isEmpty, initializer.accepts(positional.count + 1) {
                try tick()
                let slots = initializer.plainSlotAddress
                var frame = calls.frames.make(slots: initializer.slotCount, parent: initializer.enclosing)
                frame[slots[0]] = instance
                for (i, value) in positional.enumerated() { frame[slots[i + 1]] = value }
                initializer.fillDefaults(frame, from: positional.count + 1)
                result = try run(initializer, in: frame)
                calls.recycle(&frame)
            } else {
                result = try invoke(initializer, [instance] + positional, keywords)
            }
            guard case .none = result else {
                throw .python("TypeError", "__init__() should return None, not '\(result.typeName)'")
            }
        } else if let initializer = type.lookup("__init__") {
            let result = try call(bind(initializer, to: instance), positional, keywords)
            guard case .none = result else {
                throw .python("TypeError", "__init__() should return None, not '\(result.typeName)'")
            }
        } else if !positional.isEmpty || !keywords.isEmpty {
            throw .python("TypeError", "\(type.name)() takes no arguments (the class defines no __init__)")
        }
        return instance
    }

    /// A class attribute seen through an instance: a function becomes a bound method.
    func bind(_ attribute: Object, to receiver: Object) -> Object {
        if case .closure(let f) = attribute { return .method(BoundMethod(receiver: receiver, function: f)) }
        return attribute
    }

    /// Calls `receiver.name(arguments)`.
    package func callMethod(_ receiver: Object, _ name: String, _ arguments: [Object]) throws(NotebookError) -> Object {
        if case .instance(let instance) = receiver, case .closure(let f)? = instance.type.lookup(name) {
            return try invoke(f, [receiver] + arguments, [])
        }
        return try call(try attribute(name, of: receiver), arguments, [])
    }

    /// The class method `name` of an instance, when its class defines it.
    func special(_ object: Object, _ name: String) -> UserFunction? {
        guard case .instance(let instance) = object, case .closure(let f)? = instance.type.lookup(name) else {
            return nil
        }
        return f
    }

    // MARK: Attributes

    package func attribute(_ name: String, of object: Object, column: Int) throws(NotebookError) -> Object {
        do {
            return try attribute(name, of: object)
        } catch {
            throw error.located(Location(line: 1, column: column))
        }
    }

    package func attribute(_ name: String, of object: Object) throws(NotebookError) -> Object {
        switch object {
        case .instance(let instance):
            if let value = instance.field(named: name) { return value }
            if let value = instance.type.lookup(name) { return bind(value, to: object) }
            switch name {
            case "__class__": return .type(instance.type)
            case "__dict__":
                let dict = DictBox()
                for field in instance.fieldNames { try dict.set(.string(field), instance.field(named: field) ?? .none) }
                return .dict(dict)
            default: break
            }
            if let getter = instance.type.lookup("__getattr__") {
                return try call(bind(getter, to: object), [.string(name)])
            }
            throw NotebookError.unknown(
                "attribute", name, among: instance.fieldNames + Array(instance.type.attributes.keys)
            ).typed("AttributeError", prefix: "'\(instance.type.name)' object has no attribute '\(name)'")
        case .type(let type):
            if let value = type.lookup(name) { return value }
            if name == "__name__" { return .string(type.name) }
            throw .python("AttributeError", "type object '\(type.name)' has no attribute '\(name)'")
        case .value(let v):
            return try valueAttribute(name, of: v)
        case .object(let o):
            return try o.attribute(name)
        case .closure(let f):
            if name == "__name__" { return .string(f.name) }
            throw .python("AttributeError", "'function' object has no attribute '\(name)'")
        case .function(let f):
            // `torch.tanh.__name__` is 'tanh': the name without its module or class.
            if name == "__name__" { return .string(f.name.split(separator: ".").last.map(String.init) ?? f.name) }
            throw .python("AttributeError", "'builtin_function_or_method' object has no attribute '\(name)'")
        default:
            return try Methods.method(name, of: object, self)
        }
    }

    package func setAttribute(_ name: String, of object: Object, to value: Object, column: Int) throws(NotebookError) {
        do {
            try setAttribute(name, of: object, to: value)
        } catch {
            throw error.located(Location(line: 1, column: column))
        }
    }

    package func setAttribute(_ name: String, of object: Object, to value: Object) throws(NotebookError) {
        switch object {
        case .instance(let instance):
            if let setter = instance.type.lookup("__setattr__"), case .closure = setter {
                _ = try call(bind(setter, to: object), [.string(name), value])
                return
            }
            instance.setField(named: name, value)
        case .type(let type):
            type.attributes[name] = value
        case .value(let v):
            try setValueAttribute(name, of: v, to: value)
        case .object(let o):
            try o.setAttribute(name, to: value)
        default:
            throw .python("AttributeError", "'\(object.typeName)' object attribute '\(name)' cannot be set")
        }
    }

    func deleteAttribute(_ name: String, of object: Object) throws(NotebookError) {
        guard case .instance(let instance) = object, let slot = instance.type.fieldSlot(name),
            instance.field(slot) != nil
        else {
            throw .python("AttributeError", "cannot delete attribute '\(name)' of \(object.typeNameWithArticle)")
        }
        instance.setField(slot, nil)
    }

    // MARK: Items

    /// `container[key]`.
    package func item(of container: Object, _ key: Object) throws(NotebookError) -> Object {
        switch container {
        case .list(let box): return try Self.element(of: box.items, key, kind: "list") { .list($0) }
        case .tuple(let box): return try Self.element(of: box.items, key, kind: "tuple") { .tuple($0) }
        case .string(let s):
            let characters = Array(s.unicodeScalars)
            if case .object(let slice as SliceObject) = key {
                var text = String.UnicodeScalarView()
                for i in try slice.indices(count: characters.count) { text.append(characters[i]) }
                return .string(String(text))
            }
            let i = try index(key, count: characters.count, kind: "string")
            return .string(String(characters[i]))
        case .dict(let box):
            if let value = try box.get(key) { return value }
            throw .python("KeyError", key.repr)
        case .instance:
            guard let getter = special(container, "__getitem__") else {
                throw .python(
                    "TypeError", "'\(container.typeName)' object is not subscriptable (its class has no __getitem__)")
            }
            return try invoke(getter, [container, key], [])
        case .object(let t as TensorObject):
            return .object(try TorchState.op { () throws(NotebookError) in try t.index(key, self) })
        case .object:
            guard let o = container.indexable else {
                throw .python("TypeError", "'\(container.typeName)' object is not subscriptable")
            }
            return try o.item(at: key)
        default:
            throw .python("TypeError", "'\(container.typeName)' object is not subscriptable")
        }
    }

    private static func element(of items: [Object], _ key: Object, kind: String, make: ([Object]) -> Object)
        throws(NotebookError) -> Object
    {
        if case .object(let slice as SliceObject) = key {
            var picked: [Object] = []
            for i in try slice.indices(count: items.count) { picked.append(items[i]) }
            return make(picked)
        }
        return items[try Interpreter.index(key, count: items.count, kind: kind)]
    }

    func index(_ key: Object, count: Int, kind: String) throws(NotebookError) -> Int {
        try Interpreter.index(key, count: count, kind: kind)
    }

    /// A resolved index into `count` items, or IndexError.
    static func index(_ key: Object, count: Int, kind: String) throws(NotebookError) -> Int {
        let i: Int
        switch key {
        case .int(let n): i = n
        case .bool(let b): i = b ? 1 : 0
        case .object(let t as TensorObject) where !t.dtype.isFloat && t.numel == 1: i = t.integers?[0] ?? 0
        default:
            throw .python("TypeError", "\(kind) indices must be integers or slices, not \(key.typeName)")
        }
        let resolved = i < 0 ? i + count : i
        guard resolved >= 0, resolved < count else {
            throw .python(
                "IndexError", "\(kind) index \(i) out of range (it has \(count) item\(count == 1 ? "" : "s"))")
        }
        return resolved
    }

    package func listIndex(_ key: Object, count: Int, column: Int) throws(NotebookError) -> Int {
        do {
            return try index(key, count: count, kind: "list")
        } catch {
            throw error.located(Location(line: 1, column: column))
        }
    }

    /// `container[key] = value`.
    package func setItem(of container: Object, _ key: Object, to value: Object) throws(NotebookError) {
        switch container {
        case .list(let box):
            if case .object(let slice as SliceObject) = key {
                let replacement = try items(of: value)
                let (start, stop, step) = try slice.bounds(count: box.items.count)
                if step == 1 {
                    box.items.replaceSubrange(start..<Swift.max(start, stop), with: replacement)
                } else {
                    let indices = Array(stride(from: start, to: stop, by: step))
                    guard replacement.count == indices.count else {
                        throw .python(
                            "ValueError",
                            "attempt to assign sequence of size \(replacement.count) to extended slice of size \(indices.count)"
                        )
                    }
                    for (i, item) in zip(indices, replacement) { box.items[i] = item }
                }
                return
            }
            box.items[try index(key, count: box.items.count, kind: "list")] = value
        case .dict(let box):
            try box.set(key, value)
        case .instance:
            guard let setter = special(container, "__setitem__") else {
                throw .python("TypeError", "'\(container.typeName)' object does not support item assignment")
            }
            _ = try invoke(setter, [container, key, value], [])
        case .object(let t as TensorObject):
            try t.setIndex(key, to: value, self)
        case .object(let o as any MutableIndexableObject):
            try o.setItem(at: key, to: value)
        default:
            throw .python("TypeError", "'\(container.typeName)' object does not support item assignment")
        }
    }

    func deleteItem(of container: Object, _ key: Object) throws(NotebookError) {
        switch container {
        case .list(let box):
            if case .object(let slice as SliceObject) = key {
                let indices = Set(try slice.indices(count: box.items.count))
                box.items = box.items.enumerated().filter { !indices.contains($0.offset) }.map(\.element)
                return
            }
            box.items.remove(at: try index(key, count: box.items.count, kind: "list"))
        case .dict(let box):
            guard try box.remove(key) != nil else { throw .python("KeyError", key.repr) }
        default:
            throw .python("TypeError", "'\(container.typeName)' object does not support item deletion")
        }
    }

    // MARK: Iteration and truth

    package func iterate(_ object: Object) throws(NotebookError) -> ObjectIterator {
        switch object {
        case .list(let box): return ObjectIterator(list: box)
        case .tuple(let box): return ObjectIterator(items: box.items)
        case .string(let s): return ObjectIterator(string: s)
        case .dict(let box): return ObjectIterator(items: box.keys)
        case .set(let box): return ObjectIterator(items: box.items)
        case .object:
            guard let o = object.iterable else {
                throw .python("TypeError", "'\(object.typeName)' object is not iterable")
            }
            return try o.makeIterator()
        case .instance:
            if let iter = special(object, "__iter__") {
                return try iterate(try invoke(iter, [object], []))
            }
            if let getter = special(object, "__getitem__") {
                var i = 0
                return ObjectIterator { [self] () throws(NotebookError) -> Object? in
                    do throws(NotebookError) {
                        let value = try invoke(getter, [object, .int(i)], [])
                        i += 1
                        return value
                    } catch {
                        if error.exceptionType == "IndexError" || error.exceptionType == "StopIteration" { return nil }
                        throw error
                    }
                }
            }
            throw .python("TypeError", "'\(object.typeName)' object is not iterable (its class has no __iter__)")
        default:
            throw .python("TypeError", "'\(object.typeName)' object is not iterable")
        }
    }

    /// The items of an iterable, as an array.
    package func items(of object: Object) throws(NotebookError) -> [Object] {
        switch object {
        case .list(let box): return box.items
        case .tuple(let box): return box.items
        case .object(let r as RangeObject):
            try Builtins.checkLength(r.count, of: "list")
            var iterator = r.makeIterator()
            return try iterator.collect()
        default:
            var iterator = try iterate(object)
            return try iterator.collect()
        }
    }

    /// `truth`, with a bool answered on the spot.
    @inline(__always)
    static func truth(_ object: Object, _ interpreter: Interpreter) throws(NotebookError) -> Bool {
        if case .bool(let b) = object { return b }
        return try interpreter.truth(object)
    }

    /// Python's truth value, asking a class's `__bool__` or `__len__`.
    func truth(_ object: Object) throws(NotebookError) -> Bool {
        switch object {
        case .bool(let b): return b
        case .instance:
            if let f = special(object, "__bool__") { return try truth(try invoke(f, [object], [])) }
            if let f = special(object, "__len__") { return try truth(try invoke(f, [object], [])) }
            return true
        case .object(let t as TensorObject):
            guard t.numel == 1 else {
                throw .python(
                    "RuntimeError",
                    "Boolean value of Tensor with more than one value is ambiguous (use .any() or .all())")
            }
            return try t.item().isTruthy
        case .object(let t as DoubleTensorObject):
            guard t.values.count == 1 else {
                throw .python(
                    "RuntimeError",
                    t.values.isEmpty
                        ? "Boolean value of Tensor with no values is ambiguous"
                        : "Boolean value of Tensor with more than one value is ambiguous (use .any() or .all())")
            }
            return t.values[0] != 0
        default: return object.isTruthy
        }
    }

    // MARK: Exceptions, with, magics

    /// The error `raise value` throws.
    func exception(from value: Object) throws(NotebookError) -> NotebookError {
        switch value {
        case .object(let type as BuiltinType) where type.isException:
            return .python(type.name, "")
        case .object(let made as ExceptionObject):
            return made.error
        case .type(let type):
            return .python(type.name, "")
        case .instance(let instance):
            let detail = (try? str(value)) ?? ""
            return .python(instance.type.name, detail.hasPrefix("<") ? "" : detail)
        default:
            throw .python(
                "TypeError",
                "exceptions must derive from BaseException (raise ValueError('…'), not \(value.typeNameWithArticle))")
        }
    }

    /// Whether `except type:` catches `error`.
    func exceptionMatches(_ error: NotebookError, _ type: Object) throws(NotebookError) -> Bool {
        switch type {
        case .tuple(let box):
            for item in box.items where try exceptionMatches(error, item) { return true }
            return false
        case .object(let t as BuiltinType) where t.isException:
            if t.name == "Exception" || t.name == "BaseException" { return true }
            let actual = error.exceptionType ?? "Exception"
            return actual == t.name || (t.name == "LookupError" && (actual == "KeyError" || actual == "IndexError"))
                || (t.name == "ArithmeticError" && (actual == "ZeroDivisionError" || actual == "OverflowError"))
        case .type(let t):
            return error.exceptionType == t.name
        default:
            throw .python("TypeError", "catching classes that do not inherit from BaseException is not allowed")
        }
    }

    func enter(_ context: Object) throws(NotebookError) -> Object {
        if case .object(let o as any ContextObject) = context { return try o.enter() }
        guard let f = special(context, "__enter__") else {
            throw .python(
                "TypeError", "'\(context.typeName)' object does not support the context manager protocol ('with')")
        }
        return try invoke(f, [context], [])
    }

    func exit(_ context: Object, error: NotebookError?) throws(NotebookError) {
        if case .object(let o as any ContextObject) = context { return try o.exit() }
        if let f = special(context, "__exit__") {
            _ = try invoke(
                f, [context, error == nil ? .none : .string(error?.exceptionType ?? "Exception"), .none, .none], [])
        }
    }
}

/// The step budget of the cell running on this thread (a thread-local: sessions on other threads
/// keep their own).
enum StepBudget {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in if let pointer { Unmanaged<Box>.fromOpaque(pointer).release() } }
        return key
    }()

    private final class Box {
        let value: (start: Int, steps: Int)
        init(_ value: (start: Int, steps: Int)) { self.value = value }
    }

    static var current: (start: Int, steps: Int)? {
        get { pthread_getspecific(key).map { Unmanaged<Box>.fromOpaque($0).takeUnretainedValue().value } }
        set {
            if let old = pthread_getspecific(key) { Unmanaged<Box>.fromOpaque(old).release() }
            pthread_setspecific(key, newValue.map { Unmanaged.passRetained(Box($0)).toOpaque() })
        }
    }
}

/// A notebook object whose items can be assigned.
package protocol MutableIndexableObject: IndexableObject {
    func setItem(at key: Object, to value: Object) throws(NotebookError)
}

/// A notebook object `with` can enter (`torch.no_grad()`).
package protocol ContextObject: NotebookObject {
    func enter() throws(NotebookError) -> Object
    func exit() throws(NotebookError)
}

/// Runs code on a thread with a deep stack: the notebook's recursion limit (1,000 Python calls,
/// each several native frames deep) must end in a RecursionError, never in a stack overflow,
/// whatever thread the notebook was called on.
enum DeepStack {
    /// 1 GiB of address space; only the pages used are ever touched.
    static let size = 1 << 30

    static func run<T>(_ body: () throws(NotebookError) -> T) throws(NotebookError) -> T {
        if isDeep { return try body() }
        var result: Result<T, NotebookError> = .failure(NotebookError("the deep-stack thread did not run"))
        let simulated = Interrupt.simulated
        withoutActuallyEscaping(body) { body in
            let work = {
                Interrupt.$simulated.withValue(simulated) {
                    do throws(NotebookError) {
                        result = .success(try body())
                    } catch {
                        result = .failure(error)
                    }
                }
            }
            if let worker = Worker.current {
                worker.perform(work)
            } else {
                work()  // no thread to be had: run here, with the stack there is
            }
        }
        return try result.get()
    }

    /// A thread with a deep stack that runs the cells of one calling thread, one at a time (made on
    /// the first cell and kept, so a cell costs no thread creation).
    private final class Worker {
        private let start = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) private var job: (() -> Void)?

        private static let key: pthread_key_t = {
            var key = pthread_key_t()
            pthread_key_create(&key, nil)
            return key
        }()

        /// The calling thread's worker, made on first use; nil when no thread can be made.
        static var current: Worker? {
            if let existing = pthread_getspecific(key) {
                return Unmanaged<Worker>.fromOpaque(existing).takeUnretainedValue()
            }
            guard let worker = Worker() else { return nil }
            pthread_setspecific(key, Unmanaged.passRetained(worker).toOpaque())
            return worker
        }

        private init?() {
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, DeepStack.size)
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            var thread = pthread_t()
            let status = pthread_create(
                &thread, &attributes,
                { raw in
                    guard let raw else { return nil }
                    Unmanaged<Worker>.fromOpaque(raw).takeRetainedValue().loop()
                    return nil
                }, Unmanaged.passRetained(self).toOpaque())
            guard status == 0 else { return nil }
        }

        private func loop() {
            DeepStack.isDeep = true
            while true {
                start.wait()
                job?()
                job = nil
                done.signal()
            }
        }

        func perform(_ work: () -> Void) {
            withoutActuallyEscaping(work) { work in
                job = work
                start.signal()
                done.wait()
            }
        }
    }

    private static let deepThreads: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether this thread is a deep-stack thread already.
    static var isDeep: Bool {
        get { pthread_getspecific(deepThreads) != nil }
        set { pthread_setspecific(deepThreads, newValue ? UnsafeRawPointer(bitPattern: 1) : nil) }
    }

}

// What a name in the notebook can hold: Python's ints, floats, strings and containers, `Value`s,
// functions and classes the user defines, their instances, and the richer objects later lessons
// bring (networks, datasets, models) through `NotebookObject`.
import Engine
import Foundation

/// A value of the notebook language.
package enum Object {
    case none
    case bool(Bool)
    /// Python's int, 64-bit: an operation whose result does not fit raises OverflowError.
    case int(Int)
    case float(Double)
    case string(String)
    case value(Value)
    /// A Python list: shared and mutable, like Python's.
    case list(ListBox)
    /// A Python tuple; boxed, like a list, so that deep nests are freed without deep recursion.
    case tuple(TupleBox)
    case dict(DictBox)
    case set(SetBox)
    /// A built-in function or bound built-in method.
    case function(Function)
    /// A function defined with `def` or `lambda`.
    case closure(UserFunction)
    /// `instance.method`: a function with its `self`.
    case method(BoundMethod)
    /// A class defined with `class`.
    case type(ClassObject)
    case instance(Instance)
    case object(any NotebookObject)

    package static func list(_ items: [Object]) -> Object { .list(ListBox(items)) }
    package static func tuple(_ items: [Object]) -> Object { .tuple(TupleBox(items)) }

    /// The type's name as Python spells it.
    package var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .value: "Value"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .set: "set"
        case .function: "builtin_function_or_method"
        case .closure: "function"
        case .method: "method"
        case .type: "type"
        case .instance(let i): i.type.name
        // A caught exception is of its own class (`IndexError`), as Python's are.
        case .object(let e as ExceptionObject): e.error.exceptionType ?? "Exception"
        case .object(let object): Swift.type(of: object).typeName
        }
    }

    /// A number as a float: for the built-ins that take either.
    package static func number(_ value: Double) -> Object { .float(value) }
}

/// The storage of a list, shared by every name that holds it.
package final class ListBox: Collectable {
    static var kind: CollectableKind { .list }
    package var items: [Object]
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    package init(_ items: [Object]) {
        self.items = items
        heap = CycleHeap.adopt(self)
    }

    deinit {
        heap?.untrack(heapIndex)
        Object.dismantle(&items)
    }

    func forEachTracked(_ visit: (Int) -> Void) { items.forEachTracked(visit) }
    func dropReferences() { Object.dismantle(&items) }
}

/// The storage of a tuple.
package final class TupleBox: Collectable {
    static var kind: CollectableKind { .tuple }
    /// Not changed once made (tuples are immutable), except when the tuple is freed.
    package var items: [Object]
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    package init(_ items: [Object]) {
        self.items = items
        // A tuple of numbers and strings (makemore's bigram keys) can be in no cycle, and can
        // never come to be (a tuple does not change): it is left to reference counting.
        if items.contains(where: \.mayReferToOthers) { heap = CycleHeap.adopt(self) }
    }

    deinit {
        heap?.untrack(heapIndex)
        Object.dismantle(&items)
    }

    func forEachTracked(_ visit: (Int) -> Void) { items.forEachTracked(visit) }
    func dropReferences() { Object.dismantle(&items) }
}

/// What makes a dict key or set item: Python's `hash` and `==` for the hashable objects, so that
/// `1`, `1.0` and `True` are one key, and tuples of them are keys too.
package enum HashKey: Hashable {
    case none
    case int(Int)
    case float(Double)
    case string(String)
    case tuple([HashKey])
    case identity(ObjectIdentifier)
    case value(Value)
    case bytes([UInt8])

    package init(_ object: __shared Object) throws(NotebookError) {
        switch object {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let n): self = .int(n)
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { self = .int(Int(d)) } else { self = .float(d) }
        case .string(let s): self = .string(s)
        case .value(let v): self = .value(v)
        case .tuple(let box):
            var keys: [HashKey] = []
            keys.reserveCapacity(box.items.count)
            for item in box.items { keys.append(try HashKey(item)) }
            self = .tuple(keys)
        case .list, .dict, .set:
            throw .python("TypeError", "unhashable type: '\(object.typeName)' (use a tuple as a key)")
        case .function(let f): self = .string("<builtin \(f.name)>")
        case .closure(let f): self = .identity(ObjectIdentifier(f))
        case .method(let m): self = .identity(ObjectIdentifier(m))
        case .type(let t): self = .identity(ObjectIdentifier(t))
        case .instance(let i): self = .identity(ObjectIdentifier(i))
        case .object(let b as BytesObject): self = .bytes(b.bytes)
        case .object(is ByteArrayObject):
            throw .python("TypeError", "unhashable type: 'bytearray' (use bytes(b) as a key)")
        case .object(let o): self = .identity(ObjectIdentifier(o))
        }
    }
}

/// The storage of a dict: insertion-ordered, as Python's.
package final class DictBox: Collectable {
    static var kind: CollectableKind { .dict }
    package private(set) var keys: [Object] = []
    package private(set) var values: [Object] = []
    private var index = KeyIndex()
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    package init() {
        heap = CycleHeap.adopt(self)
    }

    func forEachTracked(_ visit: (Int) -> Void) {
        keys.forEachTracked(visit)
        values.forEachTracked(visit)
    }

    func dropReferences() { removeAll() }

    package var count: Int { keys.count }

    package func get(_ key: Object) throws(NotebookError) -> Object? {
        guard let i = index.find(try HashKey(key)) else { return nil }
        return values[i]
    }

    package func set(_ key: Object, _ value: Object) throws(NotebookError) {
        let hash = try HashKey(key)
        if let i = index.find(hash) {
            values[i] = value
        } else {
            try Builtins.checkLength(keys.count + 1, of: "dict")
            index.append(hash)
            keys.append(key)
            values.append(value)
        }
    }

    /// Removes `key`; returns its value, or nil when it was not there.
    @discardableResult
    package func remove(_ key: Object) throws(NotebookError) -> Object? {
        guard let i = index.find(try HashKey(key)) else { return nil }
        index.remove(at: i)
        keys.remove(at: i)
        return values.remove(at: i)
    }

    package func removeAll() {
        keys = []
        values = []
        index.removeAll()
    }

    deinit {
        heap?.untrack(heapIndex)
        Object.dismantle(&keys)
        Object.dismantle(&values)
    }
}

/// The storage of a set: insertion-ordered (Python's order follows hashes; the notebook's is the
/// order items were added, the same on every machine). A small set (micrograd's `_prev` has one or
/// two items) is searched item by item, with no hash table to build.
package final class SetBox: Collectable {
    static var kind: CollectableKind { .set }
    package private(set) var items: [Object] = []
    /// Built once the set outgrows `smallSize` (empty before: a small set is searched in order).
    private var index = KeyIndex()
    private static let smallSize = 8
    var heapIndex = -1
    /// The heap that tracks the object (set when made while a cell runs).
    private var heap: CycleHeap?

    package init() {
        heap = CycleHeap.adopt(self)
    }

    package init(_ items: [Object]) throws(NotebookError) {
        heap = CycleHeap.adopt(self)
        if items.count <= Self.smallSize, Self.areDistinctInstances(items) {
            // micrograd's `set(_children)`: a node's one or two operands, kept as they came (the
            // tuple's array is shared, not copied; a later change to either copies it).
            self.items = items
            return
        }
        self.items.reserveCapacity(items.count)
        for item in items { try insert(item) }
    }

    /// Whether every item is an instance, and no instance comes twice (then each is a set item as
    /// it stands: an instance equals only itself).
    private static func areDistinctInstances(_ items: [Object]) -> Bool {
        for i in items.indices {
            guard case .instance(let instance) = items[i] else { return false }
            for j in 0..<i {
                if case .instance(let earlier) = items[j], earlier === instance { return false }
            }
        }
        return true
    }

    func forEachTracked(_ visit: (Int) -> Void) { items.forEachTracked(visit) }
    func dropReferences() { removeAll() }

    package var count: Int { items.count }

    /// Where `item` is, by identity first (instances, Values) and then by Python's equality of keys.
    private func position(_ item: Object, _ key: HashKey) throws(NotebookError) -> Int? {
        if index.count > 0 { return index.find(key) }
        if case .instance(let target) = item {
            // An instance equals only itself: compared by identity, with no key made for each item.
            for i in items.indices {
                if case .instance(let instance) = items[i], instance === target { return i }
            }
            return nil
        }
        for (i, other) in items.enumerated() where try HashKey(other) == key { return i }
        return nil
    }

    package func contains(_ item: Object) throws(NotebookError) -> Bool {
        try position(item, try HashKey(item)) != nil
    }

    @discardableResult
    package func insert(_ item: Object) throws(NotebookError) -> Bool {
        let key = try HashKey(item)
        guard try position(item, key) == nil else { return false }
        try Builtins.checkLength(items.count + 1, of: "set")
        items.append(item)
        if index.count > 0 {
            index.append(key)
        } else if items.count > Self.smallSize {
            for element in items { index.append(try HashKey(element)) }
        }
        return true
    }

    @discardableResult
    package func remove(_ item: Object) throws(NotebookError) -> Bool {
        guard let i = try position(item, try HashKey(item)) else { return false }
        items.remove(at: i)
        if index.count > 0 { index.remove(at: i) }
        return true
    }

    package func removeAll() {
        items = []
        index.removeAll()
    }

    deinit {
        heap?.untrack(heapIndex)
        Object.dismantle(&items)
    }
}

extension Object {
    /// Frees the lists and tuples nested in `items` one after another instead of one inside the
    /// other: `for i in range(1000000): xs = [xs]` and then `xs = 0` must not overflow the stack.
    /// A nested container is taken apart only when nothing else refers to it.
    package static func dismantle(_ items: inout [Object]) {
        guard items.contains(where: \.isContainer) else { return }
        var pending = items
        items = []
        while var object = pending.popLast() {
            // Take the box out of the enum and drop the enum's reference, so the box's count is
            // the count of everyone else holding it, plus this one.
            var list: ListBox?
            var tuple: TupleBox?
            if case .list(let box) = object { list = box } else if case .tuple(let box) = object { tuple = box }
            object = .none
            if isKnownUniquelyReferenced(&list), let box = list {
                pending.append(contentsOf: box.items)
                box.items = []
            } else if isKnownUniquelyReferenced(&tuple), let box = tuple {
                pending.append(contentsOf: box.items)
                box.items = []
            }
        }
    }

    /// Whether the object is, or may be, one that holds others (and so may be in a cycle).
    var mayReferToOthers: Bool {
        switch self {
        case .none, .bool, .int, .float, .string, .value: false
        // (a built-in bound method holds its object)
        case .list, .tuple, .dict, .set, .function, .closure, .method, .type, .instance, .object: true
        }
    }

    private var isContainer: Bool {
        switch self {
        case .list, .tuple: true
        default: false
        }
    }
}

/// A built-in function or a bound built-in method (a class, so that an `Object` stays two words and
/// a tag: copying objects is the interpreter's commonest work).
package final class Function {
    package let name: String
    package let call: (Arguments) throws(NotebookError) -> Object

    package init(name: String, call: @escaping (Arguments) throws(NotebookError) -> Object) {
        self.name = name
        self.call = call
    }
}

/// A richer object the notebook can hold and print: networks, datasets, models, modules.
package protocol NotebookObject: AnyObject, CustomStringConvertible {
    static var typeName: String { get }
    /// Attribute and method names, for completion and "did you mean".
    var attributeNames: [String] { get }
    func attribute(_ name: String) throws(NotebookError) -> Object
    func setAttribute(_ name: String, to value: Object) throws(NotebookError)
    /// Calling the object itself, `n(x)`.
    func call(_ arguments: Arguments) throws(NotebookError) -> Object
    /// The name a call of the object goes by in its error messages.
    var callName: String { get }
    /// The object as an iterable, an indexable or an arithmetic object, when it is one. These are
    /// requirements, answered by the protocols' own extensions, so that the interpreter's hot paths
    /// (each `for`, each subscript, each tensor operator) reach them without `as? any P`, a runtime
    /// conformance lookup that costs about as much as the operation itself.
    var asIterable: (any IterableObject)? { get }
    var asIndexable: (any IndexableObject)? { get }
    var asArithmetic: (any ArithmeticObject)? { get }
}

extension NotebookObject {
    package var asIterable: (any IterableObject)? { nil }
    package var asIndexable: (any IndexableObject)? { nil }
    package var asArithmetic: (any ArithmeticObject)? { nil }
    package var callName: String { Self.typeName }
    package func setAttribute(_ name: String, to value: Object) throws(NotebookError) {
        throw .python("AttributeError", "cannot set '\(name)' on a \(Self.typeName)")
    }
    package func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        throw .python("TypeError", "'\(Self.typeName)' object is not callable")
    }
}

/// A notebook object that answers `x[key]`.
package protocol IndexableObject: NotebookObject {
    func item(at key: Object) throws(NotebookError) -> Object
}

extension IndexableObject {
    package var asIndexable: (any IndexableObject)? { self }
}

/// A notebook object that `for` can walk through.
package protocol IterableObject: NotebookObject {
    func makeIterator() throws(NotebookError) -> ObjectIterator
}

extension IterableObject {
    package var asIterable: (any IterableObject)? { self }
}

/// A call's arguments, with typed accessors that explain what was wrong.
package struct Arguments {
    package let function: String
    package var positional: [Object]
    package var keywords: [(name: String, value: Object)]

    package init(function: String, positional: [Object], keywords: [(name: String, value: Object)] = []) {
        self.function = function
        self.positional = positional
        self.keywords = keywords
    }

    /// The argument at `index`, or the keyword `name`.
    package func value(_ index: Int, _ name: String) -> Object? {
        if let keyword = keywords.first(where: { $0.name == name }) { return keyword.value }
        return index < positional.count ? positional[index] : nil
    }

    package func number(_ index: Int, _ name: String, default fallback: Double? = nil) throws(NotebookError) -> Double {
        guard let value = value(index, name) else {
            if let fallback { return fallback }
            throw .python("TypeError", "\(function)() needs the argument '\(name)'")
        }
        return try value.number(as: "\(function)() argument '\(name)'")
    }

    package func integer(_ index: Int, _ name: String, default fallback: Int? = nil) throws(NotebookError) -> Int {
        guard let value = value(index, name) else {
            if let fallback { return fallback }
            throw .python("TypeError", "\(function)() needs the argument '\(name)'")
        }
        return try value.integer(as: "\(function)() argument '\(name)'")
    }

    package func string(_ index: Int, _ name: String, default fallback: String? = nil) throws(NotebookError) -> String {
        guard let value = value(index, name) else {
            if let fallback { return fallback }
            throw .python("TypeError", "\(function)() needs the argument '\(name)'")
        }
        guard case .string(let s) = value else {
            throw .python(
                "TypeError",
                "\(function)() argument '\(name)' must be a string in quotes, not \(value.typeNameWithArticle)")
        }
        return s
    }

    /// Rejects arguments beyond `count` positional ones and keywords outside `names`.
    package func expect(atMost count: Int, keywords names: [String] = []) throws(NotebookError) {
        if positional.count > count {
            throw .python(
                "TypeError",
                "\(function)() takes at most \(count) argument\(count == 1 ? "" : "s"), but \(positional.count) were given"
            )
        }
        for keyword in keywords where !names.contains(keyword.name) {
            let guess = closestMatch(to: keyword.name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw .python("TypeError", "\(function)() has no argument '\(keyword.name)'\(guess)")
        }
    }
}

extension Object {
    /// The number this object stands for: an int, a float, a bool, or a `Value`'s data.
    package func number(as context: String) throws(NotebookError) -> Double {
        switch self {
        case .float(let n): return n
        case .int(let n): return Double(n)
        case .bool(let b): return b ? 1 : 0
        case .value(let v): return v.data
        case .object(let t as TensorObject) where t.numel == 1: return try t.item().number(as: context)
        case .object(let t as DoubleTensorObject) where t.values.count == 1: return t.values[0]
        default: throw .python("TypeError", "\(context) must be a number, not \(typeNameWithArticle)")
        }
    }

    /// A whole number, for counts and indices: an int or bool (or a float with no fraction).
    package func integer(as context: String) throws(NotebookError) -> Int {
        switch self {
        case .int(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .float(let n):
            guard n.isFinite, n == n.rounded(), abs(n) < 9e15 else {
                throw .python("TypeError", "\(context) must be a whole number, not \(n.pythonRepr)")
            }
            return Int(n)
        case .object(let t as TensorObject) where t.numel == 1 && !t.dtype.isFloat:
            return try t.item().integer(as: context)
        default: throw .python("TypeError", "\(context) must be a whole number (an int), not \(typeNameWithArticle)")
        }
    }

    /// The items of a list, tuple, string, set, dict (its keys) or range, for commands that take
    /// a sequence.
    package func items(as context: String) throws(NotebookError) -> [Object] {
        switch self {
        case .list(let box): return box.items
        case .tuple(let box): return box.items
        case .set(let box): return box.items
        case .dict(let box): return box.keys
        case .string(let s): return s.unicodeScalars.map { .string(String(Character($0))) }
        case .object(let r as RangeObject):
            guard r.count <= Builtins.maximumLength else {
                try Builtins.checkLength(r.count, of: "list")
                return []
            }
            return (0..<r.count).map { .int(r.start + $0 * r.step) }
        default:
            throw .python("TypeError", "\(context) must be a list, tuple or string, not \(typeNameWithArticle)")
        }
    }

    /// Python's truth value (without calling a class's `__bool__`/`__len__`; the interpreter does).
    package var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let b): b
        case .int(let n): n != 0
        case .float(let n): n != 0
        case .string(let s): !s.isEmpty
        case .value(let v): v.data != 0
        case .list(let box): !box.items.isEmpty
        case .tuple(let box): !box.items.isEmpty
        case .dict(let box): box.count > 0
        case .set(let box): box.count > 0
        case .function, .closure, .method, .type, .instance, .object: true
        }
    }

    /// How the notebook prints this object (Python's `repr`). A list that contains itself prints
    /// as `[1, [...]]`, as in Python; one nested too deeply to print shows `[…]` at the cut.
    package var repr: String { (try? render(cut: true)) ?? "…" }

    /// The start of `repr`, stopping soon after `limit` characters: for one-line summaries (`vars`)
    /// of lists too long to print whole.
    package func preview(_ limit: Int) -> String {
        var open: Set<ObjectIdentifier> = []
        var budget = limit
        let text = (try? render(depth: 0, open: &open, cut: true, budget: &budget)) ?? "…"
        return text.count > limit ? String(text.prefix(max(0, limit - 3))) + "..." : text
    }

    /// The most levels of lists and tuples `render` descends into (Python stops near 1,000 with a
    /// RecursionError).
    package static let maximumPrintDepth = 500

    /// `repr`, or an error when the object is nested more than `maximumPrintDepth` levels deep
    /// (unless `cut`, which prints `[…]` there instead).
    package func render(cut: Bool = false) throws(NotebookError) -> String {
        var open: Set<ObjectIdentifier> = []
        var budget = Int.max
        return try render(depth: 0, open: &open, cut: cut, budget: &budget)
    }

    /// `budget` is the number of characters still wanted; items past it are left out.
    private func render(depth: Int, open: inout Set<ObjectIdentifier>, cut: Bool, budget: inout Int)
        throws(NotebookError) -> String
    {
        func container(_ id: ObjectIdentifier, _ opening: String, _ closing: String, _ items: [Object])
            throws(NotebookError) -> String
        {
            if open.contains(id) { return opening + "..." + closing }
            if depth >= Object.maximumPrintDepth {
                if cut { return opening + "…" + closing }
                throw Object.tooDeep("print")
            }
            open.insert(id)
            defer { open.remove(id) }
            let parts = try Object.render(items, depth: depth, open: &open, cut: cut, budget: &budget)
            return opening + parts.joined(separator: ", ") + closing
        }
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .float(let n): return n.pythonRepr
        case .string(let s): return s.pythonRepr
        case .value(let v): return v.description
        case .function(let f): return "<built-in function \(f.name)>"
        case .closure(let f): return "<function \(f.qualifiedName)>"
        case .method(let m): return "<bound method \(m.function.qualifiedName) of \(m.receiver.typeName) object>"
        case .type(let t): return "<class '\(t.name)'>"
        case .instance(let i):
            if depth >= Object.maximumPrintDepth { throw Object.tooDeep("print") }
            return try i.repr()
        case .object(let o): return o.description
        case .list(let box): return try container(ObjectIdentifier(box), "[", "]", box.items)
        case .tuple(let box):
            if box.items.count == 1 {
                return try container(ObjectIdentifier(box), "(", ",)", box.items)
            }
            return try container(ObjectIdentifier(box), "(", ")", box.items)
        case .set(let box):
            if box.items.isEmpty { return "set()" }
            return try container(ObjectIdentifier(box), "{", "}", box.items)
        case .dict(let box):
            let id = ObjectIdentifier(box)
            if open.contains(id) { return "{...}" }
            if depth >= Object.maximumPrintDepth {
                if cut { return "{…}" }
                throw Object.tooDeep("print")
            }
            open.insert(id)
            defer { open.remove(id) }
            var parts: [String] = []
            for (key, value) in zip(box.keys, box.values) {
                if budget <= 0 {
                    parts.append("...")
                    break
                }
                let part =
                    try key.render(depth: depth + 1, open: &open, cut: cut, budget: &budget) + ": "
                    + value.render(depth: depth + 1, open: &open, cut: cut, budget: &budget)
                if budget != .max { budget -= part.count + 2 }
                parts.append(part)
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    private static func render(
        _ items: [Object], depth: Int, open: inout Set<ObjectIdentifier>, cut: Bool,
        budget: inout Int
    ) throws(NotebookError) -> [String] {
        var parts: [String] = []
        for item in items {
            if budget <= 0 {
                parts.append("...")
                break
            }
            let part = try item.render(depth: depth + 1, open: &open, cut: cut, budget: &budget)
            if budget != .max { budget -= part.count + 2 }
            parts.append(part)
        }
        return parts
    }

    package static func tooDeep(_ what: String) -> NotebookError {
        .python(
            "RecursionError",
            "maximum depth exceeded: the objects are nested more than \(maximumPrintDepth) levels deep, too deep to \(what)"
        )
    }

    /// How `print` shows it (Python's `str`): strings without quotes, instances by `__str__`.
    package var str: String { (try? printed()) ?? repr }

    /// `str`, or an error for an object nested too deeply to print.
    package func printed() throws(NotebookError) -> String {
        switch self {
        case .string(let s): return s
        case .instance(let i): return try i.str()
        case .object(let e as ExceptionObject): return e.detail  // str(e): the message, as Python's
        default: return try render()
        }
    }
}

extension String {
    /// Python's repr of a str: single quotes unless the text holds one and no double quote.
    package var pythonRepr: String {
        let quote: Character = contains("'") && !contains("\"") ? "\"" : "'"
        var text = String(quote)
        for scalar in unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if Character(scalar) == quote {
                    text += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    text += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + String(quote)
    }
}

extension Double {
    /// Python's repr of a float: the shortest digits that read back as the same number, fixed
    /// notation from 1e-4 up to 1e16 and scientific outside, `inf`, `nan`.
    package var pythonRepr: String {
        if isNaN { return "nan" }
        if isInfinite { return self < 0 ? "-inf" : "inf" }
        if self == 0 { return sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the shortest round-trip digits; only the layout differs.
        let text = description
        var mantissa = text
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        // Digits and the position of the decimal point.
        var digits = mantissa.replacingOccurrences(of: ".", with: "")
        var point =
            (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count)
        point += exponent
        let leadingZeros = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leadingZeros)
        point -= leadingZeros
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        if digits.isEmpty { return negative ? "-0.0" : "0.0" }
        let decimalExponent = point - 1  // the exponent in d.ddd × 10^e
        var result: String
        if decimalExponent >= -4 && decimalExponent < 16 {
            if point <= 0 {
                result = "0." + String(repeating: "0", count: -point) + digits
            } else if point >= digits.count {
                result = digits + String(repeating: "0", count: point - digits.count) + ".0"
            } else {
                let split = digits.index(digits.startIndex, offsetBy: point)
                result = digits[..<split] + "." + digits[split...]
            }
        } else {
            let first = digits.prefix(1)
            let rest = digits.dropFirst()
            result =
                first + (rest.isEmpty ? "" : "." + rest) + "e" + (decimalExponent < 0 ? "-" : "+")
                + (abs(decimalExponent) < 10 ? "0" : "") + String(abs(decimalExponent))
        }
        return negative ? "-" + result : result
    }
}

extension Object {
    /// The object as a notebook object that takes part in arithmetic, for-loops or subscripts.
    /// The protocols' own answers come first; the cast behind them only runs for an object whose
    /// protocol is none of these, which is an error about to be reported.
    var arithmetic: (any ArithmeticObject)? {
        guard case .object(let o) = self else { return nil }
        return o.asArithmetic ?? (o as? any ArithmeticObject)
    }

    var iterable: (any IterableObject)? {
        guard case .object(let o) = self else { return nil }
        return o.asIterable ?? (o as? any IterableObject)
    }

    var indexable: (any IndexableObject)? {
        guard case .object(let o) = self else { return nil }
        return o.asIndexable ?? (o as? any IndexableObject)
    }
}

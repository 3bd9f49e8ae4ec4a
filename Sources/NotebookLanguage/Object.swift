// What a name in the notebook can hold: numbers, strings, lists, `Value`s, functions, and the
// richer objects later lessons bring (networks, datasets, models) through `NotebookObject`.
import Engine

/// A value of the notebook language.
package enum Object {
    case none
    case bool(Bool)
    case number(Double)
    case string(String)
    case value(Value)
    /// A Python list: shared and mutable, like Python's.
    case list(ListBox)
    /// A Python tuple; boxed, like a list, so that deep nests are freed without deep recursion.
    case tuple(TupleBox)
    case function(Function)
    case object(any NotebookObject)

    package static func list(_ items: [Object]) -> Object { .list(ListBox(items)) }
    package static func tuple(_ items: [Object]) -> Object { .tuple(TupleBox(items)) }

    /// The type's name as the notebook spells it in messages.
    package var typeName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .number: "number"
        case .string: "str"
        case .value: "Value"
        case .list: "list"
        case .tuple: "tuple"
        case .function: "function"
        case .object(let object): type(of: object).typeName
        }
    }
}

/// The storage of a list, shared by every name that holds it.
package final class ListBox {
    package var items: [Object]
    package init(_ items: [Object]) { self.items = items }
    deinit { Object.dismantle(&items) }
}

/// The storage of a tuple.
package final class TupleBox {
    /// Not changed once made (tuples are immutable), except when the tuple is freed.
    package var items: [Object]
    package init(_ items: [Object]) { self.items = items }
    deinit { Object.dismantle(&items) }
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

    private var isContainer: Bool {
        switch self {
        case .list, .tuple: true
        default: false
        }
    }
}

/// A built-in function or a bound method.
package struct Function {
    package let name: String
    package let call: (Arguments) throws(NotebookError) -> Object

    package init(name: String, call: @escaping (Arguments) throws(NotebookError) -> Object) {
        self.name = name
        self.call = call
    }
}

/// A richer object the notebook can hold and print: networks, datasets, models.
package protocol NotebookObject: AnyObject, CustomStringConvertible {
    static var typeName: String { get }
    /// Attribute and method names, for completion and "did you mean".
    var attributeNames: [String] { get }
    func attribute(_ name: String) throws(NotebookError) -> Object
    func setAttribute(_ name: String, to value: Object) throws(NotebookError)
    /// Calling the object itself, `n(x)`.
    func call(_ arguments: Arguments) throws(NotebookError) -> Object
}

extension NotebookObject {
    package func setAttribute(_ name: String, to value: Object) throws(NotebookError) {
        throw NotebookError("cannot set '\(name)' on a \(Self.typeName)")
    }
    package func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        throw NotebookError("a \(Self.typeName) cannot be called")
    }
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
            throw NotebookError("\(function)() needs the argument '\(name)'")
        }
        return try value.number(as: "\(function)() argument '\(name)'")
    }

    package func string(_ index: Int, _ name: String, default fallback: String? = nil) throws(NotebookError) -> String {
        guard let value = value(index, name) else {
            if let fallback { return fallback }
            throw NotebookError("\(function)() needs the argument '\(name)'")
        }
        guard case .string(let s) = value else {
            throw NotebookError("\(function)() argument '\(name)' must be a string in quotes, not a \(value.typeName)")
        }
        return s
    }

    /// Rejects arguments beyond `count` positional ones and keywords outside `names`.
    package func expect(atMost count: Int, keywords names: [String] = []) throws(NotebookError) {
        if positional.count > count {
            throw NotebookError(
                "\(function)() takes at most \(count) argument\(count == 1 ? "" : "s"), but \(positional.count) were given"
            )
        }
        for keyword in keywords where !names.contains(keyword.name) {
            let guess = closestMatch(to: keyword.name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw NotebookError("\(function)() has no argument '\(keyword.name)'\(guess)")
        }
    }
}

extension Object {
    /// The number this object stands for: a number, a bool, or a `Value`'s data.
    package func number(as context: String) throws(NotebookError) -> Double {
        switch self {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .value(let v): return v.data
        default: throw NotebookError("\(context) must be a number, not a \(typeName)")
        }
    }

    /// A whole number, for counts and indices.
    package func integer(as context: String) throws(NotebookError) -> Int {
        let n = try number(as: context)
        guard n.isFinite, n == n.rounded(), abs(n) < 1e15 else {
            throw NotebookError("\(context) must be a whole number, not \(n.pythonDescription)")
        }
        return Int(n)
    }

    /// The items of a list, tuple or string, for loops and comprehensions.
    package func items(as context: String) throws(NotebookError) -> [Object] {
        switch self {
        case .list(let box): return box.items
        case .tuple(let box): return box.items
        case .string(let s): return s.map { .string(String($0)) }
        default: throw NotebookError("\(context) must be a list, tuple or string, not a \(typeName)")
        }
    }

    /// Python's truth value.
    package var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let b): b
        case .number(let n): n != 0
        case .string(let s): !s.isEmpty
        case .value(let v): v.data != 0
        case .list(let box): !box.items.isEmpty
        case .tuple(let box): !box.items.isEmpty
        case .function, .object: true
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
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number(let n): return n.pythonDescription
        case .string(let s): return "'\(s)'"
        case .value(let v): return v.description
        case .function(let f): return "<function \(f.name)>"
        case .object(let o): return o.description
        case .list(let box):
            let id = ObjectIdentifier(box)
            if open.contains(id) { return "[...]" }
            if depth >= Object.maximumPrintDepth {
                if cut { return "[…]" }
                throw Object.tooDeep("print")
            }
            open.insert(id)
            defer { open.remove(id) }
            let parts = try Object.render(box.items, depth: depth, open: &open, cut: cut, budget: &budget)
            return "[" + parts.joined(separator: ", ") + "]"
        case .tuple(let box):
            if depth >= Object.maximumPrintDepth {
                if cut { return "(…)" }
                throw Object.tooDeep("print")
            }
            let parts = try Object.render(box.items, depth: depth, open: &open, cut: cut, budget: &budget)
            return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
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
        NotebookError(
            "maximum depth exceeded: the lists are nested more than \(maximumPrintDepth) levels deep, too deep to \(what) (Python raises RecursionError here)"
        )
    }

    /// Python's `==` for lists, tuples and the rest: item by item, with the same object always
    /// equal to itself (so a list that contains itself equals itself, as in Python).
    package func isEqual(to other: Object, depth: Int = 0) throws(NotebookError) -> Bool {
        switch (self, other) {
        case (.list(let a), .list(let b)):
            if a === b { return true }
            return try Object.itemsEqual(a.items, b.items, depth: depth)
        case (.tuple(let a), .tuple(let b)):
            if a === b { return true }
            return try Object.itemsEqual(a.items, b.items, depth: depth)
        case (.string(let a), .string(let b)): return a == b
        case (.none, .none): return true
        case (.object(let a), .object(let b)): return a === b
        case (.function(let a), .function(let b)): return a.name == b.name
        case (.list, _), (.tuple, _), (_, .list), (_, .tuple), (.string, _), (_, .string), (.none, _), (_, .none),
            (.function, _), (_, .function), (.object, _), (_, .object):
            return false
        default:
            return (try? number(as: "")) == (try? other.number(as: ""))
        }
    }

    private static func itemsEqual(_ a: [Object], _ b: [Object], depth: Int) throws(NotebookError) -> Bool {
        guard a.count == b.count else { return false }
        guard depth < maximumPrintDepth else { throw tooDeep("compare") }
        for (x, y) in zip(a, b) where !(try x.isEqual(to: y, depth: depth + 1)) { return false }
        return true
    }

    /// How `print` shows it (Python's `str`): strings without quotes.
    package var str: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// `str`, or an error for an object nested too deeply to print.
    package func printed() throws(NotebookError) -> String {
        if case .string(let s) = self { return s }
        return try render()
    }
}

// What a name in the notebook can hold: numbers, strings, lists, `Value`s, functions, and the
// richer objects later lessons bring (networks, datasets, models) through `NotebookObject`.
import Engine

/// A value of the notebook language.
enum Object {
    case none
    case bool(Bool)
    case number(Double)
    case string(String)
    case value(Value)
    /// A Python list: shared and mutable, like Python's.
    case list(ListBox)
    case tuple([Object])
    case function(Function)
    case object(any NotebookObject)

    static func list(_ items: [Object]) -> Object { .list(ListBox(items)) }

    /// The type's name as the notebook spells it in messages.
    var typeName: String {
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
final class ListBox {
    var items: [Object]
    init(_ items: [Object]) { self.items = items }
}

/// A built-in function or a bound method.
struct Function {
    let name: String
    let call: (Arguments) throws(NotebookError) -> Object
}

/// A richer object the notebook can hold and print: networks, datasets, models.
protocol NotebookObject: AnyObject, CustomStringConvertible {
    static var typeName: String { get }
    /// Attribute and method names, for completion and "did you mean".
    var attributeNames: [String] { get }
    func attribute(_ name: String) throws(NotebookError) -> Object
    func setAttribute(_ name: String, to value: Object) throws(NotebookError)
    /// Calling the object itself, `n(x)`.
    func call(_ arguments: Arguments) throws(NotebookError) -> Object
}

extension NotebookObject {
    func setAttribute(_ name: String, to value: Object) throws(NotebookError) {
        throw NotebookError("cannot set '\(name)' on a \(Self.typeName)")
    }
    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        throw NotebookError("a \(Self.typeName) cannot be called")
    }
}

/// A call's arguments, with typed accessors that explain what was wrong.
struct Arguments {
    let function: String
    var positional: [Object]
    var keywords: [(name: String, value: Object)]

    /// The argument at `index`, or the keyword `name`.
    func value(_ index: Int, _ name: String) -> Object? {
        if let keyword = keywords.first(where: { $0.name == name }) { return keyword.value }
        return index < positional.count ? positional[index] : nil
    }

    func number(_ index: Int, _ name: String, default fallback: Double? = nil) throws(NotebookError) -> Double {
        guard let value = value(index, name) else {
            if let fallback { return fallback }
            throw NotebookError("\(function)() needs the argument '\(name)'")
        }
        return try value.number(as: "\(function)() argument '\(name)'")
    }

    func string(_ index: Int, _ name: String, default fallback: String? = nil) throws(NotebookError) -> String {
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
    func expect(atMost count: Int, keywords names: [String] = []) throws(NotebookError) {
        if positional.count > count {
            throw NotebookError("\(function)() takes at most \(count) argument\(count == 1 ? "" : "s"), but \(positional.count) were given")
        }
        for keyword in keywords where !names.contains(keyword.name) {
            let guess = closestMatch(to: keyword.name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw NotebookError("\(function)() has no argument '\(keyword.name)'\(guess)")
        }
    }
}

extension Object {
    /// The number this object stands for: a number, a bool, or a `Value`'s data.
    func number(as context: String) throws(NotebookError) -> Double {
        switch self {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .value(let v): return v.data
        default: throw NotebookError("\(context) must be a number, not a \(typeName)")
        }
    }

    /// A whole number, for counts and indices.
    func integer(as context: String) throws(NotebookError) -> Int {
        let n = try number(as: context)
        guard n.isFinite, n == n.rounded(), abs(n) < 1e15 else {
            throw NotebookError("\(context) must be a whole number, not \(n.pythonDescription)")
        }
        return Int(n)
    }

    /// The items of a list, tuple or string, for loops and comprehensions.
    func items(as context: String) throws(NotebookError) -> [Object] {
        switch self {
        case .list(let box): return box.items
        case .tuple(let items): return items
        case .string(let s): return s.map { .string(String($0)) }
        default: throw NotebookError("\(context) must be a list, tuple or string, not a \(typeName)")
        }
    }

    /// Python's truth value.
    var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let b): b
        case .number(let n): n != 0
        case .string(let s): !s.isEmpty
        case .value(let v): v.data != 0
        case .list(let box): !box.items.isEmpty
        case .tuple(let items): !items.isEmpty
        case .function, .object: true
        }
    }

    /// How the notebook prints this object (Python's `repr`).
    var repr: String {
        switch self {
        case .none: "None"
        case .bool(let b): b ? "True" : "False"
        case .number(let n): n.pythonDescription
        case .string(let s): "'\(s)'"
        case .value(let v): v.description
        case .list(let box): "[" + box.items.map(\.repr).joined(separator: ", ") + "]"
        case .tuple(let items): items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .function(let f): "<function \(f.name)>"
        case .object(let o): o.description
        }
    }

    /// How `print` shows it (Python's `str`): strings without quotes.
    var str: String {
        if case .string(let s) = self { return s }
        return repr
    }
}

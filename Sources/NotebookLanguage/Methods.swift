// The methods of Python's built-in types the lectures call: `str.split`, `''.join`, `list.append`,
// `xs.sort(key=…)`, `d.get`, `d.items()`, `s.add`, ….
import Engine
import Foundation

package enum Methods {
    static let stringMethods = [
        "split", "rsplit", "splitlines", "strip", "lstrip", "rstrip", "join", "lower", "upper", "startswith",
        "endswith", "replace", "find", "index", "count", "isdigit", "isalpha", "isalnum", "isspace", "isupper",
        "islower", "format", "title", "capitalize", "zfill", "center", "ljust", "rjust", "encode"
    ]
    static let listMethods = [
        "append", "extend", "pop", "insert", "remove", "index", "count", "sort", "reverse", "clear", "copy"
    ]
    static let dictMethods = ["get", "items", "keys", "values", "pop", "setdefault", "update", "clear", "copy"]
    static let setMethods = [
        "add", "remove", "discard", "update", "union", "intersection", "difference", "pop", "clear", "copy"
    ]

    /// The attribute names of a built-in object, for completion and "did you mean".
    package static func names(of object: Object) -> [String] {
        switch object {
        case .string: stringMethods
        case .list: listMethods
        case .dict: dictMethods
        case .set: setMethods
        case .tuple: ["index", "count"]
        case .int: ["bit_length", "real", "imag"]
        case .float: ["is_integer", "real", "imag"]
        case .value: Interpreter.valueAttributes
        default: []
        }
    }

    static func method(_ name: String, of object: Object, _ interpreter: Interpreter) throws(NotebookError) -> Object {
        func bound(_ body: @escaping (Arguments) throws(NotebookError) -> Object) -> Object {
            .function(Function(name: name, call: body))
        }
        switch object {
        case .string(let s):
            guard stringMethods.contains(name) else { break }
            return bound { (args) throws(NotebookError) in try string(name, s, args, interpreter) }
        case .list(let box):
            guard listMethods.contains(name) else { break }
            return bound { (args) throws(NotebookError) in try list(name, box, args, interpreter) }
        case .dict(let box):
            guard dictMethods.contains(name) else { break }
            return bound { (args) throws(NotebookError) in try dict(name, box, args, interpreter) }
        case .set(let box):
            guard setMethods.contains(name) else { break }
            return bound { (args) throws(NotebookError) in try set(name, box, args, interpreter) }
        case .tuple(let box):
            switch name {
            case "index", "count":
                return bound { (args) throws(NotebookError) in try list(name, ListBox(box.items), args, interpreter) }
            default: break
            }
        case .int(let n):
            switch name {
            case "bit_length": return bound { _ in .int(n == 0 ? 0 : Int.bitWidth - n.magnitude.leadingZeroBitCount) }
            case "real": return object
            case "imag": return .int(0)
            default: break
            }
        case .float(let x):
            switch name {
            case "is_integer": return bound { _ in .bool(x.isFinite && x == x.rounded()) }
            case "real": return object
            case "imag": return .float(0)
            default: break
            }
        default: break
        }
        throw NotebookError.unknown("attribute", name, among: names(of: object))
            .typed("AttributeError", prefix: "'\(object.typeName)' object has no attribute '\(name)'")
    }

    // MARK: str

    private static func string(_ name: String, _ s: String, _ args: Arguments, _ interpreter: Interpreter)
        throws(NotebookError) -> Object
    {
        func optionalString(_ i: Int, _ key: String) throws(NotebookError) -> String? {
            guard let value = args.value(i, key), !(value == .none) else { return nil }
            guard case .string(let text) = value else {
                throw .python("TypeError", "\(name)() argument must be a str or None, not \(value.typeName)")
            }
            return text
        }
        switch name {
        case "split", "rsplit":
            try args.expect(atMost: 2, keywords: ["sep", "maxsplit"])
            let maxSplit = try args.integer(1, "maxsplit", default: -1)
            var parts: [String]
            if let separator = try optionalString(0, "sep") {
                guard !separator.isEmpty else { throw .python("ValueError", "empty separator") }
                parts = s.components(separatedBy: separator)
                if maxSplit >= 0 && parts.count - 1 > maxSplit {
                    if name == "split" {
                        parts = Array(parts[..<maxSplit]) + [parts[maxSplit...].joined(separator: separator)]
                    } else {
                        let keep = parts.count - maxSplit
                        parts = [parts[..<keep].joined(separator: separator)] + Array(parts[keep...])
                    }
                }
            } else {
                parts = s.split(whereSeparator: { $0.isWhitespace }).map(String.init)
                if maxSplit >= 0 && parts.count - 1 > maxSplit {
                    // Rare: rebuild with the rest of the string kept whole.
                    var rest = Substring(s).drop(while: \.isWhitespace)
                    var result: [String] = []
                    for _ in 0..<maxSplit {
                        let word = rest.prefix { !$0.isWhitespace }
                        result.append(String(word))
                        rest = rest.dropFirst(word.count).drop(while: \.isWhitespace)
                    }
                    parts = result + [String(rest)]
                }
            }
            return .list(parts.map(Object.string))
        case "splitlines":
            try args.expect(atMost: 1, keywords: ["keepends"])
            var lines = s.split(
                omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            )
            .map(String.init)
            if lines.last == "" { lines.removeLast() }
            return .list(lines.map(Object.string))
        case "strip", "lstrip", "rstrip":
            try args.expect(atMost: 1, keywords: ["chars"])
            let characters = try optionalString(0, "chars")
            let strip: (Character) -> Bool = { c in characters.map { $0.contains(c) } ?? c.isWhitespace }
            var result = Substring(s)
            if name != "rstrip" { result = result.drop(while: strip) }
            if name != "lstrip" {
                while let last = result.last, strip(last) { result = result.dropLast() }
            }
            return .string(String(result))
        case "join":
            try args.expect(atMost: 1)
            guard let iterable = args.positional.first else {
                throw .python("TypeError", "join() takes exactly one argument")
            }
            var pieces: [String] = []
            for (i, item) in try interpreter.items(of: iterable).enumerated() {
                guard case .string(let piece) = item else {
                    throw .python("TypeError", "sequence item \(i): expected str instance, \(item.typeName) found")
                }
                pieces.append(piece)
            }
            return .string(pieces.joined(separator: s))
        case "lower": return .string(s.lowercased())
        case "upper": return .string(s.uppercased())
        case "title": return .string(s.capitalized)
        case "capitalize": return .string(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "startswith", "endswith":
            try args.expect(atMost: 1)
            guard let argument = args.positional.first else {
                throw .python("TypeError", "\(name)() takes one argument")
            }
            let candidates: [Object]
            if case .tuple(let box) = argument { candidates = box.items } else { candidates = [argument] }
            for candidate in candidates {
                guard case .string(let affix) = candidate else {
                    throw .python(
                        "TypeError", "\(name) first arg must be str or a tuple of str, not \(candidate.typeName)")
                }
                if name == "startswith" ? s.hasPrefix(affix) : s.hasSuffix(affix) { return .bool(true) }
            }
            return .bool(false)
        case "replace":
            try args.expect(atMost: 3)
            let old = try args.string(0, "old")
            let new = try args.string(1, "new")
            let count = try args.integer(2, "count", default: -1)
            if count < 0 { return .string(old.isEmpty ? s : s.replacingOccurrences(of: old, with: new)) }
            var result = s
            var done = 0
            var searchStart = result.startIndex
            while done < count, !old.isEmpty, let range = result.range(of: old, range: searchStart..<result.endIndex) {
                result.replaceSubrange(range, with: new)
                searchStart = result.index(range.lowerBound, offsetBy: new.count)
                done += 1
            }
            return .string(result)
        case "find", "index", "count":
            try args.expect(atMost: 1)
            let part = try args.string(0, "sub")
            if name == "count" {
                guard !part.isEmpty else { return .int(s.count + 1) }
                return .int(s.components(separatedBy: part).count - 1)
            }
            guard let range = s.range(of: part) else {
                if name == "index" { throw .python("ValueError", "substring not found") }
                return .int(-1)
            }
            return .int(s.distance(from: s.startIndex, to: range.lowerBound))
        case "isdigit": return .bool(!s.isEmpty && s.allSatisfy(\.isNumber))
        case "isalpha": return .bool(!s.isEmpty && s.allSatisfy(\.isLetter))
        case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
        case "isspace": return .bool(!s.isEmpty && s.allSatisfy(\.isWhitespace))
        case "isupper": return .bool(s.contains(where: \.isLetter) && s == s.uppercased())
        case "islower": return .bool(s.contains(where: \.isLetter) && s == s.lowercased())
        case "zfill":
            let width = try args.integer(0, "width")
            try Builtins.checkLength(width, of: "string")
            let padding = width > s.count ? width - s.count : 0
            if let first = s.first, first == "-" || first == "+" {
                return .string(String(first) + String(repeating: "0", count: padding) + s.dropFirst())
            }
            return .string(String(repeating: "0", count: padding) + s)
        case "center", "ljust", "rjust":
            let width = try args.integer(0, "width")
            let fill = try args.string(1, "fillchar", default: " ")
            guard fill.count == 1 else {
                throw .python("TypeError", "The fill character must be exactly one character long")
            }
            var spec = FormatSpec()
            spec.fill = Character(fill)
            spec.align = name == "center" ? "^" : name == "ljust" ? "<" : ">"
            spec.width = min(width, 10_000_000)
            return .string(spec.pad(s, numeric: false))
        case "format":
            return .string(try interpreter.strFormat(s, args))
        case "encode":
            try args.expect(atMost: 2, keywords: ["encoding", "errors"])
            let encoding = try args.string(0, "encoding", default: "utf-8").lowercased()
            guard ["utf-8", "utf8"].contains(encoding) else {
                throw .python("LookupError", "the notebook encodes utf-8 only, not '\(encoding)'")
            }
            return .object(BytesObject(Array(s.utf8)))
        default: break
        }
        throw .python("AttributeError", "'str' object has no attribute '\(name)'")
    }

    // MARK: list

    private static func list(_ name: String, _ box: ListBox, _ args: Arguments, _ interpreter: Interpreter)
        throws(NotebookError) -> Object
    {
        switch name {
        case "append":
            try args.expect(atMost: 1)
            guard let item = args.positional.first else {
                throw .python("TypeError", "append() takes exactly one argument (0 given)")
            }
            try Builtins.checkLength(box.items.count + 1, of: "list")
            box.items.append(item)
            return .none
        case "extend":
            try args.expect(atMost: 1)
            guard let iterable = args.positional.first else {
                throw .python("TypeError", "extend() takes exactly one argument")
            }
            let added = try interpreter.items(of: iterable)
            try Builtins.checkLength(box.items.count + added.count, of: "list")
            box.items += added
            return .none
        case "pop":
            try args.expect(atMost: 1)
            guard !box.items.isEmpty else { throw .python("IndexError", "pop from empty list") }
            let i = try interpreter.index(args.positional.first ?? .int(-1), count: box.items.count, kind: "pop")
            return box.items.remove(at: i)
        case "insert":
            try args.expect(atMost: 2)
            var i = try args.integer(0, "index")
            guard let item = args.value(1, "object") else { throw .python("TypeError", "insert expected 2 arguments") }
            if i < 0 { i += box.items.count }
            box.items.insert(item, at: min(max(0, i), box.items.count))
            return .none
        case "remove", "index":
            try args.expect(atMost: 1)
            guard let item = args.positional.first else {
                throw .python("TypeError", "\(name)() takes exactly one argument")
            }
            for (i, element) in box.items.enumerated() where try interpreter.equal(element, item) {
                if name == "index" { return .int(i) }
                box.items.remove(at: i)
                return .none
            }
            throw .python("ValueError", "\(item.repr) is not in list")
        case "count":
            try args.expect(atMost: 1)
            guard let item = args.positional.first else {
                throw .python("TypeError", "count() takes exactly one argument")
            }
            var n = 0
            for element in box.items where try interpreter.equal(element, item) { n += 1 }
            return .int(n)
        case "sort":
            try args.expect(atMost: 0, keywords: ["key", "reverse"])
            box.items = try interpreter.sorted(
                box.items, key: args.value(.max, "key"), reverse: args.value(.max, "reverse"))
            return .none
        case "reverse":
            box.items.reverse()
            return .none
        case "clear":
            box.items = []
            return .none
        case "copy":
            return .list(box.items)
        default: break
        }
        throw .python("AttributeError", "'list' object has no attribute '\(name)'")
    }

    // MARK: dict

    private static func dict(_ name: String, _ box: DictBox, _ args: Arguments, _ interpreter: Interpreter)
        throws(NotebookError) -> Object
    {
        switch name {
        case "get":
            try args.expect(atMost: 2)
            guard let key = args.positional.first else {
                throw .python("TypeError", "get expected at least 1 argument")
            }
            return try box.get(key) ?? (args.positional.count > 1 ? args.positional[1] : .none)
        case "items":
            return .object(
                DictView(kind: "dict_items", box.keys.indices.map { .tuple([box.keys[$0], box.values[$0]]) }))
        case "keys": return .object(DictView(kind: "dict_keys", box.keys))
        case "values": return .object(DictView(kind: "dict_values", box.values))
        case "pop":
            try args.expect(atMost: 2)
            guard let key = args.positional.first else {
                throw .python("TypeError", "pop expected at least 1 argument")
            }
            if let value = try box.remove(key) { return value }
            if args.positional.count > 1 { return args.positional[1] }
            throw .python("KeyError", key.repr)
        case "setdefault":
            try args.expect(atMost: 2)
            guard let key = args.positional.first else {
                throw .python("TypeError", "setdefault expected at least 1 argument")
            }
            if let value = try box.get(key) { return value }
            let value = args.positional.count > 1 ? args.positional[1] : .none
            try box.set(key, value)
            return value
        case "update":
            if let other = args.positional.first {
                if case .dict(let source) = other {
                    for (k, v) in zip(source.keys, source.values) { try box.set(k, v) }
                } else {
                    for pair in try interpreter.items(of: other) {
                        let parts = try interpreter.items(of: pair)
                        guard parts.count == 2 else {
                            throw .python(
                                "ValueError",
                                "dictionary update sequence element has length \(parts.count); 2 is required")
                        }
                        try box.set(parts[0], parts[1])
                    }
                }
            }
            for (k, v) in args.keywords { try box.set(.string(k), v) }
            return .none
        case "clear":
            box.removeAll()
            return .none
        case "copy":
            let copy = DictBox()
            for (k, v) in zip(box.keys, box.values) { try copy.set(k, v) }
            return .dict(copy)
        default: break
        }
        throw .python("AttributeError", "'dict' object has no attribute '\(name)'")
    }

    // MARK: set

    private static func set(_ name: String, _ box: SetBox, _ args: Arguments, _ interpreter: Interpreter)
        throws(NotebookError) -> Object
    {
        switch name {
        case "add":
            try args.expect(atMost: 1)
            guard let item = args.positional.first else {
                throw .python("TypeError", "add() takes exactly one argument")
            }
            try box.insert(item)
            return .none
        case "remove", "discard":
            try args.expect(atMost: 1)
            guard let item = args.positional.first else {
                throw .python("TypeError", "\(name)() takes exactly one argument")
            }
            if !(try box.remove(item)) && name == "remove" { throw .python("KeyError", item.repr) }
            return .none
        case "update":
            for other in args.positional { for item in try interpreter.items(of: other) { try box.insert(item) } }
            return .none
        case "union":
            let result = try SetBox(box.items)
            for other in args.positional { for item in try interpreter.items(of: other) { try result.insert(item) } }
            return .set(result)
        case "intersection", "difference":
            var items = box.items
            for other in args.positional {
                let members = try SetBox(try interpreter.items(of: other))
                items = try items.keeping(members, name == "intersection")
            }
            return .set(try SetBox(items))
        case "pop":
            guard let first = box.items.first else { throw .python("KeyError", "'pop from an empty set'") }
            try box.remove(first)
            return first
        case "clear":
            box.removeAll()
            return .none
        case "copy":
            return .set(try SetBox(box.items))
        default: break
        }
        throw .python("AttributeError", "'set' object has no attribute '\(name)'")
    }
}

/// `d.items()`, `d.keys()`, `d.values()`: iterable, sized, printed as Python prints them.
final class DictView: IterableObject {
    static let typeName = "dict_view"
    let kind: String
    let items: [Object]
    init(kind: String, _ items: [Object]) {
        self.kind = kind
        self.items = items
    }
    var description: String { "\(kind)(\(Object.list(items).repr))" }
    var attributeNames: [String] { [] }
    func attribute(_ name: String) throws(NotebookError) -> Object {
        throw .python("AttributeError", "'\(kind)' object has no attribute '\(name)'")
    }
    func makeIterator() -> ObjectIterator { ObjectIterator(items: items) }
}

extension Interpreter {
    /// `sorted(items, key=…, reverse=…)`: stable, with Python's ordering.
    func sorted(_ items: [Object], key: Object?, reverse: Object?) throws(NotebookError) -> [Object] {
        let descending = try reverse.map { (r) throws(NotebookError) in try truth(r) } ?? false
        var keys = items
        if let key, !(key == .none) {
            keys = []
            keys.reserveCapacity(items.count)
            for item in items { keys.append(try call(key, [item])) }
        }
        var failure: NotebookError?
        let order = keys.indices.sorted { i, j in
            guard failure == nil else { return false }
            do throws(NotebookError) {
                let c = try ordering(keys[i], keys[j])
                if c != 0 { return descending ? c > 0 : c < 0 }
                return i < j
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return order.map { items[$0] }
    }

    /// `'{} and {name:>4}'.format(a, name=b)`.
    func strFormat(_ template: String, _ args: Arguments) throws(NotebookError) -> String {
        var result = ""
        let chars = Array(template)
        var i = 0
        var automatic = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" {
                    result.append("{")
                    i += 2
                    continue
                }
                guard let close = chars[i...].firstIndex(of: "}") else {
                    throw .python("ValueError", "Single '{' encountered in format string")
                }
                let field = String(chars[(i + 1)..<close])
                var name = field
                var spec = ""
                var conversion: Character?
                if let colon = field.firstIndex(of: ":") {
                    name = String(field[..<colon])
                    spec = String(field[field.index(after: colon)...])
                }
                if let bang = name.firstIndex(of: "!") {
                    conversion = name[name.index(after: bang)...].first
                    name = String(name[..<bang])
                }
                var value: Object
                if name.isEmpty {
                    guard automatic < args.positional.count else {
                        throw .python(
                            "IndexError", "Replacement index \(automatic) out of range for positional args tuple")
                    }
                    value = args.positional[automatic]
                    automatic += 1
                } else if let index = Int(name) {
                    guard index < args.positional.count else {
                        throw .python("IndexError", "Replacement index \(index) out of range for positional args tuple")
                    }
                    value = args.positional[index]
                } else {
                    let parts = name.split(separator: ".").map(String.init)
                    guard let first = parts.first, let found = args.keywords.first(where: { $0.name == first })?.value
                    else {
                        throw .python("KeyError", name.pythonRepr)
                    }
                    value = found
                    for attribute in parts.dropFirst() { value = try self.attribute(attribute, of: value) }
                }
                if conversion == "r" { value = .string(try repr(value)) }
                if conversion == "s" { value = .string(try str(value)) }
                result += try format(value, spec: spec)
                i = close + 1
                continue
            }
            if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" {
                    result.append("}")
                    i += 2
                    continue
                }
                throw .python("ValueError", "Single '}' encountered in format string")
            }
            result.append(c)
            i += 1
        }
        return result
    }
}

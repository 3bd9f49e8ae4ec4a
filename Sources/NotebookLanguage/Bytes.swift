// Python's `bytes`, as the tokenizer lecture and minbpe use them: `b'...'` literals, `'é'.encode('utf-8')`,
// `bytes([104, 105])`, `list(b)` (ints 0–255), indexing and slicing, `+`, `b''.join(...)`,
// `.decode('utf-8', errors='replace')`, and Python's printout `b'caf\xc3\xa9'`. Immutable; usable as
// a dict key.
import Foundation

package final class BytesObject: NotebookObject, IterableObject, IndexableObject, SizedObject, ArithmeticObject {
    package static let typeName = "bytes"
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var count: Int { bytes.count }

    /// Python's repr: printable ASCII as itself, `\t \n \r \\` and the quote escaped, the rest `\xNN`.
    package var description: String {
        let quote: Character = bytes.contains(UInt8(ascii: "'")) && !bytes.contains(UInt8(ascii: "\"")) ? "\"" : "'"
        var text = "b" + String(quote)
        for b in bytes {
            switch b {
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\t"): text += "\\t"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "'") where quote == "'": text += "\\'"
            case 0x20..<0x7F: text.append(Character(Unicode.Scalar(b)))
            default: text += "\\x" + String(format: "%02x", b)
            }
        }
        return text + String(quote)
    }

    package var attributeNames: [String] { ["decode", "join", "hex", "startswith", "endswith", "count"] }

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        let bytes = self.bytes
        switch name {
        case "decode":
            return .function(
                Function(name: "bytes.decode") { (args) throws(NotebookError) in
                    try args.expect(atMost: 2, keywords: ["encoding", "errors"])
                    let encoding = try args.string(0, "encoding", default: "utf-8").lowercased()
                    guard ["utf-8", "utf8"].contains(encoding) else {
                        throw .python("LookupError", "the notebook decodes utf-8 only, not '\(encoding)'")
                    }
                    let errors = try args.string(1, "errors", default: "strict")
                    if errors == "replace" { return .string(String(decoding: bytes, as: UTF8.self)) }
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        throw .python(
                            "UnicodeDecodeError",
                            "'utf-8' codec can't decode these bytes: they are not valid UTF-8 (pass errors='replace' to get � instead)"
                        )
                    }
                    return .string(text)
                })
        case "join":
            return .function(
                Function(name: "bytes.join") { (args) throws(NotebookError) in
                    guard let items = args.positional.first else {
                        throw .python("TypeError", "join() takes exactly one argument (0 given)")
                    }
                    var iterator: ObjectIterator
                    switch items {
                    case .list(let box): iterator = ObjectIterator(items: box.items)
                    case .tuple(let box): iterator = ObjectIterator(items: box.items)
                    case .object(let o as any IterableObject): iterator = try o.makeIterator()
                    default: throw .python("TypeError", "can only join an iterable of bytes")
                    }
                    var out: [UInt8] = []
                    var first = true
                    while let item = try iterator.next() {
                        guard case .object(let b as BytesObject) = item else {
                            throw .python(
                                "TypeError", "sequence item: expected a bytes-like object, \(item.typeName) found")
                        }
                        if !first { out += bytes }
                        first = false
                        out += b.bytes
                        try Builtins.checkLength(out.count, of: "bytes")
                    }
                    return .object(BytesObject(out))
                })
        case "hex":
            return .function(
                Function(name: "bytes.hex") { _ in .string(bytes.map { String(format: "%02x", $0) }.joined()) })
        case "startswith", "endswith":
            return .function(
                Function(name: "bytes.\(name)") { (args) throws(NotebookError) in
                    guard case .object(let other as BytesObject)? = args.positional.first else {
                        throw .python("TypeError", "\(name) first arg must be bytes")
                    }
                    return .bool(
                        name == "startswith"
                            ? bytes.starts(with: other.bytes) : bytes.reversed().starts(with: other.bytes.reversed()))
                })
        case "count":
            return .function(
                Function(name: "bytes.count") { (args) throws(NotebookError) in
                    guard case .object(let other as BytesObject)? = args.positional.first, !other.bytes.isEmpty else {
                        throw .python("TypeError", "count() takes a non-empty bytes object")
                    }
                    var n = 0
                    var i = 0
                    while i + other.bytes.count <= bytes.count {
                        if Array(bytes[i..<(i + other.bytes.count)]) == other.bytes {
                            n += 1
                            i += other.bytes.count
                        } else {
                            i += 1
                        }
                    }
                    return .int(n)
                })
        default:
            throw .python("AttributeError", "'bytes' object has no attribute '\(name)'")
        }
    }

    package func makeIterator() -> ObjectIterator { ObjectIterator(items: bytes.map { .int(Int($0)) }) }

    package func item(at key: Object) throws(NotebookError) -> Object {
        if case .object(let slice as SliceObject) = key {
            return .object(BytesObject(try slice.indices(count: bytes.count).map { bytes[$0] }))
        }
        return .int(Int(bytes[try Interpreter.index(key, count: bytes.count, kind: "index")]))
    }

    package func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object {
        switch (op, other) {
        case (.add, .object(let b as BytesObject)):
            try Builtins.checkLength(bytes.count + b.bytes.count, of: "bytes")
            return .object(BytesObject(reversed ? b.bytes + bytes : bytes + b.bytes))
        case (.multiply, .int(let n)):
            try Builtins.checkLength(bytes.count * max(0, min(n, Builtins.maximumLength + 1)), of: "bytes")
            return .object(BytesObject(n <= 0 ? [] : Array([[UInt8]](repeating: bytes, count: n).joined())))
        default:
            throw .python(
                "TypeError", "unsupported operand type(s) for \(op.rawValue): 'bytes' and '\(other.typeName)'")
        }
    }

    package func negated() throws(NotebookError) -> Object {
        throw .python("TypeError", "bad operand type for unary -: 'bytes'")
    }

    package func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object? {
        guard case .object(let b as BytesObject) = other else {
            return op == .equal ? .bool(false) : op == .notEqual ? .bool(true) : nil
        }
        let (x, y) = reversed ? (b.bytes, bytes) : (bytes, b.bytes)
        switch op {
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        case .less: return .bool(x.lexicographicallyPrecedes(y))
        case .lessOrEqual: return .bool(!y.lexicographicallyPrecedes(x))
        case .greater: return .bool(y.lexicographicallyPrecedes(x))
        case .greaterOrEqual: return .bool(!x.lexicographicallyPrecedes(y))
        default: return nil
        }
    }

    /// `bytes(x)`: from a list of ints 0–255, a str with its encoding, a count of zeros, or bytes.
    static func make(_ args: Arguments, _ interpreter: Interpreter) throws(NotebookError) -> Object {
        if case .object(let b as BytesObject)? = args.positional.first { return .object(b) }
        return .object(BytesObject(try contents(args, of: "bytes")))
    }

    /// The bytes `bytes(…)` or `bytearray(…)` (`kind`) makes: none, a str's with its encoding, a count of
    /// zeros, or those of bytes, a bytearray or an iterable of ints 0–255.
    static func contents(_ args: Arguments, of kind: String) throws(NotebookError) -> [UInt8] {
        guard let source = args.positional.first else { return [] }
        switch source {
        case .string(let s):
            guard args.positional.count > 1 || args.keywords.contains(where: { $0.name == "encoding" }) else {
                throw .python("TypeError", "string argument without an encoding")
            }
            return Array(s.utf8)
        case .int(let n):
            guard n >= 0 else { throw .python("ValueError", "negative count") }
            try Builtins.checkLength(n, of: kind)
            return [UInt8](repeating: 0, count: n)
        default:
            return try ByteArrayObject.bytes(of: source, kind: kind)
        }
    }
}

/// Python's `bytearray`: bytes that change in place (`b[i] = 65`, `append`, `extend`, `+=`), printed
/// `bytearray(b'...')`. Not a dict key (it can change), as in Python. Everything that reads, as
/// `decode` or `hex`, is the same as for `bytes`.
package final class ByteArrayObject: NotebookObject, IterableObject, MutableIndexableObject, SizedObject,
    ArithmeticObject
{
    package static let typeName = "bytearray"
    package private(set) var bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var count: Int { bytes.count }
    package var description: String { "bytearray(\(BytesObject(bytes).description))" }
    package var attributeNames: [String] {
        BytesObject(bytes).attributeNames + ["append", "extend", "pop", "clear", "copy"]
    }

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "append":
            return .function(
                Function(name: "bytearray.append") { [self] (args) throws(NotebookError) in
                    try args.expect(atMost: 1)
                    guard let item = args.positional.first else {
                        throw .python("TypeError", "append() takes exactly one argument (0 given)")
                    }
                    try Builtins.checkLength(bytes.count + 1, of: "bytearray")
                    bytes.append(try Self.byte(item))
                    return .none
                })
        case "extend":
            return .function(
                Function(name: "bytearray.extend") { [self] (args) throws(NotebookError) in
                    try args.expect(atMost: 1)
                    guard let items = args.positional.first else {
                        throw .python("TypeError", "extend() takes exactly one argument (0 given)")
                    }
                    let more = try Self.bytes(of: items)
                    try Builtins.checkLength(bytes.count + more.count, of: "bytearray")
                    bytes += more
                    return .none
                })
        case "pop":
            return .function(
                Function(name: "bytearray.pop") { [self] (_) throws(NotebookError) in
                    guard let last = bytes.popLast() else { throw .python("IndexError", "pop from empty bytearray") }
                    return .int(Int(last))
                })
        case "clear":
            return .function(
                Function(name: "bytearray.clear") { [self] _ in
                    bytes.removeAll()
                    return .none
                })
        case "copy":
            return .function(Function(name: "bytearray.copy") { [self] _ in .object(ByteArrayObject(bytes)) })
        default:
            do { return try BytesObject(bytes).attribute(name) } catch {
                throw .python("AttributeError", "'bytearray' object has no attribute '\(name)'")
            }
        }
    }

    /// One int 0–255, as an element of a bytearray (or of bytes, `kind`), with Python's wording.
    static func byte(_ item: Object, of kind: String = "bytearray") throws(NotebookError) -> UInt8 {
        let v = try item.integer(as: "an element of \(kind)")
        guard (0...255).contains(v) else {
            throw .python("ValueError", "\(kind == "bytes" ? "bytes" : "byte") must be in range(0, 256)")
        }
        return UInt8(v)
    }

    /// The bytes of a bytes, bytearray, or list, tuple or range of ints 0–255.
    static func bytes(of source: Object, kind: String = "bytearray") throws(NotebookError) -> [UInt8] {
        switch source {
        case .object(let b as BytesObject): return b.bytes
        case .object(let b as ByteArrayObject): return b.bytes
        case .string:
            throw .python("TypeError", "expected an iterable of ints, not a str (encode it: s.encode('utf-8'))")
        default:
            var out: [UInt8] = []
            var iterator: ObjectIterator
            switch source {
            case .list(let box): iterator = ObjectIterator(items: box.items)
            case .tuple(let box): iterator = ObjectIterator(items: box.items)
            case .object(let o as any IterableObject): iterator = try o.makeIterator()
            default: throw .python("TypeError", "cannot convert '\(source.typeName)' object to \(kind)")
            }
            while let item = try iterator.next() {
                out.append(try byte(item, of: kind))
                try Builtins.checkLength(out.count, of: kind)
            }
            return out
        }
    }

    package func makeIterator() -> ObjectIterator { ObjectIterator(items: bytes.map { .int(Int($0)) }) }

    package func item(at key: Object) throws(NotebookError) -> Object {
        if case .object(let slice as SliceObject) = key {
            return .object(ByteArrayObject(try slice.indices(count: bytes.count).map { bytes[$0] }))
        }
        return .int(Int(bytes[try Interpreter.index(key, count: bytes.count, kind: "index")]))
    }

    package func setItem(at key: Object, to value: Object) throws(NotebookError) {
        if case .object(let o) = key, o is SliceObject {
            throw .python("TypeError", "the notebook's bytearray takes one index at a time: b[i] = 65")
        }
        bytes[try Interpreter.index(key, count: bytes.count, kind: "index")] = try Self.byte(value)
    }

    package func binary(_ op: BinaryOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object {
        switch other {
        case .object(let b as BytesObject):
            if case .object(let r as BytesObject) = try BytesObject(bytes).binary(op, .object(b), reversed: reversed) {
                return .object(ByteArrayObject(r.bytes))
            }
        case .object(let b as ByteArrayObject):
            return try binary(op, .object(BytesObject(b.bytes)), reversed: reversed)
        case .int where op == .multiply && !reversed:
            if case .object(let r as BytesObject) = try BytesObject(bytes).binary(op, other, reversed: false) {
                return .object(ByteArrayObject(r.bytes))
            }
        default: break
        }
        throw .python(
            "TypeError", "unsupported operand type(s) for \(op.rawValue): 'bytearray' and '\(other.typeName)'")
    }

    package func inPlace(_ op: BinaryOperator, _ other: Object) throws(NotebookError) -> Object? {
        guard op == .add else { return nil }
        let more = try Self.bytes(of: other)
        try Builtins.checkLength(bytes.count + more.count, of: "bytearray")
        bytes += more
        return .object(self)
    }

    package func negated() throws(NotebookError) -> Object {
        throw .python("TypeError", "bad operand type for unary -: 'bytearray'")
    }

    package func compare(_ op: ComparisonOperator, _ other: Object, reversed: Bool) throws(NotebookError) -> Object? {
        switch other {
        case .object(let b as ByteArrayObject):
            return try BytesObject(bytes).compare(op, .object(BytesObject(b.bytes)), reversed: reversed)
        default: return try BytesObject(bytes).compare(op, other, reversed: reversed)
        }
    }

    /// `bytearray(x)`: empty, from a count of zeros, a str with its encoding, bytes, or ints 0–255.
    static func make(_ args: Arguments) throws(NotebookError) -> Object {
        .object(ByteArrayObject(try BytesObject.contents(args, of: "bytearray")))
    }
}

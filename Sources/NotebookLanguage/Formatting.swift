// Python's formatting: `str`, `repr`, `format(x, spec)` with the format-spec mini-language
// (`f'{loss:.4f}'`, `f'{i:7d}'`, `f'{s:15s}'`, `{:,}`, `{:>8.2%}`), and `%` formatting.
import Engine
import Foundation

extension Interpreter {
    /// Python's `repr(x)`.
    package func repr(_ object: Object) throws(NotebookError) -> String { try object.render() }

    /// Python's `str(x)`.
    package func str(_ object: Object) throws(NotebookError) -> String { try object.printed() }

    /// Python's `format(value, spec)`.
    package func format(_ value: Object, spec: String) throws(NotebookError) -> String {
        // A 0-D tensor formats as its number (PyTorch's Tensor.__format__): f'{loss}' is 2.4543….
        if case .object(let t as TensorObject) = value, t.shape.isEmpty {
            return try format(try t.item(), spec: spec)
        }
        if case .object(let t as DoubleTensorObject) = value, t.shape.isEmpty {
            return try format(.float(t.values[0]), spec: spec)
        }
        if spec.isEmpty { return try str(value) }
        if case .instance = value, let f = special(value, "__format__") {
            return try str(try invoke(f, [value, .string(spec)], []))
        }
        let parsed = try FormatSpec(spec)
        switch value {
        case .int(let n): return try parsed.format(integer: n)
        case .bool(let b):
            if parsed.type == nil || parsed.type == "s" { return parsed.pad(b ? "True" : "False", numeric: false) }
            return try parsed.format(integer: b ? 1 : 0)
        case .float(let x): return try parsed.format(float: x)
        case .string(let s):
            guard parsed.type == nil || parsed.type == "s" else {
                throw .python("ValueError", "Unknown format code '\(parsed.type ?? " ")' for object of type 'str'")
            }
            var text = s
            if let precision = parsed.precision { text = String(text.prefix(precision)) }
            return parsed.pad(text, numeric: false)
        default:
            guard parsed.type == nil || parsed.type == "s", parsed.precision == nil else {
                throw .python("TypeError", "unsupported format string passed to \(value.typeName).__format__")
            }
            return parsed.pad(try str(value), numeric: false)
        }
    }

    /// `format % values`, as Python's printf-style formatting.
    func percentFormat(_ format: String, _ values: Object) throws(NotebookError) -> String {
        var arguments: [Object]
        if case .tuple(let box) = values { arguments = box.items } else { arguments = [values] }
        let mapping: DictBox? = if case .dict(let box) = values { box } else { nil }
        var result = ""
        let chars = Array(format)
        var i = 0
        var used = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else {
                result.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < chars.count else { throw .python("ValueError", "incomplete format") }
            if chars[i] == "%" {
                result.append("%")
                i += 1
                continue
            }
            var key: String?
            if chars[i] == "(" {
                guard let close = chars[i...].firstIndex(of: ")") else {
                    throw .python("ValueError", "incomplete format key")
                }
                key = String(chars[(i + 1)..<close])
                i = close + 1
            }
            var flags = ""
            while i < chars.count, "-+ #0".contains(chars[i]) {
                flags.append(chars[i])
                i += 1
            }
            func nextArgument() throws(NotebookError) -> Object {
                if let key {
                    guard let mapping else { throw .python("TypeError", "format requires a mapping") }
                    guard let value = try mapping.get(.string(key)) else { throw .python("KeyError", key.pythonRepr) }
                    return value
                }
                guard used < arguments.count else {
                    throw .python("TypeError", "not enough arguments for format string")
                }
                used += 1
                return arguments[used - 1]
            }
            var width = ""
            if i < chars.count, chars[i] == "*" {
                width = String(try nextArgument().integer(as: "the * width"))
                i += 1
            }
            while i < chars.count, chars[i].isNumber {
                width.append(chars[i])
                i += 1
            }
            var precision: String?
            if i < chars.count, chars[i] == "." {
                i += 1
                var digits = ""
                while i < chars.count, chars[i].isNumber {
                    digits.append(chars[i])
                    i += 1
                }
                precision = digits.isEmpty ? "0" : digits
            }
            guard i < chars.count else { throw .python("ValueError", "incomplete format") }
            var type = chars[i]
            i += 1
            let argument = try nextArgument()
            var spec = ""
            if flags.contains("-") {
                spec += "<"
            } else if !(type == "s" || type == "r") || !width.isEmpty {
                spec += ">"
            }
            if flags.contains("+") { spec += "+" } else if flags.contains(" ") { spec += " " }
            if flags.contains("#") { spec += "#" }
            if flags.contains("0") && !flags.contains("-") && !"sr".contains(type) {
                spec = spec.replacingOccurrences(of: ">", with: "") + "0"
            }
            spec += width
            if let precision { spec += "." + precision }
            switch type {
            case "s": result += try self.format(.string(try str(argument)), spec: spec)
            case "r", "a": result += try self.format(.string(try repr(argument)), spec: spec)
            case "d", "i", "u":
                let n: Object
                switch argument {
                case .float(let x):
                    guard x.isFinite else {
                        throw .python("OverflowError", "cannot convert float \(x.pythonRepr) to integer")
                    }
                    n = .int(Int(x.rounded(.towardZero)))
                case .value(let v): n = .int(Int(v.data.rounded(.towardZero)))
                default: n = .int(try argument.integer(as: "%d format"))
                }
                result += try self.format(
                    n, spec: spec.replacingOccurrences(of: "." + (precision ?? ""), with: "") + "d")
            case "f", "F", "e", "E", "g", "G", "x", "X", "o", "c":
                if type == "F" { type = "f" }
                let number: Object =
                    "xXoc".contains(type)
                    ? .int(try argument.integer(as: "%\(type) format"))
                    : .float(try argument.number(as: "%\(type) format"))
                result += try self.format(number, spec: spec + String(type))
            default:
                throw .python("ValueError", "unsupported format character '\(type)'")
            }
        }
        if mapping == nil && used < arguments.count {
            throw .python("TypeError", "not all arguments converted during string formatting")
        }
        return result
    }
}

/// A parsed format spec: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init() {}

    init(_ spec: String) throws(NotebookError) {
        let chars = Array(spec)
        var i = 0
        if chars.count >= 2, "<>=^".contains(chars[1]) {
            fill = chars[0]
            align = chars[1]
            i = 2
        } else if let first = chars.first, "<>=^".contains(first) {
            align = first
            i = 1
        }
        if i < chars.count, "+- ".contains(chars[i]) {
            sign = chars[i]
            i += 1
        }
        if i < chars.count, chars[i] == "#" {
            alternate = true
            i += 1
        }
        if i < chars.count, chars[i] == "0" {
            if align == nil {
                fill = "0"
                align = "="
            }
            i += 1
        }
        var digits = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber {
            digits.append(chars[i])
            i += 1
        }
        width = Int(digits) ?? 0
        if i < chars.count, chars[i] == "," || chars[i] == "_" {
            grouping = chars[i]
            i += 1
        }
        if i < chars.count, chars[i] == "." {
            i += 1
            var precisionDigits = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                precisionDigits.append(chars[i])
                i += 1
            }
            guard let p = Int(precisionDigits) else {
                throw .python("ValueError", "Format specifier missing precision")
            }
            precision = p
        }
        if i < chars.count {
            type = chars[i]
            i += 1
        }
        guard i == chars.count, width <= 10_000, (precision ?? 0) <= 1_000 else {
            throw .python("ValueError", "Invalid format specifier '\(spec)'")
        }
    }

    /// `text` padded to the width; numbers align right (and `=` pads after the sign).
    func pad(_ text: String, numeric: Bool) -> String {
        let length = text.count
        guard width > length else { return text }
        let padding = width - length
        switch align ?? (numeric ? ">" : "<") {
        case "<": return text + String(repeating: fill, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + text + String(repeating: fill, count: padding - left)
        case "=":
            if let first = text.first, "+- ".contains(first) {
                return String(first) + String(repeating: fill, count: padding) + text.dropFirst()
            }
            return String(repeating: fill, count: padding) + text
        default: return String(repeating: fill, count: padding) + text
        }
    }

    private func signed(_ digits: String, negative: Bool) -> String {
        if negative { return "-" + digits }
        switch sign {
        case "+": return "+" + digits
        case " ": return " " + digits
        default: return digits
        }
    }

    private func grouped(_ digits: String) -> String {
        guard let grouping else { return digits }
        var integer = Substring(digits)
        var rest = ""
        if let dot = digits.firstIndex(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            integer = digits[..<dot]
            rest = String(digits[dot...])
        }
        var result = ""
        for (i, c) in integer.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { result.append(grouping) }
            result.append(c)
        }
        return String(result.reversed()) + rest
    }

    func format(integer n: Int) throws(NotebookError) -> String {
        switch type {
        case nil, "d", "n":
            guard precision == nil else {
                throw .python("ValueError", "Precision not allowed in integer format specifier")
            }
            return pad(signed(grouped(String(n.magnitude)), negative: n < 0), numeric: true)
        case "x", "X", "o", "b":
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            var digits = String(n.magnitude, radix: radix, uppercase: type == "X")
            if alternate { digits = "0" + String(type ?? "x") + digits }
            return pad(signed(digits, negative: n < 0), numeric: true)
        case "c":
            guard let scalar = Unicode.Scalar(UInt32(clamping: n)) else {
                throw .python("OverflowError", "%c arg not in range")
            }
            return pad(String(Character(scalar)), numeric: false)
        case "e", "E", "f", "F", "g", "G", "%":
            return try format(float: Double(n))
        case "s":
            throw .python("ValueError", "Unknown format code 's' for object of type 'int'")
        default:
            throw .python("ValueError", "Unknown format code '\(type ?? " ")' for object of type 'int'")
        }
    }

    func format(float x: Double) throws(NotebookError) -> String {
        let negative = x < 0 || (x == 0 && x.sign == .minus)
        let magnitude = abs(x)
        var body: String
        if magnitude.isNaN {
            body = "nan"
        } else if magnitude.isInfinite {
            body = "inf"
        } else {
            switch type {
            case "f", "F":
                body = String(format: "%.\(precision ?? 6)f", magnitude)
            case "e", "E":
                body = String(format: "%.\(precision ?? 6)e", magnitude)
            case "g", "G":
                body = String(format: "%\(alternate ? "#" : "").\(max(1, precision ?? 6))g", magnitude)
            case "%":
                body = String(format: "%.\(precision ?? 6)f", magnitude * 100) + "%"
            case nil:
                if let precision {
                    body = String(format: "%.\(max(1, precision))g", magnitude)
                    if !body.contains(".") && !body.contains("e") { body += ".0" }
                } else {
                    body = magnitude.pythonRepr
                }
            case "n":
                body = String(format: "%.\(max(1, precision ?? 6))g", magnitude)
            default:
                throw .python("ValueError", "Unknown format code '\(type ?? " ")' for object of type 'float'")
            }
            if type == "E" || type == "G" { body = body.uppercased() }
        }
        if magnitude.isNaN || magnitude.isInfinite, type == "F" || type == "E" || type == "G" {
            body = body.uppercased()
        }
        if type == "%" && (magnitude.isNaN || magnitude.isInfinite) { body += "%" }
        return pad(signed(grouped(body), negative: negative && !magnitude.isNaN), numeric: true)
    }
}

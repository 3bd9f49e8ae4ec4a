// Tokens of the notebook language: Python's numbers, strings, names, operators and the layout
// tokens of its blocks (NEWLINE, INDENT, DEDENT), each with the line and column it starts at so
// that errors can point at it.
import Foundation

/// One token of a cell.
package struct Token {
    package enum Kind: Equatable {
        case int(Int)
        case float(Double)
        case string(String)
        /// `b'...'`: the bytes, escapes already read.
        case bytes([UInt8])
        /// The text between an f-string's quotes, escapes already read.
        case formatted(String)
        case name(String)
        case symbol(String)
        case newline
        case indent
        case dedent
        case end
    }
    package let kind: Kind
    package let location: Location

    package var column: Int { location.column }

    package func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }

    package var text: String {
        switch kind {
        case .int(let n): String(n)
        case .float(let n): n.pythonRepr
        case .string(let s): "'\(s)'"
        case .bytes(let b): BytesObject(b).description
        case .formatted(let s): "f'\(s)'"
        case .name(let n): "'\(n)'"
        case .symbol(let s): "'\(s)'"
        case .newline: "end of line"
        case .indent: "an indented block"
        case .dedent: "the end of the block"
        case .end: "end of input"
        }
    }
}

/// Splits a cell into tokens, with Python's rules for lines, brackets and indentation.
package enum Lexer {
    /// Operators, longest first so that `**=` wins over `**` and `*`.
    package static let symbols = [
        "**=", "//=", ">>=", "<<=", "...", "**", "//", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=",
        "==", "!=", "<=", ">=", "->", "<<", ">>", ":=",
        "+", "-", "*", "/", "%", "@", "(", ")", "[", "]", "{", "}", ",", ".", "=", ":", ";", "<", ">", "&", "|",
        "^", "~"
    ]

    /// Python's keywords: never names.
    package static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "async", "await"
    ]

    /// The tokens of `text`. `columnOffset` is added to the first line's columns when `text` is part
    /// of a longer line.
    package static func tokenize(_ text: String, columnOffset: Int = 0) throws(NotebookError) -> [Token] {
        var scanner = Scanner(Array(text.unicodeScalars), columnOffset: columnOffset)
        return try scanner.run()
    }

    /// Whether `text` is an unfinished cell: an open bracket or triple-quoted string, a line ending
    /// in `\`, or a block header whose block has not been ended by a blank line. The REPL then
    /// asks for more with `... `.
    package static func needsMoreInput(_ text: String, blockEndsAtBlankLine: Bool = true) -> Bool {
        do {
            _ = try tokenize(text)
        } catch {
            return error.message.contains("never closed") || error.message.contains("continues after")
        }
        guard blockEndsAtBlankLine else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first else { return false }
        guard endsWithColon(String(first)) || first.trimmingCharacters(in: .whitespaces).hasPrefix("@") else {
            return false
        }
        return lines.count == 1 || !(lines.last ?? "").allSatisfy(\.isWhitespace)
    }

    /// Whether a line ends with `:` once its comment is dropped (a block header).
    static func endsWithColon(_ line: String) -> Bool {
        guard let tokens = try? tokenize(line) else { return false }
        let meaningful = tokens.filter { $0.kind != .newline && $0.kind != .end }
        return meaningful.last?.isSymbol(":") == true
    }
}

/// The state of one tokenization.
private struct Scanner {
    let chars: [Unicode.Scalar]
    let columnOffset: Int
    var i = 0
    var line = 1
    var lineStart = 0
    var tokens: [Token] = []
    var indents: [Int] = [0]
    /// Open brackets, with where each opened.
    var brackets: [(Unicode.Scalar, Location)] = []

    init(_ chars: [Unicode.Scalar], columnOffset: Int) {
        self.chars = chars
        self.columnOffset = columnOffset
    }

    var location: Location { Location(line: line, column: i - lineStart + 1 + (line == 1 ? columnOffset : 0)) }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }

    mutating func newLine() {
        line += 1
        lineStart = i
    }

    mutating func run() throws(NotebookError) -> [Token] {
        var atLineStart = true
        while i < chars.count {
            if atLineStart && brackets.isEmpty {
                atLineStart = false
                if try indentation() { continue }
            }
            let c = chars[i]
            switch c {
            case " ", "\t", "\u{0C}":
                i += 1
            case "\r", "\n":
                if c == "\r", peek(1) == "\n" { i += 1 }
                i += 1
                if brackets.isEmpty, let last = tokens.last, last.kind != .newline {
                    tokens.append(Token(kind: .newline, location: Location(line: line, column: i - lineStart)))
                }
                newLine()
                atLineStart = true
            case "#":
                while i < chars.count, chars[i] != "\n", chars[i] != "\r" { i += 1 }
            case "\\":
                let start = location
                var j = i + 1
                while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                guard j < chars.count else {
                    throw .syntax("the line continues after '\\', but nothing follows", at: start)
                }
                guard chars[j] == "\n" || chars[j] == "\r" else {
                    throw .syntax("unexpected character after the line continuation '\\'", at: start)
                }
                if chars[j] == "\r", j + 1 < chars.count, chars[j + 1] == "\n" { j += 1 }
                i = j + 1
                newLine()
            default:
                try token(c)
            }
        }
        if let (open, at) = brackets.last {
            throw .syntax("this '\(open)' is never closed", at: at)
        }
        if let last = tokens.last, last.kind != .newline {
            tokens.append(Token(kind: .newline, location: location))
        }
        for _ in indents.dropFirst() { tokens.append(Token(kind: .dedent, location: location)) }
        tokens.append(Token(kind: .end, location: location))
        return tokens
    }

    /// Reads a line's leading whitespace and emits INDENT or DEDENT; returns true when the line is
    /// blank or only a comment (it changes nothing).
    mutating func indentation() throws(NotebookError) -> Bool {
        var width = 0
        var j = i
        while j < chars.count {
            switch chars[j] {
            case " ": width += 1
            case "\t": width = (width / 8 + 1) * 8
            case "\u{0C}": width = 0
            default: break
            }
            guard chars[j] == " " || chars[j] == "\t" || chars[j] == "\u{0C}" else { break }
            j += 1
        }
        if j >= chars.count || chars[j] == "\n" || chars[j] == "\r" || chars[j] == "#" {
            i = j
            return true
        }
        i = j
        let here = location
        if width > indents[indents.count - 1] {
            guard !tokens.isEmpty, tokens.last?.kind == .newline, previousLineOpensBlock else {
                throw .syntax(
                    "unexpected indent: this line is indented more than the line above, which does not open a block (end it with ':' to open one)",
                    at: Location(line: here.line, column: 1))
            }
            indents.append(width)
            tokens.append(Token(kind: .indent, location: here))
        } else if width < indents[indents.count - 1] {
            while width < indents[indents.count - 1] {
                indents.removeLast()
                tokens.append(Token(kind: .dedent, location: here))
            }
            guard width == indents[indents.count - 1] else {
                throw .syntax(
                    "unindent does not match any outer indentation level: line it up with the block it belongs to",
                    at: Location(line: here.line, column: 1))
            }
        }
        return false
    }

    /// Whether the last logical line ended with `:` (so an indent may follow).
    var previousLineOpensBlock: Bool {
        guard tokens.count >= 2 else { return false }
        return tokens[tokens.count - 2].isSymbol(":")
    }

    mutating func token(_ c: Unicode.Scalar) throws(NotebookError) {
        let start = location
        if c.properties.numericType != nil && ("0"..."9").contains(c)
            || (c == "." && (peek(1).map { ("0"..."9").contains($0) } ?? false))
        {
            return try number(start)
        }
        if c.properties.isXIDStart || c == "_" {
            var j = i
            while j < chars.count, chars[j].properties.isXIDContinue { j += 1 }
            let word = String(String.UnicodeScalarView(chars[i..<j]))
            // String prefixes: r'', f'', b'', rb'', fr'' (any case).
            if j < chars.count, chars[j] == "'" || chars[j] == "\"", word.count <= 2,
                word.lowercased().allSatisfy({ "rfbu".contains($0) })
            {
                i = j
                return try string(prefix: word.lowercased(), start)
            }
            tokens.append(Token(kind: .name(word), location: start))
            i = j
            return
        }
        if c == "'" || c == "\"" { return try string(prefix: "", start) }
        if c == "(" || c == "[" || c == "{" {
            brackets.append((c, start))
        } else if c == ")" || c == "]" || c == "}" {
            let expected: Unicode.Scalar = c == ")" ? "(" : c == "]" ? "[" : "{"
            guard let (open, _) = brackets.last else {
                throw .syntax("unmatched '\(c)': nothing was opened for it to close", at: start)
            }
            guard open == expected else {
                throw .syntax("'\(c)' does not close the '\(open)' opened before it", at: start)
            }
            brackets.removeLast()
        }
        guard let symbol = Lexer.symbols.first(where: { matches($0) }) else {
            if c == "$" || c == "?" || c == "!" || c == "`" {
                throw .syntax("unexpected character '\(c)'", at: start)
            }
            throw .syntax("unexpected character '\(c)' (U+\(String(c.value, radix: 16, uppercase: true)))", at: start)
        }
        tokens.append(Token(kind: .symbol(symbol), location: start))
        i += symbol.unicodeScalars.count
    }

    func matches(_ symbol: String) -> Bool {
        var k = i
        for s in symbol.unicodeScalars {
            guard k < chars.count, chars[k] == s else { return false }
            k += 1
        }
        return true
    }

    mutating func number(_ start: Location) throws(NotebookError) {
        var j = i
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        if chars[i] == "0", i + 1 < chars.count, "xXoObB".unicodeScalars.contains(chars[i + 1]) {
            let radix =
                "xX".unicodeScalars.contains(chars[i + 1]) ? 16 : "oO".unicodeScalars.contains(chars[i + 1]) ? 8 : 2
            j = i + 2
            while j < chars.count, chars[j].properties.isXIDContinue { j += 1 }
            let digits = String(String.UnicodeScalarView(chars[(i + 2)..<j])).replacingOccurrences(of: "_", with: "")
            guard let value = Int(digits, radix: radix) else {
                let literal = String(String.UnicodeScalarView(chars[i..<j]))
                throw .syntax(
                    digits.isEmpty || !digits.allSatisfy({ $0.isHexDigit })
                        ? "'\(literal)' is not a number"
                        : "OverflowError: \(literal) does not fit in 64 bits (gradbook's ints are 64-bit)", at: start)
            }
            tokens.append(Token(kind: .int(value), location: start))
            i = j
            return
        }
        var isFloat = false
        while j < chars.count, isDigit(chars[j]) || chars[j] == "_" { j += 1 }
        if j < chars.count, chars[j] == "." {
            isFloat = true
            j += 1
            while j < chars.count, isDigit(chars[j]) || chars[j] == "_" { j += 1 }
        }
        if j < chars.count, chars[j] == "e" || chars[j] == "E" {
            var k = j + 1
            if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
            if k < chars.count, isDigit(chars[k]) {
                isFloat = true
                j = k
                while j < chars.count, isDigit(chars[j]) || chars[j] == "_" { j += 1 }
            }
        }
        let literal = String(String.UnicodeScalarView(chars[i..<j]))
        if j < chars.count, chars[j].properties.isXIDStart {
            if chars[j] == "j" || chars[j] == "J" {
                throw .syntax("complex numbers ('\(literal)j') are not supported", at: start)
            }
            throw .syntax("a name cannot start with a digit: '\(literal)\(chars[j])'", at: start)
        }
        let cleaned = literal.replacingOccurrences(of: "_", with: "")
        if isFloat {
            guard let value = Double(cleaned) else { throw .syntax("'\(literal)' is not a number", at: start) }
            tokens.append(Token(kind: .float(value), location: start))
        } else {
            if cleaned.count > 1, cleaned.hasPrefix("0"), cleaned.contains(where: { $0 != "0" }) {
                throw .syntax(
                    "leading zeros in a whole number ('\(literal)') are not allowed; for octal write 0o\(cleaned.drop { $0 == "0" })",
                    at: start)
            }
            guard let value = Int(cleaned) else {
                throw .syntax(
                    "OverflowError: \(literal) does not fit in 64 bits (gradbook's ints are 64-bit; write \(literal).0 for a float)",
                    at: start)
            }
            tokens.append(Token(kind: .int(value), location: start))
        }
        i = j
    }

    mutating func string(prefix: String, _ start: Location) throws(NotebookError) {
        let quote = chars[i]
        let triple = peek(1) == quote && peek(2) == quote
        i += triple ? 3 : 1
        let raw = prefix.contains("r")
        let isBytes = prefix.contains("b")
        var text = String.UnicodeScalarView()
        while true {
            guard i < chars.count else {
                throw .syntax(
                    "this string is never closed: add \(triple ? String(repeating: String(quote), count: 3) : String(quote)) at its end",
                    at: start)
            }
            let c = chars[i]
            if c == quote, !triple || (peek(1) == quote && peek(2) == quote) {
                i += triple ? 3 : 1
                break
            }
            if c == "\n" || c == "\r" {
                guard triple else {
                    throw .syntax(
                        "this string is never closed: add \(quote) at its end (a string on several lines needs triple quotes)",
                        at: start)
                }
                text.append("\n")
                if c == "\r", peek(1) == "\n" { i += 1 }
                i += 1
                newLine()
                continue
            }
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if raw {
                    text.append(c)
                    text.append(next)
                    i += 2
                    continue
                }
                i += 2
                switch next {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "0": text.append("\0")
                case "a": text.append("\u{07}")
                case "b": text.append("\u{08}")
                case "f": text.append("\u{0C}")
                case "v": text.append("\u{0B}")
                case "\\", "'", "\"": text.append(next)
                case "\n": newLine()
                case "x", "u", "U":
                    let count = next == "x" ? 2 : next == "u" ? 4 : 8
                    let end = min(chars.count, i + count)
                    let hex = String(String.UnicodeScalarView(chars[i..<end]))
                    guard hex.count == count, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code)
                    else {
                        throw .syntax("the escape \\\(next)\(hex) is not a valid character code", at: start)
                    }
                    text.append(scalar)
                    i = end
                default:
                    text.append("\\")
                    text.append(next)
                }
                continue
            }
            if isBytes && c.value >= 128 {
                throw .syntax("bytes can only contain ASCII literal characters (write others as \\xNN)", at: start)
            }
            text.append(c)
            i += 1
        }
        if isBytes {
            var bytes: [UInt8] = []
            for scalar in text {
                guard scalar.value < 256 else {
                    throw .syntax("bytes can only contain ASCII literal characters (write others as \\xNN)", at: start)
                }
                bytes.append(UInt8(scalar.value))
            }
            if case .bytes(let previous)? = tokens.last?.kind, let last = tokens.last {
                tokens[tokens.count - 1] = Token(kind: .bytes(previous + bytes), location: last.location)
            } else {
                tokens.append(Token(kind: .bytes(bytes), location: start))
            }
            return
        }
        let value = String(text)
        if prefix.contains("f") {
            tokens.append(Token(kind: .formatted(value), location: start))
        } else if case .string(let previous)? = tokens.last?.kind, let last = tokens.last {
            // Adjacent literals join: 'ab' 'cd' is 'abcd'.
            tokens[tokens.count - 1] = Token(kind: .string(previous + value), location: last.location)
        } else {
            tokens.append(Token(kind: .string(value), location: start))
        }
    }
}

extension Lexer {
    /// Splits a line into statements at `;` and drops a trailing `#` comment, both outside strings
    /// and brackets. Returns each statement with the column it starts at.
    package static func statements(of line: String) -> [(text: String, column: Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var start = 1
        var quote: Character?
        var depth = 0
        for (index, c) in line.enumerated() {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
                continue
            }
            switch c {
            case "'", "\"":
                quote = c
                current.append(c)
            case "(", "[", "{":
                depth += 1
                current.append(c)
            case ")", "]", "}":
                depth -= 1
                current.append(c)
            case "#":
                result.append((current, start))
                return result.filter { !$0.0.allSatisfy(\.isWhitespace) }
            case ";" where depth <= 0:
                result.append((current, start))
                current = ""
                start = index + 2
            default: current.append(c)
            }
        }
        result.append((current, start))
        return result.filter { !$0.0.allSatisfy(\.isWhitespace) }
    }
}

// Tokens of the notebook language: Python's numbers, strings, names and operators, each with the
// column it starts at so that errors can point at it.

/// One token of a statement.
package struct Token: Equatable {
    package enum Kind: Equatable {
        case number(Double)
        case string(String)
        case name(String)
        case symbol(String)
        case end
    }
    package let kind: Kind
    /// 1-based column in the line.
    package let column: Int

    package func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }

    package var text: String {
        switch kind {
        case .number(let n): n.pythonDescription
        case .string(let s): "'\(s)'"
        case .name(let n): n
        case .symbol(let s): "'\(s)'"
        case .end: "end of line"
        }
    }
}

/// Splits one statement into tokens.
package enum Lexer {
    /// Operators, longest first so that `**` wins over `*`.
    package static let symbols = [
        "**=", "//=", "**", "//", "+=", "-=", "*=", "/=", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "@", "(", ")", "[", "]", "{", "}", ",", ".", "=",
        ":", ";", "<", ">"
    ]

    /// The words the parser reads as keywords, never as names.
    package static let keywords: Set<String> = ["and", "else", "for", "from", "if", "import", "in", "not", "or", "pass"]

    /// Tokens of `text`; `columnOffset` is added to columns when `text` is part of a longer line.
    package static func tokenize(_ text: String, columnOffset: Int = 0) throws(NotebookError) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let column = i + 1 + columnOffset
            if c == " " || c == "\t" {
                i += 1
                continue
            }
            if c == "#" { break }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "_" { j += 1 }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    if k < chars.count, chars[k].isNumber {
                        j = k
                        while j < chars.count, chars[j].isNumber { j += 1 }
                    }
                }
                let literal = String(chars[i..<j]).replacingOccurrences(of: "_", with: "")
                guard let value = Double(literal) else {
                    throw .syntax("'\(String(chars[i..<j]))' is not a number", column: column)
                }
                if j < chars.count, chars[j].isLetter {
                    throw .syntax("a name cannot start with a digit: '\(String(chars[i...j]))'", column: column)
                }
                tokens.append(Token(kind: .number(value), column: column))
                i = j
                continue
            }
            if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                tokens.append(Token(kind: .name(String(chars[i..<j])), column: column))
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var literal = ""
                while j < chars.count, chars[j] != c {
                    if chars[j] == "\\", j + 1 < chars.count {
                        j += 1
                        switch chars[j] {
                        case "n": literal.append("\n")
                        case "t": literal.append("\t")
                        default: literal.append(chars[j])
                        }
                    } else {
                        literal.append(chars[j])
                    }
                    j += 1
                }
                guard j < chars.count else {
                    throw .syntax("this string is never closed: add \(c) at its end", column: column)
                }
                tokens.append(Token(kind: .string(literal), column: column))
                i = j + 1
                continue
            }
            guard let symbol = symbols.first(where: { matches($0, chars, at: i) }) else {
                throw .syntax("unexpected character '\(c)'", column: column)
            }
            tokens.append(Token(kind: .symbol(symbol), column: column))
            i += symbol.count
        }
        tokens.append(Token(kind: .end, column: chars.count + 1 + columnOffset))
        return tokens
    }

    private static func matches(_ symbol: String, _ chars: [Character], at i: Int) -> Bool {
        var k = i
        for s in symbol {
            guard k < chars.count, chars[k] == s else { return false }
            k += 1
        }
        return true
    }

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

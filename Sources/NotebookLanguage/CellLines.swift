// Where a statement typed over several lines ends: a block header's indented body, the `elif`,
// `else`, `except` and `finally` parts, lines inside open brackets or a triple-quoted string, and
// lines continued with `\`. The REPL, pastes and session scripts all cut cells with it.

extension Lexer {
    /// The top-level statements of `text`, each with its continuation lines and the 1-based line
    /// it starts on. Blank lines between statements are dropped.
    package static func chunks(_ text: String) -> [(text: String, line: Int)] {
        let lines = text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        )
        .map(String.init)
        var result: [(String, Int)] = []
        var i = 0
        while i < lines.count {
            if lines[i].allSatisfy(\.isWhitespace) {
                i += 1
                continue
            }
            let end = statementEnd(lines, from: i)
            result.append((lines[i..<end].joined(separator: "\n"), i + 1))
            i = end
        }
        return result
    }

    /// The end (exclusive) of the statement that starts at `lines[start]`, trailing blank lines left out.
    package static func statementEnd(_ lines: [String], from start: Int) -> Int {
        var scanner = LineScanner()
        var i = start
        // The first logical line: the line and whatever its brackets, strings or `\` carry on to.
        var logical = ""
        repeat {
            scanner.scan(lines[i])
            logical += lines[i] + "\n"
            i += 1
        } while scanner.isOpen && i < lines.count
        let header = logical.trimmingLeadingWhitespace
        let opensBlock = endsWithColon(logical) || header.hasPrefix("@")
        guard opensBlock else { return i }
        var end = i
        while i < lines.count {
            let line = lines[i]
            if scanner.isOpen {
                scanner.scan(line)
                i += 1
                end = i
                continue
            }
            if line.allSatisfy(\.isWhitespace) || (line.hasPrefix("#") && !line.hasPrefix("#>")) {
                // Blank lines and comments belong to the block only when more of it follows.
                var j = i + 1
                while j < lines.count,
                    lines[j].allSatisfy(\.isWhitespace) || (lines[j].hasPrefix("#") && !lines[j].hasPrefix("#>"))
                {
                    j += 1
                }
                guard j < lines.count, continuesBlock(lines[j]) else { break }
                i = j
                continue
            }
            guard continuesBlock(line) || (header.hasPrefix("@") && isDefinition(line)) else { break }
            scanner.scan(line)
            i += 1
            end = i
        }
        return end
    }

    /// An indented line, or one that goes on with the block above (`else:`, `elif …:`, `except …:`).
    private static func continuesBlock(_ line: String) -> Bool {
        if let first = line.first, first == " " || first == "\t" { return true }
        let word = line.prefix { $0.isLetter }
        return ["elif", "else", "except", "finally"].contains(String(word))
    }

    private static func isDefinition(_ line: String) -> Bool {
        line.hasPrefix("def ") || line.hasPrefix("class ") || line.hasPrefix("@") || line.hasPrefix("async ")
    }
}

/// Follows brackets, strings and `\` from one line to the next.
private struct LineScanner {
    var depth = 0
    var tripleQuote: Character?
    var continued = false

    var isOpen: Bool { depth > 0 || tripleQuote != nil || continued }

    mutating func scan(_ line: String) {
        let chars = Array(line)
        var i = 0
        continued = false
        while i < chars.count {
            let c = chars[i]
            if let quote = tripleQuote {
                if c == "\\" {
                    i += 2
                    continue
                }
                if c == quote, i + 2 < chars.count, chars[i + 1] == quote, chars[i + 2] == quote {
                    tripleQuote = nil
                    i += 3
                    continue
                }
                i += 1
                continue
            }
            switch c {
            case "#": return
            case "\\" where i == chars.count - 1:
                continued = true
                return
            case "'", "\"":
                if i + 2 < chars.count, chars[i + 1] == c, chars[i + 2] == c {
                    tripleQuote = c
                    i += 3
                    continue
                }
                // A one-line string: to its closing quote or the end of the line.
                var j = i + 1
                while j < chars.count, chars[j] != c {
                    if chars[j] == "\\" { j += 1 }
                    j += 1
                }
                i = j + 1
                continue
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default: break
            }
            i += 1
        }
    }
}

extension String {
    var trimmingLeadingWhitespace: Substring { drop(while: \.isWhitespace) }
}

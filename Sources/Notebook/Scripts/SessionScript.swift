// Session scripts: lessons as plain text. Commands are plain lines, `# ` lines are narration, blank
// lines separate cells, and the output a command printed is recorded right under it as `#> ` lines
// (the knitr/reprex convention) — comments to the notebook, so a script is still valid input.
//
//     # The derivative of L with respect to a.
//     a = Value(2.0, label='a'); b = Value(-3.0, label='b')
//     L = a * b; L.backward()
//     a.grad
//     #> -3.0
//
import NotebookLanguage

// In recorded output, `...` alone on a line matches any number of lines, and `...` inside a line
// matches any text (doctest's ELLIPSIS), for output that changes from run to run.

/// A parsed session script, keeping every line of the file so it can be rewritten in place.
public struct SessionScript {
    /// One command with the output recorded under it.
    public struct Entry {
        public let input: String
        /// 1-based line of the command in the file (its first line, for a block).
        public let line: Int
        /// Lines of the file (0-based, half-open) holding the command: one, or a block's.
        public let inputLines: Range<Int>
        /// The recorded output lines (without the `#> ` marker).
        public var expected: [String]
        /// Lines of the file (0-based, half-open) holding the recorded output.
        public let outputLines: Range<Int>
    }

    /// A cell: narration, then the commands run together.
    public struct Cell {
        public var narration: [String]
        public var entries: [Entry]
    }

    public let path: String
    public private(set) var lines: [String]
    public private(set) var cells: [Cell]

    /// The file's own line ending (`\n`, `\r\n` or `\r`), kept when the file is rewritten.
    public let lineEnding: String

    public static let outputMarker = "#>"

    /// The lines of `text`, ended by `\r\n`, `\n` or `\r` (an editor on any system), and the
    /// ending the text uses first.
    static func splitLines(_ text: String) -> ([String], String) {
        var lines: [String] = []
        var ending: String?
        var current = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\r":
                if pending == "\n" {
                    pending = scalars.next()
                    ending = ending ?? "\r\n"
                } else {
                    ending = ending ?? "\r"
                }
                lines.append(current)
                current = ""
            case "\n":
                ending = ending ?? "\n"
                lines.append(current)
                current = ""
            default:
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return (lines, ending ?? "\n")
    }

    /// Parses `text`; `path` names the file in messages.
    public init(text: String, path: String) throws(NotebookError) {
        self.path = path
        let (lines, ending) = Self.splitLines(text)
        self.lines = lines
        self.lineEnding = ending
        var cells: [Cell] = []
        var cell = Cell(narration: [], entries: [])
        var index = 0
        func closeCell() {
            if !cell.narration.isEmpty || !cell.entries.isEmpty { cells.append(cell) }
            cell = Cell(narration: [], entries: [])
        }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                closeCell()
                index += 1
            } else if Self.isOutput(line) {
                throw NotebookError("\(path):\(index + 1): recorded output (#>) with no command above it")
            } else if trimmed.hasPrefix("#") {
                if !cell.entries.isEmpty { closeCell() }
                cell.narration.append(line)
                index += 1
            } else {
                let inputEnd = Lexer.statementEnd(lines, from: index)
                var end = inputEnd
                var expected: [String] = []
                while end < lines.count, Self.isOutput(lines[end]) {
                    expected.append(Self.outputText(lines[end]))
                    end += 1
                }
                cell.entries.append(
                    Entry(
                        input: lines[index..<inputEnd].joined(separator: "\n"), line: index + 1,
                        inputLines: index..<inputEnd, expected: expected, outputLines: inputEnd..<end))
                index = end
            }
        }
        closeCell()
        self.cells = cells
    }

    /// Reads and parses a script file.
    public init(contentsOf path: String) throws(NotebookError) {
        try self.init(text: try FileErrors.readText(path), path: path)
    }

    public var entries: [Entry] { cells.flatMap(\.entries) }

    static func isOutput(_ line: String) -> Bool {
        line == outputMarker || line.hasPrefix(outputMarker + " ")
    }

    static func outputText(_ line: String) -> String {
        line == outputMarker ? "" : String(line.dropFirst(outputMarker.count + 1))
    }

    /// `text` as recorded output lines.
    public static func outputLines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map {
            $0.trimmingTrailingSpaces.isEmpty ? outputMarker : outputMarker + " " + $0.trimmingTrailingSpaces
        }
    }

    /// The file's text with the output of each entry in `replacements` (keyed by entry line)
    /// rewritten; every other line stays exactly as it was.
    public func rewritten(with replacements: [Int: [String]]) -> String {
        var result: [String] = []
        var index = 0
        let byStart = Dictionary(uniqueKeysWithValues: entries.map { ($0.line, $0) })
        while index < lines.count {
            if let entry = byStart[index + 1], let output = replacements[entry.line] {
                result += lines[entry.inputLines]
                result += output.map { $0.isEmpty ? Self.outputMarker : Self.outputMarker + " " + $0 }
                index = entry.outputLines.upperBound
            } else {
                result.append(lines[index])
                index += 1
            }
        }
        return result.joined(separator: lineEnding) + lineEnding
    }

    /// A script from a session's log: typed `#` lines become narration, blank lines separate cells.
    public static func text(fromLog log: some Collection<(input: String, output: String)>) -> String {
        var lines: [String] = []
        for (input, output) in log {
            let trimmed = input.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if lines.last?.isEmpty == false { lines.append("") }
                continue
            }
            lines.append(input)
            if !trimmed.hasPrefix("#") { lines += outputLines(output) }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

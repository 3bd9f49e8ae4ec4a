// What `load` noticed in a names file: one warning per kind of problem, with its count and the first
// few lines where it happens, so a huge bad file gives a short summary, not thousands of lines.

/// One kind of problem in a names file, e.g. "3 words with uppercase letters", with where it happens.
package struct DatasetWarning: Equatable, Sendable, CustomStringConvertible {
    /// The kinds of problem, in the order they are reported.
    package enum Kind: Int, CaseIterable, Sendable, Comparable {
        /// A line whose bytes are not UTF-8: skipped.
        case notUTF8
        /// A word containing '.', the start/end token: skipped.
        case containsBoundary
        /// An empty (or all-whitespace) line: skipped.
        case blankLine
        /// A word with uppercase letters: kept as it is.
        case uppercase
        /// A word with whitespace or control characters inside: kept.
        case unusualCharacters
        /// A word with characters the expected vocabulary lacks: kept (a model cannot score it).
        case outsideVocabulary
        /// A word already seen on an earlier line: kept (it counts twice).
        case duplicate

        package static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// One place a problem occurs.
    package struct Example: Equatable, Sendable {
        /// 1-based line in the file.
        package var line: Int
        /// What to show about it, e.g. `'Emma'` or `byte 0xE9 at position 4`.
        package var note: String
    }

    /// The most examples a warning keeps.
    package static let exampleLimit = 5

    package let kind: Kind
    /// How many lines have this problem.
    package private(set) var count = 0
    /// The first ``exampleLimit`` of them.
    package private(set) var examples: [Example] = []
    /// The vocabulary the words were checked against (``Kind/outsideVocabulary`` only).
    let expected: Vocabulary?

    init(kind: Kind, expected: Vocabulary? = nil) {
        self.kind = kind
        self.expected = expected
    }

    /// Counts one more occurrence, keeping it as an example while there is room.
    mutating func add(line: Int, note: String) {
        count += 1
        if examples.count < Self.exampleLimit { examples.append(Example(line: line, note: note)) }
    }

    /// The 1-based lines of the kept examples.
    package var lines: [Int] { examples.map(\.line) }

    /// One line: what was found, how often, and what was done about it.
    package var summary: String {
        let n = count.grouped
        let one = count == 1
        switch kind {
        case .notUTF8:
            return
                "\(n) line\(one ? " is" : "s are") not UTF-8 and \(one ? "was" : "were") skipped; if the file is Latin-1, convert it: iconv -f latin1 -t utf-8 FILE"
        case .containsBoundary:
            return
                "\(n) word\(one ? "" : "s") containing '.' \(one ? "was" : "were") skipped: '.' is the token that marks where every name starts and ends, so it cannot be a character inside one"
        case .blankLine:
            return "\(n) blank line\(one ? " was" : "s were") skipped"
        case .uppercase:
            return
                "\(n) word\(one ? " has" : "s have") uppercase letters, kept as typed: 'E' and 'e' are different characters to a model (lowercase the file if they should be one)"
        case .unusualCharacters:
            return
                "\(n) word\(one ? " has" : "s have") spaces or control characters inside, kept: each becomes a character of the vocabulary"
        case .outsideVocabulary:
            let vocabulary = expected.map { " (\($0))" } ?? ""
            return
                "\(n) word\(one ? " has" : "s have") characters outside the expected vocabulary\(vocabulary): a model with that vocabulary cannot score \(one ? "it" : "them")"
        case .duplicate:
            let first = examples.first.map { " (the first: line \($0.line), \($0.note))" } ?? ""
            return "\(n) repeated name\(one ? "" : "s") kept\(first): each copy counts, as in the lecture's data"
        }
    }

    /// Whether this is a note rather than a problem: the lecture's own names repeat, and that is
    /// how its counts were made.
    package var isNote: Bool { kind == .duplicate }

    /// The examples, one per line (`line 2: 'Emma'`), and how many more there are; blank lines
    /// are listed on one line; a note has none.
    package var details: [String] {
        if isNote { return [] }
        let more = count - examples.count
        if kind == .blankLine {
            return [
                "line\(count == 1 ? "" : "s") " + lines.map(String.init).joined(separator: ", ")
                    + (more > 0 ? " and \(more.grouped) more" : "")
            ]
        }
        return examples.map { "line \($0.line): \($0.note)" } + (more > 0 ? ["… and \(more.grouped) more"] : [])
    }

    /// The summary with its details indented below it.
    package var description: String {
        ([summary] + details.map { "  " + $0 }).joined(separator: "\n")
    }
}

extension String {
    /// The word in quotes, with control and invisible characters escaped (`'a\tb'`), for messages.
    package var quotedForDisplay: String { "'" + escapedForDisplay + "'" }

    /// The text with control and invisible characters escaped: `a\tb`.
    package var escapedForDisplay: String {
        var shown = ""
        for scalar in unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: shown += scalar.escaped(asASCII: true)
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }
}

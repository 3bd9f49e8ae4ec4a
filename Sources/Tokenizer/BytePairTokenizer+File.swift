// minbpe's files: `PREFIX.model` (what `load` reads: a version line, the pattern, the special tokens,
// then one merged pair per line) and `PREFIX.vocab` (each token for people to read). A model file
// written here loads in minbpe, and one minbpe wrote loads here.
import Foundation

extension BytePairTokenizer {
    /// The `.model` file's text.
    public var modelText: String {
        var lines = ["minbpe v1", pattern.expression, "\(specialTokens.count)"]
        lines += specialTokens.sorted { $0.value < $1.value }.map { "\($0.key) \($0.value)" }
        lines += merges.map { "\($0.left) \($0.right)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `.vocab` file's text: `[token] id`, or `[left][right] -> [token] id` for a merge.
    public var vocabText: String {
        var lines: [String] = []
        for id in vocabulary.indices {
            let token = Self.render(vocabulary[id])
            if id >= 256 {
                let m = merges[id - 256]
                lines.append(
                    "[\(Self.render(vocabulary[m.left]))][\(Self.render(vocabulary[m.right]))] -> [\(token)] \(id)")
            } else {
                lines.append("[\(token)] \(id)")
            }
        }
        for (name, id) in specialTokens.sorted(by: { $0.value < $1.value }) { lines.append("[\(name)] \(id)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A token's bytes as text to print: invalid UTF-8 as U+FFFD, control characters as `\u000a`
    /// (minbpe's `render_token`).
    public static func render(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.map { scalar -> String in
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned:
                return String(format: "\\u%04x", scalar.value)
            default:
                return String(scalar)
            }
        }.joined()
    }

    /// Reads a `.model` file's text.
    /// - Throws: ``TokenizerError/malformed(_:)`` saying which line is wrong.
    public init(modelText text: String) throws(TokenizerError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        guard lines.first == "minbpe v1" else { throw .malformed("line 1 is not 'minbpe v1'") }
        guard lines.count >= 3 else { throw .malformed("it ends before its special tokens") }
        guard let pattern = Pattern(expression: lines[1]) else {
            throw .malformed("line 2's split pattern is none of GPT-2's, GPT-4's or none")
        }
        guard let specialCount = Int(lines[2]), specialCount >= 0, specialCount <= lines.count - 3 else {
            throw .malformed("line 3 is not the number of special tokens")
        }
        var special: [String: Int] = [:]
        for n in 0..<specialCount {
            let words = lines[3 + n].split(separator: " ")
            guard words.count == 2, let id = Int(words[1]) else {
                throw .malformed("line \(4 + n) is not 'TOKEN ID'")
            }
            special[String(words[0])] = id
        }
        var merges: [Merge] = []
        let first = 3 + specialCount
        guard lines.count - first <= Self.maximumVocabularySize - 256 else {
            throw .malformed("it has more than \(Self.maximumVocabularySize - 256) merges")
        }
        for (n, line) in lines[first...].enumerated() {
            let words = line.split(separator: " ")
            let token = 256 + n
            guard words.count == 2, let a = Int(words[0]), let b = Int(words[1]), (0..<token).contains(a),
                (0..<token).contains(b)
            else {
                throw .malformed("line \(first + n + 1) is not two earlier token ids")
            }
            merges.append(Merge(left: a, right: b, token: token))
        }
        self.init(pattern: pattern, merges: merges)
        try register(special)
    }
}

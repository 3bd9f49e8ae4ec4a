// Byte-pair encoding, as the GPT tokenizers and karpathy/minbpe do it ("Let's build the GPT
// Tokenizer"): text is UTF-8 bytes (tokens 0-255); training merges the most frequent pair of
// neighbouring tokens into a new token, again and again, until the vocabulary has the size asked for.
// A split pattern (GPT-2's or GPT-4's) first cuts the text into chunks that no merge crosses.
//
// Exactly minbpe's algorithm, so that its merges and encodings come out: the most frequent pair wins,
// a tie going to the pair seen first; encoding merges, in each chunk, the pair with the lowest merge
// index until none is left.
import Foundation

/// A trained (or loaded) byte-level BPE tokenizer.
///
///     let t = try BytePairTokenizer.train(on: "aaabdaaabac", vocabularySize: 259, pattern: .none)
///     t.encode("aaabdaaabac")      // [258, 100, 258, 97, 99]
///     t.decode([258, 100])          // "aaabd"
public struct BytePairTokenizer: Sendable, Equatable {
    /// The split pattern: none (minbpe's BasicTokenizer), or GPT-2's or GPT-4's (its RegexTokenizer).
    public enum Pattern: String, CaseIterable, Sendable {
        case none, gpt2, gpt4

        /// The regular expression, as tiktoken and minbpe write it.
        public var expression: String {
            switch self {
            case .none: ""
            case .gpt2: #"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
            case .gpt4:
                #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"#
            }
        }

        /// The pattern a saved tokenizer names, if it is one of these.
        init?(expression: String) {
            guard let match = Self.allCases.first(where: { $0.expression == expression }) else { return nil }
            self = match
        }
    }

    /// A pair of tokens and the token they merge into, in the order they were learned.
    public struct Merge: Sendable, Equatable {
        public let left: Int, right: Int
        public let token: Int
    }

    public let pattern: Pattern
    /// The merges in the order learned: merge i makes token 256 + i.
    public let merges: [Merge]
    /// Special tokens (`<|endoftext|>`) and their ids, outside the merges' ids.
    public private(set) var specialTokens: [String: Int] = [:]
    /// Each token's bytes.
    public let vocabulary: [[UInt8]]
    private let rank: [UInt64: Int]  // pair key → merge index
    /// The same as a flat table (pair a, b at a·n + b; -1 for no merge) while the vocabulary is small.
    private let rankTable: [Int32]

    /// The most tokens a tokenizer may have (merges plus bytes).
    public static let maximumVocabularySize = 1 << 20

    init(pattern: Pattern, merges: [Merge]) {
        self.pattern = pattern
        self.merges = merges
        var vocabulary = (0..<256).map { [UInt8($0)] }
        var rank: [UInt64: Int] = [:]
        for (i, m) in merges.enumerated() {
            vocabulary.append(vocabulary[m.left] + vocabulary[m.right])
            rank[Self.key(m.left, m.right)] = i
        }
        self.vocabulary = vocabulary
        self.rank = rank
        let n = vocabulary.count
        var table = [Int32](repeating: -1, count: n <= 1_024 ? n * n : 0)
        if !table.isEmpty {
            for (i, m) in merges.enumerated() { table[m.left * n + m.right] = Int32(i) }
        }
        rankTable = table
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.pattern == b.pattern && a.merges == b.merges && a.specialTokens == b.specialTokens
    }

    static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    /// The number of tokens: 256 bytes, one per merge, and the special tokens.
    public var size: Int { 256 + merges.count + specialTokens.count }

    // MARK: Splitting

    /// The chunks of `text` no merge crosses: the pattern's matches, or the whole text.
    func chunks(_ text: String) -> [String] {
        guard pattern != .none else { return text.isEmpty ? [] : [text] }
        return Self.split(text, pattern.expression)
    }

    static func split(_ text: String, _ expression: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: expression) else { return [text] }
        let string = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: string.length)).map {
            string.substring(with: $0.range)
        }
    }

    // MARK: Training

    /// Learns `vocabularySize - 256` merges from `text`, as minbpe's `train` does.
    /// - Throws: ``TokenizerError`` for a size below 256 or above the maximum.
    public static func train(
        on text: String, vocabularySize: Int, pattern: Pattern, shouldStop: () -> Bool = { false }
    ) throws(TokenizerError) -> BytePairTokenizer {
        guard (256...maximumVocabularySize).contains(vocabularySize) else {
            throw .badVocabularySize(vocabularySize, maximumVocabularySize)
        }
        let empty = BytePairTokenizer(pattern: pattern, merges: [])
        // Identical chunks are trained once, weighted by how often they occur, in order of first
        // appearance: the counts and the order pairs are first seen in are minbpe's. All chunks live in
        // one buffer, each at `starts[c]` with `lengths[c]` tokens, merged in place.
        var index: [String: Int] = [:]
        var tokens: [Int32] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        var weights: [Int] = []
        for chunk in empty.chunks(text) {
            if let i = index[chunk] {
                weights[i] += 1
            } else {
                index[chunk] = starts.count
                starts.append(tokens.count)
                tokens += chunk.utf8.map { Int32($0) }
                lengths.append(tokens.count - starts[starts.count - 1])
                weights.append(1)
            }
        }
        var merger = PairMerger(tokens: tokens, starts: starts, lengths: lengths, weights: weights)
        let merges = try merger.learn(vocabularySize - 256, shouldStop: shouldStop)
        return BytePairTokenizer(pattern: pattern, merges: merges)
    }

    /// `ids` with every left-to-right occurrence of (left, right) replaced by `token`.
    static func merged(_ ids: [Int32], _ left: Int32, _ right: Int32, _ token: Int32) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(ids.count)
        var i = 0
        while i < ids.count {
            if i + 1 < ids.count && ids[i] == left && ids[i + 1] == right {
                out.append(token)
                i += 2
            } else {
                out.append(ids[i])
                i += 1
            }
        }
        return out
    }

    // MARK: Encoding and decoding

    /// The tokens of `text` without special tokens (minbpe's `encode_ordinary`).
    public func encodeOrdinary(_ text: String) -> [Int] {
        var cache: [String: [Int]] = [:]
        var out: [Int] = []
        for chunk in chunks(text) {
            if let known = cache[chunk] {
                out += known
                continue
            }
            let ids = encodeChunk(Array(chunk.utf8))
            cache[chunk] = ids
            out += ids
        }
        return out
    }

    /// The tokens of `text`; special tokens in it become their ids when `allowSpecial`, and are an
    /// error otherwise (minbpe's default, "none_raise").
    public func encode(_ text: String, allowSpecial: Bool = false) throws(TokenizerError) -> [Int] {
        guard !specialTokens.isEmpty else { return encodeOrdinary(text) }
        guard allowSpecial else {
            if let found = specialTokens.keys.sorted().first(where: { text.contains($0) }) {
                throw .specialTokenInText(found)
            }
            return encodeOrdinary(text)
        }
        // Split on the special tokens, longest first at each place, as re.split on their alternation.
        let alternation = specialTokens.keys.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        guard let regex = try? NSRegularExpression(pattern: "(" + alternation + ")") else {
            return encodeOrdinary(text)
        }
        let string = text as NSString
        var out: [Int] = []
        var start = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: string.length)) {
            out += encodeOrdinary(
                string.substring(with: NSRange(location: start, length: match.range.location - start)))
            out.append(specialTokens[string.substring(with: match.range)] ?? 0)
            start = match.range.location + match.range.length
        }
        return out + encodeOrdinary(string.substring(from: start))
    }

    /// One chunk's tokens: merge the pair with the lowest merge index until none is left.
    func encodeChunk(_ bytes: [UInt8]) -> [Int] {
        var ids = bytes.map(Int32.init)
        let n = vocabulary.count
        while ids.count >= 2 {
            var best = Int.max
            var pair = (Int32(0), Int32(0))
            ids.withUnsafeBufferPointer { p in
                for j in 0..<(p.count - 1) {
                    let r: Int
                    if rankTable.isEmpty {
                        r = rank[Self.key(Int(p[j]), Int(p[j + 1]))] ?? Int.max
                    } else {
                        let t = rankTable[Int(p[j]) * n + Int(p[j + 1])]
                        r = t < 0 ? Int.max : Int(t)
                    }
                    if r < best { (best, pair) = (r, (p[j], p[j + 1])) }
                }
            }
            guard best != Int.max else { break }
            ids = Self.merged(ids, pair.0, pair.1, Int32(256 + best))
        }
        return ids.map(Int.init)
    }

    /// The bytes of `ids`.
    /// - Throws: ``TokenizerError/unknownToken(_:)`` for an id that is neither a token nor special.
    public func bytes(_ ids: [Int]) throws(TokenizerError) -> [UInt8] {
        let inverse = Dictionary(specialTokens.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var out: [UInt8] = []
        for id in ids {
            if vocabulary.indices.contains(id) {
                out += vocabulary[id]
            } else if let special = inverse[id] {
                out += Array(special.utf8)
            } else {
                throw .unknownToken(id)
            }
        }
        return out
    }

    /// The text of `ids`; bytes that are not UTF-8 become U+FFFD, as `errors="replace"`.
    public func decode(_ ids: [Int]) throws(TokenizerError) -> String {
        String(decoding: try bytes(ids), as: UTF8.self)
    }

    /// Adds special tokens (minbpe's `register_special_tokens`).
    /// - Throws: when an id is one of the merges' or bytes', or a name is empty or has whitespace.
    public mutating func register(_ tokens: [String: Int]) throws(TokenizerError) {
        for (name, id) in tokens {
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { throw .badSpecialName(name) }
            guard id >= vocabulary.count, id <= Int(Int32.max) else { throw .specialIdTaken(name, id) }
        }
        specialTokens.merge(tokens) { _, new in new }
    }
}

/// What went wrong with a tokenizer, in one line.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case badVocabularySize(Int, Int)
    case stopped(after: Int)
    case unknownToken(Int)
    case specialTokenInText(String)
    case badSpecialName(String)
    case specialIdTaken(String, Int)
    case malformed(String)

    public var description: String {
        switch self {
        case .badVocabularySize(let n, let most):
            "the vocabulary size must be from 256 (the bytes) to \(most), not \(n)"
        case .stopped(let n): "training stopped by Ctrl-C after \(n) merges"
        case .unknownToken(let id): "\(id) is not a token of this tokenizer"
        case .specialTokenInText(let name):
            "the text contains the special token \(name); encode it with --special to turn it into its id"
        case .badSpecialName(let name): "a special token's name must be one word without spaces, not '\(name)'"
        case .specialIdTaken(let name, let id):
            "\(name) cannot have id \(id): the bytes and merges use every id below the vocabulary size"
        case .malformed(let why): "not a minbpe model file: \(why)"
        }
    }
}

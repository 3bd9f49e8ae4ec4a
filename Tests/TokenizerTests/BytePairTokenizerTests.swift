// Byte-pair encoding as minbpe does it: what minbpe's own tests check (Wikipedia's example, encode and
// decode identity, save and load, special tokens), written for gradbook.
import Foundation
import Testing

@testable import Tokenizer

@Suite("Byte-pair encoding")
struct BytePairTokenizerTests {
    static let texts = [
        "", "?", "hello world!!!? (안녕하세요!) lol123 😉",
        "The quick brown fox's 12345 jumps — over the lazy dog.\nAgain?  Yes!\r\n\tTabs too."
    ]

    /// Wikipedia's example (en.wikipedia.org/wiki/Byte_pair_encoding): "aaabdaaabac" with 3 merges.
    @Test(arguments: BytePairTokenizer.Pattern.allCases)
    func wikipediasExample(_ pattern: BytePairTokenizer.Pattern) throws {
        let t = try BytePairTokenizer.train(on: "aaabdaaabac", vocabularySize: 256 + 3, pattern: pattern)
        #expect(try t.encode("aaabdaaabac") == [258, 100, 258, 97, 99])
        #expect(t.merges.map { [$0.left, $0.right] } == [[97, 97], [256, 97], [257, 98]])  // aa, aaa, aaab
        #expect(try t.decode([258]) == "aaab")
    }

    @Test(arguments: BytePairTokenizer.Pattern.allCases)
    func encodeThenDecodeIsTheText(_ pattern: BytePairTokenizer.Pattern) throws {
        let corpus = Self.texts.joined(separator: " ") + String(repeating: " the theme then there", count: 20)
        let t = try BytePairTokenizer.train(on: corpus, vocabularySize: 300, pattern: pattern)
        #expect(t.merges.count == 44)
        for text in Self.texts {
            let ids = try t.encode(text)
            #expect(try t.decode(ids) == text)
            #expect(ids.allSatisfy { (0..<t.size).contains($0) })
        }
        #expect(try t.encode("").isEmpty)
    }

    /// A merge never crosses a chunk of the split pattern: with GPT-2's, "dog." keeps "." apart.
    @Test func thePatternsChunks() {
        let text = "Hello've world123 how's\n\n  it?"
        #expect(
            BytePairTokenizer.split(text, BytePairTokenizer.Pattern.gpt2.expression) == [
                "Hello", "'ve", " world", "123", " how", "'s", "\n\n ", " it", "?"
            ])
        #expect(
            BytePairTokenizer.split(text, BytePairTokenizer.Pattern.gpt4.expression) == [
                "Hello", "'ve", " world", "123", " how", "'s", "\n\n", " ", " it", "?"
            ])
    }

    @Test func aTieGoesToThePairSeenFirst() throws {
        // "ab" and "cd" both occur twice; "ab" comes first.
        let t = try BytePairTokenizer.train(on: "abcdabcd", vocabularySize: 257, pattern: .none)
        #expect(t.merges == [.init(left: 97, right: 98, token: 256)])
    }

    /// minbpe's loop as it is written (count every pair in text order, take the first of the most
    /// frequent, rewrite every chunk), the reference the incremental trainer must equal merge for merge.
    static func minbpeMerges(_ chunks: [[Int]], _ count: Int) -> [BytePairTokenizer.Merge] {
        var ids = chunks
        var merges: [BytePairTokenizer.Merge] = []
        for i in 0..<count {
            var order: [[Int]] = []
            var stats: [[Int]: Int] = [:]
            for chunk in ids where chunk.count >= 2 {
                for j in 0..<(chunk.count - 1) {
                    let pair = [chunk[j], chunk[j + 1]]
                    if stats[pair] == nil { order.append(pair) }
                    stats[pair, default: 0] += 1
                }
            }
            guard var best = order.first else { break }
            for pair in order where stats[pair]! > stats[best]! { best = pair }
            let token = 256 + i
            ids = ids.map { chunk in
                var out: [Int] = []
                var j = 0
                while j < chunk.count {
                    if j + 1 < chunk.count, chunk[j] == best[0], chunk[j + 1] == best[1] {
                        out.append(token)
                        j += 2
                    } else {
                        out.append(chunk[j])
                        j += 1
                    }
                }
                return out
            }
            merges.append(.init(left: best[0], right: best[1], token: token))
        }
        return merges
    }

    /// Texts full of ties and overlapping runs ("aaaa"), from a tiny alphabet, with and without a
    /// split pattern: every merge is the reference's.
    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func theIncrementalTrainerMergesAsMinbpe(_ seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        func nextByte() -> Character {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Array("aab ba\né")[Int(state >> 33) % 8]
        }
        let text = String((0..<(300 * seed)).map { _ in nextByte() })
        for pattern in [BytePairTokenizer.Pattern.none, .gpt4] {
            let trained = try BytePairTokenizer.train(on: text, vocabularySize: 256 + 40, pattern: pattern)
            let chunks = BytePairTokenizer(pattern: pattern, merges: []).chunks(text).map { $0.utf8.map(Int.init) }
            #expect(trained.merges == Self.minbpeMerges(chunks, 40), "seed \(seed), pattern \(pattern)")
        }
    }

    @Test func saveAndLoadRoundTrip() throws {
        var t = try BytePairTokenizer.train(
            on: String(repeating: "hello world, hello tokens! ", count: 30), vocabularySize: 280, pattern: .gpt4)
        try t.register(["<|endoftext|>": 100_257])
        let text = t.modelText
        #expect(
            text.hasPrefix("minbpe v1\n" + BytePairTokenizer.Pattern.gpt4.expression + "\n1\n<|endoftext|> 100257\n"))
        let loaded = try BytePairTokenizer(modelText: text)
        #expect(loaded == t)
        #expect(loaded.encodeOrdinary("hello world") == t.encodeOrdinary("hello world"))
        #expect(t.vocabText.contains("[h][e] -> [he] "))
    }

    @Test func specialTokens() throws {
        var t = try BytePairTokenizer.train(on: "hello world", vocabularySize: 260, pattern: .gpt4)
        try t.register(["<|endoftext|>": 100_257])
        let text = "<|endoftext|>hello world<|endoftext|>"
        #expect(throws: TokenizerError.specialTokenInText("<|endoftext|>")) { try t.encode(text) }
        let ids = try t.encode(text, allowSpecial: true)
        #expect(ids.first == 100_257 && ids.last == 100_257)
        #expect(try t.decode(ids) == text)
        #expect(throws: TokenizerError.specialIdTaken("<|x|>", 10)) { try t.register(["<|x|>": 10]) }
        #expect(throws: TokenizerError.unknownToken(99_999)) { try t.decode([99_999]) }
    }

    @Test(arguments: [
        ("", "not a minbpe model file: line 1 is not 'minbpe v1'"),
        ("minbpe v1\n", "not a minbpe model file: it ends before its special tokens"),
        ("minbpe v1\n(?x)\n0\n", "not a minbpe model file: line 2's split pattern is none of GPT-2's, GPT-4's or none"),
        ("minbpe v1\n\nlots\n", "not a minbpe model file: line 3 is not the number of special tokens"),
        ("minbpe v1\n\n0\n97 97\n256 300\n", "not a minbpe model file: line 5 is not two earlier token ids")
    ])
    func aBrokenModelFileIsOneClearError(_ text: String, _ message: String) {
        #expect(throws: TokenizerError.self) { try BytePairTokenizer(modelText: text) }
        do { _ = try BytePairTokenizer(modelText: text) } catch { #expect(error.description == message) }
    }

    @Test func badSizes() {
        #expect(throws: TokenizerError.badVocabularySize(255, BytePairTokenizer.maximumVocabularySize)) {
            try BytePairTokenizer.train(on: "x", vocabularySize: 255, pattern: .none)
        }
        // Fewer merges than asked for when the text runs out of pairs.
        #expect((try? BytePairTokenizer.train(on: "ab", vocabularySize: 300, pattern: .none))?.merges.count == 1)
    }
}

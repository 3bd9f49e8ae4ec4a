// `tokenizer` at the prompt: train, encode, decode, view, merges, save, load, special, and one clear
// line for each mistake.
import Foundation
import Testing

@testable import Notebook

@Suite("The tokenizer command")
struct TokenizerCommandTests {
    static let corpus = try! temporaryFile("corpus.txt", "aaabdaaabac")

    @Test func trainEncodeDecodeViewAndMerges() {
        let (session, output) = makeSession()
        session.execute("tokenizer train \(Self.corpus) --vocab 259 --pattern none")
        #expect(
            output.take() == """
                trained on \(Self.corpus) (11 bytes): 259 tokens (256 bytes, 3 merges), split pattern none
                the text is 5 tokens: 2.20 bytes per token

                """)
        session.execute("tokenizer encode aaabdaaabac")
        #expect(output.take() == "258 100 258 97 99\n(5 tokens for 11 bytes)\n")  // Wikipedia's example
        session.execute("tokenizer decode 258 100")
        #expect(output.take() == "aaabd\n")
        session.execute("tokenizer view aaabdaaabac")
        #expect(output.take() == "|aaab|d|aaab|a|c|\n258 100 258 97 99\n(5 tokens for 11 bytes)\n")
        session.execute("tokenizer merges")
        #expect(output.take() == "256: [a] + [a] → [aa]\n257: [aa] + [a] → [aaa]\n258: [aaa] + [b] → [aaab]\n")
    }

    @Test func saveLoadAndSpecialTokens() throws {
        let (session, output) = makeSession()
        let prefix = try temporaryFile("saved", "")
        for line in [
            "tokenizer train \(Self.corpus) --vocab 259", "tokenizer special <|endoftext|>=100257",
            "tokenizer save \(prefix)", "reset", "tokenizer load \(prefix).model"
        ] {
            session.execute(line)
        }
        #expect(
            output.take().hasSuffix(
                "loaded \(prefix).model: 260 tokens (256 bytes, 3 merges, 1 special token), split pattern gpt4\n"))
        #expect(try String(contentsOfFile: prefix + ".vocab", encoding: .utf8).contains("[aa][a] -> [aaa] 257\n"))
        session.execute("tokenizer encode <|endoftext|>aaab --special")
        #expect(output.take().hasPrefix("100257 258\n"))
        session.execute("tokenizer decode 100257,258")
        #expect(output.take() == "<|endoftext|>aaab\n")
    }

    @Test(arguments: [
        (
            "tokenizer encode hi",
            "error: tokenizer: no tokenizer yet; tokenizer train FILE makes one (or tokenizer load FILE.model)"
        ),
        (
            "tokenizer train",
            "error: tokenizer: train needs the text file to train on, e.g. tokenizer train names.txt --vocab 512"
        ),
        ("tokenizer train /nonexistent.txt", "error: tokenizer: cannot read /nonexistent.txt: "),
        (
            "tokenizer train CORPUS --vocab 100",
            "error: tokenizer: the vocabulary size must be from 256 (the bytes) to 1048576, not 100"
        ),
        ("tokenizer load x.txt", "error: tokenizer: load reads a .model file, not x.txt"),
        ("tokenizer frobnicate", "error: tokenizer: 'frobnicate' is not a valid action")
    ])
    func mistakesAreOneLine(_ line: String, _ message: String) {
        let text = lastOutput([line.replacingOccurrences(of: "CORPUS", with: Self.corpus)])
        #expect(text.hasPrefix(message), "\(text)")
        #expect(text.split(separator: "\n").count == 1)
    }

    @Test func aBrokenModelFileOrABinaryFileIsOneLine() throws {
        let broken = try temporaryFile("broken.model", "minbpe v1\n\n0\n97 97\n256 999\n")
        #expect(
            lastOutput(["tokenizer load \(broken)"])
                == "error: tokenizer: cannot load \(broken): not a minbpe model file: line 5 is not two earlier token ids\n"
        )
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-\(UUID().uuidString).bin")
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: binary)
        #expect(
            lastOutput(["tokenizer train \(binary.path)"]).hasPrefix(
                "error: tokenizer: cannot read \(binary.path): it is not UTF-8 text"))
        session(
            decodes: ["tokenizer decode 12 x"],
            "error: tokenizer: 'x' is not a token id; give whole numbers, e.g. tokenizer decode 104 105")
    }

    private func session(decodes lines: [String], _ message: String) {
        let text = lastOutput(["tokenizer train \(Self.corpus) --vocab 257"] + lines)
        #expect(text == message + "\n")
    }
}

// "Let's build GPT" as commands: load --text, the gpt-bigram and gpt models, fit's estimate_loss rows,
// sample --prompt --tokens, figure attention, checkpoints of text models, and every bad input. The
// estimates and characters are PyTorch 2.13's for the same runs on the lectures' names read as one
// text (the cells of bigram.py and gpt.py at these sizes, torch.manual_seed(1337)).
import Foundation
import TestSupport
import Testing

@testable import Makemore
@testable import Notebook

@Suite("Text models: Let's build GPT")
struct TextModelTests {
    static let names = Reference.lectureNames.path
    static let smallGPT = "model gpt --block-size 8 --embedding 16 --heads 2 --layers 2 --dropout 0"

    /// The output lines that start with `prefix`.
    static func lines(_ text: String, starting prefix: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map(String.init)
    }

    @Test func loadTextReadsTheWholeFileAsOneStream() {
        let output = lastOutput(["load --text \(Self.names)"])
        #expect(
            output == """
                \(Self.names) as one text: 228,145 characters, starting 'emma\\nolivia\\nava\\nisabella\\nsophia\\ncharlott'…
                vocabulary: 27 characters: \\na-z (stoi: '\\n' 0, 'a' 1, …, 'z' 26)
                train: the first 205,330 characters (90%), val: the last 22,815

                """)  // Python: len(text) 228145, n = int(0.9*len(data)) 205330
    }

    /// gpt.py's model at a small size: its parameter count, the three estimates and the 40 characters
    /// generated after a newline are PyTorch's.
    @Test func gptTrainsAndWritesAsPyTorch() {
        let (session, output) = makeSession()
        for line in ["seed 1337", "load --text \(Self.names)", Self.smallGPT] { session.execute(line) }
        #expect(output.take().contains("GPT(2 layers × 2 heads, 16 channels, block 8 → 27), 7,515 parameters"))
        #expect(session.execute("fit --steps 25 --every 12 --eval-iters 5 --batch 4 --lr 1e-3"))
        #expect(
            Self.lines(output.take(), starting: "step ") == [
                "step 0: train loss 3.2866, val loss 3.2934",
                "step 12: train loss 3.1661, val loss 3.1914",
                "step 24: train loss 3.0657, val loss 3.1109"
            ])
        #expect(session.execute("sample --tokens 40"))
        #expect(output.take() == "\npncavuqe\nqwicutnnmfwbahjwdnhyrqrrkohyr\nw\n")
    }

    /// bigram.py's model with its own settings (batch 32, block 8, AdamW at 1e-2), 100 steps.
    @Test func gptBigramTrainsAndWritesAsPyTorch() {
        let (session, output) = makeSession()
        for line in ["seed 1337", "load --text \(Self.names)", "model gpt-bigram"] { session.execute(line) }
        #expect(output.take().contains("GPT bigram (27 × 27 table), 729 parameters"))
        #expect(session.execute("fit --steps 100 --every 50 --eval-iters 10"))
        let fit = output.take()
        #expect(fit.contains("32, adamw (betas 0.9, 0.999; weight decay 0.01), lr constant(0.01)"), "\(fit)")
        #expect(
            Self.lines(fit, starting: "step ") == [
                "step 0: train loss 3.8267, val loss 3.8473",
                "step 50: train loss 3.3794, val loss 3.4282",
                "step 99: train loss 3.0673, val loss 3.1329"
            ])
        #expect(session.execute("sample --tokens 60"))
        #expect(output.take() == "\nuphjrb\nrgwh\nphzaf\nopeekpyt\nfuntaweiggs\nsaazjrypidarvqjuduzb\n")
    }

    /// Dropout in training mode: the estimates before the first step (eval mode) are the ones without
    /// it, the steps differ, and a checkpoint carries the mask generator, so that training goes on from
    /// a loaded model exactly as from the one saved.
    @Test func dropoutActsOnlyInTrainingAndACheckpointKeepsItsMasks() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-\(UUID()).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        func setup(_ dropout: String) -> [String] {
            [
                "seed 1337", "load --text \(Self.names)",
                "model gpt --block-size 8 --embedding 16 --heads 2 --layers 2 --dropout \(dropout)"
            ]
        }
        let fit = "fit --steps 12 --every 6 --eval-iters 3 --batch 4 --lr 1e-3"
        let with = Self.lines(transcript(setup("0.2") + [fit]), starting: "step ")
        let without = Self.lines(transcript(setup("0") + [fit]), starting: "step ")
        #expect(with.count == 3 && without.count == 3)
        #expect(with[0] == without[0], "eval mode: no dropout before the first step")
        #expect(with[1] != without[1], "training steps drop out")

        let more = "fit --steps 3 --every 1 --eval-iters 2 --batch 4 --lr 1e-3"
        let (saved, savedOutput) = makeSession()
        for line in setup("0.2") + [fit, "checkpoint save \(file)"] { saved.execute(line) }
        _ = savedOutput.take()
        saved.execute(more)
        let goingOn = Self.lines(savedOutput.take(), starting: "step ")
        let (loaded, loadedOutput) = makeSession()
        for line in ["load --text \(Self.names)", "checkpoint load \(file)"] { loaded.execute(line) }
        _ = loadedOutput.take()
        loaded.execute(more)
        #expect(goingOn.count == 3)
        #expect(Self.lines(loadedOutput.take(), starting: "step ") == goingOn)
    }

    /// At a terminal, fit on a text model draws the live view (progress, the loss curve with the val
    /// estimates, a line of text written now) and prints the same rows as with --no-live.
    @Test func fitOnATextDrawsALiveViewThatChangesNothing() {
        func run(_ live: Bool) -> (rows: [String], frames: [[String]]) {
            let output = FrameCapturingOutput()
            let session = Session(output: output, style: .plain)
            session.isInteractive = true
            for line in ["seed 1337", "load --text \(Self.names)", "model gpt-bigram"] { session.execute(line) }
            session.execute("fit --steps 3000 --every 1000 --eval-iters 5" + (live ? "" : " --no-live"))
            return (Self.lines(output.text, starting: "step "), output.frames.compactMap { $0 })
        }
        let (rows, frames) = run(true)
        #expect(rows.count == 4 && rows == run(false).rows)
        #expect(!frames.isEmpty)
        #expect(frames.allSatisfy { $0.last?.hasPrefix("text now: ") == true }, "\(frames.last ?? [])")
    }

    @Test func figureAttentionShowsEachBlockAndHead() {
        let output = lastOutput(["seed 1337", "load --text \(Self.names)", Self.smallGPT, "figure attention 'ann\\nav'"]
        )
        #expect(
            output.hasPrefix(
                "attention while reading 'ann\\nav': 2 blocks × 2 heads; row: the position reading, column: the position read"
            ), "\(output)")
        #expect(output.contains(" ↵ "), "the newline is labelled ↵: \(output)")
        // The first position reads only itself.
        #expect(output.contains(" a ██"), "\(output)")
    }

    @Test func streamsOfATextAreGetBatchesRuns() throws {
        let corpus = try TextCorpus(text: "hello\r\nworld\rok", source: "t")
        #expect(corpus.vocabulary.itos == ["\n", "d", "e", "h", "k", "l", "o", "r", "w"])  // sorted(set(text))
        #expect(corpus.tokens.count == 14, "\\r\\n and \\r read as \\n, as Python's text mode reads them")
        #expect(corpus.trainCount == 12)
        let windows = corpus.windows(.train, blockSize: 3)
        #expect(windows.count == 9)
        let (x, y) = windows.batch([0, 4])
        #expect(corpus.vocabulary.decode(x.values.map(Int.init)) == "helo\nw")
        #expect(corpus.vocabulary.decode(y.values.map(Int.init)) == "ell\nwo")
        #expect(x.shape == [2, 3] && y.shape == [2, 3])
    }

    @Test(arguments: [
        // (lines before, the line, its error)
        (
            [], "model gpt",
            "gpt learns from a text read as one stream of characters; load one first with load --text FILE"
        ),
        (
            ["load --text \(names)"], "model gpt-bigram --embedding 4",
            "gpt-bigram is one V × V table; leave out --embedding"
        ),
        (["load --text \(names)"], "model gpt --hidden 64", "gpt's feed-forward is 4 × --embedding wide"),
        (["load --text \(names)"], "model gpt --heads 3", "the embedding size 128 does not split into 3 heads"),
        (["load --text \(names)"], "model gpt --block-size 2000", "the block size must be from 1 to 1,024, not 2000"),
        (["load --text \(names)", smallGPT], "sample --prompt 'Ann'", "'A' in 'Ann' is not in the model's vocabulary"),
        (["load --text \(names)", smallGPT], "sample 5", "gpt writes text, not names; give its length with --tokens 5"),
        (["load --text \(names)", smallGPT], "sample --tokens 0", "--tokens must be from 1 to 1,000,000, not 0"),
        (["load --text \(names)", smallGPT], "fit --batch 0", "a text model draws --batch runs of the text"),
        (["load --text \(names)", smallGPT], "fit --eval-iters 0", "--eval-iters must be from 1 to 100,000, not 0"),
        (["load --text \(names)", smallGPT], "fit --keep-best", "--keep-best is for the names models"),
        (["load --text \(names)", smallGPT], "figure attention '\(String(repeating: "a", count: 9))'", "give 1 to 8"),
        (
            ["load --text \(names)", smallGPT], "eval test",
            "a text is split 90/10 into train and val, with no test part"
        ),
        (
            ["load \(names)", "model mlp"], "sample --prompt abc",
            "--prompt and --tokens are for the text models"
        ),
        (["load \(names)", "model mlp"], "fit --eval-iters 5", "--eval-iters is for the text models"),
        (
            ["load --text \(names)", "model gpt-bigram"], "figure attention ab",
            "attention is the transformer's and gpt's"
        )
    ])
    func badInputIsOneClearLine(_ before: [String], _ line: String, _ message: String) {
        let output = lastOutput(before + [line])
        #expect(output.hasPrefix("error: ") && output.contains(message), "\(output)")
        #expect(output.split(separator: "\n").count == 1, "one line: \(output)")
    }

    @Test func badTextFilesAreRefusedWithOneLine() throws {
        let binary = try temporaryFile("binary.bin", bytes: [0x68, 0x69, 0x00, 0x01])
        let latin1 = try temporaryFile("latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A])
        let empty = try temporaryFile("empty.txt", bytes: [])
        let cases = [
            (binary, "is not text: it has a zero byte at offset 2"),
            (latin1, "is not UTF-8 text: the bytes at offset 3 are not UTF-8"),
            (empty, "is empty: there is no text to learn from"),
            ("/no/such/file.txt", "no such file or folder"),
            (FileManager.default.temporaryDirectory.path, "it is a folder")
        ]
        for (file, message) in cases {
            let output = lastOutput(["load --text \(file)"])
            #expect(output.hasPrefix("error: load: ") && output.contains(message), "\(output)")
        }
        // Too many distinct characters for a character model.
        let scalars = (0x4E00..<(0x4E00 + 2_100)).compactMap(Unicode.Scalar.init).map(Character.init)
        let han = try temporaryFile("han.txt", String(scalars))
        #expect(lastOutput(["load --text \(han)"]).contains("uses 2,100 distinct characters, more than the 2,000"))
    }

    @Test func aValPartShorterThanTheBlockIsAnError() throws {
        let tiny = try temporaryFile("tiny.txt", "abcdefghijabcdefghij")  // 20 characters: val has 2
        let output = lastOutput(["load --text \(tiny)", "model gpt-bigram", "fit --steps 1"])
        #expect(
            output
                == "error: fit: the val part of \(tiny) has 2 characters, but a run of block size 8 needs 9; load a longer text, or make the model with a smaller --block-size\n"
        )
    }

    /// A checkpoint's plan may have batch 0 (every example), which means nothing for a text: eval then
    /// estimates on batches of 32, as before any fit.
    @Test func evalOfATextModelWithoutABatchSizeUsesTheDefault() {
        let (session, output) = makeSession()
        for line in ["seed 1", "load --text \(Self.names)", "model gpt-bigram"] { session.execute(line) }
        session.state.languageModels.trainer?.plan = TrainingPlan(
            steps: 10, batchSize: 0, schedule: .constant(0.01), evaluateEvery: nil)
        _ = output.take()
        #expect(session.execute("eval --eval-iters 2"))
        #expect(output.take().contains("2 random batches of 32 runs per part"))
    }

    @Test func aTextOfOneCharacterMakesNoModel() throws {
        let one = try temporaryFile("one.txt", "aaaaaaaaaaaaaaaaaaaa")
        #expect(
            lastOutput(["load --text \(one)", "model gpt-bigram"])
                == "error: model: the vocabulary has 1 character; a language model needs at least 2 to choose between (for names, '.' and a letter)\n"
        )
    }

    @Test func aCheckpointOfATextModelNeedsItsText() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gb-\(UUID()).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let other = try temporaryFile("other.txt", "the quick brown fox jumps over the lazy dog\n")
        let output = lastOutput([
            "load --text \(Self.names)", "model gpt-bigram", "checkpoint save \(file)", "load --text \(other)",
            "checkpoint load \(file)"
        ])
        #expect(output.contains("is not the loaded text's"), "\(output)")
        let fresh = lastOutput(["load --text \(Self.names)", "checkpoint load \(file)"])
        #expect(fresh.contains("GPT bigram (27 × 27 table), 729 parameters"), "\(fresh)")
    }
}

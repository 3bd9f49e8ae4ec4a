// The makemore parts 2–3 commands (split, model, fit, eval, sample, checkpoint) against their exact
// transcripts on twenty names, small enough to train in a debug build in a blink.
import Foundation
import TestSupport
import Testing

@testable import Makemore
@testable import Notebook
@testable import NotebookLanguage

@Suite("Language-model commands")
struct ModelCommandTests {
    static let names = try! temporaryFile(
        "names.txt",
        """
        emma\nolivia\nava\nisabella\nsophia\ncharlotte\nmia\namelia\nharper\nevelyn
        abigail\nemily\nelizabeth\nmila\nella\navery\nsofia\ncamila\naria\nscarlett\n
        """)
    /// Load, seed and a small MLP: the start of most tests.
    static let setup = ["load \(names)", "seed 1", "model mlp --block-size 2 --embedding 2 --hidden 8 --init kaiming"]

    @Test func splitShowsEachPart() {
        #expect(
            lastOutput(["load \(Self.names)", "split"]) == """
                split \(Self.names): 20 words split 16 / 2 / 2 (train / dev / test; python shuffle, seed 42)
                part   words  examples  first words
                ─────  ─────  ────────  ──────────────────────────────────
                train     16       106  'scarlett', 'charlotte', 'ella', …
                dev        2        14  'amelia', 'harper'
                test       2        14  'emma', 'isabella'

                """)  // Python: random.seed(42); random.shuffle(words) gives these words
        #expect(
            lastOutput(["load \(Self.names)", "split --shuffle torch --seed 7"]).hasPrefix(
                "split \(Self.names): 20 words split 16 / 2 / 2 (train / dev / test; torch shuffle, seed 7)"))
    }

    @Test func makemoreLayoutHasNoDevWordsAndFitAndEvalFollow() {
        #expect(
            lastOutput(["load \(Self.names)", "split --layout makemore"]).hasPrefix(
                """
                split \(Self.names): 20 words split 18 / 0 / 2 (train / dev / test; makemore's layout, torch shuffle, seed 3407)
                part   words  examples  first words
                """))
        let (session, output) = makeSession()
        for line in Self.setup + ["split --layout makemore"] { session.execute(line) }
        _ = output.take()
        #expect(session.execute("fit --steps 4 --batch 8 --every 2"))
        let fit = output.take()
        #expect(fit.contains("step     loss       lr\n") && !fit.contains("dev"), "no dev words, no dev column: \(fit)")
        #expect(fit.hasSuffix("after 4 steps; eval gives the train and test losses\n"), "\(fit)")
        #expect(session.execute("eval"))
        let eval = output.take().split(separator: "\n").map { $0.prefix(10) }
        #expect(eval.prefix(2) == ["train loss", "test loss "], "makemore's layout: eval gives train and test")
        #expect(session.execute("eval all") && output.take().split(separator: "\n").count == 3)
        #expect(!session.execute("eval dev"))
        #expect(
            output.take()
                == "error: eval: makemore's layout has no dev words (makemore watches its test loss); use the test split, or split --layout lecture for 80/10/10\n"
        )
        // Its own seed and shuffle can still be chosen.
        #expect(
            lastOutput(["load \(Self.names)", "split --layout makemore --seed 1 --shuffle python"]).hasPrefix(
                "split \(Self.names): 20 words split 18 / 0 / 2 (train / dev / test; makemore's layout, python shuffle, seed 1)"
            ))
    }

    @Test func calibrateShowsTheHeldOutLossBeforeAndAfter() {
        let bn = [
            "load \(Self.names)", "seed 1", "model bn-mlp --block-size 2 --embedding 2 --hidden 8",
            "fit --steps 20 --batch 8 --no-dev"
        ]
        for (layout, part) in [("lecture", "dev"), ("makemore", "test")] {
            let lines = lastOutput(Array(bn.prefix(3)) + ["split --layout \(layout)", bn[3], "calibrate"]).split(
                separator: "\n")
            #expect(
                lines.first
                    == "batch norm calibrated on the whole train split (\(layout == "lecture" ? 106 : 122) examples): 1 layer's running mean and variance"
            )
            #expect(lines.count == 2 && lines[1].hasPrefix("\(part) loss ") && lines[1].contains(" → "), "\(lines)")
        }
    }

    @Test func modelMakesTheCurrentModelFromTheSessionsGenerator() {
        #expect(
            lastOutput(Self.setup) == """
                MLP(2 × 2 → 8 → 20, kaiming init), 260 parameters, training mode
                  Embedding(20 × 2), 40 parameters
                  FlattenConsecutive(2)
                  Linear(4 → 8), 40 parameters
                  Tanh()
                  Linear(8 → 20), 180 parameters
                initial weights drawn from the session's generator; fit trains it, eval scores it, sample draws names

                """)
        let (session, _) = makeSession()
        for line in Self.setup { session.execute(line) }
        let first = session.state.languageModels.trainer?.model.parameters().map(\.scalars)
        session.execute("seed 1")
        session.execute(Self.setup[2])
        #expect(
            session.state.languageModels.trainer?.model.parameters().map(\.scalars) == first, "same seed, same weights")
    }

    @Test func fitPrintsTheLecturesRowsAndNoTimings() {
        #expect(
            lastOutput(Self.setup + ["fit --steps 40 --batch 8 --every 10"]) == """
                split \(Self.names): 20 words split 16 / 2 / 2 (train / dev / test; python shuffle, seed 42)
                training mlp (block 2, embedding 2, hidden 8, kaiming init) on 106 train examples: 40 steps, batch 8, sgd, lr stepwise(0.1, 0.01 from step 20)
                step     loss       lr  dev loss
                ────  ───────  ───────  ────────
                   0   3.0019   0.1000    3.0032
                  10   2.9799   0.1000    2.9036
                  20   2.8371   0.0100    2.7959
                  30   2.8328   0.0100    2.7866
                  39   2.9416   0.0100    2.7874
                after 40 steps: dev loss 2.7874 (whole splits); eval gives the train and test losses

                """)
    }

    @Test func noDevLeavesTheDevColumnOut() {
        #expect(
            lastOutput(Self.setup + ["split", "fit --steps 40 --batch 8 --every 20 --no-dev"]) == """
                training mlp (block 2, embedding 2, hidden 8, kaiming init) on 106 train examples: 40 steps, batch 8, sgd, lr stepwise(0.1, 0.01 from step 20)
                step     loss       lr
                ────  ───────  ───────
                   0   3.0019   0.1000
                  20   2.8371   0.0100
                  39   2.9416   0.0100
                after 40 steps; eval gives the train, dev and test losses

                """)
    }

    @Test func sameSeedSameTranscript() {
        let lines =
            Self.setup + [
                "model bn-mlp --block-size 2 --embedding 3 --hidden 6",
                "fit --steps 30 --batch 4 --every 10 --optimizer adam --lr 0.01",
                "eval all", "sample 3", "sample 2 --temperature 0.5"
            ]
        #expect(transcript(lines) == transcript(lines))
    }

    @Test func trainingBringsTheLossDown() throws {
        let (session, _) = makeSession()
        for line in Self.setup { session.execute(line) }
        #expect(session.execute("fit --steps 300 --batch 16 --lr 0.5 --every 300"))
        #expect(session.execute("eval train"))
        let history = try #require(session.state.languageModels.trainer?.history)
        let train = history.evaluations.filter { $0.split == .train }.map(\.loss)
        #expect(
            history.losses.count == 300 && train.count == 1 && train[0] < history.losses[0] - 0.3,
            "\(history.losses[0]) → \(train)")
    }

    @Test func evalScoresSplitsInEvalModeAndKeepsTheMode() {
        let (session, output) = makeSession()
        for line in Self.setup + [
            "model bn-mlp --block-size 2 --embedding 2 --hidden 4", "fit --steps 20 --batch 4 --every 20"
        ] { session.execute(line) }
        _ = output.take()
        session.execute("eval test dev val")
        #expect(
            output.take() == """
                test loss 2.8611 (14 examples)
                dev loss 2.8931 (14 examples)
                (whole splits, eval mode: batch norm's running statistics; 20 steps trained)

                """)
        #expect(session.state.languageModels.trainer?.model.training == true)
        session.execute("model --eval")
        #expect(output.take() == "bn-mlp is in eval mode: batch norm normalises with its running mean and variance\n")
        session.execute("model")
        #expect(output.take().hasPrefix("BatchNormMLP(2 × 2 → 4 → 20), 164 parameters, eval mode\n"))
    }

    @Test func sampleUsesTheCurrentModelOrTheCounts() {
        let neural = lastOutput(Self.setup + ["seed 3", "sample 4"])
        let counts = lastOutput(Self.setup + ["seed 3", "sample 4 --counts"])
        #expect(counts == lastOutput(["load \(Self.names)", "seed 3", "sample 4"]), "--counts is part 1's sample")
        #expect(neural != counts)
        #expect(
            neural.split(separator: "\n").count == 4 && neural.split(separator: "\n").allSatisfy { $0.hasSuffix(".") })
        let cold = lastOutput(Self.setup + ["seed 3", "sample 20 --counts --temperature 0.1"])
        #expect(Set(cold.split(separator: "\n")).count < 20, "at a low temperature the likeliest names repeat: \(cold)")
    }

    @Test func interruptedFitKeepsItsStepsAndResumes() {
        let (session, output) = makeSession()
        for line in Self.setup { session.execute(line) }
        Interrupt.$simulated.withValue(true) { session.execute("fit --steps 50 --batch 4") }
        #expect(
            output.text.contains(
                "interrupted (Ctrl-C) after 0 of 50 steps: the model keeps what it learned; fit --resume finishes the run"
            ))
        _ = output.take()
        session.execute("model")
        #expect(output.take().contains("a run stopped at step 0 of 50; fit --resume finishes it"))
        #expect(session.execute("fit --resume"))
        #expect(
            output.take().contains(
                "resuming mlp (block 2, embedding 2, hidden 8, kaiming init) on 106 train examples: steps 0 to 50, batch 4"
            ))
        #expect(session.state.languageModels.trainer?.stepsTaken == 50)
        #expect(!session.execute("fit --resume"))
        #expect(output.take() == "error: fit: there is no unfinished training to resume; give --steps to train\n")
    }

    @Test func checkpointSaveAndLoadRoundTrip() throws {
        let file = try temporaryFile("mlp.ckpt", "")
        let (session, output) = makeSession()
        for line in Self.setup + ["fit --steps 20 --batch 4 --every 20"] { session.execute(line) }
        _ = output.take()
        session.execute("checkpoint save \(file)")
        let size = try Data(contentsOf: URL(fileURLWithPath: file)).count
        #expect(output.take() == "saved mlp (260 parameters, 20 steps trained) to \(file): \(size.grouped) bytes\n")
        let weights = session.state.languageModels.trainer?.model.parameters().map(\.scalars)
        session.execute("seed 9")
        let names = { () -> String in
            session.execute("sample 3")
            return output.take()
        }()

        let (fresh, freshOutput) = makeSession()
        fresh.execute("checkpoint load \(file)")
        #expect(
            freshOutput.take() == """
                loaded \(file): 20 steps trained with sgd
                MLP(2 × 2 → 8 → 20, kaiming init), 260 parameters, training mode
                  Embedding(20 × 2), 40 parameters
                  FlattenConsecutive(2)
                  Linear(4 → 8), 40 parameters
                  Tanh()
                  Linear(8 → 20), 180 parameters

                """)
        #expect(fresh.state.languageModels.trainer?.model.parameters().map(\.scalars) == weights)
        fresh.execute("seed 9")
        fresh.execute("sample 3")
        #expect(freshOutput.take() == names, "a loaded model samples what the saved one did, with no dataset loaded")
    }

    /// A run that diverged (nan losses) still saves and loads: the header writes nan as a string.
    @Test func aDivergedRunSavesAndLoads() throws {
        let file = try temporaryFile("diverged.ckpt", "")
        let (session, output) = makeSession()
        for line in Self.setup + ["fit --steps 3 --batch 4 --every 1 --lr 1e30"] { session.execute(line) }
        #expect(output.take().contains("nan"))
        #expect(session.execute("checkpoint save \(file)"))
        let (fresh, freshOutput) = makeSession()
        #expect(fresh.execute("checkpoint load \(file)"))
        #expect(freshOutput.take().hasPrefix("loaded \(file): "))
    }

    @Test func aDeviceIsNotACheckpoint() {
        #expect(
            lastOutput(["checkpoint load /dev/zero"])
                == "error: checkpoint: cannot load /dev/zero: it cannot be read: it is a device, not a regular file\n")
    }

    @Test func trainingResumesFromACheckpointInAnotherSession() throws {
        let file = try temporaryFile("stopped.ckpt", "")
        let (session, _) = makeSession()
        for line in Self.setup { session.execute(line) }
        Interrupt.$simulated.withValue(true) { session.execute("fit --steps 30 --batch 4 --lr 0.05") }
        session.execute("checkpoint save \(file)")
        let (fresh, output) = makeSession()
        fresh.execute("load \(Self.names)")
        fresh.execute("checkpoint load \(file)")
        #expect(
            output.take().hasSuffix(
                "its run stopped at step 0 of 30; fit --resume finishes it, drawing the batches the whole run would have drawn\n"
            ))
        #expect(fresh.execute("fit --resume"))
        #expect(output.take().contains("lr constant(0.05)"))
        #expect(
            fresh.state.languageModels.trainer?.stepsTaken == 30
                && fresh.state.languageModels.trainer?.plan?.isFinished == true)
    }

    @Test func aBadCheckpointLeavesTheCurrentModelAlone() throws {
        let good = try temporaryFile("good.ckpt", "")
        let (session, output) = makeSession()
        for line in Self.setup { session.execute(line) }
        session.execute("checkpoint save \(good)")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        bytes[bytes.count / 2] ^= 0xFF
        let flipped = try temporaryFile("flipped.ckpt", bytes: bytes)
        let truncated = try temporaryFile("truncated.ckpt", bytes: Array(bytes.prefix(100)))
        let text = try temporaryFile("names.ckpt", "emma\nava\n")
        let empty = try temporaryFile("empty.ckpt", "")
        let trainer = session.state.languageModels.trainer
        _ = output.take()
        let cases = [
            (flipped, "the file is corrupted: its checksum is "),
            (truncated, "the file is truncated: it should have "),
            (text, "it is not a gradbook model checkpoint (it does not start with 'gradbook model')"),
            (empty, "the file is empty; it is not a checkpoint (was the save interrupted?)"),
            ("/nonexistent/x.ckpt", "no such file or folder; check the path (checkpoint save FILE writes one)")
        ]
        for (file, message) in cases {
            #expect(!session.execute("checkpoint load \(file)"))
            #expect(output.take().hasPrefix("error: checkpoint: cannot load \(file): \(message)"), "\(file)")
            #expect(session.state.languageModels.trainer === trainer)
        }
        // Another vocabulary: the checkpoint is whole, but does not fit the loaded names.
        session.execute("load \(BigramCommandTests.small)")
        _ = output.take()
        #expect(!session.execute("checkpoint load \(good)"))
        #expect(
            output.take()
                == "error: checkpoint: cannot load \(good): its model knows 20 characters: . a-ce-il-pr-tvyz but the loaded words use 5 characters: . aemv; load the names it was trained on first\n"
        )
        #expect(session.state.languageModels.trainer === trainer)
    }

    @Test(arguments: ["split", "model mlp", "fit", "eval"])
    func nothingLoadedSaysToLoadFirst(_ input: String) {
        let (session, output) = makeSession()
        #expect(!session.execute(input))
        let command = String(input.prefix { $0 != " " })
        let expected =
            ["fit", "eval"].contains(command)
            ? "error: \(command): no model yet; make one with model mlp (or bigram-nn, bn-mlp, wavenet, rnn, gru, lstm, bow, transformer), or checkpoint load FILE\n"
            : "error: \(command): no dataset loaded yet; type load (for names.txt) or load FILE first\n"
        #expect(output.text == expected)
    }

    @Test(arguments: [
        (
            "model mpl",
            "error: model: 'mpl' is not a valid kind; did you mean 'mlp'? (choose bigram-nn, mlp, bn-mlp, backprop-mlp, deep-bn, wavenet, rnn, gru, lstm, bow, transformer, gpt-bigram or gpt)"
        ),
        (
            "model gpt2",
            "error: model: 'gpt2' is not a valid kind; did you mean 'gpt'? (choose bigram-nn, mlp, bn-mlp, backprop-mlp, deep-bn, wavenet, rnn, gru, lstm, bow, transformer, gpt-bigram or gpt)"
        ),
        (
            "model transfomer",
            "error: model: 'transfomer' is not a valid kind; did you mean 'transformer'? (choose bigram-nn, mlp, bn-mlp, backprop-mlp, deep-bn, wavenet, rnn, gru, lstm, bow, transformer, gpt-bigram or gpt)"
        ),
        (
            "model wavenet --block-size 6",
            "error: model: wavenet fuses characters two by two, so its block size is a power of 2 (2, 4, 8, 16, …), not 6"
        ),
        (
            "model transformer --heads 5",
            "error: model: the embedding size 64 does not split into 5 heads of equal size; choose a number of heads that divides it"
        ),
        (
            "model transformer --hidden 100",
            "error: model: the transformer's MLP is 4 × --embedding wide; leave out --hidden"
        ),
        ("model transformer --layers 0", "error: model: the number of layers must be from 1 to 32, not 0"),
        ("model rnn --heads 2", "error: model: --heads is the transformer's; rnn has no heads"),
        ("model rnn --dropout 0.1", "error: model: --dropout is the transformer's; rnn has no dropout"),
        (
            "model transformer --dropout 1",
            "error: model: the dropout probability must be at least 0 and below 1 (nanoGPT's 0.1 or 0.2), not 1.0"
        ),
        ("model --dropout 0.1", "error: model: --dropout needs a kind to make, e.g. model mlp --dropout …"),
        (
            "model lstm --init kaiming",
            "error: model: --init is mlp's; lstm starts as its lecture or makemore.py does; leave out --init"
        ),
        ("model gru --block-size 100", "error: model: the block size must be from 1 to 64, not 100"),
        ("model mlp --block-size 0", "error: model: the block size must be from 1 to 64, not 0"),
        ("model mlp --hidden -5", "error: model: the hidden size must be from 1 to 8,192, not -5"),
        ("model bn-mlp --embedding 5000", "error: model: the embedding size must be from 1 to 1,024, not 5000"),
        (
            "model mlp --block-size 64 --embedding 1024 --hidden 8192",
            "error: model: that model would have 537,063,444 parameters, more than the 50,000,000 allowed; choose smaller sizes"
        ),
        ("model mlp --init xavier", "error: model: 'xavier' is not a valid --init (choose randn or kaiming)"),
        ("model bn-mlp --init randn", "error: model: bn-mlp always starts with Kaiming init; leave out --init"),
        ("model bigram-nn --hidden 10", "error: model: bigram-nn is one matrix W, with no hidden; leave out --hidden"),
        ("model mlp --regularization 0.1", "error: model: --regularization is bigram-nn's; mlp has none"),
        (
            "model bigram-nn --regularization -1",
            "error: model: the regularisation must be a number ≥ 0 (the lecture's 0.01), not -1.0"
        ),
        ("model --hidden 10", "error: model: --hidden needs a kind to make, e.g. model mlp --hidden …"),
        ("model mlp --eval", "error: model: a new model starts in training mode; switch with model --eval afterwards"),
        ("model --eval --train", "error: model: choose --eval or --train, not both"),
        ("fit --steps 0", "error: fit: --steps must be from 1 to 10,000,000, not 0"),
        ("fit --steps -3", "error: fit: --steps must be from 1 to 10,000,000, not -3"),
        ("fit --batch -1", "error: fit: --batch must be from 1 to 100,000, or 0 for every example, not -1"),
        ("fit --every 0", "error: fit: --every must be at least 1, not 0"),
        (
            "fit --steps lots",
            "error: fit: 'lots' is not a valid value for --steps (usage: fit <options>; see help fit)"
        ),
        (
            "fit --optimizer adma",
            "error: fit: 'adma' is not a valid --optimizer; did you mean 'adam'? (choose sgd, adam or adamw)"
        ),
        ("fit --optimizer adam --momentum 0.9", "error: fit: --momentum is SGD's; adam has betas instead"),
        ("fit --momentum 1.5", "error: fit: --momentum must be from 0 up to (not including) 1, not 1.5"),
        ("fit --weight-decay -1", "error: fit: --weight-decay must be 0 or more, not -1.0"),
        ("fit --resume", "error: fit: there is no unfinished training to resume; give --steps to train"),
        (
            "fit --resume --steps 10",
            "error: fit: --resume finishes the last run with its own settings; leave out --steps"
        ),
        (
            "eval dve",
            "error: eval: 'dve' is not a valid split; did you mean 'dev'? (choose train, dev, val, test or all)"
        ),
        ("sample --temperature 0", "error: sample: --temperature must be a number above 0 and at most 100, not 0.0"),
        (
            "sample --top-k 0",
            "error: sample: --top-k must be at least 1 (1 always takes the likeliest character), not 0"
        ),
        ("shapes --batch 0", "error: shapes: --batch must be from 1 to 1,024, not 0"),
        ("calibrate", "error: calibrate: mlp has no batch norm to calibrate; bn-mlp and wavenet have"),
        (
            "shapes --batch many",
            "error: shapes: 'many' is not a valid value for --batch (usage: shapes [--batch <batch>]; see help shapes)"
        ),
        (
            "checkpoint sav x.ckpt",
            "error: checkpoint: 'sav' is not a valid action; did you mean 'save'? (choose save or load)"
        ),
        (
            "checkpoint save /nonexistent/dir/x.ckpt",
            "error: checkpoint: cannot write /nonexistent/dir/x.ckpt: no such file or folder; check that the folder exists"
        ),
        ("split --shuffle numpy", "error: split: 'numpy' is not a valid --shuffle (choose python or torch)"),
        (
            "split --layout makemor",
            "error: split: 'makemor' is not a valid --layout; did you mean 'makemore'? (choose lecture, makemore or all)"
        )
    ])
    func mistakesAreOneLineAndChangeNothing(_ input: String, _ message: String) {
        let (session, output) = makeSession()
        for line in Self.setup { session.execute(line) }
        let trainer = session.state.languageModels.trainer
        let weights = trainer?.model.parameters().map(\.scalars)
        _ = output.take()
        #expect(!session.execute(input), "\(input)")
        #expect(output.text.split(separator: "\n").last.map(String.init) == message, "\(input)")
        #expect(session.state.languageModels.trainer === trainer && trainer?.stepsTaken == 0)
        #expect(trainer?.model.parameters().map(\.scalars) == weights)
    }

    @Test(arguments: [
        "model bn-mlp --block-size 2 --embedding 2 --hidden 4", "model wavenet --block-size 2 --embedding 2 --hidden 4"
    ])
    func batchNormNeedsTwoExamplesInABatch(_ model: String) {
        let advice =
            "batch norm needs at least 2 examples in a batch to measure their mean and variance; use --batch 2 or more (the lecture's 32)"
        for (command, name) in [
            ("fit --steps 3 --batch 1", "fit"), ("lr-find --batch 1", "lr-find"), ("shapes --batch 1", "shapes")
        ] {
            let (session, output) = makeSession()
            for line in ["load \(Self.names)", "seed 1", model] { session.execute(line) }
            _ = output.take()
            #expect(!session.execute(command))
            #expect(output.text.split(separator: "\n").last.map(String.init) == "error: \(name): " + advice)
            #expect(session.state.languageModels.trainer?.stepsTaken == 0)
        }
    }

    @Test func shapesTracesABatchThroughTheModel() {
        #expect(
            lastOutput([
                "load \(Self.names)", "seed 1", "model wavenet --block-size 2 --embedding 2 --hidden 4", "split",
                "shapes --batch 3"
            ]) == """
                wavenet (block 2, embedding 2, hidden 4) on 3 train examples, training mode:
                  input                                  (3, 2)
                  Embedding(20 × 2), 40 parameters       (3, 2, 2)
                  FlattenConsecutive(2)                  (3, 4)
                  Linear(4 → 4, no bias), 16 parameters  (3, 4)
                  BatchNorm1d(4), 8 parameters           (3, 4)
                  Tanh()                                 (3, 4)
                  Linear(4 → 20), 100 parameters         (3, 20)
                  logits                                 (3, 20)
                  loss                                   ()

                """)
    }

    @Test func wholeWordModelsFitTheLongestLoadedWord() {
        // 'elizabeth' and 'charlotte' have 9 characters: the block is 10, as makemore.py's max_word_length + 1.
        #expect(
            lastOutput(["load \(Self.names)", "seed 1", "model gru --embedding 3 --hidden 4", "model"]).hasPrefix(
                "GRU(10 × 3 → 4 → 20)"))
        #expect(
            lastOutput(["load \(Self.names)", "seed 1", "model lstm --block-size 12 --embedding 3 --hidden 4", "model"])
                .hasPrefix("LSTM(12 × 3 → 4 → 20)"))
        #expect(
            lastOutput([
                "load \(Self.names)", "seed 1", "model rnn --block-size 9 --embedding 3 --hidden 4", "fit --steps 1"
            ])
            .hasSuffix(
                "error: fit: 'charlotte' has 9 characters, but this model's block size 9 fits words of at most 8; make the model with --block-size 10 or more\n"
            ))
    }

    @Test func fitChecksTheModelFitsTheLoadedWords() {
        let lines = Self.setup + ["load \(BigramCommandTests.small)", "fit --steps 5"]
        #expect(
            lastOutput(lines).hasSuffix(
                "error: fit: the model knows 20 characters: . a-ce-il-pr-tvyz but the loaded words use 5 characters: . aemv; load the names it was made for, or make a new model\n"
            ))
    }

    @Test func resetForgetsTheModelAndTheSplit() {
        let (session, _) = makeSession()
        for line in Self.setup + ["split"] { session.execute(line) }
        session.execute("reset")
        #expect(session.state.languageModels.trainer == nil && session.state.languageModels.split == nil)
    }
}

/// fit as a user expects: a warning when the model overfits, --keep-best, and a table that stays
/// aligned whatever the learning rate.
@Suite("Training as a user expects")
struct FitExpectationsTests {
    static let overfitting = [
        "load \(ModelCommandTests.names)", "seed 1", "model mlp --block-size 3 --embedding 8 --hidden 64 --init kaiming"
    ]

    @Test func overfittingIsNamedAndKeepBestKeepsTheBestWeights() {
        let (session, output) = makeSession()
        for line in Self.overfitting { session.execute(line) }
        _ = output.take()
        session.execute("fit --steps 400 --batch 16 --every 40 --lr 0.3 --keep-best")
        let text = output.take()
        let warnings = text.split(separator: "\n").filter { $0.hasPrefix("warning: the model overfits") }
        #expect(warnings.count == 1, "\(text)")  // once, not at every row
        #expect(
            warnings.first?.contains("up from its best 3.0086 at step 0, while the train loss kept falling") == true)
        #expect(text.contains("--keep-best: the model has the weights of step 0, whose dev loss 3.0086 was the lowest"))
        session.execute("eval dev")
        #expect(output.take().hasPrefix("dev loss 3.0086 "))  // the kept weights, measured again
    }

    @Test func withoutKeepBestTheWarningSaysWhatToDo() {
        let text = lastOutput(Self.overfitting + ["fit --steps 400 --batch 16 --every 40 --lr 0.3"])
        #expect(text.contains("fit --keep-best would keep the best weights"))
        #expect(text.contains("after 400 steps: dev loss 4.6047"))
    }

    @Test func keepBestNeedsTheDevLoss() {
        #expect(
            lastOutput(Self.overfitting + ["fit --steps 4 --keep-best --no-dev"])
                == "error: fit: --keep-best picks by the dev loss, which --no-dev leaves out; drop one of them\n")
        #expect(
            lastOutput(Self.overfitting + ["split --layout makemore", "fit --steps 4 --keep-best"]).hasPrefix(
                "error: fit: --keep-best picks by the dev loss, but this split has no dev words"))
    }

    /// Every row of the table is as wide as its header, for tiny and huge learning rates alike.
    @Test(arguments: ["2.4672e-05", "1e-7@2=0.5", "12345.5"])
    func theTableStaysAligned(_ lr: String) {
        let text = lastOutput(Self.overfitting + ["fit --steps 4 --batch 4 --every 1 --no-dev --lr \(lr)"])
        let table = text.split(separator: "\n").dropFirst(text.hasPrefix("split") ? 2 : 1).prefix(6)
        #expect(Set(table.map(\.count)).count == 1, "\(text)")
    }
}

/// `sample` says which names the model has seen: marked one by one, or in makemore's three groups.
@Suite("Sampled names and the training words")
struct SampleMarkTests {
    @Test func namesInTheTrainingWordsAreMarked() {
        let text = lastOutput(
            FitExpectationsTests.overfitting + ["fit --steps 400 --batch 16 --lr 0.3 --no-dev", "sample 30"])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 30)
        let marked = lines.filter { $0.hasSuffix("  (in train)") }
        #expect(!marked.isEmpty, "\(text)")  // an overfit model on twenty names repeats them
        let train = Set([
            "emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper", "evelyn",
            "abigail", "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila", "aria", "scarlett"
        ])
        for line in marked { #expect(train.contains(String(line.dropLast("  (in train)".count + 1)))) }
        for line in lines where !line.contains("(in ") { #expect(!train.contains(String(line.dropLast()))) }
    }

    @Test func groupsAreMakemores() {
        let setup = FitExpectationsTests.overfitting + ["fit --steps 400 --batch 16 --lr 0.3 --no-dev"]
        let plain = lastOutput(setup + ["seed 5", "sample 20"]).split(separator: "\n")
        let grouped = lastOutput(setup + ["seed 5", "sample 20 --groups"]).split(separator: "\n")
        #expect(grouped.first == Substring(String(repeating: "-", count: 80)) && grouped.last == grouped.first)
        let inTrain = plain.filter { $0.hasSuffix("(in train)") }.map { String($0.prefix { $0 != "." }) }
        let header = grouped.firstIndex { $0.hasSuffix("in train:") }
        #expect(
            header.map { grouped[$0] }
                == "\(inTrain.count) sample\(inTrain.count == 1 ? " that is" : "s that are") in train:")
        #expect(grouped.contains { $0.hasSuffix("that are new:") || $0.hasSuffix("that is new:") })
        #expect(grouped.filter { !$0.hasSuffix(":") && !$0.hasPrefix("---") }.count == 20)
    }

    @Test func theCountBigramMarksTheNamesFile() {
        let text = lastOutput(["load \(ModelCommandTests.names)", "seed 3", "sample 200"])
        #expect(text.contains("  (in names.txt)\n"))
    }
}

/// `sample --explain`: under each name, what the model offered at each step.
@Suite("Explained samples")
struct ExplainedSampleTests {
    @Test func explainShowsEachStepAndDrawsTheSameNames() throws {
        let setup = ["load \(Reference.lectureNames.path)", "seed 2147483647"]
        let plain = lastOutput(setup + ["sample 3"]).split(separator: "\n")
        let explained = lastOutput(setup + ["sample 3 --explain"]).split(separator: "\n")
        let names = explained.filter { !$0.hasPrefix(" ") }
        #expect(names == plain)  // the same draws
        #expect(names.first == "mor.")
        // One step per character of each name, its '.' included; the lecture's first row P[.]:
        // a 0.138 is the likeliest first letter, and 'm' was drawn at 0.079.
        #expect(explained.count == names.count + names.map(\.count).reduce(0, +))
        #expect(explained[1] == "    . → m 0.079   a 0.138  k 0.092  [m 0.079]  j 0.076  s 0.064")
        #expect(explained[4].hasPrefix("    r → . 0.108 "))
    }
}

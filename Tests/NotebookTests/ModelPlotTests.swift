// `figure` and `lr-find` on a small trained model: the lecture's summary lines, a figure below them, an
// SVG on request, the same text every time, and the model untouched by looking at it.
import Foundation
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("Language-model plots")
struct ModelPlotTests {
    static let trained =
        ModelCommandTests.setup + [
            "model bn-mlp --block-size 2 --embedding 2 --hidden 8", "fit --steps 60 --batch 8 --every 60"
        ]

    @Test(arguments: ["loss", "embedding", "activations", "gradients", "weights", "saturation", "ratios", "lr"])
    func everyPlotDrawsAndIsTheSameEveryTime(_ what: String) {
        let output = lastOutput(Self.trained + ["figure \(what)"])
        #expect(output == lastOutput(Self.trained + ["figure \(what)"]))
        #expect(output.split(separator: "\n").count > 10, "\(output)")
        #expect(!output.contains("error"))
    }

    @Test func activationsPrintTheLecturesStatistics() {
        let lines = lastOutput(Self.trained + ["figure activations"]).split(separator: "\n")
        #expect(lines[0].hasPrefix("layer 4 (Tanh): mean ") && lines[0].contains(", std ") && lines[0].hasSuffix("%"))
        let gradients = lastOutput(Self.trained + ["figure gradients"]).split(separator: "\n")
        #expect(gradients[0].hasPrefix("layer 4 (Tanh): mean ") && gradients[0].contains("e-"))
        let weights = lastOutput(Self.trained + ["figure weights"]).split(separator: "\n")
        #expect(weights[0].hasPrefix("weight  ") && weights[0].hasSuffix("mean       std  grad:data"))
        let saturation = lastOutput(Self.trained + ["figure saturation"])
        #expect(
            saturation.hasPrefix("layer 4 (Tanh): ")
                && saturation.contains("neurons saturated for every example (dead)"))
    }

    @Test func lookingChangesNothing() {
        let (session, _) = makeSession()
        for line in Self.trained { session.execute(line) }
        let model = session.state.languageModels.trainer!.model
        let before = (model.parameters().map(\.scalars), model.buffers().map(\.scalars))
        for what in ["activations", "gradients", "weights", "saturation"] { session.execute("figure \(what)") }
        session.execute("lr-find --steps 50")
        #expect(model.parameters().map(\.scalars) == before.0 && model.buffers().map(\.scalars) == before.1)
        #expect(session.state.languageModels.trainer?.stepsTaken == 60)
    }

    @Test func svgIsWrittenBesideTheTextFigure() throws {
        let file = try temporaryFile("loss.svg", "")
        let output = lastOutput(Self.trained + ["figure loss --svg \(file)"])
        #expect(output.hasSuffix("wrote \(file): the loss figure, 640×400 px\n"))
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("<svg"))
    }

    @Test func lrFindSuggestsAndPlots() {
        let output = lastOutput(Self.trained + ["lr-find --steps 100"])
        let lines = output.split(separator: "\n")
        #expect(
            lines[0]
                == "lr range test(10^-3 → 10^0 over 100 steps) on bn-mlp, batch 32, plain SGD (the model's optimizer, fresh); the model's weights were put back"
        )
        #expect(
            lines[1].hasPrefix("the smoothed loss is lowest at lr ")
                && lines[2].hasPrefix("suggested lr (fastai's lr_find): "))
        #expect(output.contains("loss against learning rate"))
    }

    /// A whole-word model sweeps with its own optimizer, AdamW, over AdamW's range.
    @Test func lrFindSweepsWithTheModelsOwnOptimizer() {
        let output = lastOutput([
            ModelCommandTests.setup[0], "seed 1", "model bow --block-size 12 --embedding 4", "split",
            "lr-find --steps 20 --batch 4"
        ])
        #expect(
            output.hasPrefix(
                "lr range test(10^-5 → 10^-1 over 20 steps) on bow, batch 4, adamw (betas 0.9, 0.99; weight decay 0.01) (the model's optimizer, fresh)"
            ), "\(output)")
    }

    /// Ctrl-C during the sweep says what was measured, and the model is as it was.
    @Test func lrFindStoppedByCtrlCSaysWhatWasMeasured() {
        let (session, output) = makeSession()
        for line in Self.trained { session.execute(line) }
        _ = output.take()
        Interrupt.$simulated.withValue(true) { session.execute("lr-find --steps 100") }
        #expect(
            output.text.contains("\nstopped by Ctrl-C before the first step: nothing was measured\n"), "\(output.text)")
        #expect(output.text.contains("no suggestion"))
    }

    @Test(arguments: [
        (
            "figure los",
            "error: figure: 'los' is not a valid figure; did you mean 'loss'? (choose loss, embedding, activations, gradients, weights, saturation, ratios, lr or attention)"
        ),
        ("figure loss", "error: figure: loss needs training first; fit trains the model"),
        ("figure ratios", "error: figure: ratios needs training first; fit trains the model"),
        ("figure loss --every 0", "error: figure: --every must be at least 1, not 0"),
        ("lr-find --steps 5", "error: lr-find: --steps must be from 10 to 100,000, not 5"),
        (
            "lr-find --from 0 --to -3",
            "error: lr-find: --from and --to are powers of ten from -10 to 3 with --from below --to (the lecture's -3 and 0), not 0.0 and -3.0"
        ),
        ("lr-find --batch 0", "error: lr-find: --batch must be from 1 to 100,000, not 0")
    ])
    func mistakesAreOneLine(_ input: String, _ message: String) {
        #expect(lastOutput(ModelCommandTests.setup + [input]) == message + "\n")
    }

    /// The recurrent models show their hidden states and the transformer its GELU activations and
    /// how sharp its attention is; their weights work as every model's do.
    @Test func recurrentAndTransformerModelsHaveTheirOwnLooks() {
        let gru =
            ModelCommandTests.setup + [
                "model gru --embedding 8 --hidden 8 --block-size 10", "fit --steps 5 --no-dev --every 5 --batch 4"
            ]
        #expect(lastOutput(gru + ["figure activations"]).hasPrefix("GRU hidden states: mean "))
        #expect(lastOutput(gru + ["figure saturation"]).hasPrefix("GRU hidden states: "))
        #expect(lastOutput(gru + ["figure gradients"]).hasPrefix("GRU hidden states: mean "))
        #expect(lastOutput(gru + ["figure weights"]).hasPrefix("weight "))
        let transformer =
            ModelCommandTests.setup + [
                "model transformer --layers 2 --heads 2 --embedding 8 --block-size 10",
                "fit --steps 5 --no-dev --every 5 --batch 4"
            ]
        let activations = lastOutput(transformer + ["figure activations"]).split(separator: "\n")
        #expect(
            activations.prefix(2).map { $0.prefix(27) } == [
                "block 0 MLP (GELU): mean +0", "block 1 MLP (GELU): mean +0"
            ])
        #expect(!activations[0].contains("saturated"))  // GELU does not saturate
        let saturation = lastOutput(transformer + ["figure saturation"]).split(separator: "\n")
        #expect(saturation[0].hasPrefix("attention entropy on the last batch"))
        #expect(saturation[1].hasPrefix("layer 1: head 1 0.") && saturation[2].hasPrefix("layer 2: head 1 0."))
    }

    @Test func modelsWithoutLayersSaySo() {
        let bigram = ModelCommandTests.setup + ["model bigram-nn"]
        #expect(
            lastOutput(bigram + ["figure embedding"])
                == "error: figure: bigram-nn has no embedding table; every other model has one\n")
        #expect(
            lastOutput(bigram + ["figure activations"]).hasSuffix(
                "error: figure: bigram-nn is one matrix, with no layer to look inside; figure weights, loss, embedding and ratios work for it\n"
            ))
        #expect(lastOutput(bigram + ["figure weights"]).hasSuffix("─── W (20, 20)\n"))  // its one matrix
        #expect(
            lastOutput(["figure loss"])
                == "error: figure: no model yet; make one with model mlp (or bigram-nn, bn-mlp, wavenet, rnn, gru, lstm, bow, transformer), or checkpoint load FILE\n"
        )
    }
}

/// `figure attention WORD`: one labelled matrix per layer and head.
@Suite("The attention figure")
struct AttentionFigureTests {
    static let setup = [
        "load \(ModelCommandTests.names)", "seed 1",
        "model transformer --layers 2 --heads 2 --embedding 8 --block-size 12"
    ]

    @Test func oneMatrixPerLayerAndHeadLabelledWithTheWord() {
        let text = lastOutput(Self.setup + ["figure attention emma"])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("attention while reading '.emma': 2 layers × 2 heads"))
        #expect(lines[1] == "layer 1 head 1   layer 1 head 2   layer 2 head 1   layer 2 head 2")
        #expect(lines[2].hasPrefix("   . e m m a"))
        #expect(lines[3].hasPrefix(" . ██"))  // the first position can only read itself
        #expect(lines.count == 1 + 2 + 5 + 1)  // the heading, titles, characters, five rows, and the final newline
    }

    @Test(arguments: [
        ("figure attention", "error: figure: attention needs a word to read, e.g. figure attention emma"),
        ("figure loss emma", "error: figure: 'emma': only figure attention takes a word"),
        ("figure attention emma!", "error: figure: "),
        (
            "figure attention emmaemmaemma",
            "error: figure: 'emmaemmaemma' has 12 characters; the model reads at most 11 after its '.'"
        )
    ])
    func mistakes(_ line: String, _ message: String) {
        #expect(lastOutput(Self.setup + [line]).hasPrefix(message))
    }

    @Test func otherModelsHaveNoAttention() {
        #expect(
            lastOutput(ModelCommandTests.setup + ["figure attention emma"])
                == "error: figure: attention is the transformer's and gpt's; mlp has none (model transformer or model gpt makes one)\n"
        )
    }
}

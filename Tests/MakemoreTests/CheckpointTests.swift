// Checkpoints: a trained model, its optimizer state and its history come back exactly, and every way
// a file can be wrong — empty, missing, a folder, truncated anywhere, a flipped byte anywhere, another
// version, another format, extra bytes, another vocabulary — is a typed error.
import Engine
import Foundation
import Testing

@testable import Makemore

@Suite("Checkpoints")
struct CheckpointTests {
    /// A small batch-norm MLP trained a few steps with AdamW (so every kind of state is there), stopped
    /// half way through its run.
    static func trained() throws -> Trainer {
        let (trainer, data, g) = try TrainingTests.smallTrainer(
            .batchNormMLP(blockSize: 3, embeddingSize: 4, hiddenSize: 8))
        trainer.useOptimizer(OptimizerSettings(kind: .adamw))
        var plan = TrainingPlan(steps: 20, batchSize: 8, schedule: .stepwise(0.01, then: [10: 0.001]), evaluateEvery: 5)
        var calls = 0
        _ = trainer.run(
            &plan, schedule: try plan.validated(), data: data, dev: data, generator: g,
            shouldStop: {
                calls += 1
                return calls > 12
            })
        trainer.model.training = false
        return trainer
    }

    static let bytes: [UInt8] = {
        do { return [UInt8](Checkpoint.encode(try trained())) } catch { preconditionFailure("\(error)") }
    }()

    static func error(decoding bytes: [UInt8]) -> CheckpointError? {
        do {
            _ = try Checkpoint.decode(Data(bytes))
            return nil
        } catch { return error }
    }

    @Test func roundTripKeepsEverything() throws {
        let original = try Self.trained()
        let loaded = try Checkpoint.decode(Checkpoint.encode(original))
        #expect(loaded.model.configuration == original.model.configuration)
        #expect(loaded.model.vocabulary == original.model.vocabulary)
        #expect(loaded.model.parameters().map(\.scalars) == original.model.parameters().map(\.scalars))
        #expect(loaded.model.buffers().map(\.scalars) == original.model.buffers().map(\.scalars))
        #expect(loaded.model.training == false)
        #expect(loaded.optimizerSettings == original.optimizerSettings)
        #expect(loaded.optimizer.state == original.optimizer.state && loaded.optimizer.stepCount == 12)
        #expect(
            loaded.history.losses == original.history.losses
                && loaded.history.learningRates == original.history.learningRates)
        #expect(loaded.history.evaluations == original.history.evaluations)
        #expect(loaded.plan == original.plan && loaded.plan?.completed == 12)
        #expect(loaded.model.description == original.model.description)
        let (a, b) = (TorchGenerator(seed: 5), TorchGenerator(seed: 5))
        for _ in 0..<3 { #expect(try loaded.model.sample(using: a) == original.model.sample(using: b)) }
        #expect(Checkpoint.encode(loaded) == Checkpoint.encode(original), "saving is deterministic")
    }

    @Test func trainingResumesFromACheckpoint() throws {
        let loaded = try Checkpoint.decode(Data(Self.bytes))
        var plan = try #require(loaded.plan)
        let data = try ContextWindows(TrainingTests.words, vocabulary: loaded.model.vocabulary, blockSize: 3)
        #expect(
            loaded.run(&plan, schedule: try plan.validated(), data: data, dev: nil, generator: TorchGenerator())
                == .finished)
        #expect(loaded.stepsTaken == 20 && loaded.optimizer.stepCount == 20 && plan.isFinished)
        #expect(loaded.history.learningRates.suffix(10).allSatisfy { $0 == 0.001 })
    }

    @Test func everyModelKindRoundTrips() throws {
        for c in [
            ModelConfiguration.neuralBigram(regularization: 0.5),
            .mlp(blockSize: 2, embeddingSize: 3, hiddenSize: 5, initialization: .kaiming)
        ] {
            let (trainer, _, _) = try TrainingTests.smallTrainer(c)
            let loaded = try Checkpoint.decode(Checkpoint.encode(trainer))
            #expect(loaded.model.configuration == c)
            #expect(loaded.model.parameters().map(\.scalars) == trainer.model.parameters().map(\.scalars))
            #expect(loaded.stepsTaken == 0 && loaded.plan == nil)
        }
    }

    @Test func crc32IsZlibs() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func formatStartsWithMagicAndVersionAndEndsWithTheChecksum() {
        let b = Self.bytes
        #expect(Array(b.prefix(15)) == Array("gradbook model\n".utf8))
        #expect(Array(b[15..<19]) == [1, 0, 0, 0])
        let stored = b.suffix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        #expect(stored == CRC32.checksum(b.dropLast(4)))
    }

    @Test func emptyFile() { #expect(Self.error(decoding: []) == .empty) }

    @Test(arguments: [1, 10, 15, 19, 26, 27, 100, 1_000, -1, -4, -5])
    func truncatedAnywhere(_ cut: Int) {
        let length = cut > 0 ? cut : Self.bytes.count + cut
        guard case .truncated(let expected, let found)? = Self.error(decoding: Array(Self.bytes.prefix(length))) else {
            Issue.record(
                "cut at \(length): \(String(describing: Self.error(decoding: Array(Self.bytes.prefix(length)))))")
            return
        }
        #expect(found == length && expected > length)
    }

    @Test(arguments: [30, 200, 0.5, 0.9, -3])
    func flippedByteAnywhere(_ place: Double) {
        var b = Self.bytes
        let i = place < 0 ? b.count + Int(place) : place < 1 ? Int(place * Double(b.count)) : Int(place)
        b[i] ^= 0x10
        guard case .checksumMismatch? = Self.error(decoding: b) else {
            Issue.record("byte \(i): \(String(describing: Self.error(decoding: b)))")
            return
        }
    }

    @Test func unknownVersion() {
        var b = Self.bytes
        b[15] = 2
        #expect(Self.error(decoding: b) == .unsupportedVersion(2))
        #expect(
            CheckpointError.unsupportedVersion(2).description
                == "it is a version 2 checkpoint; this gradbook reads version 1 only (use the gradbook that saved it)")
    }

    @Test(arguments: ["PK\u{3}\u{4} a zip file", "name\nemma\nolivia\n", "gradbook session\n"])
    func wrongMagic(_ text: String) {
        #expect(Self.error(decoding: Array(text.utf8)) == .notACheckpoint)
    }

    @Test func extraBytesAtTheEnd() {
        #expect(Self.error(decoding: Self.bytes + [0, 0]) == .trailingBytes(2))
    }

    /// The checkpoint with its header edited by `edit` and the checksum made right again: a whole
    /// file that describes something impossible (as another tool, or a deliberate edit, might write).
    static func rewritten(_ edit: (String) -> String) -> [UInt8] {
        let b = bytes
        let headerLength = Int(b[19..<27].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) })
        let header = edit(String(decoding: b[27..<(27 + headerLength)], as: UTF8.self))
        var out = Array(b[..<19])
        Checkpoint.append(UInt64(header.utf8.count), to: &out)
        out += Array(header.utf8) + Array(b[(27 + headerLength)..<(b.count - 4)])
        Checkpoint.append(CRC32.checksum(out), to: &out)
        return out
    }

    @Test(arguments: [
        ("\"hiddenSize\":8", "\"hiddenSize\":9", "parameter 1 should have shape [12, 9]"),
        (
            "\"beta1\":0.9", "\"beta1\":1.5",
            "its optimizer settings: β₁ must be from 0 up to (not including) 1, not 1.5"
        ),
        (
            "\"weightDecay\":0.01", "\"weightDecay\":-1",
            "its optimizer settings: --weight-decay must be 0 or more, not -1.0"
        ),
        ("\"completed\":12", "\"completed\":99", "its training run has done 99 of 20 steps"),
        ("\"steps\":20", "\"steps\":0", "its training run: --steps must be from 1 to 10,000,000, not 0"),
        ("\"optimizerSteps\":12", "\"optimizerSteps\":-3", "optimizer state has step count -3; it must be 0 or more"),
        (
            "\"optimizerSteps\":12", "\"optimizerSteps\":9223372036854775807",
            "its optimizer has taken 9223372036854775807 steps, more than any training can"
        ),
        ("\"shape\":[20,4]", "\"shape\":[4611686018427387904,4]", "its arrays do not add up to the payload's"),
        (
            "\"vocabulary\":[\".\",", "\"vocabulary\":[\"..\",",
            "its vocabulary is not '.' followed by single characters"
        ),
        ("\"kind\":\"bn-mlp\"", "\"kind\":\"gpt-5\"", "its header is not the JSON this version writes"),
        (
            "\"kind\":\"bn-mlp\"", "\"kind\":\"wavenet\"",
            "its configuration does not make a model: wavenet fuses characters two by two"
        ),
        ("\"kind\":\"bn-mlp\"", "\"kind\":\"transformer\"", "parameter 1 should have shape [3, 4] for a transformer")
    ])
    func aWholeFileDescribingSomethingImpossibleIsMalformed(_ old: String, _ new: String, _ reason: String) {
        let header = String(decoding: Self.bytes[27...], as: UTF8.self)
        #expect(header.contains(old), "the header holds \(old)")
        guard
            case .malformed(let found)? = Self.error(
                decoding: Self.rewritten { $0.replacingOccurrences(of: old, with: new) })
        else {
            Issue.record(
                "\(new): \(String(describing: Self.error(decoding: Self.rewritten { $0.replacingOccurrences(of: old, with: new) })))"
            )
            return
        }
        #expect(found.contains(reason), "\(found)")
    }

    @Test func files() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gradbook-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.ckpt").path
        #expect(throws: CheckpointError.missing) { try Checkpoint.read(from: path) }
        #expect(throws: CheckpointError.isDirectory) { try Checkpoint.read(from: folder.path) }
        try Data(Self.bytes).write(to: URL(fileURLWithPath: path))
        #expect(try Checkpoint.read(from: path).stepsTaken == 12)
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: CheckpointError.empty) { try Checkpoint.read(from: path) }
    }

    @Test func vocabularyMismatch() throws {
        let model = try Checkpoint.decode(Data(Self.bytes)).model
        let other = NamesDataset(words: ["zoe", "xavier"])
        #expect(throws: CheckpointError.vocabularyMismatch(checkpoint: model.vocabulary, dataset: other.vocabulary)) {
            try Checkpoint.checkVocabulary(of: model, against: other)
        }
        try Checkpoint.checkVocabulary(of: model, against: TrainingTests.dataset)
    }
}

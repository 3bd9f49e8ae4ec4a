// A trained model in one file: its configuration, vocabulary, weights (and batch norm's running
// statistics), optimizer state, plan and loss history, so that a teacher can save a model and load it
// in class, and `fit --resume` carries on where training stopped.
//
// The format, version 1 (integers little-endian):
//
//     "gradbook model\n"      15 bytes, the magic
//     version                 u32 = 1
//     header length H         u64
//     header                  H bytes of JSON (UTF-8, sorted keys): configuration, vocabulary, mode,
//                             optimizer settings and step count, plan, evaluations, and the name and
//                             shape of every array below, in order
//     payload length P        u64
//     payload                 P bytes: the arrays' float32 values, row-major, one after another
//     checksum                u32: CRC-32 of every byte before it
//
// Arrays, in order: `parameter i` (the model's `parameters()`), `buffer i` (its `buffers()`),
// `optimizer NAME i` (each optimizer buffer, names sorted; an empty array when a buffer does not exist
// yet), `losses` and `learning rates` (one per step trained).
import Engine
import Foundation

/// Reading and writing checkpoints (see the format above).
package enum Checkpoint {
    package static let magic = Array("gradbook model\n".utf8)
    package static let version: UInt32 = 1
    /// The largest file `read` accepts: 1 GiB.
    package static let maximumSize = 1 << 30

    /// The JSON header.
    struct Header: Codable, Equatable {
        var configuration: ModelConfiguration
        /// The vocabulary's characters, index 0 ('.', or a text's first character) first.
        var vocabulary: [String]
        /// Training (true) or evaluation mode when saved.
        var training: Bool
        var optimizer: OptimizerSettings
        var optimizerSteps: Int
        var plan: TrainingPlan?
        var evaluations: [TrainingHistory.Evaluation]
        var arrays: [ArrayEntry]
        /// Where the generator that draws the minibatches stood (absent in files saved before it was).
        var generator: GeneratorState?
        /// Where the Transformer's dropout generator stood.
        var dropoutGenerator: GeneratorState?
    }

    /// One array of the payload.
    struct ArrayEntry: Codable, Equatable {
        var name: String
        var shape: [Int]
        /// The number of values, or nil when the shape is negative or too large to count.
        var count: Int? {
            var n = 1
            for size in shape {
                guard size >= 0 else { return nil }
                let (product, overflow) = n.multipliedReportingOverflow(by: size)
                guard !overflow else { return nil }
                n = product
            }
            return n
        }
    }

    /// The file's bytes for `trainer`'s model and everything training recorded, with where `generator`
    /// (the one that draws the minibatches) stands, so that a resumed run draws what the whole run would.
    package static func encode(_ trainer: Trainer, generator: TorchGenerator? = nil) -> Data {
        let model = trainer.model
        var arrays: [(ArrayEntry, [Float])] = []
        for (i, p) in model.parameters().enumerated() {
            arrays.append((ArrayEntry(name: "parameter \(i)", shape: p.shape), p.scalars))
        }
        for (i, b) in model.buffers().enumerated() {
            arrays.append((ArrayEntry(name: "buffer \(i)", shape: b.shape), b.scalars))
        }
        let state = trainer.optimizer.state
        for name in state.buffers.keys.sorted() {
            for (i, values) in (state.buffers[name] ?? []).enumerated() {
                arrays.append((ArrayEntry(name: "optimizer \(name) \(i)", shape: [values.count]), values))
            }
        }
        arrays.append((ArrayEntry(name: "losses", shape: [trainer.history.losses.count]), trainer.history.losses))
        arrays.append(
            (
                ArrayEntry(name: "learning rates", shape: [trainer.history.learningRates.count]),
                trainer.history.learningRates
            ))

        let header = Header(
            configuration: model.configuration, vocabulary: model.vocabulary.itos.map { String($0) },
            training: model.training, optimizer: trainer.optimizerSettings, optimizerSteps: state.stepCount,
            plan: trainer.plan, evaluations: trainer.history.evaluations, arrays: arrays.map(\.0),
            generator: generator?.state, dropoutGenerator: (model as? any DropoutModel)?.dropoutGenerator?.state)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A diverged run has nan or inf losses: written as strings, as JSON has no such numbers.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json: Data
        do { json = try encoder.encode(header) } catch {
            preconditionFailure("a checkpoint header always encodes: \(error)")
        }

        var bytes = magic
        append(version, to: &bytes)
        append(UInt64(json.count), to: &bytes)
        bytes += json
        append(UInt64(arrays.reduce(0) { $0 + $1.1.count } * 4), to: &bytes)
        for (_, values) in arrays {
            for v in values { append(v.bitPattern, to: &bytes) }
        }
        append(CRC32.checksum(bytes), to: &bytes)
        return Data(bytes)
    }

    /// Appends `value`'s bytes, least significant first.
    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

// Reading a checkpoint back, checking everything before building anything: the magic, the version,
// the length, the checksum, then that every array fits the model the configuration describes. Any
// failure is a `CheckpointError`; nothing outside this function changes until it returns a model.
import Engine
import Foundation
import SafeFiles

extension Checkpoint {
    /// The trainer (model, optimizer state, history, plan) saved in the file at `path`; `syntax` reads
    /// a schedule that an older file saved as text.
    package static func read(from path: String, syntax: ScheduleSyntax? = nil) throws(CheckpointError) -> Trainer {
        let data: Data
        do {
            data = Data(try SafeFile.read(path, limit: maximumSize))
        } catch {
            switch error {
            case .missing: throw .missing
            case .isFolder: throw .isDirectory
            case .tooLarge(let bytes, _): throw .tooLarge(bytes)
            default: throw .unreadable(error.description)
            }
        }
        return try decode(data, syntax: syntax)
    }

    /// The trainer saved in `data`.
    package static func decode(_ data: Data, syntax: ScheduleSyntax? = nil) throws(CheckpointError) -> Trainer {
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw .empty }
        let prefix = bytes.prefix(magic.count)
        guard prefix.elementsEqual(magic.prefix(prefix.count)) else { throw .notACheckpoint }
        var reader = ByteReader(bytes: bytes, offset: 0)
        let minimum = magic.count + 4 + 8
        guard bytes.count >= minimum else { throw .truncated(expected: minimum + 8 + 4, found: bytes.count) }
        reader.offset = magic.count
        let fileVersion = reader.read(UInt32.self)
        guard fileVersion == version else { throw .unsupportedVersion(fileVersion) }

        // The lengths say how long the file must be; check that before trusting anything else.
        let headerLength = reader.read(UInt64.self)
        guard headerLength <= UInt64(maximumSize), reader.offset + Int(headerLength) + 8 <= bytes.count else {
            throw .truncated(
                expected: reader.offset + Int(min(headerLength, UInt64(maximumSize))) + 8 + 4, found: bytes.count)
        }
        let headerBytes = reader.take(Int(headerLength))
        let payloadLength = reader.read(UInt64.self)
        guard payloadLength <= UInt64(maximumSize), payloadLength % 4 == 0 else {
            throw .malformed("the payload length \(payloadLength) is not a whole number of float32 values")
        }
        let expected = reader.offset + Int(payloadLength) + 4
        guard bytes.count >= expected else { throw .truncated(expected: expected, found: bytes.count) }
        guard bytes.count == expected else { throw .trailingBytes(bytes.count - expected) }
        let stored = ByteReader(bytes: bytes, offset: expected - 4).peek(UInt32.self)
        let computed = CRC32.checksum(bytes[..<(expected - 4)])
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }

        let header: Header
        let decoder = JSONDecoder()
        if let syntax { decoder.userInfo[.scheduleSyntax] = syntax }
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { header = try decoder.decode(Header.self, from: Data(headerBytes)) } catch {
            throw .malformed("its header is not the JSON this version writes")
        }
        var counts: [Int] = []
        var total = 0
        for entry in header.arrays {
            guard let n = entry.count, n <= Int(payloadLength) / 4 - total else {
                throw .malformed("its arrays do not add up to the payload's \(payloadLength) bytes")
            }
            counts.append(n)
            total += n
        }
        guard total * 4 == Int(payloadLength) else {
            throw .malformed("its arrays do not add up to the payload's \(payloadLength) bytes")
        }
        var arrays: [String: [Float]] = [:]
        for (entry, n) in zip(header.arrays, counts) {
            arrays[entry.name] = (0..<n).map { _ in Float(bitPattern: reader.read(UInt32.self)) }
        }
        return try build(header, arrays)
    }

    /// The trainer described by a checked header and its arrays.
    private static func build(_ header: Header, _ arrays: [String: [Float]]) throws(CheckpointError) -> Trainer {
        let vocabulary = try vocabulary(header.vocabulary, text: header.configuration.kind.readsText)
        let model: any LanguageModel
        do {
            // The initial draws are thrown away: they come from a private generator, so loading leaves the
            // session's random stream as it was.
            model = try header.configuration.make(vocabulary: vocabulary, generator: TorchGenerator(seed: 0))
        } catch {
            throw .malformed("its configuration does not make a model: \(error)")
        }
        let shapes = header.arrays.reduce(into: [String: [Int]]()) { $0[$1.name] = $1.shape }
        for (kind, tensors) in [("parameter", model.parameters()), ("buffer", model.buffers())] {
            for (i, t) in tensors.enumerated() {
                let name = "\(kind) \(i)"
                guard let values = arrays[name], shapes[name] == t.shape else {
                    throw .malformed("\(name) should have shape \(t.shape) for a \(header.configuration) model")
                }
                t.withUnsafeMutableBufferPointer { for j in $0.indices { $0[j] = values[j] } }
            }
        }
        model.training = header.training

        do { try header.optimizer.validate() } catch { throw .malformed("its optimizer settings: \(error)") }
        if let plan = header.plan {
            do { _ = try plan.validated() } catch { throw .malformed("its training run: \(error)") }
            guard (0...plan.steps).contains(plan.completed) else {
                throw .malformed("its training run has done \(plan.completed) of \(plan.steps) steps")
            }
        }
        // Runs of at most 10⁷ steps each: a count past 2⁴⁰ is damage, and Int.max would overflow at
        // the next step.
        guard header.optimizerSteps <= 1 << 40 else {
            throw .malformed("its optimizer has taken \(header.optimizerSteps) steps, more than any training can")
        }
        let trainer = Trainer(model: model, optimizer: header.optimizer)
        var buffers: [String: [[Float]]] = [:]
        for entry in header.arrays where entry.name.hasPrefix("optimizer ") {
            let words = entry.name.split(separator: " ")
            guard words.count == 3, let index = Int(words[2]) else {
                throw .malformed("'\(entry.name)' is not an optimizer array")
            }
            var list = buffers[String(words[1]), default: []]
            guard index == list.count else { throw .malformed("the optimizer arrays are out of order") }
            list.append(arrays[entry.name] ?? [])
            buffers[String(words[1])] = list
        }
        do {
            try trainer.restore(
                optimizer: header.optimizer, state: OptimizerState(stepCount: header.optimizerSteps, buffers: buffers))
        } catch {
            throw .malformed("\(error)")
        }
        let losses = arrays["losses"] ?? []
        let rates = arrays["learning rates"] ?? []
        guard losses.count == rates.count else {
            throw .malformed("it has \(losses.count) losses but \(rates.count) learning rates")
        }
        trainer.history.losses = losses
        trainer.history.learningRates = rates
        trainer.history.evaluations = header.evaluations
        trainer.plan = header.plan
        if let saved = header.dropoutGenerator {
            guard let dropout = (model as? any DropoutModel)?.dropoutGenerator, dropout.restore(saved) else {
                throw .malformed("its dropout generator's state is not one this model can take")
            }
        }
        if let saved = header.generator {
            guard TorchGenerator().restore(saved) else {
                throw .malformed("its generator's state is not a Mersenne Twister's")
            }
            trainer.savedGenerator = saved
        }
        return trainer
    }

    /// The vocabulary saved as its characters, checked to be one a dataset would make.
    private static func vocabulary(_ characters: [String], text: Bool) throws(CheckpointError) -> Vocabulary {
        if text {
            guard characters.allSatisfy({ $0.unicodeScalars.count == 1 }) else {
                throw .malformed("its vocabulary is not single characters")
            }
            let vocabulary = Vocabulary(textScalars: characters.map { $0.unicodeScalars.first! })
            guard vocabulary.itos.map({ String($0) }) == characters else {
                throw .malformed("its vocabulary is not sorted or has repeats")
            }
            return vocabulary
        }
        guard characters.allSatisfy({ $0.count == 1 }), characters.first == String(Vocabulary.boundary) else {
            throw .malformed("its vocabulary is not '.' followed by single characters")
        }
        let vocabulary = Vocabulary(characters: characters.compactMap(\.first))
        guard vocabulary.itos.map({ String($0) }) == characters else {
            throw .malformed("its vocabulary is not sorted or has repeats")
        }
        return vocabulary
    }

    /// Throws unless `model`'s vocabulary is the one `dataset` uses.
    package static func checkVocabulary(of model: any LanguageModel, against dataset: NamesDataset)
        throws(CheckpointError)
    {
        guard model.vocabulary == dataset.vocabulary else {
            throw .vocabularyMismatch(checkpoint: model.vocabulary, dataset: dataset.vocabulary)
        }
    }
}

/// Little-endian integers read from bytes whose length has been checked.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    func peek<T: FixedWidthInteger>(_ type: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
        return value
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type) -> T {
        defer { offset += MemoryLayout<T>.size }
        return peek(type)
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }
}

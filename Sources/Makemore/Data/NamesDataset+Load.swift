// Reading a names file: one word per line, whitespace trimmed, blank lines skipped, and a warning for
// anything a learner should know about (bytes that are not UTF-8, '.', uppercase, duplicates, …).
import Foundation
import SafeFiles

extension NamesDataset {
    /// The largest file `init(contentsOf:)` reads: 256 MiB (the lecture's names take 229 KB).
    package static let maximumFileSize = 256 << 20
    /// The most distinct characters (with '.') a dataset may use: every model keeps V × V numbers
    /// (the count matrix, the bigram's weights, `counts --map`), so 20,000 characters would need gigabytes.
    /// The lecture's names use 27; a names file in any script stays well below this.
    package static let maximumVocabulary = 2_000

    /// Reads the file at `path`: one word per line.
    ///
    /// - Parameter expected: the vocabulary words should fit (a model's), if any; words with other
    ///   characters are kept and reported.
    /// - Throws: ``DatasetError`` when the file is missing, a folder or device, too large, unreadable, or
    ///   has no words.
    package init(contentsOf path: String, expecting expected: Vocabulary? = nil) throws(DatasetError) {
        let data: Data
        do {
            data = Data(try SafeFile.read(path, limit: Self.maximumFileSize))
        } catch {
            switch error {
            case .missing: throw .missing(path: path)
            case .isFolder: throw .isDirectory(path: path)
            case .notRegularFile: throw .notRegularFile(path: path)
            case .tooLarge(let bytes, _): throw .tooLarge(path: path, bytes: bytes)
            default: throw .unreadable(path: path, reason: error.description)
            }
        }
        try self.init(data: data, source: path, expecting: expected)
    }

    /// Parses the bytes of a names file; `source` names it in messages.
    ///
    /// Lines end at `\n` (a `\r` before it is trimmed with the other whitespace); a UTF-8 byte-order
    /// mark at the start is ignored. Lines that are not UTF-8, blank, or contain '.' are skipped; every
    /// other trimmed line is a word, kept as it is.
    package init(data: Data, source: String, expecting expected: Vocabulary? = nil) throws(DatasetError) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }  // the newline ending the last line starts no new one

        var warnings = Dictionary(
            uniqueKeysWithValues: DatasetWarning.Kind.allCases.map {
                ($0, DatasetWarning(kind: $0, expected: $0 == .outsideVocabulary ? expected : nil))
            })
        var words: [String] = []
        var firstLine: [String: Int] = [:]
        for (offset, lineBytes) in lines.enumerated() {
            let line = offset + 1
            guard let text = String(validating: lineBytes, as: UTF8.self) else {
                let position = Self.firstInvalidUTF8Offset(lineBytes) ?? 0
                let byte = lineBytes[lineBytes.startIndex + position]
                warnings[.notUTF8]?.add(
                    line: line,
                    note: "byte 0x" + String(byte, radix: 16, uppercase: true)
                        + " at position \(position + 1) of the line")
                continue
            }
            let word = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let shown = word.quotedForDisplay
            if word.isEmpty {
                warnings[.blankLine]?.add(line: line, note: "")
                continue
            }
            if word.contains(Vocabulary.boundary) {
                warnings[.containsBoundary]?.add(line: line, note: shown)
                continue
            }
            if word.contains(where: \.isUppercase) { warnings[.uppercase]?.add(line: line, note: shown) }
            if word.unicodeScalars.contains(where: Self.isUnusual) {
                warnings[.unusualCharacters]?.add(line: line, note: shown)
            }
            if let expected {
                let unknown = expected.unknownCharacters(in: word)
                if !unknown.isEmpty {
                    warnings[.outsideVocabulary]?.add(
                        line: line,
                        note: shown + " (" + unknown.map { String($0).quotedForDisplay }.joined(separator: ", ") + ")")
                }
            }
            if let first = firstLine[word] {
                warnings[.duplicate]?.add(line: line, note: shown + ", also on line \(first)")
            } else {
                firstLine[word] = line
            }
            words.append(word)
        }
        guard !words.isEmpty else { throw .noWords(path: source) }
        var characters = Set<Character>()
        for word in words {
            characters.formUnion(word)
            if characters.count >= Self.maximumVocabulary {
                characters.formUnion(words.joined())
                throw .tooManyCharacters(path: source, count: characters.count + 1)
            }
        }
        self.init(
            words: words, warnings: warnings.values.filter { $0.count > 0 }.sorted { $0.kind < $1.kind }, source: source
        )
    }

    /// Whitespace or a control / invisible character inside a word.
    static func isUnusual(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil if all are valid.
    static func firstInvalidUTF8Offset(_ bytes: some Collection<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}

// A text read as one stream of characters, as "Let's build GPT" reads tiny Shakespeare:
//
//     with open('input.txt', 'r', encoding='utf-8') as f: text = f.read()
//     chars = sorted(list(set(text))); vocab_size = len(chars)
//     data = torch.tensor(encode(text), dtype=torch.long)
//     n = int(0.9*len(data)); train_data = data[:n]; val_data = data[n:]
//
// Any UTF-8 text works (the names file too, read whole). Line ends are read as Python's text mode
// reads them: "\r\n" and a lone "\r" become "\n".
import Foundation
import SafeFiles

/// The characters of a text, encoded with its vocabulary and cut 90/10 into train and val.
///
///     let corpus = try TextCorpus(contentsOf: "names.txt")
///     print(corpus)     // TextCorpus(names.txt: 228,145 characters, 27 characters: \n a-z; train 205,330 / val 22,815)
package struct TextCorpus: Sendable, CustomStringConvertible {
    /// Where the text came from.
    package let source: String
    /// Every code point of the text, sorted (no '.' token: ``Vocabulary/marksWords`` is false).
    package let vocabulary: Vocabulary
    /// The text encoded, `data`.                                                        // (N,)
    package let tokens: [Int32]
    /// n = int(0.9·N): the train part is `tokens[..<n]`, val the rest.
    package let trainCount: Int

    /// The largest text read: 64 MiB (tiny Shakespeare is 1.1 MB); its tokens take four bytes each.
    package static let maximumFileSize = 64 << 20
    /// The most distinct characters a text may use: the models keep V × C embeddings and a C × V head.
    package static let maximumVocabulary = 2_000

    /// The text given in code; `source` names it in messages.
    /// - Throws: ``TextCorpusError`` when it is empty or uses too many distinct characters.
    package init(text: String, source: String) throws(TextCorpusError) {
        let scalars = Array(Self.pythonLineEnds(text).unicodeScalars)
        guard !scalars.isEmpty else { throw .empty(path: source) }
        let distinct = Set(scalars)
        guard distinct.count <= Self.maximumVocabulary else {
            throw .tooManyCharacters(path: source, count: distinct.count)
        }
        let vocabulary = Vocabulary(textScalars: distinct)
        var index: [UInt32: Int32] = [:]
        for (i, c) in vocabulary.itos.enumerated() { index[c.unicodeScalars.first!.value] = Int32(i) }
        self.source = source
        self.vocabulary = vocabulary
        tokens = scalars.map { index[$0.value]! }
        trainCount = Int(0.9 * Double(scalars.count))
    }

    /// Reads the UTF-8 text at `path`.
    /// - Throws: ``TextCorpusError`` when the file is missing, a folder or device, too large, not UTF-8
    ///   text, empty, or uses too many distinct characters.
    package init(contentsOf path: String) throws(TextCorpusError) {
        let bytes: [UInt8]
        do {
            bytes = try SafeFile.read(path, limit: Self.maximumFileSize)
        } catch {
            switch error {
            case .missing: throw .missing(path: path)
            case .isFolder: throw .isDirectory(path: path)
            case .notRegularFile: throw .notRegularFile(path: path)
            case .tooLarge(let size, _): throw .tooLarge(path: path, bytes: size)
            default: throw .unreadable(path: path, reason: error.description)
            }
        }
        if let zero = bytes.firstIndex(of: 0) { throw .binary(path: path, offset: zero) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .notUTF8(path: path, offset: NamesDataset.firstInvalidUTF8Offset(bytes) ?? 0)
        }
        try self.init(text: text, source: path)
    }

    /// The train part (`train_data`) or the val part (`val_data`).
    package func part(_ split: Split) -> ArraySlice<Int32> {
        split == .train ? tokens[..<trainCount] : tokens[trainCount...]
    }

    /// The runs of `blockSize` characters of one part, as `get_batch` draws them.
    package func windows(_ split: Split, blockSize: Int) -> ContextWindows {
        ContextWindows(stream: Array(part(split)), blockSize: blockSize)
    }

    /// Python's text-mode reading: universal newlines.
    static func pythonLineEnds(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            if s == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if !(s == "\n" && previousCR) { scalars.append(s) }
            previousCR = false
        }
        return String(scalars)
    }

    /// `TextCorpus(names.txt: 228,145 characters, 27 characters: \n a-z; train 205,330 / val 22,815)`
    package var description: String {
        "TextCorpus(\(source): \(tokens.count.grouped) characters, \(vocabulary); train \(trainCount.grouped) / val \((tokens.count - trainCount).grouped))"
    }
}

/// A file that gives no text to learn from.
package enum TextCorpusError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case isDirectory(path: String)
    case notRegularFile(path: String)
    case tooLarge(path: String, bytes: Int)
    case unreadable(path: String, reason: String)
    /// A zero byte at `offset`: a binary file, not text.
    case binary(path: String, offset: Int)
    /// Bytes that are not UTF-8, the first at `offset`.
    case notUTF8(path: String, offset: Int)
    case empty(path: String)
    case tooManyCharacters(path: String, count: Int)

    package var description: String {
        switch self {
        case .missing(let path):
            "cannot read \(path): no such file or folder; check the path (names.txt is at the package root)"
        case .isDirectory(let path):
            "cannot read \(path): it is a folder; give the path of a UTF-8 text file"
        case .notRegularFile(let path):
            "cannot read \(path): it is not a regular file; give the path of a UTF-8 text file"
        case .tooLarge(let path, let bytes):
            "cannot read \(path): it has \(bytes.grouped) bytes, more than the \(TextCorpus.maximumFileSize.grouped) a text may have; use a part of it"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .binary(let path, let offset):
            "\(path) is not text: it has a zero byte at offset \(offset.grouped); load --text reads UTF-8 text files"
        case .notUTF8(let path, let offset):
            "\(path) is not UTF-8 text: the bytes at offset \(offset.grouped) are not UTF-8; convert it (iconv -t UTF-8) and load it again"
        case .empty(let path):
            "\(path) is empty: there is no text to learn from"
        case .tooManyCharacters(let path, let count):
            "\(path) uses \(count.grouped) distinct characters, more than the \(TextCorpus.maximumVocabulary.grouped) a character model may have; a tokenizer (tokenizer train) suits such text better"
        }
    }
}

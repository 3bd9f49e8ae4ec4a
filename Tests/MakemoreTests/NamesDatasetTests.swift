// Loading names files: every warning on a crafted bad file, the cap on a huge one, and the errors for
// files that give no dataset.
import Foundation
import Testing

@testable import Makemore

/// A fresh temporary folder for one test's files.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-makemore-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `bytes` to `name` in a fresh temporary folder and returns the path.
func writeTemporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let url = try temporaryFolder().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

@Suite("Names datasets")
struct NamesDatasetTests {
    /// One line of each problem: uppercase (2), a Latin-1 'é' (4), blank lines (3, 8), a character
    /// outside a-z (6), a duplicate (7), '.' inside a word (9), a tab inside a word (10).
    static let badFile: [UInt8] = Array(
        "emma\n  Olivia \n\nrenée\r\nava\nzoë\nemma\n   \nst.john\nann\tmarie\nmia".utf8
    )
    .latin1E()

    @Test func everyWarningOfACraftedBadFile() throws {
        let path = try writeTemporaryFile("bad.txt", Self.badFile)
        let data = try NamesDataset(contentsOf: path, expecting: Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz"))
        #expect(data.words == ["emma", "Olivia", "ava", "zoë", "emma", "ann\tmarie", "mia"])
        #expect(data.source == path)
        #expect(
            data.warnings.map(\.kind) == [
                .notUTF8, .containsBoundary, .blankLine, .uppercase, .unusualCharacters, .outsideVocabulary, .duplicate
            ])
        let byKind = Dictionary(uniqueKeysWithValues: data.warnings.map { ($0.kind, $0) })
        #expect(byKind[.notUTF8]?.examples == [.init(line: 4, note: "byte 0xE9 at position 4 of the line")])
        #expect(byKind[.containsBoundary]?.lines == [9])
        #expect(byKind[.blankLine]?.lines == [3, 8])
        #expect(byKind[.uppercase]?.examples == [.init(line: 2, note: "'Olivia'")])
        #expect(byKind[.unusualCharacters]?.examples == [.init(line: 10, note: "'ann\\tmarie'")])
        #expect(
            byKind[.outsideVocabulary]?.examples == [
                .init(line: 2, note: "'Olivia' ('O')"), .init(line: 6, note: "'zoë' ('ë')"),
                .init(line: 10, note: "'ann\\tmarie' ('\\t')")
            ])
        #expect(byKind[.duplicate]?.examples == [.init(line: 7, note: "'emma', also on line 1")])
        #expect(data.description == "NamesDataset(\(path): 7 words, 14 characters: . \\tOaeil-orvzë, 7 warnings)")
    }

    @Test func warningsPrintWhatWasFoundAndDone() throws {
        let data = try NamesDataset(data: Data(Self.badFile), source: "bad.txt")
        #expect(
            data.warnings.map(\.description) == [
                "1 line is not UTF-8 and was skipped; if the file is Latin-1, convert it: iconv -f latin1 -t utf-8 FILE\n  line 4: byte 0xE9 at position 4 of the line",
                "1 word containing '.' was skipped: '.' is the token that marks where every name starts and ends, so it cannot be a character inside one\n  line 9: 'st.john'",
                "2 blank lines were skipped\n  lines 3, 8",
                "1 word has uppercase letters, kept as typed: 'E' and 'e' are different characters to a model (lowercase the file if they should be one)\n  line 2: 'Olivia'",
                "1 word has spaces or control characters inside, kept: each becomes a character of the vocabulary\n  line 10: 'ann\\tmarie'",
                "1 repeated name kept (the first: line 7, 'emma', also on line 1): each copy counts, as in the lecture's data"
            ])
    }

    @Test func aHugeBadFileGivesASummary() throws {
        let lines = (1...20_000).map { "Name\($0 % 7 == 0 ? "" : "x")" }.joined(separator: "\n")
        let data = try NamesDataset(data: Data(lines.utf8), source: "huge.txt")
        let uppercase = try #require(data.warnings.first { $0.kind == .uppercase })
        #expect(uppercase.count == 20_000)
        #expect(uppercase.examples.count == DatasetWarning.exampleLimit)
        #expect(uppercase.details.last == "… and 19,995 more")
        let printed = data.warnings.flatMap { [$0.summary] + $0.details }
        #expect(printed.count <= 2 * (DatasetWarning.exampleLimit + 2))
    }

    @Test func byteOrderMarkAndWindowsLineEndings() throws {
        let data = try NamesDataset(data: Data([0xEF, 0xBB, 0xBF] + Array("emma\r\nava\r\n".utf8)), source: "bom.txt")
        #expect(data.words == ["emma", "ava"])
        #expect(data.warnings.isEmpty)
    }

    @Test func shortestLongestAndBigrams() {
        let data = NamesDataset(words: ["emma", "al", "christopher", "bo"])
        #expect(data.shortest == "al" && data.longest == "christopher")
        #expect(data.bigramCount == 5 + 3 + 12 + 3)
    }

    @Test func missingFileIsAnError() throws {
        let path = try temporaryFolder().appendingPathComponent("nope.txt").path
        #expect(throws: DatasetError.missing(path: path)) { try NamesDataset(contentsOf: path) }
        #expect(
            DatasetError.missing(path: "nope.txt").description
                == "cannot read nope.txt: no such file or folder; check the path (names.txt is at the package root)")
    }

    @Test func folderAndEmptyFileAreErrors() throws {
        let folder = try temporaryFolder().path
        #expect(throws: DatasetError.isDirectory(path: folder)) { try NamesDataset(contentsOf: folder) }
        let blank = try writeTemporaryFile("blank.txt", Array("\n  \n\n".utf8))
        #expect(throws: DatasetError.noWords(path: blank)) { try NamesDataset(contentsOf: blank) }
    }

    @Test func aDeviceIsNotReadForever() {
        #expect(throws: DatasetError.notRegularFile(path: "/dev/zero")) { try NamesDataset(contentsOf: "/dev/zero") }
    }

    @Test(.enabled(if: getuid() != 0, "root reads every file"))
    func unreadableFileIsAnError() throws {
        let path = try writeTemporaryFile("secret.txt", Array("emma\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        #expect(throws: DatasetError.unreadable(path: path, reason: "permission denied")) {
            try NamesDataset(contentsOf: path)
        }
    }
}

extension [UInt8] {
    /// These bytes with the UTF-8 'é' (C3 A9) written as Latin-1 (E9): a byte that is not UTF-8.
    func latin1E() -> [UInt8] {
        var out: [UInt8] = []
        var i = startIndex
        while i < endIndex {
            if self[i] == 0xC3, i + 1 < endIndex, self[i + 1] == 0xA9 {
                out.append(0xE9)
                i += 2
            } else {
                out.append(self[i])
                i += 1
            }
        }
        return out
    }
}

// Writing and reading the user's files: never through a special file, always through a link to its
// target, keeping mode, refusing read-only files, leaving no temporary behind; lessons with any line
// ends; recordings appended; checks of huge and cut-short outputs.
import Foundation
import SafeFiles
import Testing

@testable import Notebook

@Suite("File safety")
struct FileSafetyTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-files-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".gradbook-") }
    }

    /// `~` is the home folder in every path the notebook reads or writes, as in a shell; a relative
    /// path stays relative to the current folder.
    @Test func aTildeIsTheHomeFolder() throws {
        let home = try #require(ProcessInfo.processInfo.environment["HOME"])
        #expect(SafeFile.expandingTilde("~") == home)
        #expect(SafeFile.expandingTilde("~/names.txt") == home + "/names.txt")
        #expect(SafeFile.expandingTilde("~names.txt") == "~names.txt")
        #expect(SafeFile.expandingTilde("sessions/a.txt") == "sessions/a.txt")
        // Written and read back through `~`, relative to the home folder.
        let file = try temporaryFile("tilde.txt", "")
        guard file.hasPrefix(home + "/") else { return }  // the temporary folder is not under HOME here
        let typed = "~" + file.dropFirst(home.count)
        let (session, output) = makeSession()
        session.execute("a = Value(1.0); save \(typed)")
        #expect(output.take() == "saved 1 lines to \(typed)\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("a = Value(1.0)"))
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let target = folder + "/target.txt"
        let link = folder + "/link.txt"
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.txt")
        try SafeFile.write(Array("new\n".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.txt")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(try leftovers().isEmpty)
    }

    @Test func aFIFOIsNeitherReplacedNorWaitedOn() throws {
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileProblem.notRegularFile(kind: "FIFO (named pipe)")) { try SafeFile.write([1], to: fifo) }
        #expect(throws: FileProblem.notRegularFile(kind: "FIFO (named pipe)")) {
            _ = try SafeFile.read(fifo, limit: 10)
        }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(
            lastOutput(["run \(fifo)"])
                == "error: run: cannot read \(fifo): it is a FIFO (named pipe), not a regular file; check the path\n")
    }

    @Test func aDeviceIsNeverReplaced() {
        #expect(
            lastOutput(["a = Value(1.0)", "graph a --dot /dev/null"]).contains(
                "cannot write /dev/null: it is a device, not a regular file"))
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func modeIsKeptAndReadOnlyFilesAreRefused() throws {
        let file = folder + "/lesson.txt"
        try "a\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o640)
        try SafeFile.write(Array("b\n".utf8), to: file)
        var info = stat()
        #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o640)
        chmod(file, 0o444)
        #expect(throws: FileProblem.readOnly(mode: UInt32(S_IFREG) | 0o444)) { try SafeFile.write([], to: file) }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "b\n")
        #expect(try leftovers().isEmpty)
    }

    @Test func errorsHaveOneWordingEach() {
        #expect(lastOutput(["save "]).contains("error"))
        #expect(throws: FileProblem.emptyPath) { try SafeFile.write([], to: "") }
        #expect(
            lastOutput(["save /etc/passwd/x.txt"])
                == "error: save: cannot write /etc/passwd/x.txt: a part of the path is a file, not a folder\n")
        #expect(FileProblem.system(errno: ENOSPC).description == "disk full")
    }

    @Test func staleTemporariesOfDeadProcessesAreSwept() throws {
        let stale = folder + "/.out.txt.gradbook-999999999-abc123"
        try "partial".write(toFile: stale, atomically: false, encoding: .utf8)
        try SafeFile.write(Array("x".utf8), to: folder + "/out.txt")
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test(arguments: ["\r\n", "\r", "\n"])
    func lessonsWithAnyLineEndingsReadAndAcceptInKind(_ ending: String) throws {
        let file = folder + "/lesson.txt"
        let text = ["# sums", "1 + 1", "#> 3", "", "2 + 2", "#> 4"].joined(separator: ending) + ending
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let script = try SessionScript(contentsOf: file)
        #expect(script.entries.map(\.input) == ["1 + 1", "2 + 2"])
        let result = Session(output: CapturedOutput()).check(script)
        #expect(result.passed == 1 && result.failed == 1)
        try result.accept(into: script)
        #expect(
            try String(contentsOfFile: file, encoding: .utf8) == text.replacingOccurrences(of: "#> 3", with: "#> 2"))
    }

    @Test func aCheckStoppedByQuitReportsWhatItDidNotRun() throws {
        let script = try SessionScript(text: "1 + 1\n#> 2\nquit\n2 + 2\n#> 4\n3\n#> 3\n", path: "q.txt")
        let result = Session(output: CapturedOutput()).check(script)
        #expect(result.passed == 2)
        #expect(result.notRun == [4, 6])
        #expect(result.failed == 2)
    }

    @Test func hugeOutputsMatchAndDiffWithoutRecursionOrQuadraticTables() {
        let lines = (0..<100_000).map { "line \($0)" }
        #expect(TranscriptMatch.matches(lines, lines))
        #expect(TranscriptMatch.matches(["line 0", "...", "line 99999"], lines))
        #expect(TranscriptMatch.matches(["...", "line 5...", "...", "line 9999..."], lines))
        #expect(!TranscriptMatch.matches(["line 0", "...", "line 5"], lines))
        let other = (0..<10_000).map { "other \($0)" }
        let diff = TranscriptMatch.unifiedDiff(expected: Array(lines.prefix(10_000)), actual: other, path: "p", line: 1)
        #expect(diff.count == 3 + 2 * (TranscriptMatch.maximumDiffLines + 1))
        #expect(diff.last == "… and 9800 more new lines")
        let small = TranscriptMatch.unifiedDiff(expected: ["a", "b", "c"], actual: ["a", "x", "c"], path: "p", line: 1)
        #expect(small.dropFirst(3) == [" a", "-b", "+x", " c"])
    }

    @Test func recordingAppendsEachLine() throws {
        let file = folder + "/rec.txt"
        let (session, _) = makeSession()
        session.execute("record \(file)")
        session.execute("a = 2.0 + 0")
        session.execute("a * 3")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "a = 2.0 + 0\na * 3\n#> 6.0\n")
        session.execute("")
        session.execute("# more")
        session.execute("record --stop")
        session.execute("a")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "a = 2.0 + 0\na * 3\n#> 6.0\n\n# more\n")
    }
}

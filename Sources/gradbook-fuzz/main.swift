// The coverage-guided fuzzer: libFuzzer feeds bytes to a fresh `Session` as typed lines, as a whole
// session script and as a checkpoint file. Anything that traps, overflows the stack or runs out of
// memory is a crash libFuzzer reports with the input that caused it. Build and run it with
// scripts/fuzz (see the README).
import CFuzzerDriver
import Foundation
import Notebook
import NotebookLanguage

/// Where the checkpoint and script bytes are written for `checkpoint load` and `run`. It is also the
/// working folder, with a copy of names.txt for `load`: whatever an input writes (`save`, `record`,
/// `open(path, 'w')`, `--svg`) lands here, never in the checkout the fuzzer was started from.
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-fuzz-\(getpid())").path
try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
try? FileManager.default.copyItem(atPath: "names.txt", toPath: scratch + "/names.txt")
guard FileManager.default.changeCurrentDirectoryPath(scratch) else {
    FileHandle.standardError.write(Data("gradbook-fuzz: cannot work in \(scratch)\n".utf8))
    exit(2)
}

let callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, count in
    guard let data, count > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let mode = bytes[0] % 4
    let rest = Array(bytes.dropFirst())
    let session = Session(output: CapturedOutput(), style: .plain)
    // No one can press Ctrl-C here: a runaway loop stops at a step budget instead.
    session.stepBudget = 200_000
    // Cycle collections at nearly every checkpoint, in the middle of whatever the input does.
    session.cycleCollectionThreshold = 16
    MemoryGuard.limit = 2 << 30  // under libFuzzer's own limit of 4 GiB
    switch mode {
    case 3:
        // A cell of several lines (blocks, definitions, classes), pasted at once.
        session.execute(String(decoding: rest.prefix(4096), as: UTF8.self))
    case 0:
        // Lines typed one after another.
        for line in String(decoding: rest, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .prefix(64)
        {
            session.execute(String(line))
            if session.wantsExit { break }
        }
    case 1:
        // A whole session script, replayed and checked.
        let path = scratch + "/lesson.txt"
        FileManager.default.createFile(atPath: path, contents: Data(rest))
        if let script = try? SessionScript(contentsOf: path) { _ = session.check(script) }
    default:
        // A checkpoint file, loaded after the names it may expect.
        let path = scratch + "/model.ckpt"
        FileManager.default.createFile(atPath: path, contents: Data(rest))
        session.execute("checkpoint load \(path)")
        session.execute("sample 2")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = gradbook_run_fuzzer(&argc, &argv, callback)
if status == -1 {
    FileHandle.standardError.write(
        Data("gradbook-fuzz: this build has no libFuzzer; build and run it with scripts/fuzz\n".utf8))
    exit(2)
}
exit(status)

// Why a checkpoint file gives no model: one line each, saying what was wrong and what to do. Loading
// changes nothing until the whole file has been read and checked, so after any of these the notebook
// keeps the model it had.
import Engine

/// A checkpoint that cannot be read.
package enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case missing
    case isDirectory
    case unreadable(String)
    case tooLarge(Int)
    case empty
    case notACheckpoint
    case unsupportedVersion(UInt32)
    case truncated(expected: Int, found: Int)
    case trailingBytes(Int)
    case checksumMismatch(stored: UInt32, computed: UInt32)
    case malformed(String)
    case vocabularyMismatch(checkpoint: Vocabulary, dataset: Vocabulary)

    package var description: String {
        switch self {
        case .missing:
            "no such file or folder; check the path (checkpoint save FILE writes one)"
        case .isDirectory:
            "it is a folder, not a checkpoint file"
        case .unreadable(let reason):
            "it cannot be read: \(reason)"
        case .tooLarge(let bytes):
            "it has \(bytes.grouped) bytes, more than a checkpoint may have (\(Checkpoint.maximumSize.grouped))"
        case .empty:
            "the file is empty; it is not a checkpoint (was the save interrupted?)"
        case .notACheckpoint:
            "it is not a gradbook model checkpoint (it does not start with 'gradbook model')"
        case .unsupportedVersion(let v):
            "it is a version \(v) checkpoint; this gradbook reads version \(Checkpoint.version) only (use the gradbook that saved it)"
        case .truncated(let expected, let found):
            "the file is truncated: it should have \(expected.grouped) bytes but has \(found.grouped) (was the copy cut short?)"
        case .trailingBytes(let n):
            "the file has \(n.grouped) unexpected byte\(n == 1 ? "" : "s") after the checkpoint; it is damaged"
        case .checksumMismatch(let stored, let computed):
            "the file is corrupted: its checksum is \(Self.hex(stored)) but its contents give \(Self.hex(computed))"
        case .malformed(let reason):
            "the checkpoint is damaged: \(reason)"
        case .vocabularyMismatch(let checkpoint, let dataset):
            "its model knows \(checkpoint) but the loaded words use \(dataset); load the names it was trained on first"
        }
    }

    static func hex(_ x: UInt32) -> String {
        let digits = String(x, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

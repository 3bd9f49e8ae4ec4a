// File reading and writing for the notebook, through SafeFiles (which words every failure): the
// notebook's error lines, and what to do about each failure.
import Foundation
import NotebookLanguage
import SafeFiles

enum FileErrors {
    /// Writes `data` to `path` safely: see `SafeFile.write`.
    static func writeAtomically(_ data: Data, to path: String) throws(NotebookError) {
        do {
            try SafeFile.write([UInt8](data), to: path)
        } catch {
            throw NotebookError("cannot write \(path.isEmpty ? "''" : path): \(error)\(advice(for: error))")
        }
    }

    /// The text of the session script at `path`.
    static func readText(_ path: String, limit: Int = 64 << 20) throws(NotebookError) -> String {
        let text: String?
        do {
            text = try SafeFile.readText(path, limit: limit)
        } catch {
            throw NotebookError("cannot read \(path.isEmpty ? "''" : path): \(error); check the path")
        }
        guard let text else { throw NotebookError("cannot read \(path): it is not UTF-8 text; save it as UTF-8") }
        return text
    }

    private static func advice(for problem: FileProblem) -> String {
        switch problem {
        case .system(ENOENT), .missing: "; check that the folder exists"
        case .system(EACCES), .system(EPERM): "; check that the folder is writable"
        case .system(ENOSPC), .system(EDQUOT): "; free some space and try again (nothing was changed)"
        case .notRegularFile, .isFolder: "; name a regular file"
        default: ""
        }
    }
}

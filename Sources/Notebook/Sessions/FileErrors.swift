// File reading and writing for the notebook, through SafeFiles: the reason a file could not be used,
// in one wording each, and writes that never leave a file half written.
import Foundation
import SafeFiles

enum FileErrors {
    /// A short reason for a file error ("no such file or folder", "disk full"), never Foundation's
    /// own text: a POSIX code is worded by `FileProblem`, Foundation's file codes are mapped.
    static func reason(_ error: any Error) -> String {
        if let problem = error as? FileProblem { return problem.description }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return FileProblem.wording(errno: Int32(nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return FileProblem.wording(errno: Int32(underlying.code))
        }
        switch nsError.code {
        case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file or folder"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
        case NSFileReadInapplicableStringEncodingError, NSFileReadCorruptFileError: return "it is not UTF-8 text"
        case NSFileWriteOutOfSpaceError: return "disk full"
        case NSFileWriteVolumeReadOnlyError: return "the file system is read-only"
        case NSFileReadInvalidFileNameError, NSFileWriteInvalidFileNameError: return "the name is not valid here"
        case NSFileReadTooLargeError: return "the file is too large"
        default: return "the file could not be used (error \(nsError.code))"
        }
    }

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
        do {
            guard let text = try SafeFile.readText(path, limit: limit) else {
                throw NotebookError("cannot read \(path): it is not UTF-8 text; save it as UTF-8")
            }
            return text
        } catch let error as NotebookError {
            throw error
        } catch let problem as FileProblem {
            throw NotebookError("cannot read \(path.isEmpty ? "''" : path): \(problem); check the path")
        } catch {
            throw NotebookError("cannot read \(path): \(reason(error))")
        }
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

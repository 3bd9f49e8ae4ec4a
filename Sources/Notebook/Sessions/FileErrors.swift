// File reading and writing for the notebook: readable reasons for failures, and atomic writes
// (a temporary file, then a rename) so that a file is never left half written.
import Foundation

enum FileErrors {
    /// A short reason for a file error ("no such file", "permission denied").
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        switch nsError.code {
        case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
        case NSFileReadInapplicableStringEncodingError: return "it is not UTF-8 text"
        default: return nsError.localizedDescription
        }
    }

    /// Writes `data` to `path` atomically: a temporary file beside it, then a rename.
    static func writeAtomically(_ data: Data, to path: String) throws(NotebookError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw NotebookError("cannot write \(path): \(reason)")
            }
        } catch let error as NotebookError {
            throw error
        } catch {
            throw NotebookError("cannot write \(path): \(reason(error)); check that the folder exists and is writable")
        }
    }
}

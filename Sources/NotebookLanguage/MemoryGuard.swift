// A bound on the memory the notebook's objects may take in all: each list and string is capped
// (Builtins.maximumLength), and this catches many capped ones together (a comprehension of big
// lists) with a MemoryError before the machine runs out.
import Foundation

package enum MemoryGuard {
    /// The most resident memory the notebook may use: a third of the machine, at most 8 GiB.
    nonisolated(unsafe) package static var limit: Int = {
        let physical = Int(ProcessInfo.processInfo.physicalMemory)
        return min(8 << 30, max(1 << 30, physical / 3))
    }()

    /// The resident memory of the process now (from /proc/self/statm), or 0 where it cannot be read.
    static func resident() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Items asked for since the last look at the process's memory.
    nonisolated(unsafe) private static var sinceCheck = 0

    /// Counts `items` about to be made, and looks at the memory once 10,000,000 have been asked for
    /// since the last look (reading /proc at every append to a big list would cost more than it).
    static func note(_ items: Int) throws(NotebookError) {
        sinceCheck &+= items
        guard sinceCheck > Builtins.maximumLength || sinceCheck < 0 else { return }
        sinceCheck = 0
        try check()
    }

    /// Throws MemoryError when the process uses more than `limit`.
    static func check() throws(NotebookError) {
        let used = resident()
        guard used > limit else { return }
        throw .python(
            "MemoryError",
            "the notebook uses \(used >> 20) MiB, more than its limit of \(limit >> 20) MiB; delete big lists (del name) or reset"
        )
    }
}

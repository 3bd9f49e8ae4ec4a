// Comparing recorded output with new output: doctest's ELLIPSIS (`...` matches any text within a
// line; a line that is only `...` matches any number of lines), and unified diffs of mismatches.

enum TranscriptMatch {
    /// `true` when `actual` matches the recorded `expected` lines.
    static func matches(_ expected: [String], _ actual: [String]) -> Bool {
        let expected = expected.map(\.trimmingTrailingSpaces)
        let actual = actual.map(\.trimmingTrailingSpaces)
        // Wildcard matching without recursion: on a mismatch, the last `...` takes one more line.
        var i = 0
        var j = 0
        var star: Int?
        var resume = 0
        while j < actual.count {
            if i < expected.count, expected[i] == "..." {
                star = i
                resume = j
                i += 1
            } else if i < expected.count, lineMatches(expected[i], actual[j]) {
                i += 1
                j += 1
            } else if let star {
                i = star + 1
                resume += 1
                j = resume
            } else {
                return false
            }
        }
        while i < expected.count, expected[i] == "..." { i += 1 }
        return i == expected.count
    }

    /// One line against a pattern in which `...` stands for any text.
    static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        guard pattern.contains("...") else { return pattern == line }
        let parts = pattern.components(separatedBy: "...")
        guard let first = parts.first, let last = parts.last, line.hasPrefix(first) else { return false }
        var rest = line.dropFirst(first.count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    /// The most cells of the longest-common-subsequence table a diff builds (32 MB); past it, the
    /// changed lines are shown as removed, then added, without matching them up.
    static let maximumDiffTable = 4_000_000
    /// The most removed or added lines a diff shows of each.
    static let maximumDiffLines = 200

    /// A unified diff of the recorded and the new output of one command.
    static func unifiedDiff(expected: [String], actual: [String], path: String, line: Int) -> [String] {
        var diff = [
            "--- \(path):\(line) (recorded)", "+++ \(path):\(line) (now)",
            "@@ -\(line + 1),\(expected.count) +\(line + 1),\(actual.count) @@"
        ]
        // The unchanged start and end are context; only the middle needs matching up.
        var head = 0
        while head < expected.count, head < actual.count, lineMatches(expected[head], actual[head]) { head += 1 }
        var tail = 0
        while tail < expected.count - head, tail < actual.count - head,
            lineMatches(expected[expected.count - 1 - tail], actual[actual.count - 1 - tail])
        { tail += 1 }
        let old = expected[head..<(expected.count - tail)]
        let new = actual[head..<(actual.count - tail)]
        diff += actual[..<head].map { " " + $0 }
        let n = old.count
        let m = new.count
        // each bound keeps the product from overflowing
        if n < maximumDiffTable, m < maximumDiffTable, (n + 1) * (m + 1) <= maximumDiffTable {
            // Longest common subsequence, so that unchanged lines show as context.
            let width = m + 1
            var table = [Int32](repeating: 0, count: (n + 1) * width)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i * width + j] =
                        lineMatches(old[head + i], new[head + j])
                        ? table[(i + 1) * width + j + 1] + 1 : max(table[(i + 1) * width + j], table[i * width + j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < n || j < m {
                if i < n, j < m, lineMatches(old[head + i], new[head + j]) {
                    diff.append(" " + new[head + j])
                    i += 1
                    j += 1
                } else if i < n, j == m || table[(i + 1) * width + j] >= table[i * width + j + 1] {
                    diff.append("-" + old[head + i])
                    i += 1
                } else {
                    diff.append("+" + new[head + j])
                    j += 1
                }
            }
        } else {
            diff += capped(old.map { "-" + $0 }, "recorded")
            diff += capped(new.map { "+" + $0 }, "new")
        }
        diff += actual[(actual.count - tail)...].map { " " + $0 }
        return diff
    }

    private static func capped(_ lines: [String], _ what: String) -> [String] {
        guard lines.count > maximumDiffLines else { return lines }
        return Array(lines.prefix(maximumDiffLines)) + ["… and \(lines.count - maximumDiffLines) more \(what) lines"]
    }
}

// Comparing recorded output with new output: doctest's ELLIPSIS (`...` matches any text within a
// line; a line that is only `...` matches any number of lines), and unified diffs of mismatches.

enum TranscriptMatch {
    /// `true` when `actual` matches the recorded `expected` lines.
    static func matches(_ expected: [String], _ actual: [String]) -> Bool {
        let expected = expected.map(\.trimmingTrailingSpaces), actual = actual.map(\.trimmingTrailingSpaces)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i * (actual.count + 1) + j
            if let known = memo[key] { return known }
            let result: Bool
            if i == expected.count {
                result = j == actual.count
            } else if expected[i] == "..." {
                result = match(i + 1, j) || (j < actual.count && match(i, j + 1))
            } else {
                result = j < actual.count && lineMatches(expected[i], actual[j]) && match(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
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

    /// A unified diff of the recorded and the new output of one command.
    static func unifiedDiff(expected: [String], actual: [String], path: String, line: Int) -> [String] {
        var diff = ["--- \(path):\(line) (recorded)", "+++ \(path):\(line) (now)",
                    "@@ -\(line + 1),\(expected.count) +\(line + 1),\(actual.count) @@"]
        // Longest common subsequence, so that unchanged lines show as context.
        let n = expected.count, m = actual.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = lineMatches(expected[i], actual[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, lineMatches(expected[i], actual[j]) {
                diff.append(" " + actual[j]); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                diff.append("-" + expected[i]); i += 1
            } else {
                diff.append("+" + actual[j]); j += 1
            }
        }
        return diff
    }
}

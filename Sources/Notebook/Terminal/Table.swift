// Plain text tables: columns padded to their widest cell, a header rule, numbers right-aligned.

/// A table of text cells, first row the header.
struct Table {
    var rows: [[String]]
    /// Columns to right-align (numbers).
    var alignRight: Set<Int> = []

    var lines: [String] {
        guard let header = rows.first else { return [] }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.displayWidth) }
        }
        func render(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.displayWidth))
                return alignRight.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        return [render(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
            + rows.dropFirst().map(render)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

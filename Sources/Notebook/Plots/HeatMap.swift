// Heat maps: lecture 3's `plt.imshow(h.abs() > 0.99, cmap='gray')`, where a column white from top to
// bottom is a dead tanh neuron. A boolean grid is drawn in Braille, one dot per cell (or per block of
// cells when the grid is wider than the screen); a grid of numbers in the shades ' ░▒▓█'.

/// A grid for `Plot.heatMap`: `values[row][column]`, row 0 drawn at the top.
struct HeatMap {
    /// The numbers; a boolean grid holds 0 and 1. Short rows are padded (NaN, or false).
    var values: [[Double]]
    /// Whether the cells are true/false rather than numbers.
    var isBoolean: Bool
    /// What a true cell, or a cell's value, means: `|h| > 0.97`.
    var label: String

    init(_ grid: [[Bool]], label: String = "true") {
        values = grid.map { $0.map { $0 ? 1 : 0 } }
        isBoolean = true
        self.label = label
    }

    init(_ grid: [[Double]], label: String = "value") {
        values = grid
        isBoolean = false
        self.label = label
    }

    var rowCount: Int { values.count }
    var columnCount: Int { values.map(\.count).max() ?? 0 }

    /// The cell at (row, column): NaN (false for booleans) past the end of a short row.
    func value(_ row: Int, _ column: Int) -> Double {
        column < values[row].count ? values[row][column] : (isBoolean ? 0 : .nan)
    }
}

/// How a grid maps onto characters: a character (two when there is room) per cell when the grid fits;
/// otherwise a boolean grid in Braille dots (2 × 4 per character) and numbers in shades, each dot or
/// shade standing for a block of cells.
struct HeatMapLayout {
    let rows: Int, columns: Int
    /// Whether cells become Braille dots.
    let braille: Bool
    /// Grid cells per dot (Braille) or per character block, across and down.
    let blockX: Int, blockY: Int
    /// Characters per block across: 2 keeps a small grid's cells about square.
    let cellWidth: Int
    /// Dots (Braille) or blocks across and down, and the characters they take.
    let across: Int, down: Int, characterColumns: Int, characterRows: Int

    init(_ grid: HeatMap, room: Int, height: Int) {
        (rows, columns) = (grid.rowCount, grid.columnCount)
        let exact = columns <= room && rows <= height
        braille = grid.isBoolean && !exact
        let (perX, perY) = braille ? (2, 4) : (1, 1)
        blockX = (columns + perX * room - 1) / (perX * room)
        blockY = (rows + perY * height - 1) / (perY * height)
        cellWidth = exact && 2 * columns <= room ? 2 : 1
        (across, down) = ((columns + blockX - 1) / blockX, (rows + blockY - 1) / blockY)
        characterColumns = braille ? (across + 1) / 2 : across * cellWidth
        characterRows = braille ? (down + 3) / 4 : down
    }

    /// The mean of the finite cells of block (`by`, `bx`), or NaN.
    func mean(_ grid: HeatMap, _ by: Int, _ bx: Int) -> Double {
        var sum = 0.0
        var count = 0
        for r in (by * blockY)..<min(rows, (by + 1) * blockY) {
            for c in (bx * blockX)..<min(columns, (bx + 1) * blockX) where grid.value(r, c).isFinite {
                sum += grid.value(r, c)
                count += 1
            }
        }
        return count == 0 ? .nan : sum / Double(count)
    }

    /// The character (row or column) that grid index `index` falls in, along one axis.
    func character(ofRow index: Int) -> Int { index / (blockY * (braille ? 4 : 1)) }
    func character(ofColumn index: Int) -> Int {
        braille ? index / (blockX * 2) : (index / blockX) * cellWidth + cellWidth / 2
    }
}

extension PlotRenderer {
    /// A heat map: the grid, its row and column indices as ticks, and what the dots or shades mean.
    func heatMapLines(_ grid: HeatMap) -> [String] {
        let title = plot.title.isEmpty ? [] : [style.paint(plot.title.printable, .bold)]
        guard grid.rowCount > 0, grid.columnCount > 0 else { return title + ["(nothing to plot: the grid is empty)"] }
        let left = String(grid.rowCount - 1).count + 2
        let layout = HeatMapLayout(grid, room: max(8, width - left - 1), height: height)
        let (body, legend) = grid.isBoolean ? booleanCells(grid, layout) : numberCells(grid, layout)
        // Ticks at grid indices, in the character each falls in.
        func ticks(_ count: Int, characters: Int) -> [AxisTicks.Tick] {
            guard count > 1 else { return [AxisTicks.Tick(position: 0, label: "0")] }
            return AxisTicks(
                low: 0, high: Double(count - 1), scale: .linear, target: max(2, min(6, characters / 6 + 1)), fixed: true
            )
            .ticks.filter { $0.position == $0.position.rounded() }
        }
        let yTicks = Dictionary(
            ticks(layout.rows, characters: 2 * layout.characterRows).map {
                (layout.character(ofRow: Int($0.position)), $0.label)
            },
            uniquingKeysWith: { first, _ in first })
        let xTicks = ticks(layout.columns, characters: layout.characterColumns / 2).map {
            (layout.character(ofColumn: Int($0.position)), $0.label)
        }
        var out =
            plot.title.isEmpty
            ? [] : [centred(style.paint(plot.title.printable, .bold), left: left, columns: layout.characterColumns)]
        if !plot.y.label.isEmpty { out.append(plot.y.label.printable) }
        for (row, text) in body.enumerated() {
            let label = yTicks[row] ?? ""
            out.append(
                (String(repeating: " ", count: left - 2 - label.count) + label + (yTicks[row] == nil ? " │" : " ┤")
                    + text).trimmingTrailingSpaces)
        }
        let tickColumns = Set(xTicks.map(\.0))
        out.append(
            String(repeating: " ", count: left - 1) + "└"
                + String((0..<layout.characterColumns).map { tickColumns.contains($0) ? "┬" : "─" }))
        var line = [Character](repeating: " ", count: width)
        var end = -2
        for (column, label) in xTicks {
            let start = max(0, min(width - label.count, left + column - (label.count - 1) / 2))
            guard start >= end + 2 else { continue }
            line.replaceSubrange(start..<(start + label.count), with: Array(label))
            end = start + label.count
        }
        out.append(String(line).trimmingTrailingSpaces)
        if !plot.x.label.isEmpty {
            out.append(centred(plot.x.label.printable, left: left, columns: layout.characterColumns))
        }
        return out + legend
    }

    /// A boolean grid: █ and · per cell, or Braille dots on where at least half of their block is true; the
    /// legend counts the true cells and names the columns true in every row (lecture 3's dead neurons).
    private func booleanCells(_ grid: HeatMap, _ layout: HeatMapLayout) -> (body: [String], legend: [String]) {
        let (rows, columns) = (layout.rows, layout.columns)
        var body: [String]
        if layout.braille {
            var canvas = PlotCanvas(columns: layout.characterColumns, rows: layout.characterRows, series: 1)
            for by in 0..<layout.down {
                for bx in 0..<layout.across where layout.mean(grid, by, bx) >= 0.5 { canvas.dot(0, x: bx, y: by) }
            }
            body = (0..<layout.characterRows).map { String(canvas.cells(row: $0).map(\.character)) }
        } else {
            let (on, off) = (
                String(repeating: "█", count: layout.cellWidth), String(repeating: "·", count: layout.cellWidth)
            )
            body = (0..<rows).map { r in (0..<columns).map { grid.value(r, $0) == 1 ? on : off }.joined() }
        }
        let trueCells = (0..<rows).reduce(0) { n, r in n + (0..<columns).filter { grid.value(r, $0) == 1 }.count }
        let percent = AxisTicks.fixedLabel(100 * Double(trueCells) / Double(rows * columns), decimals: 1)
        var legend = [
            "\(layout.braille ? "⣿" : "█") \(grid.label.printable): \(trueCells) of \(rows * columns) cells (\(percent)%)"
                + (layout.braille ? "" : "; · false")
        ]
        if layout.blockX * layout.blockY > 1 {
            legend.append(
                "each dot is \(layout.blockX) × \(layout.blockY) cells (columns × rows), shown when at least half of them are true"
            )
        }
        let full = (0..<columns).filter { c in (0..<rows).allSatisfy { grid.value($0, c) == 1 } }
        if !full.isEmpty {
            let listed = full.prefix(10).map(String.init).joined(separator: ", ") + (full.count > 10 ? ", …" : "")
            legend.append("columns true in every row: \(full.count) (\(listed))")
        }
        return (body, legend)
    }

    /// A grid of numbers: the shades ' ░▒▓█' from the smallest to the largest (a block's mean), ? for none.
    private func numberCells(_ grid: HeatMap, _ layout: HeatMapLayout) -> (body: [String], legend: [String]) {
        let finite = grid.values.flatMap { $0 }.filter(\.isFinite)
        let low = finite.min() ?? 0
        let high = finite.max() ?? 0
        let shades = Array(" ░▒▓█")
        let body = (0..<layout.down).map { by in
            (0..<layout.across).map { bx -> String in
                let v = layout.mean(grid, by, bx)
                guard v.isFinite else { return String(repeating: "?", count: layout.cellWidth) }
                let level = high > low ? (v - low) / (high - low) : 0.5
                return style.shade(
                    String(
                        repeating: shades[Swift.min(4, Swift.max(0, Int(saturating: (level * 4).rounded())))],
                        count: layout.cellWidth), level: level)
            }.joined()
        }
        var legend = ["\(grid.label.printable): ' ' = \(AxisTicks.short(low)), ░ ▒ ▓, █ = \(AxisTicks.short(high))"]
        if layout.blockX * layout.blockY > 1 {
            legend.append("each character is the mean of \(layout.blockX) × \(layout.blockY) cells (columns × rows)")
        }
        let missing = layout.rows * layout.columns - finite.count
        if missing > 0 { legend.append("note: \(PlotData.count(missing, "cell")) not finite (or missing), shown as ?") }
        return (body, legend)
    }
}

// Plots in the terminal: Braille dots (2 × 4 per character) for lines and bars, axes with ticks at nice
// numbers, a legend and notes. Readable without colour, and the same text with or without it: colour
// only paints what is there. Several series on one chart each get a marker (• + x o * # @ %) placed along
// their line every few columns, in cells no other series touches; scatters put the marker (or the
// point's label) at every point. `Plot.Layout.panels` gives each series its own chart instead.
// Heat maps are drawn in HeatMap.swift, SVG in PlotSVG.swift.

/// The lines of text that draw `plot`, `width` columns wide (default: 72, or the style's width if that is
/// narrower) with `height` rows of dots. The text does not depend on colour (colour only adds escape
/// codes), on the terminal or on the locale, so session scripts can record plots and check them anywhere.
func render(_ plot: Plot, style: TextStyle, width: Int? = nil, height: Int = 16) -> [String] {
    PlotRenderer(
        plot: plot, style: style, width: max(24, min(400, width ?? min(72, style.width))),
        height: max(2, min(200, height))
    ).lines()
}

/// Lays a plot out in text: title, y-axis with tick labels, the canvas, x-axis, legend and notes.
struct PlotRenderer {
    let plot: Plot, style: TextStyle, width: Int, height: Int

    /// One marker per series, in order; they repeat after the eighth.
    static let markers: [Character] = ["•", "+", "x", "o", "*", "#", "@", "%"]
    /// One colour per series, in matplotlib's order as far as 8 ANSI colours allow.
    static let colors: [TextStyle.Color] = [.blue, .yellow, .green, .red, .magenta, .cyan]

    func lines() -> [String] {
        if let grid = plot.heatMap { return heatMapLines(grid) }
        let data = PlotData(plot)
        var out: [String] = []
        let visible = data.series.indices.filter { data.series[$0].hasPoints }
        guard let xExtent = data.x, let yExtent = data.y, !visible.isEmpty else { return nothingToPlot(data) }
        let panels = plot.layout == .panels && visible.count > 1
        let groups = panels ? visible.map { [$0] } : [visible]
        let rows = panels ? max(3, height / groups.count) : height
        let y = yTicks(yExtent, fixed: data.yIsFixed, rows: rows)
        let left = max(y.ticks.map(\.label.displayWidth).max() ?? 0, 1) + 2
        let columns = max(8, width - left - 1)
        let x = xTicks(xExtent, fixed: data.xIsFixed, columns: columns, left: left)
        if !plot.title.isEmpty {
            out.append(centred(style.paint(plot.title.printable, .bold), left: left, columns: columns))
        }
        if !plot.y.label.isEmpty { out.append(plot.y.label.printable) }
        var hidden: [String] = []
        for (number, group) in groups.enumerated() {
            if panels { out.append(String(repeating: " ", count: left) + legendEntry(group[0], data)) }
            let map = Mapping(x: x.ticks, y: y, columns: columns, rows: rows)
            var canvas = PlotCanvas(columns: columns, rows: rows, series: group.count)
            hidden += draw(group, of: data, on: &canvas, map)
            for reference in data.references { canvas.rule(row: map.row(reference.y)) }
            let tickRows = Dictionary(y.ticks.map { (map.row($0.position), $0.label) }, uniquingKeysWith: { a, _ in a })
            for row in 0..<rows {
                let label = tickRows[row] ?? ""
                let axis =
                    String(repeating: " ", count: left - 2 - label.displayWidth) + label
                    + (tickRows[row] == nil ? " │" : " ┤")
                out.append((axis + paint(canvas.cells(row: row), group)).trimmingTrailingSpaces)
            }
            let tickColumns = Set(x.ticks.ticks.map { map.column($0.position) })
            out.append(
                String(repeating: " ", count: left - 1) + "└"
                    + String((0..<columns).map { tickColumns.contains($0) ? "┬" : "─" }))
            if number == groups.count - 1 { out.append(x.labels) }
        }
        if !plot.x.label.isEmpty { out.append(centred(plot.x.label.printable, left: left, columns: columns)) }
        out += legend(panels ? [] : visible, data)
        if !hidden.isEmpty {
            out.append("note: labels hidden where they overlap others: " + hidden.joined(separator: " "))
        }
        return out + data.notes.map { "note: " + $0 }
    }

    /// The title, what is missing, and the notes: for a plot with no point to draw.
    private func nothingToPlot(_ data: PlotData) -> [String] {
        let empty = plot.series.allSatisfy(\.xs.isEmpty)
        let reason =
            plot.series.isEmpty
            ? "the plot has no series"
            : empty
                ? (plot.series.count == 1 ? "the series is empty" : "every series is empty")
                : "no value can be shown; see the notes"
        return (plot.title.isEmpty ? [] : [style.paint(plot.title.printable, .bold)]) + ["(nothing to plot: \(reason))"]
            + data.notes.filter { !empty || !$0.hasSuffix("is empty") }.map { "note: " + $0 }
    }

    // MARK: Axes

    /// Where axis-space values fall on the canvas, in dots and in cells.
    struct Mapping {
        let x: AxisTicks, y: AxisTicks, columns: Int, rows: Int
        func dotX(_ v: Double) -> Double { (v / 2 - x.low / 2) / (x.high / 2 - x.low / 2) * Double(2 * columns - 1) }
        func dotY(_ v: Double) -> Double { (1 - (v / 2 - y.low / 2) / (y.high / 2 - y.low / 2)) * Double(4 * rows - 1) }
        /// The cell column and row of a value, -1 (or past the end) when it is outside the canvas.
        func column(_ v: Double) -> Int { Self.index(dotX(v), per: 2) }
        func row(_ v: Double) -> Int { Self.index(dotY(v), per: 4) }
        /// A dot coordinate (clamped first, so that far-away points stay far away without trapping) as an
        /// index, divided by the dots per cell, rounding down.
        static func index(_ dot: Double, per cell: Int) -> Int {
            let i = Int(saturating: max(-2, min(1e9, dot)).rounded(), nan: -2)
            return i < 0 ? -1 : i / cell
        }
    }

    /// About one tick every 4 rows, each on a row of its own.
    private func yTicks(_ extent: ClosedRange<Double>, fixed: Bool, rows: Int) -> AxisTicks {
        var target = max(2, rows / 4 + 1)
        while true {
            let ticks = AxisTicks(
                low: extent.lowerBound, high: extent.upperBound, scale: plot.y.scale, target: target, fixed: fixed)
            let map = Mapping(x: ticks, y: ticks, columns: 1, rows: rows)
            if target <= 2 || Set(ticks.ticks.map { map.row($0.position) }).count == ticks.ticks.count { return ticks }
            target -= 1
        }
    }

    /// As many x ticks as fit with two spaces between labels, and the line of labels under the axis.
    private func xTicks(_ extent: ClosedRange<Double>, fixed: Bool, columns: Int, left: Int) -> (
        ticks: AxisTicks, labels: String
    ) {
        var target = max(2, columns / 8)
        while true {
            let ticks = AxisTicks(
                low: extent.lowerBound, high: extent.upperBound, scale: plot.x.scale, target: target, fixed: fixed)
            let map = Mapping(x: ticks, y: ticks, columns: columns, rows: 1)
            var line = [Character](repeating: " ", count: width)
            var end = -2
            var fits = true
            for tick in ticks.ticks {
                let w = tick.label.count
                let start = max(0, min(width - w, left + map.column(tick.position) - (w - 1) / 2))
                guard w <= width, start >= end + 2 else {
                    fits = false
                    continue
                }
                line.replaceSubrange(start..<(start + w), with: Array(tick.label))
                end = start + w
            }
            if fits || target <= 2 { return (ticks, String(line).trimmingTrailingSpaces) }
            target -= 1
        }
    }

    /// `text` centred over the canvas (`columns` wide, starting `left` columns in), or flush left when wider.
    func centred(_ text: String, left: Int, columns: Int) -> String {
        let start = max(0, min(left + (columns - text.displayWidth) / 2, width - text.displayWidth))
        return String(repeating: " ", count: start) + text
    }

    // MARK: Drawing

    /// Draws the series `group` (indices into `data.series`) on `canvas`; returns labels that found no room.
    private func draw(_ group: [Int], of data: PlotData, on canvas: inout PlotCanvas, _ map: Mapping) -> [String] {
        var hidden: [String] = []
        let several = group.count > 1
        for (layer, index) in group.enumerated() {
            let prepared = data.series[index]
            let marker = Self.markers[index % Self.markers.count]
            let points = prepared.points
            switch prepared.series.kind {
            case .line:
                for (i, p) in points.enumerated() {
                    guard let p else { continue }
                    let a = (map.dotX(p.x), map.dotY(p.y))
                    if i + 1 < points.count, let q = points[i + 1] {
                        canvas.line(layer, from: a, to: (map.dotX(q.x), map.dotY(q.y)))
                        // a point on its own: a marker, as one dot is hard to see
                    } else if i == 0 || points[i - 1] == nil {
                        let (column, row) = (map.column(p.x), map.row(p.y))
                        if !canvas.put(several ? marker : "•", column: column, row: row, series: layer) {
                            canvas.line(layer, from: a, to: a)
                        }
                    }
                }
            case .bars(let barWidth):
                let base = plot.y.scale == .log ? map.dotY(map.y.low) : map.dotY(min(max(0, map.y.low), map.y.high))
                for p in points.compactMap({ $0 }) {
                    // Dot columns from the bar's left edge up to its right one; a gap before the next bar when it is 3+ wide.
                    let edges = plot.x.scale == .log ? (p.x, p.x) : (p.x - barWidth / 2, p.x + barWidth / 2)
                    let first = Mapping.index(map.dotX(edges.0), per: 1)
                    let last = max(first, Mapping.index(map.dotX(edges.1), per: 1) - 1)
                    let (from, to) = (max(0, first), min(canvas.dotColumns - 1, last - first >= 2 ? last - 1 : last))
                    guard from <= to else { continue }
                    for x in from...to { canvas.line(layer, from: (Double(x), base), to: (Double(x), map.dotY(p.y))) }
                }
            case .scatter:
                for (i, p) in points.enumerated() {
                    guard let p else { continue }
                    let (column, row) = (map.column(p.x), map.row(p.y))
                    // outside a fixed range
                    guard column >= 0, column < canvas.columns, row >= 0, row < canvas.rows else { continue }
                    let label = prepared.labels[i].printable
                    if label.isEmpty {
                        canvas.put(several ? marker : "•", column: column, row: row, series: layer)
                    } else if !place(label, column: column, row: row, layer: layer, on: &canvas) {
                        hidden.append(label)
                    }
                }
            }
        }
        if several {
            for (layer, index) in group.enumerated() where data.series[index].series.kind != .scatter {
                canvas.sprinkle(
                    Self.markers[index % Self.markers.count], series: layer, of: group.count,
                    spacing: max(6, canvas.columns / 8))
            }
        }
        return hidden
    }

    /// Writes `label` starting at its point's cell, or one or two cells to the right or left when that
    /// is taken; false when there is no room.
    private func place(_ label: String, column: Int, row: Int, layer: Int, on canvas: inout PlotCanvas) -> Bool {
        let characters = Array(label)
        for shift in [0, 1, -1, 2, -2] {
            let start = column + shift
            guard start >= 0, start + characters.count <= canvas.columns,
                (0..<characters.count).allSatisfy({ canvas.glyphs[row * canvas.columns + start + $0] == nil })
            else { continue }
            for (k, c) in characters.enumerated() { canvas.put(c, column: start + k, row: row, series: layer) }
            return true
        }
        return false
    }

    /// One row of cells as text, each run painted in its series' colour (reference lines in gray).
    private func paint(_ cells: [(character: Character, series: Int?, isRule: Bool)], _ group: [Int]) -> String {
        guard style.color else { return String(cells.map(\.character)) }
        var out = ""
        var run = ""
        var runColor: TextStyle.Color?
        func flush() {
            out += runColor.map { style.paint(run, $0) } ?? run
            run = ""
        }
        for cell in cells {
            let color = cell.isRule ? .gray : cell.series.map { Self.colors[group[$0] % Self.colors.count] }
            if color != runColor {
                flush()
                runColor = color
            }
            run.append(cell.character)
        }
        flush()
        return out
    }

    // MARK: Legend

    /// A series' legend entry: its look (`───`, `─•─` on a chart of several, `•`, `⣿`) and its name.
    func legendEntry(_ index: Int, _ data: PlotData, several: Bool = false) -> String {
        let s = data.series[index].series
        let marker = Self.markers[index % Self.markers.count]
        let look: String
        switch s.kind {
        case .line: look = several ? "─\(marker)─" : "───"
        case .bars: look = several ? "⣿\(marker)⣿" : "⣿⣿⣿"
        case .scatter: look = several ? String(marker) : "•"
        }
        let name = s.name.isEmpty ? "series \(index + 1)" : s.name.printable
        return style.paint(look, Self.colors[index % Self.colors.count]) + " " + name
    }

    /// The legend, wrapped to the width: an entry per series (when there are several or they are named)
    /// and per reference line.
    private func legend(_ visible: [Int], _ data: PlotData) -> [String] {
        let several = visible.count > 1
        var entries =
            several || visible.contains(where: { !data.series[$0].series.name.isEmpty })
            ? visible.map { legendEntry($0, data, several: several) } : []
        entries += data.references.map { style.paint("┈┈┈", .gray) + " " + $0.label.printable }
        var lines: [String] = []
        var line = ""
        for entry in entries {
            if !line.isEmpty, line.displayWidth + 3 + entry.displayWidth > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : "   ") + entry
        }
        return line.isEmpty ? lines : lines + [line]
    }
}

extension String {
    /// This text with control characters (a newline, an escape code) shown as U+FFFD, so that a label
    /// typed in the notebook cannot break a plot's layout or change the terminal's colours.
    var printable: String {
        String(
            String.UnicodeScalarView(
                unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "\u{FFFD}" : $0 }))
    }
}

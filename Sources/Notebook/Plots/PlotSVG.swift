// Plots as SVG pictures, for slides and notes: the same data, ticks and legend as the terminal drawing,
// in matplotlib's colours. Self-contained (no scripts, styles or fonts to fetch), the same bytes on every
// machine: coordinates printed with one decimal, text XML-escaped, nothing taken from the environment.
import Foundation

/// `plot` as an SVG document `width` × `height` pixels.
func svg(_ plot: Plot, width: Int = 640, height: Int = 400) -> String {
    let (width, height) = (max(160, min(8000, width)), max(120, min(8000, height)))
    return PlotSVG(
        plot: plot, width: width, height: plot.heatMap.map { PlotSVG.fittedHeight($0, plot, width, height) } ?? height
    ).document()
}

/// Writes the SVG of a plot.
struct PlotSVG {
    let plot: Plot, width: Int, height: Int

    /// matplotlib's `tab10` colours, in its order.
    static let colors = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    ]

    func document() -> String {
        let data = plot.heatMap == nil ? PlotData(plot) : nil
        let notes = data?.notes ?? []
        // The plot area: room for the title above, tick labels left and below, axis labels, notes.
        let (top, left, right) = Self.margins(plot)
        let bottom = (plot.x.label.isEmpty ? 32.0 : 50) + 14 * Double(notes.count)
        let area = (x0: left, y0: top, x1: Double(width) - right, y1: Double(height) - bottom)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">
            <title>\(xmlEscaped(plot.title.isEmpty ? "plot" : plot.title))</title>
            <rect width="\(width)" height="\(height)" fill="white"/>
            <defs><clipPath id="plot-area"><rect x="\(n(area.x0))" y="\(n(area.y0))" width="\(n(area.x1 - area.x0))" height="\(n(area.y1 - area.y0))"/></clipPath></defs>

            """
        if !plot.title.isEmpty {
            out +=
                "<text x=\"\(n(Double(width) / 2))\" y=\"\(n(22))\" text-anchor=\"middle\" font-size=\"14\">\(xmlEscaped(plot.title))</text>\n"
        }
        if !plot.x.label.isEmpty, plot.heatMap == nil {
            out +=
                "<text x=\"\(n((area.x0 + area.x1) / 2))\" y=\"\(n(area.y1 + 40))\" text-anchor=\"middle\">\(xmlEscaped(plot.x.label))</text>\n"
        }
        if !plot.y.label.isEmpty, plot.heatMap == nil {
            let (x, y) = (n(16), n((area.y0 + area.y1) / 2))
            out +=
                "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"middle\" transform=\"rotate(-90 \(x) \(y))\">\(xmlEscaped(plot.y.label))</text>\n"
        }
        for (i, note) in notes.enumerated() {
            out +=
                "<text x=\"4\" y=\"\(n(Double(height) - 6 - 14 * Double(notes.count - 1 - i)))\" fill=\"#666\" font-size=\"10\">note: \(xmlEscaped(note))</text>\n"
        }
        if let grid = plot.heatMap {
            out += heatMap(grid, area)
        } else if let data, let x = data.x, let y = data.y, data.series.contains(where: \.hasPoints) {
            out += chart(data, x, y, area)
        } else {
            let message =
                plot.series.allSatisfy(\.xs.isEmpty)
                ? "nothing to plot: no data" : "nothing to plot: no value can be shown"
            out +=
                "<text x=\"\(n(Double(width) / 2))\" y=\"\(n(Double(height) / 2))\" text-anchor=\"middle\" fill=\"#666\">\(message)</text>\n"
        }
        return out + "</svg>\n"
    }

    /// Room above the plot area (for the title), left of it (tick labels, y label) and right of it.
    static func margins(_ plot: Plot) -> (top: Double, left: Double, right: Double) {
        (plot.title.isEmpty ? 16 : 36, plot.y.label.isEmpty ? 56 : 72, 16)
    }

    /// Axes, grid, series, reference lines and legend.
    private func chart(
        _ data: PlotData, _ xExtent: ClosedRange<Double>, _ yExtent: ClosedRange<Double>,
        _ area: (x0: Double, y0: Double, x1: Double, y1: Double)
    ) -> String {
        // As matplotlib: a fitted extent gets 5% room on each side (so edge points show whole), ticks inside it.
        func padded(_ e: ClosedRange<Double>, _ fixed: Bool) -> ClosedRange<Double> {
            let pad = e.upperBound / 20 - e.lowerBound / 20
            let (low, high) = (e.lowerBound - pad, e.upperBound + pad)
            return fixed ? e : (low.isFinite ? low : e.lowerBound)...(high.isFinite ? high : e.upperBound)
        }
        let (xe, ye) = (padded(xExtent, data.xIsFixed), padded(yExtent, data.yIsFixed))
        let xt = AxisTicks(
            low: xe.lowerBound, high: xe.upperBound, scale: plot.x.scale,
            target: max(3, Int(area.x1 - area.x0) / 70), fixed: true)
        let yt = AxisTicks(
            low: ye.lowerBound, high: ye.upperBound, scale: plot.y.scale,
            target: max(3, Int(area.y1 - area.y0) / 45), fixed: true)
        func px(_ v: Double) -> Double {
            area.x0 + (v / 2 - xt.low / 2) / (xt.high / 2 - xt.low / 2) * (area.x1 - area.x0)
        }
        func py(_ v: Double) -> Double {
            area.y1 - (v / 2 - yt.low / 2) / (yt.high / 2 - yt.low / 2) * (area.y1 - area.y0)
        }
        var out = "<g stroke=\"#ddd\" stroke-width=\"1\">\n"
        for tick in xt.ticks {
            out +=
                "<line x1=\"\(n(px(tick.position)))\" y1=\"\(n(area.y0))\" x2=\"\(n(px(tick.position)))\" y2=\"\(n(area.y1))\"/>\n"
        }
        for tick in yt.ticks {
            out +=
                "<line x1=\"\(n(area.x0))\" y1=\"\(n(py(tick.position)))\" x2=\"\(n(area.x1))\" y2=\"\(n(py(tick.position)))\"/>\n"
        }
        out += "</g>\n<g clip-path=\"url(#plot-area)\">\n"
        for reference in data.references {
            out +=
                "<line x1=\"\(n(area.x0))\" y1=\"\(n(py(reference.y)))\" x2=\"\(n(area.x1))\" y2=\"\(n(py(reference.y)))\" stroke=\"#333\" stroke-dasharray=\"5 3\"/>\n"
        }
        for (index, prepared) in data.series.enumerated() where prepared.hasPoints {
            let color = Self.colors[index % Self.colors.count]
            switch prepared.series.kind {
            case .line:
                for run in Self.runs(prepared.points.map { $0.map { (px($0.x), py($0.y)) } }) {
                    if run.count == 1 {
                        out += "<circle cx=\"\(n(run[0].0))\" cy=\"\(n(run[0].1))\" r=\"2.5\" fill=\"\(color)\"/>\n"
                    } else {
                        out +=
                            "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\""
                            + run.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
                    }
                }
            case .bars(let barWidth):
                let base = plot.y.scale == .log ? area.y1 : py(min(max(0, yt.low), yt.high))
                for case let p? in prepared.points {
                    let (a, b) =
                        plot.x.scale == .log
                        ? (px(p.x) - 2, px(p.x) + 2) : (px(p.x - barWidth / 2), px(p.x + barWidth / 2))
                    let (top, bottom) = (min(py(p.y), base), max(py(p.y), base))
                    out += rect(
                        a, top, max(0, b - a), bottom - top,
                        "fill=\"\(color)\" fill-opacity=\"0.75\" stroke=\"white\" stroke-width=\"0.5\"")
                }
            case .scatter:
                for (i, point) in prepared.points.enumerated() {
                    guard let p = point else { continue }
                    let label = prepared.labels[i]
                    // With labels: the lecture's big dots (s=200) with the label in white on top.
                    out +=
                        "<circle cx=\"\(n(px(p.x)))\" cy=\"\(n(py(p.y)))\" r=\"\(label.isEmpty ? "3" : "9")\" fill=\"\(color)\"/>\n"
                    if !label.isEmpty {
                        out +=
                            "<text x=\"\(n(px(p.x)))\" y=\"\(n(py(p.y) + 4))\" text-anchor=\"middle\" fill=\"white\">\(xmlEscaped(label))</text>\n"
                    }
                }
            }
        }
        out += "</g>\n" + rect(area.x0, area.y0, area.x1 - area.x0, area.y1 - area.y0, "fill=\"none\" stroke=\"black\"")
        out += ticks(xt, yt, px, py, area)
        // What the legend should not cover: each line segment, and each other point as a segment of length 0.
        let segments = data.series.flatMap { prepared -> [((Double, Double), (Double, Double))] in
            let points = prepared.points.map { $0.map { (px($0.x), py($0.y)) } }
            return points.indices.compactMap { i in
                guard let p = points[i] else { return nil }
                let next = prepared.series.kind == .line && i + 1 < points.count ? points[i + 1] : nil
                return (p, next ?? p)
            }
        }
        return out + legend(data, area, avoiding: segments)
    }

    /// Tick marks and their labels on the left and bottom edges.
    private func ticks(
        _ xt: AxisTicks, _ yt: AxisTicks, _ px: (Double) -> Double, _ py: (Double) -> Double,
        _ area: (x0: Double, y0: Double, x1: Double, y1: Double)
    ) -> String {
        var out = "<g stroke=\"black\">\n"
        for tick in xt.ticks {
            out +=
                "<line x1=\"\(n(px(tick.position)))\" y1=\"\(n(area.y1))\" x2=\"\(n(px(tick.position)))\" y2=\"\(n(area.y1 + 4))\"/>\n"
        }
        for tick in yt.ticks {
            out +=
                "<line x1=\"\(n(area.x0 - 4))\" y1=\"\(n(py(tick.position)))\" x2=\"\(n(area.x0))\" y2=\"\(n(py(tick.position)))\"/>\n"
        }
        out += "</g>\n<g text-anchor=\"middle\">\n"
        for tick in xt.ticks {
            out += "<text x=\"\(n(px(tick.position)))\" y=\"\(n(area.y1 + 16))\">\(xmlEscaped(tick.label))</text>\n"
        }
        out += "</g>\n<g text-anchor=\"end\">\n"
        for tick in yt.ticks {
            out +=
                "<text x=\"\(n(area.x0 - 6))\" y=\"\(n(py(tick.position) + 4))\">\(xmlEscaped(tick.label))</text>\n"
        }
        return out + "</g>\n"
    }

    /// A box naming each series (when there are several or they are named) and reference line, in the corner
    /// of the plot area that covers the fewest points (upper right first, as matplotlib's `loc='best'`).
    private func legend(
        _ data: PlotData, _ area: (x0: Double, y0: Double, x1: Double, y1: Double),
        avoiding segments: [((Double, Double), (Double, Double))]
    ) -> String {
        let visible = data.series.indices.filter { data.series[$0].hasPoints }
        var entries: [(swatch: String, label: String)] = []
        if visible.count > 1 || visible.contains(where: { !data.series[$0].series.name.isEmpty }) {
            entries = visible.map { i in
                let s = data.series[i].series
                let color = Self.colors[i % Self.colors.count]
                let swatch =
                    s.kind == .line
                    ? "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"\(color)\" stroke-width=\"2\"/>"
                    : "<rect x=\"6\" y=\"-4\" width=\"8\" height=\"8\" fill=\"\(color)\"/>"
                return (swatch, s.name.isEmpty ? "series \(i + 1)" : s.name)
            }
        }
        entries += data.references.map {
            ("<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"#333\" stroke-dasharray=\"5 3\"/>", $0.label)
        }
        guard !entries.isEmpty else { return "" }
        let textWidth = Double(entries.map(\.label.count).max() ?? 0) * 6.5
        let (w, h) = (36 + textWidth, 8 + 16 * Double(entries.count))
        let corners = [
            (area.x1 - w - 8, area.y0 + 8), (area.x0 + 8, area.y0 + 8), (area.x0 + 8, area.y1 - h - 8),
            (area.x1 - w - 8, area.y1 - h - 8)
        ]
        let covered = corners.map { c in
            segments.filter { Self.crosses(x: c.0...(c.0 + w), y: c.1...(c.1 + h), from: $0.0, to: $0.1) }.count
        }
        let (x, y) = corners[covered.indices.min { covered[$0] < covered[$1] }!]
        var out =
            "<g transform=\"translate(\(n(x)) \(n(y)))\">\n<rect width=\"\(n(w))\" height=\"\(n(h))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
        for (i, entry) in entries.enumerated() {
            out +=
                "<g transform=\"translate(8 \(n(12 + 16 * Double(i))))\">\(entry.swatch)<text x=\"26\" y=\"4\">\(xmlEscaped(entry.label))</text></g>\n"
        }
        return out + "</g>\n"
    }

    /// Whether the segment from `a` to `b` touches the rectangle (Liang–Barsky clipping).
    static func crosses(
        x: ClosedRange<Double>, y: ClosedRange<Double>, from a: (Double, Double), to b: (Double, Double)
    ) -> Bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        var (t0, t1) = (0.0, 1.0)
        for (p, q) in [
            (-dx, a.0 - x.lowerBound), (dx, x.upperBound - a.0), (-dy, a.1 - y.lowerBound), (dy, y.upperBound - a.1)
        ] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return false }
            }
        }
        return true
    }

    // MARK: Numbers and text

    /// A rectangle element on a line of its own.
    func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, _ attributes: String) -> String {
        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" \(attributes)/>\n"
    }

    /// A coordinate with one decimal, never `-0.0`.
    func n(_ v: Double) -> String {
        let text = String(format: "%.1f", v.isFinite ? v : 0)
        return text == "-0.0" ? "0.0" : text
    }

    /// The unbroken runs of a line in pixels, each cut down to at most 4 points per pixel column (the first,
    /// lowest, highest and last, in order), which draws the same picture as every point.
    static func runs(_ points: [(Double, Double)?]) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = []
        var run: [(Double, Double)] = []
        var column: [(Double, Double)] = []
        func flushColumn() {
            guard !column.isEmpty else { return }
            if column.count <= 4 {
                run += column
                column = []
                return
            }
            let low = column.indices.min { column[$0].1 < column[$1].1 }!
            let high = column.indices.max { column[$0].1 < column[$1].1 }!
            run += [0, min(low, high), max(low, high), column.count - 1]
                .reduce(into: [Int]()) { if $0.last != $1 { $0.append($1) } }
                .map { column[$0] }
            column = []
        }
        for point in points {
            guard let p = point else {
                flushColumn()
                if !run.isEmpty {
                    runs.append(run)
                    run = []
                }
                continue
            }
            if let previous = column.last, previous.0.rounded(.down) != p.0.rounded(.down) { flushColumn() }
            column.append(p)
        }
        flushColumn()
        if !run.isEmpty { runs.append(run) }
        return runs
    }

}

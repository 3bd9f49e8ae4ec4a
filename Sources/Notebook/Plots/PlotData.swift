// A plot's data made ready to draw, shared by the terminal and the SVG renderers: points moved to axis
// space (log10 on a log axis), NaN/inf and non-positive values on log axes left out and counted, and
// the extent of what is left. Nothing here traps on user data.
import Foundation

/// The drawable part of a `Plot`: finite points in axis space, the extents, and notes on what was left out.
struct PlotData {
    /// One series in axis space. A nil point is a gap: the line breaks there.
    struct Prepared {
        var series: Series
        var points: [(x: Double, y: Double)?]
        var labels: [String]
        var hasPoints: Bool { points.contains { $0 != nil } }
    }

    var series: [Prepared]
    /// Reference lines' y in axis space, with their labels.
    var references: [(y: Double, label: String)]
    /// The extent of the data (and reference lines), widened when it is a single value; nil when empty.
    var x: ClosedRange<Double>?, y: ClosedRange<Double>?
    /// Whether the extent is the axis's fixed range (kept exactly) rather than the data's (widened to ticks).
    var xIsFixed: Bool, yIsFixed: Bool
    /// What was left out, one short sentence each.
    var notes: [String]

    init(_ plot: Plot) {
        var notes: [String] = []
        let xLog = plot.x.scale == .log
        let yLog = plot.y.scale == .log
        func place(_ v: Double, log: Bool) -> Double? {
            guard v.isFinite, !log || v > 0 else { return nil }
            return log ? Foundation.log10(v) : v
        }
        series = plot.series.enumerated().map { index, s in
            var points: [(x: Double, y: Double)?] = []
            var labels: [String] = []
            var notFinite = 0
            var notPositive = 0
            for i in s.xs.indices {
                let (x, y) = (s.xs[i], s.ys[i])
                if !x.isFinite || !y.isFinite {
                    notFinite += 1
                } else if (xLog && x <= 0) || (yLog && y <= 0 && !Self.isBars(s)) {
                    notPositive += 1
                }
                // Bars on a log y-axis start at the bottom edge: a zero count is simply no bar.
                let yPlaced = Self.isBars(s) && yLog && y.isFinite && y <= 0 ? nil : place(y, log: yLog)
                if let px = place(x, log: xLog), let py = yPlaced {
                    points.append((px, py))
                    labels.append(s.labels.isEmpty ? "" : s.labels[i])
                } else if points.last.map({ $0 != nil }) ?? false {
                    points.append(nil)
                    labels.append("")
                }
            }
            let name = Self.name(s, index, of: plot.series.count)
            if s.xs.isEmpty {
                notes.append("\(name) is empty")
            }
            if notFinite > 0 {
                notes.append("\(Self.count(notFinite, "value")) in \(name) skipped (nan or inf)")
            }
            if notPositive > 0 {
                let axes = [xLog ? "x" : nil, yLog ? "y" : nil].compactMap { $0 }.joined(separator: " and ")
                notes.append(
                    "\(Self.count(notPositive, "value")) ≤ 0 in \(name) skipped: the \(axes)-axis is logarithmic")
            }
            return Prepared(series: s, points: points, labels: labels)
        }
        references = plot.referenceLines.compactMap { line in
            guard let y = place(line.y, log: yLog) else {
                notes.append(
                    "reference line y = \(line.y.pythonDescription) cannot be drawn on \(yLog ? "a log" : "this") axis")
                return nil
            }
            let value = yLog && AxisTicks.power(y) == line.y ? "1e\(Int(y))" : AxisTicks.short(line.y)
            return (y, line.label.isEmpty ? "y = \(value)" : line.label)
        }
        var xs: [Double] = []
        var ys: [Double] = references.map(\.y)
        for prepared in series {
            for case let p? in prepared.points {
                if case .bars(let width) = prepared.series.kind, !xLog {
                    xs += [p.x - width / 2, p.x + width / 2]
                    if !yLog { ys.append(0) }
                } else {
                    xs.append(p.x)
                }
                ys.append(p.y)
            }
        }
        (x, xIsFixed) = Self.extent(xs, fixed: plot.x.range, log: xLog)
        (y, yIsFixed) = Self.extent(ys, fixed: plot.y.range, log: yLog)
        // A single value gets an axis around it, on which its row may carry a neighbouring tick's label: say it.
        for (name, values, log, fixed) in [("x", xs, xLog, xIsFixed), ("y", ys, yLog, yIsFixed)] where !fixed {
            if let v = values.first, values.count > 1 || name == "y", values.allSatisfy({ $0 == v }) {
                notes.append("every \(name) value is \(AxisTicks.short(log ? AxisTicks.power(v) : v))")
            }
        }
        if let range = plot.x.range, !xIsFixed {
            notes.append(
                "the x range \(range) cannot be used: it must be finite\(xLog ? ", positive" : "") and not empty")
        }
        if let range = plot.y.range, !yIsFixed {
            notes.append(
                "the y range \(range) cannot be used: it must be finite\(yLog ? ", positive" : "") and not empty")
        }
        if let xs = x, let ys = y {
            let outside = series.reduce(0) { total, prepared in
                total
                    + prepared.points.reduce(0) { n, p in
                        guard let p else { return n }
                        return n + ((xs.contains(p.x) && ys.contains(p.y)) ? 0 : 1)
                    }
            }
            if outside > 0 { notes.append("\(Self.count(outside, "point")) outside the fixed range not shown") }
        }
        self.notes = notes
    }

    /// The data's extent in axis space, or the fixed range (moved to axis space); a single value is
    /// widened to an interval around it (half its size each way, or one decade on a log axis).
    static func extent(_ values: [Double], fixed: ClosedRange<Double>?, log: Bool) -> (
        ClosedRange<Double>?, fixed: Bool
    ) {
        if let fixed, fixed.lowerBound.isFinite, fixed.upperBound.isFinite, fixed.lowerBound < fixed.upperBound,
            !log || fixed.lowerBound > 0
        {
            return (log ? Foundation.log10(fixed.lowerBound)...Foundation.log10(fixed.upperBound) : fixed, true)
        }
        guard let low = values.min(), let high = values.max() else { return (nil, false) }
        // A span too small for a normal Double (values that differ only in their last subnormal bits)
        // cannot be divided into ticks and rows: such values are drawn as one value.
        guard low == high || high - low < .leastNormalMagnitude else { return (low...high, false) }
        let half = log ? 1 : (low == 0 ? 1 : abs(low) / 2)
        var (a, b) = (low - half, low + half)
        if !b.isFinite { b = low }
        if !a.isFinite { a = low }
        // so small that half of it rounds away
        if a >= b || b - a < .leastNormalMagnitude { (a, b) = (low - 1, low + 1) }
        return (a...b, false)
    }

    /// `'loss'`, or `series 2` for a series without a name (`the series` when there is only one).
    static func name(_ s: Series, _ index: Int, of count: Int) -> String {
        s.name.isEmpty ? (count == 1 ? "the series" : "series \(index + 1)") : "'\(s.name.printable)'"
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func isBars(_ s: Series) -> Bool {
        if case .bars = s.kind { return true }
        return false
    }
}

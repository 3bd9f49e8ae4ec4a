// A classifier's decision regions over the plane with the data on top: micrograd's moon_mlp.png in the
// terminal. Two shades where colour is on; in plain text '·' (class 1; not '.', whose runs would read as
// the session scripts' `...` wildcard) and blank (class -1); the points as o (label 1) and x (label -1).
// The SVG export is in DecisionBoundarySVG.swift.
import Engine
import Foundation
import NotebookLanguage

/// The picture of a 2-D data set and, when there is a model, the class it gives every point.
struct DecisionBoundary {
    let data: ToyDataset
    /// The model's score at (x, y): class 1 where it is > 0. Nil for a plain scatter plot.
    let score: ((Double, Double) -> Double)?
    /// The plane shown: the data's extent plus a margin.
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    /// Character cells across and down.
    let columns: Int, rows: Int

    /// - Precondition: `data` is 2-D with at least one point; `columns >= 2`.
    init(data: ToyDataset, score: ((Double, Double) -> Double)?, columns: Int, rows: Int? = nil) {
        precondition(data.features == 2 && data.count > 0 && columns >= 2, "a 2-D data set and at least 2 columns")
        self.data = data
        self.score = score
        func range(_ values: [Double]) -> ClosedRange<Double> {
            let low = values.min()!
            let high = values.max()!
            let margin = Swift.max(0.1 * (high - low), 0.25)
            return (low - margin)...(high + margin)
        }
        xRange = range(data.inputs.map { $0[0] })
        yRange = range(data.inputs.map { $0[1] })
        self.columns = columns
        // A character cell is about twice as tall as it is wide: half as many rows keeps the shape.
        let shaped =
            Double(columns) * (yRange.upperBound - yRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) / 2
        self.rows = rows ?? Swift.min(40, Swift.max(6, Int(saturating: shaped.rounded())))
    }

    /// The width to draw at: `requested`, or what fits the style (at most 64); checked.
    static func checkedWidth(_ requested: Int?, style: TextStyle) throws(NotebookError) -> Int {
        guard let requested else { return Swift.max(20, Swift.min(64, style.width - 10)) }
        guard (10...400).contains(requested) else {
            throw NotebookError("--width must be from 10 to 400 characters, not \(requested)")
        }
        return requested
    }

    // MARK: The grid

    /// The centre of cell (row, column), row 0 at the top.
    func centre(row: Int, column: Int) -> (x: Double, y: Double) {
        let x = xRange.lowerBound + (Double(column) + 0.5) * (xRange.upperBound - xRange.lowerBound) / Double(columns)
        let y = yRange.upperBound - (Double(row) + 0.5) * (yRange.upperBound - yRange.lowerBound) / Double(rows)
        return (x, y)
    }

    /// The model's class in each cell (true: class 1), row 0 at the top; nil without a model.
    func regions() -> [[Bool]]? {
        guard let score else { return nil }
        return (0..<rows).map { r in
            (0..<columns).map { c in
                let p = centre(row: r, column: c)
                return score(p.x, p.y) > 0
            }
        }
    }

    /// How many points of each label fall in each cell, keyed by row * columns + column.
    func pointsByCell() -> [Int: (positive: Int, negative: Int)] {
        var cells: [Int: (positive: Int, negative: Int)] = [:]
        let width = xRange.upperBound - xRange.lowerBound
        let height = yRange.upperBound - yRange.lowerBound
        for (point, label) in zip(data.inputs, data.targets) {
            let c = Swift.min(
                columns - 1,
                Swift.max(0, Int(saturating: ((point[0] - xRange.lowerBound) / width * Double(columns)).rounded(.down)))
            )
            let r = Swift.min(
                rows - 1,
                Swift.max(0, Int(saturating: ((yRange.upperBound - point[1]) / height * Double(rows)).rounded(.down))))
            var counts = cells[r * columns + c] ?? (0, 0)
            if label > 0 { counts.positive += 1 } else { counts.negative += 1 }
            cells[r * columns + c] = counts
        }
        return cells
    }

    // MARK: Text

    /// The plot in a frame with its ranges, and a legend.
    func lines(style: TextStyle) -> [String] {
        let regions = regions()
        let points = pointsByCell()
        let top = Self.label(yRange.upperBound)
        let bottom = Self.label(yRange.lowerBound)
        let margin = Swift.max(top.count, bottom.count)
        func pad(_ s: String) -> String { String(repeating: " ", count: margin - s.count) + s }
        var lines = [pad(top) + " ┌" + String(repeating: "─", count: columns) + "┐"]
        for r in 0..<rows {
            var row = ""
            var shade: Bool?  // the background now in effect (colour only)
            for c in 0..<columns {
                let region = regions?[r][c]
                if style.color, region != shade {
                    row += region.map { Self.background($0) } ?? "\u{1B}[0m"
                    shade = region
                }
                row += cellText(points[r * columns + c], region: region, color: style.color)
            }
            if style.color, shade != nil { row += "\u{1B}[0m" }
            lines.append(String(repeating: " ", count: margin) + " │" + row + "│")
        }
        lines.append(pad(bottom) + " └" + String(repeating: "─", count: columns) + "┘")
        let left = Self.label(xRange.lowerBound)
        let right = Self.label(xRange.upperBound)
        let gap = Swift.max(1, columns + 2 - left.count - right.count)
        lines.append(String(repeating: " ", count: margin + 1) + left + String(repeating: " ", count: gap) + right)
        lines.append(legend(color: style.color))
        return lines
    }

    /// One cell: a point's mark over the region's character.
    private func cellText(_ counts: (positive: Int, negative: Int)?, region: Bool?, color: Bool) -> String {
        if let counts {
            let mark =
                counts.positive > 0 && counts.negative > 0
                ? "*" : counts.positive > 0 ? (color ? "●" : "o") : (color ? "●" : "x")
            guard color else { return mark }
            let ink =
                counts.positive > 0 && counts.negative > 0
                ? "38;2;0;0;0" : counts.positive > 0 ? Self.positiveInk : Self.negativeInk
            return "\u{1B}[\(ink)m\(mark)\u{1B}[39m"
        }
        guard let region, !color else { return " " }
        return region ? "·" : " "
    }

    private func legend(color: Bool) -> String {
        let positive = data.targets.count { $0 > 0 }
        let negative = data.count - positive
        if color {
            let marks =
                "\u{1B}[\(Self.positiveInk)m●\u{1B}[39m label 1 (\(positive))   \u{1B}[\(Self.negativeInk)m●\u{1B}[39m label -1 (\(negative))"
            return marks + (score == nil ? "" : "   shade: the model's class (blue 1, red -1)")
                + (hasBoth ? "   * both" : "")
        }
        return "o label 1 (\(positive))   x label -1 (\(negative))"
            + (score == nil ? "" : "   · where the model says 1, blank where it says -1")
            + (hasBoth ? "   * both labels in one cell" : "")
    }

    private var hasBoth: Bool { pointsByCell().values.contains { $0.positive > 0 && $0.negative > 0 } }

    /// Colours after the Spectral-like map of micrograd's figure: light blue for 1, light red for -1.
    static let positiveInk = "38;2;33;102;172", negativeInk = "38;2;178;24;43"
    static func background(_ positive: Bool) -> String {
        positive ? "\u{1B}[48;2;209;229;240m" : "\u{1B}[48;2;253;219;199m"
    }

    /// A range end as shown on the axes: two decimals.
    static func label(_ x: Double) -> String {
        String(format: "%.2f", x == 0 ? 0 : x)
    }
}

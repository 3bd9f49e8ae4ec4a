// The bigram matrix as the lecture's figure (makemore part 1: `plt.imshow(N, cmap='Blues')` with each
// cell's two characters and count): shaded cells in a terminal, and narrower forms when it does not fit.
// The SVG export is in `CountMatrix+SVG.swift`.
import Makemore

/// A V × V matrix of a bigram model (its counts N or its probabilities P), ready to draw.
///
/// Three forms for the terminal:
/// - the **figure**, as in the lecture: every cell shows its bigram over its value, shaded by the value
///   (a background colour; without colour the numbers alone tell the size);
/// - **blocks**: a table with the first character down the side and the second across the top, split
///   into blocks of columns that fit the width: what `counts` shows when the figure is too wide;
/// - a **map**: one character per cell, darker for larger values (` .:-=+*#%@`), 2 columns a cell.
struct CountMatrix {
    /// The characters of the rows and columns: `itos`.
    let labels: [Character]
    /// The text of each cell, row-major.                     // (V, V)
    let cells: [String]
    /// The shade of each cell, 0...1: its value over the largest (linear, as imshow).   // (V, V)
    let levels: [Double]
    /// What the values are, for headings: `N` or `P`.
    let name: String

    var size: Int { labels.count }

    /// N as counts.
    init(counts N: BigramCounts) {
        labels = N.vocabulary.itos
        cells = N.counts.map(String.init)
        let largest = Double(max(N.largest.count, 1))
        levels = N.counts.map { Double($0) / largest }
        name = "N"
    }

    /// P to 4 decimals.
    init(probabilities model: BigramModel) {
        labels = model.vocabulary.itos
        cells = model.probabilities.map { Double($0).fixed(4) }
        let largest = Double(model.probabilities.max() ?? 1)
        levels = model.probabilities.map { largest > 0 ? Double($0) / largest : 0 }
        name = "P"
    }

    /// A character as a label: a space shows as ␠, a control character escaped (`\t`).
    static func label(_ c: Character) -> String { c == " " ? "␠" : String(c).escapedForDisplay }

    /// The widest cell text, and at least 2 (a bigram).
    var cellWidth: Int { max(2, cells.map(\.displayWidth).max() ?? 0) }

    func text(_ i: Int, _ j: Int) -> String { cells[i * size + j] }
    func level(_ i: Int, _ j: Int) -> Double { levels[i * size + j] }

    /// `text` centred in `width` columns (an odd space goes on the right).
    static func centred(_ text: String, _ width: Int) -> String {
        let room = max(0, width - text.displayWidth)
        return String(repeating: " ", count: room / 2) + text + String(repeating: " ", count: room - room / 2)
    }

    // MARK: Forms

    /// The columns the figure takes.
    var figureWidth: Int { size * (cellWidth + 1) }

    /// The lecture's figure: two lines per row, each cell's bigram over its value, cells shaded.
    func figureLines(style: TextStyle) -> [String] {
        let w = cellWidth + 1
        var lines: [String] = []
        for i in 0..<size {
            var top = ""
            var bottom = ""
            for j in 0..<size {
                let bigram = Self.label(labels[i]) + Self.label(labels[j])
                top += style.shade(Self.centred(bigram, w), level: level(i, j))
                bottom += style.shade(Self.centred(text(i, j), w), level: level(i, j))
            }
            lines += [top.trimmingTrailingSpaces, bottom.trimmingTrailingSpaces]
        }
        return lines
    }

    /// The values in tables of as many columns as fit `style.width`: row = first character, column = second.
    func blockLines(style: TextStyle) -> [String] {
        let labelWidth = labels.map { Self.label($0).displayWidth }.max() ?? 1
        let columnWidth = max(labelWidth, cells.map(\.displayWidth).max() ?? 1)  // as Table pads it
        let perBlock = max(1, (style.width - labelWidth) / (columnWidth + 2))
        var lines: [String] = []
        for start in stride(from: 0, to: size, by: perBlock) {
            let columns = start..<min(size, start + perBlock)
            var rows = [[""] + columns.map { Self.label(labels[$0]) }]
            for i in 0..<size {
                rows.append([Self.label(labels[i])] + columns.map { style.shade(text(i, $0), level: level(i, $0)) })
            }
            if !lines.isEmpty { lines.append("") }
            lines += Table(rows: rows, alignRight: Set(1...columns.count)).lines
        }
        return lines
    }

    /// The intensity ramp of the map, lightest first: a blank is exactly 0.
    static let ramp = Array(" .:-=+*#%@")

    /// One character per cell, from ` ` (0) through `.` (any value above 0) to `@` (the largest).
    func mapLines(style: TextStyle) -> [String] {
        var lines = ["  " + labels.map { Self.label($0) }.joined(separator: " ")]
        for i in 0..<size {
            var line = Self.label(labels[i]) + " "
            for j in 0..<size {
                let l = level(i, j)
                let glyph =
                    l <= 0
                    ? Self.ramp[0] : Self.ramp[min(Self.ramp.count - 1, 1 + Int(l * Double(Self.ramp.count - 2)))]
                line += style.shade(String(glyph) + " ", level: l)
            }
            lines.append(line.trimmingTrailingSpaces)
        }
        return lines
    }
}

// The drawing surface of terminal plots: character cells of 2 × 4 Braille dots (U+2800 + a bit per dot),
// one layer of dots per series so that a cell knows whose dots it holds, with markers, labels and
// reference lines as whole characters on top. Dots are addressed from the top-left corner.

/// Character cells holding Braille dots per series, and characters placed over them.
struct PlotCanvas {
    let columns: Int, rows: Int
    /// `layers[s][cell]`: the Braille bits of series `s` in `cell` (= row × columns + column).
    private(set) var layers: [[UInt8]]
    /// A character placed in a cell (a marker or a label) and the series it belongs to.
    private(set) var glyphs: [(character: Character, series: Int)?]
    /// Cells a reference line runs through: drawn where nothing else is.
    private(set) var rules: [Bool]

    /// Width and height in dots.
    var dotColumns: Int { 2 * columns }
    var dotRows: Int { 4 * rows }

    init(columns: Int, rows: Int, series: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        layers = [[UInt8]](repeating: [UInt8](repeating: 0, count: self.columns * self.rows), count: max(1, series))
        glyphs = Array(repeating: nil, count: self.columns * self.rows)
        rules = Array(repeating: false, count: self.columns * self.rows)
    }

    /// The bit of the dot at (`x` mod 2, `y` mod 4) in a Braille cell: dots 1-2-3-7 down the left, 4-5-6-8 down the right.
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (`x`, `y`) of series `s`; dots outside the canvas are ignored.
    mutating func dot(_ s: Int, x: Int, y: Int) {
        guard x >= 0, x < dotColumns, y >= 0, y < dotRows else { return }
        layers[s][(y / 4) * columns + x / 2] |= Self.bits[x % 2][y % 4]
    }

    /// Draws a straight line of dots for series `s` between two points in dot coordinates, clipped to
    /// the canvas first (Liang–Barsky), so that far-away points cost nothing.
    mutating func line(_ s: Int, from a: (x: Double, y: Double), to b: (x: Double, y: Double)) {
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return }
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        var (t0, t1) = (0.0, 1.0)
        let edges = [
            (-dx, a.x + 0.5), (dx, Double(dotColumns) - 0.5 - a.x), (-dy, a.y + 0.5), (dy, Double(dotRows) - 0.5 - a.y)
        ]
        for (p, q) in edges {
            if p == 0 {
                if q < 0 { return }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return }
            }
        }
        let start = (x: a.x + t0 * dx, y: a.y + t0 * dy)
        let length = (x: (t1 - t0) * dx, y: (t1 - t0) * dy)
        let steps = Swift.min(1 << 20, Int(saturating: max(abs(length.x), abs(length.y)).rounded(.up)))
        for i in 0...steps {
            let t = steps == 0 ? 0 : Double(i) / Double(steps)
            dot(
                s, x: Int(saturating: (start.x + t * length.x).rounded()),
                y: Int(saturating: (start.y + t * length.y).rounded()))
        }
    }

    /// Places `character` for series `s` at a cell; returns false when the cell is outside or taken.
    @discardableResult
    mutating func put(_ character: Character, column: Int, row: Int, series s: Int) -> Bool {
        guard column >= 0, column < columns, row >= 0, row < rows, glyphs[row * columns + column] == nil else {
            return false
        }
        glyphs[row * columns + column] = (character, s)
        return true
    }

    /// Marks a row as crossed by a reference line.
    mutating func rule(row: Int) {
        guard row >= 0, row < rows else { return }
        for column in 0..<columns { rules[row * columns + column] = true }
    }

    /// Puts `marker` on the line of series `s` about every `spacing` columns, in a cell only that series
    /// has dots in, so markers never hide another series. Series are staggered so markers do not line up.
    mutating func sprinkle(_ marker: Character, series s: Int, of count: Int, spacing: Int) {
        let start = spacing / 2 + (spacing * s) / max(1, count)
        for target in stride(from: start % spacing, to: columns, by: spacing) {
            search: for distance in 0..<max(1, spacing / 2) {
                for column in distance == 0 ? [target] : [target + distance, target - distance]
                where column >= 0 && column < columns {
                    let own = (0..<rows).filter { row in
                        let cell = row * columns + column
                        return layers[s][cell] != 0 && glyphs[cell] == nil
                            && layers.indices.allSatisfy { $0 == s || layers[$0][cell] == 0 }
                    }
                    if !own.isEmpty {
                        put(marker, column: column, row: own[own.count / 2], series: s)
                        break search
                    }
                }
            }
        }
    }

    /// The series whose dots fill most of a cell (the later one on a tie), or nil for an empty cell.
    func owner(of cell: Int) -> Int? {
        var best: (series: Int, dots: Int)?
        for s in layers.indices where layers[s][cell] != 0 {
            let dots = layers[s][cell].nonzeroBitCount
            if best == nil || dots >= best!.dots { best = (s, dots) }
        }
        return best?.series
    }

    /// The cells of one row as (character, series or nil, is a reference line).
    func cells(row: Int) -> [(character: Character, series: Int?, isRule: Bool)] {
        (0..<columns).map { column in
            let cell = row * columns + column
            if let glyph = glyphs[cell] { return (glyph.character, glyph.series, false) }
            let bits = layers.reduce(UInt8(0)) { $0 | $1[cell] }
            if bits != 0 { return (Character(Unicode.Scalar(0x2800 + UInt32(bits))!), owner(of: cell), false) }
            return rules[cell] ? ("┈", nil, true) : (" ", nil, false)
        }
    }
}

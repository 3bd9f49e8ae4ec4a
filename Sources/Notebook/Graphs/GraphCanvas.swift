// A grid of character cells for drawing graphs in a terminal: text in colour, and lines whose
// junctions come out right because each cell collects the directions it connects in and only
// then becomes one box-drawing character (─ ┐ ├ ┼ …, or ═ ║ ╚ … for doubled lines).

/// A character grid that is drawn into and then rendered to lines of text.
///
/// ```swift
/// var canvas = GraphCanvas(width: 5, height: 2)
/// canvas.connect(x: 2, y: 0, down: .single, left: .single)   // ┐
/// canvas.connect(x: 2, y: 1, up: .single, right: .single)    // └
/// ```
struct GraphCanvas {
    /// How heavy a line arm is: absent, a single line, or a double line (an edge drawn twice).
    enum Weight: Int, Comparable {
        case none = 0
        case single, double

        static func < (a: Weight, b: Weight) -> Bool { a.rawValue < b.rawValue }
    }

    /// One cell: a character of text, or the line arms meeting in it.
    struct Cell {
        var character: Character?
        var color: TextStyle.Color?
        var up = Weight.none, down = Weight.none
        var left = Weight.none, right = Weight.none
        /// A horizontal line passing under a vertical one without joining it.
        var crossing = false
    }

    let width: Int
    let height: Int
    private var cells: [Cell]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Cell(), count: width * height)
    }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from column `x` of row `y`, one character per cell.
    mutating func write(_ text: String, x: Int, y: Int, color: TextStyle.Color? = nil) {
        for (offset, character) in text.enumerated() {
            self[x + offset, y].character = character
            self[x + offset, y].color = color
        }
    }

    /// Adds line arms to a cell; an arm drawn twice keeps the heavier weight.
    mutating func connect(
        x: Int, y: Int, up: Weight = .none, down: Weight = .none,
        left: Weight = .none, right: Weight = .none
    ) {
        var cell = self[x, y]
        cell.up = max(cell.up, up)
        cell.down = max(cell.down, down)
        cell.left = max(cell.left, left)
        cell.right = max(cell.right, right)
        self[x, y] = cell
    }

    /// A horizontal line from `x0` to `x1` (inclusive) on row `y`.
    mutating func horizontal(from x0: Int, to x1: Int, y: Int, weight: Weight = .single) {
        guard x0 <= x1 else { return }
        for x in x0...x1 { connect(x: x, y: y, left: weight, right: weight) }
    }

    /// Marks a cell where a horizontal line crosses a vertical one without joining it.
    mutating func cross(x: Int, y: Int) {
        self[x, y].crossing = true
    }

    /// The rows as text, trailing blanks removed; runs of one colour are painted when `style.color`.
    func render(style: TextStyle) -> [String] {
        (0..<height).map { y in
            var line = ""
            var run = ""
            var runColor: TextStyle.Color?
            func flush() {
                guard !run.isEmpty else { return }
                line += runColor.map { style.paint(run, $0) } ?? run
                run = ""
            }
            var end = width
            while end > 0, Self.character(of: self[end - 1, y]) == " " { end -= 1 }
            for x in 0..<end {
                let cell = self[x, y]
                if cell.color != runColor {
                    flush()
                    runColor = cell.color
                }
                run.append(Self.character(of: cell))
            }
            flush()
            return line
        }
    }

    /// The character a cell shows: its text, or the box-drawing character for its arms.
    static func character(of cell: Cell) -> Character {
        if let character = cell.character { return character }
        let verticalDouble = cell.up == .double || cell.down == .double
        let horizontalDouble = cell.left == .double || cell.right == .double
        if cell.crossing { return verticalDouble ? "║" : "│" }
        let mask =
            (cell.up > .none ? 1 : 0) | (cell.down > .none ? 2 : 0)
            | (cell.left > .none ? 4 : 0) | (cell.right > .none ? 8 : 0)
        guard mask != 0 else { return " " }
        // Each entry: single, horizontal double, vertical double, both double.
        let glyphs: [Character]
        switch mask {
        case 1, 2, 3: glyphs = ["│", "│", "║", "║"]
        case 4, 8, 12: glyphs = ["─", "═", "─", "═"]
        case 10: glyphs = ["┌", "╒", "╓", "╔"]
        case 6: glyphs = ["┐", "╕", "╖", "╗"]
        case 9: glyphs = ["└", "╘", "╙", "╚"]
        case 5: glyphs = ["┘", "╛", "╜", "╝"]
        case 11: glyphs = ["├", "╞", "╟", "╠"]
        case 7: glyphs = ["┤", "╡", "╢", "╣"]
        case 14: glyphs = ["┬", "╤", "╥", "╦"]
        case 13: glyphs = ["┴", "╧", "╨", "╩"]
        default: glyphs = ["┼", "╪", "╫", "╬"]
        }
        return glyphs[(horizontalDouble ? 1 : 0) + (verticalDouble ? 2 : 0)]
    }
}

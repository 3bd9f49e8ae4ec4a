// A `Value` compute graph drawn as text, left to right like micrograd's `draw_dot` (rankdir=LR):
// a one-line record box per value, its op just before it, edges in box-drawing characters. Falls
// back to the indented tree of GraphTree.swift when too wide, and to a short note when too big.
import Engine

/// How to draw a compute graph.
enum GraphForm: Sendable {
    /// Left to right when it fits the width, else the tree.
    case auto
    /// Left to right, however wide.
    case wide
    /// The indented tree.
    case tree
}

/// Draws the graph that computes `root` in the chosen form; see `drawGraph` and `drawGraphTree`.
func renderGraph(_ root: Value, form: GraphForm, style: TextStyle) -> [String] {
    if form == .tree { return drawGraphTree(root, style: style) }
    let nodes = root.topologicalOrder().count
    guard nodes <= GraphDrawing.nodeLimit else { return GraphDrawing.tooLargeMessage(nodes: nodes) }
    let drawing = GraphDrawing(GraphLayout(root))
    if form == .auto && drawing.width > style.width { return drawGraphTree(root, style: style) }
    guard drawing.width * drawing.layout.rowCount <= GraphDrawing.cellLimit else {
        return [
            "graph too big to draw left to right (\(drawing.width.grouped) columns): draw it with --tree"
        ]
    }
    return drawing.lines(style: style)
}

/// The graph that computes `root`, left to right, one value per box, as micrograd's `draw_dot`:
///
/// ```text
/// [ a | data 2.0000 | grad 6.0000 ]───┐
///                                     ├─(*)─[ e | data -6.0000 | grad -2.0000 ]─┐
/// [ b | data -3.0000 | grad -4.0000 ]─┘                                         ├─(+)─[ d | …
/// ```
///
/// The inputs of an op meet in a vertical lane that turns into the op (`├─(*)`); a line that
/// touches a lane and goes on feeds that op and more to the right. A value used twice is drawn
/// once, with a line to each use; an op whose one input is used twice (`a + a`) gets a double
/// line `══`. Lines that cross without joining show the vertical one unbroken (`─│─`).
///
/// When the drawing is wider than `style.width` it falls back to `drawGraphTree`; above
/// `GraphDrawing.nodeLimit` nodes it returns a short note instead. Lines come without newlines.
func drawGraph(_ root: Value, style: TextStyle) -> [String] {
    renderGraph(root, form: .auto, style: style)
}

/// A laid-out graph with x positions for every column and lane, drawn onto a `GraphCanvas`.
struct GraphDrawing {
    let layout: GraphLayout
    let gaps: [GapLanes]
    /// Per column: where it starts, where its boxes start, and its width.
    private(set) var columnX: [Int] = []
    private(set) var boxX: [Int] = []
    private(set) var columnWidth: [Int] = []
    /// The width of the whole drawing.
    private(set) var width = 0

    init(_ layout: GraphLayout) {
        self.layout = layout
        gaps = (0..<(layout.columnCount - 1)).map { GapLanes(after: $0, in: layout) }
        var x = 0
        for column in 0..<layout.columnCount {
            let nodes = layout.items.indices.filter {
                layout.items[$0].node != nil && layout.items[$0].column == column
            }
            let opArea = nodes.map { Self.opText(layout.items[$0].node!).map { $0.count + 1 } ?? 0 }.max() ?? 0
            let boxes = nodes.map { Self.recordWidth(layout.items[$0].node!) }.max() ?? 0
            columnX.append(x)
            boxX.append(x + opArea)
            columnWidth.append(opArea + boxes)
            x += opArea + boxes + (column < gaps.count ? gaps[column].width : 0)
        }
        width = x
    }

    /// `(*)` for an op's value, nil for a leaf.
    static func opText(_ value: Value) -> String? {
        value.op == .leaf || value.op == .constant ? nil : "(\(value.op.symbol))"
    }

    /// The width of a value's record box.
    static func recordWidth(_ value: Value) -> Int {
        Self.record(value).reduce(0) { $0 + $1.text.count }
    }

    /// The first cell of an item: its op, or the start of its column for a pass-through.
    private func entry(_ item: Int) -> Int {
        let it = layout.items[item]
        guard let node = it.node else { return columnX[it.column] }
        return boxX[it.column] - 1 - (Self.opText(node)?.count ?? 0)
    }

    /// The first cell after an item, where its outgoing line starts.
    private func exit(_ item: Int) -> Int {
        let it = layout.items[item]
        guard let node = it.node else { return columnX[it.column] }
        return boxX[it.column] + Self.recordWidth(node)
    }

    /// The drawing as lines of text, blank rows left out.
    func lines(style: TextStyle) -> [String] {
        var canvas = GraphCanvas(width: width, height: layout.rowCount)
        for (column, gap) in gaps.enumerated() { route(gap, after: column, on: &canvas) }
        for item in layout.items {
            guard let node = item.node else { continue }
            var x = boxX[item.column]
            if let op = Self.opText(node) {
                canvas.write(op, x: x - 1 - op.count, y: item.row, color: .magenta)
                canvas.horizontal(from: x - 1, to: x - 1, y: item.row)
            }
            for piece in Self.record(node) {
                canvas.write(piece.text, x: x, y: item.row, color: piece.color)
                x += piece.text.count
            }
        }
        return canvas.render(style: style).filter { !$0.isEmpty }
    }

    /// Draws the lines between `column` and the next: lanes, lines out of the left items, lines
    /// into the right ones. A line passing a lane that is not its own crosses it without a junction.
    private func route(_ gap: GapLanes, after column: Int, on canvas: inout GraphCanvas) {
        let items = layout.items
        let gapX = columnX[column] + columnWidth[column]
        func laneX(_ target: Int) -> Int? { gap.lanes[target].map { gapX + GapLanes.offset(ofSlot: $0.slot) } }
        /// Double for an op whose one input is used twice or more (`a + a`), single otherwise.
        func weight(_ target: Int) -> GraphCanvas.Weight {
            items[target].inputs.count > 1 && items[target].distinctInputs.count == 1 ? .double : .single
        }
        /// A horizontal line through cells that are not junctions: crossings where a lane passes.
        func pass(from x0: Int, to x1: Int, row: Int, weight: GraphCanvas.Weight) {
            guard x0 <= x1 else { return }
            for x in x0...x1 {
                let offset = x - gapX - 1
                if offset >= 0, offset % 2 == 0, gap.lane(slot: offset / 2, row: row) != nil {
                    canvas.cross(x: x, y: row)
                } else {
                    canvas.connect(x: x, y: row, left: weight, right: weight)
                }
            }
        }

        for lane in gap.lanes.values {
            let x = laneX(lane.target)!
            let w = weight(lane.target)
            for row in lane.top...lane.bottom {
                canvas.connect(x: x, y: row, up: row > lane.top ? w : .none, down: row < lane.bottom ? w : .none)
            }
            // Into the target.
            canvas.connect(x: x, y: items[lane.target].row, right: w)
            pass(from: x + 1, to: entry(lane.target) - 1, row: items[lane.target].row, weight: w)
        }
        for (source, item) in items.enumerated() where item.column == column {
            // Out of the source: to each lane it feeds, and straight on to a target on its row.
            let joins = item.targets.compactMap(laneX).sorted()
            let straight = item.targets.first { gap.lanes[$0] == nil }
            var x = exit(source)
            for join in joins {
                pass(from: x, to: join - 1, row: item.row, weight: .single)
                canvas.connect(
                    x: join, y: item.row, left: .single, right: join < joins.last! || straight != nil ? .single : .none)
                x = join + 1
            }
            if let straight {
                pass(from: x, to: entry(straight) - 1, row: item.row, weight: weight(straight))
            }
        }
    }
}

// MARK: Limits and pieces shared with the tree

extension GraphDrawing {
    /// Graphs with more nodes than this are not drawn: text that big helps nobody.
    static let nodeLimit = 200

    /// The most character cells (width × height) a left-to-right drawing may take, even when asked for.
    static let cellLimit = 250_000

    /// The note shown instead of a graph too big to draw.
    static func tooLargeMessage(nodes: Int) -> [String] {
        [
            "graph too large to draw: \(nodes.grouped) nodes (the limit is \(nodeLimit))",
            "draw the part nearest the output with --tree --depth 4, or write it all for Graphviz with --dot FILE"
        ]
    }

    /// A value's record, `[ a | data 2.0000 | grad 6.0000 ]`, as coloured pieces (label left out when empty).
    static func record(_ value: Value) -> [(text: String, color: TextStyle.Color?)] {
        var pieces: [(text: String, color: TextStyle.Color?)] = [("[ ", nil)]
        if !value.label.isEmpty { pieces += [(value.label, .bold), (" | ", nil)] }
        pieces += [("data \(value.data.fixed(4)) | grad ", nil), (value.grad.fixed(4), .yellow), (" ]", nil)]
        return pieces
    }
}

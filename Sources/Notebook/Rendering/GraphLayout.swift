// Where each node of a `Value` graph goes when it is drawn left to right, as Graphviz's
// `rankdir=LR` draws micrograd's `draw_dot`: columns by distance from the output, pass-through
// points for edges that skip columns, rows from a depth-first walk. Pure data; no drawing here.
import Engine

/// One thing in a column: a node of the graph, or a point where a longer edge passes through.
struct LayoutItem {
    /// The node drawn here, or nil for a pass-through point.
    let node: Value?
    let column: Int
    /// The row, once placed.
    var row = -1
    /// The items in the previous column that feed this one, in input order: `a + a` lists `a` twice.
    var inputs: [Int] = []
    /// The items in the next column this one feeds, each once.
    var targets: [Int] = []

    /// The inputs without repeats, in order.
    var distinctInputs: [Int] {
        var seen: Set<Int> = []
        return inputs.filter { seen.insert($0).inserted }
    }
}

/// The columns and rows of a graph drawn left to right.
///
/// A node's column is one left of its leftmost consumer, with the output in the last column, so
/// each input sits right beside the first op that uses it; an edge to a consumer further right runs
/// through pass-through items, one per column it crosses. Rows come from a depth-first walk from
/// the output, inputs in order: a leaf takes the next free row, an op sits at the mean row of its
/// inputs, and anything that would collide is pushed down.
struct GraphLayout {
    /// Nodes first, indexed by topological order (inputs before the nodes that use them), then
    /// pass-through items.
    private(set) var items: [LayoutItem] = []
    let nodeCount: Int
    let columnCount: Int
    private(set) var rowCount = 0
    /// The item at each (column, row).
    private var occupant: [[Int: Int]]

    init(_ root: Value) {
        let order = root.topologicalOrder()
        nodeCount = order.count
        var index: [ObjectIdentifier: Int] = [:]
        for (i, node) in order.enumerated() { index[ObjectIdentifier(node)] = i }

        // Distance from the output: the longest path to it, so every consumer is to the right.
        var distance = Array(repeating: 0, count: order.count)
        for i in order.indices.reversed() {
            for input in order[i].inputs {
                let j = index[ObjectIdentifier(input)]!
                distance[j] = max(distance[j], distance[i] + 1)
            }
        }
        columnCount = (distance.max() ?? 0) + 1
        occupant = Array(repeating: [:], count: columnCount)
        items = order.indices.map { LayoutItem(node: order[$0], column: columnCount - 1 - distance[$0]) }

        // Each input reaches its consumer through the item that stands for it one column left.
        var passThrough: [Int: [Int: Int]] = [:]   // source → column → item
        func feeder(of source: Int, in column: Int) -> Int {
            var current = source
            for c in (items[source].column + 1)..<(column + 1) {
                if let existing = passThrough[source]?[c] { current = existing; continue }
                items.append(LayoutItem(node: nil, column: c, inputs: [current]))
                current = items.count - 1
                passThrough[source, default: [:]][c] = current
            }
            return current
        }
        for i in order.indices {
            items[i].inputs = order[i].inputs.map { feeder(of: index[ObjectIdentifier($0)]!, in: items[i].column - 1) }
        }
        for i in items.indices {
            for input in items[i].distinctInputs { items[input].targets.append(i) }
        }
        place(order.count - 1, floor: 0)
    }

    /// The item at `column`, `row`, if any.
    func item(column: Int, row: Int) -> Int? {
        guard (0..<columnCount).contains(column) else { return nil }
        return occupant[column][row]
    }

    /// Places `item` after its inputs: each later input starts at least two rows below the one
    /// before, so that an op can sit between its inputs as in draw_dot.
    private mutating func place(_ item: Int, floor: Int) {
        guard items[item].row < 0 else { return }
        var floor = floor
        var inputRows: [Int] = []
        for input in items[item].distinctInputs {
            place(input, floor: floor)
            inputRows.append(items[input].row)
            floor = max(floor, items[input].row + 2)
        }
        var row = inputRows.isEmpty ? max(floor, rowCount) : inputRows.reduce(0, +) / inputRows.count
        while !isFree(row, for: item) { row += 1 }
        items[item].row = row
        occupant[items[item].column][row] = item
        rowCount = max(rowCount, row + 1)
    }

    /// Whether `item` can take `row`: the cell is empty, and neither the line coming into it nor
    /// the line leaving it would share a row with another item's line between the same columns.
    private func isFree(_ row: Int, for item: Int) -> Bool {
        let column = items[item].column
        if occupant[column][row] != nil { return false }
        if !items[item].inputs.isEmpty, let left = self.item(column: column - 1, row: row),
           !items[item].inputs.contains(left) { return false }
        if let right = self.item(column: column + 1, row: row), !items[right].inputs.isEmpty { return false }
        return true
    }
}

// Where each node of a `Value` graph goes when it is drawn left to right, as Graphviz's
// `rankdir=LR` draws micrograd's `draw_dot`: columns by distance from the output, pass-through
// points for edges that skip columns, rows from a depth-first walk. Pure data; no drawing here.
import Engine

/// The columns and rows of a graph drawn left to right.
///
/// A node's column is one left of its leftmost consumer, with the output in the last column, so
/// each input sits right beside the first op that uses it; an edge to a consumer further right runs
/// through pass-through items, one per column it crosses. Rows come from a depth-first walk from
/// the output, inputs in order: a leaf takes the next free row, an op sits at the mean row of its
/// inputs, and anything that would collide is pushed down.
struct GraphLayout {
    /// One thing in a column: a node of the graph, or a point where a longer edge passes through.
    struct Item {
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

    /// Nodes first, indexed by topological order (inputs before the nodes that use them), then
    /// pass-through items.
    private(set) var items: [Item] = []
    let columnCount: Int
    private(set) var rowCount = 0
    /// The item at each (column, row).
    private var occupant: [[Int: Int]]

    init(_ root: Value) {
        let order = root.topologicalOrder()
        var index: [Value: Int] = [:]
        for (i, node) in order.enumerated() { index[node] = i }

        // Distance from the output: the longest path to it, so every consumer is to the right.
        var distance = Array(repeating: 0, count: order.count)
        for i in order.indices.reversed() {
            for input in order[i].inputs {
                let j = index[input]!
                distance[j] = max(distance[j], distance[i] + 1)
            }
        }
        columnCount = (distance.max() ?? 0) + 1
        occupant = Array(repeating: [:], count: columnCount)
        items = order.indices.map { Item(node: order[$0], column: columnCount - 1 - distance[$0]) }

        // Each input reaches its consumer through the item that stands for it one column left.
        var passThrough: [Int: [Int: Int]] = [:]  // source → column → item
        func feeder(of source: Int, in column: Int) -> Int {
            var current = source
            for c in (items[source].column + 1)..<(column + 1) {
                if let existing = passThrough[source]?[c] {
                    current = existing
                    continue
                }
                items.append(Item(node: nil, column: c, inputs: [current]))
                current = items.count - 1
                passThrough[source, default: [:]][c] = current
            }
            return current
        }
        for i in order.indices {
            items[i].inputs = order[i].inputs.map { feeder(of: index[$0]!, in: items[i].column - 1) }
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

    /// Places `item` after its inputs, each input below the one before: two rows below for a binary
    /// op, so that the op can sit between its inputs as in draw_dot, one row for an n-ary `dot`.
    /// Recursive, one level per column: callers keep graphs small (`GraphDrawing.nodeLimit`).
    private mutating func place(_ item: Int, floor: Int) {
        guard items[item].row < 0 else { return }
        let inputs = items[item].distinctInputs
        let spacing = inputs.count == 2 ? 2 : 1
        var floor = floor
        var inputRows: [Int] = []
        for input in inputs {
            place(input, floor: floor)
            inputRows.append(items[input].row)
            floor = max(floor, items[input].row + spacing)
        }
        var row = inputRows.isEmpty ? max(floor, rowCount) : inputRows.reduce(0, +) / inputRows.count
        while !isFree(row, for: item) { row += 1 }
        items[item].row = row
        occupant[items[item].column][row] = item
        rowCount = max(rowCount, row + 1)
    }

    /// Whether `item` can take `row`: the cell is empty, and no two lines share a row between the
    /// same two columns. So the item to its left on that row, if any, must be an input, and if
    /// the item gathers several inputs, that input must feed nothing else (its line ends where
    /// the item's lane begins); the item to its right on that row must have no inputs.
    private func isFree(_ row: Int, for item: Int) -> Bool {
        let column = items[item].column
        if occupant[column][row] != nil { return false }
        if let left = self.item(column: column - 1, row: row), !items[item].inputs.isEmpty {
            guard items[item].inputs.contains(left) else { return false }
            if items[item].distinctInputs.count > 1 && items[left].targets.count > 1 { return false }
        }
        if let right = self.item(column: column + 1, row: row), !items[right].inputs.isEmpty { return false }
        return true
    }
}

// The vertical lanes between two columns of a graph drawing: each item that gathers inputs from
// other rows gets a lane where their lines meet, and lanes whose spans do not overlap share a
// column of characters. GraphLayout's row rules keep any line from running into another's junction.

/// The lanes in the gap after one column of a `GraphLayout`.
struct GapLanes {
    /// A lane: the item it leads into and the rows its vertical line spans.
    struct Lane {
        let target: Int
        let top: Int
        let bottom: Int
        /// Which character column of the gap, counted from the left.
        var slot = 0

        func overlaps(_ other: Lane) -> Bool { top <= other.bottom && other.top <= bottom }
    }

    /// The lanes, by target item.
    private(set) var lanes: [Int: Lane] = [:]
    /// How many character columns the lanes take (lanes of disjoint spans share one).
    private(set) var slotCount = 0

    /// Lanes for the items of `column + 1`.
    init(after column: Int, in layout: GraphLayout) {
        let items = layout.items
        for (index, item) in items.enumerated() where item.column == column + 1 && Self.needsLane(item, items) {
            let rows = item.distinctInputs.map { items[$0].row } + [item.row]
            lanes[index] = Lane(target: index, top: rows.min()!, bottom: rows.max()!)
        }

        // Top first, each lane in the leftmost slot where it overlaps no other (interval colouring).
        var placed: [Lane] = []
        for var lane in lanes.values.sorted(by: { ($0.top, $0.bottom, $0.target) < ($1.top, $1.bottom, $1.target) }) {
            while placed.contains(where: { $0.slot == lane.slot && $0.overlaps(lane) }) { lane.slot += 1 }
            placed.append(lane)
            lanes[lane.target] = lane
            slotCount = max(slotCount, lane.slot + 1)
        }
    }

    /// An item needs a lane unless it has no inputs or its one input is on its own row.
    static func needsLane(_ item: GraphLayout.Item, _ items: [GraphLayout.Item]) -> Bool {
        let inputs = item.distinctInputs
        return !(inputs.isEmpty || (inputs.count == 1 && items[inputs[0]].row == item.row))
    }

    /// The width of the gap: one line character, the lanes a character apart, one more line character.
    var width: Int { slotCount == 0 ? 2 : 2 * slotCount + 1 }

    /// The x offset of a lane's slot from the start of the gap.
    static func offset(ofSlot slot: Int) -> Int { 1 + 2 * slot }

    /// The lane whose vertical line passes through `row` in `slot`, if any.
    func lane(slot: Int, row: Int) -> Lane? {
        lanes.values.first { $0.slot == slot && $0.top <= row && row <= $0.bottom }
    }
}

// Heat maps as SVG, like `plt.imshow(grid, cmap='gray', interpolation='nearest')`: square cells, true
// white and false black (numbers in matplotlib's Blues), row 0 at the top, indices as ticks. Runs of
// equal cells in a row become one rectangle, and grids over 500 cells across or down are averaged in blocks.

extension PlotSVG {
    /// The height a heat map needs at `width` (its cells are square), at most `height`.
    static func fittedHeight(_ grid: HeatMap, _ plot: Plot, _ width: Int, _ height: Int) -> Int {
        let (top, left, right) = margins(plot)
        let (across, down) = blocks(grid)
        guard across > 0, down > 0 else { return height }
        let cell = min((Double(width) - left - right) / Double(across), (Double(height) - top - 56) / Double(down))
        return min(height, Int(saturating: (top + Double(down) * cell + 56).rounded(.up)))
    }

    /// Blocks across and down: cells, or their averages when there are more than 500 in a direction.
    static func blocks(_ grid: HeatMap) -> (across: Int, down: Int) {
        let (rows, columns) = (grid.rowCount, grid.columnCount)
        let (blockX, blockY) = ((columns + 499) / 500, (rows + 499) / 500)
        return ((columns + blockX - 1) / max(1, blockX), (rows + blockY - 1) / max(1, blockY))
    }

    /// The grid, its frame, index ticks and a one-line key under it.
    func heatMap(_ grid: HeatMap, _ area: (x0: Double, y0: Double, x1: Double, y1: Double)) -> String {
        let (rows, columns) = (grid.rowCount, grid.columnCount)
        guard rows > 0, columns > 0 else {
            return
                "<text x=\"\(n(Double(width) / 2))\" y=\"\(n(Double(height) / 2))\" text-anchor=\"middle\" fill=\"#666\">nothing to plot: the grid is empty</text>\n"
        }
        let (blockX, blockY) = ((columns + 499) / 500, (rows + 499) / 500)
        let (across, down) = ((columns + blockX - 1) / blockX, (rows + blockY - 1) / blockY)
        let cell = min((area.x1 - area.x0) / Double(across), (Double(height) - area.y0 - 56) / Double(down))
        let (x0, y0) = (area.x0, area.y0)
        let finite = grid.values.flatMap { $0 }.filter(\.isFinite)
        let low = finite.min() ?? 0
        let high = finite.max() ?? 0
        func color(_ v: Double) -> String {
            guard v.isFinite else { return "#ff00ff" }
            if grid.isBoolean { return v >= 0.5 ? "#ffffff" : "#000000" }
            return CountMatrix.blues(high > low ? (v - low) / (high - low) : 0.5)
        }
        var out = "<g shape-rendering=\"crispEdges\">\n"
        for by in 0..<down {
            var run: (start: Int, color: String)?
            func flush(_ end: Int) {
                guard let r = run else { return }
                out += rect(
                    x0 + Double(r.start) * cell, y0 + Double(by) * cell, Double(end - r.start) * cell, cell,
                    "fill=\"\(r.color)\"")
            }
            for bx in 0..<across {
                var sum = 0.0
                var count = 0
                for r in (by * blockY)..<min(rows, (by + 1) * blockY) {
                    for c in (bx * blockX)..<min(columns, (bx + 1) * blockX) where grid.value(r, c).isFinite {
                        sum += grid.value(r, c)
                        count += 1
                    }
                }
                let c = color(count == 0 ? .nan : sum / Double(count))
                if run?.color != c {
                    flush(bx)
                    run = (bx, c)
                }
            }
            flush(across)
        }
        let (w, h) = (Double(across) * cell, Double(down) * cell)
        out += "</g>\n" + rect(x0, y0, w, h, "fill=\"none\" stroke=\"black\"")
        // Index ticks at the middle of their cells.
        func indexTicks(_ count: Int, target: Int) -> [AxisTicks.Tick] {
            guard count > 1 else { return [AxisTicks.Tick(position: 0, label: "0")] }
            return AxisTicks(low: 0, high: Double(count - 1), scale: .linear, target: target, fixed: true)
                .ticks.filter { $0.position == $0.position.rounded() }
        }
        out += "<g text-anchor=\"middle\">\n"
        for tick in indexTicks(columns, target: max(2, Int(w) / 80)) {
            let x = x0 + (tick.position / Double(blockX) + 0.5) * cell
            out +=
                "<line x1=\"\(n(x))\" y1=\"\(n(y0 + h))\" x2=\"\(n(x))\" y2=\"\(n(y0 + h + 4))\" stroke=\"black\"/><text x=\"\(n(x))\" y=\"\(n(y0 + h + 16))\">\(tick.label)</text>\n"
        }
        out += "</g>\n<g text-anchor=\"end\">\n"
        for tick in indexTicks(rows, target: max(2, Int(h) / 40)) {
            let y = y0 + (tick.position / Double(blockY) + 0.5) * cell
            out +=
                "<line x1=\"\(n(x0 - 4))\" y1=\"\(n(y))\" x2=\"\(n(x0))\" y2=\"\(n(y))\" stroke=\"black\"/><text x=\"\(n(x0 - 6))\" y=\"\(n(y + 4))\">\(tick.label)</text>\n"
        }
        if !plot.x.label.isEmpty {
            out +=
                "<text x=\"\(n(x0 + w / 2))\" y=\"\(n(y0 + h + 46))\" text-anchor=\"middle\">\(xmlEscaped(plot.x.label))</text>\n"
        }
        if !plot.y.label.isEmpty {
            let (x, y) = (n(16), n(y0 + h / 2))
            out +=
                "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"middle\" transform=\"rotate(-90 \(x) \(y))\">\(xmlEscaped(plot.y.label))</text>\n"
        }
        let key =
            grid.isBoolean
            ? "white: \(grid.label)" : "\(grid.label): light \(AxisTicks.short(low)) to dark \(AxisTicks.short(high))"
        return out
            + "</g>\n<text x=\"\(n(x0 + w))\" y=\"\(n(y0 + h + 30))\" text-anchor=\"end\" fill=\"#444\">\(xmlEscaped(key))</text>\n"
    }
}

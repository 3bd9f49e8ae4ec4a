// `import matplotlib.pyplot as plt`, as the lectures call it: calls build up a figure (panels of
// lines, scatters, histograms or an image, with titles, labels and text), drawn in the terminal when
// the cell ends or at `plt.show()`, as Jupyter shows a figure under its cell; `plt.savefig('x.svg')`
// writes it as a picture. Options with no terminal meaning (colours, sizes, styles) are accepted and
// left out.
import Foundation
import NotebookLanguage

/// The figure being built and the calls that build it.
final class Pyplot {
    /// One subplot: what `plt.plot`, `plt.hist`, `plt.imshow`, `plt.text`, … put on it.
    struct Panel {
        var plot = Plot()
        /// `plt.text(x, y, s)` calls, to print on an image's cells.
        var texts: [(x: Double, y: Double, text: String)] = []
        var isEmpty: Bool { plot.series.isEmpty && plot.heatMap == nil && plot.referenceLines.isEmpty }
    }

    unowned let session: Session
    private(set) var panels: [Panel] = []
    private var current = 0
    /// While a paste runs statement by statement, its figure waits for the paste's end.
    var holding = 0

    init(session: Session) { self.session = session }

    /// The panel calls go to, made on first use.
    private var panel: Panel {
        get { current < panels.count ? panels[current] : Panel() }
        set {
            while panels.count <= current { panels.append(Panel()) }
            panels[current] = newValue
        }
    }

    /// Draws the figure built so far (if anything is on it) and starts a new one; while `holding`,
    /// only when `force`d (`plt.show()`).
    func flush(force: Bool = false) {
        guard holding == 0 || force else { return }
        defer {
            panels = []
            current = 0
        }
        for panel in panels where !panel.isEmpty {
            session.show(figure: lines(of: panel)) { svg(panel.plot) }
        }
    }

    private func lines(of panel: Panel) -> [String] {
        var lines = render(panel.plot, style: session.style)
        if let grid = panel.plot.heatMap, !panel.texts.isEmpty { lines += labelledGrid(grid, panel.texts) }
        return lines
    }

    /// An image's `plt.text` labels as a table, a cell per pixel (the lecture's bigram chart: the two
    /// letters over the count in each cell).
    private func labelledGrid(_ grid: HeatMap, _ texts: [(x: Double, y: Double, text: String)]) -> [String] {
        var cells: [[[String]]] = Array(
            repeating: Array(repeating: [], count: grid.columnCount), count: grid.rowCount)
        for t in texts {
            let (row, column) = (t.y.rounded().clampedInt, t.x.rounded().clampedInt)
            guard row >= 0, row < grid.rowCount, column >= 0, column < grid.columnCount else { continue }
            cells[row][column].append(t.text)
        }
        let width = cells.joined().flatMap { $0 }.map(\.count).max() ?? 1
        let depth = cells.joined().map(\.count).max() ?? 1
        var lines: [String] = []
        for row in cells {
            for k in 0..<depth {
                lines.append(
                    row.map { cell in
                        let text = k < cell.count ? cell[k] : ""
                        return String(repeating: " ", count: width - text.count) + text
                    }.joined(separator: " "))
            }
        }
        return lines
    }

    // MARK: The module

    func module() -> Object {
        var members: [String: Object] = [:]
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) {
            members[name] = .function(Function(name: "plt.\(name)", call: body))
        }
        function("figure") { [unowned self] _ in
            flush(force: true)
            return .none
        }
        function("show") { [unowned self] _ in
            flush(force: true)
            return .none
        }
        function("subplot") { [unowned self] (args) throws(NotebookError) in
            // subplot(rows, columns, index) or subplot(231): panels are drawn one under another.
            var index = 1
            if args.positional.count >= 3 {
                index = try args.integer(2, "index")
            } else if args.positional.count == 1 {
                index = try args.integer(0, "pos") % 10
            }
            guard index >= 1, index <= 100 else {
                throw .python("ValueError", "num must be 1 <= num <= 100, not \(index)")
            }
            current = index - 1
            return .none
        }
        function("plot") { [unowned self] (args) throws(NotebookError) in
            let numbers = args.positional.filter { if case .string = $0 { false } else { true } }
            guard let first = numbers.first else {
                throw .python("TypeError", "plot() needs values, e.g. plt.plot(lossi) or plt.plot(xs, ys)")
            }
            let ys = try PlotBuiltins.numbers(numbers.count >= 2 ? numbers[1] : first, "plot()'s y values")
            let name = try args.string(.max, "label", default: "")
            if numbers.count >= 2 {
                let xs = try PlotBuiltins.numbers(first, "plot()'s x values")
                guard xs.count == ys.count else {
                    throw .python(
                        "ValueError",
                        "x and y must have same first dimension, but have shapes (\(xs.count),) and (\(ys.count),)")
                }
                // A flat two-point line across the chart is a reference line (`plt.plot([0, n], [-3, -3], 'k')`).
                if xs.count == 2, ys[0] == ys[1], !panel.plot.series.isEmpty {
                    panel.plot.referenceLines.append(ReferenceLine(y: ys[0], label: name))
                } else {
                    panel.plot.series.append(.line(x: xs, y: ys, name: name))
                }
            } else {
                panel.plot.series.append(.line(ys, name: name))
            }
            return .none
        }
        function("scatter") { [unowned self] (args) throws(NotebookError) in
            guard args.positional.count >= 2 else { throw .python("TypeError", "scatter() needs x and y values") }
            let xs = try PlotBuiltins.numbers(args.positional[0], "scatter()'s x values")
            let ys = try PlotBuiltins.numbers(args.positional[1], "scatter()'s y values")
            guard xs.count == ys.count else { throw .python("ValueError", "x and y must be the same size") }
            panel.plot.series.append(.scatter(x: xs, y: ys, name: try args.string(.max, "label", default: "")))
            return .none
        }
        function("hist") { [unowned self] (args) throws(NotebookError) in
            guard let first = args.positional.first else { throw .python("TypeError", "hist() needs values") }
            let bins = try args.integer(1, "bins", default: 10)
            guard (1...1000).contains(bins) else {
                throw .python("ValueError", "hist() bins must be from 1 to 1000, not \(bins)")
            }
            panel.plot.series.append(
                .histogram(
                    try PlotBuiltins.numbers(first, "hist()'s values"), bins: bins, bars: true,
                    name: try args.string(.max, "label", default: "")))
            return .none
        }
        function("imshow") { [unowned self] (args) throws(NotebookError) in
            guard let first = args.positional.first else { throw .python("TypeError", "imshow() needs an image") }
            panel.plot.heatMap = try Pyplot.grid(first, session.interpreter)
            return .none
        }
        function("text") { [unowned self] (args) throws(NotebookError) in
            let x = try args.number(0, "x")
            let y = try args.number(1, "y")
            guard let s = args.value(2, "s") else { throw .python("TypeError", "text() needs x, y and the text") }
            panel.texts.append((x, y, try session.interpreter.str(s)))
            return .none
        }
        for name in ["title", "xlabel", "ylabel"] {
            function(name) { [unowned self] (args) throws(NotebookError) in
                let label = try session.interpreter.str(args.value(0, "label") ?? .string(""))
                switch name {
                case "title": panel.plot.title = label
                case "xlabel": panel.plot.x.label = label
                default: panel.plot.y.label = label
                }
                return .none
            }
        }
        function("yscale") { [unowned self] (args) throws(NotebookError) in
            panel.plot.y.scale = try args.string(0, "value") == "log" ? .log : .linear
            return .none
        }
        function("savefig") { [unowned self] (args) throws(NotebookError) in
            let file = try args.string(0, "fname")
            guard let drawn = panels.first(where: { !$0.isEmpty }) else {
                throw .python("ValueError", "savefig(): the figure is empty; draw something first (plt.plot(…))")
            }
            guard file.hasSuffix(".svg") else {
                throw .python("ValueError", "savefig() writes SVG pictures: give a name ending in .svg")
            }
            try FileErrors.writeAtomically(Data(svg(drawn.plot).utf8), to: file)
            session.output.write("wrote \(file)\n")
            return .none
        }
        // Layout and decoration with nothing to draw in a terminal.
        for name in [
            "legend", "grid", "axis", "xlim", "ylim", "xticks", "yticks", "tight_layout", "colorbar", "close",
            "style", "rcParams", "gca", "gcf", "axhline", "axvline"
        ] {
            function(name) { _ in .none }
        }
        return .object(ModuleObject(name: "matplotlib.pyplot", members: members))
    }

    /// An image: a 2-D tensor (bool tensors are drawn as dots) or a list of rows.
    static func grid(_ object: Object, _ interpreter: Interpreter) throws(NotebookError) -> HeatMap {
        if case .object(let t as TensorObject) = object {
            guard t.shape.count == 2 else {
                throw .python("TypeError", "Invalid shape \(t.shape) for image data: imshow draws a 2-D tensor")
            }
            guard t.numel <= 4_000_000 else {
                throw .python(
                    "ValueError", "imshow draws at most 4,000,000 cells, not \(t.numel); show a slice (t[:1000, :1000])"
                )
            }
            let values = t.doubles()
            let (rows, columns) = (t.shape[0], t.shape[1])
            let grid = (0..<rows).map { r in Array(values[(r * columns)..<((r + 1) * columns)]) }
            if t.dtype == .bool { return HeatMap(grid.map { $0.map { $0 != 0 } }) }
            return HeatMap(grid)
        }
        var rows: [[Double]] = []
        for row in try interpreter.items(of: object) {
            rows.append(try PlotBuiltins.numbers(row, "imshow()'s rows"))
            guard rows.count * (rows.first?.count ?? 0) <= 4_000_000 else {
                throw .python("ValueError", "imshow draws at most 4,000,000 cells; show a part of the image")
            }
        }
        return HeatMap(rows)
    }
}

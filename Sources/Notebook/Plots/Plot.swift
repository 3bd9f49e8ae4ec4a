// The plotting model: what a chart shows (series, axes, reference lines, or a heat map), as plain values.
// Drawn in the terminal by `render(_:style:width:height:)` (PlotRender.swift) and as a picture by
// `svg(_:width:height:)` (PlotSVG.swift). Covers the figures of makemore parts 2–3, not all of matplotlib.

/// A chart: one or more series on shared axes, or (when `heatMap` is set) a 2-D grid.
///
/// ```swift
/// var plot = Plot(title: "update:data ratio", x: Axis("step"), y: Axis("log10 ratio", scale: .log))
/// plot.series = layers.map { Series.line($0.ratios, name: $0.name) }
/// plot.referenceLines = [ReferenceLine(y: 1e-3, label: "1e-3")]
/// render(plot, style: session.style).forEach { session.emit($0) }
/// ```
struct Plot {
    /// Shown centred above the chart; empty for none.
    var title: String
    var x: Axis
    var y: Axis
    var series: [Series]
    /// Horizontal lines across the whole chart (lecture 3's `plt.plot([0, n], [-3, -3], 'k')`).
    var referenceLines: [ReferenceLine]
    /// How several series share the space: on top of each other, or one panel each.
    var layout: Layout
    /// When set, the chart is this grid (`plt.imshow`) and `series` is ignored.
    var heatMap: HeatMap?

    init(
        title: String = "", x: Axis = Axis(), y: Axis = Axis(), series: [Series] = [],
        referenceLines: [ReferenceLine] = [], layout: Layout = .overlay
    ) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.referenceLines = referenceLines
        self.layout = layout
    }

    /// A heat map of `grid` (`plt.imshow(h.abs() > 0.99)`): columns along x, rows down y, row 0 at the top.
    static func heatMap(_ grid: HeatMap, title: String = "", x: String = "", y: String = "") -> Plot {
        var plot = Plot(title: title, x: Axis(x), y: Axis(y))
        plot.heatMap = grid
        return plot
    }

    /// How several series are arranged.
    enum Layout: Equatable {
        /// All series on one chart: colours tell them apart, and markers along each one without colour.
        case overlay
        /// One small chart per series, on the same axes, stacked: for series that would hide each other.
        case panels
    }
}

/// One axis: its label, its scale, and optionally a fixed range.
struct Axis: Equatable {
    var label: String
    var scale: Scale
    /// The values shown, exactly; nil fits the data and widens it to tick marks.
    var range: ClosedRange<Double>?

    init(_ label: String = "", scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// How values are placed along an axis.
    enum Scale: Equatable {
        case linear
        /// Powers of ten evenly spaced (`plt.xscale('log')`); values ≤ 0 cannot be shown and are skipped.
        case log
    }
}

/// A horizontal line at `y` across the chart, named in the legend.
struct ReferenceLine: Equatable {
    var y: Double
    var label: String

    init(y: Double, label: String = "") {
        self.y = y
        self.label = label
    }
}

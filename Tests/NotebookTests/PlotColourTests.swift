// Colour only paints: with colour off there are no escape codes, and with it on the text under the codes
// is exactly the plain drawing — so a session recorded in a colour terminal checks against plain replay.
import Testing

@testable import Notebook

@Suite("Plot colour")
struct PlotColourTests {
    static let colour = TextStyle(color: true, width: 100)

    static let plots: [Plot] = [
        PlotRenderTests.trainAndVal,
        Plot(
            title: "embedding",
            series: [
                .scatter(x: [-1, -0.5, 0.2, 0.9, 1.0], y: [0.5, -0.8, 0.1, 0.7, 0.7], labels: ["a", "b", "c", "d", "e"])
            ]),
        Plot(
            y: Axis(scale: .log), series: [.line([1e-2, 5e-3, 2e-3, 1.5e-3, 1.2e-3, 1e-3], name: "layer 1")],
            referenceLines: [ReferenceLine(y: 1e-3)]),
        Plot(series: [.line([1, 2, 3], name: "up"), .line([3, 2, 1], name: "down")], layout: .panels),
        Plot(series: [
            .histogram(PlotRenderTests.values, bins: 4, bars: true), .histogram(PlotRenderTests.values, bins: 3)
        ]),
        .heatMap(HeatMap(PlotRenderTests.saturated(rows: 32, columns: 200), label: "|h| > 0.97"), title: "saturation"),
        .heatMap(HeatMap([[1, 2, 3], [4, .nan, 6]], label: "h")),
        Plot(series: [.line([])])
    ]

    @Test(arguments: plots.indices)
    func colourOnlyPaints(index: Int) {
        let plain = render(Self.plots[index], style: .plain, width: 48, height: 8)
        let painted = render(Self.plots[index], style: Self.colour, width: 48, height: 8)
        #expect(!plain.joined().contains("\u{1B}"))
        #expect(painted.map(\.withoutANSIEscapes) == plain)
    }

    @Test func eachSeriesHasItsColourAndTheLegendSaysWhich() {
        let painted = render(PlotRenderTests.trainAndVal, style: Self.colour, width: 40, height: 6).joined(
            separator: "\n")
        #expect(painted.contains("\u{1B}[1mloss\u{1B}[0m"))  // the title in bold
        #expect(painted.contains("\u{1B}[34m─•─\u{1B}[0m train"))  // blue, as matplotlib's first
        #expect(painted.contains("\u{1B}[33m─+─\u{1B}[0m val"))  // yellow for its orange
        let reference = render(Self.plots[2], style: Self.colour, width: 40, height: 6).joined()
        #expect(reference.contains("\u{1B}[90m┈┈┈\u{1B}[0m y = 1e-3"))  // reference lines in gray
    }

    @Test func numbersInAHeatMapAreShaded() {
        let painted = render(Self.plots[6], style: Self.colour, width: 40).joined()
        #expect(painted.contains("\u{1B}[48;2;"))  // 24-bit backgrounds, as `counts` shades its cells
    }
}

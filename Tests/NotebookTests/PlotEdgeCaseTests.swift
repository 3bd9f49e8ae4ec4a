// Plots of awkward data never trap and always say what they left out: empty and all-NaN series, a
// constant series, one point, NaN and inf, huge values, log axes and values ≤ 0, fixed ranges, labels
// that collide, many series, tiny sizes, and heat maps that are empty or ragged.
import Testing

@testable import Notebook

@Suite("Plot edge cases")
struct PlotEdgeCaseTests {
    @Test(
        arguments: [
            (Plot(series: []), "(nothing to plot: the plot has no series)"),
            (Plot(series: [.line([])]), "(nothing to plot: the series is empty)"),
            (Plot(series: [.line([]), .line([], name: "val")]), "(nothing to plot: every series is empty)"),
            (
                Plot(title: "loss", series: [.line([.nan, .nan])]),
                "loss\n(nothing to plot: no value can be shown; see the notes)\nnote: 2 values in the series skipped (nan or inf)"
            ),
            (.heatMap(HeatMap([[Bool]]())), "(nothing to plot: the grid is empty)"),
            (.heatMap(HeatMap([[Double](), []])), "(nothing to plot: the grid is empty)")
        ] as [(Plot, String)])
    func nothingToPlotIsSaidInsteadOfDrawn(plot: Plot, expected: String) {
        #expect(drawing(plot, width: 24, height: 4) == expected)
        #expect(svg(plot).contains(">nothing to plot: "))
    }

    @Test func anEmptySeriesBesideAnotherIsNoted() {
        let lines = render(Plot(series: [.line([1, 2]), .line([], name: "val")]), style: .plain, width: 24, height: 4)
        #expect(lines.last == "note: 'val' is empty")
        #expect(lines.count == 7)  // 4 rows, the axis, its labels and the note: no legend for one unnamed series
    }

    /// A constant series: an axis around it, and a note with the value (its row may carry a neighbour's tick).
    @Test func aConstantSeriesGetsAnAxisAroundItsValue() {
        #expect(
            drawing(Plot(series: [.line([3, 3, 3])]), width: 24, height: 4) == """
                4 ┤
                  │
                  │⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉
                2 ┤
                  └┬──────────────────┬
                   0                  2
                note: every y value is 3
                """)
    }

    /// One point: a marker, as a single Braille dot is hard to see.
    @Test func aSinglePointIsAMarker() {
        #expect(
            drawing(Plot(series: [.line([5])]), width: 24, height: 4) == """
                  │
                6 ┤
                4 ┤          •
                  │
                  └┬─────────┬────────┬
                   -1        0        1
                note: every y value is 5
                """)
    }

    /// NaN and inf are left out and counted; the line breaks there, and the point left alone is a marker.
    @Test func nanAndInfinityBreakTheLineAndAreNoted() {
        #expect(
            drawing(Plot(series: [.line([1, 2, .nan, 3, 4, .infinity, 2])]), width: 24, height: 4) == """
                4 ┤           ⡠⠒⠁
                  │          ⠋
                2 ┤  ⢀⡠               •
                  │⡠⠔⠁
                  └┬───────────────┬───
                   0               5
                note: 2 values in the series skipped (nan or inf)
                """)
    }

    /// Values near the largest Double: no overflow in the axis, labels in exponent form.
    @Test func hugeValuesNeitherOverflowNorTrap() {
        #expect(
            drawing(Plot(series: [.line([-1e308, 1e308, 1.7e308, .infinity])]), width: 30, height: 4) == """
                1.7e308 ┤          ⢀⣀⣀⡠⠤⠤⠒⠒⠊⠉
                        │       ⣀⠤⠊⠁
                        │   ⢀⡠⠒⠉
                 -1e308 ┤⡠⠔⠊⠁
                        └┬──────────────────┬
                         0                  2
                note: 1 value in the series skipped (nan or inf)
                """)
    }

    /// A log axis cannot show 0 or -1: they are left out, the line breaks, and a note says why.
    @Test func valuesBelowZeroOnALogAxisAreNoted() {
        #expect(
            drawing(Plot(y: Axis(scale: .log), series: [.line([1, 0, -1, 10, 100])]), width: 24, height: 4) == """
                1e2 ┤               ⢀⡠⠊
                    │             ⢀⠔⠁
                    │             ⠁
                1e0 ┤•
                    └┬────────┬───────┬
                     0        2       4
                note: 2 values ≤ 0 in the series skipped: the y-axis is logarithmic
                """)
    }

    /// A fixed y range: lines leave the chart and come back; the points outside are counted.
    @Test func aFixedRangeClipsAndCountsWhatIsOutside() {
        #expect(
            drawing(Plot(y: Axis(range: 0...2), series: [.line([1, 3, 1, -5, 1], name: "y")]), width: 24, height: 4)
                == """
                2 ┤ ⢀⠔    ⠐⡄
                  │⢠⠊      ⠈⢆         ⢀
                  │⠁         ⡇        ⡜
                0 ┤          ⢱       ⢀⠇
                  └┬─────────┬────────┬
                   0         2        4
                ─── y
                note: 2 points outside the fixed range not shown
                """)
    }

    /// A log range starting below 0 cannot be used: the data's range instead, and a note.
    @Test func aFixedRangeThatCannotBeUsedIsNoted() {
        #expect(
            drawing(
                Plot(x: Axis(scale: .log, range: -1...10), series: [.line(x: [1, 10], y: [1, 2])]), width: 24, height: 4
            ) == """
                2 ┤               ⣀⡠⠤⠒⠉
                  │          ⣀⡠⠔⠒⠉
                  │     ⣀⠤⠔⠊⠉
                1 ┤⣀⠤⠒⠊⠉
                  └┬──────────────────┬
                  1e0                1e1
                note: the x range -1.0...10.0 cannot be used: it must be finite, positive and not empty
                """)
    }

    /// Four labels in one cell: two move one or two cells right, the last has no room and is named in a note.
    @Test func labelsThatCollideMoveAsideOrAreNoted() {
        #expect(
            drawing(
                Plot(series: [
                    .scatter(x: [0, 0.001, 0.002, 0.003, 1], y: [0, 0, 0, 0, 1], labels: ["a", "b", "c", "d", "e"])
                ]), width: 24, height: 4) == """
                    1 ┤                   e
                      │
                      │
                    0 ┤abc
                      └┬──────────────────┬
                       0                  1
                    note: labels hidden where they overlap others: d
                    """)
    }

    /// A grid of numbers with a short row and a NaN: shades from the smallest to the largest, ? where there is no number.
    @Test func aRaggedGridOfNumbers() {
        #expect(
            drawing(.heatMap(HeatMap([[1, 2, 3], [4], [.nan, 6, 7]], label: "h")), width: 30, height: 16) == """
                0 ┤  ░░░░
                  │▒▒????
                2 ┤??▓▓██
                  └─┬───┬
                    0   2
                h: ' ' = 1, ░ ▒ ▓, █ = 7
                note: 3 cells not finite (or missing), shown as ?
                """)
    }

    /// Nine series: markers and colours cycle after eight, and the legend wraps to the width.
    @Test func moreSeriesThanMarkersWrapTheLegend() {
        let plot = Plot(series: (0..<9).map { k in .line([Double(k), Double(k) + 1], name: "s\(k)") })
        #expect(
            render(plot, style: .plain, width: 40, height: 9).suffix(3) == [
                "─•─ s0   ─+─ s1   ─x─ s2   ─o─ s3", "─*─ s4   ─#─ s5   ─@─ s6   ─%─ s7", "─•─ s8"
            ])
    }

    @Test func sizesAreClampedToWhatCanBeDrawn() {
        let lines = render(Plot(series: [.line([1, 2, 3])]), style: .plain, width: 1, height: 0)
        #expect(lines.count == 4)  // 2 rows, the axis and its labels
        #expect(lines.allSatisfy { $0.displayWidth <= 24 })
        #expect(
            render(Plot(series: [.line([1, 2, 3])]), style: .plain, width: 10_000).allSatisfy { $0.displayWidth <= 400 }
        )
    }

    @Test func aBigSeriesDrawsQuicklyAndWithinTheWidth() {
        let losses = (0..<200_000).map { (step: Int) -> Double in
            let decay = 1 / (1 + Double(step) / 1000)
            let noise = Double((step * 7919) % 100) / 100
            return 2 + decay + 0.3 * noise
        }
        let lines = render(Plot(series: [.line(losses), .averaged(losses, every: 1000)]), style: .plain)
        #expect(lines.allSatisfy { $0.displayWidth <= 72 })
        #expect(lines.count == 16 + 3)  // rows, axis, tick labels, legend
    }

    @Test func theLecturesAveragedLossCurve() {
        // torch.tensor(lossi).view(-1, 1000).mean(1) over 2500 steps: 2 chunks (the last 500 are left out).
        let averaged = Series.averaged((0..<2500).map(Double.init), every: 1000)
        #expect(averaged.xs == [499.5, 1499.5])
        #expect(averaged.ys == [499.5, 1499.5])
        #expect(Series.averaged([1, 2], every: 0).ys == [1, 2])  // a chunk size below 1 counts as 1
        #expect(Series.averaged([1, 2, 3], every: 5).ys.isEmpty)
    }

    @Test func histogramsCountAsTorchHistogramDoes() {
        let h = Series.histogram([0, 0.5, 1, 1, .nan, 2, .infinity], bins: 2, range: 0...1)
        #expect(h.xs == [0.25, 0.75])
        #expect(h.ys == [1, 3])  // the last bin includes 1; 2, nan and inf are not counted
        let density = Series.histogram([0, 0.5, 1, 1], bins: 4, density: true)
        #expect(density.ys.reduce(0, +) * 0.25 == 1)
        #expect(Series.histogram([3, 3], bins: 2).xs == [2.75, 3.25])  // a single value: widened by ½ each way
        #expect(Series.histogram([.nan], bins: 3).xs.isEmpty)
    }

    @Test func controlCharactersInTextCannotBreakTheLayout() {
        let plot = Plot(
            title: "two\nlines",
            series: [.scatter(x: [0, 1], y: [0, 1], labels: ["\u{1B}[31m", "b"], name: "red\u{1B}[0m")])
        let lines = render(plot, style: .plain, width: 24, height: 4)
        #expect(!lines.joined().contains("\u{1B}") && !lines.joined().contains("\n"))
        #expect(lines.first == "        two\u{FFFD}lines")
        #expect(lines.last == "• red\u{FFFD}[0m")
    }

    @Test func theSameDrawingEveryTime() {
        let plot = PlotRenderTests.trainAndVal
        #expect(render(plot, style: .plain) == render(plot, style: .plain))
        #expect(svg(plot) == svg(plot))
    }
}

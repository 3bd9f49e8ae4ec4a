// Plots in the terminal, drawn exactly: a line, two series without colour, a log axis, a labelled scatter,
// heat maps, histograms, a reference line and panels. Each expected drawing was checked by eye first.
import Foundation
import Testing

@testable import Notebook

/// `plot` drawn in plain text, one string.
func drawing(_ plot: Plot, width: Int, height: Int) -> String {
    render(plot, style: .plain, width: width, height: height).joined(separator: "\n")
}

@Suite("Plot drawings")
struct PlotRenderTests {
    static let trainAndVal = Plot(
        title: "loss", x: Axis("step"),
        series: [
            .line([3.0, 2.5, 2.2, 2.1, 2.05, 2.0, 1.98, 1.97, 1.96, 1.95], name: "train"),
            .line([3.1, 2.7, 2.5, 2.45, 2.44, 2.45, 2.47, 2.5, 2.55, 2.6], name: "val")
        ])
    /// 10^-3 … 10^0 in 31 steps, as `10**torch.linspace(-3, 0, 31)`.
    static let learningRates = (0...30).map { AxisTicks.power(-3 + Double($0) / 10) }
    static let values: [Double] = [-1, -0.5, -0.5, 0, 0, 0, 0.5, 1]

    /// A grid with column 3 always true and a diagonal pattern elsewhere.
    static func saturated(rows: Int, columns: Int) -> [[Bool]] {
        (0..<rows).map { r in (0..<columns).map { c in c == 3 || (r + c) % 5 == 0 } }
    }

    /// `plt.plot([1, 4, 9, 16])`: Braille dots, ticks at nice numbers inside the data.
    @Test func aLineAgainstItsIndex() {
        #expect(
            drawing(Plot(series: [.line([1, 4, 9, 16])]), width: 32, height: 5) == """
                15 ┤                       ⣀⠤⠒⠉
                   │                   ⣀⠤⠒⠉
                10 ┤              ⣀⡠⠤⠒⠉
                 5 ┤        ⢀⣀⠤⠔⠒⠉
                   │⣀⡠⠤⠤⠒⠒⠉⠉⠁
                   └┬────────┬───────┬────────┬
                    0        1       2        3
                """)
    }

    /// Two loss curves: • along train and + along val, each only in cells the other does not touch.
    @Test func twoSeriesWithoutColourHaveAMarkerEach() {
        #expect(
            drawing(Self.trainAndVal, width: 40, height: 6) == """
                                   loss
                3 ┤⢕+
                  │ ⠣⡑⢄
                  │  ⠈•⠉⠢+⡀                      +⣀⣀⣀⠤⠤
                  │    ⠑⠤⡀⠈⠉⠉⠒⠒+⠒⠒⠒⠒⠒+⠒⠒⠒⠒⠒+⠉⠉⠉⠉⠉
                  │      ⠈⠒⠤•⣀⡀
                2 ┤           ⠈⠉⠉⠒•⠒⠒⠤⠤⠤•⠤⠤⠤⢄⣀•⣀⣀⣀⣀⣀•⣀⣀
                  └┬───────┬───────┬──────┬───────┬────
                   0       2       4      6       8
                                   step
                ─•─ train   ─+─ val
                """)
    }

    /// The lr finder's plot: decades labelled 1e-3 … 1e0.
    @Test func lossAgainstLearningRateOnALogAxis() {
        #expect(
            drawing(
                Plot(
                    x: Axis("lr", scale: .log), y: Axis("loss"),
                    series: [
                        .line(
                            x: Self.learningRates,
                            y: Self.learningRates.map { 2 + Foundation.log10($0) * Foundation.log10($0) / 3 })
                    ]), width: 40, height: 6) == """
                    loss
                      │⠑⠦⢄⡀
                      │   ⠉⠲⢄⣀
                    4 ┤      ⠈⠑⠲⢄⣀
                      │          ⠈⠉⠒⠤⣄⡀
                      │               ⠈⠉⠒⠢⠤⣀⣀
                    2 ┤                     ⠈⠉⠉⠒⠒⠒⠤⠤⠤⢄⣀⣀⣀⣀⣀
                      └┬───────────┬──────────┬───────────┬
                      1e-3        1e-2       1e-1        1e0
                                        lr
                    """)
    }

    /// The character embedding: each point drawn as its character; d and e, one cell apart, both show.
    @Test func aScatterShowsEachPointsLabel() {
        #expect(
            drawing(
                Plot(
                    title: "embedding",
                    series: [
                        .scatter(
                            x: [-1, -0.5, 0.2, 0.9, 1.0], y: [0.5, -0.8, 0.1, 0.7, 0.7],
                            labels: ["a", "b", "c", "d", "e"])
                    ]), width: 32, height: 6) == """
                                  embedding
                     0.5 ┤a                      de
                         │
                     0.0 ┤              c
                         │
                    -0.5 ┤
                         │      b
                         └┬───────────┬───────────┬
                          -1          0           1
                    """)
    }

    /// `plt.imshow(h.abs() > 0.99)`: column 3 is true in every row — a dead neuron.
    @Test func aBooleanHeatMapThatFitsHasACellPerCharacterPair() {
        #expect(
            drawing(
                .heatMap(
                    HeatMap(Self.saturated(rows: 4, columns: 10), label: "|h| > 0.97"), title: "saturation",
                    x: "neuron", y: "example"), width: 32, height: 16) == """
                            saturation
                    example
                    0 ┤██····██··██········
                      │······████········██
                    2 ┤······██········██··
                      │····████······██····
                      └─┬─────────┬────────
                        0         5
                              neuron
                    █ |h| > 0.97: 11 of 40 cells (27.5%); · false
                    columns true in every row: 1 (3)
                    """)
    }

    /// 80 columns in 20 characters: a dot per 2 cells, on when at least half are true.
    @Test func aWideBooleanHeatMapIsDrawnInBrailleBlocks() {
        #expect(
            drawing(
                .heatMap(
                    HeatMap((0..<8).map { r in (0..<80).map { c in c % 20 == 7 || r == 2 } }, label: "|h| > 0.97")),
                width: 40, height: 16) == """
                    0 ┤⠤⢼⠤⠤⠤⠤⢼⠤⠤⠤⠤⢼⠤⠤⠤⠤⢼⠤⠤⠤
                    5 ┤ ⢸    ⢸    ⢸    ⢸
                      └┬───────────┬───────
                       0           50
                    ⣿ |h| > 0.97: 108 of 640 cells (16.9%)
                    each dot is 2 × 1 cells (columns × rows), shown when at least half of them are true
                    columns true in every row: 4 (7, 27, 47, 67)
                    """)
    }

    /// `plt.hist(values, 4)`: counts 1, 2, 3, 2, with a gap between bars.
    @Test func aHistogramAsBars() {
        #expect(
            drawing(Plot(series: [.histogram(Self.values, bins: 4, bars: true)]), width: 32, height: 5) == """
                  │              ⣿⣿⣿⣿⣿⣿
                2 ┤       ⣤⣤⣤⣤⣤⣤⡄⣿⣿⣿⣿⣿⣿⢠⣤⣤⣤⣤⣤⣤
                  │       ⣿⣿⣿⣿⣿⣿⡇⣿⣿⣿⣿⣿⣿⢸⣿⣿⣿⣿⣿⣿
                  │⣶⣶⣶⣶⣶⣶⡆⣿⣿⣿⣿⣿⣿⡇⣿⣿⣿⣿⣿⣿⢸⣿⣿⣿⣿⣿⣿
                0 ┤⣿⣿⣿⣿⣿⣿⡇⣿⣿⣿⣿⣿⣿⡇⣿⣿⣿⣿⣿⣿⢸⣿⣿⣿⣿⣿⣿
                  └┬─────────────┬────────────┬
                   -1            0            1
                """)
    }

    /// Lecture 3's activation histograms: bin counts as lines, one legend entry per layer.
    @Test func histogramsOfTwoLayersAsLines() {
        #expect(
            drawing(
                Plot(series: [
                    .histogram(Self.values, bins: 4, name: "layer 1"),
                    .histogram(Self.values.map { $0 / 2 }, bins: 4, range: -1...1, name: "layer 2")
                ]), width: 40, height: 5) == """
                    4 ┤               ⢀⣀⣀+⠤⠒⠒⠊⠉+⠤⡀
                      │          ⣀⠔+⠉⠉⠁ ⢀⣀⡠⠤•⠒⠒⠒•⠬⠵⣢⣀⡀
                    2 ┤      +⣠⣔⡩•⠤⠔⠒⠒•⠉⠁            ⠉⠫⢍⡒•⠢
                      │⠤⠤•⣒⠮⠋⠉                          ⠈⠑⠤
                    0 ┤+⠔⠊
                      └──────┬───────────┬──────────┬──────
                            -0.5        0.0        0.5
                    ─•─ layer 1   ─+─ layer 2
                    """)
    }

    /// The update:data ratio falling to the 1e-3 line, drawn where no data is.
    @Test func aReferenceLineOnALogAxis() {
        #expect(
            drawing(
                Plot(
                    y: Axis(scale: .log), series: [.line([1e-2, 5e-3, 2e-3, 1.5e-3, 1.2e-3, 1e-3], name: "layer 1")],
                    referenceLines: [ReferenceLine(y: 1e-3, label: "1e-3")]), width: 32, height: 5) == """
                    1e-2 ┤⠑⠢⢄⡀
                         │   ⠈⠒⠤⡀
                         │      ⠈⠢⢄
                         │         ⠑⠢⠤⢤⣀⡀
                    1e-3 ┤┈┈┈┈┈┈┈┈┈┈┈┈┈┈⠈⠉⠉⠒⠒⠒⠤⠤⠤⣀⣀
                         └┬───────────────────────┬
                          0                       5
                    ─── layer 1   ┈┈┈ 1e-3
                    """)
    }

    /// Panels: the same axes, one series each, the x labels once at the bottom.
    @Test func panelsGiveEachSeriesItsOwnChart() {
        #expect(
            drawing(
                Plot(series: [.line([1, 2, 3], name: "up"), .line([3, 2, 1], name: "down")], layout: .panels),
                width: 32, height: 6) == """
                       ─── up
                    3 ┤                   ⣀⣀⡠⠤⠤⠒⠒⠊⠉
                    2 ┤         ⣀⣀⡠⠤⠤⠖⠒⠊⠉⠉
                    1 ┤⣀⡠⠤⠤⠒⠒⠊⠉⠉
                      └┬─────────────┬────────────┬
                       ─── down
                    3 ┤⠉⠑⠒⠒⠤⠤⢄⣀⣀
                    2 ┤         ⠉⠉⠑⠒⠒⠤⠤⢄⣀⣀
                    1 ┤                   ⠉⠉⠑⠒⠒⠤⠤⢄⣀
                      └┬─────────────┬────────────┬
                       0             1            2
                    """)
    }
}

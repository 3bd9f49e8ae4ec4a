// SVG export: well-formed XML (read back with Foundation's XMLParser), the same bytes every time, numbers
// with one decimal, text escaped, and the right shapes for lines, scatters, bars, reference lines and heat maps.
import Foundation
import Testing

@testable import Notebook

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What XMLParser found in a document: how many of each element, the text, and whether it parsed.
struct SVGReading {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    var attributes: [(element: String, attributes: [String: String])] = []
    let parsed: Bool

    init(_ svg: String) {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        parsed = parser.parse()
        (counts, texts, attributes) = (collector.counts, collector.texts, collector.attributes)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:], texts: [String] = [],
            attributes: [(element: String, attributes: [String: String])] = []
        private var text = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            counts[name, default: 0] += 1
            self.attributes.append((name, attributes))
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" || name == "title" { texts.append(text) }
            text = ""
        }
    }
}

@Suite("Plot SVG")
struct PlotSVGTests {
    /// A small chart, whole: frame, grid, ticks at 0 1 2 and 0.0 0.5 1.0, the line, the legend out of its way.
    @Test func aSmallChartExactly() {
        #expect(
            svg(
                Plot(title: "a < b", x: Axis("step"), series: [.line([0, 1, 0.5], name: "loss")]), width: 240,
                height: 160) == """
                    <svg xmlns="http://www.w3.org/2000/svg" width="240" height="160" viewBox="0 0 240 160" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">
                    <title>a &lt; b</title>
                    <rect width="240" height="160" fill="white"/>
                    <defs><clipPath id="plot-area"><rect x="56.0" y="36.0" width="168.0" height="74.0"/></clipPath></defs>
                    <text x="120.0" y="22.0" text-anchor="middle" font-size="14">a &lt; b</text>
                    <text x="140.0" y="150.0" text-anchor="middle">step</text>
                    <g stroke="#ddd" stroke-width="1">
                    <line x1="63.6" y1="36.0" x2="63.6" y2="110.0"/>
                    <line x1="140.0" y1="36.0" x2="140.0" y2="110.0"/>
                    <line x1="216.4" y1="36.0" x2="216.4" y2="110.0"/>
                    <line x1="56.0" y1="106.6" x2="224.0" y2="106.6"/>
                    <line x1="56.0" y1="73.0" x2="224.0" y2="73.0"/>
                    <line x1="56.0" y1="39.4" x2="224.0" y2="39.4"/>
                    </g>
                    <g clip-path="url(#plot-area)">
                    <polyline fill="none" stroke="#1f77b4" stroke-width="1.5" stroke-linejoin="round" points="63.6,106.6 140.0,39.4 216.4,73.0"/>
                    </g>
                    <rect x="56.0" y="36.0" width="168.0" height="74.0" fill="none" stroke="black"/>
                    <g stroke="black">
                    <line x1="63.6" y1="110.0" x2="63.6" y2="114.0"/>
                    <line x1="140.0" y1="110.0" x2="140.0" y2="114.0"/>
                    <line x1="216.4" y1="110.0" x2="216.4" y2="114.0"/>
                    <line x1="52.0" y1="106.6" x2="56.0" y2="106.6"/>
                    <line x1="52.0" y1="73.0" x2="56.0" y2="73.0"/>
                    <line x1="52.0" y1="39.4" x2="56.0" y2="39.4"/>
                    </g>
                    <g text-anchor="middle">
                    <text x="63.6" y="126.0">0</text>
                    <text x="140.0" y="126.0">1</text>
                    <text x="216.4" y="126.0">2</text>
                    </g>
                    <g text-anchor="end">
                    <text x="50.0" y="110.6">0.0</text>
                    <text x="50.0" y="77.0">0.5</text>
                    <text x="50.0" y="43.4">1.0</text>
                    </g>
                    <g transform="translate(154.0 78.0)">
                    <rect width="62.0" height="24.0" fill="white" fill-opacity="0.85" stroke="#ccc"/>
                    <g transform="translate(8 12.0)"><line x1="0" y1="0" x2="20" y2="0" stroke="#1f77b4" stroke-width="2"/><text x="26" y="4">loss</text></g>
                    </g>
                    </svg>

                    """)
    }

    static let charts: [Plot] = [
        PlotRenderTests.trainAndVal,
        Plot(
            title: "embedding",
            series: [
                .scatter(
                    x: [-1, -0.5, 0.2, 0.9, 1.0], y: [0.5, -0.8, 0.1, 0.7, 0.7], labels: ["a", "<", "&", "\"", "'"])
            ]),
        Plot(series: [.histogram(PlotRenderTests.values, bins: 4, bars: true)]),
        Plot(
            x: Axis("step"), y: Axis("ratio", scale: .log),
            series: [.line([1e-2, 5e-3, .nan, 1.5e-3, 1.2e-3, 1e-3], name: "layer 1")],
            referenceLines: [ReferenceLine(y: 1e-3, label: "1e-3")]),
        .heatMap(
            HeatMap(PlotRenderTests.saturated(rows: 32, columns: 200), label: "|h| > 0.97"), title: "saturation",
            x: "neuron", y: "example"),
        .heatMap(HeatMap([[1, 2], [3, .nan]], label: "h")),
        Plot(series: [.line([])]),
        Plot(series: [.line([-1e308, 1.7e308, .infinity])])
    ]

    @Test(arguments: charts.indices)
    func everyChartIsWellFormedAndTheSameEveryTime(index: Int) {
        let document = svg(Self.charts[index])
        #expect(SVGReading(document).parsed)
        #expect(document == svg(Self.charts[index]))
        #expect(document.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(document.hasSuffix("</svg>\n"))
        // only finite coordinates
        #expect(!document.contains("=\"nan") && !document.contains("=\"inf") && !document.contains("-0.0"))
    }

    @Test func coordinatesHaveOneDecimal() throws {
        let reading = SVGReading(svg(PlotRenderTests.trainAndVal))
        let coordinates = reading.attributes.flatMap { element in
            ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy"].compactMap { element.attributes[$0] }
        }
        #expect(coordinates.count > 20)
        #expect(coordinates.allSatisfy { $0.wholeMatch(of: /-?\d+(\.\d)?/) != nil })
        let points = reading.attributes.filter { $0.element == "polyline" }.compactMap { $0.attributes["points"] }
        #expect(points.count == 2)  // train and val
        #expect(
            points.allSatisfy { $0.split(separator: " ").allSatisfy { $0.wholeMatch(of: /\d+\.\d,\d+\.\d/) != nil } })
    }

    @Test func textIsEscaped() {
        let document = svg(Self.charts[1])
        #expect(document.contains(">&lt;</text>") && document.contains(">&amp;</text>"))
        #expect(document.contains(">&quot;</text>") && document.contains(">&apos;</text>"))
        #expect(["a", "<", "&", "\"", "'"].allSatisfy(SVGReading(document).texts.contains))
        #expect(xmlEscaped("tab\there\u{7}") == "tab\there\u{FFFD}")
    }

    @Test func scattersWithLabelsAreTheLecturesBigDots() {
        let reading = SVGReading(svg(Self.charts[1]))
        let dots = reading.attributes.filter { $0.element == "circle" }
        #expect(dots.count == 5 && dots.allSatisfy { $0.attributes["r"] == "9" })
    }

    @Test func barsReferenceLinesAndGaps() {
        #expect(
            SVGReading(svg(Self.charts[2])).attributes.filter {
                $0.element == "rect" && $0.attributes["fill-opacity"] == "0.75"
            }.count == 4)
        let ratio = SVGReading(svg(Self.charts[3]))
        #expect(ratio.counts["polyline"] == 2)  // the NaN breaks the line in two
        #expect(ratio.attributes.contains { $0.element == "line" && $0.attributes["stroke-dasharray"] == "5 3" })
        #expect(ratio.texts.contains("1e-3"))  // a tick label, and the reference line's legend entry
    }

    @Test func heatMapsHaveSquareCellsAndFitTheirHeight() {
        let document = svg(Self.charts[4])
        let reading = SVGReading(document)
        // 32 rows of 2.76 px (552 px / 200 columns), not the whole 400
        #expect(document.contains("height=\"181\" viewBox=\"0 0 640 181\""))
        #expect(
            reading.texts.contains("white: |h| > 0.97") && reading.texts.contains("neuron")
                && reading.texts.contains("example"))
        let cells = reading.attributes.filter {
            $0.element == "rect" && ["#ffffff", "#000000"].contains($0.attributes["fill"] ?? "")
        }
        #expect(cells.count < 32 * 200 / 2)  // runs of equal cells in a row are one rectangle
        // NaN stands out
        #expect(SVGReading(svg(Self.charts[5])).attributes.contains { $0.attributes["fill"] == "#ff00ff" })
    }

    @Test func longSeriesAreThinnedToFourPointsAPixel() {
        let noisy = (0..<200_000).map { Double(($0 * 7919) % 1000) / 1000 }
        let points = SVGReading(svg(Plot(series: [.line(noisy)]))).attributes.first { $0.element == "polyline" }?
            .attributes["points"]
        let count = points?.split(separator: " ").count ?? 0
        #expect(count > 568 && count <= 4 * 569)
    }
}

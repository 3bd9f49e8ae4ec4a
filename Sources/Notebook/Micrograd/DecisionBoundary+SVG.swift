// The decision boundary as an SVG picture, like micrograd's moon_mlp.png: the model's two regions
// sampled on a fine grid (one rectangle per run of same-class cells), the points as circles on top.
import Foundation

extension DecisionBoundary {
    /// The picture as an SVG document `width` pixels wide, keeping the plane's proportions, its
    /// regions sampled on a grid `resolution` cells across.
    func svg(width: Int = 480, resolution: Int = 160) -> String {
        let xSpan = xRange.upperBound - xRange.lowerBound
        let ySpan = yRange.upperBound - yRange.lowerBound
        let height = Swift.max(1, Int(saturating: (Double(width) * ySpan / xSpan).rounded()))
        let across = resolution
        let down = Swift.max(1, Int(saturating: (Double(resolution) * ySpan / xSpan).rounded()))
        let cellWidth = Double(width) / Double(across)
        let cellHeight = Double(height) / Double(down)
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        func px(_ x: Double) -> Double { (x - xRange.lowerBound) / xSpan * Double(width) }
        func py(_ y: Double) -> Double { (yRange.upperBound - y) / ySpan * Double(height) }

        var svg = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)">"#,
            "<title>\(xmlEscaped(data.description))</title>",
            #"<rect width="\#(width)" height="\#(height)" fill="white"/>"#
        ]
        if let score {
            for r in 0..<down {
                let y = yRange.upperBound - (Double(r) + 0.5) * ySpan / Double(down)
                var start = 0
                var current = score(xRange.lowerBound + 0.5 * xSpan / Double(across), y) > 0
                for c in 1...across {
                    let next =
                        c < across
                        ? score(xRange.lowerBound + (Double(c) + 0.5) * xSpan / Double(across), y) > 0 : !current
                    guard next != current else { continue }
                    svg.append(
                        #"<rect x="\#(f(Double(start) * cellWidth))" y="\#(f(Double(r) * cellHeight))" width="\#(f(Double(c - start) * cellWidth + 0.3))" height="\#(f(cellHeight + 0.3))" fill="\#(current ? Self.positiveFill : Self.negativeFill)"/>"#
                    )
                    start = c
                    current = next
                }
            }
        }
        for (point, label) in zip(data.inputs, data.targets) {
            svg.append(
                #"<circle cx="\#(f(px(point[0])))" cy="\#(f(py(point[1])))" r="4" fill="\#(label > 0 ? Self.positiveDot : Self.negativeDot)" stroke="black" stroke-width="0.6"/>"#
            )
        }
        svg.append(
            #"<rect width="\#(width)" height="\#(height)" fill="none" stroke="\#(Self.frame)" stroke-width="1"/>"#)
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// The colours of the terminal picture, as in micrograd's figure: light blue and light red regions,
    /// dark blue and dark red points.
    static let positiveFill = "#d1e5f0", negativeFill = "#fddbc7", positiveDot = "#2166ac", negativeDot = "#b2182b",
        frame = "#444444"

}

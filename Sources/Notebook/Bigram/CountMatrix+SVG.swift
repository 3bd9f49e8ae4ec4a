// The bigram matrix as an SVG like the lecture's matplotlib figure, for projecting: V × V squares in
// matplotlib's "Blues" colours, each with its bigram above its value in gray, no axes.
//
//     plt.imshow(N, cmap='Blues')
//     plt.text(j, i, chstr, ha="center", va="bottom", color='gray')
//     plt.text(j, i, N[i, j].item(), ha="center", va="top", color='gray')
import Foundation

extension CountMatrix {
    /// The side of one cell, in SVG pixels.
    static let svgCell = 40

    /// The whole figure as an SVG document.
    func svg() -> String {
        let cell = Self.svgCell
        let side = size * cell
        let fontSize = cellWidth > 4 ? 9 : 11
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(side)" height="\(side)" viewBox="0 0 \(side) \(side)" \
            font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="\(fontSize)" text-anchor="middle" fill="gray">
            <title>\(xmlEscaped(name)): \(size)×\(size) bigram matrix</title>

            """
        for i in 0..<size {
            for j in 0..<size {
                let x = j * cell
                let y = i * cell
                let centre = x + cell / 2
                let bigram = xmlEscaped(String(labels[i]) + String(labels[j]))
                out +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(Self.blues(level(i, j)))\"/>"
                out += "<text x=\"\(centre)\" y=\"\(y + cell / 2 - 3)\">\(bigram)</text>"
                out += "<text x=\"\(centre)\" y=\"\(y + cell / 2 + fontSize)\">\(xmlEscaped(text(i, j)))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    /// matplotlib's "Blues" colour map (ColorBrewer's 9 blues, interpolated linearly) at `level` in 0...1.
    static func blues(_ level: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
            (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107)
        ]
        let t = max(0, min(1, level.isNaN ? 0 : level)) * Double(stops.count - 1)
        let k = min(Int(t), stops.count - 2)
        let f = t - Double(k)
        let (a, b) = (stops[k], stops[k + 1])
        func channel(_ x: Double, _ y: Double) -> String {
            let v = Int(saturating: (x + (y - x) * f).rounded())
            return (v < 16 ? "0" : "") + String(v, radix: 16)
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }

}

// The Transformer's attention weights for one word: one small matrix per layer and head, rows the
// position reading, columns the position read, labelled with the word's characters, as the
// Transformer Explainer shows them. In the terminal with shade characters (and colour when there is
// colour); as SVG for --svg and web pages.

/// `weights[layer][head][i][j]`: how much position i reads position j.
struct AttentionFigure {
    let characters: [String]
    let weights: [[[[Float]]]]

    static let ramp: [Character] = [" ", "·", "░", "▒", "▓", "█"]

    /// The maps, as many side by side as fit in `style.width`.
    func lines(style: TextStyle) -> [String] {
        let t = characters.count
        let mapWidth = 3 + 2 * t
        let perRow = Swift.max(1, (style.width + 3) / (mapWidth + 3))
        var out: [String] = []
        let maps = weights.enumerated().flatMap { layer, heads in
            heads.enumerated().map { head, grid in (title: "layer \(layer + 1) head \(head + 1)", grid: grid) }
        }
        for start in stride(from: 0, to: maps.count, by: perRow) {
            let row = maps[start..<Swift.min(maps.count, start + perRow)]
            let pad = { (s: String) in s + String(repeating: " ", count: Swift.max(0, mapWidth - s.count)) }
            out.append(row.map { pad($0.title) }.joined(separator: "   ").trimmingTrailingSpaces)
            out.append(
                row.map { _ in pad("   " + characters.map { $0 + " " }.joined()) }.joined(separator: "   ")
                    .trimmingTrailingSpaces)
            for i in 0..<t {
                out.append(
                    row.map { map in
                        " " + characters[i] + " "
                            + (0..<t).map { j -> String in
                                cell(j <= i ? map.grid[i][j] : nil, style: style)
                            }.joined()
                    }.joined(separator: "   ").trimmingTrailingSpaces)
            }
            out.append("")
        }
        if out.last == "" { out.removeLast() }
        return out
    }

    /// Two characters for one weight: a shade from the ramp (colour behind it when colour is on).
    private func cell(_ w: Float?, style: TextStyle) -> String {
        guard let w else { return "  " }
        let level = Swift.min(Self.ramp.count - 1, Int((Double(w) * Double(Self.ramp.count - 1)).rounded()))
        let text = String(repeating: Self.ramp[level], count: 2)
        return style.color ? style.shade("  ", level: Double(w)) : text
    }

    /// Every map in a grid of small squares, labelled, darker blue for more attention.
    func svg() -> String {
        let t = characters.count
        let cell = 18
        let label = 16
        let gap = 28
        let side = label + t * cell
        let heads = weights.first?.count ?? 0
        let width = heads * (side + gap) + gap
        let height = weights.count * (side + gap + 14) + gap
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"monospace\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        ]
        for (layer, maps) in weights.enumerated() {
            for (head, grid) in maps.enumerated() {
                let x0 = gap + head * (side + gap)
                let y0 = gap + layer * (side + gap + 14)
                parts.append("<text x=\"\(x0)\" y=\"\(y0)\" fill=\"#333\">layer \(layer + 1) head \(head + 1)</text>")
                for (k, c) in characters.enumerated() {
                    let escaped = xmlEscaped(c)
                    parts.append(
                        "<text x=\"\(x0 + label + k * cell + 5)\" y=\"\(y0 + 14)\" fill=\"#555\">\(escaped)</text>")
                    parts.append(
                        "<text x=\"\(x0 + 3)\" y=\"\(y0 + 14 + (k + 1) * cell)\" fill=\"#555\">\(escaped)</text>")
                }
                for i in 0..<t {
                    for j in 0...i {
                        let w = Double(grid[i][j])
                        let shade = Int(255 - 200 * Swift.max(0, Swift.min(1, w)))
                        parts.append(
                            "<rect x=\"\(x0 + label + j * cell)\" y=\"\(y0 + 18 + i * cell)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"rgb(\(shade),\(Int(255 - 150 * Swift.max(0, Swift.min(1, w)))),255)\"><title>\(String(format: "%.3f", w))</title></rect>"
                        )
                    }
                }
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}

// The data of a plot: lines, scatters with a label per point, and histograms (a line of bin counts, as
// lecture 3 plots `torch.histogram`, or bars as `plt.hist`), plus the lecture's averaged loss curve
// (`torch.tensor(lossi).view(-1, 1000).mean(1)`).

/// One set of points drawn one way, with a name for the legend.
struct Series: Equatable {
    /// How the points are drawn.
    enum Kind: Equatable {
        /// Consecutive points joined; a NaN or infinite value breaks the line.
        case line
        /// Each point on its own, with its label when there are labels.
        case scatter
        /// A filled bar from 0 up to each point, `width` wide around its x (a histogram's bins).
        case bars(width: Double)
    }

    var name: String
    var kind: Kind
    var xs: [Double]
    var ys: [Double]
    /// One label per point (scatter): drawn at the point instead of a marker. Empty for none.
    var labels: [String]

    /// - Precondition: `xs`, `ys` (and `labels`, if any) have the same length.
    init(name: String = "", kind: Kind = .line, xs: [Double], ys: [Double], labels: [String] = []) {
        precondition(
            xs.count == ys.count && (labels.isEmpty || labels.count == xs.count),
            "a series needs as many x values as y values (and labels, if any)")
        self.name = name
        self.kind = kind
        self.xs = xs
        self.ys = ys
        self.labels = labels
    }

    /// `plt.plot(ys)`: the values against 0, 1, 2, ….
    static func line(_ ys: [Double], name: String = "") -> Series {
        Series(name: name, xs: ys.indices.map(Double.init), ys: ys)
    }

    /// `plt.plot(xs, ys)`. Pairs beyond the shorter list are left out.
    static func line(x xs: [Double], y ys: [Double], name: String = "") -> Series {
        let n = min(xs.count, ys.count)
        return Series(name: name, xs: Array(xs.prefix(n)), ys: Array(ys.prefix(n)))
    }

    /// `plt.scatter(xs, ys)` with `plt.text` at each point: the character embedding's 27 labelled points.
    /// Pairs beyond the shorter list are left out; labels beyond the points are ignored, missing ones are "".
    static func scatter(x xs: [Double], y ys: [Double], labels: [String] = [], name: String = "") -> Series {
        let n = min(xs.count, ys.count)
        let labels = labels.isEmpty ? [] : (0..<n).map { $0 < labels.count ? labels[$0] : "" }
        return Series(name: name, kind: .scatter, xs: Array(xs.prefix(n)), ys: Array(ys.prefix(n)), labels: labels)
    }

    /// The loss curve averaged over consecutive chunks of `size` steps, as the lecture's
    /// `torch.tensor(lossi).view(-1, size).mean(1)`, each mean placed at its chunk's middle step
    /// (499.5 for steps 0–999) so that it lines up with the raw curve. A last, incomplete chunk is left
    /// out (torch's `view` would refuse it); NaN and infinite losses make their chunk's mean NaN.
    static func averaged(_ values: [Double], every size: Int, name: String = "") -> Series {
        let size = max(1, size)
        let chunks = values.count / size
        let means = (0..<chunks).map { c in values[(c * size)..<((c + 1) * size)].reduce(0, +) / Double(size) }
        let middles = (0..<chunks).map { Double($0 * size) + Double(size - 1) / 2 }
        return Series(name: name, xs: middles, ys: means)
    }

    /// A histogram of `values` in `bins` equal bins over `range` (default: the finite values' extent), as
    /// `torch.histogram(t, bins, density=…)`: a line through the bin centres, or bars (`plt.hist`).
    /// `density` divides counts by (count × bin width) so the area is 1. NaN, infinite and out-of-range
    /// values are not counted; the last bin includes its upper edge.
    static func histogram(
        _ values: [Double], bins: Int = 50, range: ClosedRange<Double>? = nil,
        density: Bool = false, bars: Bool = false, name: String = ""
    ) -> Series {
        let bins = max(1, bins)
        let finite = values.filter(\.isFinite)
        guard var low = range?.lowerBound ?? finite.min(), var high = range?.upperBound ?? finite.max(),
            low.isFinite, high.isFinite
        else {
            return Series(name: name, kind: bars ? .bars(width: 1) : .line, xs: [], ys: [])
        }
        if low == high { (low, high) = (low - 0.5, high + 0.5) }  // torch widens an empty range the same way
        // Halved first where the range itself overflows (hist([1e308, -1e308])).
        let halfWidth = (high / 2 - low / 2) / Double(bins)
        let width = halfWidth * 2
        var counts = [Double](repeating: 0, count: bins)
        var counted = 0
        for v in finite where v >= low && v <= high {
            let bin = width.isFinite ? (v - low) / width : (v / 2 - low / 2) / halfWidth
            counts[min(bins - 1, max(0, Int(saturating: bin)))] += 1
            counted += 1
        }
        if density, counted > 0 { counts = counts.map { $0 / (Double(counted) * width) } }
        let centres = (0..<bins).map { (bin: Int) -> Double in
            let offset = Double(bin) + 0.5
            return width.isFinite ? low + offset * width : (low / 2 + offset * halfWidth) * 2
        }
        return Series(name: name, kind: bars ? .bars(width: width) : .line, xs: centres, ys: counts)
    }
}

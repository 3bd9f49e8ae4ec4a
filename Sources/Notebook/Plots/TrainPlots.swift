// The figures of makemore parts 2–3, built from a trained model and its history as `Plot` values: the
// loss curve (raw and averaged per 1000 steps), the 2-D character embeddings, histograms of the tanh
// layers' activations and gradients and of the weights' gradients, tanh saturation as an image, the
// update:data ratio over time, and the learning rate used. `figure` draws them; tests check them.
import Engine
import Makemore

enum TrainPlots {
    /// The most points of the raw loss drawn: more only slows the drawing down and bloats the SVG.
    static let maximumRawPoints = 4_000

    /// The loss of every step (thinned to `maximumRawPoints`), its mean over `every` steps (the lecture's
    /// `torch.tensor(lossi).view(-1, 1000).mean(1)`), and the dev losses measured.
    static func loss(_ history: TrainingHistory, every: Int, log: Bool) -> Plot {
        let losses = history.losses.map(Double.init)
        let stride = Swift.max(1, (losses.count + maximumRawPoints - 1) / maximumRawPoints)
        let kept = Swift.stride(from: 0, to: losses.count, by: stride)
        var series = [
            Series(
                name: stride == 1 ? "loss of each step" : "loss (every \(stride.grouped)th step)",
                xs: kept.map(Double.init), ys: kept.map { losses[$0] })
        ]
        if every <= losses.count / 2 {
            series.append(.averaged(losses, every: every, name: "mean of \(every.grouped) steps"))
        }
        let dev = history.evaluations.filter { $0.split == .dev }
        if !dev.isEmpty {
            series.append(.scatter(x: dev.map { Double($0.step) }, y: dev.map { Double($0.loss) }, name: "dev loss"))
        }
        return Plot(
            title: "training loss", x: Axis("step"), y: Axis("loss", scale: log ? .log : .linear), series: series)
    }

    /// The embedding table C as points labelled with their characters: its two columns when the
    /// embedding has two numbers (the lecture's figure), else its first two principal components.
    static func embedding(_ table: Tensor, vocabulary: Vocabulary) -> (Plot, note: String) {
        let (V, E) = (table.shape[0], table.shape[1])
        let values = table.scalars.map(Double.init)
        let rows = (0..<V).map { Array(values[($0 * E)..<(($0 + 1) * E)]) }
        let points: [(Double, Double)]
        let title: String
        let axes: (String, String)
        let note: String
        if E == 2 {
            points = rows.map { ($0[0], $0[1]) }
            (title, axes) = ("character embeddings C (\(V) × 2)", ("C[:, 0]", "C[:, 1]"))
            note =
                "each character is where its two learned numbers put it: characters the model treats alike sit together"
        } else {
            let (first, second) = principalComponents(rows)
            points = rows.map { (dot($0, first), dot($0, second)) }
            (title, axes) = (
                "character embeddings C (\(V) × \(E)), first two principal components", ("component 1", "component 2")
            )
            note =
                "C has \(E) numbers per character; shown are the two directions along which the characters differ most"
        }
        let labels = vocabulary.itos.indices.map(vocabulary.label)
        let plot = Plot(
            title: title, x: Axis(axes.0), y: Axis(axes.1),
            series: [.scatter(x: points.map(\.0), y: points.map(\.1), labels: labels)])
        return (plot, note)
    }

    /// Histograms (densities) of each tanh layer's outputs, or of their gradients.
    static func activations(_ diagnostics: LayerDiagnostics, gradients: Bool) -> Plot {
        let series = diagnostics.activations.map { a in
            Series.histogram(
                (gradients ? a.gradient : a.values).map(Double.init), bins: 50, density: true, name: a.name)
        }
        // tanh layers are bounded; the GELU and ReLU of the attention models are not.
        let output = diagnostics.activations.allSatisfy(\.bounded) ? "tanh output" : "activation"
        return Plot(
            title: gradients ? "gradient distribution" : "activation distribution",
            x: Axis(gradients ? "gradient of the \(output)" : output), y: Axis("density"), series: series)
    }

    /// Histograms (densities) of each weight matrix's gradient (lecture 3's "weights gradient distribution").
    static func weightGradients(_ diagnostics: LayerDiagnostics) -> Plot {
        Plot(
            title: "weights gradient distribution", x: Axis("gradient"), y: Axis("density"),
            series: diagnostics.weights.map {
                .histogram($0.gradient.map(Double.init), bins: 50, density: true, name: $0.name)
            })
    }

    /// `plt.imshow(h.abs() > 0.99)`: one row per example, one column per neuron; a column true from top
    /// to bottom is a dead neuron (its gradient is 0 for every example).
    static func saturation(_ activation: LayerDiagnostics.Activation, threshold: Float) -> Plot {
        let grid = (0..<activation.rows).map { r in
            (0..<activation.columns).map { c in abs(activation.values[r * activation.columns + c]) > threshold }
        }
        return .heatMap(
            HeatMap(grid, label: "|h| > \(Double(threshold).compactDescription)"),
            title: "\(activation.name): saturated tanh outputs", x: "neuron", y: "example")
    }

    /// The update:data ratio of each weight matrix over time, on a log axis with the lecture's 1e-3 line.
    static func ratios(_ history: TrainingHistory, names: [String], shapes: [[Int]]) -> Plot {
        let matrices = shapes.indices.filter { shapes[$0].count == 2 }
        let steps = history.updateRatios.map { Double($0.step) }
        let series = matrices.map { i in
            Series.line(x: steps, y: history.updateRatios.map { Double($0.ratios[i]) }, name: names[i])
        }
        return Plot(
            title: "update:data ratio, std(Δp) / std(p)", x: Axis("step"), y: Axis("ratio", scale: .log),
            series: series, referenceLines: [ReferenceLine(y: 1e-3, label: "1e-3")])
    }

    /// The learning rate of each step trained.
    static func learningRates(_ history: TrainingHistory) -> Plot {
        let rates = history.learningRates.map(Double.init)
        let stride = Swift.max(1, (rates.count + maximumRawPoints - 1) / maximumRawPoints)
        let kept = Swift.stride(from: 0, to: rates.count, by: stride)
        return Plot(
            title: "learning rate of each step", x: Axis("step"), y: Axis("lr"),
            series: [Series(name: "lr", xs: kept.map(Double.init), ys: kept.map { rates[$0] })])
    }

    /// Loss against learning rate for a range test, with its smoothed curve (log lr axis).
    static func rangeTest(_ sweep: LearningRateRangeTest, losses: [Double], smoothed: [Double]) -> Plot {
        let rates = Array(sweep.learningRates.prefix(losses.count))
        var series = [Series.line(x: rates, y: losses, name: "loss")]
        if !smoothed.isEmpty { series.append(.line(x: rates, y: smoothed, name: "smoothed")) }
        return Plot(title: "loss against learning rate", x: Axis("lr", scale: .log), y: Axis("loss"), series: series)
    }

    // MARK: Principal components

    /// The two leading principal directions of `rows` (each of length E), by power iteration on the
    /// covariance matrix with deflation: enough for a 27 × 10 table.
    static func principalComponents(_ rows: [[Double]]) -> ([Double], [Double]) {
        let E = rows.first?.count ?? 0
        let mean = (0..<E).map { j in rows.reduce(0) { $0 + $1[j] } / Double(rows.count) }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: E), count: E)  // (E, E)
        for row in rows {
            for i in 0..<E { for j in 0..<E { covariance[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) } }
        }
        func leading(_ m: [[Double]]) -> [Double] {
            var v = (0..<E).map { 1 / Double($0 + 2) }  // a fixed start, so the picture is the same every time
            for _ in 0..<500 {
                var w = (0..<E).map { i in dot(m[i], v) }
                let norm = dot(w, w).squareRoot()
                guard norm > 0 else { break }
                w = w.map { $0 / norm }
                v = w
            }
            // The sign of an eigenvector is arbitrary: make its largest entry positive.
            if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            return v
        }
        let first = leading(covariance)
        let lambda = dot(first, (0..<E).map { dot(covariance[$0], first) })
        let deflated = (0..<E).map { i in (0..<E).map { j in covariance[i][j] - lambda * first[i] * first[j] } }
        return (first, leading(deflated))
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}

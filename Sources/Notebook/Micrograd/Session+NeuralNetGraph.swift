// The graph of one prediction of a network (`predict … --graph`), drawn by the graph renderer.
import Engine

extension Session {
    /// The lines that show the graph computing `value`.
    func predictionGraph(_ value: Value) -> [String] {
        renderGraph(value, form: .auto, style: style)
    }
}

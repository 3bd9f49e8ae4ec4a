// Printing a tensor exactly as PyTorch prints it (torch/_tensor_str.py with its default options:
// precision 4, line width 80, summarised past 1,000 elements with 3 at each edge), so that a cell
// shows what the lecture's cell showed: `tensor([0.0000, 0.1377, …])`, `tensor(3.7693,
// grad_fn=<NegBackward0>)`, `dtype=torch.int32`, scientific notation when the values call for it.
import Engine
import Foundation

enum TensorFormat {
    static let precision = 4
    static let lineWidth = 80
    static let threshold = 1000
    static let edgeItems = 3

    /// How every element of one tensor is written: the column width and the notation, decided once
    /// from all the values shown (PyTorch's `_Formatter`).
    struct Formatter {
        let dtype: DType
        /// An integer tensor's own values (exact past 2**53), by position.
        var integers: [Int]? = nil
        var intMode = true
        var sciMode = false
        var maxWidth = 1

        /// `wide`: the values are float64, whose whole numbers are told apart in doubles.
        init(_ values: [Double], dtype: DType, wide: Bool = false) {
            self.dtype = dtype
            guard dtype.isFloat else {
                for v in values { maxWidth = max(maxWidth, Formatter.integerText(v, dtype).count) }
                return
            }
            let finite = values.filter { $0.isFinite && $0 != 0 }
            guard !finite.isEmpty else { return }
            let magnitudes = finite.map(abs)
            let smallest = magnitudes.min()!
            let largest = magnitudes.max()!
            intMode = finite.allSatisfy { wide ? $0 == $0.rounded(.up) : Float($0) == Float($0).rounded(.up) }
            if intMode {
                if largest / smallest > 1000 || largest > 1e8 {
                    sciMode = true
                    for v in finite { maxWidth = max(maxWidth, String(format: "%.\(precision)e", v).count) }
                } else {
                    for v in finite { maxWidth = max(maxWidth, String(format: "%.0f", v).count + 1) }
                }
            } else if largest / smallest > 1000 || largest > 1e8 || smallest < 1e-4 {
                sciMode = true
                for v in finite { maxWidth = max(maxWidth, String(format: "%.\(precision)e", v).count) }
            } else {
                for v in finite { maxWidth = max(maxWidth, String(format: "%.\(precision)f", v).count) }
            }
        }

        static func integerText(_ v: Double, _ dtype: DType) -> String {
            dtype == .bool ? (v != 0 ? "True" : "False") : String(v.clampedInt)
        }

        func format(_ v: Double, at position: Int? = nil) -> String {
            var text: String
            if !dtype.isFloat, let integers, let position, dtype != .bool {
                text = String(integers[position])
            } else if !dtype.isFloat {
                text = Formatter.integerText(v, dtype)
            } else if sciMode {
                text = Formatter.special(v) ?? String(format: "%.\(TensorFormat.precision)e", v)
            } else if intMode {
                text = Formatter.special(v) ?? (String(format: "%.0f", v) + ".")
            } else {
                text = Formatter.special(v) ?? String(format: "%.\(TensorFormat.precision)f", v)
            }
            if text.count < maxWidth { text = String(repeating: " ", count: maxWidth - text.count) + text }
            return text
        }

        /// Python's text for the values C's printf writes differently.
        static func special(_ v: Double) -> String? {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            return nil
        }
    }

    /// `str(t)`: `tensor(…)` with PyTorch's suffixes (dtype, grad_fn, requires_grad).
    static func string(_ t: TensorObject) -> String {
        let shape = t.shape
        let values = t.doubles()
        var suffixes: [String] = []
        var body: String
        if values.isEmpty {
            if shape.count != 1 { suffixes.append("size=(" + shape.map(String.init).joined(separator: ", ") + ")") }
            if t.dtype != .float32 { suffixes.append("dtype=\(t.dtype.name)") }
            body = "[]"
        } else {
            if t.dtype == .int32 { suffixes.append("dtype=\(t.dtype.name)") }
            body = tensorString(values, shape: shape, dtype: t.dtype, indent: 7, integers: t.integers)
        }
        if let gradFn = t.gradFn {
            suffixes.append("grad_fn=<\(gradFn)>")
        } else if t.floatTensor?.requiresGrad == true {
            suffixes.append("requires_grad=True")
        }
        let text = addSuffixes("tensor(" + body, suffixes, indent: 7)
        return t.isParameter ? "Parameter containing:\n" + text : text
    }

    static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var out = text
        let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
        var lastLineLength = text.count - lastNewline + 1
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > lineWidth {
                out += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                out += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return out + ")"
    }

    /// The bracketed values (PyTorch's `_tensor_str`).
    static func tensorString(
        _ values: [Double], shape: [Int], dtype: DType, indent: Int, integers: [Int]? = nil, wide: Bool = false
    ) -> String {
        let summarize = values.count > threshold
        let shown = summarize ? summarized(values, shape: shape) : values
        var formatter = Formatter(shown, dtype: dtype, wide: wide)
        if let integers, dtype != .bool {
            formatter.integers = integers
            let shownIntegers = summarize ? summarizedIntegers(integers, shape: shape) : integers
            formatter.maxWidth = max(1, shownIntegers.map { String($0).count }.max() ?? 1)
        }
        return render(values, shape: shape, start: 0, indent: indent, summarize: summarize, formatter)
    }

    /// The values PyTorch's formatter sees when summarising: the first and last `edgeItems` along
    /// every dim.
    static func summarized(_ values: [Double], shape: [Int]) -> [Double] {
        guard !shape.isEmpty else { return values }
        let stride = shape.dropFirst().reduce(1, *)
        func picks(_ size: Int) -> [Int] {
            size > 2 * edgeItems ? Array(0..<edgeItems) + Array((size - edgeItems)..<size) : Array(0..<size)
        }
        var out: [Double] = []
        for i in picks(shape[0]) {
            let sub = Array(values[(i * stride)..<((i + 1) * stride)])
            out += shape.count == 1 ? sub : summarized(sub, shape: Array(shape.dropFirst()))
        }
        return out
    }

    /// `summarized` for exact integers.
    static func summarizedIntegers(_ values: [Int], shape: [Int]) -> [Int] {
        summarized(values.indices.map(Double.init), shape: shape).map { values[Int($0)] }
    }

    static func render(
        _ values: [Double], shape: [Int], start: Int, indent: Int, summarize: Bool, _ formatter: Formatter
    ) -> String {
        if shape.isEmpty { return formatter.format(values[start], at: start) }
        let size = shape[0]
        if shape.count == 1 {
            let elementLength = formatter.maxWidth + 2
            let perLine = max(1, (lineWidth - indent) / elementLength)
            var data: [String]
            if summarize && size > 2 * edgeItems {
                data = (0..<edgeItems).map { formatter.format(values[start + $0], at: start + $0) } + [" ..."]
                data += ((size - edgeItems)..<size).map { formatter.format(values[start + $0], at: start + $0) }
            } else {
                data = (0..<size).map { formatter.format(values[start + $0], at: start + $0) }
            }
            let lines = stride(from: 0, to: data.count, by: perLine).map {
                data[$0..<min($0 + perLine, data.count)].joined(separator: ", ")
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let inner = Array(shape.dropFirst())
        let stride = inner.reduce(1, *)
        func slice(_ i: Int) -> String {
            render(values, shape: inner, start: start + i * stride, indent: indent + 1, summarize: summarize, formatter)
        }
        var slices: [String]
        if summarize && size > 2 * edgeItems {
            slices = (0..<edgeItems).map(slice) + ["..."] + ((size - edgeItems)..<size).map(slice)
        } else {
            slices = (0..<size).map(slice)
        }
        let separator =
            "," + String(repeating: "\n", count: shape.count - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }
}

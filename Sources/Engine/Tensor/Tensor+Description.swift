// Printing a tensor the way PyTorch does, so the notebook's output reads like the lecture's:
// nested brackets, aligned columns, four decimals, and "..." past 1000 elements.
import Foundation

extension Tensor: CustomStringConvertible {
    /// `tensor([[ 1.0000,  2.5000], [-3.0000,  4.0000]], requiresGrad: true)` over several lines;
    /// results of ops name the op (`gradFn: tanh`); large tensors show their edges and shape.
    public var description: String {
        let values = scalars
        let summarize = count > 1000
        let useExponent = values.contains { $0.isFinite && (abs($0) >= 1e8 || (abs($0) < 1e-4 && $0 != 0)) }
        let texts = values.map { v -> String in
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            return String(format: useExponent ? "%.4e" : "%.4f", v)
        }
        let width = texts.map(\.count).max() ?? 0
        let strides = Tensor.contiguousStrides(shape)

        /// The bracketed text of the sub-tensor at `offset` spanning dims `dim...`.
        func render(_ dim: Int, _ offset: Int) -> String {
            if dim == shape.count { return String(repeating: " ", count: width - texts[offset].count) + texts[offset] }
            let size = shape[dim]
            let edge = 3
            var items: [String] = []
            for i in 0..<size {
                if summarize && size > 2 * edge && i >= edge && i < size - edge {
                    if i == edge { items.append("...") }
                    continue
                }
                items.append(render(dim + 1, offset + i * strides[dim]))
            }
            let indent = String(repeating: " ", count: 8 + dim)
            let separator =
                dim == shape.count - 1 ? ", " : "," + String(repeating: "\n", count: shape.count - dim - 1) + indent
            return "[" + items.joined(separator: separator) + "]"
        }

        var text = "tensor(" + (count == 0 ? "[]" : render(0, 0))
        if summarize { text += ", shape: \(formatShape(shape))" }
        if let op, requiresGrad { text += ", gradFn: \(op)" } else if requiresGrad { text += ", requiresGrad: true" }
        return text + ")"
    }
}

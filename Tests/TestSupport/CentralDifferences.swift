// The gradient check the tests share: autograd's gradient of a scalar loss against central
// differences, element by element, with the project's float32 tolerance.
//
//     numeric = (loss(x + h) − loss(x − h)) / 2h          in Double, from float32 losses, h = 1e-2
//     |numeric − autograd| ≤ 5e-3 · max(|numeric|, |autograd|) + 2e-4
import Engine

/// The elements of `tensors` whose gradient from `loss().backward()` disagrees with central differences,
/// one line each (empty when all agree). `loss` is called again for every element checked, under
/// `withoutGrad`, with that element moved by ±h; every element is put back.
///
///     let mismatches = try centralDifferenceMismatches(model.parameters()) { try model.forward(X, targets: Y).loss! }
///     #expect(mismatches.isEmpty, "\(mismatches)")
///
/// - Parameters:
///   - elements: which elements of a tensor to check (all by default).
///   - label: names tensor k in the report.
public func centralDifferenceMismatches(
    _ tensors: [Tensor], h: Float = 1e-2, absolute: Double = 2e-4,
    elements: (Tensor) -> [Int] = { Array(0..<$0.count) },
    label: (Int) -> String = { "tensor \($0)" },
    loss: () throws -> Tensor
) throws -> [String] {
    for t in tensors { t.zeroGrad() }
    try loss().backward()
    var mismatches: [String] = []
    for (k, t) in tensors.enumerated() {
        guard let grad = t.grad?.scalars else {
            mismatches.append("\(label(k)) \(t.shape): no gradient")
            continue
        }
        for i in elements(t) {
            let original = t.scalars[i]
            func lossWith(_ value: Float) throws -> Double {
                t.withUnsafeMutableBufferPointer { $0[i] = value }
                return Double(try Tensor.withoutGrad { try loss().item() })
            }
            let (up, down) = (original + h, original - h)
            let numeric = (try lossWith(up) - lossWith(down)) / (Double(up) - Double(down))
            t.withUnsafeMutableBufferPointer { $0[i] = original }
            let ours = Double(grad[i])
            if abs(numeric - ours) > 5e-3 * max(abs(numeric), abs(ours)) + absolute {
                mismatches.append("\(label(k)) \(t.shape) element \(i): finite difference \(numeric), autograd \(ours)")
            }
        }
    }
    return mismatches
}

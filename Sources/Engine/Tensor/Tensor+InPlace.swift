// In-place changes to parameters, outside the graph, as PyTorch's `with torch.no_grad(): w *= 0.1`
// (makemore part 3: "make the last layer less confident"). Optimizers write in place the same way.

extension Tensor {
    /// Multiplies every value by `scale` in place; the tensor keeps its identity, so a model and its
    /// optimizer see the change. Not recorded in the graph (PyTorch would need `torch.no_grad()`).
    ///
    ///     (model.layers.last as? Linear)?.weight *= 0.1
    ///
    /// - Precondition: the tensor is contiguous and a leaf (a parameter, not an op's result whose
    ///   values a pending backward pass may still read).
    public static func *= (tensor: Tensor, scale: Float) {
        precondition(
            tensor.parents.isEmpty && tensor.gradFn == nil,
            "*= changes a parameter in place; this tensor is the result of \(tensor.op ?? "an op") in a graph")
        tensor.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] *= scale }
        }
    }
}

// A copy of a model's weights, to put back later: `fit --keep-best` keeps the weights with the best
// dev loss this way, as makemore.py saves its best model, and the lr range test puts the model back.
import Engine

/// The values of a model's parameters and buffers (batch norm's running statistics) at one moment.
package struct WeightSnapshot {
    private let parameters: [[Float]]
    private let buffers: [[Float]]

    package init(of model: any LanguageModel) {
        parameters = model.parameters().map(\.scalars)
        buffers = model.buffers().map(\.scalars)
    }

    /// Writes the copied values back into `model` (the same model: same tensors, same sizes).
    package func restore(into model: any LanguageModel) {
        for (tensor, values) in zip(model.parameters() + model.buffers(), parameters + buffers) {
            tensor.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = values[i] } }
        }
    }
}

// `shapes`: one batch traced through a model, each step's output shape printed, so that a shape
// mistake shows before training (the lectures print `x.shape` after every layer of WaveNet for this).
// Models note their steps as their forward pass runs; outside a trace a note costs one check.
//
// Shapes: B = batch, T = time (block size), V = vocabulary.
import Engine

/// The steps of one traced forward pass, in order.
///
/// `@unchecked Sendable`: a trace is made, filled and read by one synchronous call (``LanguageModel/traceShapes(_:targets:)``)
/// and never shared between threads; the task-local only carries it down that call.
package final class ShapeTrace: @unchecked Sendable {
    /// One step: what ran and the shape of what it gave.
    package struct Step: Equatable, Sendable {
        package let name: String
        package let shape: [Int]
    }

    package fileprivate(set) var steps: [Step] = []

    /// The trace being recorded on this task, if any.
    @TaskLocal static var current: ShapeTrace?

    /// Records `tensor`'s shape under `name` when a trace is being recorded.
    static func note(_ name: @autoclosure () -> String, _ tensor: Tensor) {
        guard let trace = current else { return }
        trace.steps.append(Step(name: name(), shape: tensor.shape))
    }
}

extension LanguageModel {
    /// Runs `contexts` (B, T) through the model with `targets`, in the current mode and without a
    /// graph, and returns every step it noted: the input, each layer's output, the logits and the loss.
    package func traceShapes(_ contexts: IndexTensor, targets: IndexTensor?) throws(ShapeError) -> [ShapeTrace.Step] {
        let trace = ShapeTrace()
        trace.steps.append(.init(name: "input", shape: contexts.shape))
        let result: Result<(logits: Tensor, loss: Tensor?), ShapeError> = ShapeTrace.$current.withValue(trace) {
            Tensor.withoutGrad {
                do throws(ShapeError) { return .success(try forward(contexts, targets: targets)) } catch {
                    return .failure(error)
                }
            }
        }
        let (logits, loss) = try result.get()
        trace.steps.append(.init(name: "logits", shape: logits.shape))
        if let loss { trace.steps.append(.init(name: "loss", shape: loss.shape)) }
        return trace.steps
    }
}

/// Tensors a model exposes from inside its forward pass for lecture 3's looks at a network, where
/// its layers are not a plain stack (the recurrent models' hidden states, the Transformer's MLP
/// activations): `LayerDiagnostics` reads their values and, after backward, their gradients.
///
/// `@unchecked Sendable`: made, filled and read by one synchronous call, as ``ShapeTrace``.
package final class InternalsCapture: @unchecked Sendable {
    /// Each tensor noted, and whether its values lie in (-1, 1) (so that saturation means something).
    package fileprivate(set) var tensors: [(name: String, tensor: Tensor, bounded: Bool)] = []

    /// The capture being recorded on this task, if any.
    @TaskLocal static var current: InternalsCapture?

    /// Keeps `tensor` under `name` when a capture is being recorded; `bounded` when its values lie in
    /// (-1, 1), as tanh's do.
    static func note(_ name: @autoclosure () -> String, _ tensor: Tensor, bounded: Bool) {
        guard let capture = current else { return }
        capture.tensors.append((name(), tensor, bounded))
    }
}

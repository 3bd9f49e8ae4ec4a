// Taking an optimizer step back: the trainer keeps what a step changed (every weight, and the
// optimizer's state, from before it), so that a step that overflows the weights, or after which the
// loss is nan, can be undone whole. Adam and AdamW save each span of the weights and moments inside
// the step's own loop, on the cores that update it, just before they update it: a copy out of
// memory the update reads next, where a copy before the step read all of it twice, on one core.

/// What one optimizer step changed, from before it. Refilled by each ``Optimizer/step(saving:)``.
package final class StepUndo {
    /// Every parameter's values before the step, one parameter after another.
    package fileprivate(set) var weights: [Float] = []
    /// Adam's m and v and step count before the step.
    fileprivate var first: [Float] = []
    fileprivate var second: [Float] = []
    fileprivate var stepCount = 0
    /// Any other optimizer's state before the step.
    fileprivate var state: OptimizerState?

    package init() {}

    /// `buffer` sized for `count` floats (its values left as they were when it fits already).
    fileprivate static func size(_ buffer: inout [Float], _ count: Int) {
        if buffer.count != count { buffer = [Float](repeating: 0, count: count) }
    }
}

extension Optimizer {
    /// ``step()``, first saving in `undo` everything it changes.
    package func step(saving undo: StepUndo) {
        if let adam = self as? any AdamFamily {
            adam.stepSaving(undo)
            return
        }
        let total = parameters.reduce(0) { $0 + $1.count }
        StepUndo.size(&undo.weights, total)
        undo.weights.withUnsafeMutableBufferPointer { w in
            var offset = 0
            for p in parameters {
                p.withUnsafeBufferPointer { values in
                    if let base = values.baseAddress {
                        (w.baseAddress! + offset).update(from: base, count: values.count)
                    }
                }
                offset += p.count
            }
        }
        undo.state = state
        step()
    }

    /// Puts back the weights and state `undo` saved before the last step; nothing when `undo` holds
    /// no step of these parameters.
    package func takeBack(_ undo: StepUndo) {
        guard undo.weights.count == parameters.reduce(0, { $0 + $1.count }) else { return }
        undo.weights.withUnsafeBufferPointer { w in
            var offset = 0
            for p in parameters {
                p.withUnsafeMutableBufferPointer { values in
                    if let base = values.baseAddress { base.update(from: w.baseAddress! + offset, count: values.count) }
                }
                offset += p.count
            }
        }
        if let adam = self as? any AdamFamily {
            adam.takeBackMoments(undo)
        } else if let state = undo.state {
            try? restore(state)
        }
    }
}

extension AdamFamily {
    fileprivate func stepSaving(_ undo: StepUndo) {
        let total = moments.offsets.last!
        StepUndo.size(&undo.weights, total)
        StepUndo.size(&undo.first, total)
        StepUndo.size(&undo.second, total)
        undo.stepCount = moments.stepCount
        undo.state = nil
        undo.weights.withUnsafeMutableBufferPointer { w in
            undo.first.withUnsafeMutableBufferPointer { m in
                undo.second.withUnsafeMutableBufferPointer { v in
                    moments.step(
                        parameters, rule, learningRate: learningRate,
                        saving: (w.baseAddress!, m.baseAddress!, v.baseAddress!))
                }
            }
        }
    }

    fileprivate func takeBackMoments(_ undo: StepUndo) {
        guard undo.first.count == moments.first.count else { return }  // not saved by this optimizer's step
        (moments.first, moments.second, moments.stepCount) = (undo.first, undo.second, undo.stepCount)
    }
}

// What the scalar Value commands keep between lines: the step-by-step backward passes in progress,
// the Value Enter continues stepping, and the manual-backprop exercise being answered.
import Engine

/// The session's state for `step`, `nudge`, `zero_grad` and `manual`.
struct ValueState {
    /// Backward passes in progress, one per output value, for the `step` command.
    var steppers: [Value: BackwardStepper] = [:]
    /// The output of the last `step`, so that Enter continues it.
    var lastStepped: String?
    /// The manual-backprop exercise in progress, if any: it receives the lines typed.
    var exercise: (any Exercise)?

    /// What `reset` forgets here, for its summary.
    var contents: [String] {
        (steppers.isEmpty ? [] : [count(steppers.count, "step pass", "step passes")])
            + (exercise == nil ? [] : ["a manual exercise"])
    }
}

/// `1 word`, `3 words`.
func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n.grouped) \(n == 1 ? singular : plural ?? singular + "s")"
}

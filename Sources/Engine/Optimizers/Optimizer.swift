// The one interface of optimizers (`torch.optim`): `step()` updates the parameters from their
// gradients. The learning rate is a plain property a schedule sets, and the state (step count,
// momentum, Adam's moments) comes out and goes back in as plain arrays, for checkpoints.

/// Updates a fixed list of parameter tensors from their gradients, one ``step()`` at a time.
///
/// The lecture's training loop, with a schedule driving the learning rate:
///
///     let optimizer = SGD(model.parameters(), learningRate: 0.1)
///     let schedule = LearningRateSchedule.stepwise(0.1, then: [100_000: 0.01])
///     for k in 0..<200_000 {
///         let loss = try model(Xb).crossEntropy(targets: Yb)
///         optimizer.zeroGrad()
///         try loss.backward()
///         optimizer.learningRate = schedule.learningRate(atStep: k)
///         optimizer.step()
///     }
///
/// A parameter whose `grad` is `nil` (no backward pass reached it) is skipped, as in PyTorch.
public protocol Optimizer: AnyObject, CustomStringConvertible {
    /// The tensors updated, in a fixed order (the order of ``OptimizerState``'s arrays).
    var parameters: [Tensor] { get }
    /// η for the next step.
    var learningRate: Double { get set }
    /// The number of steps taken (Adam's bias correction uses it).
    var stepCount: Int { get }

    /// One update of every parameter from its gradient.
    func step()

    /// The step count and every per-parameter buffer, copied out for a checkpoint.
    var state: OptimizerState { get }
    /// Puts a saved state back; throws, changing nothing, when it does not fit these parameters.
    func restore(_ state: OptimizerState) throws(OptimizerStateError)
}

extension Optimizer {
    /// Sets every parameter's gradient to zero before the next backward pass (`optimizer.zero_grad()`).
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// What an optimizer remembers between steps, as plain arrays: `buffers["momentum"]![i]` holds the
/// values for `parameters[i]`, in row-major order. The names are PyTorch's `state_dict()` keys:
/// `momentum_buffer` for SGD, `exp_avg` and `exp_avg_sq` for Adam and AdamW.
public struct OptimizerState: Equatable, Sendable, Codable, CustomStringConvertible {
    /// Steps taken.
    public var stepCount: Int
    /// Each buffer's values, one array per parameter. An array is empty while its buffer does not
    /// exist yet (SGD's momentum before the first step, PyTorch's `None`).
    public var buffers: [String: [[Float]]]

    public init(stepCount: Int, buffers: [String: [[Float]]]) {
        self.stepCount = stepCount
        self.buffers = buffers
    }

    /// `optimizer state after 12 steps: exp_avg, exp_avg_sq (5 parameters)`.
    public var description: String {
        let names = buffers.keys.sorted()
        let count = buffers.values.first?.count ?? 0
        return "optimizer state after \(stepCount) step\(stepCount == 1 ? "" : "s")"
            + (names.isEmpty ? "" : ": \(names.joined(separator: ", ")) (\(count) parameter\(count == 1 ? "" : "s"))")
    }

    /// `buffers[name]` checked against `parameters`: one array per parameter, each empty (when
    /// `allowEmpty`) or the size of its parameter.
    func buffer(_ name: String, for parameters: [Tensor], allowEmpty: Bool = false) throws(OptimizerStateError)
        -> [[Float]]
    {
        guard let arrays = buffers[name] else { throw .missingBuffer(name) }
        guard arrays.count == parameters.count else {
            throw .parameterCount(buffer: name, found: arrays.count, expected: parameters.count)
        }
        for (i, (values, p)) in zip(arrays, parameters).enumerated()
        where values.count != p.count && !(allowEmpty && values.isEmpty) {
            throw .size(buffer: name, parameter: i, found: values.count, expected: p.count)
        }
        return arrays
    }

    /// Throws unless the step count is usable.
    func checkedStepCount() throws(OptimizerStateError) -> Int {
        guard stepCount >= 0 else { throw .negativeStepCount(stepCount) }
        return stepCount
    }
}

/// Why a saved optimizer state does not fit an optimizer (a checkpoint from another model, say).
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    case missingBuffer(String)
    case parameterCount(buffer: String, found: Int, expected: Int)
    case size(buffer: String, parameter: Int, found: Int, expected: Int)
    case negativeStepCount(Int)

    public var description: String {
        switch self {
        case .missingBuffer(let name):
            "optimizer state has no '\(name)' buffer; was it saved from another kind of optimizer?"
        case .parameterCount(let name, let found, let expected):
            "optimizer state '\(name)' has arrays for \(found) parameters but this optimizer has \(expected); was it saved from another model?"
        case .size(let name, let i, let found, let expected):
            "optimizer state '\(name)' for parameter \(i) has \(found) values but the parameter has \(expected); was it saved from another model?"
        case .negativeStepCount(let n):
            "optimizer state has step count \(n); it must be 0 or more"
        }
    }
}

extension Tensor {
    /// The gradient as a read-only buffer, or `nil` before any backward pass reached this tensor.
    func withGradient<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R? {
        guard let g = grad else { return nil }
        return withExtendedLifetime(g) { body(UnsafeBufferPointer(start: g.pointer, count: g.count)) }
    }
}

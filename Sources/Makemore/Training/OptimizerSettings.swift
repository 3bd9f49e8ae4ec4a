// Which optimizer trains a language model, as a plain value: chosen by `fit --optimizer`, kept with
// the model, saved in checkpoints (with the optimizer's state) so that training resumes as it was.
import Engine

/// An optimizer's kind and settings, without the learning rate (a schedule sets that every step).
///
///     OptimizerSettings.sgd()                      // the lectures': p.data += -lr * p.grad
///     OptimizerSettings(kind: .adamw)              // makemore's AdamW: betas (0.9, 0.99), weight decay 0.01
package struct OptimizerSettings: Codable, Equatable, Sendable, CustomStringConvertible {
    package enum Kind: String, Codable, CaseIterable, Sendable {
        case sgd, adam, adamw
    }

    package var kind: Kind
    /// SGD's momentum μ (0: the lectures' plain SGD).
    package var momentum: Double
    /// Adam's β₁ and β₂.
    package var beta1: Double, beta2: Double
    /// L2 penalty for SGD and Adam, decoupled decay for AdamW.
    package var weightDecay: Double

    /// The defaults of `kind`: plain SGD; Adam as PyTorch's; AdamW as makemore's.
    package init(kind: Kind, momentum: Double? = nil, weightDecay: Double? = nil) {
        self.kind = kind
        self.momentum = kind == .sgd ? momentum ?? 0 : 0
        (beta1, beta2) = kind == .adamw ? (0.9, 0.99) : (0.9, 0.999)
        self.weightDecay = weightDecay ?? (kind == .adamw ? 0.01 : 0)
    }

    /// The lectures' optimizer.
    package static func sgd() -> OptimizerSettings { OptimizerSettings(kind: .sgd) }

    /// `torch.optim.AdamW(params, lr)` with PyTorch's defaults ("Let's build GPT"): betas (0.9, 0.999),
    /// weight decay 0.01.
    package static func torchAdamW() -> OptimizerSettings {
        var settings = OptimizerSettings(kind: .adamw)
        settings.beta2 = 0.999
        return settings
    }

    /// Throws unless every setting is one the optimizer accepts.
    package func validate() throws(TrainingError) {
        guard momentum.isFinite, (0..<1).contains(momentum) else {
            throw .badSetting("--momentum", momentum, "from 0 up to (not including) 1")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw .badSetting("--weight-decay", weightDecay, "0 or more")
        }
        for (name, beta) in [("β₁", beta1), ("β₂", beta2)] where !(0..<1).contains(beta) {
            throw .badSetting(name, beta, "from 0 up to (not including) 1")
        }
    }

    /// A fresh optimizer over `parameters`, its learning rate `learningRate` until a schedule sets it.
    package func make(_ parameters: [Tensor], learningRate: Double) -> any Optimizer {
        switch kind {
        case .sgd: SGD(parameters, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .adam: Adam(parameters, learningRate: learningRate, betas: (beta1, beta2), weightDecay: weightDecay)
        case .adamw: AdamW(parameters, learningRate: learningRate, betas: (beta1, beta2), weightDecay: weightDecay)
        }
    }

    /// `sgd`, `sgd (momentum 0.9)`, `adamw (betas 0.9, 0.99; weight decay 0.01)`.
    package var description: String {
        var parts: [String] = []
        if kind == .sgd, momentum != 0 { parts.append("momentum \(momentum.compactDescription)") }
        if kind != .sgd { parts.append("betas \(beta1.compactDescription), \(beta2.compactDescription)") }
        if weightDecay != 0 { parts.append("weight decay \(weightDecay.compactDescription)") }
        return kind.rawValue + (parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))")
    }
}

// What can be wrong with a schedule a user typed (or built with out-of-range settings): small typed
// values with one-line messages saying what was wrong and what is accepted, plus "did you mean …?"
// by edit distance, as swift-argument-parser does.
import Engine
import NotebookLanguage

/// Why a schedule spec was rejected. `description` is the one-line message to show the user.
enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The spec is blank.
    case empty
    /// A kind name that is not one; `suggestion` is the nearest kind by edit distance.
    case unknownKind(String, suggestion: String?)
    /// A key the kind does not take; `suggestion` is the nearest accepted key.
    case unknownKey(String, kind: String, accepted: [String], suggestion: String?)
    /// A key given twice (or the main value given both bare and by name).
    case repeatedKey(String, kind: String)
    /// A key the kind needs is missing; `example` shows a spec that has it.
    case missingKey(String, kind: String, example: String)
    /// A value the key does not accept; `expected` says what it accepts.
    case badValue(String, key: String, kind: String, expected: String)
    /// Text that does not fit the syntax at all.
    case malformed(String, expected: String)
    /// A phase followed by another phase has no length (phases are numbered from 1).
    case phaseNeedsLength(phase: Int, kind: String)
    /// A phase that runs to the end of training starts at or past the end.
    case noStepsLeft(phase: Int, kind: String, start: Int, totalSteps: Int)

    var description: String {
        switch self {
        case .empty:
            return
                "empty schedule: give a learning rate such as 0.1, or a kind such as cosine:0.1 (kinds: \(Self.kindList))"
        case .unknownKind(let word, let suggestion):
            return "unknown schedule kind '\(word)'\(Self.didYouMean(suggestion)) (kinds: \(Self.kindList))"
        case .unknownKey(let key, let kind, let accepted, let suggestion):
            return
                "\(kind) takes no key '\(key)'\(Self.didYouMean(suggestion)) (keys: \(accepted.joined(separator: ", ")))"
        case .repeatedKey(let key, let kind):
            return "\(kind): '\(key)' is given twice; give each key once"
        case .missingKey(let key, let kind, let example):
            return "\(kind) needs \(key)=…, e.g. \(example)"
        case .badValue(let value, let key, let kind, let expected):
            return "\(kind): \(key)=\(value) is not accepted; expected \(expected)"
        case .malformed(let text, let expected):
            return "'\(text)' is not understood; expected \(expected)"
        case .phaseNeedsLength(let phase, let kind):
            return "phase \(phase) (\(kind)) is followed by another phase, so it needs a length: add for=K (or steps=K)"
        case .noStepsLeft(let phase, let kind, let start, let totalSteps) where start == 0:
            return
                "\(kind) (phase \(phase)) runs to the end of training, but training has \(totalSteps) steps: give steps=K or a positive total"
        case .noStepsLeft(let phase, let kind, let start, let totalSteps):
            return
                "phase \(phase) (\(kind)) starts at step \(start), but training has only \(totalSteps) steps: shorten the phases before it or give it steps=K"
        }
    }

    private static var kindList: String { LearningRateSchedule.Syntax.kinds.map(\.name).joined(separator: ", ") }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The candidate nearest to `word`: the notebook's did-you-mean, else the only candidate that
    /// `word` (2+ letters) begins.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        if let match = closestMatch(to: word, in: candidates) { return match }
        let word = word.lowercased()
        let prefixed = candidates.filter { word.count >= 2 && $0.hasPrefix(word) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }
}

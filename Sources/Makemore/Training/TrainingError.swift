// What can go wrong when a user asks to train or evaluate: one line each, saying what and what to do.
import Engine

/// A training request that cannot run.
package enum TrainingError: Error, Equatable, CustomStringConvertible {
    case badSetting(String, Double, String)
    case badCount(String, Int, String)
    case vocabularyMismatch(model: Vocabulary, data: Vocabulary)
    case noExamples(Split)
    case nothingToResume

    package var description: String {
        switch self {
        case .badSetting(let name, let value, let expected):
            "\(name) must be \(expected), not \(value.compactDescription)"
        case .badCount(let name, let value, let expected):
            "\(name) must be \(expected), not \(value)"
        case .vocabularyMismatch(let model, let data):
            "the model knows \(model) but the loaded words use \(data); load the names it was made for, or make a new model"
        case .noExamples(let part):
            "the \(part.rawValue) split has no words; load a file with more names"
        case .nothingToResume:
            "there is no unfinished training to resume; give --steps to train"
        }
    }
}

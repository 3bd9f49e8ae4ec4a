// What makemore part 1's commands keep between lines: the names `load` read and the count model
// built from them.
import Makemore

/// The session's state for `load`, `bigram`, `counts`, `probs`, `nll` and `sample`.
struct NamesState {
    /// The dataset `load` read last.
    var dataset: NamesDataset?
    /// The counting bigram model of `dataset`: built by `bigram`, or on first use with +1 smoothing.
    var bigram: BigramModel?

    /// What `reset` forgets here, for its summary.
    var contents: [String] {
        (dataset.map { ["the names of \($0.source)"] } ?? []) + (bigram == nil ? [] : ["the bigram model"])
    }
}

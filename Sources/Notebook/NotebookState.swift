// Everything the notebook's commands keep between lines, one part per lecture domain. Each part owns
// its fields and its defaults; `reset` makes a new NotebookState, so a new part is forgotten with the
// rest without being listed anywhere. (micrograd's networks and data sets are variables, kept by
// the interpreter.)
import Tokenizer

/// The commands' state: the Value commands', makemore part 1's, and the language models'.
struct NotebookState {
    var values = ValueState()
    var names = NamesState()
    var languageModels = LanguageModelState()
    /// The byte-pair tokenizer `tokenizer train` or `tokenizer load` made.
    var tokenizer: BytePairTokenizer?

    /// What the state holds, for `reset`'s summary: "the names of names.txt, the mlp model".
    var contents: [String] {
        values.contents + names.contents + languageModels.contents + (tokenizer == nil ? [] : ["the tokenizer"])
    }
}

// `multinomial lecture|today`: which of PyTorch's two rules `torch.multinomial(p, 1,
// replacement=True)` follows at the prompt. makemore part 1 was recorded with the PyTorch of its day,
// which searched the cumulative sum (its names: mor., axx., …); PyTorch 2.x draws one sample by an
// exponential race instead, so a current install prints other names for the same cell.
import ArgumentParser
import NotebookLanguage

struct MultinomialCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "multinomial",
        abstract:
            "Choose how torch.multinomial draws one sample with replacement: as the lecture's PyTorch, or today's.",
        discussion: """
            lecture (the default): a search of the cumulative sum, as makemore part 1's PyTorch drew, so \
            its cells print the lecture's names. today: the exponential race PyTorch 2.x uses, to compare \
            with a current install. Draws without replacement, and several draws, are the same either way.
            """
    )
    static let group = CommandGroup.session

    enum Rule: String, ExpressibleByArgument, CaseIterable {
        case lecture, today
    }

    @Argument(help: "lecture or today; none shows the rule in use.") var rule: Rule?

    func run(in session: Session) throws(NotebookError) {
        if let rule { session.interpreter.modernMultinomial = rule == .today }
        session.emit(
            session.interpreter.modernMultinomial
                ? "multinomial: today's PyTorch (one draw with replacement is an exponential race)"
                : "multinomial: the lecture's PyTorch (one draw with replacement searches the cumulative sum)")
    }
}

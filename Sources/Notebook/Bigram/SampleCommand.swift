// `sample K`: names drawn from the current model with the lecture's loop (makemore part 1), from the
// session's generator, so `seed 2147483647` then `sample 5` on the lecture's names gives its five names.
// The current model is the neural one `model` made (parts 2–3) when there is one, else the count bigram.
import ArgumentParser
import Makemore
import NotebookLanguage

struct SampleCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract:
            "Sample names from the current model, one per line (default 5, as the lecture's loop), or text from a gpt model.",
        usage:
            "sample [<count>] [--temperature <temperature>] [--top-k <top-k>] [--rule <rule>] [--counts] [--groups] [--prompt <text>] [--tokens <n>]",
        discussion: """
            Draws continue the session's generator: seed 2147483647 first to get the lecture's names. Each \
            name starts after '.', draws the next character from the model's distribution given the \
            characters so far, and ends when '.' is drawn (shown at the end, as \
            in the lecture). The model is the one model made or checkpoint loaded (in eval mode), else the \
            count bigram (P[previous]), built with +1 smoothing when bigram was not run; --counts always uses \
            the count bigram. --temperature T divides the logits by T: below 1 safer, more common names; above \
            1 stranger ones. torch.multinomial draws one sample in one of two ways, and the lectures use both: \
            the count bigram and bigram-nn draw as makemore part 1 did (cumulative: one uniform, searched in \
            the cumulative sum), the other models as parts 2-5 do (race: argmax of p / q with q ~ Exp(1), \
            what PyTorch 2 does for every single draw); --rule chooses the other. \
            --top-k K draws only from the K likeliest characters at each step (makemore's \
            --top-k). Whole-word models (rnn, gru, lstm, bow, transformer) read the name from its start. \
            --explain shows, under each name, what the model offered at every step: the context, the \
            character drawn with its probability, and the five likeliest characters (after --temperature and \
            --top-k), the drawn one in brackets. \
            A name the model was trained on is marked (in train), or (in dev), (in test) when the split put it \
            there, or (in names.txt) for the count bigram; --groups prints them as makemore does instead: \
            those in train, those in test, and the new ones. \
            A text model (gpt-bigram, gpt) writes text instead: --tokens N characters (default 500, the \
            lecture's max_new_tokens) after --prompt TEXT (default: the vocabulary's first character, a \
            newline in most texts, as the lecture's generate(context=zeros)), each shown as it is drawn; \
            \\n in the prompt is a newline, \\t a tab, \\\\ a backslash. Ctrl-C stops it.
            """)
    static let group = CommandGroup.makemore

    /// The most names one command prints.
    static let limit = 10_000

    /// A list so that the parser takes a negative number here too, and validate() can say why it is wrong.
    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("How many names, 1 to 10,000 (default 5).", valueName: "count"))
    var counts: [Int] = []
    var count: Int { counts.first ?? 5 }
    @Option(parsing: .unconditional, help: "Divide the logits by T before softmax (1: as the model says).")
    var temperature = 1.0
    @Option(
        name: .customLong("top-k"), parsing: .unconditional,
        help: "Draw only from the K likeliest characters at each step.") var topK: Int?
    @Option(help: "How each character is drawn (default: as the model's lecture drew).") var rule: SamplingRule?
    @Flag(name: .customLong("counts"), help: "Use the count bigram even when a neural model exists.") var useCounts =
        false
    @Flag(help: "Print the names in makemore's three groups: in train, in test (or dev), and new.") var groups = false
    @Flag(help: "Under each name, the model's likeliest next characters at every step, the drawn one marked.")
    var explain = false
    @Option(help: "A text model's start (default: its first character, as the lecture's zeros; \\n is a newline).")
    var prompt: String?
    @Option(parsing: .unconditional, help: "How many characters a text model writes (default 500).") var tokens: Int?

    /// The most characters one `sample --tokens` writes.
    static let tokenLimit = 1_000_000

    func validate() throws {
        guard counts.count <= 1 else { throw ValidationError("give one number of names, not \(counts.count)") }
        guard (1...Self.limit).contains(count) else {
            throw ValidationError("the number of names must be from 1 to \(Self.limit.grouped), got \(count)")
        }
        guard temperature.isFinite, temperature > 0, temperature <= 100 else {
            throw ValidationError("--temperature must be a number above 0 and at most 100, not \(temperature)")
        }
        if let topK, topK < 1 {
            throw ValidationError("--top-k must be at least 1 (1 always takes the likeliest character), not \(topK)")
        }
        if let tokens, !(1...Self.tokenLimit).contains(tokens) {
            throw ValidationError("--tokens must be from 1 to \(Self.tokenLimit.grouped), not \(tokens)")
        }
        if prompt == "" {
            throw ValidationError("--prompt is empty; give some text, or leave it out to start as the lecture does")
        }
    }

    func run(in session: Session) throws(NotebookError) {
        if !useCounts, let trainer = session.state.languageModels.trainer, trainer.model.configuration.kind.readsText {
            return try writeText(trainer.model, in: session)
        }
        if prompt != nil || tokens != nil {
            throw NotebookError(
                "--prompt and --tokens are for the text models (gpt-bigram, gpt: load --text, then model gpt); this model samples names: sample 5"
            )
        }
        let model: any NextCharacterModel
        let known: [(words: Set<String>, name: String)]
        if !useCounts, let trainer = session.state.languageModels.trainer {
            model = trainer.model
            let split = session.state.languageModels.split
            known = Split.allCases.compactMap { part in
                split.map { (Set($0.words(part)), part.rawValue) }
            }
        } else {
            model = try session.requireBigram()
            let dataset = session.state.names.dataset
            known = dataset.map { [(Set($0.words), SampleCommand.fileName($0.source))] } ?? []
        }
        var drawn: [String] = []
        for _ in 0..<count {
            try Interrupt.check()
            let name: String
            var steps: [String] = []
            let explainStep: ([Int], [Float], Int) -> Void = { context, p, ix in
                steps.append(Self.explanation(context: context, probabilities: p, drawn: ix, model.vocabulary))
            }
            do {
                name = try model.sample(
                    using: session.generator, temperature: temperature, topK: topK, rule: rule,
                    onStep: explain ? explainStep : nil)
            } catch {
                throw NotebookError("\(error)")
            }
            if groups {
                drawn.append(name)
            } else {
                let word = String(name.dropLast(name.hasSuffix(".") ? 1 : 0))
                let mark = known.first { $0.words.contains(word) }.map {
                    session.style.paint("  (in \($0.name))", .gray)
                }
                session.emit(name + (mark ?? ""))
                steps.forEach { session.emit(session.style.paint($0, .gray)) }
            }
        }
        if groups { printGroups(drawn, known, session) }
    }

    /// `sample --prompt TEXT --tokens N` for a text model: the prompt, then each character as it is drawn.
    private func writeText(_ model: any LanguageModel, in session: Session) throws(NotebookError) {
        let kind = model.configuration.kind.rawValue
        if !counts.isEmpty {
            throw NotebookError("\(kind) writes text, not names; give its length with --tokens \(count)")
        }
        if groups || explain {
            throw NotebookError("--\(groups ? "groups" : "explain") is for names; \(kind) writes text")
        }
        let start: [Int]
        let text = prompt.map(Self.unescaped) ?? String(model.vocabulary.itos[0])
        do { start = try model.vocabulary.encode(text) } catch {
            throw NotebookError("in --prompt: \(error); a text model writes only characters of the text it learned")
        }
        session.write(text)
        var last = text.last
        var stopped = false
        do {
            _ = try model.generate(
                after: start, count: tokens ?? 500, using: session.generator, temperature: temperature, topK: topK,
                rule: rule
            ) { ix in
                let character = model.vocabulary.itos[ix]
                session.write(String(character))
                last = character
                if Interrupt.isRequested { stopped = true }
                return !stopped
            }
        } catch {
            if last != "\n" { session.write("\n") }
            throw NotebookError("\(error)")
        }
        if last != "\n" { session.write("\n") }
        if stopped { session.warn("stopped by Ctrl-C") }
    }

    /// A prompt as typed, with \n, \t and \\ read as a newline, a tab and a backslash.
    static func unescaped(_ text: String) -> String {
        var out = ""
        var escaping = false
        for c in text {
            if escaping {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\": out.append("\\")
                default: out += "\\" + String(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    /// makemore's `print_samples`: the names in train, in test (and dev), then the new ones.
    private func printGroups(_ names: [String], _ known: [(words: Set<String>, name: String)], _ session: Session) {
        let words = names.map { String($0.dropLast($0.hasSuffix(".") ? 1 : 0)) }
        var remaining = words
        session.emit(String(repeating: "-", count: 80))
        for (set, part) in known {
            let inside = remaining.filter(set.contains)
            remaining.removeAll(where: set.contains)
            guard !inside.isEmpty || part != "dev" else { continue }
            session.emit(
                "\(Notebook.count(inside.count, "sample")) that \(inside.count == 1 ? "is" : "are") in \(part):")
            inside.forEach { session.emit($0) }
        }
        session.emit("\(Notebook.count(remaining.count, "sample")) that \(remaining.count == 1 ? "is" : "are") new:")
        remaining.forEach { session.emit($0) }
        session.emit(String(repeating: "-", count: 80))
    }

    /// One step of `--explain`: `  ..e → m 0.062   l 0.155  a 0.122  [m 0.062]  n 0.058  e 0.047`.
    static func explanation(context: [Int], probabilities p: [Float], drawn: Int, _ vocabulary: Vocabulary)
        -> String
    {
        let seen = vocabulary.decode(context.suffix(3))
        let top = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }.prefix(5)
        let offered = top.map { i -> String in
            let text = "\(vocabulary.decode([i])) \(String(format: "%.3f", Double(p[i])))"
            return i == drawn ? "[\(text)]" : text
        }
        return
            "  \(String(repeating: " ", count: max(0, 3 - seen.count)))\(seen) → \(vocabulary.decode([drawn])) \(String(format: "%.3f", Double(p[drawn])))   "
            + offered.joined(separator: "  ")
    }

    /// `names.txt` for `/path/to/names.txt`.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

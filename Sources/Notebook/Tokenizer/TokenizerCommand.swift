// `tokenizer`: "Let's build the GPT Tokenizer" at the prompt. Train a byte-pair encoding on a text
// file, encode and decode with it, see each token of a text coloured (as the tiktokenizer web app
// shows them), list the merges, and save or load it in minbpe's files.
import ArgumentParser
import Foundation
import NotebookLanguage
import Tokenizer

extension BytePairTokenizer.Pattern: ExpressibleByArgument, CaseInsensitiveChoice {}

/// What `tokenizer` does.
enum TokenizerAction: String, CaseInsensitiveChoice {
    case train, encode, decode, view, merges, save, load, special
}

struct TokenizerCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Byte-pair encoding, as minbpe: train on a text, encode, decode, view, merges, save, load.",
        usage: """
            tokenizer train FILE [--vocab 512] [--pattern gpt4|gpt2|none]
              tokenizer encode TEXT [--special]   tokenizer decode ID…   tokenizer view TEXT
              tokenizer merges [N]   tokenizer save PREFIX   tokenizer load FILE.model   tokenizer special NAME=ID
            """,
        discussion: """
            train reads a UTF-8 text file and learns --vocab minus 256 merges, each time the most frequent \\
            pair of neighbouring tokens (a tie to the pair seen first), never across the chunks of the split \\
            pattern (GPT-4's by default, GPT-2's, or none: minbpe's RegexTokenizer and BasicTokenizer). \\
            encode prints the token ids of a text (--special turns special tokens in it into their ids), \\
            decode the text of ids, view each token of a text in its own colour with the ids below, merges \\
            the first N merges learned. save writes PREFIX.model and PREFIX.vocab as minbpe does; load reads \\
            a .model file (minbpe's own load it too). special registers a special token, e.g. \\
            <|endoftext|>=100257. Ctrl-C stops training.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "train, encode, decode, view, merges, save, load or special.") var action: TokenizerAction
    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("The file, text, ids, count or name=id.", valueName: "what"))
    var words: [String] = []
    @Option(parsing: .unconditional, help: "train: the vocabulary size, 256 bytes plus the merges (default 512).")
    var vocab = 512
    @Option(help: "train: the split pattern (default gpt4).") var pattern = BytePairTokenizer.Pattern.gpt4
    @Flag(help: "encode: turn special tokens in the text into their ids.") var special = false

    /// The largest text `train` reads.
    static let maximumTextSize = 64 << 20

    func run(in session: Session) throws(NotebookError) {
        let rest = words.joined(separator: " ")
        switch action {
        case .train: try train(rest, session)
        case .load:
            let path = try needed(rest, "the .model file to load, e.g. tokenizer load names.model")
            guard path.hasSuffix(".model") else { throw NotebookError("load reads a .model file, not \(path)") }
            let text = try FileErrors.readText(path, limit: Self.maximumTextSize)
            let loaded: BytePairTokenizer
            do { loaded = try BytePairTokenizer(modelText: text) } catch {
                throw NotebookError("cannot load \(path): \(error)")
            }
            session.state.tokenizer = loaded
            session.emit("loaded \(path): \(Self.describe(loaded))")
        default:
            guard var tokenizer = session.state.tokenizer else {
                throw NotebookError("no tokenizer yet; tokenizer train FILE makes one (or tokenizer load FILE.model)")
            }
            switch action {
            case .encode:
                let ids = try reporting { try tokenizer.encode(rest, allowSpecial: special) }
                session.emit(ids.map(String.init).joined(separator: " "))
                session.emit("(\(count(ids.count, "token")) for \(count(rest.utf8.count, "byte")))")
            case .decode:
                let ids = try words.flatMap { $0.split(separator: ",") }.map { (w) throws(NotebookError) in
                    guard let id = Int(w.trimmingCharacters(in: .whitespaces)) else {
                        throw NotebookError(
                            "'\(w)' is not a token id; give whole numbers, e.g. tokenizer decode 104 105")
                    }
                    return id
                }
                session.emit(try reporting { try tokenizer.decode(ids) })
            case .view:
                let ids = try reporting { try tokenizer.encode(rest, allowSpecial: true) }
                session.emit(try Self.view(ids, tokenizer, style: session.style))
                session.emit("(\(count(ids.count, "token")) for \(count(rest.utf8.count, "byte")))")
            case .merges:
                let n = words.isEmpty ? 20 : try Self.number(words[0])
                for m in tokenizer.merges.prefix(n) {
                    let show = { (id: Int) in "[" + BytePairTokenizer.render(tokenizer.vocabulary[id]) + "]" }
                    session.emit("\(m.token): \(show(m.left)) + \(show(m.right)) → \(show(m.token))")
                }
                if tokenizer.merges.count > n { session.emit("… \(tokenizer.merges.count - n) more") }
            case .save:
                let prefix = try needed(
                    rest, "the prefix to save to, e.g. tokenizer save names (writes names.model, names.vocab)")
                try FileErrors.writeAtomically(Data(tokenizer.modelText.utf8), to: prefix + ".model")
                try FileErrors.writeAtomically(Data(tokenizer.vocabText.utf8), to: prefix + ".vocab")
                session.emit("saved \(prefix).model and \(prefix).vocab: \(Self.describe(tokenizer))")
            case .special:
                let given = try needed(rest, "the special token, e.g. tokenizer special <|endoftext|>=100257")
                guard let equals = given.lastIndex(of: "="), let id = Int(given[given.index(after: equals)...]) else {
                    throw NotebookError("give the special token as NAME=ID, e.g. <|endoftext|>=100257, not \(given)")
                }
                try reporting { try tokenizer.register([String(given[..<equals]): id]) }
                session.state.tokenizer = tokenizer
                session.emit("special token \(given[..<equals]) is \(id)")
            case .train, .load:
                break
            }
        }
    }

    private func train(_ path: String, _ session: Session) throws(NotebookError) {
        let file = try needed(path, "the text file to train on, e.g. tokenizer train names.txt --vocab 512")
        let text = try FileErrors.readText(file, limit: Self.maximumTextSize)
        let clock = ContinuousClock()
        let start = clock.now
        let tokenizer: BytePairTokenizer
        do {
            tokenizer = try BytePairTokenizer.train(
                on: text, vocabularySize: vocab, pattern: pattern, shouldStop: { Interrupt.isRequested })
        } catch {
            throw NotebookError("\(error)")
        }
        session.state.tokenizer = tokenizer
        let ids = tokenizer.encodeOrdinary(text)
        session.emit("trained on \(file) (\(text.utf8.count.grouped) bytes): \(Self.describe(tokenizer))")
        if tokenizer.merges.count < vocab - 256 {
            session.emit("(the text ran out of pairs after \(count(tokenizer.merges.count, "merge")))")
        }
        let ratio = Double(text.utf8.count) / Double(Swift.max(1, ids.count))
        session.emit("the text is \(ids.count.grouped) tokens: \(ratio.fixed(2)) bytes per token")
        if session.isInteractive {
            let seconds =
                Double((clock.now - start).components.attoseconds) * 1e-18
                + Double((clock.now - start).components.seconds)
            session.emit(session.style.paint("(\(seconds.fixed(2)) s)", .dim))
        }
    }

    /// `512 tokens (256 bytes, 256 merges), split pattern gpt4`.
    static func describe(_ t: BytePairTokenizer) -> String {
        "\(t.size.grouped) tokens (256 bytes, \(count(t.merges.count, "merge"))"
            + (t.specialTokens.isEmpty ? "" : ", \(count(t.specialTokens.count, "special token"))")
            + "), split pattern \(t.pattern.rawValue)"
    }

    /// The text's tokens, each in a colour of its own at a colour terminal (else between | marks),
    /// with the ids underneath.
    static func view(_ ids: [Int], _ t: BytePairTokenizer, style: TextStyle) throws(NotebookError) -> String {
        let colors: [TextStyle.Color] = [.red, .green, .yellow, .blue, .magenta, .cyan]
        var pieces: [String] = []
        for (i, id) in ids.enumerated() {
            let text = BytePairTokenizer.render(try reporting { try t.bytes([id]) })
            pieces.append(style.color ? style.paint(text, colors[i % colors.count]) : "|" + text)
        }
        return pieces.joined() + (style.color ? "" : "|") + "\n" + ids.map(String.init).joined(separator: " ")
    }

    private func needed(_ text: String, _ what: String) throws(NotebookError) -> String {
        guard !text.isEmpty else { throw NotebookError("\(action.rawValue) needs \(what)") }
        return text
    }

    private static func number(_ word: String) throws(NotebookError) -> Int {
        guard let n = Int(word), n >= 1 else {
            throw NotebookError("'\(word)' is not a number of merges to show; give a whole number from 1")
        }
        return n
    }
}

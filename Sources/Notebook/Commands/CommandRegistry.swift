// The notebook's commands (`graph L`, `backward L`, `help`): each is a small swift-argument-parser
// command, so every one gets the same argument parsing, usage lines and `help COMMAND` text.
import ArgumentParser
import Foundation
import NotebookLanguage

enum CommandRegistry {
    static let all: [any NotebookCommand.Type] = [
        GraphCommand.self, TopoCommand.self, BackwardCommand.self, ZeroGradCommand.self, ForwardCommand.self,
        StepCommand.self, ManualCommand.self, CheckCommand.self, NudgeCommand.self,
        LoadCommand.self, BigramCommand.self, CountsCommand.self, ProbsCommand.self, NLLCommand.self,
        SampleCommand.self,  // makemore part 1
        SplitCommand.self, ModelCommand.self, FitCommand.self, EvalCommand.self, LRFindCommand.self, FigureCommand.self,
        CheckpointCommand.self,  // makemore parts 2–3
        ShapesCommand.self, CalibrateCommand.self,  // the rest of makemore
        TokenizerCommand.self,  // the GPT tokenizer
        MLPCommand.self, NetCommand.self, DataCommand.self, TrainCommand.self, PredictCommand.self,
        BoundaryCommand.self,  // neural nets
        ScheduleCommand.self,  // training: learning-rate schedules
        SeedCommand.self, MultinomialCommand.self, VarsCommand.self, HelpCommand.self, RunCommand.self,
        RecordCommand.self, SaveCommand.self,
        HistoryCommand.self, ResetCommand.self, QuitCommand.self
    ]

    /// Every name and alias a command answers to.
    static let names: [String] = all.flatMap { [$0.configuration.commandName ?? ""] + $0.configuration.aliases }

    static func find(_ name: String) -> (any NotebookCommand.Type)? {
        all.first { $0.configuration.commandName == name || $0.configuration.aliases.contains(name) }
    }

    /// The command and its words when `text` invokes one: its first word is a command name and
    /// what follows is not code (`step = 3`, `graph(…)` and a lone variable's name stay code).
    static func invocation(in text: String, variables: GlobalTable) -> (any NotebookCommand.Type, [String])? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let word = String(trimmed.prefix { !$0.isWhitespace })
        guard let command = find(word) else { return nil }
        let after = trimmed.dropFirst(word.count)
        let rest = after.trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { return variables[word] == nil ? (command, []) : nil }
        // `graph(L)`, `step.x`, `step[0]`: code touching the word itself.
        guard after.first?.isWhitespace == true else { return nil }
        // `step = 3`, `step += 1`; and `step * 2` when `step` is a variable.
        let assignments = ["=", "+=", "-=", "*=", "/=", "**=", "//="]
        if assignments.contains(where: { rest.hasPrefix($0) }) && !rest.hasPrefix("==") { return nil }
        let operators = ["+", "-", "*", "/", "%", "@", "<", ">", "!=", "==", "and ", "or ", "if "]
        if variables[word] != nil, operators.contains(where: { rest.hasPrefix($0) }) { return nil }
        return (command, splitWords(rest))
    }

    /// Parses `words` for `command` and runs it. Usage errors come back as one clear message.
    static func run(_ command: any NotebookCommand.Type, _ words: [String], in session: Session) throws(NotebookError) {
        let command = route(command, words)
        try checkOptionNames(command, words)
        var parsed: any NotebookCommand
        do {
            parsed = try command.parse(words)
        } catch {
            if command.exitCode(for: error) == .success {
                session.emit(command.helpMessage(columns: session.style.width).trimmingTrailingNewlines)
                return
            }
            let name = command.configuration.commandName ?? ""
            // The parser's own messages ("Missing expected argument …") get the usage line; a bad
            // choice already lists the choices, and validate()'s messages say what to do.
            let message = command.message(for: error)
            let line = ParseErrorWording.line(message)
            let isParsers =
                message.first?.isUppercase == true
                && (!line.hasPrefix("'") || line.contains("is not a valid value for"))
            throw NotebookError(
                "\(name): \(line)" + (isParsers ? " (usage: \(usage(of: command)); see help \(name))" : ""))
        }
        // Commands throw what went wrong; the command's name is added here, once for all of them.
        do { try parsed.run(in: session) } catch { throw error.in(command: command.configuration.commandName ?? "") }
    }

    /// Refuses a `--name` the command does not have before anything else is parsed: otherwise the
    /// parser may blame the value after it on a positional argument (`step L --h nan` would say
    /// that 'nan' is no count).
    static func checkOptionNames(_ command: any NotebookCommand.Type, _ words: [String]) throws(NotebookError) {
        let known = optionNames(of: command)
        for word in words.prefix(while: { $0 != "--" }) where word.hasPrefix("--") && word.count > 2 {
            let name = String(word.prefix { $0 != "=" })
            guard !known.contains(name) else { continue }
            let commandName = command.configuration.commandName ?? ""
            let guess = closestMatch(to: name, in: known.sorted()).map { "; did you mean \($0)?" } ?? ""
            let options = known.subtracting(["--help"]).sorted()
            let list =
                options.isEmpty
                ? "\(commandName) takes no options" : "\(commandName) takes " + options.joined(separator: ", ")
            throw NotebookError("\(commandName): there is no option \(name)\(guess) (\(list); see help \(commandName))")
        }
    }

    /// Every `--name` a command accepts, read from its own help text (the parser lists them all there).
    static func optionNames(of command: any NotebookCommand.Type) -> Set<String> {
        let help = command.helpMessage(columns: 10_000)
        var names: Set<String> = ["--help"]
        var index = help.startIndex
        while let range = help.range(of: "--", range: index..<help.endIndex) {
            let name = help[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if let first = name.first, first.isLetter,
                range.lowerBound == help.startIndex
                    || !help[help.index(before: range.lowerBound)].isLetter
            {
                names.insert("--" + name)
            }
            index = range.upperBound
        }
        return names
    }

    /// `train` serves both lectures: `train NET DATA …` trains a micrograd network; a bare `train`
    /// or `train --steps …` trains the current language model, the same as `fit`.
    static func route(_ command: any NotebookCommand.Type, _ words: [String]) -> any NotebookCommand.Type {
        guard ObjectIdentifier(command) == ObjectIdentifier(TrainCommand.self) else { return command }
        if let first = words.first, !first.hasPrefix("-") { return command }
        return FitCommand.self
    }

    /// The one-line usage of a command, e.g. `graph <expression> [--tree] [--dot <file>]`.
    static func usage(of command: any NotebookCommand.Type) -> String {
        command.usageString().replacingOccurrences(of: "Usage: ", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Splits command arguments into words: whitespace separates, quotes group.
    static func splitWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var hasWord = false
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                hasWord = true
            } else if c.isWhitespace {
                if hasWord { words.append(current) }
                current = ""
                hasWord = false
            } else {
                current.append(c)
                hasWord = true
            }
        }
        if hasWord { words.append(current) }
        return words
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}

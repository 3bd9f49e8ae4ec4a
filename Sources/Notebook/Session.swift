// A notebook session: the plain type that turns each input line into output text. The REPL,
// session replay and the tests all drive it the same way, one line at a time.
import Engine
import Makemore
import NotebookLanguage

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// One notebook: its variables, its commands' state, and where its output goes.
public final class Session: InterpreterHost {
    /// Where output goes (stdout, or memory in tests).
    public var output: OutputSink
    public var style: TextStyle
    /// `true` when a person is typing (enables Enter-to-continue and sub-prompts).
    public var isInteractive = false
    /// Set by `quit`/`exit`.
    public private(set) var wantsExit = false
    /// Every line typed, in order (the `history` command).
    public private(set) var history: [String] = []

    /// Every line run so far with the output it printed (plain text): `save` and `record` write it.
    public private(set) var log: [(input: String, output: String)] = []
    /// The file `record` keeps up to date.
    var recording: Recording?
    /// The scripts `run` is replaying now (resolved paths), innermost last: a script that runs
    /// itself, directly or through another, is refused instead of recursing for ever.
    var scriptsRunning: [String] = []

    /// The random generator every command initialises and samples through (PyTorch's, bit for bit).
    /// `seed N` resets it; it starts at the lectures' seed.
    public var generator = TorchGenerator(seed: 2_147_483_647)

    lazy var interpreter = Interpreter(host: self)
    /// `matplotlib.pyplot`'s figure, drawn when a cell ends.
    lazy var pyplot = Pyplot(session: self)
    /// A bound on the steps of each cell, for runs no one can interrupt (the fuzzer).
    package var stepBudget: Int? {
        get { interpreter.stepBudget }
        set { interpreter.stepBudget = newValue }
    }
    /// How many objects that can form cycles the notebook's Python keeps before it looks for
    /// cycles to free (the fuzzer sets a few, so that collections happen everywhere).
    package var cycleCollectionThreshold: Int {
        get { interpreter.heap.minimumThreshold }
        set { interpreter.heap.minimumThreshold = newValue }
    }
    /// The engine mirrors of the user's own Value graphs, by their output object.
    var mirrors: [ObjectIdentifier: MirroredGraph] = [:]
    /// What the commands keep between lines, one part per lecture domain.
    var state = NotebookState()

    public init(output: OutputSink, style: TextStyle = .plain) {
        self.output = output
        self.style = style
        interpreter.define(NeuralNetBuiltins.entries(interpreter))  // MLP(), moons(), … draw from `generator`
        interpreter.define(PlotBuiltins.entries(interpreter) { [unowned self] in self.style })  // plot(), hist()
        interpreter.define(SessionBuiltins.entries(self))  // quit(), exit(), help()
        interpreter.providedModules["matplotlib.pyplot"] = { [unowned self] in pyplot.module() }
    }

    /// The prompt to show before the next line.
    public var prompt: String { state.values.exercise?.prompt ?? ">>> " }

    /// The prompt shown before each further line of a block.
    public static let continuationPrompt = "... "

    /// A cell as it looks typed: `>>> ` before its first line, `... ` before the others.
    func typed(_ cell: String) -> String {
        cell.components(separatedBy: "\n").enumerated().map { index, line in
            style.paint(index == 0 ? prompt : Self.continuationPrompt, .bold) + line
        }.joined(separator: "\n")
    }

    /// What Tab offers for the word being typed, `prefix`, given the text before it on the line.
    /// Inside a command's arguments: what that argument takes (its choices, options, files or
    /// variables); elsewhere: variables, built-ins and commands, or after `x.` the attributes of `x`.
    public func completions(for prefix: String, after line: String) -> [String] {
        let statement = line.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let words = statement.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, let command = CommandRegistry.find(first),
            interpreter.variables[first] == nil || words.count > 1
        else { return completions(for: prefix) }
        let candidates = CommandCompletion.candidates(
            for: command, after: Array(words.dropFirst()), word: prefix)
        switch candidates {
        case .choices(let choices): return choices.filter { $0.hasPrefix(prefix) }
        case .files: return CommandCompletion.files(startingWith: prefix)
        case .variables:
            if prefix.contains(".") { return completions(for: prefix) }
            return interpreter.variables.keys.filter { $0.hasPrefix(prefix) }.sorted()
        case .nothing: return []
        }
    }

    /// Names to offer for Tab completion: variables, built-ins and commands.
    /// After `x.`, the attributes of what `x` holds.
    public func completions(for prefix: String) -> [String] {
        if let dot = prefix.lastIndex(of: ".") {
            let base = String(prefix[..<dot])
            let partial = prefix[prefix.index(after: dot)...]
            guard let object = attributeChain(base) else { return [] }
            let attributes: [String]
            switch object {
            case .object(let o): attributes = o.attributeNames
            case .instance(let i): attributes = i.fieldNames + i.type.attributeNames
            default: attributes = Methods.names(of: object)
            }
            return attributes.filter { $0.hasPrefix(partial) }.sorted().map { base + "." + $0 }
        }
        let candidates = Set(interpreter.allNames).union(CommandRegistry.names)
        return candidates.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The object `name.attr.attr` names, looked up without evaluating anything else: completion
    /// must never run calls, operators or whatever else the pasted text before the dot may hold.
    private func attributeChain(_ text: String) -> Object? {
        let names = text.split(separator: ".", omittingEmptySubsequences: false)
        guard names.count <= 8,
            names.allSatisfy({ name in
                name.first.map { $0.isLetter || $0 == "_" } == true
                    && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            })
        else { return nil }
        guard var object = interpreter.variables[String(names[0])] ?? interpreter.builtin(String(names[0])) else {
            return nil
        }
        for name in names.dropFirst() {
            guard let next = try? interpreter.attribute(String(name), of: object, column: 0) else { return nil }
            object = next
        }
        return object
    }

    // MARK: Output

    /// Writes output, and logs it (without colour) against the line being run.
    package func write(_ text: String) {
        guard !isSilenced else { return }
        output.write(text)
        if !log.isEmpty { log[log.count - 1].output += style.color ? text.withoutANSIEscapes : text }
    }

    /// Writes one line of output.
    func emit(_ line: String = "") { write(line + "\n") }

    /// Pictures collected while a lesson is written as a web page (`--html`), nil otherwise: each
    /// figure's text drawing is then replaced by a marker line that the page replaces with its SVG.
    var pageFigures: [String]?
    /// Set when Ctrl-C stopped a line of the page being written.
    var pageInterrupted = false

    /// The line that stands for picture `index` of `pageFigures` in the output.
    static func figureMarker(_ index: Int) -> String { "\u{1}figure \(index)\u{1}" }

    /// A drawing: its text lines at the terminal, or its SVG picture when a web page is being written.
    func show(figure lines: [String], svg: () -> String?) {
        if pageFigures != nil, let picture = svg() {
            pageFigures?.append(picture)
            emit(Self.figureMarker((pageFigures?.count ?? 1) - 1))
        } else {
            lines.forEach { emit($0) }
        }
    }

    /// True while `silently` runs: output is dropped, and not logged.
    private var isSilenced = false

    /// Runs `body` with every output dropped (classroom mode rehearses a script's quiz answers so).
    func silently<R>(_ body: () -> R) -> R {
        let was = isSilenced
        isSilenced = true
        defer { isSilenced = was }
        return body()
    }

    /// A warning line: `warning:` in yellow at a colour terminal (as errors are in red), plain otherwise.
    package func warn(_ message: String) { emit(style.paint("warning: ", .yellow) + message) }

    func report(_ error: NotebookError, in text: String? = nil) {
        lastError = error
        let lines = text?.components(separatedBy: "\n") ?? []
        let shown = lines.count > 1 ? lines[safe: (error.line ?? 1) - 1] : lines.first
        if let column = error.column, let shown, column >= 1, column <= shown.count + 1 {
            if lines.count > 1, let line = error.line { emit("  line \(line):") }
            emit("    " + shown)
            emit("    " + String(repeating: " ", count: column - 1) + "^")
        }
        emit(style.paint("error: ", .red) + error.message)
    }

    // MARK: Running lines

    /// The last error `execute` reported, with the line of the cell it came from.
    public private(set) var lastError: NotebookError?

    /// Runs one cell of input (a line, or a block over several lines) and writes its output.
    /// Returns false when it reported an error. An error stops the rest of the cell; what the
    /// statements before it did is kept, as in Python. `logged: false` runs a cell from a replayed
    /// file: its output joins the log entry of the `run` line that replays it.
    @discardableResult
    public func execute(_ cell: String, logged: Bool = true) -> Bool {
        Interrupt.reset()
        lastError = nil
        if logged {
            if !cell.allSatisfy(\.isWhitespace) { history.append(cell) }
            log.append((cell, ""))
        }
        defer {
            pyplot.flush()  // a figure the cell drew shows under it, as in Jupyter
            if logged { keepRecording() }
        }
        if state.values.exercise != nil { return Tape.withNew { answerExercise(cell) } }
        if cell.allSatisfy(\.isWhitespace) {
            if isInteractive, let name = state.values.lastStepped { return execute("step \(name)") }
            return true
        }
        state.values.lastStepped = nil
        for (text, line) in Lexer.chunks(cell) {
            let succeeded = text.contains("\n") ? runBlock(text) : runLine(text)
            if !succeeded {
                if var error = lastError {
                    error.line = line + (error.line ?? 1) - 1
                    lastError = error
                }
                return false
            }
            if wantsExit { break }
        }
        return true
    }

    /// Runs Python typed over several lines (a block, or a statement inside open brackets).
    private func runBlock(_ text: String) -> Bool {
        do {
            try interpreter.run(try Parser.parse(text))
            return true
        } catch {
            report(error, in: text)
            return false
        }
    }

    /// Runs one line: commands and Python statements separated by `;` (a compound statement such
    /// as `for x in xs: print(x); n += 1` takes the whole line).
    private func runLine(_ line: String) -> Bool {
        for (text, column) in pieces(of: line) {
            if let (command, words) = CommandRegistry.invocation(in: text, variables: interpreter.variables) {
                do {
                    // A command's nodes (`graph a*b`, a training run) on a tape freed after it.
                    try Tape.withNew { () throws(NotebookError) in try CommandRegistry.run(command, words, in: self) }
                    syncMirrors()
                } catch {
                    syncMirrors()
                    report(error)
                    return false
                }
            } else if let word = unknownCommand(in: text) {
                report(
                    .unknown(
                        "command", word, among: CommandRegistry.names + interpreter.allNames,
                        hint: "type help for the list of commands"))
                return false
            } else if let subject = helpQuery(text) {
                // IPython's `x?`: what x is.
                do {
                    try interpreter.run(try Parser.parse("help(\(subject))"))
                } catch {
                    report(error, in: line)
                    return false
                }
            } else {
                do {
                    try interpreter.run(try Parser.parse(text, columnOffset: column - 1))
                } catch {
                    report(error, in: line)
                    return false
                }
            }
            if wantsExit { break }
        }
        return true
    }

    /// `x?` or `x??` (IPython's help on an object): the expression before the question marks.
    private func helpQuery(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("?") else { return nil }
        let subject = String(trimmed.reversed().drop { $0 == "?" }.reversed())
        guard !subject.isEmpty, (try? Parser.parseExpression(subject)) != nil else { return nil }
        return subject
    }

    /// The first word of `text` when it reads as a command that does not exist (`graph2 L`): a word
    /// that is not a name or keyword, followed by a space and more words.
    private func unknownCommand(in text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let word = String(trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        let rest = trimmed.dropFirst(word.count)
        guard !word.isEmpty, word.first?.isLetter == true, rest.first == " ",
            let next = rest.drop(while: { $0 == " " }).first,
            next.isLetter || next.isNumber || next == "-" || next == "'" || next == "\"",
            interpreter.variables[word] == nil, !interpreter.allNames.contains(word),
            !Lexer.keywords.contains(word)
        else { return nil }
        return word
    }

    /// The statements of a line, split at `;`; a compound statement (`for`, `if`, `while`, `def`,
    /// `with`, `class`, `try`) takes the rest of the line as its body.
    private func pieces(of line: String) -> [(String, Int)] {
        var pieces: [(String, Int)] = []
        let compound = ["for", "if", "while", "def", "class", "with", "try"]
        for (text, column) in Lexer.statements(of: line) {
            let firstWord = String(text.drop(while: \.isWhitespace).prefix { $0.isLetter })
            if let last = pieces.last,
                compound.contains(String(last.0.drop(while: \.isWhitespace).prefix { $0.isLetter }))
            {
                pieces[pieces.count - 1].0 += ";" + text
            } else if compound.contains(firstWord) {
                // The rest of the line, comment included, is the statement's.
                pieces.append((String(line.dropFirst(column - 1)), column))
                return pieces
            } else {
                let indent = text.prefix { $0 == " " || $0 == "\t" }.count
                pieces.append((String(text.dropFirst(indent)), column + indent))
            }
        }
        return pieces
    }

    // MARK: State shared by commands

    /// The `Value` a command names: a variable, or any expression (`graph a*b`).
    func value(named expression: String) throws(NotebookError) -> Value {
        let parsed: Expression
        do {
            parsed = try Parser.parseExpression(expression)
        } catch {
            throw NotebookError("'\(expression)' is not a name or expression: \(error.message)")
        }
        return try engineValue(of: try interpreter.evaluate(parsed), named: expression)
    }

    /// A display name for a node: its label, or its op and position in the graph.
    func name(of node: Value) -> String {
        if !node.label.isEmpty { return node.label }
        if node.op == .constant { return node.data.pythonDescription }
        return "(\(node.op.symbol))"
    }

    func requestExit() { wantsExit = true }

    /// The commands, offered when a typed name is misspelled.
    package var otherNames: [String] { CommandRegistry.names }

    /// A finished `backward()` makes any step pass over the same nodes stale: its grads are no longer
    /// the ones the pass was building. Such passes end; the next `step` starts again from the output.
    package func backwardDidRun(from output: Value) {
        guard !state.values.steppers.isEmpty else { return }
        let graph = Set(output.topologicalOrder())
        let kept = state.values.steppers.filter { !$0.value.order.contains(where: graph.contains) }
        if kept.count < state.values.steppers.count { state.values.lastStepped = nil }  // Enter no longer steps
        state.values.steppers = kept
    }

    /// Forgets every variable and every command's state (the history stays); returns what it forgot.
    func resetState() -> [String] {
        let forgotten = [count(interpreter.variables.count, "variable")] + state.contents
        interpreter.variables.removeAll()
        interpreter.heap.collect()  // the cycles the variables held
        mirrors = [:]
        state = NotebookState()
        return forgotten
    }
}

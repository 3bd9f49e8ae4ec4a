// `import regex` (and `import re`), as minbpe and the tokenizer lecture use them: `compile`, `findall`,
// `split` (with captured separators), `sub`, `escape`. Patterns run on ICU's engine, which reads
// GPT-2's and GPT-4's split patterns (`\p{L}`, possessive `?+`, `(?i:…)`) as the `regex` module does.
// A pattern that backtracks for ever stops at Ctrl-C, or after 10 seconds, with one line.
import Foundation

package final class PatternObject: NotebookObject {
    package static let typeName = "Pattern"
    let pattern: String
    let expression: NSRegularExpression

    init(_ pattern: String) throws(NotebookError) {
        self.pattern = pattern
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw .python("error", "bad pattern \(pattern.pythonRepr): check its brackets and escapes")
        }
    }

    package var description: String { "regex.Regex(\(pattern.pythonRepr))" }
    package var attributeNames: [String] { ["findall", "split", "sub", "pattern"] }

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "pattern": return .string(pattern)
        case "findall":
            return .function(
                Function(name: "Pattern.findall") { [self] (args) throws(NotebookError) in
                    .list(try findall(try args.string(0, "string")))
                })
        case "split":
            return .function(
                Function(name: "Pattern.split") { [self] (args) throws(NotebookError) in
                    .list(try split(try args.string(0, "string")).map(Object.string))
                })
        case "sub":
            return .function(
                Function(name: "Pattern.sub") { [self] (args) throws(NotebookError) in
                    .string(try sub(try args.string(0, "repl"), try args.string(1, "string")))
                })
        default:
            throw .python("AttributeError", "'Pattern' object has no attribute '\(name)'")
        }
    }

    /// Every match of the pattern in `text`, stopping at Ctrl-C or after 10 seconds.
    func matches(_ text: String) throws(NotebookError) -> [NSTextCheckingResult] {
        guard text.utf16.count <= Builtins.maximumLength * 10 else {
            throw .python("MemoryError", "the text is too long for a pattern (\(text.utf16.count) characters)")
        }
        var found: [NSTextCheckingResult] = []
        var stopped: String?
        let start = Date()
        // Under a step budget (replayed or fuzzed input, with no one to press Ctrl-C) a second is enough.
        let limit: TimeInterval = StepBudget.current == nil ? 10 : 1
        expression.enumerateMatches(
            in: text, options: [.reportProgress], range: NSRange(location: 0, length: text.utf16.count)
        ) { match, _, stop in
            if let match { found.append(match) }
            if Interrupt.isRequested {
                stopped = "interrupted"
                stop.pointee = true
            } else if Date().timeIntervalSince(start) > limit {
                stopped = "timed out"
                stop.pointee = true
            }
        }
        if let stopped {
            if stopped == "interrupted" { throw .python("KeyboardInterrupt", "the pattern was stopped") }
            throw .python(
                "TimeoutError",
                "the pattern \(pattern.pythonRepr) ran for \(Int(limit)) second\(limit == 1 ? "" : "s") without finishing (it may backtrack without end)"
            )
        }
        return found
    }

    func findall(_ text: String) throws(NotebookError) -> [Object] {
        let ns = text as NSString
        return try matches(text).map { match in
            func group(_ i: Int) -> Object {
                let range = match.range(at: i)
                return .string(range.location == NSNotFound ? "" : ns.substring(with: range))
            }
            switch expression.numberOfCaptureGroups {
            case 0: return group(0)
            case 1: return group(1)
            default: return .tuple((1...expression.numberOfCaptureGroups).map(group))
            }
        }
    }

    /// Python's split: the text between matches, with each match's captured groups in between.
    func split(_ text: String) throws(NotebookError) -> [String] {
        let ns = text as NSString
        var pieces: [String] = []
        var last = 0
        for match in try matches(text) {
            pieces.append(ns.substring(with: NSRange(location: last, length: match.range.location - last)))
            for i in stride(from: 1, through: expression.numberOfCaptureGroups, by: 1) {
                let range = match.range(at: i)
                pieces.append(range.location == NSNotFound ? "" : ns.substring(with: range))
            }
            last = match.range.location + match.range.length
        }
        pieces.append(ns.substring(from: last))
        return pieces
    }

    func sub(_ replacement: String, _ text: String) throws(NotebookError) -> String {
        let ns = text as NSString
        var out = ""
        var last = 0
        for match in try matches(text) {
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last)) + replacement
            last = match.range.location + match.range.length
        }
        return out + ns.substring(from: last)
    }
}

extension Interpreter {
    func regexModule(_ name: String) -> Object {
        var members: [String: Object] = [:]
        func function(_ member: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) {
            members[member] = .function(Function(name: "\(name).\(member)", call: body))
        }
        func pattern(_ o: Object?) throws(NotebookError) -> PatternObject {
            if case .object(let p as PatternObject)? = o { return p }
            guard case .string(let s)? = o else {
                throw .python("TypeError", "first argument must be a string or compiled pattern")
            }
            return try PatternObject(s)
        }
        function("compile") { (args) throws(NotebookError) in .object(try pattern(args.value(0, "pattern"))) }
        function("findall") { (args) throws(NotebookError) in
            .list(try pattern(args.value(0, "pattern")).findall(try args.string(1, "string")))
        }
        function("split") { (args) throws(NotebookError) in
            .list(try pattern(args.value(0, "pattern")).split(try args.string(1, "string")).map(Object.string))
        }
        function("sub") { (args) throws(NotebookError) in
            .string(try pattern(args.value(0, "pattern")).sub(try args.string(1, "repl"), try args.string(2, "string")))
        }
        function("escape") { (args) throws(NotebookError) in
            // Python 3.7+: only the characters special in a pattern are escaped.
            let special = Set("()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}")
            return .string(
                String((try args.string(0, "pattern")).flatMap { special.contains($0) ? ["\\", $0] : [$0] }))
        }
        return .object(ModuleObject(name: name, members: members))
    }

    /// `unicodedata.category(ch)`: the Unicode general category's two-letter code (`Lu`, `Cc`, …).
    func unicodedataModule() -> Object {
        let category = Function(name: "unicodedata.category") { (args) throws(NotebookError) in
            let s = try args.string(0, "chr")
            guard let scalar = s.unicodeScalars.first, s.unicodeScalars.count == 1 else {
                throw .python("TypeError", "category() argument must be a unicode character, not str")
            }
            let codes: [Unicode.GeneralCategory: String] = [
                .uppercaseLetter: "Lu", .lowercaseLetter: "Ll", .titlecaseLetter: "Lt", .modifierLetter: "Lm",
                .otherLetter: "Lo", .nonspacingMark: "Mn", .spacingMark: "Mc", .enclosingMark: "Me",
                .decimalNumber: "Nd", .letterNumber: "Nl", .otherNumber: "No", .connectorPunctuation: "Pc",
                .dashPunctuation: "Pd", .openPunctuation: "Ps", .closePunctuation: "Pe", .initialPunctuation: "Pi",
                .finalPunctuation: "Pf", .otherPunctuation: "Po", .mathSymbol: "Sm", .currencySymbol: "Sc",
                .modifierSymbol: "Sk", .otherSymbol: "So", .spaceSeparator: "Zs", .lineSeparator: "Zl",
                .paragraphSeparator: "Zp", .control: "Cc", .format: "Cf", .surrogate: "Cs", .privateUse: "Co",
                .unassigned: "Cn"
            ]
            return .string(codes[scalar.properties.generalCategory] ?? "Cn")
        }
        return .object(ModuleObject(name: "unicodedata", members: ["category": .function(category)]))
    }
}

// The argument parser's messages, made into the notebook's one-line wording: a choice list that the
// parser prints as bullets joins the line, and a mistyped choice gets a did-you-mean. The runner
// adds the command's name and usage around it, as for every other error.
import Foundation
import NotebookLanguage

enum ParseErrorWording {
    /// One line for what the parser said: "The value 'trasformer' is invalid for '<kind>'. Please
    /// provide one of the following:\n  - bigram-nn …" becomes "'trasformer' is not a kind; did you mean
    /// 'transformer'? (choose bigram-nn, mlp, …)".
    static func line(_ message: String) -> String {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let invalid = trimmed.range(of: "The value '"), invalid.lowerBound == trimmed.startIndex,
            let valueEnd = trimmed.range(of: "' is invalid for '", range: invalid.upperBound..<trimmed.endIndex)
        else { return trimmed.replacingOccurrences(of: "\n", with: " ") }
        let value = String(trimmed[invalid.upperBound..<valueEnd.lowerBound])
        let rest = trimmed[valueEnd.upperBound...]
        guard let nameEnd = rest.firstIndex(of: "'") else { return trimmed.replacingOccurrences(of: "\n", with: " ") }
        let argument = String(rest[..<nameEnd])
        let after = rest[rest.index(after: nameEnd)...]
        let what = name(of: argument)
        if after.hasPrefix(": ") {  // the value's type said why
            return "'\(value)' is not a valid \(what): \(after.dropFirst(2))"
        }
        let choices = self.choices(in: String(after))
        guard !choices.isEmpty else { return "'\(value)' is not a valid value for \(what)" }
        let guess = closestMatch(to: value, in: choices).map { "; did you mean '\($0)'?" } ?? ""
        let list =
            choices.count < 2 ? choices.joined() : choices.dropLast().joined(separator: ", ") + " or " + choices.last!
        return "'\(value)' is not a valid \(what)\(guess) (choose \(list))"
    }

    /// `--optimizer <optimizer>` → `--optimizer`; `<kind>` → `kind`.
    private static func name(of argument: String) -> String {
        if argument.hasPrefix("-") { return String(argument.prefix { $0 != " " }) }
        return argument.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
    }

    /// The values of ". Please provide one of 'a', 'b' or 'c'." or of the bulleted list.
    private static func choices(in text: String) -> [String] {
        if text.contains("\n") {
            return text.split(separator: "\n").compactMap { line in
                let item = line.trimmingCharacters(in: .whitespaces)
                return item.hasPrefix("- ") ? String(item.dropFirst(2)) : nil
            }
        }
        var values: [String] = []
        var current: String?
        for c in text {
            if c == "'" {
                if let value = current {
                    values.append(value)
                    current = nil
                } else {
                    current = ""
                }
            } else if current != nil {
                current!.append(c)
            }
        }
        return values
    }
}

// Tab completion inside a command's arguments, from the command's own declaration: after `model `
// the model kinds, after `fit --optimizer ` the optimizers (the enums the parser checks, via
// swift-argument-parser's description of the command), after `fit --st` the options, after
// `load ` the files, and after `graph ` the variables.
//
// An argument completes with the session's variable names when it is declared with
// `completion: .custom(...)` (`CommandCompletion.variables`), with files when declared with
// `completion: .file()`, and with its type's values when that is a closed set of choices.
import ArgumentParser
import Foundation
import SafeFiles

enum CommandCompletion {
    /// The declaration that makes an argument complete with the session's variable names.
    static let variables = CompletionKind.custom { _, _, _ in [] }

    /// What a command's argument completes with.
    enum Candidates: Equatable {
        case choices([String])
        case files
        case variables
        case nothing
    }

    /// One argument of a command, as the parser describes it.
    struct Argument: Decodable {
        enum Kind: String, Decodable { case positional, option, flag }
        struct Name: Decodable {
            let kind: String
            let name: String
            var typed: String { kind == "long" ? "--" + name : "-" + name }
        }
        let kind: Kind
        let names: [Name]?
        let isRepeating: Bool
        let allValues: [String]?
        let completionKind: Completion?

        /// The declared completion, one key set: `{"list": {"values": […]}}`, `{"file": …}`, `{"custom": {}}`.
        struct Completion: Decodable {
            struct Values: Decodable { let values: [String] }
            struct Anything: Decodable {}
            let list: Values?
            let file: Anything?
            let directory: Anything?
            let custom: Anything?
        }

        var candidates: Candidates {
            if let completionKind {
                if let list = completionKind.list { return .choices(list.values) }
                if completionKind.file != nil || completionKind.directory != nil { return .files }
                if completionKind.custom != nil { return .variables }
            }
            if let values = allValues, !values.isEmpty { return .choices(values) }
            return .nothing
        }
    }

    private struct Description: Decodable {
        struct Command: Decodable { let arguments: [Argument]? }
        let command: Command
    }

    /// Every command's arguments, read once (at the first Tab) from swift-argument-parser's
    /// description of it.
    private static let all: [String: [Argument]] = Dictionary(
        CommandRegistry.all.map { command in
            let description = try? JSONDecoder().decode(Description.self, from: Data(command._dumpHelp().utf8))
            let arguments = (description?.command.arguments ?? []).filter { argument in
                !(argument.names ?? []).contains { $0.name == "help" }
            }
            return (command.configuration.commandName ?? "", arguments)
        },
        uniquingKeysWith: { first, _ in first })

    static func arguments(of command: any NotebookCommand.Type) -> [Argument] {
        all[command.configuration.commandName ?? ""] ?? []
    }

    /// What the word being typed can be, given the command and the complete words before it.
    static func candidates(for command: any NotebookCommand.Type, after words: [String], word: String) -> Candidates {
        let arguments = arguments(of: command)
        let options = arguments.filter { $0.kind != .positional }
        func option(named typed: String) -> Argument? {
            options.first { ($0.names ?? []).contains { $0.typed == typed } }
        }
        if let previous = words.last, let taking = option(named: previous), taking.kind == .option {
            return taking.candidates
        }
        if word.hasPrefix("-") {
            return .choices(options.flatMap { ($0.names ?? []).filter { $0.kind == "long" }.map(\.typed) })
        }
        // Which positional argument the word is: count the positional words before it.
        var position = 0
        var index = 0
        while index < words.count {
            if let taking = option(named: words[index]) {
                index += taking.kind == .option ? 2 : 1
                continue
            }
            position += 1
            index += 1
        }
        let positionals = arguments.filter { $0.kind == .positional }
        if position < positionals.count { return positionals[position].candidates }
        if let last = positionals.last, last.isRepeating { return last.candidates }
        return .nothing
    }

    /// File and folder names that start with `word` (a path; `~` is the home folder). Folders end in `/`.
    static func files(startingWith word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let folderPart = slash.map { String(word[...$0]) } ?? ""
        let partial = slash.map { String(word[word.index(after: $0)...]) } ?? word
        let folder = folderPart.isEmpty ? "." : SafeFile.expandingTilde(folderPart)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasPrefix(partial) && (!$0.hasPrefix(".") || partial.hasPrefix(".")) }.sorted()
            .prefix(1_000)
            .map { name in
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder)
                return folderPart + name + (isFolder.boolValue ? "/" : "")
            }
    }
}

// The README's examples are real transcripts: every fenced block that starts with `>>> ` is replayed,
// top to bottom in one session, and each command must print exactly the lines the README shows
// under it. The README cannot drift from the program.
import Foundation
import TestSupport
import Testing

@testable import Notebook

@Suite("README")
struct ReadmeTourTests {
    /// One command of a README block (a block's `... ` lines included): its line number, what is
    /// typed, and the lines shown under it.
    struct Example {
        let line: Int
        var input: String
        var expected: [String] = []
    }

    /// The commands of every fenced block whose first line is a `>>> ` prompt, in order.
    static func examples(in text: String) -> [Example] {
        enum Place { case prose, blockStart, transcript, otherBlock }
        var examples: [Example] = []
        var place = Place.prose
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") {
                place = place == .prose ? .blockStart : .prose
                continue
            }
            switch place {
            case .prose, .otherBlock: continue
            case .blockStart, .transcript:
                if line.hasPrefix(">>> ") {
                    place = .transcript
                    examples.append(Example(line: index + 1, input: String(line.dropFirst(4))))
                } else if place == .transcript, line.hasPrefix("... ") || line == "...",
                    examples[examples.count - 1].expected.isEmpty
                {
                    examples[examples.count - 1].input += "\n" + line.dropFirst(4)  // a block's next line
                } else if place == .transcript {
                    examples[examples.count - 1].expected.append(line)
                } else {
                    place = .otherBlock  // shell lines, a lesson file: not a transcript
                }
            }
        }
        return examples
    }

    @Test func theTourPrintsWhatTheReadmeShows() throws {
        let readme = try String(
            contentsOf: Reference.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let examples = Self.examples(in: readme)
        #expect(examples.count >= 25, "the README's transcripts were not found")
        let (session, output) = makeSession()
        for example in examples {
            session.execute(example.input)
            var printed = output.take().components(separatedBy: "\n")
            if printed.last == "" { printed.removeLast() }
            #expect(
                printed == example.expected,
                "README.md:\(example.line): >>> \(example.input)\nprinted:\n\(printed.joined(separator: "\n"))")
        }
    }
}

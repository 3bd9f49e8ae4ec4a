// The makemore part 1 commands (load, bigram, counts, probs, nll, sample), each against its exact
// transcript on three words small enough to check by hand: emma, ava, eva.
import Foundation
import Testing

@testable import Notebook

/// Writes `bytes` (which need not be UTF-8) to a fresh temporary file named `name` and returns its path.
func temporaryFile(_ name: String, bytes: [UInt8]) throws -> String {
    let path = try temporaryFile(name, "")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Bigram commands")
struct BigramCommandTests {
    /// A file of three names (. a e m v): every count and probability below can be checked by hand.
    static let small = try! temporaryFile("names.txt", "emma\nava\neva\n")

    @Test func loadReportsWordsVocabularyAndLengths() {
        #expect(
            lastOutput(["load \(Self.small)"]) == """
                \(Self.small): 3 words: 'emma', 'ava', 'eva'
                vocabulary: 5 characters: . aemv (stoi: '.' 0, 'a' 1, …, 'v' 4; '.' marks the start and end of every word)
                lengths: 3 ('ava') to 4 ('emma') characters

                """)
    }

    @Test func bigramBuildsTheModel() {
        #expect(
            lastOutput(["load \(Self.small)", "bigram"]) == """
                BigramModel(5 characters, +1 smoothing, from 13 bigrams of \(Self.small))
                N: how often each character follows each other one, 5×5 (counts; counts row a; counts a b)
                P = (N + 1) / row sums, float32: row i is the distribution of the character after itos[i] (probs)

                """)
        #expect(lastOutput(["load \(Self.small)", "bigram --smoothing 0"]).contains("P = N / row sums"))
    }

    @Test func countsAsTheLecturesFigureWhenItFits() {
        #expect(
            lastOutput(["load \(Self.small)", "counts"]) == """
                N: 5×5 counts of 13 bigrams in \(Self.small); the largest is N['a', '.'] = 3
                .. .a .e .m .v
                 0  1  2  0  0
                a. aa ae am av
                 3  0  0  0  1
                e. ea ee em ev
                 0  0  0  1  1
                m. ma me mm mv
                 0  1  0  1  0
                v. va ve vm vv
                 0  2  0  0  0

                """)
    }

    @Test func countsInBlocksWhenTheFigureIsTooWide() {
        let output = CapturedOutput()
        let session = Session(output: output, style: TextStyle(color: false, width: 14))
        session.execute("load \(Self.small)")
        _ = output.take()
        session.execute("counts")
        #expect(
            output.text == """
                N: 5×5 counts of 13 bigrams in \(Self.small); the largest is N['a', '.'] = 3
                (the lecture's figure needs 15 columns, 14 here: row = first character, column = the next; counts --map fits one screen, counts --svg FILE draws the figure)
                   .  a  e  m
                ─  ─  ─  ─  ─
                .  0  1  2  0
                a  3  0  0  0
                e  0  0  0  1
                m  0  1  0  1
                v  0  2  0  0

                   v
                ─  ─
                .  0
                a  1
                e  1
                m  0
                v  0

                """)
    }

    @Test func countsShadedInColour() {
        let output = CapturedOutput()
        let session = Session(output: output, style: TextStyle(color: true, width: 100))
        session.execute("load \(Self.small)")
        _ = output.take()
        session.execute("counts")
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 11)
        #expect(lines[1].contains("\u{1B}[48;2;"))  // a background shade per cell
        #expect(lines[4].withoutANSIEscapes == " 3  0  0  0  1 ")  // row 'a': the counts, centred
        #expect(session.log.last?.output.contains("\u{1B}") == false)  // the log stays plain
    }

    @Test func countsMap() {
        #expect(
            lastOutput(["load \(Self.small)", "counts --map"]) == """
                N: 5×5 counts of 13 bigrams in \(Self.small); the largest is N['a', '.'] = 3
                darker is larger: ' ' is 0, then .:-=+*#%@ up to the largest
                  . a e m v
                .   - *
                a @       -
                e       - -
                m   -   -
                v   *

                """)
    }

    @Test func countsRowColumnAndEntry() {
        let lines = ["load \(Self.small)"]
        #expect(
            lastOutput(lines + ["counts row a"]) == """
                row 'a': what follows it, 4 bigrams; P['a'] is the distribution of the next character (+1 smoothing)
                bigram  count       P
                ──────  ─────  ──────
                a.          3  0.4444
                aa          0  0.1111
                ae          0  0.1111
                am          0  0.1111
                av          1  0.2222

                """)
        #expect(lastOutput(lines + ["counts col a"]).hasPrefix("column 'a': what precedes it, 4 bigrams;"))
        #expect(lastOutput(lines + ["counts column a"]) == lastOutput(lines + ["counts col a"]))
        let entry = """
            N['v', 'a'] = 2
            P['v', 'a'] = (2 + 1) / (2 + 5) = 0.4286   (+1 smoothing)

            """
        #expect(lastOutput(lines + ["counts v a"]) == entry)
        #expect(lastOutput(lines + ["counts va"]) == entry)
        #expect(lastOutput(lines + ["probs va"]) == entry)
        #expect(
            lastOutput(lines + ["bigram --smoothing 0", "counts v a"]).hasSuffix(
                "P['v', 'a'] = 2 / 2 = 1.0000   (no smoothing)\n"))
        #expect(
            lastOutput(lines + ["bigram --smoothing 0.5", "counts a v"])
                .hasSuffix("P['a', 'v'] = (1 + 0.5) / (4 + 5 × 0.5) = 0.2308   (+0.5 smoothing)\n"))
    }

    @Test func probsAndTheirRowSums() {
        #expect(
            lastOutput(["load \(Self.small)", "probs"]) == """
                P = (N + 1) / row sums: 5×5 float32; row i is the distribution of the character after itos[i]
                  ..     .a     .e     .m     .v
                0.1250 0.2500 0.3750 0.1250 0.1250
                  a.     aa     ae     am     av
                0.4444 0.1111 0.1111 0.1111 0.2222
                  e.     ea     ee     em     ev
                0.1429 0.1429 0.1429 0.2857 0.2857
                  m.     ma     me     mm     mv
                0.1429 0.2857 0.1429 0.2857 0.1429
                  v.     va     ve     vm     vv
                0.1429 0.4286 0.1429 0.1429 0.1429

                """)
        #expect(
            lastOutput(["load \(Self.small)", "probs --sums"]) == """
                P.sum(1): every row sums to 1 up to float32 rounding (+1 smoothing)
                4 of 5 rows sum to exactly 1.0; the farthest is 1.2e-07 away (float32 keeps about 7 digits: its step just below 1 is 6.0e-08)

                """)
    }

    @Test func svgOfTheFigure() throws {
        let path = try temporaryFile("n.svg", "")
        #expect(
            lastOutput(["load \(Self.small)", "counts --svg \(path)"])
                == "wrote \(path): N as the lecture's figure, 5×5 cells (200×200 px)\n")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\""))
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 25)
        // the largest: darkest
        #expect(svg.contains("fill=\"#08306b\"/><text x=\"20\" y=\"57\">a.</text><text x=\"20\" y=\"71\">3</text>"))
        #expect(svg.contains("fill=\"#f7fbff\"/><text x=\"20\" y=\"17\">..</text>"))  // 0: lightest
        #expect(svg.hasSuffix("</svg>\n"))
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        #expect(leftovers == ["n.svg"])  // written atomically: no temporary file left
    }

    @Test func nllOverTheDatasetAndOneWord() {
        #expect(
            lastOutput(["load \(Self.small)", "nll"]) == """
                the bigram model (+1 smoothing, from \(Self.small)) on \(Self.small): 3 words
                log_likelihood = -13.9905
                nll = 13.9905
                average nll = nll / 13 = 1.0762

                """)
        #expect(
            lastOutput(["load \(Self.small)", "nll ava"]) == """
                'ava' under the bigram model (+1 smoothing, from \(Self.small)):
                bigram  count       P    log P
                ──────  ─────  ──────  ───────
                .a          1  0.2500  -1.3863
                av          1  0.2222  -1.5041
                va          2  0.4286  -0.8473
                a.          3  0.4444  -0.8109
                log_likelihood = -4.5486
                nll = 4.5486
                average nll = nll / 4 = 1.1371

                """)
    }

    @Test func nllWithoutSmoothingIsInfiniteForAnUnseenBigram() {
        let output = lastOutput(["load \(Self.small)", "nll ama --smoothing 0"])
        #expect(output.contains("am          0  0.0000     -inf\n"))
        #expect(
            output.hasSuffix(
                """
                log_likelihood = -inf
                nll = inf
                average nll = nll / 4 = inf
                P['a', 'm'] is 0: the model says 'ama' cannot happen, so its nll is infinite; smoothing (the default +1) avoids that

                """))
        // --smoothing is for this command only: the model keeps its +1.
        #expect(lastOutput(["load \(Self.small)", "nll ama --smoothing 0", "nll ama"]).contains("(+1 smoothing"))
    }

    @Test func nllOfSeveralWords() {
        #expect(
            lastOutput(["load \(Self.small)", "nll emma ava"]) == """
                the bigram model (+1 smoothing, from \(Self.small)):
                word  bigrams  log_likelihood     nll  average nll
                ────  ───────  ──────────────  ──────  ───────────
                emma        5         -5.5500  5.5500       1.1100
                ava         4         -4.5486  4.5486       1.1371
                log_likelihood = -10.0986
                nll = 10.0986
                average nll = nll / 9 = 1.1221

                """)
    }

    @Test func nllOfAnotherFileChecksTheModelsVocabulary() throws {
        let other = try temporaryFile("other.txt", "eva\nzoe\nmae\n")
        let output = lastOutput(["load \(Self.small)", "nll --file \(other)"])
        #expect(
            output.hasPrefix(
                """
                warning: 1 word has characters outside the expected vocabulary (5 characters: . aemv): a model with that vocabulary cannot score it
                  line 2: 'zoe' ('z', 'o')
                the bigram model (+1 smoothing, from \(Self.small)) on \(other): 2 words (1 left out: characters the model lacks)

                """))
    }

    @Test func sampleIsReproducibleAfterSeed() {
        let (session, output) = makeSession()
        session.execute("load \(Self.small)")
        session.execute("seed 7")
        _ = output.take()
        session.execute("sample")
        let first = output.take()
        #expect(first == "a.\nmmvmaevm.\n.\na.\n.\n")  // 5 by default, each ending in '.'
        session.execute("seed 7")
        _ = output.take()
        session.execute("sample 5")
        #expect(output.take() == first)
        session.execute("sample 3")
        // the stream moves on
        #expect(output.take() != first.split(separator: "\n").prefix(3).map { $0 + "\n" }.joined())
    }

    @Test func loadRebuildsTheModelWithItsSmoothing() throws {
        let other = try temporaryFile("ab.txt", "ab\nba\n")
        let output = lastOutput(["load \(Self.small)", "bigram --smoothing 0", "load \(other)"])
        #expect(
            output.hasSuffix(
                "rebuilt the bigram model from \(other) (no smoothing); its vocabulary changed from 5 characters: . aemv\n"
            ))
        #expect(
            lastOutput(["load \(Self.small)", "bigram --smoothing 0", "load \(other)", "counts a b"])
                == "N['a', 'b'] = 1\nP['a', 'b'] = 1 / 2 = 0.5000   (no smoothing)\n")
    }

    @Test func loadPrintsEveryWarning() throws {
        let bad = try temporaryFile(
            "names.txt", bytes: Array("emma\nOlivia\n\nren\u{E9}e\nava\nemma\nst.john\n".utf8).latin1E())
        #expect(
            lastOutput(["load \(bad)"]) == """
                \(bad): 4 words: 'emma', 'Olivia', 'ava', 'emma'
                vocabulary: 8 characters: . Oaeilmv (stoi: '.' 0, 'O' 1, …, 'v' 7; '.' marks the start and end of every word)
                lengths: 3 ('ava') to 6 ('Olivia') characters
                warning: 1 line is not UTF-8 and was skipped; if the file is Latin-1, convert it: iconv -f latin1 -t utf-8 FILE
                  line 4: byte 0xE9 at position 4 of the line
                warning: 1 word containing '.' was skipped: '.' is the token that marks where every name starts and ends, so it cannot be a character inside one
                  line 7: 'st.john'
                warning: 1 blank line was skipped
                  line 3
                warning: 1 word has uppercase letters, kept as typed: 'E' and 'e' are different characters to a model (lowercase the file if they should be one)
                  line 2: 'Olivia'
                note: 1 repeated name kept (the first: line 6, 'emma', also on line 1): each copy counts, as in the lecture's data

                """)
    }

    @Test func helpListsTheLanguageModelCommands() {
        let help = lastOutput(["help"])
        #expect(help.contains("Language models:\n  load "))
        for name in ["bigram", "counts", "probs", "nll", "sample"] { #expect(help.contains("\n  \(name) ")) }
        #expect(lastOutput(["help sample"]).contains("seed 2147483647 first to get the lecture's names"))
    }
}

extension [UInt8] {
    /// These bytes with the UTF-8 'é' (C3 A9) written as Latin-1 (E9).
    func latin1E() -> [UInt8] {
        var out: [UInt8] = []
        var i = startIndex
        while i < endIndex {
            if self[i] == 0xC3, i + 1 < endIndex, self[i + 1] == 0xA9 {
                out.append(0xE9)
                i += 2
            } else {
                out.append(self[i])
                i += 1
            }
        }
        return out
    }
}

// Every mistake a learner can make with the makemore commands: one clear line, and the loaded
// dataset and model exactly as they were.
import Testing

@testable import Notebook

@Suite("Bigram command errors")
struct BigramErrorTests {
    @Test(arguments: [
        "bigram", "counts", "counts row a", "probs", "probs --sums", "nll", "nll emma", "sample", "sample 3"
    ])
    func nothingLoadedSaysToLoadFirst(_ input: String) {
        let command = String(input.prefix { $0 != " " })
        let (session, output) = makeSession()
        #expect(!session.execute(input))
        #expect(
            output.text == "error: \(command): no dataset loaded yet; type load (for names.txt) or load FILE first\n")
        #expect(session.state.names.dataset == nil && session.state.names.bigram == nil)
    }

    @Test(arguments: [
        ("sample 0", "error: sample: the number of names must be from 1 to 10,000, got 0"),
        ("sample -2", "error: sample: the number of names must be from 1 to 10,000, got -2"),
        ("sample 10001", "error: sample: the number of names must be from 1 to 10,000, got 10001"),
        (
            "sample five",
            "error: sample: 'five' is not a valid value for count (usage: sample [<count>] [--temperature <temperature>] [--top-k <top-k>] [--rule <rule>] [--counts] [--groups] [--prompt <text>] [--tokens <n>]; see help sample)"
        ),
        ("nll zoe", "error: nll: 'z' in 'zoe' is not in the model's vocabulary (5 characters: . aemv)"),
        (
            "nll Ava",
            "error: nll: 'A' in 'Ava' is not in the model's vocabulary (5 characters: . aemv); did you mean 'ava'?"
        ),
        (
            "nll emma av.a",
            "error: nll: 'av.a' contains '.', the token that marks where a name starts and ends; type the name without it"
        ),
        (
            "nll --smoothing -1",
            "error: nll: smoothing must be a number from 0 to 1,000,000 (the lecture adds 1), got -1.0"
        ),
        ("nll emma --file x.txt", "error: nll: give words or --file FILE, not both"),
        (
            "nll --file /nonexistent/test.txt",
            "error: nll: cannot read /nonexistent/test.txt: no such file or folder; check the path (names.txt is at the package root)"
        ),
        (
            "bigram --smoothing -0.5",
            "error: bigram: smoothing must be a number from 0 to 1,000,000 (the lecture adds 1), got -0.5"
        ),
        (
            "bigram --smoothing lots",
            "error: bigram: 'lots' is not a valid value for --smoothing (usage: bigram [--smoothing <smoothing>]; see help bigram)"
        ),
        ("counts row", "error: counts: row needs a character, e.g. counts row a"),
        ("counts col z", "error: counts: 'z' is not in the vocabulary (5 characters: . aemv)"),
        ("counts A v", "error: counts: 'A' is not in the vocabulary (5 characters: . aemv); did you mean 'a'?"),
        ("counts abc", "error: counts: expected row C, col C, C1 C2 or a bigram like ab, got 'abc'"),
        ("counts a", "error: counts: one character is not a bigram; try counts row a, counts col a or counts a a"),
        ("counts ab cd", "error: counts: 'ab' is not one character; expected row C, col C, C1 C2 or a bigram like ab"),
        ("counts a b c", "error: counts: expected row C, col C, C1 C2 or a bigram like ab, got 'a b c'"),
        ("counts row a --svg n.svg", "error: counts: --svg draws the whole matrix; leave out 'row a'"),
        ("probs a v --map", "error: probs: --map draws the whole matrix; leave out 'a v'"),
        (
            "counts --svg /nonexistent/n.svg",
            "error: counts: cannot write /nonexistent/n.svg: no such file or folder; check that the folder exists"
        ),
        ("probs --sums row a", "error: probs: --sums shows every row's sum; give it alone"),
        (
            "load /nonexistent/names.txt",
            "error: load: cannot read /nonexistent/names.txt: no such file or folder; check the path (names.txt is at the package root)"
        ),
        (
            "load /tmp",
            "error: load: cannot read /tmp: it is a folder; give the path of a text file with one name per line"
        )
    ])
    func reportsClearlyAndKeepsState(_ input: String, _ message: String) {
        let (session, output) = makeSession()
        session.execute("load \(BigramCommandTests.small)")
        session.execute("bigram")
        let model = session.state.names.bigram
        _ = output.take()
        #expect(!session.execute(input), "\(input)")
        #expect(output.text.split(separator: "\n").last.map(String.init) == message, "\(input)")
        #expect(session.state.names.dataset?.source == BigramCommandTests.small)
        #expect(
            session.state.names.bigram?.smoothing == model?.smoothing
                && session.state.names.bigram?.counts.counts == model?.counts.counts)
    }

    @Test func emptyFileIsAnErrorAndKeepsTheOldDataset() throws {
        let blank = try temporaryFile("blank.txt", "\n\n  \n")
        let (session, output) = makeSession()
        session.execute("load \(BigramCommandTests.small)")
        _ = output.take()
        #expect(!session.execute("load \(blank)"))
        #expect(output.text == "error: load: \(blank) has no words: a names file holds one name per line\n")
        #expect(session.state.names.dataset?.words == ["emma", "ava", "eva"])
    }

    @Test func missingDefaultNamesFile() {
        // Run from a folder without names.txt, `load` alone says where the file should be.
        let (session, output) = makeSession()
        #expect(!session.execute("load no-such-names.txt"))
        #expect(
            output.text
                == "error: load: cannot read no-such-names.txt: no such file or folder; check the path (names.txt is at the package root)\n"
        )
    }
}

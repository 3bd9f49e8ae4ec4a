import TestSupport
// The bigram lecture typed into the notebook, on its own dataset: the project's names.txt is
// makemore's.
import Testing

@testable import Notebook

@Suite("The bigram lecture in the notebook")
struct BigramLectureTranscriptTests {
    @Test
    func lectureFigures() throws {
        let path = Reference.lectureNames.path
        let (session, output) = makeSession()
        session.execute("load \(path)")
        #expect(output.take().hasPrefix("\(path): 32,033 words: 'emma', 'olivia', 'ava', 'isabella', 'sophia', …\n"))
        session.execute("counts . a")
        #expect(
            output.take()
                == "N['.', 'a'] = 4,410\nP['.', 'a'] = (4,410 + 1) / (32,033 + 27) = 0.1376   (+1 smoothing)\n")
        session.execute("nll")
        #expect(
            output.take().hasSuffix(
                """
                log_likelihood = -559951.5625
                nll = 559951.5625
                average nll = nll / 228,146 = 2.4544

                """))
        session.execute("nll andrejq")
        #expect(output.take().hasSuffix("log_likelihood = -27.8672\nnll = 27.8672\naverage nll = nll / 8 = 3.4834\n"))
        session.execute("nll andrejq --smoothing 0")
        let unsmoothed = output.take()
        #expect(unsmoothed.contains("jq          0  0.0000     -inf\n") && unsmoothed.contains("nll = inf\n"))
        session.execute("seed 2147483647")
        _ = output.take()
        session.execute("sample 5")
        // The lecture notebook's sampling cell prints these for P = (N+1).float(); P /= P.sum(1, keepdims=True).
        #expect(output.take() == "mor.\naxx.\nminaymoryles.\nkondlaisah.\nanchshizarie.\n")
    }

    /// The project's names.txt is the lectures' file: `load` alone reads it when run from the package root.
    @Test func theProjectsNamesFileIsTheLectures() {
        let path = Reference.packageRoot.appendingPathComponent("names.txt").path
        let output = lastOutput(["load \(path)"])
        #expect(output.hasPrefix("\(path): 32,033 words: 'emma', 'olivia', 'ava', 'isabella', 'sophia', …\n"))
        #expect(output.contains("lengths: 2 ('an') to 15 ('muhammadibrahim') characters"))
        #expect(output.contains("vocabulary: 27 characters: . a-z"))
        #expect(!output.contains("warning"))
        #expect(
            output.hasSuffix(
                "note: 2,539 repeated names kept (the first: line 18030, 'liam', also on line 5524): each copy counts, as in the lecture's data\n"
            ))
    }
}

// `plot(...)` and `hist(...)` in the notebook language: plain lists drawn as `plt.plot` and `plt.hist`
// draw them, keywords for the axes, and every mistake one line pointing at the call.
import Foundation
import Testing

@testable import Notebook

@Suite("Plot built-ins")
struct PlotBuiltinTests {
    @Test func plotAListAgainstItsIndex() {
        #expect(
            lastOutput(["plot([1, 4, 9, 16], label='squares')"]) == """
                   │                                                                ⣀⠔⠊
                15 ┤                                                             ⣀⠔⠊
                   │                                                          ⡠⠔⠉
                   │                                                       ⡠⠔⠉
                   │                                                    ⡠⠔⠉
                   │                                                 ⢀⠔⠉
                10 ┤                                              ⣀⠔⠊⠁
                   │                                          ⢀⡠⠔⠊
                   │                                      ⣀⡠⠔⠊⠁
                   │                                  ⣀⠤⠒⠉
                   │                             ⢀⡠⠤⠒⠉
                 5 ┤                         ⢀⡠⠔⠊⠁
                   │                    ⢀⣀⠤⠒⠊⠁
                   │             ⢀⣀⡠⠴⠒⠊⠉⠁
                   │      ⢀⣀⡠⠤⠒⠒⠉⠁
                   │⣀⠤⠤⠒⠊⠉⠁
                   └┬──────────┬──────────┬──────────┬──────────┬──────────┬──────────┬
                   0.0        0.5        1.0        1.5        2.0        2.5        3.0
                ─── squares

                """)
    }

    @Test func plotXsAgainstYsWithAxisKeywords() {
        let lines = lastOutput([
            "xs = [0.001, 0.01, 0.1, 1]",
            "plot(xs, [2.5, 2.2, 2.0, 4.0], title='lr finder', xlabel='lr', ylabel='loss', logx=True)"
        ])
        .components(separatedBy: "\n")
        #expect(lines[0].trimmingCharacters(in: .whitespaces) == "lr finder")
        #expect(lines[1] == "loss")
        #expect(lines[lines.count - 3].split(separator: " ") == ["1e-3", "1e-2", "1e-1", "1e0"])
        #expect(lines[lines.count - 2].trimmingCharacters(in: .whitespaces) == "lr")
    }

    @Test func histCountsIntoBars() {
        let lines = lastOutput(["hist([0, 1, 1, 2, 2, 2, 3], bins=4, title='counts')"]).components(separatedBy: "\n")
        #expect(lines[0].trimmingCharacters(in: .whitespaces) == "counts")
        #expect(lines[1].hasPrefix("3 ┤") && lines[16].hasPrefix("0 ┤"))
        #expect(lines[1].filter { $0 == "⣿" }.count == 16)  // the tallest bar, 2 of 4 bins wide: 1.5 ≤ x ≤ 2.25
    }

    @Test func valuesCanBeValuesAndSVGCanBeWritten() throws {
        let path = try temporaryFile("plot.svg", "")
        let output = lastOutput(["a = Value(1.0); b = Value(2.0)", "plot([a, b, a * b], svg='\(path)')"])
        #expect(output.hasSuffix("wrote \(path)\n"))
        #expect(SVGReading(try String(contentsOfFile: path, encoding: .utf8)).parsed)
    }

    @Test(
        arguments: [
            ("plot()", "error: plot() needs a list of numbers, e.g. plot([1, 4, 9, 16]) or plot(xs, ys)"),
            ("plot(3)", "error: TypeError: plot()'s y values must be a list, tuple or string, not an int"),
            ("plot([1, 'a'])", "error: TypeError: plot()'s y values[1] must be a number, not a str"),
            ("plot([1, 2], [1])", "error: plot(xs, ys) needs as many x values as y values, not 2 and 1"),
            ("plot([1], tilte='x')", "error: TypeError: plot() has no argument 'tilte'; did you mean 'title'?"),
            ("plot([1], title=3)", "error: TypeError: plot() argument 'title' must be a string in quotes, not an int"),
            ("plot([1], [2], [3])", "error: TypeError: plot() takes at most 2 arguments, but 3 were given"),
            ("hist()", "error: hist() needs a list of numbers, e.g. hist(values, bins=50)"),
            ("hist([1, 2], bins=0)", "error: hist() bins must be from 1 to 1000, not 0"),
            ("hist([1, 2], bins=2.5)", "error: TypeError: hist() argument 'bins' must be a whole number, not 2.5")
        ] as [(String, String)])
    func mistakesPointAtTheCall(line: String, expected: String) {
        #expect(lastOutput([line]) == "    \(line)\n        ^\n\(expected)\n")
    }

    @Test func nothingToPlotIsSaid() {
        #expect(lastOutput(["plot([])"]) == "(nothing to plot: the series is empty)\n")
        #expect(lastOutput(["plot"]) == "<function plot>\n")
    }
}

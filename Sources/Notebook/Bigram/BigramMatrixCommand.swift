// `counts` and `probs`: the bigram model's matrices N and P (makemore part 1), whole — as the lecture's
// figure when the terminal is wide enough, in blocks of columns or as a map otherwise, or as SVG — or
// a row, a column or one entry.
import ArgumentParser
import Foundation
import Makemore
import NotebookLanguage

/// What `counts` and `probs` share: the selection, `--map` and `--svg`.
protocol BigramMatrixCommand: NotebookCommand {
    var selection: [String] { get }
    var map: Bool { get }
    var svg: String? { get }
    /// The matrix to draw, from the model.
    static func matrix(of model: BigramModel) -> CountMatrix
    /// The line above the whole matrix.
    static func heading(of model: BigramModel) -> String
}

extension BigramMatrixCommand {
    static var name: String { configuration.commandName ?? "" }

    func show(in session: Session) throws(NotebookError) {
        let model = try session.requireBigram()
        let part = try BigramSelection(selection, vocabulary: model.vocabulary, command: Self.name)
        if part != .all, let option = svg != nil ? "--svg" : map ? "--map" : nil {
            throw NotebookError("\(option) draws the whole matrix; leave out '\(selection.joined(separator: " "))'")
        }
        if let svg {
            let matrix = Self.matrix(of: model)
            try FileErrors.writeAtomically(Data(matrix.svg().utf8), to: svg)
            let side = matrix.size * CountMatrix.svgCell
            session.emit(
                "wrote \(svg): \(matrix.name) as the lecture's figure, \(matrix.size)×\(matrix.size) cells (\(side)×\(side) px)"
            )
            return
        }
        switch part {
        case .all:
            let matrix = Self.matrix(of: model)
            session.emit(Self.heading(of: model))
            if map {
                session.emit(
                    "darker is larger: ' ' is 0, then \(String(CountMatrix.ramp.dropFirst())) up to the largest")
                matrix.mapLines(style: session.style).forEach { session.emit($0) }
            } else if matrix.figureWidth <= session.style.width || session.pageFigures != nil {
                session.show(figure: matrix.figureLines(style: session.style)) { matrix.svg() }
            } else {
                session.emit(
                    "(the lecture's figure needs \(matrix.figureWidth) columns, \(session.style.width) here: "
                        + "row = first character, column = the next; \(Self.name) --map fits one screen, \(Self.name) --svg FILE draws the figure)"
                )
                matrix.blockLines(style: session.style).forEach { session.emit($0) }
            }
        case .row, .column:
            session.emitBigramLine(part, of: model)
        case .entry(let i, let j):
            session.emitBigramEntry(i, j, of: model)
        }
    }
}

struct CountsCommand: BigramMatrixCommand {
    static let configuration = CommandConfiguration(
        commandName: "counts",
        abstract: "Show the bigram counts N: all, a row, a column or one entry.",
        discussion: """
            counts shows the whole matrix as the lecture's figure (each cell's two characters over its count, \
            shaded) when the terminal is wide enough, and in blocks of columns otherwise. counts row a: what \
            follows 'a'; counts col b: what precedes 'b'; counts a b (or counts ab): N['a', 'b']. \
            Builds the bigram model (+1 smoothing) when bigram was not run.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "Nothing for the whole matrix, or row C, col C, C1 C2, or a bigram like ab.") var selection:
        [String] = []
    @Flag(name: .long, help: "One character per cell, darker for larger counts: fits any screen.") var map = false
    @Option(
        name: .long, help: "Write the matrix as an SVG figure (27×27 cells, blues) to this file.", completion: .file())
    var svg: String?

    static func matrix(of model: BigramModel) -> CountMatrix { CountMatrix(counts: model.counts) }

    static func heading(of model: BigramModel) -> String {
        let N = model.counts
        let largest = N.largest
        let itos = N.vocabulary.itos
        return "N: \(N.size)×\(N.size) counts of \(N.total.grouped) bigrams in \(N.source); "
            + "the largest is N[\(String(itos[largest.i]).quotedForDisplay), \(String(itos[largest.j]).quotedForDisplay)] = \(largest.count.grouped)"
    }

    func run(in session: Session) throws(NotebookError) { try show(in: session) }
}

struct ProbsCommand: BigramMatrixCommand {
    static let configuration = CommandConfiguration(
        commandName: "probs",
        abstract: "Show the bigram probabilities P, or their row sums (--sums).",
        discussion: """
            P = (N + k) / row sums (k is bigram's --smoothing, 1 by default): row i is the distribution of \
            the character after itos[i], and sums to 1. Same forms as counts: probs, probs row a, probs col b, \
            probs a b, --map, --svg FILE.
            """)
    static let group = CommandGroup.makemore

    @Argument(help: "Nothing for the whole matrix, or row C, col C, C1 C2, or a bigram like ab.") var selection:
        [String] = []
    @Flag(name: .long, help: "One character per cell, darker for larger probabilities.") var map = false
    @Option(name: .long, help: "Write the matrix as an SVG figure to this file.", completion: .file()) var svg: String?
    @Flag(name: .long, help: "Show each row's sum, P.sum(1): 1 up to float32 rounding.") var sums = false

    static func matrix(of model: BigramModel) -> CountMatrix { CountMatrix(probabilities: model) }

    static func heading(of model: BigramModel) -> String {
        "P = \(formula(model.smoothing)) / row sums: \(model.size)×\(model.size) float32; row i is the distribution of the character after itos[i]"
    }

    /// `(N + 1)`, or `N` without smoothing.
    static func formula(_ k: Double) -> String { k == 0 ? "N" : "(N + \(BigramModel.formatted(k)))" }

    func run(in session: Session) throws(NotebookError) {
        guard sums else { return try show(in: session) }
        guard selection.isEmpty, !map, svg == nil else {
            throw NotebookError("--sums shows every row's sum; give it alone")
        }
        let model = try session.requireBigram()
        let sums = (0..<model.size).map { model.row($0).reduce(Float(0), +) }  // (V,)  P.sum(1), in order
        let exact = sums.filter { $0 == 1 }.count
        let farthest = sums.map { abs(Double($0) - 1) }.max() ?? 0
        session.emit(
            "P.sum(1): every row sums to 1 up to float32 rounding (\(BigramModel.describe(smoothing: model.smoothing)))"
        )
        session.emit(
            "\(exact) of \(model.size) rows sum to exactly 1.0; the farthest is \(farthest == 0 ? "0" : String(format: "%.1e", farthest)) away "
                + "(float32 keeps about 7 digits: its step just below 1 is 6.0e-08)")
    }
}

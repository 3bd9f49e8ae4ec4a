// Which part of the bigram matrix `counts` and `probs` show — all of it, a row, a column or one entry —
// read from what the user typed (`row a`, `col b`, `a b`, `ab`), and the tables for the parts.
import Makemore
import NotebookLanguage

/// A part of a V × V bigram matrix, by character index.
enum BigramSelection: Equatable {
    case all
    /// What follows a character: N[i, :].
    case row(Int)
    /// What precedes a character: N[:, j].
    case column(Int)
    /// One bigram: N[i, j].
    case entry(Int, Int)

    static let usage = "row C, col C, C1 C2 or a bigram like ab"

    /// Reads `words`: none, `row a`, `col b` (or `column b`), `a b`, or `ab`.
    init(_ words: [String], vocabulary: Vocabulary, command: String) throws(NotebookError) {
        func index(_ text: String) throws(NotebookError) -> Int {
            guard text.count == 1, let c = text.first else {
                throw NotebookError("'\(text)' is not one character; expected \(Self.usage)")
            }
            guard let i = vocabulary.stoi[c] else {
                var message = "\(String(c).quotedForDisplay) is not in the vocabulary (\(vocabulary))"
                if let lower = c.lowercased().first, vocabulary.stoi[lower] != nil {
                    message += "; did you mean '\(lower)'?"
                }
                throw NotebookError(message)
            }
            return i
        }
        switch words.count {
        case 0:
            self = .all
        case 1 where words[0].count == 2:
            let pair = Array(words[0])
            self = try .entry(index(String(pair[0])), index(String(pair[1])))
        case 1 where ["row", "col", "column"].contains(words[0]):
            throw NotebookError("\(words[0]) needs a character, e.g. \(command) \(words[0]) a")
        case 1 where words[0].count == 1:
            let c = words[0]
            throw NotebookError(
                "one character is not a bigram; try \(command) row \(c), \(command) col \(c) or \(command) \(c) a")
        case 2 where words[0] == "row":
            self = try .row(index(words[1]))
        case 2 where words[0] == "col" || words[0] == "column":
            self = try .column(index(words[1]))
        case 2:
            self = try .entry(index(words[0]), index(words[1]))
        default:
            throw NotebookError("expected \(Self.usage), got '\(words.joined(separator: " "))'")
        }
    }
}

extension Session {
    /// The table for a row or column of the model: each bigram with its count N and probability P.
    func emitBigramLine(_ selection: BigramSelection, of model: BigramModel) {
        let itos = model.vocabulary.itos
        let V = model.size
        let cells: [(Int, Int)]
        switch selection {
        case .row(let i):
            let total = model.counts.row(i).reduce(0, +)
            emit(
                "row \(String(itos[i]).quotedForDisplay): what follows it, \(total.grouped) bigrams; P[\(String(itos[i]).quotedForDisplay)] is the distribution of the next character (\(BigramModel.describe(smoothing: model.smoothing)))"
            )
            cells = (0..<V).map { (i, $0) }
        case .column(let j):
            let total = model.counts.column(j).reduce(0, +)
            emit(
                "column \(String(itos[j]).quotedForDisplay): what precedes it, \(total.grouped) bigrams; P is each row's probability of \(String(itos[j]).quotedForDisplay) next (\(BigramModel.describe(smoothing: model.smoothing)))"
            )
            cells = (0..<V).map { ($0, j) }
        case .all, .entry:
            return
        }
        let largest = Double(max(cells.map { model.counts[$0.0, $0.1] }.max() ?? 1, 1))
        var rows = [["bigram", "count", "P"]]
        for (i, j) in cells {
            let n = model.counts[i, j]
            rows.append([
                CountMatrix.label(itos[i]) + CountMatrix.label(itos[j]),
                style.shade(String(n), level: Double(n) / largest), Double(model[i, j]).fixed(4)
            ])
        }
        Table(rows: rows, alignRight: [1, 2]).lines.forEach { emit($0) }
    }

    /// One entry, with P worked out from N: `P['a', 'b'] = (541 + 1) / (33,885 + 27) = 0.0160`.
    func emitBigramEntry(_ i: Int, _ j: Int, of model: BigramModel) {
        let itos = model.vocabulary.itos
        let pair = "\(String(itos[i]).quotedForDisplay), \(String(itos[j]).quotedForDisplay)"
        let n = model.counts[i, j]
        let rowTotal = model.counts.row(i).reduce(0, +)
        let k = model.smoothing
        let V = model.size
        let working =
            k == 0
            ? "\(n.grouped) / \(rowTotal.grouped)"
            : "(\(n.grouped) + \(BigramModel.formatted(k))) / (\(rowTotal.grouped) + \(k == 1 ? "\(V)" : "\(V) × \(BigramModel.formatted(k))"))"
        emit("N[\(pair)] = \(n.grouped)")
        emit("P[\(pair)] = \(working) = \(Double(model[i, j]).fixed(4))   (\(BigramModel.describe(smoothing: k)))")
    }
}

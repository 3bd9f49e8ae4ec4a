// The errors a user can meet in the notebook: one line saying what was wrong, where, and what to
// do, with a "did you mean …?" suggestion where a name was misspelled.

/// A user-facing error. Never a crash: the session prints it and carries on with its state intact.
public struct NotebookError: Error, CustomStringConvertible, Equatable {
    public var message: String
    /// 1-based column the error points at, when it comes from a place in the line.
    public var column: Int?
    /// 1-based line within the cell (a block typed over several lines), when known.
    public var line: Int?
    /// The Python exception this error is (`ZeroDivisionError`), for `try`/`except`; nil for the
    /// notebook's own errors, which `except Exception` still catches.
    public var exceptionType: String?

    public init(_ message: String, column: Int? = nil, line: Int? = nil, type: String? = nil) {
        self.message = message
        self.column = column
        self.line = line
        self.exceptionType = type
    }

    /// A Python exception: "ZeroDivisionError: division by zero".
    package static func python(_ type: String, _ detail: String, at location: Location? = nil) -> NotebookError {
        NotebookError(
            detail.isEmpty ? type : "\(type): \(detail)", column: location?.column, line: location?.line, type: type)
    }

    /// The error pointing at `location`, unless it already points somewhere.
    package func located(_ location: Location) -> NotebookError {
        guard column == nil else { return self }
        var copy = self
        copy.column = location.column
        copy.line = location.line
        return copy
    }

    public var description: String { message }

    /// The error as the notebook shows it for a command: "fit: no model yet; …".
    package func `in`(command name: String) -> NotebookError {
        NotebookError(name.isEmpty ? message : "\(name): \(message)", column: column)
    }

    package static func syntax(_ message: String, column: Int) -> NotebookError {
        NotebookError("syntax error: \(message)", column: column, type: "SyntaxError")
    }

    package static func syntax(_ message: String, at location: Location) -> NotebookError {
        NotebookError("syntax error: \(message)", column: location.column, line: location.line, type: "SyntaxError")
    }

    /// "name 'L2' is not defined; did you mean 'L'?"
    package static func unknown(
        _ what: String, _ name: String, among candidates: [String], column: Int? = nil,
        hint: String? = nil
    ) -> NotebookError {
        var message = "\(what) '\(name)' is not defined"
        if let guess = closestMatch(to: name, in: candidates) {
            message += "; did you mean '\(guess)'?"
        } else if let hint {
            message += "; \(hint)"
        }
        return NotebookError(message, column: column)
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
package func closestMatch(to word: String, in candidates: [String]) -> String? {
    // A typo is a short word's: past 64 characters the search would only cost time (a 1 MB name
    // took 19 s), so longer words get no suggestion.
    guard word.count <= 64 else { return nil }
    let lowered = word.lowercased()
    let scored = candidates.filter { $0.count <= 64 }.map { ($0, editDistance(lowered, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
    let allowed = max(1, min(3, word.count / 3))
    return best.1 <= allowed && best.1 < word.count ? best.0 : nil
}

/// Edit distance between two strings, counting a swap of neighbours (`hlep` → `help`) as one edit
/// (optimal string alignment).
package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}

extension NotebookError {
    /// The notebook's error for an error of the engine, the models or the files: the same message.
    package init(describing error: any Error) {
        if let error = error as? NotebookError { self = error } else { self.init("\(error)") }
    }
}

/// Runs `body`, turning whatever it throws (a dataset, model, schedule or file error) into the
/// notebook's error with the same message, so that a command says `try reporting { … }` once.
package func reporting<T, E: Error>(_ body: () throws(E) -> T) throws(NotebookError) -> T {
    do { return try body() } catch { throw NotebookError(describing: error) }
}

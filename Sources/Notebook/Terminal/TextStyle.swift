// How output is drawn: colour or plain characters, and the width to fit. Colour only when writing
// to a terminal and NO_COLOR is unset; plain text (the same on every machine) everywhere else.
import Foundation

/// Colour and width for rendered output.
public struct TextStyle: Sendable {
    /// ANSI colours allowed.
    public var color: Bool
    /// Columns available; drawings wider than this fall back to a narrower form.
    public var width: Int

    public init(color: Bool, width: Int) {
        self.color = color
        self.width = width
    }

    /// Plain text, 100 columns: what transcripts, tests and pipes get.
    public static let plain = TextStyle(color: false, width: 100)

    /// The style for standard output: colour when it is a terminal and NO_COLOR is unset, and the
    /// terminal's width (the window size, then COLUMNS, then 100), read again before every command.
    public static func forStandardOutput() -> TextStyle {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(color: isTerminal && !noColor, width: isTerminal ? terminalWidth() : 100)
    }

    /// Standard output's window now, (columns, rows), or nil when it is not a terminal.
    static func windowSize() -> (columns: Int, rows: Int)? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// The terminal's width now: the window's size (which follows every resize), else COLUMNS, else 100.
    static func terminalWidth() -> Int {
        if let window = windowSize(), window.columns > 20 { return window.columns }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 {
            return columns
        }
        return 100
    }

    /// ANSI colours used across the notebook.
    public enum Color: String, Sendable {
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case magenta = "35"
        case cyan = "36"
        case gray = "90"
        case bold = "1"
        case dim = "2"
    }

    /// `text` in `color` when colour is on; `text` unchanged otherwise.
    public func paint(_ text: String, _ color: Color) -> String {
        self.color ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// A 24-bit background shade for heat maps (`level` in 0...1, white to blue), or nil without colour.
    public func shade(_ text: String, level: Double) -> String {
        guard color else { return text }
        let l = max(0, min(1, level.isNaN ? 0 : level))
        let r = Int(255 - 200 * l)
        let g = Int(255 - 150 * l)
        let b = 255
        let fg = l > 0.55 ? "97" : "30"
        return "\u{1B}[48;2;\(r);\(g);\(b)m\u{1B}[\(fg)m\(text)\u{1B}[0m"
    }
}

extension String {
    /// Each unicode scalar with whether it belongs to an ANSI escape sequence (`ESC [ … m`).
    func forEachScalar(_ body: (Unicode.Scalar, _ isEscape: Bool) -> Void) {
        var inEscape = false
        for scalar in unicodeScalars {
            if inEscape {
                body(scalar, true)
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                body(scalar, true)
                inEscape = true
            } else {
                body(scalar, false)
            }
        }
    }

    /// The number of terminal columns this string takes, ignoring ANSI escape sequences.
    public var displayWidth: Int {
        var width = 0
        forEachScalar { _, isEscape in if !isEscape { width += 1 } }
        return width
    }

    /// This string with ANSI escape sequences removed.
    var withoutANSIEscapes: String {
        var result = ""
        forEachScalar { scalar, isEscape in if !isEscape { result.unicodeScalars.append(scalar) } }
        return result
    }

    /// The string cut to `columns` visible characters; colour escapes are kept and not counted.
    func fittingColumns(_ columns: Int) -> String {
        var result = ""
        var visible = 0
        var escaped = false
        forEachScalar { scalar, isEscape in
            if isEscape {
                result.unicodeScalars.append(scalar)
                escaped = true
            } else if visible < columns {
                result.unicodeScalars.append(scalar)
                visible += 1
            }
        }
        return escaped ? result + "\u{1B}[0m" : result
    }
}

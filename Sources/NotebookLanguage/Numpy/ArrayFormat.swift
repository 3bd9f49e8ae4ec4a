// Printing a numpy array as numpy prints it (numpy/core/arrayprint.py with its defaults: precision
// 8, the shortest digits that identify each value, decimal points aligned, line width 75):
// `array([-5.  , -4.75, -4.5 , …])`, scientific notation when the values span too much.
import Foundation

enum ArrayFormat {
    /// `repr(a)`: `array([...])`, wrapped at numpy's line width.
    static func repr(_ a: ArrayObject) -> String {
        if a.values.isEmpty {
            return "array([], "
                + (a.shape.count > 1 ? "shape=(" + a.shape.map(String.init).joined(separator: ", ") + "), " : "")
                + "dtype=\(a.isInteger ? "int64" : "float64"))"
        }
        let format = a.isInteger ? integerFormatter(a.values) : floatFormatter(a.values)
        let prefix = "array("
        let hanging = String(repeating: " ", count: prefix.count + 1)
        let body = recurse(a.values, shape: a.shape, start: 0, hanging: hanging, width: 75 - 1, format)
        return prefix + body + ")"
    }

    /// numpy's `_formatArray`: brackets around each dim, elements wrapped so a line stays under `width`.
    private static func recurse(
        _ values: [Double], shape: [Int], start: Int, hanging: String, width: Int, _ format: (Double) -> String
    ) -> String {
        if shape.isEmpty { return format(values[start]) }
        let size = shape[0]
        let inner = Array(shape.dropFirst())
        let stride = inner.reduce(1, *)
        let nextHanging = hanging + " "
        let nextWidth = width - 1
        var s = ""
        if shape.count == 1 {
            let elementWidth = width - 1
            var line = hanging
            for i in 0..<size {
                let word = format(values[start + i])
                if line.count + word.count > elementWidth && line.count > hanging.count {
                    s += line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
                    line = hanging
                }
                line += word
                if i < size - 1 { line += ", " }
            }
            s += line
        } else {
            let separator = "," + String(repeating: "\n", count: shape.count - 1)
            for i in 0..<size {
                if i > 0 { s += separator + hanging } else { s += hanging }
                let sub = recurse(
                    values, shape: inner, start: start + i * stride, hanging: nextHanging, width: nextWidth, format)
                s += sub
            }
        }
        return "[" + s.dropFirst(hanging.count) + "]"
    }

    private static func integerFormatter(_ values: [Double]) -> (Double) -> String {
        let width = values.map { String($0.clampedInt).count }.max() ?? 1
        return { v in
            let text = String(v.clampedInt)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
    }

    /// numpy's `FloatingFormat` in its default mode ('maxprec', precision 8, unique digits).
    private static func floatFormatter(_ values: [Double]) -> (Double) -> String {
        let finite = values.filter(\.isFinite)
        let nonZero = finite.map(abs).filter { $0 != 0 }
        let exponential =
            nonZero.max().map { max in
                let min = nonZero.min()!
                return max >= 1e8 || min < 1e-4 || max / min > 1000
            } ?? false
        let special: (Double) -> String? = { v in
            v.isNaN ? "nan" : v.isInfinite ? (v > 0 ? "inf" : "-inf") : nil
        }
        if exponential {
            // Every value with as many digits as the one that needs most (up to 8).
            let digits = finite.map { min(8, significantDigits($0) - 1) }.max() ?? 0
            let texts = finite.map { scientific($0, digits) }
            let padLeft = texts.map { $0.prefix { $0 != "." }.count }.max() ?? 1
            let width = max(padLeft + 1 + digits + 4, values.compactMap(special).map(\.count).max() ?? 0)
            return { v in
                let text = special(v) ?? scientific(v, digits)
                let left = special(v) == nil ? text.prefix { $0 != "." }.count : text.count
                let padded = String(repeating: " ", count: max(0, padLeft - left)) + text
                return String(repeating: " ", count: max(0, width - padded.count)) + padded
            }
        }
        let texts = finite.map(positional)
        let padLeft = texts.map { $0.prefix { $0 != "." }.count }.max() ?? 1
        let padRight = texts.map { $0.count - $0.prefix { $0 != "." }.count - 1 }.max() ?? 0
        return { v in
            if let text = special(v) {
                return String(repeating: " ", count: max(0, padLeft + 1 + padRight - text.count)) + text
            }
            let text = positional(v)
            let left = text.prefix { $0 != "." }.count
            let right = text.count - left - 1
            return String(repeating: " ", count: max(0, padLeft - left)) + text
                + String(repeating: " ", count: max(0, padRight - right))
        }
    }

    /// The value rounded to at most 8 decimals, trailing zeros removed but the point kept: `5.`, `0.25`.
    static func positional(_ v: Double) -> String {
        var text = String(format: "%.8f", v)
        while text.hasSuffix("0") { text.removeLast() }
        if text == "-0." && v == 0 { return "-0." }
        return text
    }

    /// `d.ddde±XX` with `digits` decimals (a point even with none, as numpy writes `1.e-05`).
    static func scientific(_ v: Double, _ digits: Int) -> String {
        var text = String(format: "%.\(digits)e", v)
        if digits == 0, let e = text.firstIndex(of: "e") { text.insert(".", at: e) }
        return text
    }

    /// How many significant digits the shortest text that reads back as `v` has.
    static func significantDigits(_ v: Double) -> Int {
        var text = "\(abs(v))"
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) { text = String(text[..<e]) }
        var digits = text.filter(\.isNumber)
        while digits.hasPrefix("0") { digits.removeFirst() }
        while digits.hasSuffix("0") { digits.removeLast() }
        return max(1, digits.count)
    }
}

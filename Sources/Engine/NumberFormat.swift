// Numbers printed the way Python prints them, so notebook output matches the lectures and is the
// same on every machine.
import Foundation

extension Double {
    /// Python's `repr` of a float: the shortest digits that round-trip, `1e-05`, `1e+16`, `inf`, `nan`.
    public var pythonDescription: String {
        if isNaN { return "nan" }
        if isInfinite { return self < 0 ? "-inf" : "inf" }
        return description
    }

    /// Fixed-point with `digits` decimals (`%.4f`), with `inf`/`nan` spelled as Python does.
    public func fixed(_ digits: Int) -> String {
        if isNaN { return "nan" }
        if isInfinite { return self < 0 ? "-inf" : "inf" }
        return String(format: "%.\(digits)f", self)
    }
}

extension Double {
    /// A short form for tables and explanations: whole numbers as `-2.0`, others to 6 significant
    /// digits (`0.881374`, `1e-07`).
    public var compactDescription: String {
        if isNaN || isInfinite { return pythonDescription }
        if self == rounded(), abs(self) < 1e15 { return pythonDescription }
        var text = String(format: "%.6g", self)
        if text.contains("e") {
            // %g writes e-07; keep it, but drop a '+' and leading zeros of positive exponents (1e+20 → 1e+20).
            return text
        }
        if !text.contains(".") { text += ".0" }
        return text
    }
}

extension Int {
    /// `value` as a whole number without ever trapping: rounded toward zero, clamped to ±2⁵³ (past
    /// which a Double has no fractional part anyway), and `nan` for nan. Every conversion of a
    /// computed Double (a plot coordinate, a bin, a scaled count) to an index goes through this.
    public init(saturating value: Double, nan: Int = 0) {
        guard !value.isNaN else {
            self = nan
            return
        }
        let limit = 9_007_199_254_740_992.0
        self = Int(Swift.min(limit, Swift.max(-limit, value)))
    }
}

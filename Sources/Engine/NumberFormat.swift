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

// Tick marks at nice numbers (1, 2 or 5 × 10^k; powers of ten on log axes, labelled 1e-3, 1e-2, …)
// and their labels, the same on every machine: powers of ten come from exact products, not `pow`, and
// labels are formatted without the locale.
import Foundation

/// An axis's extent and tick marks, in axis space: the value itself, or its log10 on a log axis.
struct AxisTicks: Equatable {
    /// The extent drawn, in axis space.
    var low: Double, high: Double
    /// Tick positions in axis space, lowest first, with their labels.
    var ticks: [Tick]

    struct Tick: Equatable {
        var position: Double
        var label: String
    }

    init(low: Double, high: Double, ticks: [Tick]) {
        (self.low, self.high, self.ticks) = (low, high, ticks)
    }

    /// Ticks for `low ... high` (axis space, `low < high`), about `target` of them. A `fixed` extent is
    /// kept as it is; otherwise it widens to the ticks just outside it (so ticks sit at both ends), unless
    /// that would add more than a tenth: then the data keeps the whole axis and the ticks fall inside.
    init(low: Double, high: Double, scale: Axis.Scale, target: Int, fixed: Bool) {
        precondition(low < high && low.isFinite && high.isFinite, "an axis needs a finite, non-empty extent")
        func make(_ fixed: Bool) -> AxisTicks {
            scale == .linear
                ? Self.linear(low: low, high: high, target: target, fixed: fixed)
                : Self.log(low: low, high: high, target: target, fixed: fixed)
        }
        self = make(fixed)
        if !fixed, self.high / 2 - self.low / 2 > 1.1 * (high / 2 - low / 2) { self = make(true) }
        if ticks.count < 2 {  // a fixed extent with no nice number inside: label its ends
            let value = { (p: Double) in scale == .log ? Self.power(p) : p }
            ticks = [
                Tick(position: low, label: Self.short(value(low))), Tick(position: high, label: Self.short(value(high)))
            ]
        }
    }

    // MARK: Linear

    /// Multiples of the step among 1, 2, 5 × 10^k that gives the tick count nearest `target` (fewer on a tie).
    private static func linear(low: Double, high: Double, target: Int, fixed: Bool) -> AxisTicks {
        let raw = (high / 2 - low / 2) / Double(max(1, target - 1)) * 2
        let e0 = decimalExponent(raw)
        // The best step: tick count nearest the target, then the least space added around the data, then more
        // ticks (callers ask again with a lower target when labels collide).
        var best: (count: Int, m: Double, e: Int, from: Double, to: Double, waste: Double)?
        for e in (e0 - 1)...(e0 + 1) {
            for m in [1.0, 2, 5] {
                let step = m * powerOfTen(e)
                let from = fixed ? (low / step - 1e-9).rounded(.up) : (low / step + 1e-9).rounded(.down)
                let to = fixed ? (high / step + 1e-9).rounded(.down) : (high / step - 1e-9).rounded(.up)
                guard to - from < 1000, !fixed || from <= to else { continue }
                let count = Int(saturating: to - from) + 1
                let waste = fixed ? 0 : ((to - from) * step / 2) / (high / 2 - low / 2)
                if let b = best {  // (a single tick counts as far from any target: it shows no scale)
                    let (d, bd) = (count < 2 ? 1000 : abs(count - target), b.count < 2 ? 1000 : abs(b.count - target))
                    guard
                        d < bd
                            || (d == bd
                                && (waste < b.waste - 1e-9 || (abs(waste - b.waste) <= 1e-9 && count > b.count)))
                    else { continue }
                }
                best = (count, m, e, from, to, waste)
            }
        }
        guard let b = best else { return AxisTicks(low: low, high: high, ticks: []) }
        let value = { (k: Double) -> Double in
            let v = b.e >= 0 ? k * b.m * powerOfTen(b.e) : (k * b.m) / powerOfTen(-b.e)
            return v == 0 ? 0 : v  // no -0
        }
        let (lowValue, highValue) = fixed ? (low, high) : (value(b.from), value(b.to))
        guard lowValue.isFinite, highValue.isFinite else {  // widening past the largest Double: keep the data's extent
            return linear(low: low, high: high, target: target, fixed: true)
        }
        let values = stride(from: b.from, through: b.to, by: 1).map(value)
        let scientific = values.contains { abs($0) >= 1e6 } || values.allSatisfy { abs($0) < 1e-4 } || b.e < -5
        let ticks = values.map { v in
            Tick(
                position: v,
                label: scientific ? exponentLabel(v, stepExponent: b.e) : fixedLabel(v, decimals: max(0, -b.e)))
        }
        return AxisTicks(low: lowValue, high: highValue, ticks: ticks)
    }

    // MARK: Log

    /// Powers of ten (every 1, 2, 5, 10 … decades), or 1, 2, 5 × 10^k when the extent is under a decade.
    private static func log(low: Double, high: Double, target: Int, fixed: Bool) -> AxisTicks {
        if high - low < 1 {
            let ladder = (Int(saturating: (low - 1).rounded(.down))...Int(saturating: (high + 1).rounded(.up))).flatMap
            { k in
                [1.0, 2, 5].map { m in (position: Double(k) + Foundation.log10(m), m: m, k: k) }
            }
            let from =
                fixed
                ? ladder.firstIndex { $0.position >= low - 1e-12 } : ladder.lastIndex { $0.position <= low + 1e-12 }
            let to =
                fixed
                ? ladder.lastIndex { $0.position <= high + 1e-12 } : ladder.firstIndex { $0.position >= high - 1e-12 }
            guard let from, let to, from <= to else { return AxisTicks(low: low, high: high, ticks: []) }
            let ticks = ladder[from...to].map { Tick(position: $0.position, label: "\(Int($0.m))e\($0.k)") }
            return AxisTicks(
                low: fixed ? low : ticks[0].position, high: fixed ? high : ticks[ticks.count - 1].position, ticks: ticks
            )
        }
        // Every d decades, d among 1, 2, 5, 10, …: the count nearest the target, the smaller d on a tie.
        var best: (count: Int, d: Double, from: Double, to: Double)?
        for d in [1.0, 2, 5, 10, 20, 50, 100] {
            let from = fixed ? (low / d - 1e-9).rounded(.up) : (low / d + 1e-9).rounded(.down)
            let to = fixed ? (high / d + 1e-9).rounded(.down) : (high / d - 1e-9).rounded(.up)
            guard from <= to else { continue }
            let count = Int(saturating: to - from) + 1
            if let b = best, abs(count - target) >= abs(b.count - target) { continue }
            best = (count, d, from, to)
        }
        guard let b = best else { return AxisTicks(low: low, high: high, ticks: []) }
        let ticks = stride(from: b.from, through: b.to, by: 1).map { k in
            Tick(position: k * b.d, label: "1e\(Int(k * b.d))")
        }
        // + 0: no -0
        return AxisTicks(low: fixed ? low : b.from * b.d + 0, high: fixed ? high : b.to * b.d + 0, ticks: ticks)
    }

    // MARK: Numbers

    /// 10^k as the nearest Double, computed from exact products (10^22 is the largest exact one).
    static func powerOfTen(_ k: Int) -> Double {
        guard k >= 0 else { return 1 / powerOfTen(-k) }
        var result = 1.0
        for _ in 0..<min(k, 400) { result *= 10 }
        return result
    }

    /// 10^p for a position on a log axis: exact for whole p.
    static func power(_ p: Double) -> Double {
        p == p.rounded() && abs(p) < 400 ? powerOfTen(Int(p)) : Foundation.pow(10, p)
    }

    /// ⌊log10 |x|⌋, corrected so that exact powers of ten land on their own exponent. 0 for 0.
    static func decimalExponent(_ x: Double) -> Int {
        let x = abs(x)
        guard x > 0, x.isFinite else { return 0 }
        var e = Int(saturating: Foundation.log10(x).rounded(.down))
        if powerOfTen(e) > x { e -= 1 }
        if powerOfTen(e + 1) <= x { e += 1 }
        return e
    }

    /// `0.25`, `-3`: fixed decimals, in the C locale.
    static func fixedLabel(_ v: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", v)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// `2e6`, `1.5e-5`, `0`: mantissa × 10^exponent with as many digits as the step needs.
    static func exponentLabel(_ v: Double, stepExponent: Int) -> String {
        guard v != 0 else { return "0" }
        let e = decimalExponent(v)
        var mantissa = fixedLabel(v / powerOfTen(e), decimals: max(0, e - stepExponent))
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return "\(mantissa)e\(e)"
    }

    /// A number in at most 3 significant digits for a label: `0.25`, `1.5e-5`, `2e6`.
    static func short(_ v: Double) -> String {
        guard v.isFinite else { return v.pythonDescription }
        let e = decimalExponent(v)
        if v != 0, e < -3 || e >= 6 { return exponentLabel(v, stepExponent: e - 2) }
        var text = fixedLabel(v, decimals: max(0, 2 - e))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

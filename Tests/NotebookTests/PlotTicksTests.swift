// Tick marks: nice numbers (1, 2, 5 × 10^k) for several ranges, powers of ten on log axes, labels
// without -0 or float noise, and the exact powers of ten that keep them the same on every machine.
import Foundation
import Testing

@testable import Notebook

@Suite("Plot ticks")
struct PlotTicksTests {
    static func ticks(_ low: Double, _ high: Double, _ scale: Axis.Scale = .linear, target: Int, fixed: Bool = false)
        -> String
    {
        let axis = AxisTicks(low: low, high: high, scale: scale, target: target, fixed: fixed)
        return axis.ticks.map(\.label).joined(separator: " ")
    }

    @Test(
        arguments: [
            // A fitted extent widens to the ticks around it when that adds little…
            (0.0, 1.0, 5, "0.0 0.2 0.4 0.6 0.8 1.0"),
            (0, 999, 6, "0 200 400 600 800 1000"),
            (-1, 1, 5, "-1.0 -0.5 0.0 0.5 1.0"),
            // … and keeps the data's extent, ticks inside, when widening would waste space (a loss curve).
            (2.1, 3.3, 5, "2.2 2.4 2.6 2.8 3.0 3.2"),
            (1, 16, 3, "5 10 15"),
            (-0.3, 0.3, 4, "-0.2 0.0 0.2"),
            // Large and small numbers in exponent form; close ones with the digits that tell them apart.
            (0, 4e6, 5, "0 1e6 2e6 3e6 4e6"),
            (0, 4e-5, 5, "0 1e-5 2e-5 3e-5 4e-5"),
            (0.9999, 1.0001, 5, "0.99990 0.99995 1.00000 1.00005 1.00010"),
            // Near the largest Double: no overflow, no trap.
            (-1e308, 1.7e308, 3, "-1e308 0 1e308")
        ] as [(Double, Double, Int, String)])
    func linear(low: Double, high: Double, target: Int, expected: String) {
        #expect(Self.ticks(low, high, target: target) == expected)
    }

    @Test func aFixedExtentKeepsItsEndsAndLabelsThemWhenNoNiceNumberIsInside() {
        let axis = AxisTicks(low: 0.05, high: 0.95, scale: .linear, target: 5, fixed: true)
        #expect((axis.low, axis.high) == (0.05, 0.95))
        #expect(axis.ticks.map(\.label) == ["0.2", "0.4", "0.6", "0.8"])
        #expect(Self.ticks(0.31, 0.39, target: 2, fixed: true) == "0.32 0.34 0.36 0.38")
    }

    @Test(
        arguments: [
            (-3.0, 0.0, 4, "1e-3 1e-2 1e-1 1e0"),  // the lr finder's 10^-3 … 10^0
            (-8, 0, 5, "1e-8 1e-6 1e-4 1e-2 1e0"),  // every second decade
            (-3.3, -1.98, 5, "1e-3 1e-2"),  // decades inside the data
            (-12, 3, 5, "1e-10 1e-5 1e0")
        ] as [(Double, Double, Int, String)])
    func log(low: Double, high: Double, target: Int, expected: String) {
        #expect(Self.ticks(low, high, .log, target: target) == expected)
    }

    @Test func logAxesUnderADecadeUseOneTwoFive() {
        #expect(
            Self.ticks(Foundation.log10(0.002), Foundation.log10(0.008), .log, target: 3, fixed: true) == "2e-3 5e-3")
        // No 1, 2 or 5 inside: the ends, labelled as numbers.
        #expect(Self.ticks(Foundation.log10(2.1), Foundation.log10(2.9), .log, target: 4) == "2.1 2.9")
    }

    @Test func powersOfTenAreExact() {
        #expect(AxisTicks.powerOfTen(0) == 1)
        #expect(AxisTicks.powerOfTen(3) == 1000)
        #expect(AxisTicks.powerOfTen(-3) == 0.001)
        #expect(AxisTicks.powerOfTen(22) == 1e22)
        #expect(AxisTicks.power(-2) == 0.01)
        #expect(AxisTicks.decimalExponent(1000) == 3)
        #expect(AxisTicks.decimalExponent(999.999) == 2)
        #expect(AxisTicks.decimalExponent(0.001) == -3)
        #expect(AxisTicks.decimalExponent(-250) == 2)
    }

    @Test(
        arguments: [
            (0.001, "0.001"), (1.5e-5, "1.5e-5"), (2e6, "2e6"), (0.25, "0.25"), (-0.5, "-0.5"), (0, "0"),
            (123_456_789, "1.23e8"), (1e-300, "1e-300")
        ] as [(Double, String)])
    func shortLabels(value: Double, expected: String) {
        #expect(AxisTicks.short(value) == expected)
    }

    @Test func noNegativeZero() {
        #expect(AxisTicks.fixedLabel(-0.0001, decimals: 1) == "0.0")
        #expect(Self.ticks(-0.3, 0.3, target: 4) == "-0.2 0.0 0.2")
        let decades = AxisTicks(low: -3, high: 0, scale: .log, target: 4, fixed: false)
        #expect(decades.high.sign == .plus)
    }
}

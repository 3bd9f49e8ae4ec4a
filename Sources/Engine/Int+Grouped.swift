// Counts as the notebook prints them, digits in groups of three: one helper for every target.

extension Int {
    /// Digits in groups of three: `228,146`, `-6,200`.
    package var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return self < 0 ? "-" + result : result
    }
}

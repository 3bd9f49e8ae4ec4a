// The pieces of the schedule text syntax: the table of kinds and their keys, splitting a spec into
// phases and `KEY=VALUE` fields, and reading numbers, step counts, lists and choices out of fields.
// `LearningRateSchedule+Parse.swift` documents the syntax and builds schedules from these pieces.
import Engine
import Foundation

extension LearningRateSchedule {
    enum Syntax {
        /// One kind of the syntax: its name, the key a bare value fills, the keys it takes, an example.
        struct KindSpec: Sendable {
            let name: String, main: String, keys: [String], example: String
            /// Whether `steps=` is the schedule's own horizon (T_max, total_iters, total_steps).
            var hasHorizon: Bool { keys.contains("steps") }
        }

        static let kinds: [KindSpec] = [
            KindSpec(name: "constant", main: "lr", keys: ["lr", "for"], example: "0.1@100000=0.01"),
            KindSpec(
                name: "step", main: "lr", keys: ["lr", "every", "gamma", "for"],
                example: "step:0.1:every=1000:gamma=0.5"),
            KindSpec(
                name: "multistep", main: "lr", keys: ["lr", "at", "gamma", "for"],
                example: "multistep:0.1:at=15000,40000"),
            KindSpec(name: "exp", main: "lr", keys: ["lr", "gamma", "for"], example: "exp:0.1:gamma=0.999"),
            KindSpec(name: "cosine", main: "lr", keys: ["lr", "min", "steps", "for"], example: "cosine:0.1:min=0.001"),
            KindSpec(
                name: "restarts", main: "lr", keys: ["lr", "period", "mult", "min", "for"],
                example: "restarts:0.1:period=1000:mult=2"),
            KindSpec(
                name: "linear", main: "lr", keys: ["lr", "from", "to", "steps", "for"],
                example: "linear:0.1:from=1:to=0.01"),
            KindSpec(
                name: "warmup", main: "steps", keys: ["steps", "from", "lr", "for"], example: "warmup:100+cosine:0.1"),
            KindSpec(
                name: "factor", main: "lr", keys: ["lr", "factor", "steps", "for"],
                example: "factor:0.1:factor=0.5:steps=100"),
            KindSpec(name: "poly", main: "lr", keys: ["lr", "power", "steps", "for"], example: "poly:0.1:power=2"),
            KindSpec(
                name: "onecycle", main: "max", keys: ["max", "steps", "pct", "anneal", "div", "final", "phases", "for"],
                example: "onecycle:0.1"),
            KindSpec(
                name: "cyclic", main: "base", keys: ["base", "max", "up", "down", "mode", "gamma", "for"],
                example: "cyclic:0.01:max=0.1:up=2000")
        ]

        /// Longer names people may type for a kind.
        static let aliases = ["exponential": "exp", "polynomial": "poly", "one-cycle": "onecycle", "sgdr": "restarts"]

        /// One phase as typed: its kind and its fields (the bare value stored under the kind's main key).
        struct Phase {
            let number: Int, kind: KindSpec
            var fields: [String: String]
        }

        /// Splits a spec at the `+` that join phases (not the `+` of an exponent such as `1e+4`).
        static func phaseTexts(_ spec: String) -> [String] {
            var parts: [String] = []
            var current = ""
            var previous: Character? = nil
            var beforePrevious: Character? = nil
            for c in spec {
                let isExponentSign =
                    (previous == "e" || previous == "E")
                    && (beforePrevious.map { $0.isNumber || $0 == "." } ?? false)
                if c == "+" && !isExponentSign {
                    parts.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
                (beforePrevious, previous) = (previous, c)
            }
            return parts + [current]
        }

        /// Reads `KIND:VALUE:KEY=VALUE…` (or a bare number, the constant kind) into a phase.
        static func phase(_ text: String, number: Int) throws(ScheduleError) -> Phase {
            let tokens = text.split(separator: ":", omittingEmptySubsequences: false).map(trimmed)
            let head = tokens[0]
            let kind: KindSpec
            let valueTokens: ArraySlice<String>
            if let first = head.first, first.isNumber || first == "." || first == "-" {
                (kind, valueTokens) = (kinds[0], tokens[...])
            } else {
                let name = head.lowercased()
                guard let found = kinds.first(where: { $0.name == (aliases[name] ?? name) }) else {
                    throw .unknownKind(
                        head,
                        suggestion: ScheduleError.suggestion(
                            for: name, among: kinds.map(\.name) + aliases.keys.sorted()
                        ).map { aliases[$0] ?? $0 })
                }
                (kind, valueTokens) = (found, tokens.dropFirst())
            }
            var fields: [String: String] = [:]
            for token in valueTokens {
                guard !token.isEmpty else {
                    throw .malformed(
                        text, expected: "KIND:VALUE:KEY=VALUE… with nothing empty between ':', e.g. \(kind.example)")
                }
                var key = kind.main
                var value = token
                if let equals = token.firstIndex(of: "="),
                    case let name = trimmed(token[..<equals]).lowercased(), !name.isEmpty, name.allSatisfy(\.isLetter)
                {
                    (key, value) = (name, trimmed(token[token.index(after: equals)...]))
                    guard kind.keys.contains(key) else {
                        throw .unknownKey(
                            name, kind: kind.name, accepted: kind.keys,
                            suggestion: ScheduleError.suggestion(for: name, among: kind.keys))
                    }
                }
                guard fields[key] == nil else { throw .repeatedKey(key, kind: kind.name) }
                fields[key] = value
            }
            return Phase(number: number, kind: kind, fields: fields)
        }

        static func trimmed<S: StringProtocol>(_ s: S) -> String {
            String(s).trimmingCharacters(in: .whitespaces)
        }
    }
}

// MARK: - Reading values

extension LearningRateSchedule.Syntax.Phase {
    /// A finite number, or `fallback` when the key is absent (nil fallback: the key is required).
    func number(_ key: String, default fallback: Double? = nil) throws(ScheduleError) -> Double {
        guard let text = fields[key] else {
            guard let fallback else { throw missing(key) }
            return fallback
        }
        return try Self.number(text, key: key, kind: kind.name)
    }

    static func number(_ text: String, key: String, kind: String) throws(ScheduleError) -> Double {
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw .badValue(text, key: key, kind: kind, expected: "a finite number such as 0.1 or 1e-3")
        }
        return value
    }

    /// A whole number (`1000`, `10_000` or `1e4`), or `fallback` when absent (nil: required).
    func integer(_ key: String, default fallback: Int? = nil) throws(ScheduleError) -> Int {
        guard let text = fields[key] else {
            guard let fallback else { throw missing(key) }
            return fallback
        }
        return try Self.integer(text, key: key, kind: kind.name)
    }

    /// The value of `key` when present, as a whole number.
    func optionalInteger(_ key: String) throws(ScheduleError) -> Int? {
        fields[key] == nil ? nil : try integer(key)
    }

    static func integer(_ text: String, key: String, kind: String) throws(ScheduleError) -> Int {
        let digits = text.replacingOccurrences(of: "_", with: "")
        if let value = Int(digits) { return value }
        if let value = Double(digits), value == value.rounded(), abs(value) < 1e18 { return Int(value) }
        throw .badValue(text, key: key, kind: kind, expected: "a whole number of steps such as 1000")
    }

    /// Step numbers separated by commas, strictly increasing and ≥ 0: `at=15000,40000`.
    func steps(_ key: String) throws(ScheduleError) -> [Int] {
        guard let text = fields[key] else { throw missing(key) }
        let expected = "step numbers ≥ 0 in increasing order, separated by commas, e.g. \(key)=15000,40000"
        var steps: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let step = try Self.integer(LearningRateSchedule.Syntax.trimmed(item), key: key, kind: kind.name)
            guard step >= 0, step > (steps.last ?? -1) else {
                throw .badValue(text, key: key, kind: kind.name, expected: expected)
            }
            steps.append(step)
        }
        return steps
    }

    /// One of `options` (case-insensitive), or `fallback` when absent.
    func choice(_ key: String, among options: [String], default fallback: String) throws(ScheduleError) -> String {
        guard let text = fields[key] else { return fallback }
        guard options.contains(text.lowercased()) else {
            throw .badValue(text, key: key, kind: kind.name, expected: "one of \(options.joined(separator: ", "))")
        }
        return text.lowercased()
    }

    func missing(_ key: String) -> ScheduleError {
        .missingKey(key, kind: kind.name, example: kind.example)
    }
}

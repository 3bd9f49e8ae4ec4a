// The built-in names of the notebook: `Value` and the few Python built-ins lecture code uses
// (`sum`, `zip`, `range`, `len`, `print`, `math.exp`, …).
import Engine
import Foundation

package enum Builtins {
    /// The longest list (in items) or string (in bytes) the notebook makes: keeps `range(10**12)`,
    /// or `xs = xs + xs` in a loop, from exhausting memory.
    package static let maximumLength = 10_000_000

    /// Python's MemoryError, before the memory is asked for.
    package static func checkLength(_ count: Int, of kind: String) throws(NotebookError) {
        guard count > maximumLength else { return }
        throw NotebookError(
            "MemoryError: the \(kind) would hold \(count) \(kind == "string" ? "bytes" : "items"); the notebook's lists and strings hold at most \(maximumLength)"
        )
    }

    package static func make(_ interpreter: Interpreter) -> [String: Object] {
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) -> (String, Object)
        {
            (name, .function(Function(name: name, call: body)))
        }
        let entries: [(String, Object)] = [
            ("True", .bool(true)), ("False", .bool(false)), ("None", .none),
            ("math", .object(MathModule())),
            function("Value") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["data", "label"])
                let data = try args.number(0, "data")
                return .value(Value(data, label: try args.string(1, "label", default: "")))
            },
            function("sum") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["start"])
                guard let items = args.positional.first else { throw NotebookError("sum() needs a list to add up") }
                var total = args.value(1, "start") ?? .number(0)
                for item in try items.items(as: "sum()'s argument") {
                    try Interrupt.check()
                    total = try interpreter.binary(.add, total, item, column: 0)
                }
                return total
            },
            function("zip") { (args) throws(NotebookError) in
                let lists = try args.positional.map { (o) throws(NotebookError) in
                    try o.items(as: "each argument of zip()")
                }
                let count = lists.map(\.count).min() ?? 0
                return .list((0..<count).map { i in .tuple(lists.map { $0[i] }) })
            },
            function("enumerate") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                guard let items = args.positional.first else { throw NotebookError("enumerate() needs a list") }
                return .list(
                    try items.items(as: "enumerate()'s argument").enumerated().map { .tuple([.number(Double($0)), $1]) }
                )
            },
            function("range") { (args) throws(NotebookError) in
                try args.expect(atMost: 3)
                let numbers = try args.positional.map { (o) throws(NotebookError) in
                    try o.integer(as: "range()'s argument")
                }
                let (start, stop, step): (Int, Int, Int)
                switch numbers.count {
                case 1: (start, stop, step) = (0, numbers[0], 1)
                case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
                case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
                default:
                    throw NotebookError(
                        "range() needs 1 to 3 whole numbers: range(stop), range(start, stop) or range(start, stop, step)"
                    )
                }
                guard step != 0 else { throw NotebookError("range() step must not be zero") }
                let count = max(0, (stop - start + step - (step > 0 ? 1 : -1)) / step)
                guard count <= maximumLength else {
                    throw NotebookError(
                        "range() would make \(count) numbers; the notebook makes at most \(maximumLength)")
                }
                return .list(stride(from: start, to: stop, by: step).map { .number(Double($0)) })
            },
            function("len") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                guard let o = args.positional.first else { throw NotebookError("len() needs a list") }
                return .number(Double(try o.items(as: "len()'s argument").count))
            },
            function("abs") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                return .number(abs(try args.number(0, "x")))
            },
            function("float") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                if case .string(let s)? = args.positional.first {
                    guard let n = Double(s.trimmingCharacters(in: .whitespaces)) ?? (s == "inf" ? .infinity : nil)
                    else {
                        throw NotebookError("float() cannot read '\(s)' as a number")
                    }
                    return .number(n)
                }
                return .number(try args.number(0, "x"))
            },
            function("int") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                let n = try args.number(0, "x")
                guard n.isFinite, abs(n) < 1e15 else {
                    throw NotebookError("int() cannot convert \(n.pythonDescription)")
                }
                return .number(n.rounded(.towardZero))
            },
            function("round") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["ndigits"])
                let x = try args.number(0, "x")
                let digits = try args.number(1, "ndigits", default: 0)
                guard digits >= 0, digits <= 15 else { throw NotebookError("round() ndigits must be between 0 and 15") }
                let scale = Foundation.pow(10, digits)
                return .number((x * scale).rounded(.toNearestOrEven) / scale)
            },
            function("min") { (args) throws(NotebookError) in try extreme(args, <) },
            function("max") { (args) throws(NotebookError) in try extreme(args, >) },
            function("list") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                guard let o = args.positional.first else { return .list([]) }
                return .list(try o.items(as: "list()'s argument"))
            },
            function("print") { (args) throws(NotebookError) in
                try args.expect(atMost: .max, keywords: ["sep", "end"])
                let sep = try args.string(.max, "sep", default: " ")
                let end = try args.string(.max, "end", default: "\n")
                interpreter.write(
                    try args.positional.map { (o) throws(NotebookError) in try o.printed() }.joined(separator: sep)
                        + end)
                return .none
            }
        ]
        return Dictionary(entries, uniquingKeysWith: { first, _ in first })
    }

    /// `min`/`max` over the arguments, or over one list argument; compares numbers and `Value` data.
    private static func extreme(_ args: Arguments, _ better: (Double, Double) -> Bool) throws(NotebookError) -> Object {
        let items =
            args.positional.count == 1
            ? try args.positional[0].items(as: "\(args.function)()'s argument") : args.positional
        guard var best = items.first else { throw NotebookError("\(args.function)() needs at least one number") }
        var bestNumber = try best.number(as: "each item of \(args.function)()")
        for item in items.dropFirst() {
            let n = try item.number(as: "each item of \(args.function)()")
            if better(n, bestNumber) { (best, bestNumber) = (item, n) }
        }
        return best
    }
}

/// Python's `math` module, the functions lectures call on plain numbers.
package final class MathModule: NotebookObject {
    package static let typeName = "module"
    package var description: String { "<module 'math'>" }
    package let attributeNames = ["exp", "log", "tanh", "sqrt", "sin", "cos", "pi", "e", "inf"]

    package func attribute(_ name: String) throws(NotebookError) -> Object {
        let functions: [String: (Double) -> Double] = [
            "exp": Foundation.exp, "log": Foundation.log, "tanh": Foundation.tanh,
            "sqrt": Foundation.sqrt, "sin": Foundation.sin, "cos": Foundation.cos
        ]
        if let f = functions[name] {
            return .function(
                Function(name: "math.\(name)") { (args) throws(NotebookError) in
                    try args.expect(atMost: 1)
                    return .number(f(try args.number(0, "x")))
                })
        }
        switch name {
        case "pi": return .number(.pi)
        case "e": return .number(M_E)
        case "inf": return .number(.infinity)
        default: throw .unknown("math function", name, among: attributeNames)
        }
    }
}

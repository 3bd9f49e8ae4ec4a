// Evaluates the notebook language: statements change the variables, expressions produce objects.
// Operators live in Interpreter+Operators.swift, `Value`'s attributes in Interpreter+Value.swift,
// the built-in functions in Builtins.swift.
import Engine

/// The notebook language's evaluator. As in Python, a failing statement keeps what it did before it
/// failed: an assignment happens only once its value is computed, a loop keeps the iterations that
/// ran, and a list keeps what was appended; a loop's error says so.
package final class Interpreter {
    /// The user's names.
    package var variables: [String: Object] = [:]
    /// Built-in functions and constants (`Value`, `sum`, `range`, `math`, …), and the host's.
    package private(set) var builtins: [String: Object] = [:]
    /// The program the interpreter runs in: where output goes, what else may be typed, the generator.
    package unowned let host: InterpreterHost

    package init(host: InterpreterHost) {
        self.host = host
        builtins = Builtins.make(self)
    }

    /// Adds the host's built-ins (`MLP`, `plot`, …); the language's own keep their names.
    package func define(_ entries: [(String, Object)]) {
        builtins.merge(entries, uniquingKeysWith: { own, _ in own })
    }

    /// Every name that can be typed: the user's and the built-in ones.
    package var allNames: [String] { Array(variables.keys) + Array(builtins.keys) }

    /// Writes `print()` output.
    package func write(_ text: String) { host.write(text) }

    package func warn(_ message: String) { host.warn(message) }

    // MARK: Statements

    /// Runs a statement typed at the top level, on a fresh tape: the nodes it makes are freed once
    /// no variable refers to them, so the notebook's memory follows its variables, not its history.
    package func run(_ statement: Statement) throws(NotebookError) -> Object? {
        try Tape.withNew { () throws(NotebookError) in try execute(statement) }
    }

    /// Runs a statement; returns the object to display (for a bare expression), or nil.
    package func execute(_ statement: Statement) throws(NotebookError) -> Object? {
        switch statement {
        case .pass, .importModule:
            return nil
        case .expression(let expression):
            return try evaluate(expression)
        case .assign(let target, let expression):
            var value = try evaluate(expression)
            // `b = -3.0`: a number written on the right of '=' makes a leaf Value named after b.
            if case .number(let n) = value, case .name(let name, _) = target, expression.isNumberLiteral {
                value = .value(Value(n, label: name))
            }
            try assign(value, to: target)
            return nil
        case .augmented(let target, let op, let expression, let column):
            let current = try evaluate(target)
            try assign(try binary(op, current, try evaluate(expression), column: column), to: target)
            return nil
        case .loop(let targets, let source, let body):
            let items = try evaluate(source).items(as: "the for loop's source")
            for (index, item) in items.enumerated() {
                do {
                    try Interrupt.check()
                    // Each iteration's nodes on a tape of their own, so a 1,000-step training loop
                    // keeps only the steps its variables still refer to. The new tape is newer than
                    // any the iteration can import from, so no two tapes ever keep each other alive.
                    Tape.startNew()
                    try bind(targets, to: item)
                    for statement in body {
                        if let shown = try execute(statement), let text = try display(shown) { write(text + "\n") }
                    }
                } catch {
                    var told = error
                    if !told.message.contains("the for loop stopped") {
                        told.message +=
                            " (the for loop stopped in iteration \(index + 1) of \(items.count); what the iterations before did is kept)"
                    }
                    throw told
                }
            }
            return nil
        }
    }

    /// The text shown for a bare expression's result, or nil for `None`.
    package func display(_ object: Object) throws(NotebookError) -> String? {
        if case .none = object { return nil }
        return try object.render()
    }

    /// Binds `value` to an assignment target. A `Value` with no label takes the name it is
    /// assigned to.
    package func assign(_ value: Object, to target: Expression) throws(NotebookError) {
        switch target {
        case .name(let name, let column):
            guard builtins[name] == nil || variables[name] != nil || !["Value", "True", "False", "None"].contains(name)
            else {
                throw NotebookError("'\(name)' is a built-in name and cannot be assigned", column: column)
            }
            switch value {
            case .value(let v):
                if v.label.isEmpty { v.label = name }
                variables[name] = value
            default: variables[name] = value
            }
        case .attribute(let base, let name, let column):
            try setAttribute(name, of: try evaluate(base), to: value, column: column)
        case .subscripted(let base, let index, let column):
            let container = try evaluate(base)
            guard case .list(let box) = container else {
                throw NotebookError("only list items can be assigned, not \(container.typeName) items", column: column)
            }
            let i = try listIndex(try evaluate(index), count: box.items.count, column: column)
            box.items[i] = value
        default:
            throw NotebookError("cannot assign to this expression")
        }
    }

    private func bind(_ targets: [String], to item: Object) throws(NotebookError) {
        if targets.count == 1 {
            variables[targets[0]] = item
            return
        }
        let parts = try item.items(as: "the value unpacked into \(targets.joined(separator: ", "))")
        guard parts.count == targets.count else {
            throw NotebookError(
                "cannot unpack \(parts.count) values into \(targets.count) names (\(targets.joined(separator: ", ")))")
        }
        for (name, part) in zip(targets, parts) { variables[name] = part }
    }

    // MARK: Expressions

    package func evaluate(_ expression: Expression) throws(NotebookError) -> Object {
        switch expression {
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .name(let name, let column): return try lookup(name, column: column)
        case .list(let items): return .list(try items.map { (e) throws(NotebookError) in try evaluate(e) })
        case .tuple(let items): return .tuple(try items.map { (e) throws(NotebookError) in try evaluate(e) })
        case .negate(let operand, let column): return try negate(try evaluate(operand), column: column)
        case .binary(let op, let lhs, let rhs, let column):
            return try binary(op, try evaluate(lhs), try evaluate(rhs), column: column)
        case .chain(let first, let links):
            var result = try evaluate(first)
            for link in links {
                try Interrupt.check()
                result = try binary(link.op, result, try evaluate(link.operand), column: link.column)
            }
            return result
        case .compare(let op, let lhs, let rhs, let column):
            return try compare(op, try evaluate(lhs), try evaluate(rhs), column: column)
        case .logical(let op, let operands):
            // `a and b`: the first falsy operand, else the last; `a or b`: the first truthy one.
            var result = Object.none
            for operand in operands {
                result = try evaluate(operand)
                if (op == .and) != result.isTruthy { return result }
            }
            return result
        case .not(let operand): return .bool(!(try evaluate(operand)).isTruthy)
        case .conditional(let value, let condition, let otherwise):
            return try evaluate(condition).isTruthy ? try evaluate(value) : try evaluate(otherwise)
        case .call(let callee, let arguments, let column):
            return try call(callee, arguments, column: column)
        case .attribute(let base, let name, let column):
            return try attribute(name, of: try evaluate(base), column: column)
        case .subscripted(let base, let index, let column):
            return try subscriptValue(try evaluate(base), index, column: column)
        case .slice:
            throw NotebookError("a slice (a:b) can only be used inside [ ]")
        case .comprehension(let element, let targets, let source, let condition, let isList):
            let items = try evaluate(source).items(as: "the comprehension's source")
            let saved = targets.map { variables[$0] }
            defer { for (name, old) in zip(targets, saved) { variables[name] = old } }
            var results: [Object] = []
            for item in items {
                try Interrupt.check()
                try bind(targets, to: item)
                if let condition, !(try evaluate(condition)).isTruthy { continue }
                results.append(try evaluate(element))
                if results.count > Builtins.maximumLength { try Builtins.checkLength(results.count, of: "list") }
            }
            return isList ? .list(results) : .tuple(results)
        }
    }

    package func lookup(_ name: String, column: Int?) throws(NotebookError) -> Object {
        if let value = variables[name] ?? builtins[name] { return value }
        throw .unknown(
            "name", name, among: allNames + host.otherNames, column: column,
            hint: "assign it first (vars lists the names defined so far)")
    }

    private func call(_ callee: Expression, _ arguments: [Expression.Argument], column: Int) throws(NotebookError)
        -> Object
    {
        let function = try evaluate(callee)
        var positional: [Object] = []
        var keywords: [(String, Object)] = []
        for argument in arguments {
            let value = try evaluate(argument.value)
            if let keyword = argument.keyword { keywords.append((keyword, value)) } else { positional.append(value) }
        }
        let name: String
        switch function {
        case .function(let f): name = f.name
        case .object(let o): name = type(of: o).typeName
        default: throw NotebookError("a \(function.typeName) cannot be called", column: column)
        }
        let args = Arguments(function: name, positional: positional, keywords: keywords)
        do {
            switch function {
            case .function(let f): return try f.call(args)
            case .object(let o): return try o.call(args)
            default: return .none
            }
        } catch {
            var located = error
            if located.column == nil { located.column = column }
            throw located
        }
    }

    private func subscriptValue(_ container: Object, _ index: Expression, column: Int) throws(NotebookError) -> Object {
        if case .slice(let lower, let upper) = index {
            let items = try container.items(as: "the sliced value")
            let count = items.count
            func bound(_ e: Expression?, _ fallback: Int) throws(NotebookError) -> Int {
                guard let e else { return fallback }
                let i = try evaluate(e).integer(as: "a slice bound")
                return min(count, max(0, i < 0 ? i + count : i))
            }
            let from = try bound(lower, 0)
            let to = max(from, try bound(upper, count))
            let slice = Array(items[from..<to])
            switch container {
            case .string: return .string(slice.map(\.str).joined())
            case .tuple: return .tuple(slice)
            default: return .list(slice)
            }
        }
        let key = try evaluate(index)
        if case .object(let object) = container, let indexable = object as? IndexableObject {
            return try indexable.item(at: key)
        }
        let items = try container.items(as: "the indexed value")
        return items[try listIndex(key, count: items.count, column: column)]
    }

    package func listIndex(_ key: Object, count: Int, column: Int) throws(NotebookError) -> Int {
        let i = try key.integer(as: "an index")
        let resolved = i < 0 ? i + count : i
        guard resolved >= 0, resolved < count else {
            throw NotebookError("index \(i) is out of range for \(count) item\(count == 1 ? "" : "s")", column: column)
        }
        return resolved
    }
}

/// A notebook object that answers `x[key]`.
package protocol IndexableObject: NotebookObject {
    func item(at key: Object) throws(NotebookError) -> Object
}

extension Expression {
    /// `3.0` or `-3.0` as written.
    package var isNumberLiteral: Bool {
        switch self {
        case .number: true
        case .negate(.number, _): true
        default: false
        }
    }
}

// What the neural-net commands share: finding the MLP and the examples a command names, checking them
// before anything changes, and the table that describes a network.
import Engine
import NotebookLanguage

extension Session {
    /// The notebook object an argument names: a variable or any expression.
    func object(named expression: String) throws(NotebookError) -> Object {
        let parsed: Expression
        do {
            parsed = try Parser.parseExpression(expression)
        } catch {
            throw NotebookError("'\(expression)' is not a name or expression: \(error.message)")
        }
        return try reporting { try interpreter.evaluate(parsed) }
    }

    /// The MLP a command names.
    func mlp(named expression: String) throws(NotebookError) -> MLPObject {
        let object = try object(named: expression)
        guard case .object(let network as MLPObject) = object else {
            throw NotebookError(
                "'\(expression)' is \(object.typeNameWithArticle), not an MLP; make one with \(expression) = MLP(2, [16, 16, 1])"
            )
        }
        return network
    }

    /// The examples a command names: a data set (`d`), or a list of inputs and a list of targets
    /// (`xs ys`, either may be a list typed in). Every input must have `features` numbers (when
    /// given) and every number be finite.
    func examples(_ words: [String], for command: String, features: Int? = nil) throws(NotebookError) -> ToyDataset {
        let names = Self.expressions(words)
        guard let first = names.first else {
            throw NotebookError("name the data: a data set (data d moons) or the inputs and targets (xs ys)")
        }
        guard names.count <= 2 else {
            throw NotebookError(
                "give one data set, or xs and ys; '\(names[2...].joined(separator: " "))' is one name too many")
        }
        let data: ToyDataset
        let object = try object(named: first)
        if case .object(let set as DatasetObject) = object {
            guard names.count == 1 else {
                throw NotebookError("\(first) is a data set with its own labels; leave out '\(names[1])'")
            }
            data = set.data
        } else {
            guard names.count == 2 else {
                throw NotebookError(
                    "'\(first)' is \(object.typeNameWithArticle), not a data set; give a data set, or the inputs and their targets: \(command) … xs ys"
                )
            }
            // Lists typed in place are called xs and ys in messages, as in the lecture.
            func isName(_ s: String) -> Bool {
                s.first.map { $0.isLetter || $0 == "_" } == true
                    && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            }
            data = try Self.examples(
                inputs: object, isName(first) ? first : "xs",
                targets: try self.object(named: names[1]), isName(names[1]) ? names[1] : "ys")
        }
        if let features, data.features != features {
            throw NotebookError(
                "the examples of \(first) have \(data.features) number\(data.features == 1 ? "" : "s") each, but the network takes \(features) input\(features == 1 ? "" : "s")"
            )
        }
        return data
    }

    /// `xs` and `ys` as typed in the lecture, checked entry by entry.
    private static func examples(inputs: Object, _ xsName: String, targets: Object, _ ysName: String)
        throws(NotebookError) -> ToyDataset
    {
        func number(_ object: Object, _ place: String) throws(NotebookError) -> Double {
            switch object {
            case .int, .float, .bool, .value:
                let n = try object.number(as: place)
                guard n.isFinite else {
                    throw NotebookError("\(place) is \(n.pythonDescription); every number must be finite")
                }
                return n
            default: throw NotebookError("\(place) must be a number, not \(object.typeNameWithArticle)")
            }
        }
        guard case .list(let xs) = inputs else {
            throw NotebookError(
                "\(xsName) must be a list of inputs, e.g. [[2.0, 3.0, -1.0], …], not \(inputs.typeNameWithArticle)")
        }
        guard case .list(let ys) = targets else {
            throw NotebookError(
                "\(ysName) must be a list of targets, e.g. [1.0, -1.0], not \(targets.typeNameWithArticle)")
        }
        guard !xs.items.isEmpty else { throw NotebookError("\(xsName) is empty: there are no examples to use") }
        guard xs.items.count == ys.items.count else {
            let (x, y) = (xs.items.count, ys.items.count)
            throw NotebookError(
                "\(xsName) has \(x) example\(x == 1 ? "" : "s") but \(ysName) has \(y) target\(y == 1 ? "" : "s"); they must pair up"
            )
        }
        var rows: [[Double]] = []
        for (i, row) in xs.items.enumerated() {
            let entries: [Object]
            switch row {
            case .list(let box): entries = box.items
            case .tuple(let box): entries = box.items
            default: throw NotebookError("\(xsName)[\(i)] must be a list of numbers, not \(row.typeNameWithArticle)")
            }
            if let width = rows.first?.count, entries.count != width {
                throw NotebookError(
                    "\(xsName)[\(i)] has \(entries.count) numbers but \(xsName)[0] has \(width); every input needs the same length"
                )
            }
            var numbers: [Double] = []
            for (j, entry) in entries.enumerated() { numbers.append(try number(entry, "\(xsName)[\(i)][\(j)]")) }
            guard !numbers.isEmpty else { throw NotebookError("\(xsName)[\(i)] is empty") }
            rows.append(numbers)
        }
        var targets: [Double] = []
        for (i, y) in ys.items.enumerated() { targets.append(try number(y, "\(ysName)[\(i)]")) }
        return ToyDataset(name: "", inputs: rows, targets: targets)
    }

    /// Command words regrouped into expressions: a list typed with spaces, `[1,` `2]`, is one again.
    static func expressions(_ words: [String]) -> [String] {
        var expressions: [String] = []
        var depth = 0
        for word in words {
            if depth > 0 { expressions[expressions.count - 1] += " " + word } else { expressions.append(word) }
            for c in word {
                if "([{".contains(c) { depth += 1 } else if ")]}".contains(c) { depth = Swift.max(0, depth - 1) }
            }
        }
        return expressions
    }

    /// Assigns `object` to the variable `name`, as `name = …` would.
    func assign(_ object: Object, to name: String) throws(NotebookError) {
        guard let first = name.first, first.isLetter || first == "_",
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else {
            throw NotebookError("'\(name)' is not a name to assign to; use letters, digits and _, e.g. d or model2")
        }
        interpreter.assign(object, toGlobal: name)
    }
}

/// The table describing a network: one row per layer.
func networkTable(_ model: MLP) -> [String] {
    var rows = [["layer", "inputs", "neurons", "nonlinearity", "parameters"]]
    for (i, layer) in model.layers.enumerated() {
        rows.append([
            "\(i)", "\(layer.inputCount)", "\(layer.outputCount)", layer.nonlinearity.rawValue,
            layer.parameterCount.grouped
        ])
    }
    return Table(rows: rows, alignRight: [0, 1, 2, 4]).lines
}

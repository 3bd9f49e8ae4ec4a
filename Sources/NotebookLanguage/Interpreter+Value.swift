// The attributes and methods of `Value` in the notebook, named as in micrograd:
// `data`, `grad`, `label`, `_op`, `_prev`, `exp()`, `tanh()`, `backward()`, …
import Engine

extension Interpreter {
    package static let valueAttributes = [
        "data", "grad", "label", "op", "_op", "_prev", "inputs",
        "exp", "log", "tanh", "relu", "sigmoid", "backward", "zero_grad", "forward"
    ]

    func valueAttribute(_ name: String, of v: Value) throws(NotebookError) -> Object {
        func method(_ body: @escaping () -> Object) -> Object {
            .function(
                Function(name: name) { (args) throws(NotebookError) in
                    try args.expect(atMost: 0)
                    return body()
                })
        }
        switch name {
        case "data": return .float(v.data)
        case "grad": return .float(v.grad)
        case "label": return .string(v.label)
        case "op", "_op": return .string(v.op.symbol)
        case "_prev":
            return .set((try? SetBox(v.inputs.map(Object.value))) ?? SetBox())
        case "inputs": return .list(v.inputs.map(Object.value))
        case "exp": return method { [self] in unary(v, "exp") { $0.exp() } }
        case "log": return method { [self] in unary(v, "log") { $0.log() } }
        case "tanh": return method { [self] in unary(v, "tanh") { $0.tanh() } }
        case "relu": return method { [self] in unary(v, "relu") { $0.relu() } }
        case "sigmoid": return method { [self] in unary(v, "sigmoid") { $0.sigmoid() } }
        case "backward":
            return method { [self] in
                backward(v)
                return .none
            }
        case "zero_grad":
            return method {
                v.zeroGrad()
                return .none
            }
        case "forward":
            return method {
                v.forward()
                return .value(v)
            }
        default:
            throw NotebookError.unknown(
                "Value attribute", name, among: Self.valueAttributes,
                hint: "a Value has data, grad, label and the methods exp() log() tanh() relu() sigmoid() backward()"
            ).typed("AttributeError")
        }
    }

    private func unary(_ v: Value, _ op: String, _ apply: (Value) -> Value) -> Object {
        let result = apply(v)
        checkFinite(op, [v.data], result.data)
        return .value(result)
    }

    func setValueAttribute(_ name: String, of v: Value, to value: Object) throws(NotebookError) {
        switch name {
        case "data": v.data = try value.number(as: "\(v.label.isEmpty ? "a Value" : v.label).data")
        case "grad": v.grad = try value.number(as: "\(v.label.isEmpty ? "a Value" : v.label).grad")
        case "label":
            guard case .string(let s) = value else {
                throw .python("TypeError", "a label must be a string in quotes, e.g. x.label = 'x'")
            }
            v.label = s
        default:
            throw NotebookError.unknown("settable Value attribute", name, among: ["data", "grad", "label"])
                .typed("AttributeError")
        }
    }

    /// `backward()`, warning when gradients were already there: they are added to, as in PyTorch.
    package func backward(_ v: Value) {
        let nonZero = v.topologicalOrder().filter { $0.grad != 0 }
        v.backward()
        host.backwardDidRun(from: v)
        guard !nonZero.isEmpty else { return }
        let name = v.label.isEmpty ? "the graph" : v.label
        warn(
            "\(nonZero.count) node\(nonZero.count == 1 ? "" : "s") of \(name) already had gradients; backward() added to them, as PyTorch does. "
                + "To start from zero, run zero_grad \(v.label.isEmpty ? "NAME" : v.label) (or \(v.label.isEmpty ? "x" : v.label).zero_grad()) before backward."
        )
    }
}

extension Interpreter {
    /// What IPython's `x?` shows of an object: its type, a function's or class's signature, and
    /// its printed form.
    package func describe(_ object: Object) -> [String] {
        func withoutSelf(_ parameters: CompiledParameters) -> String {
            var rest = parameters
            if !rest.positional.isEmpty { rest.positional.removeFirst() }
            return rest.signature
        }
        var lines: [String] = []
        switch object {
        case .closure(let f):
            lines.append("Signature:   \(f.code.name)\(f.code.parameters.signature)")
        case .method(let m):
            lines.append("Signature:   \(m.function.qualifiedName)\(withoutSelf(m.function.code.parameters))")
        case .type(let type):
            if case .closure(let initializer)? = type.lookup("__init__") {
                lines.append("Init signature: \(type.name)\(withoutSelf(initializer.code.parameters))")
            } else {
                lines.append("Init signature: \(type.name)()")
            }
        case .function(let f):
            lines.append("Signature:   \(f.name)(...)")
        default:
            let text = (try? repr(object)) ?? "<\(object.typeName) object>"
            lines.append("String form: " + (text.count > 200 ? String(text.prefix(200)) + "…" : text))
        }
        lines.append("Type:        \(object.typeName)")
        return lines
    }
}

// The modules `import` finds: `math`, `random` (CPython's generator, bit for bit), `gc`, `graphviz`'s
// `Digraph` (drawn in the terminal), `matplotlib.pyplot` (the notebook's own plots), and the
// IPython magics (`%timeit`, `%matplotlib inline`).
import Engine
import Foundation

enum Modules {
    /// Python's `math`, with its errors: `math.log(0)` is "ValueError: math domain error".
    static func math(_ interpreter: Interpreter) -> Object {
        unowned let interpreter = interpreter  // the module lives in the interpreter's own tables
        func real(_ name: String, _ f: @escaping (Double) -> Double) -> (String, Object) {
            (
                name,
                .function(
                    Function(name: "math.\(name)") { (args) throws(NotebookError) in
                        try args.expect(atMost: 1)
                        let x = try args.number(0, "x")
                        let y = f(x)
                        if y.isNaN && !x.isNaN { throw .python("ValueError", "math domain error") }
                        if y.isInfinite && x.isFinite {
                            if name == "log" || name == "log2" || name == "log10" {
                                throw .python("ValueError", "math domain error")
                            }
                            throw .python("OverflowError", "math range error")
                        }
                        return .float(y)
                    })
            )
        }
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) -> (String, Object)
        {
            (name, .function(Function(name: "math.\(name)", call: body)))
        }
        var members: [(String, Object)] = [
            real("exp", Foundation.exp), real("sqrt", Foundation.sqrt), real("sin", Foundation.sin),
            real("cos", Foundation.cos), real("tan", Foundation.tan), real("tanh", Foundation.tanh),
            real("sinh", Foundation.sinh), real("cosh", Foundation.cosh), real("atan", Foundation.atan),
            real("asin", Foundation.asin), real("acos", Foundation.acos), real("log2", Foundation.log2),
            real("log10", Foundation.log10), real("fabs", Swift.abs), real("erf", Foundation.erf),
            real("log1p", Foundation.log1p), real("expm1", Foundation.expm1),
            ("pi", .float(.pi)), ("e", .float(M_E)), ("tau", .float(2 * .pi)), ("inf", .float(.infinity)),
            ("nan", .float(.nan)),
            function("log") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                let x = try args.number(0, "x")
                guard x > 0 else { throw .python("ValueError", "math domain error") }
                guard args.positional.count == 2 else { return .float(Foundation.log(x)) }
                let base = try args.number(1, "base")
                guard base > 0, base != 1 else {
                    throw .python(
                        base == 1 ? "ZeroDivisionError" : "ValueError",
                        base == 1 ? "float division by zero" : "math domain error")
                }
                return .float(Foundation.log(x) / Foundation.log(base))
            },
            function("pow") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                return .float(Foundation.pow(try args.number(0, "x"), try args.number(1, "y")))
            },
            function("atan2") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                return .float(Foundation.atan2(try args.number(0, "y"), try args.number(1, "x")))
            },
            function("floor") { (args) throws(NotebookError) in try integral(args, .down) },
            function("ceil") { (args) throws(NotebookError) in try integral(args, .up) },
            function("trunc") { (args) throws(NotebookError) in try integral(args, .towardZero) },
            function("isnan") { (args) throws(NotebookError) in .bool(try args.number(0, "x").isNaN) },
            function("isinf") { (args) throws(NotebookError) in .bool(try args.number(0, "x").isInfinite) },
            function("isfinite") { (args) throws(NotebookError) in .bool(try args.number(0, "x").isFinite) },
            function("isclose") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["rel_tol", "abs_tol"])
                let a = try args.number(0, "a")
                let b = try args.number(1, "b")
                let relative = try args.number(.max, "rel_tol", default: 1e-9)
                let absolute = try args.number(.max, "abs_tol", default: 0)
                return .bool(a == b || abs(a - b) <= max(relative * max(abs(a), abs(b)), absolute))
            },
            function("factorial") { (args) throws(NotebookError) in
                let n = try args.integer(0, "n")
                guard n >= 0 else { throw .python("ValueError", "factorial() not defined for negative values") }
                var result = 1
                for k in stride(from: 2, through: n, by: 1) {
                    let (r, o) = result.multipliedReportingOverflow(by: k)
                    if o { throw .python("OverflowError", "factorial(\(n)) does not fit in 64 bits") }
                    result = r
                }
                return .int(result)
            },
            function("gcd") { (args) throws(NotebookError) in
                var a = try args.integer(0, "a").magnitude
                var b = try args.integer(1, "b").magnitude
                while b != 0 { (a, b) = (b, a % b) }
                guard a <= UInt(Int.max) else { throw .python("OverflowError", "gcd() does not fit in 64 bits") }
                return .int(Int(a))
            },
            function("prod") { (args) throws(NotebookError) in
                guard let items = args.positional.first else { throw .python("TypeError", "prod() needs an iterable") }
                var total: Object = .int(1)
                for item in try interpreter.items(of: items) { total = try interpreter.binary(.multiply, total, item) }
                return total
            },
            function("fsum") { (args) throws(NotebookError) in
                guard let items = args.positional.first else { throw .python("TypeError", "fsum() needs an iterable") }
                // Neumaier's compensated sum: exact to the last bit for the lectures' sums.
                var sum = 0.0
                var compensation = 0.0
                for item in try interpreter.items(of: items) {
                    let x = try item.number(as: "each item of fsum()")
                    let t = sum + x
                    compensation += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
                    sum = t
                }
                return .float(sum + compensation)
            }
        ]
        members.sort { $0.0 < $1.0 }
        return .object(ModuleObject(name: "math", members: Dictionary(members, uniquingKeysWith: { a, _ in a })))
    }

    /// `time`: the clocks a cell times itself with (`perf_counter`, `time`, `monotonic`) and `sleep`,
    /// which Ctrl-C ends.
    static func time() -> Object {
        func seconds(_ clock: clockid_t) -> Double {
            var now = timespec()
            clock_gettime(clock, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
        }
        func clock(_ name: String, _ id: clockid_t) -> (String, Object) {
            (
                name,
                .function(
                    Function(name: "time.\(name)") { (args) throws(NotebookError) in
                        try args.expect(atMost: 0)
                        return .float(seconds(id))
                    })
            )
        }
        let sleep = Function(name: "time.sleep") { (args) throws(NotebookError) in
            try args.expect(atMost: 1, keywords: ["secs"])
            let secs = try args.number(0, "secs")
            guard secs >= 0, secs.isFinite else {
                throw .python(
                    "ValueError", "sleep length must be a non-negative number of seconds, not \(secs.pythonRepr)")
            }
            let end = seconds(CLOCK_MONOTONIC) + secs
            while true {
                try Interrupt.check()
                let left = end - seconds(CLOCK_MONOTONIC)
                if left <= 0 { break }
                usleep(UInt32(min(left, 0.05) * 1e6))
            }
            return .none
        }
        let members: [String: Object] = Dictionary(
            uniqueKeysWithValues: [
                clock("perf_counter", CLOCK_MONOTONIC), clock("monotonic", CLOCK_MONOTONIC),
                clock("time", CLOCK_REALTIME), ("sleep", .function(sleep))
            ])
        return .object(ModuleObject(name: "time", members: members))
    }

    private static func integral(_ args: Arguments, _ rule: FloatingPointRoundingRule) throws(NotebookError) -> Object {
        try args.expect(atMost: 1)
        guard let x = args.positional.first else { throw .python("TypeError", "needs a number") }
        if case .int = x.withoutBool { return x.withoutBool }
        let d = try x.number(as: "the argument")
        guard d.isFinite else {
            throw .python(d.isNaN ? "ValueError" : "OverflowError", "cannot convert float \(d.pythonRepr) to integer")
        }
        guard abs(d) < 9.2e18 else { throw .python("OverflowError", "\(d.pythonRepr) does not fit in a 64-bit int") }
        return .int(Int(d.rounded(rule)))
    }

    /// Python's `random`: CPython's Mersenne Twister and its algorithms, so that `random.seed(42)`
    /// then `random.uniform(-1, 1)` gives Python's number. Seeded with 0 until `random.seed` is
    /// called (CPython seeds from the system; the notebook stays the same on every run).
    static func random(_ interpreter: Interpreter) -> Object {
        unowned let interpreter = interpreter  // the module lives in the interpreter's own tables
        final class State {
            var generator = PythonRandom(seed: 0)
            var gaussNext: Double?
        }
        let state = State()
        func function(_ name: String, _ body: @escaping (Arguments) throws(NotebookError) -> Object) -> (String, Object)
        {
            (name, .function(Function(name: "random.\(name)", call: body)))
        }
        func below(_ n: Int) -> Int { state.generator.below(wide: n) }
        let members: [(String, Object)] = [
            function("seed") { (args) throws(NotebookError) in
                try args.expect(atMost: 1, keywords: ["a", "version"])
                switch args.value(0, "a") {
                case nil, .none?: state.generator = PythonRandom(seed: 0)
                case .int(let n)?: state.generator = PythonRandom(seed: n)
                case .bool(let b)?: state.generator = PythonRandom(seed: b ? 1 : 0)
                case let other?:
                    throw .python(
                        "TypeError",
                        "random.seed() in the notebook takes a whole number, not \(other.typeNameWithArticle)")
                }
                state.gaussNext = nil
                return .none
            },
            function("random") { (args) throws(NotebookError) in
                try args.expect(atMost: 0)
                return .float(state.generator.random())
            },
            function("uniform") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                let a = try args.number(0, "a")
                let b = try args.number(1, "b")
                return .float(a + (b - a) * state.generator.random())
            },
            function("randint") { (args) throws(NotebookError) in
                try args.expect(atMost: 2)
                let a = try args.integer(0, "a")
                let b = try args.integer(1, "b")
                guard b >= a else { throw .python("ValueError", "empty range in randint(\(a), \(b))") }
                let (span, overflow) = b.subtractingReportingOverflow(a)
                guard !overflow, span < Int.max else {
                    throw .python("OverflowError", "randint(\(a), \(b)): the range is wider than 64 bits")
                }
                return .int(a + below(span + 1))
            },
            function("randrange") { (args) throws(NotebookError) in
                try args.expect(atMost: 3)
                var start = try args.integer(0, "start")
                var stop = try args.integer(1, "stop", default: Int.min)
                let step = try args.integer(2, "step", default: 1)
                if stop == Int.min { (start, stop) = (0, start) }
                guard step != 0 else { throw .python("ValueError", "zero step for randrange()") }
                let count = RangeObject(start, stop, step).count
                guard count > 0 else { throw .python("ValueError", "empty range in randrange(\(start), \(stop))") }
                return .int(start &+ step &* below(count))  // within the range: exact
            },
            function("choice") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                guard let sequence = args.positional.first else {
                    throw .python("TypeError", "choice() needs a sequence")
                }
                let items = try interpreter.items(of: sequence)
                guard !items.isEmpty else { throw .python("IndexError", "Cannot choose from an empty sequence") }
                return items[below(items.count)]
            },
            function("shuffle") { (args) throws(NotebookError) in
                try args.expect(atMost: 1)
                guard case .list(let box)? = args.positional.first else {
                    throw .python("TypeError", "shuffle() needs a list (it shuffles in place)")
                }
                guard box.items.count > 1 else { return .none }
                for i in stride(from: box.items.count - 1, through: 1, by: -1) { box.items.swapAt(i, below(i + 1)) }
                return .none
            },
            function("sample") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["k"])
                guard let population = args.positional.first else {
                    throw .python("TypeError", "sample() needs a population")
                }
                let pool = try interpreter.items(of: population)
                let n = pool.count
                let k = try args.integer(1, "k")
                guard k >= 0, k <= n else {
                    throw .python("ValueError", "Sample larger than population or is negative")
                }
                // CPython's two strategies: a shrinking pool for small populations, a set of picks otherwise.
                var setSize = 21
                if k > 5 {
                    setSize += Int(
                        Foundation.pow(4, Foundation.ceil(Foundation.log(Double(k * 3)) / Foundation.log(4))))
                }
                var result: [Object] = []
                if n <= setSize {
                    var remaining = pool
                    for i in 0..<k {
                        let j = below(n - i)
                        result.append(remaining[j])
                        remaining[j] = remaining[n - i - 1]
                    }
                } else {
                    var selected: Set<Int> = []
                    for _ in 0..<k {
                        var j = below(n)
                        while selected.contains(j) { j = below(n) }
                        selected.insert(j)
                        result.append(pool[j])
                    }
                }
                return .list(result)
            },
            function("gauss") { (args) throws(NotebookError) in
                try args.expect(atMost: 2, keywords: ["mu", "sigma"])
                let mu = try args.number(0, "mu", default: 0)
                let sigma = try args.number(1, "sigma", default: 1)
                var z: Double
                if let next = state.gaussNext {
                    z = next
                    state.gaussNext = nil
                } else {
                    let angle = state.generator.random() * 2 * .pi
                    let radius = Foundation.sqrt(-2 * Foundation.log(1 - state.generator.random()))
                    z = Foundation.cos(angle) * radius
                    state.gaussNext = Foundation.sin(angle) * radius
                }
                return .float(mu + z * sigma)
            },
            function("getrandbits") { (args) throws(NotebookError) in
                let k = try args.integer(0, "k")
                guard k >= 0, k <= 63 else {
                    throw .python("ValueError", "the notebook's getrandbits takes 0 to 63 bits")
                }
                return .int(k == 0 ? 0 : Int(state.generator.bits(k)))
            }
        ]
        return .object(ModuleObject(name: "random", members: Dictionary(members, uniquingKeysWith: { a, _ in a })))
    }
}

extension Interpreter {
    /// The modules the notebook has, and what to use for the ones it has not.
    static let missingModules: [String: String] = [
        "matplotlib": "use import matplotlib.pyplot as plt (plt.plot, plt.hist) or the plot() built-in",
        "pandas": "pandas is not in the notebook",
        "sklearn": "for the moons data set use the data command (data d moons)",
        "os": "the notebook reads files with open(path) and the load command",
        "sys": "sys is not in the notebook"
    ]

    /// `import name`: the module, made on first import.
    func importModule(_ name: String) throws(NotebookError) -> Object {
        if let loaded = modules[name] { return loaded }
        let module: Object
        if let make = providedModules[name] {
            module = make()
            modules[name] = module
            return module
        }
        switch name {
        case "math": module = Modules.math(self)
        case "torch": module = torchModule()
        case "numpy": module = numpyModule()
        case "regex", "re": module = regexModule(name)
        case "unicodedata": module = unicodedataModule()
        case "torch.nn":
            guard case .object(let torch as ModuleObject) = try importModule("torch"), let nn = torch.members["nn"]
            else {
                return .none
            }
            module = nn
        case "torch.nn.functional": module = functionalModule()
        case "torch.optim", "torch.nn.init":
            guard case .object(let torch as ModuleObject) = try importModule("torch") else { return .none }
            let parts = name.split(separator: ".").map(String.init)
            var found: Object? = .object(torch)
            for part in parts.dropFirst() {
                guard case .object(let m as ModuleObject)? = found else { break }
                found = m.members[part]
            }
            module = found ?? .none
        case "random": module = Modules.random(self)
        case "time": module = Modules.time()
        case "graphviz": module = .object(ModuleObject(name: "graphviz", members: ["Digraph": Digraph.type(self)]))
        case "gc":
            // Cycles are collected as CPython's are (CycleHeap); `gc.collect()` runs a collection now.
            let collect = Function(name: "gc.collect") { [unowned self] (args) throws(NotebookError) in
                try args.expect(atMost: 1, keywords: ["generation"])
                return .int(heap.collect())
            }
            module = .object(ModuleObject(name: "gc", members: ["collect": .function(collect)]))
        case "matplotlib":
            module = .object(
                ModuleObject(name: "matplotlib", members: ["pyplot": try importModule("matplotlib.pyplot")]))
        case "matplotlib.pyplot": module = pyplot()
        case "micrograd":
            module = .object(
                ModuleObject(
                    name: "micrograd",
                    members: ["engine": try importModule("micrograd.engine"), "nn": try importModule("micrograd.nn")]))
        case "micrograd.engine":
            // micrograd's engine is the notebook's built-in Value.
            module = .object(ModuleObject(name: name, members: ["Value": builtin("Value") ?? .none]))
        case "micrograd.nn":
            // micrograd's nn.py: the built-in networks with its defaults, ReLU neurons and a linear
            // last layer (`nonlin=False` makes a neuron or layer linear).
            var members: [String: Object] = ["Value": builtin("Value") ?? .none]
            for member in ["Neuron", "Layer", "MLP"] {
                guard let made = builtin(member) else { continue }
                members[member] = .function(
                    Function(name: member) { [unowned self] (args) throws(NotebookError) in
                        var keywords = args.keywords.filter { $0.name != "nonlin" }
                        if member == "MLP" {
                            keywords += [("nonlin", .string("relu")), ("last", .string("linear"))]
                        } else {
                            let nonlin =
                                try args.keywords.first { $0.name == "nonlin" }.map { (k) throws(NotebookError) in
                                    try truth(k.value)
                                } ?? true
                            keywords.append(("nonlin", .string(nonlin ? "relu" : "linear")))
                        }
                        return try call(made, args.positional, keywords)
                    })
            }
            module = .object(ModuleObject(name: name, members: members))
        default:
            let top = String(name.split(separator: ".").first ?? Substring(name))
            let hint =
                Self.missingModules[top].map { "; \($0)" }
                ?? " (it has math, random, time, re, numpy, torch, graphviz, matplotlib.pyplot and micrograd)"
            throw .python("ModuleNotFoundError", "No module named '\(name)' in the notebook\(hint)")
        }
        modules[name] = module
        return module
    }

    /// `matplotlib.pyplot`: the notebook's own `plot` and `hist`, drawn in the terminal; `show`,
    /// `figure` and the other calls that only arrange a figure do nothing.
    private func pyplot() -> Object {
        var members: [String: Object] = [:]
        for name in ["plot", "hist"] { if let f = builtin(name) { members[name] = f } }
        for name in [
            "show", "figure", "legend", "grid", "title", "xlabel", "ylabel", "tight_layout", "axis", "ylim", "xlim"
        ] {
            members[name] = .function(Function(name: "plt.\(name)") { _ in .none })
        }
        return .object(ModuleObject(name: "matplotlib.pyplot", members: members))
    }

    /// `%timeit STMT` and the notebook magics that mean nothing here (`%matplotlib inline`).
    func magic(_ name: String, _ argument: String) throws(NotebookError) {
        switch name {
        case "matplotlib", "config", "load_ext", "autoreload", "reload_ext", "pylab":
            return
        case "timeit":
            try timeit(argument)
        default:
            throw .python(
                "UsageError",
                "Line magic function `%\(name)` not found (the notebook has %timeit; %matplotlib and %config are accepted)"
            )
        }
    }

    /// `%timeit STMT`: as IPython, the best loop count for about 0.2 s, then 7 runs of it.
    private func timeit(_ source: String) throws(NotebookError) {
        guard !source.allSatisfy(\.isWhitespace) else {
            throw .python("UsageError", "%timeit needs a statement to time")
        }
        var compiler = Compiler(interpreter: self, interactive: false)
        let nodes = try compiler.compile(try Parser.parse(source))
        let frame = Frame.make(slots: 0, parent: nil)
        func time(_ loops: Int) throws(NotebookError) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<loops {
                try Tape.withNew { () throws(NotebookError) in _ = try nodes.run(frame) }
                try Interpreter.tick()
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var loops = 1
        while loops < 10_000_000 {
            if try time(loops) >= 0.2 { break }
            loops *= 10
        }
        var runs: [Double] = []
        for _ in 0..<7 { runs.append(try time(loops) / Double(loops)) }
        let mean = runs.reduce(0, +) / 7
        let deviation = Foundation.sqrt(runs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7)
        func shown(_ seconds: Double) -> String {
            if seconds >= 1 { return String(format: "%.3g s", seconds) }
            if seconds >= 1e-3 { return String(format: "%.3g ms", seconds * 1e3) }
            if seconds >= 1e-6 { return String(format: "%.3g µs", seconds * 1e6) }
            return String(format: "%.3g ns", seconds * 1e9)
        }
        write(
            "\(shown(mean)) ± \(shown(deviation)) per loop (mean ± std. dev. of 7 runs, \(loops) loop\(loops == 1 ? "" : "s") each)\n"
        )
    }
}

/// graphviz's `Digraph`, enough for the lecture's `draw_dot`: nodes with labels, edges, and a
/// drawing in the terminal when it is shown.
final class Digraph: NotebookObject {
    static let typeName = "Digraph"
    var nodes: [(name: String, label: String, shape: String)] = []
    var edges: [(from: String, to: String)] = []
    unowned let interpreter: Interpreter

    init(interpreter: Interpreter) { self.interpreter = interpreter }

    static func type(_ interpreter: Interpreter) -> Object {
        unowned let interpreter = interpreter  // the module lives in the interpreter's own tables
        return .object(
            BuiltinType("Digraph", matches: { if case .object(let o) = $0 { o is Digraph } else { false } }) { _ in
                .object(Digraph(interpreter: interpreter))
            })
    }

    var description: String { interpreter.host.drawDigraph(nodes: nodes, edges: edges) }
    var attributeNames: [String] { ["node", "edge", "source"] }

    func attribute(_ name: String) throws(NotebookError) -> Object {
        switch name {
        case "node":
            return .function(
                Function(name: "node") { [self] (args) throws(NotebookError) in
                    let id = try args.string(0, "name")
                    let label = try args.string(1, "label", default: id)
                    let shape = try args.string(.max, "shape", default: "ellipse")
                    if let i = nodes.firstIndex(where: { $0.name == id }) {
                        nodes[i] = (id, label, shape)
                    } else {
                        nodes.append((id, label, shape))
                    }
                    return .none
                })
        case "edge":
            return .function(
                Function(name: "edge") { [self] (args) throws(NotebookError) in
                    edges.append((try args.string(0, "tail_name"), try args.string(1, "head_name")))
                    return .none
                })
        case "source":
            var lines = ["digraph {"]
            for n in nodes { lines.append("\t\(n.name) [label=\(n.label.pythonRepr) shape=\(n.shape)]") }
            for e in edges { lines.append("\t\(e.from) -> \(e.to)") }
            return .string((lines + ["}"]).joined(separator: "\n"))
        default:
            throw .python("AttributeError", "the notebook's Digraph has node(), edge() and source, not '\(name)'")
        }
    }
}

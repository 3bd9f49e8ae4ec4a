// For scale beside the interpreter benchmark's CPython peer, two kinds of measurement of the same
// programs, in the same rounds:
// - micrograd's program written in Swift and compiled (NativeMicrograd), built as the interpreter
//   is: no interpreter built on Swift's objects runs the program faster than its compiled form;
// - both programs written in Lua and run, when they are installed, by Lua 5.4 (a register-based
//   bytecode interpreter written in C) and LuaJIT 2.1 (an interpreter written in assembly, run once
//   with its tracing JIT compiler off and once with it on): where the fastest dynamic-language
//   implementations land against CPython on the same work.
// Together they show what the goal of 3× CPython asks of the notebook.
//
// Each port makes the same objects and calls as the Python program: micrograd's values are objects
// (tables with a metatable for the operators, in Lua) each with its backward closure and its set of
// children, and the network's weights are the ones CPython's `random.uniform(-1, 1)` draws after
// `seed(42)`, so that each port's loss must agree with CPython's, which the report checks. Lua's
// timer is `os.clock` (processor time), so Lua is set against CPython's processor time.
import Engine
import Foundation
import NativeMicrograd

/// The runs for scale of one benchmark program.
final class ScaleRuns {
    private let compiled: (() -> Double)?
    private var compiledSeconds: [Double] = []
    private var compiledResult: Double?
    private let luas: [(name: String, session: PeerSession)]
    private var luaSeconds: [[Double]]
    private var luaResults: [Double?]

    init(program name: String) {
        compiled = name.hasPrefix("micrograd") ? { NativeMicrograd.train(weights: LuaPeers.weights) } : nil
        luas =
            LuaPeers.port(of: name).map { port in
                LuaPeers.installed().compactMap { lua in
                    PeerSession(executable: lua.executable, arguments: lua.options + ["-e", LuaPeers.harness(port)])
                        .map { (lua.name, $0) }
                }
            } ?? []
        luaSeconds = Array(repeating: [], count: luas.count)
        luaResults = Array(repeating: nil, count: luas.count)
    }

    /// One round of each.
    func runRound() {
        if let compiled {
            let clock = ContinuousClock()
            let start = clock.now
            compiledResult = compiled()
            let duration = clock.now - start
            compiledSeconds.append(
                Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
        }
        for (index, lua) in luas.enumerated() {
            guard let reply = lua.session.ask("run") else { continue }
            let fields = reply.split(separator: "\t").compactMap { Double($0) }
            guard fields.count == 2 else { continue }
            luaSeconds[index].append(fields[0])
            luaResults[index] = fields[1]
        }
    }

    /// The report's lines: each best round against CPython's, and a warning where a result is not
    /// the number CPython printed (the first number of its last line).
    func report(cpython: Double, cpythonProcessor: Double, printed: String) -> [String] {
        let expected = printed.split(separator: " ").first.flatMap { Double($0) }
        func checked(_ text: String, _ result: Double) -> String {
            expected.map { abs($0 - result) <= 1e-9 * max(1, abs($0)) } == true
                ? text : text + " — RESULT DIFFERS: \(result) against CPython's \(printed)"
        }
        var lines: [String] = []
        if let best = compiledSeconds.min(), let result = compiledResult {
            let text = String(format: "%.1f ms (%.2f× CPython)", best * 1e3, cpython / best)
            lines.append(
                "  for scale, the same program compiled (Swift, built as the interpreter is): " + checked(text, result))
        }
        let luaParts = zip(luas, zip(luaSeconds, luaResults)).compactMap { lua, measured -> String? in
            guard let best = measured.0.min(), let result = measured.1 else { return nil }
            return checked(String(format: "%@ %.1f ms (%.2f×)", lua.name, best * 1e3, cpythonProcessor / best), result)
        }
        if !luaParts.isEmpty {
            lines.append(
                String(
                    format: "  for scale, in processor time against CPython's %.1f ms, in Lua: ", cpythonProcessor * 1e3
                )
                    + luaParts.joined(separator: ", "))
        }
        return lines
    }
}

enum LuaPeers {
    /// A Lua implementation: its name in the report, its program and its arguments before `-e`.
    struct Implementation {
        let name: String
        let executable: String
        let options: [String]
    }

    /// The implementations found on the PATH.
    static func installed() -> [Implementation] {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func find(_ name: String) -> String? {
            searchPath.split(separator: ":").map { "\($0)/\(name)" }.first {
                FileManager.default.isExecutableFile(atPath: $0)
            }
        }
        var found: [Implementation] = []
        if let lua = find("lua5.4") { found.append(Implementation(name: "Lua 5.4", executable: lua, options: [])) }
        if let luajit = find("luajit") {
            found.append(Implementation(name: "LuaJIT 2.1 interpreter", executable: luajit, options: ["-joff"]))
            found.append(Implementation(name: "LuaJIT 2.1 JIT", executable: luajit, options: []))
        }
        return found
    }

    /// The Lua port of the benchmark program called `name`, or nil when it has none.
    static func port(of name: String) -> String? {
        if name.hasPrefix("scalar loop") { return loop }
        if name.hasPrefix("micrograd") { return micrograd(weights: weights.map { "\($0)" }.joined(separator: ", ")) }
        return nil
    }

    /// A harness around `body` (a chunk that returns the number the Python program prints): it
    /// answers each `run` line with its seconds and that number, tab-separated.
    static func harness(_ body: String) -> String {
        """
        local run = load([==[\(body)]==])
        io.write('ready\\n'); io.stdout:flush()
        for _ in io.lines() do
          local start = os.clock()
          local result = run()
          io.write(string.format('%.9f\\t%.10f\\n', os.clock() - start, result)); io.stdout:flush()
        end
        """
    }

    /// The scalar loop.
    static let loop = """
        local x, hits = 0.0, 0
        for i = 0, 999999 do
          x = x * 0.999 + 1.0
          if i % 3 == 0 then hits = hits + 1 end
        end
        return x
        """

    /// The 41 weights and biases the Python program draws, in its order (each unit's weights, then
    /// its bias): CPython's `random.uniform(-1, 1)` after `random.seed(42)`, `-1 + 2 * random()`.
    static let weights: [Double] = {
        var random = PythonRandom(seed: 42)
        return (0..<41).map { _ in -1 + 2 * random.random() }
    }()

    /// micrograd's 20 training steps, as the Python program takes them.
    static func micrograd(weights: String) -> String {
        """
        local W, drawn = {\(weights)}, 0
        local function uniform() drawn = drawn + 1; return W[drawn] end
        local Scalar = {}
        Scalar.__index = Scalar
        local function none() end
        local function new(data, children, op)
          local prev = {}
          if children then for _, c in ipairs(children) do prev[c] = true end end
          return setmetatable({data = data, grad = 0.0, _backward = none, _prev = prev, _op = op or ''}, Scalar)
        end
        local function lift(x) if getmetatable(x) == Scalar then return x end return new(x) end
        function Scalar.__add(a, b)
          a, b = lift(a), lift(b)
          local out = new(a.data + b.data, {a, b}, '+')
          out._backward = function() a.grad = a.grad + out.grad; b.grad = b.grad + out.grad end
          return out
        end
        function Scalar.__mul(a, b)
          a, b = lift(a), lift(b)
          local out = new(a.data * b.data, {a, b}, '*')
          out._backward = function() a.grad = a.grad + b.data * out.grad; b.grad = b.grad + a.data * out.grad end
          return out
        end
        function Scalar.__pow(a, k)
          local out = new(a.data ^ k, {a}, '**' .. k)
          out._backward = function() a.grad = a.grad + k * a.data ^ (k - 1) * out.grad end
          return out
        end
        function Scalar.__unm(a) return a * -1 end
        function Scalar.__sub(a, b) return a + (-b) end
        function Scalar:tanh()
          local t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
          local out = new(t, {self}, 'tanh')
          out._backward = function() self.grad = self.grad + (1 - t ^ 2) * out.grad end
          return out
        end
        function Scalar:backward()
          local order, seen = {}, {}
          local function visit(v)
            if not seen[v] then
              seen[v] = true
              for child in pairs(v._prev) do visit(child) end
              order[#order + 1] = v
            end
          end
          visit(self)
          self.grad = 1.0
          for i = #order, 1, -1 do order[i]._backward() end
        end
        local Unit, Row, Net = {}, {}, {}
        Unit.__index, Row.__index, Net.__index = Unit, Row, Net
        function Unit.new(nin)
          local w = {}
          for i = 1, nin do w[i] = new(uniform()) end
          return setmetatable({w = w, b = new(uniform())}, Unit)
        end
        function Unit:__call(x)
          local s = self.b
          for i, wi in ipairs(self.w) do s = s + wi * x[i] end
          return s:tanh()
        end
        function Unit:parameters()
          local ps = {}
          for i, wi in ipairs(self.w) do ps[i] = wi end
          ps[#ps + 1] = self.b
          return ps
        end
        function Row.new(nin, nout)
          local units = {}
          for i = 1, nout do units[i] = Unit.new(nin) end
          return setmetatable({units = units}, Row)
        end
        function Row:__call(x)
          local out = {}
          for i, u in ipairs(self.units) do out[i] = u(x) end
          if #out == 1 then return out[1] end
          return out
        end
        function Row:parameters()
          local ps = {}
          for _, u in ipairs(self.units) do for _, p in ipairs(u:parameters()) do ps[#ps + 1] = p end end
          return ps
        end
        function Net.new(nin, nouts)
          local sizes, rows = {nin}, {}
          for i, n in ipairs(nouts) do sizes[i + 1] = n end
          for i = 1, #nouts do rows[i] = Row.new(sizes[i], sizes[i + 1]) end
          return setmetatable({rows = rows}, Net)
        end
        function Net:__call(x)
          for _, row in ipairs(self.rows) do x = row(x) end
          return x
        end
        function Net:parameters()
          local ps = {}
          for _, row in ipairs(self.rows) do for _, p in ipairs(row:parameters()) do ps[#ps + 1] = p end end
          return ps
        end
        local net = Net.new(3, {4, 4, 1})
        local xs = {{2.0, 3.0, -1.0}, {3.0, -1.0, 0.5}, {0.5, 1.0, 1.0}, {1.0, 1.0, -1.0}}
        local ys = {1.0, -1.0, -1.0, 1.0}
        local loss
        for k = 0, 19 do
          local preds = {}
          for i, x in ipairs(xs) do preds[i] = net(x) end
          loss = 0
          for i, y in ipairs(ys) do loss = loss + (preds[i] - y) ^ 2 end
          for _, p in ipairs(net:parameters()) do p.grad = 0.0 end
          loss:backward()
          for _, p in ipairs(net:parameters()) do p.data = p.data + -0.1 * p.grad end
        end
        return loss.data
        """
    }
}

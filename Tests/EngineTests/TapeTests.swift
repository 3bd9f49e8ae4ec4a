// The tape under `Value`: identity of values, graphs spread over several tapes backpropagating
// exactly as on one, and memory that stays bounded when every step has a tape of its own.
import Foundation
import Testing

@testable import Engine

@Suite("Tape")
struct TapeTests {
    // MARK: Identity

    @Test func valuesAreEqualWhenTheyNameTheSameNode() {
        Tape.withNew {
            let a = Value(2.0)
            let b = Value(2.0)
            let copy = a
            #expect(a == copy && a != b)
            #expect(Set([a, b, copy]).count == 2)
            copy.label = "a"  // a copy names the same node
            copy.data = 5
            #expect(a.label == "a" && a.data == 5)
            let c = a * b
            #expect(c.lhs == a && c.rhs == b && c.inputs == [a, b])
            #expect([a: 1, c: 2][c] == 2)
        }
    }

    @Test func theSamePositionOnAnotherTapeIsAnotherValue() {
        let first = Tape.withNew { Value(1.0) }
        let second = Tape.withNew { Value(1.0) }
        #expect(first.index == second.index && first != second && first.hashValue != second.hashValue)
    }

    // MARK: Graphs across tapes

    /// The same random expressions built on one tape and spread over many (a new tape every few
    /// ops, so inputs keep crossing tapes): every node's data and grad are the same bits, in the
    /// same topological order.
    @Test(arguments: 0..<20) func spreadOverTapesBackpropagatesAsOne(seed: Int) {
        let single = Tape.withNew { randomGraph(seed: seed, tapeEvery: nil) }
        let spread = Tape.withNew { randomGraph(seed: seed, tapeEvery: 2) }
        let one = single.topologicalOrder()
        let many = spread.topologicalOrder()
        #expect(Set(one.map { ObjectIdentifier($0.tape) }).count == 1)
        #expect(Set(many.map { ObjectIdentifier($0.tape) }).count > 1)
        #expect(one.count == many.count)
        for (x, y) in zip(one, many) {
            #expect(x.op == y.op && x.label == y.label)
            #expect(x.data.bitPattern == y.data.bitPattern && x.grad.bitPattern == y.grad.bitPattern)
            #expect(x.inputs.map(\.label) == y.inputs.map(\.label))
        }
    }

    /// A value imported twice into a tape takes one slot, and its input is the original value.
    @Test func importsAreTransparentAndShared() {
        let a = Tape.withNew { Value(3.0, label: "a") }
        let (b, tape) = Tape.withNew { (a * a + a, Tape.current) }
        #expect(b.tape === tape && a.tape !== tape)
        #expect(b.lhs?.lhs == a && b.rhs == a)
        #expect(tape.imports.count == 1)
        b.backward()
        #expect(a.grad == 2 * 3 + 1)
    }

    /// Past the short list that is searched, imports are found through the index: still one slot each.
    @Test(arguments: [3, 8, 9, 40]) func manyImportsTakeOneSlotEach(count: Int) {
        let xs = Tape.withNew { (0..<count).map { Value(Double($0 + 1)) } }
        let (sum, tape) = Tape.withNew {
            var sum = xs[0] * xs[0]
            for x in xs.dropFirst() + xs { sum = sum + x * x }  // every x imported, then used again
            return (sum, Tape.current)
        }
        #expect(tape.imports.count == count)
        #expect(Set(sum.topologicalOrder()).isSuperset(of: xs))
        sum.backward()
        #expect(xs.map(\.grad) == xs.map { 2 * 2 * $0.data })  // each x squared twice: d/dx = 2 · 2x
    }

    // MARK: Memory

    @Test func aTapeIsFreedWithItsLastValue() {
        weak var inner: Tape?
        let sum = Tape.withNew {
            let x = Value(1.0)
            let y = Value(2.0)
            inner = Tape.current
            return (x + y).data
        }
        #expect(sum == 3 && inner == nil)
    }

    /// A value keeps its tape alive; a later tape that imported it keeps it alive too.
    @Test func importsKeepTheirTapesAlive() {
        weak var first: Tape?
        var later: Value? = Tape.withNew {
            let a = Tape.withNew { () -> Value in
                first = Tape.current
                return Value(2.0)
            }
            return a * 3
        }
        #expect(first != nil)
        later?.backward()
        #expect(later?.inputs[0].grad == 3)
        later = nil
        #expect(first == nil)
    }

    /// 300 training steps add nothing to the parameters' tape or the current one, and the steps'
    /// tapes are gone once each step returns.
    @Test func trainingStepsTakeTheMemoryOfOne() {
        Tape.withNew {
            let model = MLP(2, [4, 1], nonlinearity: .relu, generator: TorchGenerator(seed: 7))
            let data = ToyDataset.moons(count: 8, noise: 0.1, generator: TorchGenerator(seed: 8))
            var sgd = ValueSGD(learningRate: 0.05)
            let parameterTape = model.parameters()[0].tape
            let nodes = parameterTape.count
            let current = Tape.current
            let currentNodes = current.count
            for _ in 0..<300 { _ = model.trainingStep(on: data, loss: .hinge, alpha: 1e-4, optimizer: &sgd) }
            #expect(parameterTape.count == nodes && current.count == currentNodes)
        }
    }

    /// A chain of 100,000 tapes, each importing the one before, is freed without recursing.
    @Test func aLongChainOfTapesIsFreedIteratively() {
        weak var first: Tape?
        var v: Value? = Tape.withNew {
            var v = Value(1.0)
            first = v.tape
            for _ in 0..<100_000 {
                Tape.startNew()
                v = v + 1
            }
            return v
        }
        #expect(v?.data == 100_001 && first != nil)
        v = nil
        #expect(first == nil)
    }

    // MARK: Threads

    /// Each thread has a default tape of its own.
    @Test func threadsHaveTheirOwnTapes() {
        let here = ObjectIdentifier(Tape.current)
        let there = ThreadResult()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let x = Value(2.0)
            let y = x * x
            y.backward()
            there.set(ObjectIdentifier(Tape.current), x.grad)
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(there.tape != here && there.grad == 4)
    }
}

/// What the thread in `threadsHaveTheirOwnTapes` saw.
private final class ThreadResult: @unchecked Sendable {
    private(set) var tape: ObjectIdentifier?
    private(set) var grad = 0.0
    func set(_ tape: ObjectIdentifier, _ grad: Double) { (self.tape, self.grad) = (tape, grad) }
}

/// A random expression over a few leaves with every op, `Value.dot` included, backpropagated;
/// with `tapeEvery`, a fresh tape is started every that many ops.
private func randomGraph(seed: Int, tapeEvery: Int?) -> Value {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
    var pool = (0..<4).map { Value(Double($0) * 0.5 - 0.7, label: "x\($0)") }
    for i in 0..<30 {
        if let tapeEvery, i % tapeEvery == 0 { Tape.startNew() }
        let x = pool[next(pool.count)]
        let y = pool[next(pool.count)]
        let z = pool[next(pool.count)]
        let made: Value
        switch next(8) {
        case 0: made = x + y
        case 1: made = x * y
        case 2: made = (x * 0.3).tanh()
        case 3: made = x - 2 * y
        case 4: made = Value.dot([x, y], [z, pool[0]], bias: y)
        case 5: made = x.relu() + y.sigmoid()
        case 6: made = (x * x + 1).pow(0.5)
        default: made = x / (y * y + 1)
        }
        made.label = "v\(i)"
        pool.append(made)
    }
    var root = pool.last!
    for value in pool.suffix(6) { root = root + value }
    root.backward()
    return root
}

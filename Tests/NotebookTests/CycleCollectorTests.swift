// The cycle collector: objects that refer to each other in a cycle are freed once nothing else
// refers to them, as CPython's gc frees them, and nothing that is still reachable is touched.
// Each test runs cells in a session and looks at its interpreter's heap (how many objects are
// tracked, how many were collected) and at what the cells print.
import Testing

@testable import Notebook
@testable import NotebookLanguage

@Suite("Python: cycles are collected")
struct CycleCollectorTests {
    /// micrograd's shape: each node's `_backward` closure keeps the frame that made it, which keeps
    /// the node. A loop that makes and drops such graphs must not keep them.
    static let scalarClass = """
        class Node:
            def __init__(self, data, children=()):
                self.data = data
                self.grad = 0.0
                self._backward = lambda: None
                self._prev = set(children)
            def __mul__(self, other):
                out = Node(self.data * other.data, (self, other))
                def _backward():
                    self.grad += other.data * out.grad
                    other.grad += self.data * out.grad
                out._backward = _backward
                return out
        """

    @Test("graphs of cycles made and dropped in a loop are freed, and the loop's result is right")
    func loopOfCyclesIsFreed() {
        let (session, output) = makeSession()
        session.execute(Self.scalarClass)
        session.execute(
            """
            total = 0.0
            for i in range(30000):
                a = Node(2.0)
                b = a * Node(3.0)
                b.grad = 1.0
                b._backward()
                total += a.grad
            print(total)
            """)
        #expect(output.text.hasSuffix("90000.0\n"))
        let heap = session.interpreter.heap
        #expect(heap.collected > 100_000)  // 30,000 turns of 11 tracked objects each
        #expect(heap.count < 2 * CycleHeap.defaultMinimum)
    }

    @Test("a collection leaves everything reachable intact: globals, closures' frames, nested cycles")
    func reachableObjectsSurvive() {
        let (session, output) = makeSession()
        session.execute(Self.scalarClass)
        session.execute(
            """
            import gc
            keep = Node(5.0) * Node(7.0)
            ring = []
            ring.append(ring)
            d = {'self': None}
            d['self'] = d
            def counter():
                n = [0]
                def step():
                    n[0] += 1
                    return n[0]
                return step
            tick = counter()
            _ = tick()
            class Holder:
                def hello(self):
                    return 'hi'
            h = Holder()
            h.me = h
            h.bound = h.hello
            for i in range(3):
                _ = Node(1.0) * Node(2.0)
            _ = gc.collect()
            keep.grad = 1.0
            keep._backward()
            print(keep.data, [c.grad for c in sorted(keep._prev, key=lambda c: c.data)])
            print(ring[0] is ring, d['self'] is d, tick(), h.me is h, h.bound())
            """)
        #expect(output.text == "35.0 [7.0, 5.0]\nTrue True 2 True hi\n")
    }

    @Test("gc.collect() returns what it freed: lists, dicts, instances and frames in cycles")
    func collectCountsWhatItFreed() {
        let (session, output) = makeSession()
        session.execute(Self.scalarClass)
        session.execute(
            """
            import gc
            _ = gc.collect()
            a = []
            a.append(a)
            d = {}
            d['d'] = d
            del a, d
            print(gc.collect())
            n = Node(1.0) * Node(2.0)
            del n
            print(gc.collect() >= 8)
            print(gc.collect())
            """)
        #expect(output.text == "2\nTrue\n0\n")
    }

    @Test(
        "functions and tuples that hold nothing the heap tracks are left to reference counting; the others are tracked")
    func plainFunctionsAreNotTracked() {
        let (session, output) = makeSession()
        session.execute("import gc")
        let heap = session.interpreter.heap
        var before = heap.count
        session.execute("plain = [lambda: None for _ in range(100)]")
        #expect(heap.count - before <= 2)  // the list (and no function)
        before = heap.count
        session.execute("def outer(x):\n    return lambda: x\nclosures = [outer(i) for i in range(100)]")
        #expect(heap.count - before >= 200)  // each closure and the frame it keeps
        before = heap.count
        session.execute("defaults = [(lambda a=[]: a) for _ in range(50)]")
        #expect(heap.count - before >= 50)
        before = heap.count
        session.execute("keys = [(str(i), i, 0.5, None) for i in range(100)]")
        #expect(heap.count - before <= 2)  // the list (and no tuple of atoms)
        before = heap.count
        session.execute("pairs = [(i, [i]) for i in range(100)]")
        #expect(heap.count - before >= 200)  // each tuple and its list
        session.execute("t = ([],)\nt[0].append(t)\ndel t")
        session.execute(
            """
            l = []
            g = lambda a=l: a
            l.append(g)
            del l, g
            print(gc.collect(), len(plain), plain[0](), closures[7](), keys[3], pairs[5])
            """)
        #expect(output.text == "4 100 None 7 ('3', 3, 0.5, None) (5, [5])\n")
    }

    @Test("a long chain of garbage is freed without deep recursion")
    func longChainIsFreed() {
        let (session, output) = makeSession()
        session.execute(
            """
            import gc
            class Link:
                pass
            head = None
            for i in range(200000):
                link = Link()
                link.next = head
                link.me = link
                head = link
            head = None
            link = None
            print(gc.collect())
            """)
        #expect(output.text == "200000\n")
    }

    @Test("super() in a method whose class was collected is a one-line error, and works while it lives")
    func superAfterTheClassIsGone() {
        let (session, output) = makeSession()
        session.execute(
            """
            import gc
            class Base:
                def hello(self):
                    return 'base'
            class Child(Base):
                def hello(self):
                    return 'child+' + super().hello()
            f = Child.hello
            print(f(Child()))
            del Child
            _ = gc.collect()
            """)
        session.execute("f(Base())")
        #expect(output.text.hasPrefix("child+base\n"))
        #expect(
            output.text.hasSuffix(
                "RuntimeError: super(): this method's class no longer exists (it was deleted); call the method through a class that does\n"
            ))
    }

    @Test("collections at every checkpoint change no result: micrograd's training loop prints the same loss")
    func frequentCollectionsChangeNothing() throws {
        func loss(threshold: Int?) -> String {
            let (session, output) = makeSession()
            if let threshold { session.interpreter.heap.minimumThreshold = threshold }
            session.execute(Self.scalarClass)
            session.execute(
                """
                class Sum:
                    def __init__(self, items):
                        self.items = items
                        self.by_name = {'first': items[0]}
                        self.parts = [(i, x) for i, x in enumerate(items)]
                total = 0.0
                for step in range(300):
                    nodes = [Node(float(i % 7) + 0.5) for i in range(6)]
                    out = nodes[0]
                    for n in nodes[1:]:
                        out = out * n
                    s = Sum(nodes)
                    out.grad = 1.0
                    out._backward()
                    total += sum(p.grad for p in s.items) + len(s.parts) + s.by_name['first'].data
                print(total)
                """)
            if threshold != nil {  // collections did run, in the middle of the loop
                #expect(session.interpreter.heap.collected > 1_000)
            }
            return output.text
        }
        let normal = loss(threshold: nil)
        #expect(normal.hasSuffix("\n") && !normal.contains("rror"))
        #expect(loss(threshold: 8) == normal)
    }

    @Test("a session's cycles are freed with it")
    func cyclesGoWithTheSession() throws {
        weak var probe: Instance?
        weak var interpreterProbe: Interpreter?
        weak var sessionProbe: Session?
        do {
            let (session, output) = makeSession()
            interpreterProbe = session.interpreter
            sessionProbe = session
            session.execute(Self.scalarClass)
            session.execute("n = Node(2.0) * Node(3.0)")
            guard case .instance(let instance)? = session.interpreter.variables["n"] else {
                Issue.record("n is not an instance: \(output.text)")
                return
            }
            probe = instance
        }
        let (interpreterFreed, instanceFreed) = (interpreterProbe == nil, probe == nil)
        let sessionFreed = sessionProbe == nil
        #expect(sessionFreed)
        #expect(interpreterFreed)
        #expect(instanceFreed)
    }

    @Test("reset frees the cycles the variables held")
    func resetCollects() {
        let (session, _) = makeSession()
        session.execute(Self.scalarClass)
        session.execute("graphs = [Node(float(i)) * Node(2.0) for i in range(100)]")
        let before = session.interpreter.heap.count
        session.execute("reset")
        #expect(before > 800)
        #expect(session.interpreter.heap.count < 50)
    }
}

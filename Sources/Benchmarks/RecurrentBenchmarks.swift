// Benchmarks of training makemore.py's recurrent models the way `fit` does (the Trainer with the kind's
// default optimizer, AdamW): one step at makemore's configuration (n_embd 64, n_embd2 64, block 16,
// batch 32), against makemore.py's own model in PyTorch in the same run. makemore.py has no LSTM, so the
// LSTM's bar is PyTorch's GRU (an LSTM cell does more work).
import Engine
import Makemore

enum RecurrentBenchmarks {
    static let rnn = benchmark(.rnn, peer: "rnn", goal: 3.3)
    static let gru = benchmark(.gru, peer: "gru", goal: 3.5)
    static let lstm = benchmark(.lstm, peer: "gru", goal: 1)

    /// `NAME: X ms/step (Y steps/s); PyTorch …`.
    static func benchmark(_ kind: ModelConfiguration.Kind, peer: String, goal: Double) -> Benchmark {
        let name = kind.rawValue
        let against = peer == name ? "PyTorch" : "PyTorch's \(peer.uppercased())"
        return Benchmark(
            name: name,
            summary:
                "one fit step of makemore.py's \(name.uppercased()) (block 16, embedding 64, hidden 64, batch 32, AdamW) vs \(against)"
        ) {
            [
                MakemoreBenchmarks.line(
                    name, .recurrent(kind), stepsPerCall: 100, learningRate: 5e-4, peer: peer, goal: goal)
            ]
        }
    }
}

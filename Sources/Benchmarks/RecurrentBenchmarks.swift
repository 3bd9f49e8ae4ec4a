// Benchmarks of training makemore.py's recurrent models the way `fit` does (the Trainer with the kind's
// default optimizer, AdamW): one step at makemore's configuration (n_embd 64, n_embd2 64, block 16,
// batch 32). PyTorch's figures were measured on this machine (2 cores); the target is to beat them.
// PyTorch has no makemore LSTM, so the LSTM's bar is the GRU's figure (an LSTM cell does more work).
import Engine
import Makemore

enum RecurrentBenchmarks {
    /// PyTorch's steps per second on this machine: makemore.py's RNN and GRU.
    static let pytorchRNNStepsPerSecond = 515.0, pytorchGRUStepsPerSecond = 183.0

    static let rnn = benchmark(.rnn, pytorch: pytorchRNNStepsPerSecond, note: "PyTorch ≈ 515 steps/s on this machine")
    static let gru = benchmark(.gru, pytorch: pytorchGRUStepsPerSecond, note: "PyTorch ≈ 183 steps/s on this machine")
    static let lstm = benchmark(
        .lstm, pytorch: pytorchGRUStepsPerSecond, note: "no PyTorch figure; the bar is PyTorch's GRU, 183 steps/s")

    /// `NAME: X ms/step (Y steps/s)  (PyTorch …; target: faster)`, with `BELOW TARGET` when it is not.
    static func benchmark(_ kind: ModelConfiguration.Kind, pytorch: Double, note: String) -> Benchmark {
        let name = kind.rawValue
        return Benchmark(
            name: name,
            summary:
                "one fit step of makemore.py's \(name.uppercased()) (block 16, embedding 64, hidden 64, batch 32, AdamW)"
        ) {
            let seconds = MakemoreBenchmarks.secondsPerStep(
                .recurrent(kind), batchSize: 32, stepsPerCall: 100, learningRate: 5e-4)
            let ok = 1 / seconds > pytorch ? "" : "  BELOW TARGET"
            return [Benchmark.line(name, secondsPerStep: seconds, note: "(\(note); target: faster)" + ok)]
        }
    }
}

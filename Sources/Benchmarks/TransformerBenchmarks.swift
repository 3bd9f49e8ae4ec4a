// Benchmarks of one training step of makemore.py's bag of words and Transformer at makemore's sizes
// (block 16, embedding 64; the Transformer's 4 layers × 4 heads), batches of 32 whole words, through the
// Trainer with their default optimizer (AdamW, lr 5e-4), each against the same step in PyTorch in the
// same run (PyTorchPeer). The goal for both is 2× PyTorch's steps per second.
import Engine
import Makemore

enum TransformerBenchmarks {
    static let bagOfWords = Benchmark(
        name: "bow",
        summary:
            "one fit step of makemore.py's bag of words (block 16, embedding 64, hidden 64, batch 32, AdamW) vs PyTorch"
    ) {
        [MakemoreBenchmarks.line("bow", .bagOfWords(), stepsPerCall: 200, learningRate: 5e-4, goal: 2)]
    }

    static let transformer = Benchmark(
        name: "transformer",
        summary:
            "one fit step of makemore.py's Transformer (4 layers × 4 heads, embedding 64, block 16, batch 32, AdamW) vs PyTorch"
    ) {
        [MakemoreBenchmarks.line("transformer", .transformer(), stepsPerCall: 20, learningRate: 5e-4, goal: 2)]
    }
}

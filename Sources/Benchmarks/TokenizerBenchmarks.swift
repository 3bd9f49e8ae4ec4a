// Training a byte-pair tokenizer as minbpe does, to vocabulary 512 on the first 200 KB of names.txt
// (read from the current folder), with GPT-4's split pattern and with none. minbpe's Python takes
// about 21 s and 8 s for these on this 2-core machine (measured side by side with farm-bench); the
// target is at least 50× faster.
import Foundation
import Tokenizer

enum TokenizerBenchmarks {
    static let tokenizer = Benchmark(
        name: "tokenizer",
        summary:
            "byte-pair training to vocabulary 512 on 200 KB of names.txt, GPT-4's pattern and none (needs names.txt here)"
    ) {
        guard let data = FileManager.default.contents(atPath: "names.txt") else {
            return ["tokenizer: needs names.txt in the current folder (run it from the package root)"]
        }
        let text = String(decoding: data.prefix(200_000), as: UTF8.self)
        return BytePairTokenizer.Pattern.allCases.filter { $0 != .gpt2 }.map { pattern in
            let seconds = Benchmark.secondsPerCall(minimumSeconds: 2, warmup: 1) {
                _ = try? BytePairTokenizer.train(on: text, vocabularySize: 512, pattern: pattern)
            }
            return
                "tokenizer (\(pattern.rawValue)): \(String(format: "%.0f", seconds * 1_000)) ms to train 256 merges on 200 KB"
        }
    }
}

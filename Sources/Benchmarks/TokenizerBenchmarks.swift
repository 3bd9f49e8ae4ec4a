// Training a byte-pair tokenizer as minbpe does, to vocabulary 512 on the first 200 KB of names.txt
// (read from the current folder), with GPT-4's split pattern (minbpe's RegexTokenizer) and with none
// (its BasicTokenizer), against minbpe's own Python side by side in one run when a checkout of
// karpathy/minbpe is named by $GRADBOOK_MINBPE (the folder holding its `minbpe` package; its Python is
// $GRADBOOK_TORCH_PYTHON or python3, with `regex` installed). Each side is timed in-process, the
// notebook's as the best of several runs, minbpe's once (it takes seconds). The goal is at least 50×
// faster.
import Foundation
import Tokenizer

enum TokenizerBenchmarks {
    static let tokenizer = Benchmark(
        name: "tokenizer",
        summary:
            "byte-pair training to vocabulary 512 on 200 KB of names.txt, GPT-4's pattern and none, against minbpe ($GRADBOOK_MINBPE)"
    ) {
        guard let data = FileManager.default.contents(atPath: "names.txt") else {
            return ["tokenizer: needs names.txt in the current folder (run it from the package root)"]
        }
        let text = String(decoding: data.prefix(200_000), as: UTF8.self)
        let peer = minbpeSeconds(text)
        return [BytePairTokenizer.Pattern.none, .gpt4].map { pattern in
            let seconds = Benchmark.secondsPerCall(minimumSeconds: 2, warmup: 1) {
                _ = try? BytePairTokenizer.train(on: text, vocabularySize: 512, pattern: pattern)
            }
            let line =
                "tokenizer (\(pattern.rawValue)): \(String(format: "%.0f", seconds * 1_000)) ms to train 256 merges on 200 KB"
            guard let peer, let theirs = peer[pattern.rawValue] else {
                return line + "  (set GRADBOOK_MINBPE to a minbpe checkout to compare)"
            }
            return line
                + String(
                    format: "; minbpe %.2f s: %.0f× faster  (goal: 50×)%@", theirs, theirs / seconds,
                    theirs / seconds >= 50 ? "" : "  BELOW TARGET")
        }
    }

    /// minbpe's training time in seconds for each pattern ("none": BasicTokenizer, "gpt4":
    /// RegexTokenizer), or nil when no minbpe checkout or Python is at hand.
    static func minbpeSeconds(_ text: String) -> [String: Double]? {
        let environment = ProcessInfo.processInfo.environment
        guard let folder = environment["GRADBOOK_MINBPE"] else { return nil }
        let preferred = environment["GRADBOOK_TORCH_PYTHON"].map { [$0] } ?? []
        guard let python = Benchmark.python(preferring: preferred) else { return nil }
        let harness = """
            import sys, time, json
            folder, text = json.loads(sys.stdin.read())
            sys.path.insert(0, folder)
            from minbpe import BasicTokenizer, RegexTokenizer
            out = {}
            for name, make in [('none', BasicTokenizer), ('gpt4', RegexTokenizer)]:
                start = time.perf_counter()
                make().train(text, 512)
                out[name] = time.perf_counter() - start
            print(json.dumps(out))
            """
        let payload = (try? JSONSerialization.data(withJSONObject: [folder, text])) ?? Data()
        guard let output = Benchmark.runPython(python, harness: harness, input: payload),
            let line = output.split(separator: "\n").last,
            let times = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double]
        else { return nil }
        return times
    }
}

// Writing text with a model of a text ("Let's build GPT"'s `generate`): each new character is drawn
// from the model's distribution after the last block_size characters, and appended:
//
//     for _ in range(max_new_tokens):
//         idx_cond = idx[:, -block_size:]
//         logits, loss = self(idx_cond); logits = logits[:, -1, :]
//         probs = F.softmax(logits, dim=-1)
//         idx_next = torch.multinomial(probs, num_samples=1)
//         idx = torch.cat((idx, idx_next), dim=1)
import Engine

extension LanguageModel {
    /// Draws up to `count` characters after `prompt` (indices; at least one), calling `onCharacter` with
    /// each as it is drawn (return false to stop early). The model runs in eval mode (no dropout), and
    /// each draw takes the rule of the lecture, so with dropout 0 the characters are PyTorch's.
    ///
    /// - Parameters: `temperature` and `topK` as in ``NextCharacterModel/sample(using:temperature:topK:rule:maximumLength:onStep:)``.
    /// - Returns: the characters drawn.
    /// - Throws: ``SamplingError`` when the model gives weights multinomial rejects.
    package func generate(
        after prompt: [Int], count: Int, using generator: TorchGenerator, temperature: Double = 1, topK: Int? = nil,
        rule: SamplingRule? = nil, onCharacter: (Int) -> Bool = { _ in true }
    ) throws(SamplingError) -> [Int] {
        precondition(!prompt.isEmpty, "generation starts from at least one character")
        precondition(temperature > 0 && temperature.isFinite, "the temperature is checked positive before sampling")
        let rule = rule ?? lectureSamplingRule
        var idx = prompt
        var drawn: [Int] = []
        for _ in 0..<Swift.max(0, count) {
            let ix = try draw(
                after: Array(idx.suffix(blockSize)), generator, temperature: temperature, topK: topK, rule: rule
            ).index
            idx.append(ix)
            drawn.append(ix)
            if !onCharacter(ix) { break }
        }
        return drawn
    }
}

// Turning a context of characters into features: `Embedding` looks up a learned vector per character
// (Bengio et al. 2003, makemore part 2's `C[X]`), `FlattenConsecutive` joins neighbouring vectors
// (makemore part 5's WaveNet, van den Oord et al. 2016, without the dilated convolutions).
//
// Shapes: B = batch, T = time (characters of context), C = channels (embedding size), V = vocabulary.

/// A table of V learned vectors of size C; character i becomes row i: (B, T) indices → (B, T, C).
///
/// The table starts as N(0, 1) draws (`torch.randn((num_embeddings, embedding_dim))`). Backward adds
/// each output row's gradient into the row it came from, so a character used twice gets both.
///
///     let emb = Embedding(27, 10, generator: g)     // Embedding(27 × 10), 270 parameters
///     let x = emb(Xb)                                // (32, 3) → (32, 3, 10)
public final class Embedding: TensorLayer {
    /// The table, (V, C).
    public let weight: Tensor
    public var training = true

    /// `count` vectors of `dimension` numbers each, drawn from `generator`.
    /// - Precondition: both are at least 1.
    public init(_ count: Int, _ dimension: Int, generator: TorchGenerator) {
        precondition(
            count >= 1 && dimension >= 1, "Embedding needs at least one row and one column, not \(count) × \(dimension)"
        )
        weight = Tensor(normalShape: [count, dimension], generator: generator).requiringGrad()  // (V, C)
    }

    /// A table whose values are drawn elsewhere (a model's own initialisation).
    /// - Precondition: `weight` is (V, C).
    public init(weight: Tensor) {
        precondition(weight.shape.count == 2, "an embedding table is (V, C)")
        self.weight = weight
    }

    /// V, the number of rows (characters).
    public var count: Int { weight.shape[0] }
    /// C, the size of each vector.
    public var dimension: Int { weight.shape[1] }

    public func forward(indices: IndexTensor) throws(ShapeError) -> Tensor {
        do { return try weight.embedding(indices) }  // (B, T, C)
        catch { throw ShapeError(signature, error.message) }
    }

    /// Indices stored as floats (as a notebook user may type them); each must be a whole number.
    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor {
        let values = x.scalars
        var indices: [Int32] = []
        indices.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard let index = Int32(exactly: v) else {
                throw ShapeError(
                    signature,
                    "input holds \(v) at position \(i); an embedding takes whole-number indices 0...\(count - 1)")
            }
            indices.append(index)
        }
        return try forward(indices: IndexTensor(indices, shape: x.shape))  // (B, T, C)
    }

    public func parameters() -> [Tensor] { [weight] }

    /// `Embedding(27 × 10)`.
    var signature: String { "Embedding(\(count) × \(dimension))" }

    /// `Embedding(27 × 10), 270 parameters`.
    public var description: String { signature + parameterCountSuffix }
}

/// Joins every `n` consecutive vectors along time into one: (B, T, C) → (B, T/n, C·n), and to
/// (B, C·n) when only one group is left (the lecture's `squeeze(1)`).
///
/// makemore part 5 stacks it to fuse characters pairwise, a tree of 2 → 4 → 8:
///
///     FlattenConsecutive(2)     // (32, 8, 10) → (32, 4, 20)
///     FlattenConsecutive(8)     // (32, 8, 10) → (32, 80): the part 2 MLP's `emb.view(-1, 80)`
///
/// No copy for contiguous input: it is a view, and its backward hands the gradient back unchanged.
public final class FlattenConsecutive: TensorLayer {
    /// How many neighbours are joined.
    public let n: Int
    public var training = true

    /// - Precondition: `n` is at least 1.
    public init(_ n: Int) {
        precondition(n >= 1, "FlattenConsecutive needs n ≥ 1, not \(n)")
        self.n = n
    }

    public func forward(_ x: Tensor) throws(ShapeError) -> Tensor {
        guard x.shape.count == 3 else {
            throw ShapeError(signature, "needs (B, T, C) input, got \(formatShape(x.shape))")
        }
        let (B, T, C) = (x.shape[0], x.shape[1], x.shape[2])
        guard T % n == 0 else {
            throw ShapeError(
                signature, "input \(formatShape(x.shape)) has \(T) time steps, which do not split into groups of \(n)")
        }
        let out = try x.reshape(B, T / n, C * n)  // (B, T/n, C·n)
        return T == n ? try out.squeeze(1) : out  // (B, C·n) when T/n = 1
    }

    public func parameters() -> [Tensor] { [] }

    var signature: String { "FlattenConsecutive(\(n))" }

    /// `FlattenConsecutive(2)`.
    public var description: String { signature }
}

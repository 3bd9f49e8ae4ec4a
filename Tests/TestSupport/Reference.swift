// The reference material tests compare against, kept in the repository (`Tests/Fixtures`): PyTorch's
// own outputs (random generator, tensor ops with gradients, optimizers, LR schedules, the lectures'
// batch norms; `REFERENCE-README.md` explains each file). The lectures' dataset is the project's own
// names.txt (makemore's, MIT). No test needs anything outside the checkout.
import Foundation

public enum Reference {
    /// The package root: two folders above this file (`Tests/TestSupport/Reference.swift`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures`.
    public static let fixtures: URL = packageRoot.appendingPathComponent("Tests").appendingPathComponent("Fixtures")

    /// A fixture file; a missing one is a broken checkout, reported by the test that needs it.
    public static func referenceFile(_ name: String) -> URL {
        fixtures.appendingPathComponent(name)
    }

    /// The lectures' dataset, makemore's names.txt (32,033 names): the project's names.txt.
    public static var lectureNames: URL { packageRoot.appendingPathComponent("names.txt") }

    /// Decodes a fixture JSON file into `T`.
    public static func load<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: referenceFile(name)))
    }

    /// `true` when `a` and `b` agree to `relative` (scaled by the larger magnitude) or `absolute`.
    public static func close(_ a: Double, _ b: Double, relative: Double = 1e-5, absolute: Double = 1e-7) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
    }
}

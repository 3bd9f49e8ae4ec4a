// Locating the shared reference material (PyTorch's outputs, the lecture's dataset) from tests.
//
// The material lives in `../shared` beside the package checkout. A user's clone has no `../shared`:
// tests that need the lecture's dataset skip when it is absent; the PyTorch references are required
// wherever they are present (CI always has them).
import Foundation

public enum Reference {
    /// The package root: two folders above this file (`Tests/TestSupport/Reference.swift`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package checkout.
    public static let sharedFolder: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// A file of `../shared/reference`, or nil when the folder is absent.
    public static func referenceFile(_ name: String) -> URL? {
        let url = sharedFolder.appendingPathComponent("reference").appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// `../shared/data/makemore-names.txt`, the lecture's dataset, or nil when absent.
    public static var lectureNames: URL? {
        let url = sharedFolder.appendingPathComponent("data").appendingPathComponent("makemore-names.txt")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Decodes a reference JSON file into `T`. Throws when the file is present but unreadable.
    public static func load<T: Decodable>(_ type: T.Type, from name: String) throws -> T? {
        guard let url = referenceFile(name) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// `true` when `a` and `b` agree to `relative` (scaled by the larger magnitude) or `absolute`.
    public static func close(_ a: Double, _ b: Double, relative: Double = 1e-5, absolute: Double = 1e-7) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
    }
}

// Checkpoints save a run's schedule as a value; files from before saved the text typed after --lr,
// and the notebook, which owns that syntax, still reads them.
import Foundation
import Testing

@testable import Makemore
@testable import Notebook

@Suite("Schedules in checkpoints")
struct CheckpointScheduleTests {
    /// The file `checkpoint save` wrote, with the plan's schedule replaced by `text` as older files
    /// stored it (header re-encoded, lengths and checksum made right).
    static func withScheduleText(_ bytes: [UInt8], _ text: Any) throws -> [UInt8] {
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let start = Checkpoint.magic.count + 4
        let headerLength = u64(start)
        let header = Data(bytes[(start + 8)..<(start + 8 + headerLength)])
        var json = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
        var plan = try #require(json["plan"] as? [String: Any])
        plan["schedule"] = text
        json["plan"] = plan
        let newHeader = [UInt8](try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        var out = Array(bytes[..<start])
        out += withUnsafeBytes(of: UInt64(newHeader.count).littleEndian, Array.init)
        out += newHeader
        out += bytes[(start + 8 + headerLength)..<(bytes.count - 4)]
        out += withUnsafeBytes(of: CRC32.checksum(out[...]).littleEndian, Array.init)
        return out
    }

    @Test func aScheduleSavedAsTextStillLoads() throws {
        let file = try temporaryFile("old.ckpt", "")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (session, output) = makeSession()
        for line in ModelCommandTests.setup + [
            "fit --steps 4 --batch 4 --lr 0.1@2=0.01 --no-dev", "checkpoint save \(file)"
        ] {
            #expect(session.execute(line), "\(line): \(output.text)")
        }
        let saved = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(try Checkpoint.decode(Data(saved)).plan?.schedule == .stepwise(0.1, then: [2: 0.01]))
        try Data(try Self.withScheduleText(saved, "0.1@2=0.01")).write(to: URL(fileURLWithPath: file))

        // Without the notebook's syntax the text cannot be read; through `checkpoint load` it can.
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: file) }
        let (fresh, freshOutput) = makeSession()
        for line in ["load \(ModelCommandTests.names)", "checkpoint load \(file)"] {
            #expect(fresh.execute(line), "\(line): \(freshOutput.text)")
        }
        #expect(fresh.state.languageModels.trainer?.plan?.schedule == .stepwise(0.1, then: [2: 0.01]))

        // A schedule text the syntax refuses is a clear error, and nothing is loaded.
        try Data(try Self.withScheduleText(saved, "fast")).write(to: URL(fileURLWithPath: file))
        let (third, thirdOutput) = makeSession()
        third.execute("load \(ModelCommandTests.names)")
        _ = thirdOutput.take()
        #expect(!third.execute("checkpoint load \(file)"))
        #expect(thirdOutput.text.hasPrefix("error: checkpoint: cannot load \(file): "))
        #expect(third.state.languageModels.trainer == nil)
    }

    /// A schedule saved as a value is checked as one typed after --lr: a nan rate is refused.
    @Test func aScheduleValueOutOfRangeIsRefused() throws {
        let file = try temporaryFile("bad.ckpt", "")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (session, _) = makeSession()
        for line in ModelCommandTests.setup + ["fit --steps 4 --batch 4 --lr 0.1 --no-dev", "checkpoint save \(file)"] {
            session.execute(line)
        }
        let bad: [String: Any] = ["kind": ["constant": ["lr": "nan"]]]
        let saved = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        try Data(try Self.withScheduleText(saved, bad)).write(to: URL(fileURLWithPath: file))
        let (fresh, output) = makeSession()
        fresh.execute("load \(ModelCommandTests.names)")
        _ = output.take()
        #expect(!fresh.execute("checkpoint load \(file)"))
        #expect(output.text.contains("finite learning rate"), "\(output.text)")
        #expect(output.text.hasPrefix("error: checkpoint: cannot load \(file): "), "\(output.text)")
        #expect(fresh.state.languageModels.trainer == nil)
    }
}

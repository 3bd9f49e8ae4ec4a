// `seed N`: restart the session's generator, as `torch.manual_seed(N)`.
import ArgumentParser
import Engine
import NotebookLanguage

struct SeedCommand: NotebookCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed the random generator (PyTorch's generator, bit for bit; the lectures use 2147483647).",
        discussion:
            "With no number, shows the current seed. Everything random (initialisation, data, sampling) draws from this generator."
    )
    static let group = CommandGroup.session

    @Argument(help: "A whole number from 0 to 2^64 - 1.") var seed: UInt64?

    func run(in session: Session) throws(NotebookError) {
        guard let seed else {
            session.emit("seed \(session.generator.seed)")
            return
        }
        session.generator.manualSeed(seed)
        session.emit("seeded with \(seed)")
    }
}

// Ctrl-C while a command runs: the signal handler only raises a flag; long loops check it and stop
// cleanly, keeping everything done so far. Ctrl-C at the prompt is the line reader's business.
import Foundation
import Synchronization

/// The interrupt flag shared by the signal handler and long-running work.
public enum Interrupt {
    private static let requested = Atomic<Bool>(false)

    /// Called from the SIGINT handler: only sets the flag (async-signal-safe).
    public static func request() { requested.store(true, ordering: .relaxed) }

    /// Clears the flag before a command starts.
    public static func reset() { requested.store(false, ordering: .relaxed) }

    /// Ctrl-C as seen by the current task only: lets tests simulate it without touching the
    /// process-wide flag that parallel tests share.
    @TaskLocal package static var simulated = false

    /// `true` once Ctrl-C was pressed during the current command.
    public static var isRequested: Bool { simulated || requested.load(ordering: .relaxed) }

    /// Throws "interrupted" when Ctrl-C was pressed: for loops that can simply stop.
    package static func check() throws(NotebookError) {
        if isRequested { throw NotebookError("interrupted (Ctrl-C)") }
    }

    /// Installs the SIGINT handler that sets the flag, and unblocks SIGINT: a signal mask is
    /// inherited, and a parent that blocked it would otherwise make Ctrl-C do nothing.
    public static func installHandler() {
        signal(SIGINT) { _ in Interrupt.request() }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}

// Lessons as web pages: the page's parts from a small lesson, and every shipped lesson rendered by a
// real browser (headless Chromium), which must show every figure and report no error.
import Foundation
import TestSupport
import Testing

@testable import Notebook
@testable import NotebookLanguage

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Lessons as web pages")
struct LessonPageTests {
    static let lesson = """
        # Lesson 0: a tiny page
        #
        # Narration with `code`, **bold**, *emphasis* and y*x left alone; <b> is text.
        # - one item
        # - another
        a = Value(2.0, label='a')
        a.data * 3

        # ## A figure
        plot([1, 4, 9, 16], title='squares')
        nosuch

        """

    static func page(clean: Bool = false) throws -> String {
        let session = Session(output: CapturedOutput())
        return session.page(try SessionScript(text: Self.lesson, path: "tiny.txt"), clean: clean)
    }

    @Test func narrationCodeOutputAndFiguresAreOnThePage() throws {
        let html = try Self.page()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<title>Lesson 0: a tiny page</title>"))
        #expect(html.contains("<h1>Lesson 0: a tiny page</h1>"))
        #expect(
            html.contains(
                "<p>Narration with <code>code</code>, <strong>bold</strong>, <em>emphasis</em> and y*x left alone; &lt;b&gt; is text.</p>"
            ))
        #expect(html.contains("<ul><li>one item</li><li>another</li></ul>"))
        #expect(html.contains("<h2>A figure</h2>"))
        #expect(
            html.contains(
                "<pre class=\"code\"><span class=\"prompt\">&gt;&gt;&gt; </span>a = Value(2.0, label=&apos;a&apos;)"))
        #expect(html.contains("<pre class=\"out\">6.0</pre>"))
        #expect(html.components(separatedBy: "<figure><svg").count == 2)  // the plot, as SVG, not as text
        #expect(!html.contains("⡀") && !html.contains("\u{1}"))
        #expect(html.contains("<span class=\"error\">error: name &apos;nosuch&apos;"))
        // Self-contained: nothing fetched (the SVGs' xmlns is a name, not a fetch).
        #expect(
            !html.contains("src=") && !html.contains("<link") && !html.contains("<script") && !html.contains("url(http")
        )
    }

    @Test func aCleanPageHasTheCodeWithoutOutput() throws {
        let html = try Self.page(clean: true)
        #expect(html.contains("a.data * 3") && !html.contains("<pre class=\"out\">") && !html.contains("<figure>"))
    }

    @Test func saveHtmlWritesTheSessionAsAPage() throws {
        let file = try temporaryFile("session.html", "")
        let (session, output) = makeSession()
        for line in ["x = [1, 2, 3]", "hist(x, bins=3)", "save --html \(file)"] { session.execute(line) }
        #expect(
            output.text.hasSuffix(
                "wrote \(file): the session as a web page (\(try Data(contentsOf: URL(fileURLWithPath: file)).count.grouped) bytes)\n"
            ))
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("hist(x, bins=3)") && html.contains("<figure><svg"))
        #expect(!html.contains("save --html"))
    }

    /// Ctrl-C while `save --html` replays the session stops it, and writes nothing.
    @Test func ctrlCStopsWritingThePage() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gradbook-\(UUID().uuidString).html")
            .path
        let (session, output) = makeSession()
        for line in ["x = [1, 2, 3]", "hist(x, bins=3)"] { session.execute(line) }
        _ = output.take()
        Interrupt.$simulated.withValue(true) { session.execute("save --html \(file)") }
        #expect(
            output.text
                == "error: save: stopped by Ctrl-C while replaying the session for the page; \(file) was not written\n")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// `gradbook --html FILE` writes the page to standard output; its options are checked.
    @Test(.enabled(if: TerminalSession.isAvailable, "needs the built gradbook"))
    func theBinaryWritesThePage() throws {
        let lesson = try temporaryFile("tiny.txt", Self.lesson)
        let page = try runProgram(TerminalSession.binary, ["--html", lesson])
        #expect(page.status == 0 && page.output.hasPrefix("<!DOCTYPE html>") && page.output.contains("<figure><svg"))
        let clean = try runProgram(TerminalSession.binary, ["--clean", lesson])
        #expect(clean.status != 0 && clean.output.contains("--clean goes with --html"))
        let two = try runProgram(TerminalSession.binary, ["--html", lesson, lesson])
        #expect(two.status != 0 && two.output.contains("--html writes one lesson"))
    }
}

/// A program run to completion with its output read: posix_spawn and waitpid, as the terminal tests
/// do (Foundation's Process can wait for ever under CI), killed after `timeout` seconds.
func runProgram(_ path: String, _ arguments: [String], timeout: Double = 60) throws -> (status: Int32, output: String) {
    var pipe: [Int32] = [-1, -1]
    guard Glibc.pipe(&pipe) == 0 else { throw TerminalError("pipe failed: errno \(errno)") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    posix_spawn_file_actions_addclose(&actions, pipe[1])
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
    close(pipe[1])
    guard status == 0 else {
        close(pipe[0])
        throw TerminalError("could not start \(path): error \(status)")
    }
    let flags = fcntl(pipe[0], F_GETFL)
    _ = fcntl(pipe[0], F_SETFL, flags | O_NONBLOCK)
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let deadline = Date().addingTimeInterval(timeout)
    var exitStatus: Int32 = 0
    var exited = false
    while true {
        let n = read(pipe[0], &buffer, buffer.count)
        if n > 0 {
            output += buffer[..<n]
            continue
        }
        if !exited, waitpid(pid, &exitStatus, WNOHANG) == pid { exited = true }
        if exited && n <= 0 && (n == 0 || errno == EAGAIN) {
            // Drain what is left, then stop.
            while true {
                let m = read(pipe[0], &buffer, buffer.count)
                if m > 0 { output += buffer[..<m] } else { break }
            }
            break
        }
        if Date() > deadline {
            kill(pid, SIGKILL)
            waitpid(pid, &exitStatus, 0)
            close(pipe[0])
            throw TerminalError("\(path) did not finish within \(Int(timeout)) s")
        }
        usleep(10_000)
    }
    close(pipe[0])
    return ((exitStatus >> 8) & 0xff, String(decoding: output, as: UTF8.self))
}

/// Where the headless browser is, if installed.
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

@Suite("Lessons in a real browser", .enabled(if: chromium != nil, "needs Chromium (.ci/run installs it)"))
struct LessonBrowserTests {
    /// Every shipped lesson as a page, loaded by headless Chromium: the page it renders has every
    /// figure the page holds, as an SVG element, the console reports no error, and a screenshot is taken.
    @Test(
        arguments: try! FileManager.default.contentsOfDirectory(
            atPath: Reference.packageRoot.appendingPathComponent("sessions").path
        )
        .filter { $0.hasSuffix(".txt") }.sorted())
    func theLessonRendersInABrowser(_ name: String) throws {
        let browser = try #require(chromium)
        let path = Reference.packageRoot.appendingPathComponent("sessions").appendingPathComponent(name).path
        let html = Session(output: CapturedOutput()).page(try SessionScript(contentsOf: path), clean: false)
        let page = try temporaryFile(name.replacingOccurrences(of: ".txt", with: ".html"), html)
        let figures = html.components(separatedBy: "<figure><svg").count - 1
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
        let dom = try runProgram(browser, common + ["--dump-dom", "file://" + page])
        #expect(dom.status == 0, "\(dom.output.suffix(2000))")
        #expect(dom.output.contains("</main>"), "the page did not load: \(dom.output.suffix(2000))")
        #expect(dom.output.components(separatedBy: "<figure><svg").count - 1 == figures)
        let console = dom.output.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(console.isEmpty, "console: \(console)")
        let shot = page.replacingOccurrences(of: ".html", with: ".png")
        let screenshot = try runProgram(
            browser, common + ["--screenshot=\(shot)", "--window-size=1280,2400", "file://" + page])
        #expect(screenshot.status == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.count > 10_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "\(name): no screenshot")
    }
}

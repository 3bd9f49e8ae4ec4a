// A lesson as one self-contained web page (`gradbook --html LESSON`, `save --html FILE`): the
// narration as prose, each cell's code and its output, every figure inline as SVG, no external
// assets, readable on a projector and printable as a handout. `clean` leaves the outputs out, for a
// student's copy (fast.ai's clean notebooks).
//
// The narration is Markdown in `#` lines: `# ## Heading`, `- item`, `` `code` ``, `**bold**`, `*emphasis*`;
// a bare `#` line ends a paragraph.
import Foundation
import NotebookLanguage

/// One cell of a page: its narration lines (the `# ` taken off) and its commands with their output.
struct PageCell {
    var narration: [String]
    var entries: [(input: String, output: [String])]
}

enum LessonPage {
    /// The page for `cells`; `figures` are the SVG pictures the outputs' figure markers stand for.
    static func html(title: String, cells: [PageCell], figures: [String], clean: Bool) -> String {
        var body: [String] = []
        for cell in cells {
            body += prose(cell.narration)
            guard !cell.entries.isEmpty else { continue }
            body.append("<div class=\"cell\">")
            let code = cell.entries.map { entry in
                entry.input.components(separatedBy: "\n").enumerated().map { index, line in
                    "<span class=\"prompt\">\(index == 0 ? "&gt;&gt;&gt;" : "...") </span>" + xmlEscaped(line)
                }.joined(separator: "\n")
            }
            body.append("<pre class=\"code\">" + code.joined(separator: "\n") + "</pre>")
            if !clean {
                let output = cell.entries.flatMap(\.output)
                if !output.isEmpty { body += outputBlocks(output, figures: figures) }
            }
            body.append("</div>")
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="gradbook \(Launcher.version)">
            <title>\(xmlEscaped(title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    /// The page's title: the first narration line, without a `Lesson N:` heading's marks.
    static func title(of cells: [PageCell], fallback: String) -> String {
        let first = cells.lazy.flatMap(\.narration).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        // (A `#` heading's marks are not part of the title.)
        return first.map { $0.drop { $0 == "#" || $0 == " " } }.map(String.init) ?? fallback
    }

    /// The output lines as `<pre>` blocks, each figure marker replaced by its picture.
    private static func outputBlocks(_ lines: [String], figures: [String]) -> [String] {
        var blocks: [String] = []
        var text: [String] = []
        func flush() {
            guard !text.isEmpty else { return }
            blocks.append("<pre class=\"out\">" + text.joined(separator: "\n") + "</pre>")
            text = []
        }
        for line in lines {
            if let index = figureIndex(line), figures.indices.contains(index) {
                flush()
                blocks.append("<figure>" + figures[index] + "</figure>")
            } else if line.hasPrefix("error: ") {
                text.append("<span class=\"error\">" + xmlEscaped(line) + "</span>")
            } else if line.hasPrefix("warning: ") {
                text.append("<span class=\"warning\">" + xmlEscaped(line) + "</span>")
            } else {
                text.append(xmlEscaped(line))
            }
        }
        flush()
        return blocks
    }

    /// The picture number a marker line stands for.
    private static func figureIndex(_ line: String) -> Int? {
        guard line.hasPrefix("\u{1}figure "), line.hasSuffix("\u{1}") else { return nil }
        return Int(line.dropFirst("\u{1}figure ".count).dropLast())
    }

    /// Narration as HTML: headings, paragraphs and lists.
    static func prose(_ lines: [String]) -> [String] {
        var html: [String] = []
        var paragraph: [String] = []
        var list: [String] = []
        func flush() {
            if !paragraph.isEmpty { html.append("<p>" + inline(paragraph.joined(separator: " ")) + "</p>") }
            if !list.isEmpty { html.append("<ul>" + list.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>") }
            paragraph = []
            list = []
        }
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
            } else if line.hasPrefix("#") {
                flush()
                let level = min(4, line.prefix { $0 == "#" }.count)
                html.append("<h\(level)>" + inline(String(line.drop { $0 == "#" || $0 == " " })) + "</h\(level)>")
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                if !paragraph.isEmpty { flush() }
                list.append(String(line.dropFirst(2)))
            } else if !list.isEmpty && raw.hasPrefix("  ") {
                list[list.count - 1] += " " + line  // a list item's continued line
            } else {
                if !list.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return html
    }

    /// `code`, **bold** and *emphasis* in escaped text.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let tick = rest.firstIndex(of: "`") {
            out += emphasis(xmlEscaped(String(rest[..<tick])))
            let after = rest[rest.index(after: tick)...]
            guard let close = after.firstIndex(of: "`") else {
                rest = rest[tick...]
                break
            }
            out += "<code>" + xmlEscaped(String(after[..<close])) + "</code>"
            rest = after[after.index(after: close)...]
        }
        return out + emphasis(xmlEscaped(String(rest)))
    }

    /// `**bold**` and `*emphasis*`, Markdown's way: a mark touching a word on its outer side is a
    /// multiplication (`y*score`, `p*p`), not emphasis.
    private static func emphasis(_ text: String) -> String {
        var result = text
        for (pattern, tag) in [
            (#"(?<![\w*])\*\*(\S(?:.*?\S)?)\*\*(?![\w*])"#, "strong"),
            (#"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])"#, "em")
        ] {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(result.startIndex..., in: result)
            result = regex.stringByReplacingMatches(in: result, range: range, withTemplate: "<\(tag)>$1</\(tag)>")
        }
        return result
    }

    static let style = """
        body { margin: 0; background: #fdfdfc; color: #1d1d1f; font: 18px/1.55 -apple-system, "Segoe UI", Roboto, \
        "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
        h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 0.5em; }
        p, ul { margin: 0.7em 0; }
        code, pre { font: 15px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        p code, li code { background: #eef1f5; padding: 0.05em 0.3em; border-radius: 3px; }
        .cell { margin: 1em 0 1.6em; }
        pre { margin: 0; padding: 0.7em 1em; overflow-x: auto; white-space: pre; }
        pre.code { background: #f2f5fa; border-left: 4px solid #4a78c2; }
        .prompt { color: #8a94a6; user-select: none; }
        pre.out { background: #fff; border-left: 4px solid #d7dce3; color: #333; }
        .error { color: #b3261e; font-weight: 600; }
        .warning { color: #8a5a00; font-weight: 600; }
        figure { margin: 0.6em 0; padding: 0.5em; border-left: 4px solid #d7dce3; }
        figure svg { max-width: 100%; height: auto; }
        @media print {
          body { font-size: 12pt; background: #fff; }
          main { max-width: none; padding: 0; }
          .cell, figure { break-inside: avoid; }
          pre { white-space: pre-wrap; }
        }
        """
}

extension Session {
    /// Runs `script` in this session and writes it as a page: the narration, each cell's code, and
    /// (unless `clean`) what it printed, figures as SVG.
    public func page(_ script: SessionScript, clean: Bool) -> String {
        var cells: [PageCell] = []
        let figures = collectingPage {
            for cell in script.cells {
                var page = PageCell(narration: cell.narration.map(Self.narrationText), entries: [])
                if cells.isEmpty, let first = page.narration.first {
                    page.narration[0] = "# " + first  // the lesson's first line is its title
                }
                for entry in cell.entries where !wantsExit && !stoppedPage {
                    page.entries.append((entry.input, runForPage(entry.input)))
                }
                cells.append(page)
            }
        }
        return LessonPage.html(
            title: LessonPage.title(of: cells, fallback: script.path), cells: cells, figures: figures, clean: clean)
    }

    /// The page of everything typed so far, replayed in a fresh session so that its figures are
    /// drawn as pictures (lines that write files or leave are not run again).
    func pageOfLog(clean: Bool) -> String {
        let replay = Session(output: CapturedOutput(), style: .plain)
        var cells: [PageCell] = []
        let skipped: Set<String> = ["save", "record", "quit", "exit", "history"]
        let figures = replay.collectingPage {
            for (input, _) in log.dropLast() where !input.allSatisfy(\.isWhitespace) && !replay.stoppedPage {
                let word = input.trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace }
                if skipped.contains(String(word)) && interpreter.variables[String(word)] == nil { continue }
                if input.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                    cells.append(PageCell(narration: [Self.narrationText(input)], entries: []))
                    continue
                }
                cells.append(PageCell(narration: [], entries: [(input, replay.runForPage(input))]))
            }
        }
        return LessonPage.html(title: "gradbook session", cells: cells, figures: figures, clean: clean)
    }

    /// Runs `body` with figures collected as pictures, and returns them.
    private func collectingPage(_ body: () -> Void) -> [String] {
        let (savedOutput, savedStyle) = (output, style)
        output = CapturedOutput()
        style = .plain
        pageFigures = []
        pageInterrupted = false
        defer {
            output = savedOutput
            style = savedStyle
            pageFigures = nil
        }
        body()
        return pageFigures ?? []
    }

    /// Whether Ctrl-C stopped a line while a page was being written: the page ends there.
    var stoppedPage: Bool { pageFigures != nil && pageInterrupted }

    /// Runs one line and returns what it printed, as lines. Ctrl-C during it ends the page.
    private func runForPage(_ input: String) -> [String] {
        execute(input, logged: false)
        if Interrupt.isRequested { pageInterrupted = true }
        guard let captured = output as? CapturedOutput else { return [] }
        var lines = captured.take().components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map(\.trimmingTrailingSpaces)
    }

    /// A narration line without its `# ` (a bare `#` is a paragraph break).
    static func narrationText(_ line: String) -> String {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("#") else { return line }
        let text = trimmed.dropFirst()
        return String(text.hasPrefix(" ") ? text.dropFirst() : text)
    }
}

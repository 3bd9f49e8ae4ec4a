// Runs notebook lines in a fresh session and returns what it printed: the harness of the
// transcript tests.
@testable import Notebook

/// A session writing to memory, plain style.
func makeSession() -> (Session, CapturedOutput) {
    let output = CapturedOutput()
    return (Session(output: output, style: .plain), output)
}

/// The output of running `lines` one after another in a fresh session.
func transcript(_ lines: [String]) -> String {
    let (session, output) = makeSession()
    for line in lines { session.execute(line) }
    return output.text
}

/// The output of the last line after running the ones before it.
func lastOutput(_ lines: [String]) -> String {
    let (session, output) = makeSession()
    for line in lines.dropLast() { session.execute(line) }
    _ = output.take()
    session.execute(lines.last ?? "")
    return output.text
}

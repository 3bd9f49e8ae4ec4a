// A command typed at the notebook prompt, and the headings `help` lists commands under.
import ArgumentParser
import Foundation
import NotebookLanguage

/// A command typed at the notebook prompt.
protocol NotebookCommand: ParsableCommand {
    /// The heading `help` lists the command under.
    static var group: CommandGroup { get }
    mutating func run(in session: Session) throws(NotebookError)
}

/// The headings of `help`, in the order of the lectures.
enum CommandGroup: String, CaseIterable {
    case graph = "Expressions and their gradients"
    case neuralNets = "Neural nets"
    case makemore = "Language models"
    case training = "Training"  // learning-rate schedules and plots
    case session = "The session"
}

// Why a names file could not be loaded at all: one line saying which file, what was wrong and what to
// do. Problems inside a file that can still be used are `DatasetWarning`s instead.

/// A names file that gives no dataset.
package enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// Nothing at `path`.
    case missing(path: String)
    /// `path` is a folder.
    case isDirectory(path: String)
    /// `path` is not a regular file (a device, a pipe): reading it might never end.
    case notRegularFile(path: String)
    /// The file is larger than ``NamesDataset/maximumFileSize``.
    case tooLarge(path: String, bytes: Int)
    /// The file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// The words use more distinct characters than ``NamesDataset/maximumVocabulary``.
    case tooManyCharacters(path: String, count: Int)
    /// The file holds no usable word (it is empty, blank, or every line was skipped).
    case noWords(path: String)

    package var description: String {
        switch self {
        case .missing(let path):
            "cannot read \(path): no such file or folder; check the path (names.txt is at the package root)"
        case .isDirectory(let path):
            "cannot read \(path): it is a folder; give the path of a text file with one name per line"
        case .notRegularFile(let path):
            "cannot read \(path): it is not a regular file; give the path of a text file with one name per line"
        case .tooLarge(let path, let bytes):
            "cannot read \(path): it has \(bytes.grouped) bytes, more than the \(NamesDataset.maximumFileSize.grouped) a names file may have"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .tooManyCharacters(let path, let count):
            "\(path) uses \(count.grouped) distinct characters, more than the \(NamesDataset.maximumVocabulary.grouped) a character model may have "
                + "(its tables hold one entry per pair of characters: \(count.grouped)² = \((count * count).grouped)); is it a names file?"
        case .noWords(let path):
            "\(path) has no words: a names file holds one name per line"
        }
    }
}

// The characters a model knows and their indices: the lecture's `stoi` / `itos` (makemore part 1).
// Index 0 is '.', the token that marks where every name starts and ends; then the characters, sorted.

/// The character set of a names dataset, numbered as in the lecture:
///
/// ```swift
/// let vocabulary = Vocabulary(words: ["emma", "ava"])   // '.', 'a', 'e', 'm', 'v'
/// vocabulary.stoi["a"]                                 // 1
/// try vocabulary.encode("ava")                         // [1, 4, 1]
/// vocabulary.decode([1, 4, 1, 0])                      // "ava."
/// ```
///
/// A character is a Swift `Character` (what a reader sees as one letter, even when Unicode spells it with
/// several code points); characters are sorted by their Unicode scalars, as Python's `sorted` sorts code
/// points. Any character set works, not only a-z. '.' itself can never be a character of a word.
///
/// A text's vocabulary ("Let's build GPT": `chars = sorted(list(set(text)))`) has no '.' token: it is
/// every code point of the text, sorted, and ``marksWords`` is false.
package struct Vocabulary: Equatable, Sendable, CustomStringConvertible {
    /// The start/end token, index 0.
    package static let boundary: Character = "."

    /// Index → character (`itos`): `itos[0]` is '.' (for a text: its smallest code point).
    package let itos: [Character]
    /// Character → index (`stoi`).
    package let stoi: [Character: Int]
    /// Whether index 0 is the '.' that starts and ends every word (names), or just the first character
    /// of a text.
    package let marksWords: Bool

    /// '.' followed by `characters` sorted and without repeats ('.' among them is ignored).
    package init(characters: some Sequence<Character>) {
        let sorted = Set(characters).subtracting([Self.boundary]).sorted(by: Self.precedes)
        itos = [Self.boundary] + sorted
        stoi = Dictionary(uniqueKeysWithValues: itos.enumerated().map { ($1, $0) })
        marksWords = true
    }

    /// The vocabulary of a text: each code point in it once, sorted, as Python's `sorted(set(text))`.
    package init(textScalars scalars: some Sequence<Unicode.Scalar>) {
        itos = Set(scalars).sorted { $0.value < $1.value }.map(Character.init)
        stoi = Dictionary(uniqueKeysWithValues: itos.enumerated().map { ($1, $0) })
        marksWords = false
    }

    /// The vocabulary of `words`: '.', then every character they use, sorted (the lecture's
    /// `chars = sorted(list(set(''.join(words))))`).
    package init(words: some Sequence<String>) {
        var seen = Set<Character>()
        for word in words { seen.formUnion(word) }
        self.init(characters: seen)
    }

    /// The number of tokens, '.' included (27 for a-z).
    package var count: Int { itos.count }

    /// Python's order: by Unicode scalar values.
    static func precedes(_ a: Character, _ b: Character) -> Bool {
        a.unicodeScalars.map(\.value).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
    }

    /// The indices of `word`'s characters (without the '.' tokens around it). A text vocabulary encodes
    /// code point by code point, as Python iterates a string.
    ///
    /// - Throws: ``VocabularyError`` when a character is not in the vocabulary, or is '.'.
    package func encode(_ word: String) throws(VocabularyError) -> [Int] {
        if !marksWords {
            var indices: [Int] = []
            indices.reserveCapacity(word.unicodeScalars.count)
            for scalar in word.unicodeScalars {
                guard let index = stoi[Character(scalar)] else {
                    throw .unknownCharacter(Character(scalar), word: word, vocabulary: self)
                }
                indices.append(index)
            }
            return indices
        }
        var indices: [Int] = []
        indices.reserveCapacity(word.count)
        for character in word {
            if character == Self.boundary { throw .containsBoundary(word: word) }
            guard let index = stoi[character] else {
                throw .unknownCharacter(character, word: word, vocabulary: self)
            }
            indices.append(index)
        }
        return indices
    }

    /// The characters at `indices`; index 0 gives '.'.
    /// - Precondition: every index is in `0..<count`.
    package func decode(_ indices: some Sequence<Int>) -> String {
        String(indices.map { itos[$0] })
    }

    /// Character `index` as one visible symbol, for figures: a newline is ↵, a space ␠, a tab ⇥, any
    /// other control character ·.
    package func label(_ index: Int) -> String {
        let character = itos[index]
        switch character {
        case "\n", "\r\n": return "↵"
        case " ": return "␠"
        case "\t": return "⇥"
        default:
            return character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control })
                ? "·" : String(character)
        }
    }

    /// The characters of `word` that are not in this vocabulary, in order of appearance, each once.
    package func unknownCharacters(in word: String) -> [Character] {
        var seen = Set<Character>()
        if !marksWords {
            return word.unicodeScalars.map(Character.init).filter { stoi[$0] == nil && seen.insert($0).inserted }
        }
        return word.filter { stoi[$0] == nil && $0 != Self.boundary && seen.insert($0).inserted }.map { $0 }
    }

    /// The characters after '.', with runs of consecutive letters or digits shortened: `a-z`, `a-eg`
    /// (not when '-' is itself a character: then they are all listed).
    package var summary: String {
        let compress = stoi["-"] == nil
        var parts: [String] = []
        var run: [Character] = []
        func flush() {
            if compress, run.count >= 3, let first = run.first, let last = run.last {
                parts.append("\(first)-\(last)")
            } else {
                parts.append(String(run))
            }
            run = []
        }
        for character in marksWords ? itos.dropFirst() : itos[...] {
            if let last = run.last, let a = last.unicodeScalars.first, let b = character.unicodeScalars.first,
                last.unicodeScalars.count == 1, character.unicodeScalars.count == 1,
                b.value == a.value + 1, last.isLetter || last.isNumber, character.isLetter || character.isNumber
            {
                run.append(character)
            } else {
                if !run.isEmpty { flush() }
                run = [character]
            }
        }
        if !run.isEmpty { flush() }
        return parts.joined().map { $0 == " " ? "␠" : String($0).escapedForDisplay }.joined()  // a space shows as ␠
    }

    /// `27 characters: . a-z`; a text's `65 characters: \n␠!$&',-.3:;?A-Za-z`.
    package var description: String { "\(count) characters: \(marksWords ? ". " : "")\(summary)" }
}

/// A word that a vocabulary cannot encode.
package enum VocabularyError: Error, Equatable, CustomStringConvertible {
    /// `word` has a character outside the vocabulary.
    case unknownCharacter(Character, word: String, vocabulary: Vocabulary)
    /// `word` contains '.', the start/end token.
    case containsBoundary(word: String)

    package var description: String {
        switch self {
        case .unknownCharacter(let character, let word, let vocabulary):
            var message =
                "\(String(character).quotedForDisplay) in \(word.quotedForDisplay) is not in the model's vocabulary (\(vocabulary))"
            let lowered = word.lowercased()
            if lowered != word, vocabulary.unknownCharacters(in: lowered).isEmpty {
                message += "; did you mean \(lowered.quotedForDisplay)?"
            }
            return message
        case .containsBoundary(let word):
            return
                "\(word.quotedForDisplay) contains '.', the token that marks where a name starts and ends; type the name without it"
        }
    }
}

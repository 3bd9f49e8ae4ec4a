// The lecture's stoi/itos: '.' at 0, then the sorted characters, for any character set.
import Testing

@testable import Makemore

@Suite("Vocabulary")
struct VocabularyTests {
    @Test func dotFirstThenSortedCharacters() {
        let vocabulary = Vocabulary(words: ["emma", "ava"])
        #expect(vocabulary.itos == [".", "a", "e", "m", "v"])
        #expect(vocabulary.stoi == [".": 0, "a": 1, "e": 2, "m": 3, "v": 4])
        #expect(vocabulary.count == 5)
        #expect(vocabulary.description == "5 characters: . aemv")
    }

    @Test func encodeAndDecodeRoundTrip() throws {
        let vocabulary = Vocabulary(words: ["emma", "ava"])
        #expect(try vocabulary.encode("ava") == [1, 4, 1])
        #expect(vocabulary.decode([1, 4, 1, 0]) == "ava.")
        #expect(try vocabulary.decode(vocabulary.encode("emma")) == "emma")
        #expect(try vocabulary.encode("").isEmpty)
    }

    @Test func anyCharacterSetSortedByCodePoint() {
        // Python's sorted(set(...)) orders by code point: 'Z' < 'a' < 'é' < 'ø'; '.' is never a character.
        let vocabulary = Vocabulary(words: ["zoé", "Zed", "bjørn", "a.b"])
        #expect(vocabulary.itos == [".", "Z", "a", "b", "d", "e", "j", "n", "o", "r", "z", "é", "ø"])
    }

    @Test func summaryShortensRuns() {
        #expect(Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz").description == "27 characters: . a-z")
        #expect(Vocabulary(characters: "abcxyz").summary == "a-cx-z")
        #expect(Vocabulary(characters: "abcxyz- ").summary == "␠-abcxyz")  // no ranges when '-' is a character
        #expect(Vocabulary(characters: "0123abé").summary == "0-3abé")
    }

    @Test func unknownCharacterIsATypedErrorWithASuggestion() {
        let vocabulary = Vocabulary(characters: "abcdefghijklmnopqrstuvwxyz")
        #expect(throws: VocabularyError.unknownCharacter("A", word: "Ava", vocabulary: vocabulary)) {
            try vocabulary.encode("Ava")
        }
        #expect(
            VocabularyError.unknownCharacter("A", word: "Ava", vocabulary: vocabulary).description
                == "'A' in 'Ava' is not in the model's vocabulary (27 characters: . a-z); did you mean 'ava'?")
        #expect(
            VocabularyError.unknownCharacter("é", word: "zoé", vocabulary: vocabulary).description
                == "'é' in 'zoé' is not in the model's vocabulary (27 characters: . a-z)")
        #expect(throws: VocabularyError.containsBoundary(word: "st.john")) { try vocabulary.encode("st.john") }
        #expect(vocabulary.unknownCharacters(in: "zoëë1") == ["ë", "1"])
    }
}

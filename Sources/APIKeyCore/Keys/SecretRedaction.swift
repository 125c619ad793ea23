/// What may be shown of text a person typed: never a key's secret.
///
/// People paste whole keys where a prefix is expected (`api-keys revoke C7oAzBnJ.mk01…`), and
/// anything a command or a page echoes back ends up on terminals and in CI logs. Everything after
/// the `.` that separates a key's prefix from its secret is therefore cut before text is used as a
/// prefix or shown.
package enum SecretRedaction {
    /// The prefix a person means: the text before the first `.`, so that a whole key given where a
    /// prefix belongs is used as its prefix. A prefix never contains a `.`.
    ///
    /// ```swift
    /// SecretRedaction.prefix(ofInput: "C7oAzBnJ.mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm")   // "C7oAzBnJ"
    /// SecretRedaction.prefix(ofInput: "C7oAzBnJ")                                  // "C7oAzBnJ"
    /// ```
    package static func prefix(ofInput input: String) -> String {
        guard let separator = input.utf8.firstIndex(of: UInt8(ascii: ".")) else { return input }
        return String(input[..<separator])
    }

    /// `text` with whatever follows the `.` of each word shaped like a key (letters or digits, a
    /// `.`, letters or digits) replaced by `…`, so a message that quotes what was typed never shows
    /// a secret.
    ///
    /// ```swift
    /// SecretRedaction.redact("Unexpected argument 'C7oAzBnJ.mk01hDcC9w'")   // "Unexpected argument 'C7oAzBnJ.…'"
    /// ```
    package static func redact(_ text: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            if let separator = word.firstIndex(of: "."), separator != word.startIndex,
                word[word.index(after: separator)...].contains(where: isKeyCharacter)
            {
                result += word[...separator] + "…"
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if isKeyCharacter(character) || character == "." {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }
}

/// What may be shown of text a person typed: never a key's secret.
///
/// People paste whole keys where a prefix is expected (`api-keys revoke C7oAzBnJ.mk01…`), and
/// anything a command or a page echoes back ends up on terminals and in CI logs. Everything after
/// the `.` that separates a key's prefix from its secret (or, in a tagged key,
/// `<tag>_<prefix>_<secret>`, after the last `_`) is therefore cut before text is used as a
/// prefix or shown.
package enum SecretRedaction {
    /// The prefix a person means: the text before the first `.`, or a tagged key's middle part,
    /// so that a whole key given where a prefix belongs is used as its prefix. A prefix never
    /// contains a `.` or a `_`.
    ///
    /// ```swift
    /// SecretRedaction.prefix(ofInput: "C7oAzBnJ.mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm")   // "C7oAzBnJ"
    /// SecretRedaction.prefix(ofInput: "acme_live_C7oAzBnJ_mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm3bTq0Z")   // "C7oAzBnJ"
    /// SecretRedaction.prefix(ofInput: "C7oAzBnJ")                                  // "C7oAzBnJ"
    /// ```
    package static func prefix(ofInput input: String) -> String {
        if let separator = input.utf8.firstIndex(of: UInt8(ascii: ".")) { return String(input[..<separator]) }
        if let tagged = taggedKeyParts(input[...]) { return String(tagged.prefix) }
        return input
    }

    /// The prefix and where the secret starts, if `word` is shaped like a tagged key: a tag, `_`,
    /// letters or digits, `_`, and at least 28 letters or digits (``TaggedKeyGenerator``'s
    /// shortest secret and checksum), whatever the app's tag.
    private static func taggedKeyParts(_ word: Substring) -> (prefix: Substring, secretStart: String.Index)? {
        guard let lastSeparator = word.lastIndex(of: "_") else { return nil }
        let secret = word[word.index(after: lastSeparator)...]
        guard secret.count >= 28, secret.allSatisfy(isKeyCharacter) else { return nil }
        let head = word[..<lastSeparator]
        guard let tagEnd = head.lastIndex(of: "_"), tagEnd != head.startIndex else { return nil }
        let prefix = head[head.index(after: tagEnd)...]
        guard !prefix.isEmpty, prefix.allSatisfy(isKeyCharacter) else { return nil }
        return (prefix, secret.startIndex)
    }

    /// `text` with whatever follows the `.` of each word shaped like a key (letters or digits, a
    /// `.`, letters or digits), or the secret of a word shaped like a tagged key, replaced by `…`,
    /// so a message that quotes what was typed never shows a secret.
    ///
    /// ```swift
    /// SecretRedaction.redact("Unexpected argument 'C7oAzBnJ.mk01hDcC9w'")   // "Unexpected argument 'C7oAzBnJ.…'"
    /// SecretRedaction.redact("no key acme_live_C7oAzBnJ_mk01hDcC9wYLAoDkFREUeUNs7cQ1XWWm3bTq0Z")   // "no key acme_live_C7oAzBnJ_…"
    /// ```
    package static func redact(_ text: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            if let separator = word.firstIndex(of: "."), separator != word.startIndex,
                word[word.index(after: separator)...].contains(where: isKeyCharacter)
            {
                result += word[...separator] + "…"
            } else if let tagged = taggedKeyParts(word[...]) {
                result += word[..<tagged.secretStart] + "…"
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if isKeyCharacter(character) || character == "." || character == "_" {
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

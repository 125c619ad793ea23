/// Where a request carries its API key, and the rules for reading it: djangorestframework-api-key's
/// `KeyParser`, exactly.
///
/// - ``authorization(keyword:)``: `Authorization: <keyword> <key>`. The value is split at its
///   first space only; the keyword before it is matched case-insensitively (ASCII); everything
///   after it is the key, verbatim, with no trimming. A value without a space, with another
///   keyword, or with nothing after the space carries no key.
/// - ``custom(_:)``: a header of your own, e.g. `X-Api-Key: <key>`, whose whole value is the key.
///   `Authorization` is then ignored.
///
/// Spaces and tabs around a value are not part of it (RFC 9110 §5.5): servers in front of Django
/// strip them, so `Api-Key <key> ` is read as upstream reads it. Values longer than
/// ``maximumLength`` bytes, values that are not UTF-8, and more than one value for the header
/// are ``KeyExtraction/malformed``: refused, never an error.
///
/// ```swift
/// let header = KeyHeader.authorization()
/// header.extract(from: ["Api-Key abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"])   // .key("abcdEFGH.…")
/// header.extract(from: ["Bearer abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"])    // .missing
/// KeyHeader.authorization(keyword: "Bearer").extract(from: ["bearer abc.def"])  // .key("abc.def")
/// ```
public struct KeyHeader: Sendable, Hashable {
    /// The HTTP header to read, e.g. `Authorization` or `X-Api-Key`. Header names are
    /// case-insensitive; adapters look it up that way.
    public let name: String
    /// The scheme keyword before the key, or `nil` when the whole value is the key.
    public let keyword: String?
    /// The longest header value read, in bytes; longer ones are malformed. Far above any key
    /// a generator makes, far below what would cost anything to scan.
    public var maximumLength: Int = 1024

    /// `Authorization: <keyword> <key>`; the default keyword is upstream's `Api-Key`.
    ///
    /// ```swift
    /// let bearer = KeyHeader.authorization(keyword: "Bearer")
    /// ```
    public static func authorization(keyword: String = "Api-Key") -> KeyHeader {
        precondition(
            !keyword.isEmpty && keyword.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F },
            "the keyword must be a non-empty run of visible ASCII characters")
        return KeyHeader(name: "Authorization", keyword: keyword)
    }

    /// A header whose whole value is the key, e.g. `X-Api-Key` (upstream's `API_KEY_CUSTOM_HEADER`).
    ///
    /// ```swift
    /// let header = KeyHeader.custom("X-Api-Key")
    /// ```
    public static func custom(_ name: String) -> KeyHeader {
        precondition(!name.isEmpty, "a header name cannot be empty")
        return KeyHeader(name: name, keyword: nil)
    }

    private init(name: String, keyword: String?) {
        self.name = name
        self.keyword = keyword
    }

    /// The key in the given values of the header (all of them, as the request carries them).
    public func extract(from values: [String]) -> KeyExtraction {
        extract(values: values)
    }

    /// The key in the header's values, read one by one: glue passes the request's fields of this
    /// name lazily, because an array of them would be an allocation on every request. A second
    /// value (two keys, or one split by a proxy) is malformed, never the first one alone.
    ///
    /// ```swift
    /// header.extract(values: request.headers.lazy.filter { header.isNamed($0.name) }.map { $0.value })
    /// ```
    @inlinable
    package func extract(values: some Sequence<String>) -> KeyExtraction {
        var values = values.makeIterator()
        guard let first = values.next() else { return .missing }
        guard values.next() == nil else { return .malformed }
        return extract(first)
    }

    /// The key in the given raw values of the header, which may not be valid UTF-8.
    public func extract(fromBytes values: some Collection<some Collection<UInt8>>) -> KeyExtraction {
        guard let value = values.first else { return .missing }
        guard values.count == 1 else { return .malformed }
        guard value.count <= maximumLength else { return .malformed }
        guard let text = String(validating: value, as: UTF8.self) else { return .malformed }
        return extract(text)
    }

    @usableFromInline func extract(_ value: String) -> KeyExtraction {
        guard value.utf8.count <= maximumLength else { return .malformed }
        var value = value
        // One pass over contiguous bytes: this runs on every request.
        return value.withUTF8 { untrimmed in
            let bytes = Self.trimmingWhitespace(untrimmed)
            guard !Self.containsReplacementCharacter(bytes) else { return .malformed }
            guard let keyword else {
                return bytes.isEmpty ? .missing : .key(String(decoding: bytes, as: UTF8.self))
            }
            guard let space = bytes.firstIndex(of: UInt8(ascii: " ")),
                Self.equalsIgnoringASCIICase(UnsafeBufferPointer(rebasing: bytes[..<space]), keyword)
            else { return .missing }
            let key = UnsafeBufferPointer(rebasing: bytes[(space + 1)...])
            return key.isEmpty ? .missing : .key(String(decoding: key, as: UTF8.self))
        }
    }

    /// `bytes` without the spaces and tabs around them.
    private static func trimmingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = bytes.firstIndex(where: { !isWhitespace($0) }), let end = bytes.lastIndex(where: { !isWhitespace($0) })
        else { return UnsafeBufferPointer(rebasing: bytes[0..<0]) }
        return UnsafeBufferPointer(rebasing: bytes[start...end])
    }

    /// The `WWW-Authenticate` value of a 401 for this header: its keyword for `Authorization`
    /// (`Api-Key`, upstream's); for a custom header, `Api-Key header="X-Api-Key"`, whose
    /// parameter names the header to send the key in, so that a client is not sent to
    /// `Authorization`. (A header name is an HTTP token: it holds no quote to escape.)
    ///
    /// ```swift
    /// KeyHeader.custom("X-Api-Key").challenge  // Api-Key header="X-Api-Key"
    /// ```
    public var challenge: String { keyword ?? #"Api-Key header="\#(name)""# }

    /// Whether the text holds U+FFFD (EF BF BD in UTF-8), what a framework that decoded invalid
    /// UTF-8 leaves behind.
    private static func containsReplacementCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 2) where bytes[index] == 0xEF {
            if bytes[index + 1] == 0xBF && bytes[index + 2] == 0xBD { return true }
        }
        return false
    }

    private static func equalsIgnoringASCIICase(_ bytes: some Collection<UInt8>, _ keyword: String) -> Bool {
        guard bytes.count == keyword.utf8.count else { return false }
        return zip(bytes, keyword.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// Whether a request's field named `fieldName` is this header: names are ASCII and
    /// case-insensitive (RFC 9110, section 5.1).
    package func isNamed(_ fieldName: String) -> Bool {
        Self.equalsIgnoringASCIICase(fieldName.utf8, name)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// What a request's key header holds.
///
/// Printing it never shows the key.
public enum KeyExtraction: Sendable {
    /// No key: no header, an empty value, another scheme's credentials, or a keyword with nothing
    /// after it. Other authentication may still apply.
    case missing
    /// A value that cannot be read: too long, not UTF-8, or more than one header.
    case malformed
    /// The presented key, verbatim. It is not yet known to be well formed, let alone valid.
    case key(String)

    /// The presented key, if any.
    public var presentedKey: String? {
        if case .key(let key) = self { return key }
        return nil
    }
}

extension KeyExtraction: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `missing`, `malformed`, or `key(<redacted>)`.
    public var description: String {
        switch self {
        case .missing: "missing"
        case .malformed: "malformed"
        case .key: "key(<redacted>)"
        }
    }

    /// The same as ``description``.
    public var debugDescription: String { "KeyExtraction.\(description)" }

    /// A mirror without the key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A change in a key's life: what happened to which key, when, and how. Never the key: the
/// prefix names it, as everywhere it is shown.
///
/// Events come from ``APIKeyEvents``, the app's one stream of them:
///
/// ```swift
/// for await event in app.apiKeys.events {
///     logger.notice("\(event.kind) \(event.prefix)", metadata: ["table": "\(event.keyTable)", "by": "\(event.source ?? "-")"])
/// }
/// ```
public struct APIKeyEvent: Sendable, Hashable, Encodable {
    /// What happened: ``APIKeyEventKind/created``, ``APIKeyEventKind/revoked``, …
    public let kind: APIKeyEventKind
    /// The table of the key's model: `api_keys`, or a custom model's.
    public let keyTable: String
    /// The key's prefix.
    public let prefix: String
    /// The key's name, when it was known at the change.
    public let name: String?
    /// When it happened, by the app's clock.
    public let at: Date
    /// More about it, for people: the new key's prefix of a rotation, what an update changed,
    /// where a leaked key was found.
    public let detail: String?
    /// What made the change, when the caller said: `commands`, `admin`, `github`, your own.
    public let source: String?

    /// An event, as the library makes them.
    package init(
        kind: APIKeyEventKind, keyTable: String, prefix: String, name: String? = nil, at: Date, detail: String? = nil, source: String? = nil
    ) {
        self.kind = kind
        self.keyTable = keyTable
        self.prefix = prefix
        self.name = name
        self.at = at
        self.detail = detail
        self.source = source
    }
}

extension APIKeyEvent {
    private enum CodingKeys: String, CodingKey {
        case at, kind, prefix, name, detail, source
        case keyTable = "key_table"
    }

    /// `{"at", "kind", "key_table", "prefix", "name", "detail", "source"}`, every field present
    /// (`null` when there is none), as `api-keys events --json` prints it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(kind.code, forKey: .kind)
        try container.encode(keyTable, forKey: .keyTable)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(name, forKey: .name)
        try container.encode(detail, forKey: .detail)
        try container.encode(source, forKey: .source)
    }
}

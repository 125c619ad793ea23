package import Logging

/// A granted request's log handler: the app's own handler, with the key's prefix
/// (``APIKeyLog/prefixKey``) added to every line it logs.
///
/// Why not `logger[metadataKey: APIKeyLog.prefixKey] = …`: handlers such as `StreamLogHandler`
/// render their whole metadata again on every change, and that ran on every granted request (1.6%
/// of a cache hit's CPU) while most requests log nothing after the check. Here the prefix is added
/// only to the lines that are logged. The prefix is this handler's own metadata entry: reading,
/// changing or removing it through the logger works as with any other entry.
///
/// ```swift
/// APIKeyLog.tag(&request.logger, with: identity)   // wraps the handler once per request
/// ```
package struct KeyPrefixLogHandler: LogHandler {
    private var base: any LogHandler
    private var prefix: Logger.MetadataValue?

    package init(wrapping base: any LogHandler, prefix: String) {
        self.base = base
        self.prefix = .string(prefix)
    }

    package var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    package var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    package var metadata: Logger.Metadata {
        get {
            var metadata = base.metadata
            metadata[APIKeyLog.prefixKey] = prefix
            return metadata
        }
        set {
            var rest = newValue
            prefix = rest.removeValue(forKey: APIKeyLog.prefixKey)
            base.metadata = rest
        }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { key == APIKeyLog.prefixKey ? prefix : base[metadataKey: key] }
        set {
            if key == APIKeyLog.prefixKey { prefix = newValue } else { base[metadataKey: key] = newValue }
        }
    }

    package func log(event: LogEvent) {
        // A line's own metadata wins over the handler's, as with any handler's metadata.
        guard let prefix, event.metadata?[APIKeyLog.prefixKey] == nil else { return base.log(event: event) }
        var event = event
        event.metadata = event.metadata ?? [:]
        event.metadata?[APIKeyLog.prefixKey] = prefix
        base.log(event: event)
    }
}

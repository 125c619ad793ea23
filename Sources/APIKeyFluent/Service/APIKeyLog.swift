package import Logging

/// What API key checks write to logs: the reason and the prefix, never a key, and nothing of a
/// value that is not a well-formed key.
///
/// A refusal is logged at `info` with ``denialKey`` and ``prefixKey``; no key at all at `debug`;
/// a key store that does not answer at `error`. A granted request carries ``prefixKey`` on every
/// later line, once the glue has called ``tag(_:with:)``.
package enum APIKeyLog {
    /// `api_key_denial`: why a key was refused (`APIKeyDenial`).
    package static let denialKey = "api_key_denial"
    /// `api_key_prefix`: the public prefix of the key, or `-` when there is none to tell.
    package static let prefixKey = "api_key_prefix"

    /// Adds the key's prefix to `logger`, so that every later line of the request says which key
    /// made it.
    ///
    /// The handler is wrapped once (``KeyPrefixLogHandler``), which adds the prefix to the lines
    /// that are logged; a request tagged again (a second key model) changes the prefix in place.
    ///
    /// ```swift
    /// APIKeyLog.tag(&request.logger, with: identity)
    /// ```
    package static func tag<Model>(_ logger: inout Logger, with identity: APIKeyIdentity<Model>) {
        if logger.handler is KeyPrefixLogHandler {
            logger[metadataKey: prefixKey] = .string(identity.prefix)
        } else {
            logger.handler = KeyPrefixLogHandler(wrapping: logger.handler, prefix: identity.prefix)
        }
    }
}

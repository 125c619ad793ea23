/// The key store could not answer (or a key could not be checked now), so nothing can be said
/// about the key: refuse the request as unavailable (503), never grant it.
///
/// ```swift
/// do {
///     guard try await keys.isValid(presented) else { return .unauthorized }
/// } catch is APIKeyStoreUnavailable {
///     return .serviceUnavailable
/// }
/// ```
public struct APIKeyStoreUnavailable: Error, Sendable, CustomStringConvertible {
    /// The store's own error, for logs; `nil` when only the outcome was known.
    package let underlying: (any Error)?

    /// Wraps a store's error.
    package init(_ underlying: (any Error)? = nil) { self.underlying = underlying }

    /// What happened, without the store's details (which may name hosts or users).
    public var description: String { "The API key could not be checked: the key store did not answer." }
}

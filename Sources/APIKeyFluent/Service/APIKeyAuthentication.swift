/// What a request's key came to, as framework glue needs it: an identity to log in, a refusal
/// with its reason, or no answer from the key store. Never an error to throw: the glue decides
/// how to answer (see ``APIKeyCore/PresentedCredentials``).
///
/// ```swift
/// switch await service.authenticate(extraction, on: database, logger: logger) {
/// case .authenticated(let identity): context.identity = identity
/// case .refused(let reason): metrics.refused(reason)
/// case .unavailable: break   // answered 503 unless another credential grants
/// }
/// ```
public enum APIKeyAuthentication<Model: APIKeyModel>: Sendable {
    /// The key is valid; this is who the request is.
    case authenticated(APIKeyIdentity<Model>)
    /// No key, or a key that is not valid, for this reason (for logs and metrics only).
    case refused(APIKeyDenial)
    /// The key store did not answer: the request must not be granted on this key.
    case unavailable

    /// The identity of a valid key.
    public var identity: APIKeyIdentity<Model>? {
        if case .authenticated(let identity) = self { return identity }
        return nil
    }

    /// Why the key was refused, if it was (for logs and metrics only).
    public var denial: APIKeyDenial? {
        if case .refused(let reason) = self { return reason }
        return nil
    }

    /// Notes the outcome in what the request's checks found, to choose 401, 403 or 503 later.
    public func record(in credentials: inout PresentedCredentials) {
        switch self {
        case .authenticated: credentials.accepted = true
        case .refused(let reason): credentials.record(reason)
        case .unavailable: credentials.unavailable = true
        }
    }
}

package import APIKeyCore
package import APIKeyFluent
package import FluentKit
package import Logging

/// What framework glue knows of a management request that the generated code does not: the
/// key it carries, where it comes from, and the app's services and database. Glue binds it for
/// the request (a task-local value, as swift-openapi-vapor's guide injects requests);
/// ``ManagementGate`` reads it.
package struct ManagementRequest: Sendable {
    /// What the request's key header held.
    package let extraction: KeyExtraction
    /// The connection's peer.
    package let peer: IPAddress?
    /// The values of a forwarded header, read only when the peer is a trusted proxy.
    package let forwarded: @Sendable (TrustedProxies.Header) -> [String]
    /// The `WWW-Authenticate` challenge of a 401.
    package let challenge: String
    /// The app's services: one cache per model.
    package let services: APIKeyServices
    /// Where the keys are.
    package let database: any Database
    /// The request's logger.
    package let logger: Logger

    package init(
        extraction: KeyExtraction, peer: IPAddress?, forwarded: @escaping @Sendable (TrustedProxies.Header) -> [String], challenge: String,
        services: APIKeyServices, database: any Database, logger: Logger
    ) {
        self.extraction = extraction
        self.peer = peer
        self.forwarded = forwarded
        self.challenge = challenge
        self.services = services
        self.database = database
        self.logger = logger
    }

    /// The request being handled.
    @TaskLocal package static var current: ManagementRequest?
}

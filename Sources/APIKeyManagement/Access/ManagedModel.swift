import APIKeyCore
package import APIKeyFluent

/// One key model the API manages: finds a request's key among its keys and, for a valid one,
/// the keys that key manages.
package protocol ManagedModel: Sendable {
    /// Whether `request`'s key is one of this model's, valid or not, found without logging,
    /// counting or spending its rate limit: so that only the key's own model checks it for real,
    /// and no other model logs and counts it as an unknown key.
    func recognizes(_ request: ManagementRequest) async -> Bool

    /// The session of `request`'s key if it is a valid key of this model; otherwise `nil`,
    /// with what was found noted in `credentials`.
    func session(for request: ManagementRequest, noting credentials: inout PresentedCredentials) async -> ManagementSession?
}

/// ``ManagedModel`` for `Model`.
struct ModelManagement<Model: APIKeyModel>: ManagedModel {
    let ownership: APIKeyOwnership<Model>?

    func recognizes(_ request: ManagementRequest) async -> Bool {
        let service = request.services.service(for: Model.self)
        let outcome = await service.verify(request.extraction, facts: service.facts(), on: request.database)
        guard let denial = outcome.denial else { return true }  // granted, or could not be checked
        return ![APIKeyDenial.unknownPrefix, .missing, .malformed, .checksum].contains(denial)
    }

    func session(for request: ManagementRequest, noting credentials: inout PresentedCredentials) async -> ManagementSession? {
        let service = request.services.service(for: Model.self)
        let client = service.clientAddress(peer: request.peer, forwardedHeader: request.forwarded)
        let outcome = await service.authenticate(
            request.extraction, facts: service.facts(clientAddress: client), on: request.database, logger: request.logger)
        credentials.record(outcome)
        guard let identity = outcome.identity else { return nil }
        let owner: String?
        if let ownership {
            // The key's owner is a column of its row: read once per request.
            do {
                guard let model = try await identity.model(on: request.database) else {
                    // Deleted since it was checked.
                    credentials.refusedKey = true
                    return nil
                }
                owner = ownership.of(model)
            } catch {
                credentials.unavailable = true
                return nil
            }
        } else {
            owner = nil
        }
        let caller = APIKeyManagementCaller(
            keyTable: service.keyTable, prefix: identity.prefix, name: identity.name, scopes: identity.scopes, owner: owner)
        let manager = service.manager(on: request.database).acting(as: "api \(identity.prefix)")
        let keys = OwnedKeys(manager: manager, owner: owner, ownership: ownership, callerScopes: identity.scopes, callerPrefix: identity.prefix)
        var session = ManagementSession(caller: caller, keys: keys, database: request.database)
        if let status = outcome.rateLimit, service.settings.rateLimitFieldsOnEveryResponse { session.responseFields += status.headerFields }
        if let deprecation = identity.deprecation { session.responseFields += deprecation.headerFields }
        return session
    }
}

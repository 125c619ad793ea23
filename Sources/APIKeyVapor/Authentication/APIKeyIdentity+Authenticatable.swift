public import APIKeyFluent
public import Vapor

/// A verified key is a Vapor identity: `req.auth.get(APIKey.Identity.self)`,
/// `req.auth.require(…)`, `APIKey.Identity.guardMiddleware()`.
extension APIKeyIdentity: Authenticatable {}

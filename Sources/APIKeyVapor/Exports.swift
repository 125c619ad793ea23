// `import APIKeyVapor` is all a Vapor app needs: keys, schemes and verification (APIKeyCore),
// models, migrations and the manager (APIKeyFluent).
@_exported public import APIKeyCore
@_exported public import APIKeyFluent
// The admin panel's owner column (`APIKeyAdminOwner`, `AdminChoice`), for `APIKeyAdmin`.
@_exported public import APIKeyAdminPanel

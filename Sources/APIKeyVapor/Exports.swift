// `import APIKeyVapor` is all a Vapor app needs to check keys: keys, schemes and outcomes
// (APIKeyCore), models, migrations and the manager (APIKeyFluent). The admin panel
// (APIKeyVaporAdmin) and the commands (APIKeyCommands) are products of their own.
@_exported public import APIKeyCore
@_exported public import APIKeyFluent

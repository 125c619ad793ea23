// `import APIKeyHummingbird` is all a Hummingbird app needs to check keys: keys, schemes and outcomes
// (APIKeyCore), models, migrations and the manager (APIKeyFluent). The admin panel
// (APIKeyHummingbirdAdmin) and the commands (APIKeyCommands) are products of their own.
@_exported public import APIKeyCore
@_exported public import APIKeyFluent

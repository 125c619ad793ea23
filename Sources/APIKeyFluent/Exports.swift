// `import APIKeyFluent` brings the framework-free core with it.
@_exported public import APIKeyCore

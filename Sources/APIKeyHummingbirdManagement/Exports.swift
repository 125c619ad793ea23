// `import APIKeyHummingbirdManagement` is enough to configure and mount the management API.
@_exported public import APIKeyManagement

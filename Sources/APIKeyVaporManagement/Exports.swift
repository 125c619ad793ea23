// `import APIKeyVaporManagement` is enough to configure and mount the management API.
@_exported public import APIKeyManagement

import APIKeyCommands
import APIKeyVapor
import CompanyModel
import Vapor

/// The key commands' access to the companies' keys: the app, configured as for serving.
enum CompanyKeys: CompanyKeyCommands {
    static func withManager(_ body: (APIKeyManager<CompanyAPIKey>) async throws -> Void) async throws {
        let app = try await Application.make(.development)
        do {
            try await configure(app)
            try await body(app.apiKeys.manager(CompanyAPIKey.self))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

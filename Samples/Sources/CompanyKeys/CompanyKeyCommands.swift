import APIKeyCommands
import APIKeyVapor
import ArgumentParser
import Fluent
import Vapor

/// `--company NAME` on every key command: whose key `create` makes, whose keys the others see.
struct CompanyOption: ParsableArguments {
    // `ArgumentParser.Option`: Vapor's ConsoleKit has an `Option` too.
    @ArgumentParser.Option(help: "The company whose keys these are, by name.") var company: String
}

/// The key commands' access to the companies' keys.
enum CompanyKeys: APIKeyCommandEnvironment {
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

    static func prepareNewKey(_ key: CompanyAPIKey, options: CompanyOption, on database: any Database) async throws {
        guard let company = try await Company.query(on: database).filter(\.$name == options.company).first() else {
            throw APIKeyCommandError("no company is named \(options.company)")
        }
        key.$company.id = try company.requireID()
    }

    static func keys(_ query: QueryBuilder<CompanyAPIKey>, options: CompanyOption) -> QueryBuilder<CompanyAPIKey> {
        query.join(parent: \.$company).filter(Company.self, \.$name == options.company)
    }
}

import APIKeyCommands
import APIKeyFluent
import ArgumentParser
import FluentKit

/// `--company NAME` on every key command: whose key `create` makes, whose keys the others see.
public struct CompanyOption: ParsableArguments {
    @Option(help: "The company whose keys these are, by name.") public var company: String
    public init() {}
}

/// The key commands for companies' keys, whatever the framework: an app's environment adopts it
/// and adds only how to reach its database (`withManager`).
public protocol CompanyKeyCommands: APIKeyCommandEnvironment where Model == CompanyAPIKey, Options == CompanyOption {}

extension CompanyKeyCommands {
    public static func prepareNewKey(_ key: CompanyAPIKey, options: CompanyOption, on database: any Database) async throws {
        guard let company = try await Company.query(on: database).filter(\.$name == options.company).first() else {
            throw APIKeyCommandError("no company is named \(options.company)")
        }
        key.$company.id = try company.requireID()
    }

    public static func keys(_ query: QueryBuilder<CompanyAPIKey>, options: CompanyOption) -> QueryBuilder<CompanyAPIKey> {
        query.join(parent: \.$company).filter(Company.self, \.$name == options.company)
    }
}

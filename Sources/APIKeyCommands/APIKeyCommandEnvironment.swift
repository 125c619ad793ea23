public import APIKeyFluent
public import ArgumentParser
public import FluentKit

/// What the key commands need from an app: a manager for its keys and, for a custom model, the
/// options of its own (an owner, say) and what they mean.
///
/// The built-in model needs only ``withManager(_:)``:
///
/// ```swift
/// enum AppKeys: APIKeyCommandEnvironment {
///     static func withManager(_ body: (APIKeyManager<APIKey>) async throws -> Void) async throws {
///         let app = try await Application.make(.development)
///         try await configure(app)
///         do { try await body(app.apiKeys.manager()) } catch { try? await app.asyncShutdown(); throw error }
///         try await app.asyncShutdown()
///     }
/// }
/// ```
///
/// Keys that belong to a company take `--company NAME` on every subcommand: `create` sets the
/// owner, `list`, `revoke` and `delete` see that company's keys only:
///
/// ```swift
/// struct CompanyOption: ParsableArguments {
///     // `ArgumentParser.Option`: in a Vapor app, ConsoleKit has an `Option` too.
///     @ArgumentParser.Option(help: "The company whose keys these are.") var company: String
/// }
///
/// enum CompanyKeys: APIKeyCommandEnvironment {
///     static func withManager(_ body: (APIKeyManager<CompanyAPIKey>) async throws -> Void) async throws { … }
///
///     static func prepareNewKey(_ key: CompanyAPIKey, options: CompanyOption, on database: any Database) async throws {
///         guard let company = try await Company.query(on: database).filter(\.$name == options.company).first() else {
///             throw APIKeyCommandError("no company is named \(options.company)")
///         }
///         key.$company.id = try company.requireID()
///     }
///
///     static func keys(_ query: QueryBuilder<CompanyAPIKey>, options: CompanyOption) -> QueryBuilder<CompanyAPIKey> {
///         query.join(parent: \.$company).filter(Company.self, \.$name == options.company)
///     }
/// }
/// ```
public protocol APIKeyCommandEnvironment {
    /// The key model the commands manage.
    associatedtype Model: APIKeyModel
    /// Options of the app's own that every subcommand takes (`--company NAME`); none by default.
    associatedtype Options: ParsableArguments = NoCommandOptions

    /// Runs `body` with a manager for the app's keys, and closes what it opened.
    static func withManager(_ body: (APIKeyManager<Model>) async throws -> Void) async throws

    /// Sets a custom model's own fields on a key `create` makes, before it is saved: an owner
    /// found by the name the options give, say. Nothing by default. Throw an
    /// ``APIKeyCommandError`` to refuse with a message.
    static func prepareNewKey(_ key: Model, options: Options, on database: any Database) async throws

    /// Narrows which keys `list`, `revoke` and `delete` see, from the options: one owner's. All
    /// keys by default.
    static func keys(_ query: QueryBuilder<Model>, options: Options) -> QueryBuilder<Model>

    /// Where the commands write; the process's standard output and error by default.
    static var output: CommandOutput { get }

    /// The header the app reads keys from, for `--server`: the management key is sent in it.
    /// `Authorization: Api-Key <key>` by default.
    ///
    /// ```swift
    /// static var keyHeader: KeyHeader { .custom("X-Api-Key") }
    /// ```
    static var keyHeader: KeyHeader { get throws }
}

extension APIKeyCommandEnvironment {
    /// Nothing to set.
    public static func prepareNewKey(_ key: Model, options: Options, on database: any Database) async throws {}

    /// Every key.
    public static func keys(_ query: QueryBuilder<Model>, options: Options) -> QueryBuilder<Model> { query }

    /// The process's standard output and error.
    public static var output: CommandOutput { .terminal }

    /// `Authorization: Api-Key <key>`.
    public static var keyHeader: KeyHeader { .authorization() }
}

/// No options beyond the commands' own: the default of ``APIKeyCommandEnvironment/Options``.
public struct NoCommandOptions: ParsableArguments {
    /// Nothing.
    public init() {}
}

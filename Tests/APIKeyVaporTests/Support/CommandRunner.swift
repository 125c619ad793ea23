@testable import APIKeyCommands
import APIKeyCore
import APIKeyVapor
import ArgumentParser
import Fluent
import TestSupport
import Vapor

/// What one command run printed on standard output, and its error message, if it failed.
struct CommandRun {
    let output: String
    let error: String?
}

/// The manager and the output of the command running in this task.
enum CommandUnderTest {
    @TaskLocal static var manager: (any Sendable)?
    @TaskLocal static var output: CommandOutput?
}

/// `api-keys` on the app of the test that runs it.
enum TestKeys<Model: APIKeyModel>: APIKeyCommandEnvironment {
    static func withManager(_ body: (APIKeyManager<Model>) async throws -> Void) async throws {
        guard let manager = CommandUnderTest.manager as? APIKeyManager<Model> else { throw APIKeyCommandError("no manager for this test") }
        try await body(manager)
    }

    static var output: CommandOutput { CommandUnderTest.output ?? .terminal }
}

/// Runs `api-keys ARGUMENTS…` against `app`, as the example's executable would.
func runAPIKeysCommand(_ app: Application, _ arguments: String...) async -> CommandRun {
    await runAPIKeysCommand(app, APIKey.self, arguments)
}

/// Runs `api-keys ARGUMENTS…` against `app`, as the example's executable would.
func runAPIKeysCommand(_ app: Application, _ arguments: [String]) async -> CommandRun {
    await runAPIKeysCommand(app, APIKey.self, arguments)
}

/// Runs `api-keys ARGUMENTS…` for `model` keys against `app`.
func runAPIKeysCommand<Model: APIKeyModel>(_ app: Application, _ model: Model.Type, _ arguments: [String]) async -> CommandRun {
    await runAPIKeysCommand(app, TestKeys<Model>.self, arguments)
}

/// Runs `api-keys ARGUMENTS…` with the commands' `environment` against `app`.
func runAPIKeysCommand<Environment: APIKeyCommandEnvironment>(
    _ app: Application, _ environment: Environment.Type, _ arguments: [String]
) async -> CommandRun {
    let printed = Locked("")
    let output = CommandOutput(standardOutput: { line in printed.withLock { $0 += line + "\n" } }, standardError: { _ in })
    let (code, message) = await CommandUnderTest.$manager.withValue(app.apiKeys.manager(Environment.Model.self)) {
        await CommandUnderTest.$output.withValue(output) {
            await APIKeysCommand<Environment>.execute(arguments)
        }
    }
    return CommandRun(output: printed.withLock { $0 }, error: code == .success ? nil : message ?? "")
}

/// `--hero NAME`: upstream's heroes own keys; the commands make and see one hero's.
struct HeroOption: ParsableArguments {
    // Qualified: Vapor (ConsoleKit) has an `Option` of its own.
    @ArgumentParser.Option(help: "The hero whose keys these are.") var hero: String
}

/// `api-keys` for heroes' keys, with the owner found by name.
enum HeroKeys: APIKeyCommandEnvironment {
    static func withManager(_ body: (APIKeyManager<HeroAPIKey>) async throws -> Void) async throws {
        try await TestKeys<HeroAPIKey>.withManager(body)
    }

    static func prepareNewKey(_ key: HeroAPIKey, options: HeroOption, on database: any Database) async throws {
        guard let hero = try await Hero.query(on: database).filter(\.$name == options.hero).first() else {
            throw APIKeyCommandError("no hero is named \(options.hero)")
        }
        key.$hero.id = try hero.requireID()
    }

    static func keys(_ query: QueryBuilder<HeroAPIKey>, options: HeroOption) -> QueryBuilder<HeroAPIKey> {
        query.join(parent: \.$hero).filter(Hero.self, \.$name == options.hero)
    }

    static var output: CommandOutput { TestKeys<HeroAPIKey>.output }
}

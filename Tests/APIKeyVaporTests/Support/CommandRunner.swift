@testable import APIKeyCommands
import APIKeyCore
import APIKeyVapor
import ArgumentParser
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
    let printed = Locked("")
    let output = CommandOutput(standardOutput: { line in printed.withLock { $0 += line + "\n" } }, standardError: { _ in })
    let (code, message) = await CommandUnderTest.$manager.withValue(app.apiKeys.manager(model)) {
        await CommandUnderTest.$output.withValue(output) {
            await APIKeysCommand<TestKeys<Model>>.execute(arguments)
        }
    }
    return CommandRun(output: printed.withLock { $0 }, error: code == .success ? nil : message ?? "")
}

import APIKeyCore
import APIKeyVapor
import Vapor

/// A console that keeps what commands print, to run `api-keys …` in-process and read its output.
final class CapturingConsole: Console {
    private let state = Locked<(output: String, userInfo: [AnySendableHashable: any Sendable])>(("", [:]))

    var printed: String { state.withLock { $0.output } }
    var size: (width: Int, height: Int) { (120, 40) }
    var userInfo: [AnySendableHashable: any Sendable] {
        get { state.withLock { $0.userInfo } }
        set { state.withLock { $0.userInfo = newValue } }
    }

    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) { state.withLock { $0.output += text.description + (newLine ? "\n" : "") } }
    func report(error: String, newLine: Bool) { state.withLock { $0.output += error + (newLine ? "\n" : "") } }
    func clear(_ type: ConsoleClear) {}
}

/// What one command run printed, and the error it ended with, if any.
struct CommandRun {
    let output: String
    let error: (any Error)?
}

/// Runs `api-keys ARGUMENTS…` against `app`, as the example's executable would.
func runAPIKeysCommand(_ app: Application, _ arguments: String...) async -> CommandRun {
    await runAPIKeysCommand(app, arguments)
}

/// Runs `api-keys ARGUMENTS…` against `app`, as the example's executable would.
func runAPIKeysCommand(_ app: Application, _ arguments: [String]) async -> CommandRun {
    await runAPIKeysCommand(app, APIKey.self, arguments)
}

/// Runs `api-keys ARGUMENTS…` for `model` keys against `app`.
func runAPIKeysCommand<Model: APIKeyModel>(_ app: Application, _ model: Model.Type, _ arguments: [String]) async -> CommandRun {
    let console = CapturingConsole()
    var context = CommandContext(console: console, input: CommandInput(arguments: ["api-keys"] + arguments))
    context.application = app
    do {
        try await console.run(APIKeysCommand(model), with: context)
        return CommandRun(output: console.printed, error: nil)
    } catch {
        return CommandRun(output: console.printed, error: error)
    }
}

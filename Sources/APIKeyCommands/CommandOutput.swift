import Foundation

/// Where the key commands write: standard output holds only what scripts capture (a new key, a
/// listing); messages for people go to standard error. An app's tests can collect both:
///
/// ```swift
/// enum TestKeys: APIKeyCommandEnvironment {
///     static func withManager(_ body: (APIKeyManager<APIKey>) async throws -> Void) async throws { … }
///     static var output: CommandOutput { CommandOutput(standardOutput: { printed.append($0) }, standardError: { _ in }) }
/// }
/// ```
public struct CommandOutput: Sendable {
    /// Writes one line of what scripts capture.
    public var standardOutput: @Sendable (String) -> Void
    /// Writes one line for people.
    public var standardError: @Sendable (String) -> Void

    /// Output through two writers, e.g. a framework's console.
    public init(standardOutput: @escaping @Sendable (String) -> Void, standardError: @escaping @Sendable (String) -> Void) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// The process's own standard output and standard error.
    public static let terminal = CommandOutput(
        standardOutput: { line in CommandStandardOutput.write(line + "\n") },
        standardError: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
}

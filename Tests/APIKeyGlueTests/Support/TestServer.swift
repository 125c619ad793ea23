import APIKeyCore
import APIKeyFluent
import FluentKit
import Logging
import TestSupport
import Testing

/// The two frameworks, serving the same routes: every case in this target runs on both.
enum Framework: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case vapor, hummingbird
    var testDescription: String { rawValue }

    /// Every framework on every test database.
    static var all: [(Framework, TestDatabase)] { allCases.flatMap { framework in TestDatabase.all.map { (framework, $0) } } }
}

/// Where a test server reads the key.
enum KeySourceChoice: Sendable {
    case header(KeyHeader)
    /// A cookie named `api_key`, as an app's own rule reads it.
    case cookie
}

/// How a test configures its server.
struct ServerOptions: Sendable {
    var keySource = KeySourceChoice.header(.authorization())
    var settings = APIKeySettings(scopes: DeclaredScopes(TestScope.self))
    var logger = Logger(label: "test")
    /// No database at all, as when it is down: every lookup fails.
    var databaseDown = false
    /// The leak endpoint's settings, at `POST /api/leaked-keys` (for `APIKey` and `HeroAPIKey`).
    var leakReporting = LeakReporting()

    /// Options whose app logs into `capture`, to check what is (and is not) logged.
    static func logging(to capture: LogCapture) -> ServerOptions {
        var options = ServerOptions()
        options.logger = capture.logger()
        return options
    }
}

/// One response, as either framework gives it.
struct TestResponse: Sendable {
    let status: Int
    /// Header values by lowercased name.
    let headers: [String: [String]]
    let body: String

    func header(_ name: String) -> String? { headers[name.lowercased()]?.first }
}

/// A server under test: the routes of ``TestRoutes``, on one framework.
protocol TestServer: Sendable {
    func send(_ method: String, _ path: String, headers: [(String, String)], body: String?) async throws -> TestResponse
    /// A manager that shares the server's cache.
    func manager<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyManager<Model>
    /// The database, for fixtures.
    var database: any Database { get }
    /// Makes the app's caches forget everything, as after a change made behind the library's back.
    /// The app's key events.
    var events: APIKeyEvents { get }

    func forgetCache()
    /// Writes the keys' usage gathered so far.
    func writeUsage() async
}

extension TestServer {
    func get(_ path: String, _ headers: [(String, String)] = []) async throws -> TestResponse {
        try await send("GET", path, headers: headers, body: nil)
    }

    func get(_ path: String, key: PlaintextAPIKey, _ more: [(String, String)] = []) async throws -> TestResponse {
        try await get(path, [("Authorization", "Api-Key \(key.reveal())")] + more)
    }
}

/// The routes both frameworks serve, and what each answers.
///
/// - `GET /api/public`: open.
/// - `GET /api/protected`: a key of the built-in model; "Hello, NAME!".
/// - `GET /api/heroes`: a key of ``HeroAPIKey`` (a retired hero's is refused); "Hello, NAME!".
/// - `GET /api/either`: a key or a user (`X-User`); the key's or the user's name.
/// - `GET /api/both`: a key and a user; "both".
/// - `GET /api/documents/:owner`: a key, and an object-level check: the key's name is the owner.
/// - `GET /api/errors/:code`: a handler that throws the manager's error of that code, or the
///   store's (`unavailable`).
enum TestRoutes {
    static func managerError(_ code: String) -> any Error {
        switch code {
        case "invalid_name": APIKeyManagerError.invalidName("A name is required.")
        case "not_found": APIKeyManagerError.notFound(prefix: "zzzzzzzz")
        case "still_referenced": APIKeyManagerError.stillReferenced
        default: APIKeyStoreUnavailable()
        }
    }
}

/// Runs `test` with a server of `framework` on a fresh database of `database`, with the built-in
/// and the hero key tables.
func withServer(
    _ framework: Framework, _ database: TestDatabase, _ options: ServerOptions = ServerOptions(),
    _ test: @Sendable (any TestServer) async throws -> Void
) async throws {
    switch framework {
    case .vapor: try await withVaporServer(database, options, test)
    case .hummingbird: try await withHummingbirdServer(database, options, test)
    }
}

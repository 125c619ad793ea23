// The Swift alternatives a user would otherwise pick, for `scripts/bench-http.sh` only: Vapor's
// `ModelTokenAuthenticatable` and a hummingbird-auth bearer authenticator, each with a token in
// plain text and one Fluent query per request, on the example's database. Each also serves
// `/no-check`: the framework's own authentication idiom with no check at all (any bearer token
// logs in one fixed identity), the ceiling that no key check on that framework can pass.
//
//   DATABASE_URL=… api-key-bench-peers seed COUNT TOKEN_FILE
//   DATABASE_URL=… api-key-bench-peers vapor PORT
//   DATABASE_URL=… api-key-bench-peers hummingbird PORT
import APIKeyExampleShared
import Fluent
import FluentKit
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import NIOPosix
import Vapor

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: api-key-bench-peers seed COUNT TOKEN_FILE | vapor PORT | hummingbird PORT\n".utf8))
    exit(2)
}
let logger: Logger = {
    var logger = Logger(label: "bench-peers")
    logger.logLevel = .warning
    return logger
}()

switch arguments[1] {
case "seed": try await seed(count: Int(arguments[2]) ?? 1_000, tokenFile: arguments[3])
case "vapor": try await serveVapor(port: Int(arguments[2]) ?? 8090)
default: try await serveHummingbird(port: Int(arguments[2]) ?? 8091)
}

/// `COUNT` users with a token each; the first token is written to `TOKEN_FILE`.
func seed(count: Int, tokenFile: String) async throws {
    let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
    try ExampleDatabaseURL.location().use(on: databases)
    let database = databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    let migrations = Migrations()
    migrations.add(CreatePeerTables())
    let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
    try await migrator.setupIfNeeded().get()
    try await migrator.prepareBatch().get()
    let user = PeerUser(name: "bench")
    try await user.create(on: database)
    var first = ""
    for start in stride(from: 0, to: count, by: 1_000) {
        let tokens = (start..<min(count, start + 1_000)).map { _ in
            let token = PeerToken()
            token.value = (0..<40).map { _ in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".randomElement()! }.map(String.init).joined()
            token.$user.id = user.id!
            return token
        }
        if first.isEmpty { first = tokens[0].value }
        try await tokens.create(on: database)
    }
    try first.write(toFile: tokenFile, atomically: true, encoding: .utf8)
    await databases.shutdownAsync()
}

// MARK: Vapor, as its documentation teaches

extension PeerUser: Authenticatable {}

extension PeerToken: ModelTokenAuthenticatable {
    static var valueKey: KeyPath<PeerToken, Field<String>> { \PeerToken.$value }
    static var userKey: KeyPath<PeerToken, Parent<PeerUser>> { \PeerToken.$user }
    var isValid: Bool { true }
}

struct PeerGreeting: Content, ResponseCodable {
    let message: String
}

func serveVapor(port: Int) async throws {
    // Vapor reads its command from the environment's arguments, not from this tool's.
    let environment = Vapor.Environment(name: "production", arguments: ["api-key-bench-peers", "serve", "--hostname", "127.0.0.1", "--port", "\(port)"])
    let app = try await Vapor.Application.make(environment)
    app.logger = logger
    try ExampleDatabaseURL.location().use(on: app.databases)
    app.get("open") { _ in PeerGreeting(message: "Hello, world!") }
    app.grouped(PeerToken.authenticator(), PeerUser.guardMiddleware()).get("protected") { req in
        PeerGreeting(message: "Hello, \(try req.auth.require(PeerUser.self).name)!")
    }
    app.grouped(NoCheckAuthenticator(), NoCheckUser.guardMiddleware()).get("no-check") { req in
        PeerGreeting(message: "Hello, \(try req.auth.require(NoCheckUser.self).name)!")
    }
    try await app.execute()
    try await app.asyncShutdown()
}

/// Whoever sent a bearer token: `/no-check` only.
struct NoCheckUser: Authenticatable {
    let name: String
}

/// Vapor's bearer authenticator, answered on the event loop as a cache hit is, with no lookup and
/// no hash: never do this outside a benchmark.
struct NoCheckAuthenticator: BearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Vapor.Request) -> EventLoopFuture<Void> {
        request.auth.login(NoCheckUser(name: "bench"))
        return request.eventLoop.makeSucceededVoidFuture()
    }
}

// MARK: Hummingbird, with hummingbird-auth's authenticator protocol

struct PeerIdentity: Sendable {
    let name: String
}

/// A bearer token, looked up with one Fluent query.
struct PeerBearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = BasicAuthRequestContext<PeerIdentity>
    let databases: Databases

    func authenticate(request: Hummingbird.Request, context: Context) async throws -> PeerIdentity? {
        guard let bearer = request.headers.bearer else { return nil }
        let database = databases.database(logger: context.logger, on: MultiThreadedEventLoopGroup.singleton.any())!
        guard let token = try await PeerToken.query(on: database).filter(\.$value == bearer.token).with(\.$user).first() else { return nil }
        return PeerIdentity(name: token.user.name)
    }
}

/// hummingbird-auth's authenticator with no lookup and no hash: any bearer token is one fixed
/// identity. `/no-check` only: never do this outside a benchmark.
struct NoCheckBearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = BasicAuthRequestContext<PeerIdentity>

    func authenticate(request: Hummingbird.Request, context: Context) async throws -> PeerIdentity? {
        request.headers.bearer == nil ? nil : PeerIdentity(name: "bench")
    }
}

func serveHummingbird(port: Int) async throws {
    let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
    try ExampleDatabaseURL.location().use(on: databases)
    let router = Router(context: BasicAuthRequestContext<PeerIdentity>.self)
    router.get("open") { _, _ in PeerGreeting(message: "Hello, world!") }
    router.group("protected").add(middleware: PeerBearerAuthenticator(databases: databases)).add(middleware: IsAuthenticatedMiddleware())
        .get { _, context in PeerGreeting(message: "Hello, \(try context.requireIdentity().name)!") }
    router.group("no-check").add(middleware: NoCheckBearerAuthenticator()).add(middleware: IsAuthenticatedMiddleware())
        .get { _, context in PeerGreeting(message: "Hello, \(try context.requireIdentity().name)!") }
    let app = Hummingbird.Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    try await app.runService()
    await databases.shutdownAsync()
}

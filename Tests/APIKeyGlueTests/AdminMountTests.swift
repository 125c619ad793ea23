import APIKeyFluent
import APIKeyHummingbird
import APIKeyHummingbirdAdmin
import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import FluentKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import Vapor
import VaporTesting

/// The admin panel lives under `keys` in the group it is mounted on, on both frameworks: its
/// links follow, wherever that is.
@Suite("The admin panel, mounted on both frameworks")
struct AdminMountTests {
    @Test("mounted in a nested group, every link and form starts with that group's path")
    func vapor() async throws {
        let app = try await Vapor.Application.make(.testing)
        let fresh = try await TestDatabase.sqlite.make()
        do {
            app.databases.use(fresh.configuration, as: fresh.id)
            app.migrations.add(APIKeyMigrations.all)
            try await app.autoMigrate()
            try app.grouped("admin", "tenant").register(collection: APIKeyAdmin())
            let response = try await app.testing().sendRequest(.GET, "/admin/tenant/keys")
            #expect(response.status == .ok)
            #expect(response.body.string.contains(#"href="/admin/tenant/keys/new""#))
            #expect(response.body.string.contains(#"action="/admin/tenant/keys""#))
            #expect(try await app.testing().sendRequest(.GET, "/admin/keys").status == .notFound)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        await fresh.drop()
    }

    @Test("mounted in a nested group on Hummingbird: the same links")
    func hummingbird() async throws {
        let fresh = try await TestDatabase.sqlite.make()
        let fluent = FluentService(logger: .init(label: "test"))
        fluent.databases.use(fresh.configuration, as: fresh.id)
        fluent.migrations.add(APIKeyMigrations.all)
        do {
            try await fluent.migrate()
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            APIKeyAdmin(APIKeys(fluent: fluent)).add(to: router.group("admin/tenant"))
            try await Hummingbird.Application(router: router).test(.router) { client in
                try await client.execute(uri: "/admin/tenant/keys", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#"href="/admin/tenant/keys/new""#))
                    #expect(String(buffer: response.body).contains(#"action="/admin/tenant/keys""#))
                }
            }
        } catch {
            await fluent.shutdown()
            throw error
        }
        await fluent.shutdown()
        await fresh.drop()
    }
}

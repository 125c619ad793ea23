import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// The app's key events, on Vapor and on Hummingbird alike.
@Suite("Key events, on both frameworks")
struct EventsOnRoutesTests {
    @Test(
        "the app's event stream sees every change its managers make, in order, attributed, never with a key; with recordsEvents, the same in api_key_events",
        arguments: Framework.all)
    func lifeOfAKey(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.settings.recordsEvents = true
        try await withServer(framework, database, options) { server in
            // A subscription sees what is published after it is made: made first, read after.
            var subscription = server.events.makeAsyncIterator()

            let keys = server.manager(APIKey.self).acting(as: "test")
            let (record, key) = try await keys.createKey(name: "audited")
            record.name = "audited, renamed"
            try await keys.update(record)
            try await keys.suspend(prefixes: [record.prefix])
            try await keys.suspend(prefixes: [record.prefix])  // already suspended: no event
            try await keys.resume(prefixes: [record.prefix])
            let (replacement, _) = try await keys.rotate(prefix: record.prefix, grace: .zero)
            try await keys.revoke(prefixes: [replacement.prefix, "zzzzzzzz"])
            try await keys.revoke(prefixes: [replacement.prefix])  // already revoked: no event
            try await keys.delete(prefix: record.prefix)
            #expect(try await server.get("/api/protected", key: key).status == 401)

            let expected: [(APIKeyEventKind, String)] = [
                (.created, record.prefix), (.updated, record.prefix), (.suspended, record.prefix), (.resumed, record.prefix),
                (.created, replacement.prefix), (.rotated, record.prefix), (.revoked, replacement.prefix), (.deleted, record.prefix),
            ]
            var seen: [APIKeyEvent] = []
            for _ in expected { if let event = await subscription.next() { seen.append(event) } }
            #expect(seen.map(\.kind) == expected.map(\.0))
            #expect(seen.map(\.prefix) == expected.map(\.1))
            #expect(seen.allSatisfy { $0.source == "test" && $0.keyTable == "api_keys" })
            #expect(seen[5].detail == "replaced by \(replacement.prefix)" && seen[4].detail == "replaces \(record.prefix)")
            #expect(seen[0].name == "audited" && seen[1].name == "audited, renamed")
            #expect(!seen.map { "\($0)" }.joined().contains(key.reveal()))

            let recorded = try await keys.events(limit: 100)
            #expect(recorded.map(\.kind) == expected.map(\.0).reversed())
            #expect(try await keys.events(prefix: replacement.prefix).map(\.kind) == [.revoked, .created])
        }
    }
}

import APIKeyFluent
import Foundation
import Testing

/// An identity is a value: equal and hashed by its fields, however it is stored.
@Suite("An API key's identity")
struct APIKeyIdentityTests {
    static func identity(id: UUID, name: String) -> APIKeyIdentity<APIKey> {
        APIKeyIdentity(
            id: id, prefix: "abcdEFGH", name: name, createdAt: Date(timeIntervalSince1970: 0), expiresAt: nil,
            details: NoIdentityDetails())
    }

    @Test("two identities made apart with the same fields are equal and hash alike; a field apart, they differ")
    func equalByValue() {
        let id = UUID()
        let one = Self.identity(id: id, name: "partner")
        let same = Self.identity(id: id, name: "partner")
        #expect(one == same && one.hashValue == same.hashValue)
        #expect(Set([one, same]).count == 1)
        #expect(one != Self.identity(id: id, name: "renamed"))
        #expect(one != Self.identity(id: UUID(), name: "partner"))
    }
}

@testable import APIKeyCore
import Foundation
import Testing

private enum Scope: String, APIKeyScope {
    case read = "docs:read", write = "docs:write", admin = "users.admin", sandbox
}

@Suite("Scope requirements and metadata")
struct ScopeAndMetadataTests {
    @Test("all, any and not, nested; what a refusal names")
    func requirements() {
        let held: APIKeyScopes = ["docs:read", "sandbox"]
        #expect(ScopeRequirement.scope(Scope.read).isSatisfied(by: held))
        #expect(!ScopeRequirement.all(Scope.read, .write).isSatisfied(by: held))
        #expect(ScopeRequirement.all(Scope.read, .write).missing(from: held) == ["docs:write"])
        #expect(ScopeRequirement.any(Scope.write, .admin).missing(from: held) == ["docs:write", "users.admin"])
        #expect(ScopeRequirement.any(Scope.read, .write).isSatisfied(by: held))
        #expect(!ScopeRequirement.not(Scope.sandbox).isSatisfied(by: held) && ScopeRequirement.not(Scope.sandbox).missing(from: held).isEmpty)
        #expect(ScopeRequirement.all(.any(Scope.read, .write), .not(.admin)).isSatisfied(by: held))
        #expect(!ScopeRequirement.all(.any(Scope.read, .write), .scope(.admin)).isSatisfied(by: held))
        #expect(!ScopeRequirement.scope(Scope.read).isSatisfied(by: ["DOCS:READ", "docs:*", "docs"]), "no case folding, no wildcards")
        #expect(ScopeRequirement.all(Scope.read).isSatisfied(by: []) == false)
    }

    @Test("declared scopes validate names, keep declaration order, and say what is declared")
    func declared() throws {
        let declared = DeclaredScopes(Scope.self)
        #expect(try declared.validate(["docs:write", "docs:read", "docs:write"]) == ["docs:read", "docs:write"])
        #expect(throws: APIKeyFieldError(field: .scopes, description: "Unknown scope 'docs:delete', 'x'. Declared scopes: docs:read, docs:write, users.admin, sandbox.")) {
            try declared.validate(["docs:delete", "x"])
        }
        #expect(throws: APIKeyFieldError.self) { try DeclaredScopes.none.validate(["docs:read"]) }
        #expect(DeclaredScopes.isWellFormed("a:b.c_d-e") && !DeclaredScopes.isWellFormed("a b") && !DeclaredScopes.isWellFormed("a\"b")
            && !DeclaredScopes.isWellFormed("") && !DeclaredScopes.isWellFormed(String(repeating: "a", count: 65)) && !DeclaredScopes.isWellFormed("a*"))
    }

    @Test("the insufficient_scope challenge follows the key source's challenge")
    func challenge() {
        #expect(APIKeyRefusal.insufficientScope(["a:b"], challenge: "Api-Key").challenge == #"Api-Key error="insufficient_scope", scope="a:b""#)
        #expect(APIKeyRefusal.insufficientScope(["a", "b"], challenge: #"Api-Key header="X-Api-Key""#).challenge
            == #"Api-Key header="X-Api-Key", error="insufficient_scope", scope="a b""#)
        #expect(APIKeyRefusal.insufficientScope([], challenge: "Api-Key").challenge == #"Api-Key error="insufficient_scope""#)
    }

    @Test("metadata: a JSON object of at most 4 KiB, read by key or decoded")
    func metadata() throws {
        let metadata = try APIKeyMetadata(json: #"{"customer":"cus_1","seats":3,"tags":["a",null,true],"nested":{"x":1.5}}"#)
        #expect(metadata["customer"] == .string("cus_1") && metadata["seats"] == .number(3))
        #expect(metadata["tags"] == .array([.string("a"), .null, .bool(true)]))
        struct Billing: Decodable { let customer: String; let seats: Int }
        #expect(try metadata.decode(Billing.self).seats == 3)
        #expect(metadata.json == #"{"customer":"cus_1","nested":{"x":1.5},"seats":3,"tags":["a",null,true]}"#)
        for bad in ["[1]", "1", "\"x\"", "{", "", "null", "{\"a\":}"] {
            #expect(throws: APIKeyFieldError.self, "\(bad)") { try APIKeyMetadata(json: bad) }
        }
        #expect(throws: APIKeyFieldError.self) { try APIKeyMetadata(json: #"{"a":""# + String(repeating: "x", count: 4100) + #""}"#) }
        #expect(throws: APIKeyFieldError.self) { try APIKeyMetadata(["a": .string(String(repeating: "é", count: 2100))]) }
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(throws: APIKeyFieldError.self) { try APIKeyMetadata(json: #"{"a":"# + deep + "}") }
    }
}

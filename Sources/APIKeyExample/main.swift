// The example service arrives with the Vapor integration. Until then this shows the core at work:
// a new key, what a database stores for it, and how requests carrying it are judged.
import APIKeyCore

let store = InMemoryAPIKeyStore()
let (record, newKey) = try store.createKey(name: "example")
let key = newKey.reveal()

print("""
    A new API key. It is shown once: store it somewhere safe.

        \(key)

    What a database stores for it (djangorestframework-api-key's format):

        prefix      \(record.prefix)
        hashed_key  \(record.hashedKey)

    How requests are judged:

    """)

let verifier = APIKeyVerifier(store: store)
let header = KeyHeader.authorization()
let requests: [(String, [String])] = [
    ("Authorization: Api-Key <the key>", ["Api-Key \(key)"]),
    ("Authorization: api-key <the key>", ["api-key \(key)"]),
    ("Authorization: Api-Key <prefix>.<wrong secret>", ["Api-Key \(record.prefix).\(String(repeating: "x", count: 32))"]),
    ("Authorization: Api-Key <unknown prefix>.<secret>", ["Api-Key zzzzzzzz.\(String(repeating: "x", count: 32))"]),
    ("Authorization: Bearer <the key>", ["Bearer \(key)"]),
    ("Authorization: Api-Key not-a-key", ["Api-Key not-a-key"]),
    ("(no Authorization header)", []),
]
for (description, values) in requests {
    let verdict =
        switch try await verifier.verify(header.extract(from: values)) {
        case .valid(let record): "granted (key \"\(record.name)\", prefix \(record.prefix))"
        case .denied(let reason): "refused: \(reason)"
        }
    let column = description + String(repeating: " ", count: max(1, 52 - description.count))
    print("    \(column)\(verdict)")
}

import APIKeyCore
package import FluentKit

extension QueryBuilder where Model: APIKeyModel {
    /// The keys this query finds, and the prefixes of those whose rows cannot be read (a column
    /// holds what its type cannot, such as a date that is not a date): for listings, which then
    /// show every other key and name the broken ones, instead of failing as a whole.
    package func readableKeys() async throws -> (keys: [Model], unreadablePrefixes: [String]) {
        let collected = Locked<(keys: [Model], failures: Int)>(([], 0))
        try await copy().all { result in
            collected.withLock { collected in
                switch result {
                case .success(let key): collected.keys.append(key)
                case .failure: collected.failures += 1
                }
            }
        }
        let (keys, failures) = collected.withLock { $0 }
        guard failures > 0 else { return (keys, []) }
        // The prefix column alone can be read: name the rows that could not.
        let readable = Set(keys.map(\.prefix))
        let prefixes = try await copy().prefixes()
        return (keys, prefixes.filter { !readable.contains($0) })
    }

    /// The prefixes of the keys this query finds, reading that column alone.
    package func prefixes() async throws -> [String] {
        try await copy().field(Model.column(Model.prefixKey)).all().map(\.prefix)
    }

    /// The prefixes and names of the keys this query finds, reading those two columns alone: for
    /// the events of a change to many keys.
    package func prefixesAndNames() async throws -> [(prefix: String, name: String)] {
        try await copy().field(Model.column(Model.prefixKey)).field(Model.column(Model.nameKey)).all().map { ($0.prefix, $0.name) }
    }
}

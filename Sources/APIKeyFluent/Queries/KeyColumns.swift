package import FluentKit
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

extension APIKeyModel {
    /// One of this model's columns in a query, as FluentKit writes a field's own.
    package static func column(_ key: FieldKey) -> DatabaseQuery.Field {
        .extendedPath([key], schema: schemaOrAlias, space: spaceIfNotAliased)
    }
}

/// The filters every key query needs, by the model's column names (``APIKeyModel/prefixKey`` and
/// the like): a model names no key paths.
extension QueryBuilder where Model: APIKeyModel {
    /// The key with this prefix.
    @discardableResult
    package func filter(prefix: String) -> Self {
        filter(Model.column(Model.prefixKey), .equal, .bind(prefix))
    }

    /// The keys with these prefixes.
    @discardableResult
    package func filter(prefixes: [String]) -> Self {
        filter(Model.column(Model.prefixKey), .subset(inverse: false), .array(prefixes.map { .bind($0) }))
    }

    /// The key whose stored hash is still this one.
    @discardableResult
    package func filter(hashedKey: String) -> Self {
        filter(Model.column(Model.hashedKeyKey), .equal, .bind(hashedKey))
    }

    /// The keys made at `date` or before: a listing's pages stay put while keys are made.
    @discardableResult
    package func filter(createdAtOrBefore date: Date) -> Self {
        filter(Model.column(Model.createdAtKey), .lessThanOrEqual, .bind(Model.databaseValue(for: date)))
    }

    /// Revoked keys, or the others.
    @discardableResult
    package func filter(revoked: Bool) -> Self {
        filter(Model.column(Model.revokedKey), .equal, .bind(revoked))
    }
}

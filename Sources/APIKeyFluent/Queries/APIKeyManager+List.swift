package import FluentKit
import FluentSQL
import SQLKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension APIKeyManager {
    /// The keys `query` finds: one page of them, their total, and which of them their model's
    /// rule refuses. Rows that cannot be read are named, not listed (see
    /// ``APIKeyPage/unreadablePrefixes``).
    ///
    /// ```swift
    /// let page = try await keys.list(APIKeyQuery(search: "billing", status: .active, limit: 25))
    /// for key in page.summaries { print(key.prefix, key.name, key.status) }
    /// ```
    public func list(_ query: APIKeyQuery) async throws -> APIKeyPage<Model> {
        try await list(query, narrowedBy: { $0 })
    }

    /// ``list(_:)``, with a filter of the caller's own on top (the admin panel's owner filter).
    package func list(_ query: APIKeyQuery, narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model>) async throws -> APIKeyPage<Model> {
        let now = service.settings.clock.now()
        let builder = Model.query(on: database)
        let usesLastUse = query.notUsedSince != nil || query.order == .recentlyUsed || query.order == .longestIdle
        if usesLastUse { joinLastUse(builder) }
        let filtered = narrow(filter(builder, query, now: now))
        let total = try await filtered.copy().count()
        let sorted = sort(filtered, query.order)
        if let limit = query.limit {
            sorted.range(max(0, query.offset)..<(max(0, query.offset) + max(0, limit)))
        } else if query.offset > 0 {
            sorted.offset(query.offset)
        }
        let (keys, unreadable) = try await sorted.readableKeys()
        return APIKeyPage(
            keys: keys, total: total, unreadablePrefixes: unreadable, unusablePrefixes: try await unusablePrefixes(among: keys),
            lastUses: await lastUses(of: keys), readAt: now)
    }

    /// When each of `keys` was last used, for those ever used; none when usage is not kept, or
    /// its table cannot be read (the `CreateAPIKeyUsage` migration has not run): the keys are
    /// listed all the same.
    private func lastUses(of keys: [Model]) async -> [String: Date] {
        guard service.settings.usage != nil, !keys.isEmpty else { return [:] }
        return (try? await UsageTables.lastUses(of: keys.map(\.prefix), table: service.keyTable, on: database)) ?? [:]
    }

    /// Joins each key's row of the last-use table, if it has one.
    private func joinLastUse(_ builder: QueryBuilder<Model>) {
        builder.query.joins.append(.custom(SQLQueryString(
            "LEFT JOIN \(ident: UsageTables.lastUse) ON \(ident: UsageTables.lastUse).\(ident: UsageTables.keyTable.description) = \(bind: service.keyTable) AND \(ident: UsageTables.lastUse).\(ident: UsageTables.prefix.description) = \(SQLColumn(Model.prefixKey.description, table: Model.schemaOrAlias))")))
    }

    /// The last-use column of the joined table.
    private static var lastUsedColumn: SQLColumn {
        SQLColumn(UsageTables.lastUsedAt.description, table: UsageTables.lastUse)
    }

    private func filter(_ builder: QueryBuilder<Model>, _ query: APIKeyQuery, now: Date) -> QueryBuilder<Model> {
        // A NUL byte makes PostgreSQL refuse the query; no name or prefix holds a control character.
        if let search = query.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty, Self.isStorable(search) {
            builder.group(.or) {
                $0.filter(Self.containsIgnoringCase(Model.nameKey, search))
                    .filter(Self.containsIgnoringCase(Model.prefixKey, search))
            }
        }
        let expiry = DatabaseQuery.Field.path([Model.expiresAtKey], schema: Model.schemaOrAlias)
        let limited = Model.self as? any AccessControlledAPIKeyModel.Type
        switch query.status {
        case .active:
            builder.filter(revoked: false).group(.or) {
                $0.filter(expiry, .equal, .null).filter(expiry, .greaterThanOrEqual, .bind(Model.databaseValue(for: now)))
            }
            if let limited { builder.filter(Model.column(limited.suspendedKey), .equal, .bind(false)) }
        case .revoked:
            builder.filter(revoked: true)
        case .expired:
            builder.filter(expiry, .lessThan, .bind(Model.databaseValue(for: now)))
        case .suspended:
            // A model without suspension has no suspended keys.
            if let limited {
                builder.filter(revoked: false).filter(Model.column(limited.suspendedKey), .equal, .bind(true))
            } else {
                builder.filter(revoked: true).filter(revoked: false)
            }
        default:
            break
        }
        if let since = query.notUsedSince {
            builder.filter(.sql(SQLQueryString("(\(Self.lastUsedColumn) IS NULL OR \(Self.lastUsedColumn) < \(bind: since))")))
        }
        if let scope = query.scope {
            if let limited, Self.isStorable(scope) {
                builder.filter(.sql(Self.holds(scope: scope, column: limited.scopesKey, on: database)))
            } else {
                builder.filter(revoked: true).filter(revoked: false)  // no key holds it
            }
        }
        return builder
    }

    private func sort(_ builder: QueryBuilder<Model>, _ order: APIKeyQuery.Order) -> QueryBuilder<Model> {
        switch order {
        case .oldestFirst: builder.sort(Model.createdAtKey, .ascending)
        case .name: builder.sort(Model.nameKey, .ascending).sort(Model.createdAtKey, .descending)
        case .recentlyUsed:
            // Never used last, on both databases (PostgreSQL puts NULL first when descending).
            builder.sort(DatabaseQuery.Field.sql(SQLQueryString("CASE WHEN \(Self.lastUsedColumn) IS NULL THEN 1 ELSE 0 END")), .ascending)
                .sort(DatabaseQuery.Field.sql(Self.lastUsedColumn), .descending).sort(Model.createdAtKey, .descending)
        case .longestIdle:
            builder.sort(DatabaseQuery.Field.sql(SQLQueryString("CASE WHEN \(Self.lastUsedColumn) IS NULL THEN 0 ELSE 1 END")), .ascending)
                .sort(DatabaseQuery.Field.sql(Self.lastUsedColumn), .ascending).sort(Model.createdAtKey, .ascending)
        default: builder.sort(Model.createdAtKey, .descending)
        }
    }

    /// The list column holds `scope`: a text array on PostgreSQL, JSON text on SQLite (as Fluent
    /// stores `[String]`).
    private static func holds(scope: String, column: FieldKey, on database: any Database) -> any SQLExpression {
        let list = SQLColumn(column.description, table: Model.schemaOrAlias)
        if (database as? any SQLDatabase)?.dialect.name == "postgresql" {
            return SQLQueryString("\(bind: scope) = ANY(\(list))")
        }
        return SQLQueryString("EXISTS (SELECT 1 FROM json_each(\(list)) WHERE json_each.value = \(bind: scope))")
    }

    /// `LOWER(column) LIKE '%text%'`: case-insensitive on SQLite and PostgreSQL alike (Fluent's
    /// `contains` is case-sensitive on PostgreSQL).
    private static func containsIgnoringCase(_ column: FieldKey, _ text: String) -> DatabaseQuery.Filter {
        .sql(SQLBinaryExpression(
            SQLFunction("LOWER", args: SQLColumn(column.description, table: Model.schemaOrAlias)),
            .like, SQLBind("%" + text.lowercased() + "%")))
    }

    /// The prefixes among `keys` that the model's ``APIKeyModel/usableKeys(_:)`` rule refuses (say,
    /// an inactive owner's): one query for the page, none for a model without a rule.
    package func unusablePrefixes(among keys: [Model]) async throws -> Set<String> {
        guard !keys.isEmpty, Model.hasUsabilityRule(on: database) else { return [] }
        let prefixes = keys.map(\.prefix)
        let usable = try await Model.usableKeys(Model.query(on: database)).filter(prefixes: prefixes).all()
        return Set(prefixes).subtracting(usable.map(\.prefix))
    }
}

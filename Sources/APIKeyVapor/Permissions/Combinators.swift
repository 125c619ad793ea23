public import Vapor

/// Either permission grants: DRF's `A | B`.
///
/// The object-level check is `(A.has_permission and A.has_object_permission) or
/// (B.has_permission and B.has_object_permission)`, as in DRF 3.14+. If one side cannot decide
/// (its database is down) but the other grants, the request is granted; if neither grants, the
/// failure is reported.
public struct AnyOfPermissions<First: RoutePermission, Second: RoutePermission>: RoutePermission {
    let first: First
    let second: Second

    /// Both sides' `has_permission`, short-circuiting on the first that grants.
    public func hasPermission(_ request: Request) async throws -> Bool {
        do {
            if try await first.hasPermission(request) { return true }
        } catch {
            let secondGrants = (try? await second.hasPermission(request)) ?? false
            if secondGrants { return true }
            throw error
        }
        return try await second.hasPermission(request)
    }

    /// `(A.hp and A.hop) or (B.hp and B.hop)`.
    public func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        if try await first.hasPermission(request), try await first.hasObjectPermission(request, object: object) { return true }
        guard try await second.hasPermission(request) else { return false }
        return try await second.hasObjectPermission(request, object: object)
    }
}

/// Both permissions grant: DRF's `A & B`.
public struct AllOfPermissions<First: RoutePermission, Second: RoutePermission>: RoutePermission {
    let first: First
    let second: Second

    /// `A.has_permission and B.has_permission`.
    public func hasPermission(_ request: Request) async throws -> Bool {
        guard try await first.hasPermission(request) else { return false }
        return try await second.hasPermission(request)
    }

    /// `A.has_object_permission and B.has_object_permission`.
    public func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        guard try await first.hasObjectPermission(request, object: object) else { return false }
        return try await second.hasObjectPermission(request, object: object)
    }
}

/// The permission does not grant: DRF's `~A`.
public struct NotPermission<Wrapped: RoutePermission>: RoutePermission {
    let wrapped: Wrapped

    /// `not A.has_permission`.
    public func hasPermission(_ request: Request) async throws -> Bool {
        try await !wrapped.hasPermission(request)
    }

    /// `not A.has_object_permission`.
    public func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        try await !wrapped.hasObjectPermission(request, object: object)
    }
}

/// Grants when either side grants.
///
/// ```swift
/// app.grouped(HasAPIKey() | IsAuthenticated<User>())
/// ```
public func | <First: RoutePermission, Second: RoutePermission>(first: First, second: Second) -> AnyOfPermissions<First, Second> {
    AnyOfPermissions(first: first, second: second)
}

/// Grants when both sides grant.
///
/// ```swift
/// app.grouped(HasAPIKey() & IsAuthenticated<User>())
/// ```
public func & <First: RoutePermission, Second: RoutePermission>(first: First, second: Second) -> AllOfPermissions<First, Second> {
    AllOfPermissions(first: first, second: second)
}

/// Grants when the permission does not.
///
/// ```swift
/// app.grouped(!IsAuthenticated<User>())
/// ```
public prefix func ! <Wrapped: RoutePermission>(wrapped: Wrapped) -> NotPermission<Wrapped> {
    NotPermission(wrapped: wrapped)
}

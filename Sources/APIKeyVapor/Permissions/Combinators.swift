import Vapor

/// Either permission grants: DRF's `A | B`.
///
/// The object-level check is `(A.has_permission and A.has_object_permission) or
/// (B.has_permission and B.has_object_permission)`, as in DRF 3.14+. As in DRF, a side that cannot
/// decide (it throws: a key store that does not answer) ends the expression, whatever the other
/// side would say: the request is refused with 503, never granted on a guess.
struct AnyOfPermissions<First: RoutePermission, Second: RoutePermission>: RoutePermission {
    let first: First
    let second: Second

    /// `A.has_permission or B.has_permission`, short-circuiting on the first that grants.
    func hasPermission(_ request: Request) async throws -> Bool {
        if try await first.hasPermission(request) { return true }
        return try await second.hasPermission(request)
    }

    /// `(A.hp and A.hop) or (B.hp and B.hop)`.
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        if try await first.hasPermission(request), try await first.hasObjectPermission(request, object: object) { return true }
        guard try await second.hasPermission(request) else { return false }
        return try await second.hasObjectPermission(request, object: object)
    }
}

/// Both permissions grant: DRF's `A & B`. A side that cannot decide ends the expression with
/// 503, as in ``AnyOfPermissions``.
struct AllOfPermissions<First: RoutePermission, Second: RoutePermission>: RoutePermission {
    let first: First
    let second: Second

    /// `A.has_permission and B.has_permission`.
    func hasPermission(_ request: Request) async throws -> Bool {
        guard try await first.hasPermission(request) else {
            // The answer is no either way; the other side is asked only to learn whether the
            // request's credentials were accepted, so that it gets 403, not 401 asking for them,
            // as in DRF (a signed-in user on a "key and user" route).
            _ = try? await second.hasPermission(request)
            return false
        }
        return try await second.hasPermission(request)
    }

    /// `A.has_object_permission and B.has_object_permission`.
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        guard try await first.hasObjectPermission(request, object: object) else { return false }
        return try await second.hasObjectPermission(request, object: object)
    }
}

/// The permission does not grant: DRF's `~A`. A permission that cannot decide stays undecided:
/// `!HasAPIKey()` with the key store down is 503, not a grant.
struct NotPermission<Wrapped: RoutePermission>: RoutePermission {
    let wrapped: Wrapped

    /// `not A.has_permission`.
    func hasPermission(_ request: Request) async throws -> Bool {
        try await !wrapped.hasPermission(request)
    }

    /// `not A.has_object_permission`.
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        try await !wrapped.hasObjectPermission(request, object: object)
    }
}

/// Grants when either side grants.
///
/// ```swift
/// app.grouped(HasAPIKey() | IsAuthenticated<User>())
/// ```
public func | <First: RoutePermission, Second: RoutePermission>(first: First, second: Second) -> some RoutePermission {
    AnyOfPermissions(first: first, second: second)
}

/// Grants when both sides grant.
///
/// ```swift
/// app.grouped(HasAPIKey() & IsAuthenticated<User>())
/// ```
public func & <First: RoutePermission, Second: RoutePermission>(first: First, second: Second) -> some RoutePermission {
    AllOfPermissions(first: first, second: second)
}

/// Grants when the permission does not.
///
/// ```swift
/// app.grouped(!IsAuthenticated<User>())
/// ```
public prefix func ! <Wrapped: RoutePermission>(wrapped: Wrapped) -> some RoutePermission {
    NotPermission(wrapped: wrapped)
}

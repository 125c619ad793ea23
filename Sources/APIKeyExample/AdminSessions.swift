import APIKeyExampleShared
import Fluent
import Vapor

/// Vapor's sessions for the example's admin, kept by ``AdminSessionStore`` (a table where they
/// expire, ids renewed at sign-in, only digests stored).
struct AdminSessions: SessionDriver {
    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { SessionID(string: try await AdminSessionStore.create(data.snapshot, on: request.db)) }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            try await AdminSessionStore.read(sessionID.string, on: request.db).map { SessionData(initialData: $0) }
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            // A session that ended meanwhile stays ended: the empty id makes the cookie factory
            // clear the cookie (see AdminLogin), since Vapor sets whatever id this returns.
            SessionID(string: try await AdminSessionStore.update(sessionID.string, to: data.snapshot, on: request.db) ?? AdminSessions.ended)
        }
    }

    /// The id of a session that has ended: its cookie is cleared.
    static let ended = ""

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask { try await AdminSessionStore.delete(sessionID.string, on: request.db) }
    }
}

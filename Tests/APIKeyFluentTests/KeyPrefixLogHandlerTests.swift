import APIKeyCore
import APIKeyFluent
import Foundation
import Logging
import TestSupport
import Testing

/// The prefix a granted request's logger carries: added to the lines that are logged, and an
/// entry of the logger's metadata like any other.
@Suite("The key's prefix on a request's log lines")
struct KeyPrefixLogHandlerTests {
    let identity = Self.identity("abcdEFGH")

    static func identity(_ prefix: String) -> APIKeyIdentity<APIKey> {
        APIKeyIdentity(id: UUID(), prefix: prefix, name: "tagged", createdAt: nil, expiresAt: nil, details: NoIdentityDetails())
    }

    @Test("tagging adds the prefix to logged lines without changing the app's other metadata")
    func tagged() {
        let capture = LogCapture()
        var logger = capture.logger()
        logger[metadataKey: "request-id"] = "42"
        APIKeyLog.tag(&logger, with: identity)
        logger.info("after")
        #expect(capture.all.last?.metadata == ["request-id": "42", "api_key_prefix": "abcdEFGH"])
        #expect(logger[metadataKey: "api_key_prefix"] == "abcdEFGH")
        #expect(logger.handler.metadata["api_key_prefix"] == "abcdEFGH" && logger.handler.metadata["request-id"] == "42")
    }

    @Test("a second tag changes the prefix in place; removing the entry removes it from lines")
    func retaggedAndRemoved() {
        let capture = LogCapture()
        var logger = capture.logger()
        APIKeyLog.tag(&logger, with: identity)
        APIKeyLog.tag(&logger, with: Self.identity("zyxwVUTS"))
        #expect(logger.handler is KeyPrefixLogHandler)
        logger.info("retagged")
        logger[metadataKey: "api_key_prefix"] = nil
        logger.info("removed")
        logger.handler.metadata = ["api_key_prefix": "set", "other": "kept"]
        logger.info("set")
        #expect(capture.all.map { $0.metadata["api_key_prefix"] } == ["zyxwVUTS", nil, "set"])
        #expect(capture.all.last?.metadata["other"] == "kept")
    }

    @Test("the log level is the app's handler's")
    func logLevel() {
        let capture = LogCapture()
        var logger = capture.logger()
        APIKeyLog.tag(&logger, with: identity)
        logger.logLevel = .error
        logger.info("hidden")
        logger.error("shown")
        #expect(capture.all.map(\.message) == ["shown"])
    }
}

// swift-tools-version:6.2
// libFuzzer targets for APIKeyCore, in their own package so that nothing here reaches users.
// Build and run them with scripts/fuzz.sh (it passes -sanitize=fuzzer,address).
import PackageDescription

let core: [Target.Dependency] = [.product(name: "APIKeyCore", package: "swift-api-key"), "FuzzSupport"]

let package = Package(
    name: "swift-api-key-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-api-key", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        // Header values, as a server hands them over: the key parser's first line of defence.
        .executableTarget(name: "FuzzKeyHeader", dependencies: core),
        // Whatever follows the keyword: shape check, prefix extraction, SHA-512 verification.
        .executableTarget(name: "FuzzPresentedKey", dependencies: core),
        // Stored hashes in every format (legacy ones included), checked against a key.
        .executableTarget(name: "FuzzHashes", dependencies: core),
        // Forwarded headers, addresses and ranges, metadata: what clients and administrators type.
        .executableTarget(name: "FuzzClientAddress", dependencies: core),
    ]
)

// swift-tools-version:6.2
import PackageDescription

// The same strictness as the Swift server packages we build on (hummingbird-auth, swift-crypto):
// explicit existentials, imports visible only where they are declared, and internal imports
// unless a module's types appear in our public API.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// For the targets that hold generated code (scripts/openapi/generate.sh), which imports more
// than each file uses: explicit access levels on those imports would each be a warning.
let generatedCodeSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-api-key",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "APIKeyCore", targets: ["APIKeyCore"]),
        .library(name: "APIKeyFluent", targets: ["APIKeyFluent"]),
        // Checking keys on a framework: nothing else (no admin, no commands).
        .library(name: "APIKeyVapor", targets: ["APIKeyVapor"]),
        .library(name: "APIKeyHummingbird", targets: ["APIKeyHummingbird"]),
        // The admin panel, mounted on each framework (LeafKit, SQLKit).
        .library(name: "APIKeyVaporAdmin", targets: ["APIKeyVaporAdmin"]),
        .library(name: "APIKeyHummingbirdAdmin", targets: ["APIKeyHummingbirdAdmin"]),
        // The management API (OpenAPI/api-keys.yaml), mounted on each framework, and its client.
        .library(name: "APIKeyVaporManagement", targets: ["APIKeyVaporManagement"]),
        .library(name: "APIKeyHummingbirdManagement", targets: ["APIKeyHummingbirdManagement"]),
        .library(name: "APIKeyManagementClient", targets: ["APIKeyManagementClient"]),
        // `api-keys create|list|revoke|delete` on swift-argument-parser, for any app.
        .library(name: "APIKeyCommands", targets: ["APIKeyCommands"]),
        .library(name: "APIKeyDjango", targets: ["APIKeyDjango"]),
        // Every instance hears of other processes' key changes at once: one per database.
        .library(name: "APIKeyPostgres", targets: ["APIKeyPostgres"]),
        .library(name: "APIKeySQLite", targets: ["APIKeySQLite"]),
        // For apps' own tests: a fixed clock, fixtures and the store conformance suite.
        .library(name: "APIKeyTesting", targets: ["APIKeyTesting"]),
        // The same, plus requests that carry a key, for VaporTesting.
        .library(name: "APIKeyVaporTesting", targets: ["APIKeyVaporTesting"]),
        .executable(name: "api-key-example", targets: ["APIKeyExample"]),
        .executable(name: "api-key-example-hummingbird", targets: ["APIKeyHummingbirdExample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Only its C bcrypt target (HummingbirdBcrypt) is built for APIKeyCore.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        // Tests and the example only: apps bring their own driver.
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        // `swift package generate-documentation`: the DocC catalogs (a plugin, nothing linked).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The management API: code generated ahead of time (scripts/openapi/generate.sh), served
        // by each framework's transport.
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        // `api-keys --server URL …`: the generated client over URLSession.
        .package(url: "https://github.com/apple/swift-openapi-urlsession.git", from: "1.4.0"),
    ],
    targets: [
        .target(
            name: "APIKeyCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyFluent",
            dependencies: [
                "APIKeyCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyDjango",
            dependencies: [
                "APIKeyFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyPostgres",
            dependencies: [
                "APIKeyFluent",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeySQLite",
            dependencies: [
                "APIKeyFluent",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyVapor",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyVaporAdmin",
            dependencies: [
                "APIKeyAdminPanel",
                "APIKeyVapor",
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyCommands",
            dependencies: [
                "APIKeyFluent",
                "APIKeyManagementClient",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyAdminPanel",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyHummingbird",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyHummingbirdAdmin",
            dependencies: [
                "APIKeyAdminPanel",
                "APIKeyHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The management API, for any framework: the generated server over APIKeyManager.
        .target(
            name: "APIKeyManagement",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                "APIKeyManagementContract",
            ],
            swiftSettings: swiftSettings
        ),
        // The contract (OpenAPI/api-keys.yaml) and the server code generated from it.
        .target(
            name: "APIKeyManagementContract",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: generatedCodeSettings
        ),
        .target(
            name: "APIKeyVaporManagement",
            dependencies: [
                "APIKeyManagement",
                "APIKeyVapor",
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyHummingbirdManagement",
            dependencies: [
                "APIKeyManagement",
                "APIKeyHummingbird",
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // The generated client: any transport (URLSession, AsyncHTTPClient) drives it.
        .target(
            name: "APIKeyManagementClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: generatedCodeSettings
        ),
        .target(
            name: "APIKeyTesting",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIKeyVaporTesting",
            dependencies: [
                "APIKeyTesting",
                "APIKeyVapor",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        // What both example services share: settings, the organization models, the key commands,
        // the admin's sessions and sign-in throttle. FluentKit and its drivers, no web framework.
        .target(
            name: "APIKeyExampleShared",
            dependencies: [
                "APIKeyAdminPanel",
                "APIKeyManagement",
                "APIKeyCommands",
                "APIKeyCore",
                "APIKeyDjango",
                "APIKeyFluent",
                "APIKeyPostgres",
                "APIKeySQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "APIKeyExample",
            dependencies: [
                "APIKeyExampleShared",
                "APIKeyCommands",
                "APIKeyDjango",
                "APIKeyPostgres",
                "APIKeySQLite",
                "APIKeyVapor",
                "APIKeyVaporAdmin",
                "APIKeyVaporManagement",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "APIKeyHummingbirdExample",
            dependencies: [
                "APIKeyExampleShared",
                "APIKeyAdminPanel",
                "APIKeyHummingbirdAdmin",
                "APIKeyHummingbirdManagement",
                "APIKeyCommands",
                "APIKeyCore",
                "APIKeyDjango",
                "APIKeyFluent",
                "APIKeyHummingbird",
                "APIKeyPostgres",
                "APIKeySQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Swift alternatives a user would otherwise pick, for scripts/bench-http.sh only: not a product.
        .executableTarget(
            name: "APIKeyBenchPeers",
            dependencies: [
                "APIKeyExampleShared",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIKeyCoreTests",
            dependencies: ["APIKeyCore", "APIKeyTesting"],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        // Databases, models and log capture shared by the test targets.
        .target(
            name: "TestSupport",
            dependencies: [
                "APIKeyFluent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIKeyFluentTests",
            dependencies: [
                "APIKeyAdminPanel",
                "APIKeyDjango",
                "APIKeyFluent",
                "APIKeyPostgres",
                "APIKeySQLite",
                "APIKeyTesting",
                "TestSupport",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIKeyHummingbirdTests",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                "APIKeyHummingbird",
                "APIKeyHummingbirdAdmin",
                "TestSupport",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIKeyExampleTests",
            dependencies: ["APIKeyExampleShared"],
            swiftSettings: swiftSettings
        ),
        // The same cases on Vapor and on Hummingbird: the glue of both frameworks.
        .testTarget(
            name: "APIKeyGlueTests",
            dependencies: [
                "APIKeyCore",
                "APIKeyFluent",
                "APIKeyHummingbird",
                "APIKeyHummingbirdAdmin",
                "APIKeyHummingbirdManagement",
                "APIKeyManagement",
                "APIKeyVaporManagement",
                "APIKeyVaporAdmin",
                "APIKeyTesting",
                "APIKeyVapor",
                "TestSupport",
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIKeyVaporTests",
            dependencies: [
                "APIKeyCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "APIKeyVaporAdmin",
                "APIKeyVaporManagement",
                "APIKeyManagementClient",
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                "APIKeyCore",
                "APIKeyDjango",
                "APIKeyPostgres",
                "APIKeySQLite",
                "APIKeyFluent",
                "APIKeyVapor",
                "APIKeyVaporTesting",
                "TestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            resources: [.copy("Corpus")],
            swiftSettings: swiftSettings
        ),
    ]
)

// swift-tools-version:6.2
// The apps of the README and the DocC articles, built as a user's app builds them: a package of
// their own that depends on swift-api-key, so they see its public API only, and its warnings.
// scripts/samples/test-samples.sh builds them and runs their commands and routes as a user would.
import PackageDescription

let package = Package(
    name: "swift-api-key-samples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-api-key", path: ".."),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Getting started on Vapor: Vapor's template, the built-in key model, and the commands.
        .executableTarget(
            name: "VaporQuickStart",
            dependencies: [
                .product(name: "APIKeyVapor", package: "swift-api-key"),
                .product(name: "APIKeyCommands", package: "swift-api-key"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ]),
        // Getting started on Hummingbird: the same app in hummingbird-auth's idioms.
        .executableTarget(
            name: "HummingbirdQuickStart",
            dependencies: [
                .product(name: "APIKeyHummingbird", package: "swift-api-key"),
                .product(name: "APIKeyCommands", package: "swift-api-key"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // A custom key model end to end: keys that belong to a company, refused when the company
        // is inactive, made with `api-keys create --company NAME`. The model, its migration and
        // its commands' hooks, framework-free; then the same app on Vapor and on Hummingbird.
        .target(
            name: "CompanyModel",
            dependencies: [
                .product(name: "APIKeyFluent", package: "swift-api-key"),
                .product(name: "APIKeyCommands", package: "swift-api-key"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "CompanyKeys",
            dependencies: [
                "CompanyModel",
                .product(name: "APIKeyVapor", package: "swift-api-key"),
                .product(name: "APIKeyCommands", package: "swift-api-key"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ]),
        .executableTarget(
            name: "HummingbirdCompanyKeys",
            dependencies: [
                "CompanyModel",
                .product(name: "APIKeyHummingbird", package: "swift-api-key"),
                .product(name: "APIKeyCommands", package: "swift-api-key"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ]),
    ]
)

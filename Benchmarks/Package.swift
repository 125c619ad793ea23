// swift-tools-version:6.2
// Benchmarks live in their own package so that apps depending on swift-api-key never resolve
// package-benchmark. Run them with scripts/bench.sh.
import PackageDescription

let package = Package(
    name: "swift-api-key-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-api-key", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "APIKeyCoreBenchmarks",
            dependencies: [
                .product(name: "APIKeyCore", package: "swift-api-key"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/APIKeyCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        )
    ]
)

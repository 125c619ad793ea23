// swift-tools-version: 6.0
// Builds swift-openapi-generator's command alone, for scripts/openapi/generate.sh: the generated
// code is committed, so the package itself never runs the generator's build plugin.
import PackageDescription

let package = Package(
    name: "APIKeyOpenAPIGenerator",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3")]
)

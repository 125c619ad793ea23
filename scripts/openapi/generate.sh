#!/usr/bin/env bash
# Generates the management API's Swift code from its contract, OpenAPI/api-keys.yaml, with
# swift-openapi-generator (built once in .build-openapi): the types and server stubs into
# Sources/APIKeyManagement/Generated, the client into Sources/APIKeyManagementClient/Generated.
# The output is committed; `--check` regenerates into a temporary folder and fails if the
# committed code differs from what the contract gives (what CI runs).
#
#   bash scripts/openapi/generate.sh           # regenerate after changing the contract
#   bash scripts/openapi/generate.sh --check   # the committed code matches the contract
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --package-path scripts/openapi/Generator --scratch-path .build-openapi --product swift-openapi-generator -c release >/dev/null
generator="$(swift build --package-path scripts/openapi/Generator --scratch-path .build-openapi -c release --show-bin-path)/swift-openapi-generator"

generate() {  # generate CONFIG OUTPUT
    mkdir -p "$2"
    "$generator" generate OpenAPI/api-keys.yaml --config "$1" --output-directory "$2" >/dev/null
}

if [ "${1:-}" = "--check" ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    generate scripts/openapi/server-config.yaml "$scratch/server"
    generate scripts/openapi/client-config.yaml "$scratch/client"
    diff -ru Sources/APIKeyManagement/Generated "$scratch/server" && diff -ru Sources/APIKeyManagementClient/Generated "$scratch/client" || {
        echo "error: the committed generated code does not match OpenAPI/api-keys.yaml: run bash scripts/openapi/generate.sh" >&2
        exit 1
    }
    echo "Generated code: matches OpenAPI/api-keys.yaml"
else
    generate scripts/openapi/server-config.yaml Sources/APIKeyManagement/Generated
    generate scripts/openapi/client-config.yaml Sources/APIKeyManagementClient/Generated
    echo "Generated Sources/APIKeyManagement/Generated and Sources/APIKeyManagementClient/Generated from OpenAPI/api-keys.yaml"
fi

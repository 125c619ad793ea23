#!/usr/bin/env bash
# Runs the microbenchmarks (package-benchmark, release build) and prints their tables.
#   bash scripts/bench.sh                  # all
#   bash scripts/bench.sh --filter verify  # extra arguments go to `swift package benchmark`
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
swift package --allow-writing-to-package-directory benchmark --no-progress "$@"

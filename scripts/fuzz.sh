#!/usr/bin/env bash
# Runs every libFuzzer target of Fuzz/ (built with -sanitize=fuzzer,address) for a bounded time.
#
#   bash scripts/fuzz.sh          # 60 s per target
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh
#
# Each target starts from Fuzz/Seeds/<target> plus what earlier runs found (Fuzz/.corpus, not
# committed). A crash, a failed invariant or a leak stops the run with libFuzzer's report and the
# input that caused it (Fuzz/.artifacts); the script then exits non-zero. Prints executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=(FuzzKeyHeader FuzzPresentedKey FuzzHashes FuzzClientAddress)

echo "Building the fuzz targets (libFuzzer + AddressSanitizer)..."
# lld, because gold crashes while linking libFuzzer's driver into a SwiftPM executable.
build_log=$(mktemp)
if ! swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >"$build_log" 2>&1; then
    # The compiler's own words: a fuzz target that no longer builds is a failure like any other.
    grep -E -A6 "error:" "$build_log" || tail -n 40 "$build_log"
    echo "fuzz: the fuzz targets do not build" >&2
    exit 1
fi
rm -f "$build_log"
bin=$(swift build --package-path Fuzz -c release --show-bin-path -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)

mkdir -p Fuzz/.artifacts
total=0
for target in "${targets[@]}"; do
    corpus="Fuzz/.corpus/$target"
    mkdir -p "$corpus"
    cp -n Fuzz/Seeds/"$target"/* "$corpus"/
    log=$(mktemp)
    if ! "$bin/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
        -artifact_prefix="Fuzz/.artifacts/$target-" -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz: $target failed; the input is in Fuzz/.artifacts/" >&2
        exit 1
    fi
    runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
    echo "  $target: $runs executions in ${seconds}s, no crash ($(ls "$corpus" | wc -l) inputs in its corpus)"
    total=$((total + runs))
    rm -f "$log"
done
echo "Fuzzing: $total executions over ${#targets[@]} targets, no crash"

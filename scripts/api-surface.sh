#!/usr/bin/env bash
# The public API, counted per module from the compiler's symbol graphs: types (structs, classes,
# enums, protocols, type aliases) and declarations (every public symbol, members and extensions
# of other modules' types included; synthesized members left out). Needs a debug build.
#
#   bash scripts/api-surface.sh            # a table
#   bash scripts/api-surface.sh --list     # and every public symbol, one per line
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-symbol-graph --minimum-access-level public --skip-synthesized-members >/dev/null 2>&1
python3 - "$(swift build --show-bin-path)/../symbolgraph" "${1:-}" <<'PY'
import collections, glob, json, os, sys
folder, listing = sys.argv[1], sys.argv[2] == "--list"
products = ["APIKeyCore", "APIKeyFluent", "APIKeyVapor", "APIKeyHummingbird", "APIKeyVaporAdmin", "APIKeyHummingbirdAdmin", "APIKeyAdminPanel", "APIKeyCommands", "APIKeyManagement", "APIKeyVaporManagement", "APIKeyHummingbirdManagement",
            "APIKeyDjango", "APIKeyPostgres", "APIKeySQLite", "APIKeyTesting", "APIKeyVaporTesting"]
type_kinds = {"swift.struct", "swift.class", "swift.enum", "swift.protocol", "swift.typealias"}
rows, total_types, total_decls = [], 0, 0
for module in products:
    symbols = {}
    for path in glob.glob(os.path.join(folder, f"{module}.symbols.json")) + glob.glob(os.path.join(folder, f"{module}@*.symbols.json")):
        for symbol in json.load(open(path))["symbols"]:
            symbols[symbol["identifier"]["precise"]] = symbol
    if not symbols and not glob.glob(os.path.join(folder, f"{module}.symbols.json")):
        continue
    types = [s for s in symbols.values() if s["kind"]["identifier"] in type_kinds]
    rows.append((module, len(types), len(symbols)))
    total_types += len(types)
    total_decls += len(symbols)
    if listing:
        for s in sorted(symbols.values(), key=lambda s: ".".join(s["pathComponents"])):
            print(f"{module}\t{s['kind']['identifier'].replace('swift.', '')}\t{'.'.join(s['pathComponents'])}")
print(f"{'module':<20} {'types':>6} {'declarations':>13}")
for module, types, decls in rows:
    print(f"{module:<20} {types:>6} {decls:>13}")
print(f"{'total':<20} {total_types:>6} {total_decls:>13}")
PY

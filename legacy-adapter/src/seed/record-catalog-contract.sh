#!/usr/bin/env bash
# Records the catalog contract's golden bodies from a freshly started monolith (no orders
# placed yet, so stock is the seed's). Both legacy-adapter and catalog-service tests assert
# their responses against these files byte for byte, with generatedAt normalized.
#   java -jar legacy-adapter/target/legacy-adapter-0.1.0-SNAPSHOT-exec.jar &
#   legacy-adapter/src/seed/record-catalog-contract.sh [http://127.0.0.1:8081]
set -euo pipefail
base="${1:-http://127.0.0.1:8081}"
dir="$(dirname "$0")/../test/resources/contract/catalog"
jq -r '.[] | "\(.name) \(.path) \(.status)"' "$dir/cases.json" | while read -r name path status; do
  actual=$(curl -s -o "$dir/$name.json" -w '%{http_code}' "$base$path")
  [[ "$actual" == "$status" ]] || { echo "$name: expected $status, got $actual" >&2; exit 1; }
  sed -i -E 's/"generatedAt":"[^"]*"/"generatedAt":"<ignored>"/' "$dir/$name.json"
  echo "$name ($status)"
done

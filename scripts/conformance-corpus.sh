#!/usr/bin/env bash
# Runs `cargo xtask conformance` on corpus documents (all of ../shared/openapi-corpus by
# default, or the file names given) and prints one Markdown table row per document:
# document | result line or first error | seconds. Full output per document goes to
# target/conformance/logs/NAME.txt. Documents are read in place, never copied.
set -uo pipefail
cd "$(dirname "$0")/.."
corpus="${CORPUS:-../shared/openapi-corpus}"
[ -d "$corpus" ] || corpus="../../shared/openapi-corpus"
[ -d "$corpus" ] || { echo "no corpus at ../shared/openapi-corpus (set CORPUS=DIR)"; exit 1; }
logs="target/conformance/logs"
mkdir -p "$logs"
if [ "$#" -eq 0 ]; then
  set -- $(cd "$corpus" && ls *.yaml *.yml *.json v3_1/*.yaml 2>/dev/null)
fi
cargo build --quiet -p xtask
echo "| document | result | seconds |"
echo "| --- | --- | ---: |"
for document in "$@"; do
  name="$(basename "$document")"
  start=$(date +%s.%N)
  nice cargo xtask conformance --spec "$corpus/$document" >"$logs/$name.txt" 2>&1
  end=$(date +%s.%N)
  result="$(grep -m1 -A1 '^conformance: ' "$logs/$name.txt" | sed 's/^conformance: //' | tr '\n' ' ' | sed 's/|/\\|/g' | cut -c1-220)"
  [ -n "$result" ] || result="$(grep -v '^installing' "$logs/$name.txt" | head -3 | tr '\n' ' ' | cut -c1-200)"
  printf '| %s | %s | %.0f |\n' "$document" "$result" "$(echo "$end - $start" | bc)"
done

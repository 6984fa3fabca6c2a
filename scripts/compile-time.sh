#!/usr/bin/env bash
# Measures what the generated client costs to build: `cargo build -p paypro` in debug and release
# with every dependency already built (only the crate's own sources are touched, then rebuilt;
# median of N runs), and the crate's size in lines, per file and in total. Prints markdown tables.
#
#   scripts/compile-time.sh [--runs N]
#
# It builds in its own target directory (target/compile-time), so other cargo runs neither hold
# its lock nor invalidate its dependencies. Debug is measured twice: as cargo does by default
# (incremental, so a touched but unchanged crate reuses most of its previous work) and with
# CARGO_INCREMENTAL=0 (the whole crate compiled again, as after a real regeneration).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
  esac
done

export CARGO_TARGET_DIR="$PWD/target/compile-time"
crate=generated-client
log() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'; }

# Times `cargo build -p paypro` after touching the crate's sources; prints "wall cpu" medians.
measure() {
  local times
  times=$(mktemp)
  for _ in $(seq "$runs"); do
    find "$crate/src" -name '*.rs' -exec touch {} +
    /usr/bin/time -f '%e %U %S' -a -o "$times" cargo build --quiet -p paypro "$@"
  done
  local wall cpu
  wall=$(awk '/^[0-9.]+ [0-9.]+ [0-9.]+$/ { print $1 }' "$times" | median)
  cpu=$(awk '/^[0-9.]+ [0-9.]+ [0-9.]+$/ { print $2 + $3 }' "$times" | median)
  rm -f "$times"
  echo "$wall $cpu"
}

log "building paypro's dependencies (debug and release) into $CARGO_TARGET_DIR"
cargo build --quiet -p paypro
cargo build --quiet -p paypro --release
CARGO_INCREMENTAL=0 cargo build --quiet -p paypro

log "timing rebuilds ($runs each)"
read -r debug_inc_wall debug_inc_cpu < <(measure)
read -r debug_full_wall debug_full_cpu < <(CARGO_INCREMENTAL=0 measure)
read -r release_wall release_cpu < <(measure --release)

echo "cargo build -p paypro, dependencies built, crate sources touched; median of $runs; $(nproc) cores"
echo
echo "| profile | wall s | CPU s (user+sys) |"
echo "|---|---:|---:|"
echo "| debug (incremental, cargo's default) | $debug_inc_wall | $debug_inc_cpu |"
echo "| debug (CARGO_INCREMENTAL=0) | $debug_full_wall | $debug_full_cpu |"
echo "| release | $release_wall | $release_cpu |"
echo
echo "Size of $crate/ (every file the generator writes)"
echo
echo "| file | lines |"
echo "|---|---:|"
total=0
rust=0
while IFS= read -r file; do
  lines=$(wc -l <"$file")
  total=$((total + lines))
  case "$file" in *.rs) rust=$((rust + lines)) ;; esac
  echo "| ${file#"$crate"/} | $lines |"
done < <(find "$crate" -type f -not -path "$crate/target/*" | LC_ALL=C sort)
src=$(find "$crate/src" -name '*.rs' -exec cat {} + | wc -l)
echo "| **all Rust** | **$rust** |"
echo "| **src/ (the library)** | **$src** |"
echo "| **all files** | **$total** |"

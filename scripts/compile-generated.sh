#!/usr/bin/env bash
# Measures what generated crates cost their users to compile: `cargo check` and a debug build
# (CARGO_INCREMENTAL=0, as after a regeneration) of the crate generated from each document, with
# every dependency already built, timed with /usr/bin/time (wall and user+sys CPU). Prints a
# markdown table with the lines of Rust in each crate's src/ and lines per CPU second. With
# --progenitor, cargo-progenitor's output for the same documents is measured alongside (installed
# by scripts/compare-generators.sh into target/compare-generators/cargo-progenitor).
#
#   scripts/compile-generated.sh [--runs N] [--progenitor] [NAME=DOCUMENT ...]
#
# XTASK=path/to/xtask uses that generator binary instead of building target/release/xtask.
# Without documents: PayPro (generated-client/openapi.json, the overlaid spec) and the four
# largest documents of ../shared/openapi-corpus (read from there, never copied). A document that
# does not generate, or whose crate does not compile, gets a row saying so and the first error.
# Everything is written under target/compile-generated/ (a scratch workspace with its own target
# directory, so the runs neither wait for nor disturb other cargo commands).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=1
with_progenitor=no
docs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --progenitor) with_progenitor=yes; shift ;;
    *=*) docs+=("$1"); shift ;;
    *) echo "usage: $0 [--runs N] [--progenitor] [NAME=DOCUMENT ...]" >&2; exit 2 ;;
  esac
done
# shared/ sits beside the repository (a worktree one level deeper has it two levels up).
corpus="${CORPUS:-$root/../shared/openapi-corpus}"
[ -d "$corpus" ] || corpus="$root/../../shared/openapi-corpus"
if [ ${#docs[@]} -eq 0 ]; then
  docs=(
    "paypro=$root/generated-client/openapi.json"
    "stripe=$corpus/stripe-spec3.yaml"
    "github=$corpus/progenitor-api.github.com.json"
    "digitalocean=$corpus/digitalocean-bundled.yaml"
    "plaid=$corpus/plaid-2020-09-14.yml"
  )
fi

work="$root/target/compile-generated"
scratch="$work/scratch"
logs="$work/logs"
export CARGO_TARGET_DIR="$work/target"
mkdir -p "$work"
rm -rf "$scratch" "$logs" && mkdir -p "$scratch/crates" "$logs"
log() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'; }

if [ -n "${XTASK:-}" ]; then
  ours="$XTASK"
else
  log "building our generator (release)"
  (unset CARGO_TARGET_DIR && cargo build --quiet --release -p xtask)
  ours="$root/target/release/xtask"
fi
progenitor="$root/target/compare-generators/cargo-progenitor/bin/cargo-progenitor"
if [ "$with_progenitor" = yes ] && [ ! -x "$progenitor" ]; then
  log "no $progenitor: run scripts/compare-generators.sh once to install it"
  exit 1
fi

# --- generate each document into the scratch workspace -----------------------------------------
crates=()
for entry in "${docs[@]}"; do
  name="${entry%%=*}" doc="${entry#*=}"
  crate="ours_$name"
  if "$ours" generate --spec "$doc" --out "$scratch/crates/$crate" --crate-name "$crate" \
    >"$logs/$crate.gen" 2>&1; then
    crates+=("$crate")
  else
    echo "does not generate: $(grep -m1 -i 'error' "$logs/$crate.gen" | cut -c1-100)" >"$logs/$crate.status"
    rm -rf "${scratch:?}/crates/$crate"
  fi
  if [ "$with_progenitor" = yes ]; then
    crate="progenitor_$name"
    if "$progenitor" progenitor -i "$doc" -o "$scratch/crates/$crate" -n "$crate" -v 0.1.0 \
      >"$logs/$crate.gen" 2>&1; then
      crates+=("$crate")
    else
      why=$({ grep -m1 -A1 "panicked at" "$logs/$crate.gen" || grep -m1 -i error "$logs/$crate.gen" || true; } | tail -1 | cut -c1-100)
      echo "does not generate: $why" >"$logs/$crate.status"
      rm -rf "${scratch:?}/crates/$crate"
    fi
  fi
done
members=$(printf '"crates/%s",' "${crates[@]}")
printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "${members%,}" >"$scratch/Cargo.toml"
# Our lock file, so our crates build with the dependency versions the PayPro client is tested with.
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

# --- compile ------------------------------------------------------------------------------------
# Times one cargo command on one crate `runs` times after touching its sources; prints "wall cpu".
measure() {
  local crate="$1" times
  shift
  times=$(mktemp)
  for _ in $(seq "$runs"); do
    find "$scratch/crates/$crate" -name '*.rs' -exec touch {} +
    (cd "$scratch" && CARGO_INCREMENTAL=0 /usr/bin/time -f '%e %U %S' -a -o "$times" \
      cargo "$@" --quiet -p "$crate") >/dev/null 2>&1 || true
  done
  local wall cpu
  wall=$(awk '/^[0-9.]+ [0-9.]+ [0-9.]+$/ { print $1 }' "$times" | median)
  cpu=$(awk '/^[0-9.]+ [0-9.]+ [0-9.]+$/ { printf "%.2f\n", $2 + $3 }' "$times" | median)
  rm -f "$times"
  echo "$wall $cpu"
}

for crate in "${crates[@]}"; do
  log "compiling $crate (its dependencies first, untimed)"
  # Build the dependencies (and see whether the crate compiles at all) before timing anything.
  if ! (cd "$scratch" && cargo build --quiet -p "$crate" >"$logs/$crate.build" 2>&1); then
    total=$({ grep -o 'due to [0-9]* previous errors\?' "$logs/$crate.build" || true; } | grep -o '[0-9]*' | head -1)
    first=$({ grep -m1 '^error' "$logs/$crate.build" || true; } | cut -c1-100)
    echo "does not compile: ${total:-some} errors, first ${first:-(see $logs/$crate.build)}" >"$logs/$crate.status"
    continue
  fi
  (cd "$scratch" && cargo check --quiet -p "$crate" >/dev/null 2>&1) || true
  read -r check_wall check_cpu < <(measure "$crate" check)
  read -r build_wall build_cpu < <(measure "$crate" build)
  echo "ok $check_wall $check_cpu $build_wall $build_cpu" >"$logs/$crate.status"
done

# --- report -------------------------------------------------------------------------------------
echo "cargo check and cargo build (debug, CARGO_INCREMENTAL=0) of each generated crate, dependencies built, sources touched; median of $runs; $(nproc) cores"
echo
echo "| crate | lines in src/ | check wall s | check CPU s | build wall s | build CPU s | check lines/CPU s | build lines/CPU s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for entry in "${docs[@]}"; do
  name="${entry%%=*}"
  for crate in "ours_$name" "progenitor_$name"; do
    [ -f "$logs/$crate.status" ] || continue
    lines=-
    if [ -d "$scratch/crates/$crate/src" ]; then
      lines=$(find "$scratch/crates/$crate/src" -name '*.rs' -exec cat {} + | wc -l)
    fi
    read -r status rest <"$logs/$crate.status"
    if [ "$status" = ok ]; then
      read -r cw cc bw bc <<<"$rest"
      rate() { awk -v l="$lines" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", l / s; else print "-" }'; }
      echo "| $crate | $lines | $cw | $cc | $bw | $bc | $(rate "$cc") | $(rate "$bc") |"
    else
      echo "| $crate | $lines | $(sed 's/|/\\|/g' "$logs/$crate.status") | | | | | |"
    fi
  done
done

#!/usr/bin/env bash
# Compares our generator with cargo-progenitor (from crates.io) on the same documents: the
# overlaid PayPro spec (generated-client/openapi.json) and four construct specs. Prints markdown
# tables: generation wall and CPU time (median of N runs), lines of Rust written, `serde(untagged)`
# enums in the output, whether the output compiles (`cargo check` in a scratch workspace) and how
# long its own non-incremental check takes with its dependencies built (median of 3); then, for
# each document whose two outputs both compile and which has events, which payload variant each
# client decodes the same event bodies into.
#
#   scripts/compare-generators.sh [--runs N]
#
# cargo-progenitor is installed into a temporary root and cached in
# target/compare-generators/cargo-progenitor (reused when present; PROGENITOR_VERSION picks the
# version). Outputs, logs and the scratch workspace stay in target/compare-generators/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
  esac
done

work="$root/target/compare-generators"
cache="$work/cargo-progenitor"
version="${PROGENITOR_VERSION:-0.15.1}"
scratch="$work/scratch"
logs="$work/logs"
mkdir -p "$work"
rm -rf "$logs" "$work/out" && mkdir -p "$logs"
log() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'; }

# Runs a command and appends "wall_ms cpu_ms" to a file. CPU is the rusage of the command and of
# every process it waited for (progenitor runs rustfmt), at microsecond resolution.
cat >"$work/timed.py" <<'PY'
import resource, subprocess, sys, time
times, command = sys.argv[1], sys.argv[2:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
status = subprocess.call(command)
wall = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
with open(times, "a") as out:
    out.write(f"{wall * 1000:.1f} {cpu * 1000:.1f}\n")
sys.exit(status)
PY
timed() { python3 "$work/timed.py" "$@"; }

# --- the two generators --------------------------------------------------------------------
if [ ! -x "$cache/bin/cargo-progenitor" ]; then
  tmp=$(mktemp -d)
  log "installing cargo-progenitor $version into $tmp (takes a few minutes)"
  cargo install cargo-progenitor --version "$version" --root "$tmp" >"$work/install.log" 2>&1 \
    || { log "cargo install failed; see $work/install.log"; exit 1; }
  rm -rf "$cache" && mkdir -p "$cache" && cp -R "$tmp/." "$cache/" && rm -rf "$tmp"
fi
progenitor="$cache/bin/cargo-progenitor"
log "building our generator (release)"
cargo build --quiet --release -p xtask
ours="$root/target/release/xtask"

# --- generate ------------------------------------------------------------------------------
docs=(openapi tagged_one_of nullable_any_of untagged_union enums)
doc_path() {
  case "$1" in
    openapi) echo "$root/generated-client/openapi.json" ;;
    *) echo "$root/generator/tests/constructs/$1.yaml" ;;
  esac
}

# Runs one generator on one document `runs` times, into a fresh directory each time.
generate() {
  local tool="$1" doc="$2" crate="${1}_${2}" input rc=0
  local out="$work/out/$crate" times="$logs/$crate.times"
  input=$(doc_path "$doc")
  : >"$times"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    if [ "$tool" = ours ]; then
      timed "$times" "$ours" generate --spec "$input" --out "$out" --crate-name "$crate" \
        >"$logs/$crate.out" 2>"$logs/$crate.err" || rc=$?
    else
      timed "$times" "$progenitor" progenitor -i "$input" -o "$out" -n "$crate" -v 0.1.0 \
        >"$logs/$crate.out" 2>"$logs/$crate.err" || rc=$?
    fi
    [ "$rc" -eq 0 ] || break
  done
  if [ "$rc" -ne 0 ]; then
    # A panic's message is the line after "panicked at"; otherwise the first error line.
    local why
    why=$({ grep -m1 -A1 "panicked at" "$logs/$crate.err" || true; } | sed -n 2p | cut -c1-80)
    [ -n "$why" ] || why=$({ grep -m1 -i "error" "$logs/$crate.err" || true; } | cut -c1-80)
    echo "fails (exit $rc): ${why:-see logs/$crate.err}" >"$logs/$crate.status"
    rm -rf "$out"
  else
    echo ok >"$logs/$crate.status"
  fi
}

for doc in "${docs[@]}"; do
  for tool in ours progenitor; do
    log "generating $doc with $tool ($runs runs)"
    generate "$tool" "$doc"
  done
done

# --- compile every output in one scratch workspace -------------------------------------------
rm -rf "$scratch" && mkdir -p "$scratch/crates"
write_workspace() {
  local members=()
  for dir in "$scratch"/crates/*/; do
    members+=("\"crates/$(basename "$dir")\"")
  done
  printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "$(IFS=,; echo "${members[*]}")" \
    >"$scratch/Cargo.toml"
}
for dir in "$work"/out/*/; do
  cp -R "$dir" "$scratch/crates/$(basename "$dir")"
done
write_workspace
# Start from our lock file so our outputs build with the versions our client is tested with.
cp "$root/Cargo.lock" "$scratch/Cargo.lock"
# Outside the scratch folder, so a second run reuses the built dependencies.
export CARGO_TARGET_DIR="$work/scratch-target"

log "cargo check in the scratch workspace (builds every dependency once; takes minutes)"
for dir in "$scratch"/crates/*/; do
  crate=$(basename "$dir")
  if (cd "$scratch" && cargo check --quiet -p "$crate" >"$logs/$crate.check" 2>&1); then
    echo yes >"$logs/$crate.compiles"
    : >"$logs/$crate.checktimes"
    for _ in 1 2 3; do
      # Only the crate itself: its dependencies are built, its own sources are touched.
      find "$dir" -name '*.rs' -exec touch {} +
      # Not incremental: the whole crate is checked again, as after a real regeneration.
      (cd "$scratch" && CARGO_INCREMENTAL=0 timed "$logs/$crate.checktimes" \
        cargo check --quiet -p "$crate") >/dev/null 2>&1 || true
    done
  else
    total=$({ grep -o 'due to [0-9]* previous errors\?' "$logs/$crate.check" || true; } | grep -o '[0-9]*' | head -1)
    first=$({ grep -m1 '^error\[' "$logs/$crate.check" || true; } | cut -c1-90)
    echo "no: ${total:-some} errors, first ${first:-(see log)}" >"$logs/$crate.compiles"
  fi
done

# --- how each client decodes the same event bodies -------------------------------------------
# A program per document, built only when both outputs compiled; it prints markdown rows.
decode_program() {
  local doc="$1"
  case "$doc" in
    openapi) cat <<'EOF'
//! Decodes PayPro event bodies with both clients: the real `events/get.json` sample, and that event carrying each real refund, chargeback and payment sample as its payload.

use serde_json::Value;

fn main() {
    let dir = std::env::args().nth(1).expect("the wire-samples directory");
    let read = |relative: &str| -> Value {
        let text = std::fs::read_to_string(format!("{dir}/{relative}")).expect("a sample");
        serde_json::from_str(&text).expect("a JSON sample")
    };
    let event = read("events/get.json");
    let mut cases = vec![("events/get.json as sent".to_owned(), event.clone())];
    for sample in ["refunds/get.json", "chargebacks/get.json", "payments/get.json"] {
        let mut body = event.clone();
        body["payload"] = read(sample);
        cases.push((format!("events/get.json with {sample} as payload"), body));
    }
    for (label, body) in cases {
        let text = body.to_string();
        let ours = match serde_json::from_str::<ours::models::Event>(&text) {
            Ok(event) => format!("{:?}", event.payload).split('(').next().unwrap_or("").to_owned(),
            Err(error) => format!("error: {error}"),
        };
        let progenitor = match serde_json::from_str::<progenitor::types::Event>(&text) {
            Ok(event) => format!("{:?}", event.payload).split('(').next().unwrap_or("").to_owned(),
            Err(error) => format!("error: {error}"),
        };
        println!("| {label} | {} | {} |", ours.replace('|', "\\|"), progenitor.replace('|', "\\|"));
    }
}
EOF
    ;;
    tagged_one_of) cat <<'EOF'
//! Decodes events of the tagged_one_of construct with both clients: each known payload, one whose tag is new, and one whose amount is a numeric string (as PayPro sends some amounts).

fn main() {
    let cases = [
        ("payment payload", r#"{"id":"e1","payload":{"amount":5000,"id":"PP1","type":"payment"}}"#),
        ("refund payload", r#"{"id":"e2","payload":{"amount":5000,"id":"PR1","payment":"PP1","type":"refund"}}"#),
        ("payload with a new tag", r#"{"id":"e3","payload":{"amount":1500,"id":"PC1","payment":"PP1","type":"chargeback"}}"#),
        ("refund, amount as a string", r#"{"id":"e4","payload":{"amount":"5000","id":"PR2","payment":"PP1","type":"refund"}}"#),
    ];
    for (label, text) in cases {
        let ours = match serde_json::from_str::<ours::models::Event>(text) {
            Ok(event) => format!("{:?}", event.payload).split('(').next().unwrap_or("").to_owned(),
            Err(error) => format!("error: {error}"),
        };
        let progenitor = match serde_json::from_str::<progenitor::types::Event>(text) {
            Ok(event) => format!("{:?}", event.payload).split('(').next().unwrap_or("").to_owned(),
            Err(error) => format!("error: {error}"),
        };
        println!("| {label} | {} | {} |", ours.replace('|', "\\|"), progenitor.replace('|', "\\|"));
    }
}
EOF
    ;;
  esac
}

decode_reports=()
for doc in openapi tagged_one_of; do
  check="decode_check_$doc"
  if [ "$(cat "$logs/ours_$doc.compiles" 2>/dev/null)" != yes ] \
    || [ "$(cat "$logs/progenitor_$doc.compiles" 2>/dev/null)" != yes ]; then
    decode_reports+=("$doc: no decode comparison, because an output does not compile (see the table).")
    continue
  fi
  mkdir -p "$scratch/crates/$check/src"
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n[dependencies]\nours = { path = "../ours_%s", package = "ours_%s" }\nprogenitor = { path = "../progenitor_%s", package = "progenitor_%s" }\nserde_json = "1"\n' \
    "$check" "$doc" "$doc" "$doc" "$doc" >"$scratch/crates/$check/Cargo.toml"
  decode_program "$doc" >"$scratch/crates/$check/src/main.rs"
  write_workspace
  if (cd "$scratch" && cargo run --quiet -p "$check" -- "$root/fixtures/wire-samples") \
    >"$logs/$check.rows" 2>"$logs/$check.err"; then
    decode_reports+=("$doc")
  else
    decode_reports+=("$doc: the decode program failed; see $logs/$check.err")
  fi
done

# --- report ----------------------------------------------------------------------------------
echo "cargo-progenitor $version vs ours (target/release/xtask generate --spec … --out …)."
echo "Generation: median of $runs runs; CPU includes child processes. Lines: every .rs file"
echo "written; \"spec-dependent\" leaves out runtime code copied verbatim (ours: src/models.rs +"
echo "src/resources.rs; progenitor keeps its runtime in the progenitor-client crate)."
echo
echo "| document | generator | generation | wall ms | CPU ms | lines of Rust | spec-dependent | untagged enums | compiles | cargo check s |"
echo "|---|---|---|---:|---:|---:|---:|---:|---|---:|"
for doc in "${docs[@]}"; do
  for tool in ours progenitor; do
    crate="${tool}_${doc}"
    status=$(sed 's/|/\\|/g' "$logs/$crate.status")
    wall=$(awk '{ print $1 }' "$logs/$crate.times" | median)
    cpu=$(awk '{ print $2 }' "$logs/$crate.times" | median)
    lines="-" spec="-" untagged="-" compiles="-" check="-"
    if [ -d "$scratch/crates/$crate" ]; then
      lines=$(find "$scratch/crates/$crate" -name '*.rs' -exec cat {} + | wc -l)
      if [ "$tool" = ours ]; then
        spec=$(cat "$scratch/crates/$crate/src/models.rs" "$scratch/crates/$crate/src/resources.rs" | wc -l)
      else
        spec=$lines
      fi
      untagged=$({ grep -rho 'serde(untagged)' "$scratch/crates/$crate" --include='*.rs' || true; } | wc -l)
      compiles=$(sed 's/|/\\|/g' "$logs/$crate.compiles")
      if [ -s "$logs/$crate.checktimes" ]; then
        check=$(awk '{ printf "%.2f\n", $1 / 1000 }' "$logs/$crate.checktimes" | median)
      fi
    fi
    echo "| $doc | $tool | $status | $wall | $cpu | $lines | $spec | $untagged | $compiles | $check |"
  done
done

for report in "${decode_reports[@]}"; do
  echo
  case "$report" in
    *:*) echo "$report" ;;
    *)
      echo "Event payloads as decoded by the two clients generated from $report:"
      echo
      echo "| body | ours | progenitor |"
      echo "|---|---|---|"
      cat "$logs/decode_check_$report.rows"
      ;;
  esac
done

#!/usr/bin/env bash
# Measures how generation scales with document size: synthesizes documents at 0.25×, 0.5×, 1× and
# 2× the default size (1× = 1,000 operations, 2,000 schemas, about 5 MB of YAML) with
# scripts/synth-spec.py, runs the release `xtask generate --spec … --out …` on each, and prints a
# markdown table of wall time (median, hyperfine when installed) and peak RSS (/usr/bin/time) per
# document size. The targets it reports on: time linear in size, peak memory under 10× the size.
#
#   scripts/measure-scaling.sh [--runs N] [--sizes "0.25 0.5 1 2"] [--format yaml|json] [--stages]
#
# --stages also prints each document's per-stage times and peaks (generator/examples/stage_timings.rs).
# The documents and outputs stay in target/scaling/ for a closer look.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
sizes="0.25 0.5 1 2"
format=yaml
seed=1
stages=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --format) format="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --stages) stages=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "GNU time is missing; installing Debian's time" >&2
  apt-get install -y -qq time >/dev/null
fi

target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p xtask
cargo build --release --quiet -p generator --example stage_timings
xtask="$target/release/xtask"
work="target/scaling"
rm -rf "$work"
mkdir -p "$work"

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rows=()
for size in $sizes; do
  operations=$(python3 -c "print(round(1000 * $size))")
  schemas=$(python3 -c "print(round(2000 * $size))")
  spec="$work/spec-$size.$format"
  out="$work/out-$size"
  python3 scripts/synth-spec.py --operations "$operations" --schemas "$schemas" --seed "$seed" \
    --format "$format" -o "$spec"
  bytes=$(stat -c %s "$spec")
  run=("$xtask" generate --spec "$spec" --out "$out" --crate-name synthetic)

  # Peak RSS, and the wall time when hyperfine is not there: `runs` runs, each into a fresh directory.
  : > "$work/rss-$size" ; : > "$work/wall-$size"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "${run[@]}" > /dev/null 2> "$work/stderr-$size.txt"
    read -r wall rss < "$work/time.txt"
    echo "$wall" >> "$work/wall-$size"
    echo "$rss" >> "$work/rss-$size"
  done
  if command -v hyperfine > /dev/null; then
    hyperfine --style none --runs "$runs" --warmup 1 --prepare "rm -rf $out" \
      --export-json "$work/hyperfine-$size.json" "${run[*]}" > /dev/null
    wall=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$work/hyperfine-$size.json")
  else
    wall=$(median < "$work/wall-$size")
  fi
  rss_kb=$(median < "$work/rss-$size")
  output=$(du -sb "$out" | cut -f1)
  rows+=("$size $operations $schemas $bytes $output $wall $rss_kb")
  if [ "$stages" = 1 ]; then
    "$target/release/examples/stage_timings" "$spec" --runs 3 > "$work/stages-$size.md"
  fi
done

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); timer: $(command -v hyperfine > /dev/null && echo "hyperfine, median of $runs" || echo "median of $runs runs"); peak RSS: /usr/bin/time, median of $runs."
echo
printf '%s\n' "${rows[@]}" | python3 -c '
import math, sys
rows = [line.split() for line in sys.stdin if line.strip()]
print("| size | operations | schemas | document (MB) | output (MB) | wall (s) | s per document MB | peak RSS (MB) | peak RSS ÷ document |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
facts = []
for size, ops, schemas, doc, out, wall, rss in rows:
    doc_mb, out_mb, wall, rss_mb = int(doc) / 1e6, int(out) / 1e6, float(wall), float(rss) * 1024 / 1e6
    facts.append((doc_mb, wall, rss_mb))
    print(f"| {size}× | {ops} | {schemas} | {doc_mb:.2f} | {out_mb:.2f} | {wall:.2f} | {wall / doc_mb:.3f} | {rss_mb:.0f} | {rss_mb / doc_mb:.1f}× |")
print()
if len(facts) >= 2:
    (d0, t0, _), (d1, t1, _) = facts[0], facts[-1]
    exponent = math.log(t1 / t0) / math.log(d1 / d0)
    per_mb = [t / d for d, t, _ in facts]
    spread = max(per_mb) / min(per_mb)
    print(f"Time grows as size^{exponent:.2f} from the smallest to the largest document "
          f"(1.00 is linear); seconds per MB vary by a factor {spread:.2f}.")
worst = max(r / d for d, _, r in facts)
print(f"Peak memory is at most {worst:.1f}× the document size (target: under 10×).")
'
if [ "$stages" = 1 ]; then
  for size in $sizes; do
    echo
    echo "Stages at ${size}×:"
    echo
    cat "$work/stages-$size.md"
  done
fi

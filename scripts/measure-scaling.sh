#!/usr/bin/env bash
# Measures how generation scales with document size: synthesizes documents at 0.25×, 0.5×, 1× and
# 2× the default size (1× = 1,000 operations, 2,000 schemas, about 5 MB of YAML) with
# scripts/synth-spec.py, runs the release `xtask generate --spec … --out …` on each, and prints a
# markdown table of wall time (median, hyperfine when installed), CPU time (user + system, median;
# steadier than wall time on a busy machine) and peak RSS (/usr/bin/time, median) per document
# size. The targets it reports on: time linear in size, peak memory under 10× the size.
#
#   scripts/measure-scaling.sh [--runs N] [--sizes "0.25 0.5 1 2"] [--format yaml|json] [--seed S] [--stages]
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
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
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

  # Peak RSS, CPU time, and the wall time when hyperfine is not there: `runs` runs, each into a
  # fresh directory.
  : > "$work/rss-$size" ; : > "$work/wall-$size" ; : > "$work/cpu-$size"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "${run[@]}" > /dev/null 2> "$work/stderr-$size.txt"
    read -r wall rss user system < "$work/time.txt"
    echo "$wall" >> "$work/wall-$size"
    echo "$rss" >> "$work/rss-$size"
    awk -v u="$user" -v s="$system" 'BEGIN { print u + s }' >> "$work/cpu-$size"
  done
  if command -v hyperfine > /dev/null; then
    hyperfine --style none --runs "$runs" --warmup 1 --prepare "rm -rf $out" \
      --export-json "$work/hyperfine-$size.json" "${run[*]}" > /dev/null
    wall=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$work/hyperfine-$size.json")
  else
    wall=$(median < "$work/wall-$size")
  fi
  rss_kb=$(median < "$work/rss-$size")
  cpu=$(median < "$work/cpu-$size")
  output=$(du -sb "$out" | cut -f1)
  rows+=("$size $operations $schemas $bytes $output $wall $cpu $rss_kb")
  if [ "$stages" = 1 ]; then
    "$target/release/examples/stage_timings" "$spec" --runs 3 > "$work/stages-$size.md"
  fi
done

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg); wall: $(command -v hyperfine > /dev/null && echo "hyperfine, median of $runs" || echo "median of $runs runs"); CPU and peak RSS: /usr/bin/time, median of $runs."
echo
printf '%s\n' "${rows[@]}" | python3 -c '
import math, sys
rows = [line.split() for line in sys.stdin if line.strip()]
print("| size | operations | schemas | document (MB) | output (MB) | wall (s) | CPU (s) | CPU s per document MB | peak RSS (MB) | peak RSS ÷ document |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
facts = []
for size, ops, schemas, doc, out, wall, cpu, rss in rows:
    doc_mb, out_mb, wall, cpu, rss_mb = int(doc) / 1e6, int(out) / 1e6, float(wall), float(cpu), float(rss) * 1024 / 1e6
    facts.append((doc_mb, wall, cpu, rss_mb))
    print(f"| {size}× | {ops} | {schemas} | {doc_mb:.2f} | {out_mb:.2f} | {wall:.2f} | {cpu:.2f} | {cpu / doc_mb:.3f} | {rss_mb:.0f} | {rss_mb / doc_mb:.1f}× |")
print()
if len(facts) >= 2:
    first, last = facts[0], facts[-1]
    scale = math.log(last[0] / first[0])
    wall_exponent = math.log(last[1] / first[1]) / scale
    cpu_exponent = math.log(last[2] / first[2]) / scale
    per_mb = [c / d for d, _, c, _ in facts]
    spread = max(per_mb) / min(per_mb)
    print(f"From the smallest to the largest document, wall time grows as size^{wall_exponent:.2f} and "
          f"CPU time as size^{cpu_exponent:.2f} (1.00 is linear); CPU seconds per MB vary by a factor {spread:.2f}.")
worst = max(r / d for d, _, _, r in facts)
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

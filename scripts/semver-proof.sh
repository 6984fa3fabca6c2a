#!/usr/bin/env bash
# Checks `cargo xtask changes` against cargo-semver-checks (from crates.io) on spec edits of our
# own: scripts/semver-edits.py writes each edit of spec/api.yaml; the unedited document and each
# edit are generated into a crate (with spec/overlay.yaml, as the real client is); the report
# rates the edit, cargo-semver-checks rates the pair of crates, and a Markdown table says whether
# they agree. cargo-semver-checks only tells breaking from not breaking, so the report's minor and
# patch both count as its "not breaking".
#
#   scripts/semver-proof.sh            # table on stdout; logs in target/semver-proof/
#
# cargo-semver-checks is installed into a temporary root and cached in target/semver-proof/tool
# (SEMVER_CHECKS_VERSION picks the version). The crates live outside the workspace (a generated
# crate must not be taken for a member), under ${TMPDIR:-/tmp}/paypro-semver-proof.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/semver-proof"
tool="$work/tool"
version="${SEMVER_CHECKS_VERSION:-0.51.0}"
scratch="${TMPDIR:-/tmp}/paypro-semver-proof"
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$work/logs"

if [ ! -x "$tool/bin/cargo-semver-checks" ]; then
  tmp=$(mktemp -d)
  log "installing cargo-semver-checks $version into $tmp (takes a long while: it is a big crate)"
  cargo install cargo-semver-checks --version "$version" --locked --root "$tmp" >"$work/install.log" 2>&1 \
    || { log "cargo install failed; see $work/install.log"; exit 1; }
  rm -rf "$tool" && mkdir -p "$tool" && cp -R "$tmp/." "$tool/" && rm -rf "$tmp"
fi
export PATH="$tool/bin:$PATH"

cargo build -q -p xtask
xtask="$root/target/debug/xtask"
rm -rf "$scratch" && mkdir -p "$scratch"
names=$(python3 scripts/semver-edits.py "$scratch/edits")
# One target directory for every crate: the dependencies are built once.
export CARGO_TARGET_DIR="$scratch/target"

generate() { # SPEC OUT
  "$xtask" generate --spec "$1" --overlay spec/overlay.yaml --out "$2" --crate-name paypro >/dev/null
}
generate "$scratch/edits/base.json" "$scratch/base"

echo "| edit | rules say | report | cargo-semver-checks | agree |"
echo "| --- | --- | --- | --- | --- |"
agree=0
total=0
for name in $names; do
  dir="$scratch/edits/$name"
  expected=$(cat "$dir/expected")
  report=$("$xtask" changes --old "$scratch/edits/base.json" --new "$dir/new.json" | tee "$work/logs/$name.report.md" | tail -n 1)
  report=${report#semver: }
  generate "$dir/new.json" "$dir/crate"
  if cargo semver-checks check-release --baseline-root "$scratch/base" \
      --manifest-path "$dir/crate/Cargo.toml" --release-type minor >"$work/logs/$name.semver-checks.log" 2>&1; then
    theirs="not breaking"
  elif grep -q "semver requires new major version" "$work/logs/$name.semver-checks.log"; then
    theirs="breaking"
  else
    theirs="error (see logs/$name.semver-checks.log)"
  fi
  ours="not breaking"
  [ "$report" = major ] && ours="breaking"
  total=$((total + 1))
  if [ "$ours" = "$theirs" ]; then verdict=yes; agree=$((agree + 1)); else verdict=NO; fi
  echo "| $name | $expected | $report | $theirs | $verdict |"
done
echo
echo "$agree of $total agree."

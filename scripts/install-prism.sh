#!/usr/bin/env bash
# Installs the Prism mock server (@stoplight/prism-cli, from npm) into target/prism, where the
# contract tests look for it. Idempotent: does nothing when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="target/prism"
if [ -x "$prefix/node_modules/.bin/prism" ]; then
  echo "prism already installed: $("$prefix/node_modules/.bin/prism" --version)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed; installing Debian's nodejs and npm"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
mkdir -p "$prefix"
npm install --silent --no-audit --no-fund --prefix "$prefix" @stoplight/prism-cli@5
echo "prism installed: $("$prefix/node_modules/.bin/prism" --version)"

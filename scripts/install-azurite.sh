#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator) into <repo>/tools with npm, unless it is already
# there at the pinned version. Idempotent: a second run does nothing. The Workflow tests start
# <repo>/tools/node_modules/.bin/azurite-blob (or azurite-blob from PATH), installing it themselves
# when absent and failing (never skipping) when that is impossible.
# A first install adds ~460 npm packages and takes about 40-90 s.
set -euo pipefail

AZURITE_VERSION="${AZURITE_VERSION:-3.37.0}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/tools"
bin="$tools_dir/node_modules/.bin/azurite-blob"  # the blob-only server the tests start
package_json="$tools_dir/node_modules/azurite/package.json"

installed_version() {
  [[ -f "$package_json" ]] || return 1
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$package_json"
}

if [[ -x "$bin" ]] && [[ "$(installed_version || true)" == "$AZURITE_VERSION" ]]; then
  echo "azurite $AZURITE_VERSION already installed at $bin"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-azurite: npm is not on PATH; install Node.js (>= 18) and npm first" >&2
  exit 1
fi

mkdir -p "$tools_dir"
echo "installing azurite $AZURITE_VERSION into $tools_dir ..."
npm install --prefix "$tools_dir" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION"

if [[ ! -x "$bin" ]]; then
  echo "install-azurite: npm finished but $bin is missing" >&2
  exit 1
fi
echo "azurite $(installed_version) installed at $bin"

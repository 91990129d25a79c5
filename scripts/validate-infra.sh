#!/usr/bin/env bash
# Validates the Bicep templates under infra/: builds every .bicep file, builds the parameters file
# and lints main.bicep. Fails on ANY diagnostic (error, warning or info), because `bicep lint`
# exits 0 when it only reports warnings.
#
# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (it holds
# tools/bicep). It is downloaded once from the first enabled NuGet v3 source that
# `dotnet nuget list source` reports (or NUGET_SOURCE, if set) and cached under tools/ (git-ignored).
#
# Usage: scripts/validate-infra.sh            # validate infra/
#        BICEP_VERSION=0.49.2 scripts/validate-infra.sh
#        NUGET_SOURCE=<v3 index.json URL> scripts/validate-infra.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
infra_dir="$repo_root/infra"
bicep_version="${BICEP_VERSION:-0.49.2}"
package_id="Azure.Bicep.CommandLine.linux-x64"
tool_dir="$repo_root/tools/bicep/$bicep_version"
bicep="$tool_dir/bicep"

fail() { echo "validate-infra: $*" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# First enabled source whose URL is a NuGet v3 service index, as configured for this repository.
nuget_v3_source() {
  if [[ -n "${NUGET_SOURCE:-}" ]]; then echo "$NUGET_SOURCE"; return; fi
  (cd "$repo_root" && dotnet nuget list source --format Detailed) |
    awk '/\[Enabled\]/ { getline; gsub(/^[ \t]+|[ \t]+$/, ""); if ($0 ~ /index\.json$/) { print; exit } }'
}

install_bicep() {
  command -v curl >/dev/null || fail "curl is required to download $package_id"
  command -v jq >/dev/null || fail "jq is required to read the NuGet service index"
  command -v unzip >/dev/null || fail "unzip is required to extract $package_id"
  command -v dotnet >/dev/null || [[ -n "${NUGET_SOURCE:-}" ]] ||
    fail "dotnet is required to find the configured NuGet source (or set NUGET_SOURCE)"

  local source base id_lower nupkg work="$scratch/download"
  source="$(nuget_v3_source)"
  [[ -n "$source" ]] || fail "no enabled NuGet v3 source (…/index.json) in 'dotnet nuget list source'"
  base="$(curl -fsSL --retry 3 "$source" |
    jq -r '[.resources[] | select(."@type" == "PackageBaseAddress/3.0.0") | ."@id"][0] // empty')"
  [[ -n "$base" ]] || fail "NuGet source $source has no PackageBaseAddress/3.0.0 (flat container)"
  id_lower="$(echo "$package_id" | tr '[:upper:]' '[:lower:]')"
  nupkg="${base%/}/$id_lower/$bicep_version/$id_lower.$bicep_version.nupkg"

  mkdir -p "$work"
  echo "validate-infra: downloading $package_id $bicep_version from $source"
  curl -fsSL --retry 3 -o "$work/bicep.nupkg" "$nupkg" ||
    fail "cannot download $nupkg (is version $bicep_version published on $source?)"
  unzip -q -o "$work/bicep.nupkg" 'tools/*' -d "$work/pkg" ||
    fail "$package_id $bicep_version has no tools/ folder"
  [[ -f "$work/pkg/tools/bicep" ]] || fail "$package_id $bicep_version does not contain tools/bicep"
  chmod +x "$work/pkg/tools/bicep"
  # Copy next to the cache, then rename: an interrupted download never leaves a half-written CLI.
  mkdir -p "$(dirname "$tool_dir")"
  rm -rf "$tool_dir.partial" "$tool_dir"
  cp -a "$work/pkg/tools" "$tool_dir.partial"
  mv "$tool_dir.partial" "$tool_dir"
}

[[ -x "$bicep" ]] || install_bicep
echo "validate-infra: $("$bicep" --version)"

out_dir="$scratch/out"
mkdir -p "$out_dir"
failures=0
diagnostics=0

# Runs one bicep command; any diagnostic line "(line,col) : Error|Warning|Info <code>:" or a
# non-zero exit fails validation.
run_bicep() {
  local label="$1"; shift
  local log="$out_dir/log.txt" status=0 found
  "$bicep" "$@" >"$log" 2>&1 || status=$?
  found="$(grep -cE '\) : (Error|Warning|Info) ' "$log" || true)"
  if [[ $status -ne 0 || $found -ne 0 ]]; then
    echo "FAIL  $label (exit $status, $found diagnostic(s))"
    sed 's/^/      /' "$log"
    failures=$((failures + 1))
    diagnostics=$((diagnostics + found))
  else
    echo "ok    $label"
  fi
}

mapfile -t bicep_files < <(cd "$repo_root" && find infra -name '*.bicep' | sort)
[[ ${#bicep_files[@]} -gt 0 ]] || fail "no .bicep files under $infra_dir"

for file in "${bicep_files[@]}"; do
  run_bicep "build $file" build "$repo_root/$file" --outdir "$out_dir"
done
run_bicep "build-params infra/main.bicepparam" \
  build-params "$infra_dir/main.bicepparam" --outfile "$out_dir/main.parameters.json"
for file in "${bicep_files[@]}"; do
  run_bicep "lint $file" lint "$repo_root/$file"
done
run_bicep "lint infra/main.bicepparam" lint "$infra_dir/main.bicepparam"

# Content checks on the compiled templates: what the app relies on, beyond "it compiles".
check() {
  local label="$1" file="$2" filter="$3"
  if [[ -f "$file" ]] && jq -e "$filter" "$file" >/dev/null 2>&1; then
    echo "ok    $label"
  else
    echo "FAIL  $label ($(basename "$file"): jq -e '$filter' is not true)"
    failures=$((failures + 1))
  fi
}
command -v jq >/dev/null || fail "jq is required for the content checks"
# The storage lifecycle rule deletes what a crashed run left under <outputs>/.work/ (runs delete their own work;
# docs/functions.md, "Concurrent runs") after workBlobRetentionDays, and ages the quarantine.
resources='(.resources | if type == "object" then [.[]] else . end)'
check "lifecycle: storage has a management policy" "$out_dir/storage.json" \
  "$resources | any(.type == \"Microsoft.Storage/storageAccounts/managementPolicies\")"
check "lifecycle: work blobs under <outputs>/.work/ deleted after workBlobRetentionDays" "$out_dir/storage.json" \
  '.variables.workRule.definition | (.filters.prefixMatch | any(contains("/.work/"))) and .actions.baseBlob.delete.daysAfterModificationGreaterThan == "[parameters('"'"'workBlobRetentionDays'"'"')]"'
check "lifecycle: quarantine aged after quarantineRetentionDays" "$out_dir/storage.json" \
  '.variables.quarantineRule.definition | (.filters.prefixMatch | any(contains("quarantineContainerName"))) and .actions.baseBlob.delete.daysAfterModificationGreaterThan == "[parameters('"'"'quarantineRetentionDays'"'"')]"'
check "lifecycle: main passes both retentions to the storage module" "$out_dir/main.json" \
  "$resources | any(.properties.parameters.workBlobRetentionDays.value == \"[parameters('workBlobRetentionDays')]\" and .properties.parameters.quarantineRetentionDays.value == \"[parameters('quarantineRetentionDays')]\")"
check "lifecycle: main.bicepparam sets a work retention of at least 1 day" "$out_dir/main.parameters.json" \
  '.parameters.workBlobRetentionDays.value >= 1 and .parameters.quarantineRetentionDays.value >= 0'

echo "validate-infra: ${#bicep_files[@]} bicep file(s) + 1 parameters file; $failures failed step(s), $diagnostics diagnostic(s)"
[[ $failures -eq 0 ]]

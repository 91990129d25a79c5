#!/usr/bin/env bash
# The README's test command: installs what a fresh Debian machine lacks, then runs every test.
#   ./test.sh                 all tests (Release)
#   ./test.sh --filter EXPR   passes the filter to dotnet test
set -euo pipefail
cd "$(dirname "$0")"

# Independent judges of our FITS files (astropy, fitsverify, cfitsio tools). Debian's interpreter
# is /usr/bin/python3: another python3 first on PATH may lack numpy/astropy.
missing=()
/usr/bin/python3 -c 'import numpy, astropy' 2>/dev/null || missing+=(python3-astropy python3-numpy)
command -v fitsverify >/dev/null 2>&1 || missing+=(fitsverify)
command -v fitscopy >/dev/null 2>&1 || missing+=(libcfitsio-bin)
# The native imred (dotnet publish -r linux-x64, Native AOT) is compiled and linked by clang; NativeImredTests publish it.
command -v clang >/dev/null 2>&1 || missing+=(clang zlib1g-dev)
# scripts/validate-infra.sh fetches the Bicep CLI with these.
for tool in curl jq unzip; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: error: missing ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run as root" >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Azurite (the Azure Storage emulator) for the workflow tests, into ./tools.
if [ -x scripts/install-azurite.sh ]; then scripts/install-azurite.sh; fi

# Infrastructure templates must build and lint clean.
if [ -x scripts/validate-infra.sh ]; then scripts/validate-infra.sh; fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test ImageReducer.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line summed over the test projects.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$log"
exit "$status"

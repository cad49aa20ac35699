#!/usr/bin/env bash
# Build-time generation must not cost rebuilds: with nothing changed, a second build of the
# downstream example does not rerun its build script; touching the spec does.
set -euo pipefail
cd "$(dirname "$0")/.."
ran_build_script() { grep -Eq "Running .*/build/downstream-[^/]+/build-script-build" <<<"$1"; }
cargo build -q --locked -p downstream
second=$(cargo build -v --locked -p downstream 2>&1)
if ran_build_script "$second"; then
  echo "FAIL: the second build reran generation with nothing changed"; echo "$second"; exit 1
fi
grep -q "Fresh downstream" <<<"$second" || { echo "FAIL: downstream was not fresh"; echo "$second"; exit 1; }
echo "ok: a second build with nothing changed is fresh (no generation)"
touch specs/cakemail-partner.yaml
third=$(cargo build -v --locked -p downstream 2>&1)
ran_build_script "$third" || { echo "FAIL: touching the spec did not rerun generation"; echo "$third"; exit 1; }
echo "ok: touching the spec reruns generation"

#!/usr/bin/env bash
# On demand (not in CI): for every spec of tests/corpus/files, what it was read as, how
# long `openapi-gen generate` takes with a release build (best of 3 runs), and how many lines
# of Rust it writes (client and server), as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=tests/corpus/files
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
cargo build -q --release -p openapi-gen
bin=target/release/openapi-gen
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| spec | read as | operations | generate (best of 3) | lines | lines/op |"
echo "|---|---|---:|---:|---:|---:|"
for f in "$corpus"/*; do
  name=$(basename "$f")
  summary=$("$bin" validate "$f" 2>/dev/null | tail -1)
  version=$(sed -n 's/.*: ok: \([^,]*\), .*/\1/p' <<<"$summary")
  ops=$(sed -n 's/.*, \([0-9]*\) operations,.*/\1/p' <<<"$summary")
  best=""
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "$bin" generate "$f" --out "$out/crate" --runtime-version 0.1 >/dev/null 2>&1
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  module=$(ls "$out"/crate/src/*.rs | grep -v '/lib.rs$' | head -1)
  lines=$(wc -l <"$module")
  per=$(( ops > 0 ? lines / ops : 0 ))
  echo "| $name | ${version:-rejected} | $ops | ${best} ms | $lines | $per |"
  rm -rf "$out/crate"
done

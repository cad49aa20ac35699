#!/usr/bin/env bash
# Generates one client crate from every spec in ../shared/corpus/files that openapi-gen
# accepts, and builds it with warnings denied: every real spec we accept must yield code
# that compiles. Specs the front end rejects (OpenAPI 3.1, Swagger 2.0) are listed with
# their diagnostic by the corpus test instead.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/files
if [ ! -d "$corpus" ]; then
  echo "no corpus at $corpus; skipping"
  exit 0
fi
out=$(mktemp -d)/corpus-client
specs=()
for f in "$corpus"/*; do
  # One module per file stem: keep the JSON copy of progenitor's param-overrides.
  case "$f" in *param-overrides.yaml) continue ;; esac
  if cargo run -q -p openapi-gen -- validate "$f" >/dev/null 2>&1; then
    specs+=("$f")
  else
    echo "rejected by the front end (see the corpus test): $(basename "$f")"
  fi
done
cargo run -q -p openapi-gen -- generate "${specs[@]}" --out "$out" --name corpus-client --runtime-path "$PWD/runtime" 2>/dev/null
printf '\n[workspace]\n' >> "$out/Cargo.toml"
echo "building ${#specs[@]} generated clients ($(cat "$out"/src/*.rs | wc -l) lines)"
RUSTFLAGS="-D warnings" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/corpus" cargo build --manifest-path "$out/Cargo.toml" --quiet
echo "all ${#specs[@]} corpus clients compile without warnings"

#!/usr/bin/env bash
# Generates one crate (client and server of each API) from every spec in
# tests/corpus/files that openapi-gen accepts, and lints it with warnings denied: every
# real spec we accept must yield code that compiles and that `cargo clippy -- -D warnings`
# accepts (docs from the specs' Markdown included). Clippy runs every compile-time check on
# the generated code; only code generation is skipped, which keeps this step within CI's
# time budget. OpenAPI 3.0, 3.1 and Swagger 2.0 specs are all accepted; a
# spec the front end rejects would be listed here (and fail the corpus test).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=tests/corpus/files
[ -d "$corpus" ] || { echo "no corpus at $corpus: it is part of the repository" >&2; exit 1; }
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
# The same dependency versions as the workspace.
cp Cargo.lock "$out/Cargo.lock"
echo "checking ${#specs[@]} generated clients and servers ($(cat "$out"/src/*.rs | wc -l) lines)"
RUSTFLAGS="-D warnings" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/corpus" \
  cargo clippy --manifest-path "$out/Cargo.toml" --features client,server --quiet -- -D warnings
echo "all ${#specs[@]} corpus clients and servers compile without warnings, clippy included"

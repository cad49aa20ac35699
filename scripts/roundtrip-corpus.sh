#!/usr/bin/env bash
# The corpus round trip (run by CI). For every spec in tests/corpus/files that openapi-gen
# accepts, one crate is generated (client with its `driver`, and server, of each API) into
# target/roundtrip/corpus-client. It is linted with warnings denied, clippy included, as it
# is compiled: every real spec we accept must yield code that compiles and that clippy
# accepts (docs from the specs' Markdown included). tests/roundtrip makes it a driver
# program, and `openapi-gen roundtrip` serves each spec's mock and calls every operation
# through it, asking for every documented status: it prints operations, calls, successes,
# errors and streams decoded, and failures, per spec, and fails if any call failed.
#
# A spec the front end rejects is listed here (and fails the corpus test).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=tests/corpus/files
[ -d "$corpus" ] || { echo "no corpus at $corpus: it is part of the repository" >&2; exit 1; }
out=target/roundtrip/corpus-client
# The binary the README's test command built: nothing is compiled again after it.
cargo test -q --locked --workspace --no-run
gen=target/debug/openapi-gen
specs=()
for f in "$corpus"/*; do
  # One module per file stem: keep the JSON copy of progenitor's param-overrides.
  case "$f" in *param-overrides.yaml) continue ;; esac
  if "$gen" validate "$f" >/dev/null 2>&1; then
    specs+=("$f")
  else
    echo "rejected by the front end (see the corpus test): $(basename "$f")"
  fi
done
rm -rf "$out"
"$gen" generate "${specs[@]}" --out "$out" --name corpus-client --runtime-path "$PWD/runtime" \
  --driver >/dev/null 2>&1
printf '\n[workspace]\n' >> "$out/Cargo.toml"
echo "generated ${#specs[@]} clients and servers ($(cat "$out"/src/*.rs | wc -l) lines)"

# clippy-driver compiles as it lints: one pass over the generated code, not a check and then
# a build. It lints every crate of this repository (the generated one is a path dependency,
# not a member, so it is the wrapper of every crate), with warnings denied; the registry's
# crates are compiled with their lints capped, which turns clippy off for them.
export RUSTC_WRAPPER="$(command -v clippy-driver)"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
cargo build -q --locked --manifest-path tests/roundtrip/Cargo.toml --target-dir target/roundtrip/target
echo "all ${#specs[@]} corpus clients and servers compile without warnings, clippy included"
unset RUSTC_WRAPPER CLIPPY_ARGS
exec "$gen" roundtrip "${specs[@]}" --driver target/roundtrip/target/debug/corpus-roundtrip

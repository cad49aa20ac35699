#!/usr/bin/env bash
# On demand (not in CI): how big the generated code is and what it costs to compile, side by
# side with progenitor's, in one run. For the SparkPost spec and, from tests/corpus,
# Oxide's Nexus, GitHub's and DigitalOcean's specs, prints a Markdown table:
# generated lines and bytes, lines per operation, and `cargo check` time and peak memory of
# the generated crate alone (its dependencies built beforehand, incremental compilation
# off). Ours is client and server together; progenitor's is its builder-style client (it has
# no server).
# Progenitor comes from `cargo install cargo-progenitor`; a spec it rejects or panics on is
# reported as such.
#
#   bash scripts/bench-codegen.sh [SPEC...]
#   BENCH_PROGENITOR=0 bash scripts/bench-codegen.sh tests/corpus/files/*   ours only:
#                                   every corpus crate's check time and peak memory
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
corpus=tests/corpus/files
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  specs=(specs/sparkpost-subaccounts.yaml)
  for f in progenitor__nexus.json progenitor__api-github-com.json digitalocean__v2.json; do
    [ -f "$corpus/$f" ] && specs+=("$corpus/$f")
  done
fi
cargo build -q --release -p openapi-gen
bin=$root/target/release/openapi-gen
progenitor=$(command -v cargo-progenitor || true)
[ "${BENCH_PROGENITOR:-1}" = 0 ] && progenitor=skip
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One target folder for every crate: dependencies are built once, before any measurement.
export CARGO_TARGET_DIR=$work/target CARGO_INCREMENTAL=0

# `cargo check` of the crate at $1 with its dependencies already built: "seconds MB".
measure() {
  local dir=$1
  (cd "$dir" && cargo check -q --all-features >/dev/null 2>&1) || { echo "fails -"; return; }
  touch "$dir"/src/*.rs
  /usr/bin/time -o "$work/time" -f '%e %M' \
    cargo check -q --all-features --manifest-path "$dir/Cargo.toml" >/dev/null 2>&1
  awk '{ printf "%.1f %d\n", $1, $2 / 1024 }' "$work/time"
}

# Lines and bytes of the Rust source under $1/src (generated modules only).
size() {
  cat "$1"/src/*.rs | wc -lc | awk '{ print $1, $2 }'
}

row() { # tool spec ops dir
  local tool=$1 name=$2 ops=$3 dir=$4
  read -r lines bytes < <(size "$dir")
  read -r secs mb < <(measure "$dir")
  printf '| %s | %s | %s | %s | %s KB | %s | %s s | %s MB |\n' "$name" "$tool" "$ops" \
    "$lines" "$((bytes / 1024))" "$((ops > 0 ? lines / ops : 0))" "$secs" "$mb"
}

echo "| spec | generator | operations | lines | size | lines/op | cargo check | peak memory |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for spec in "${specs[@]}"; do
  name=$(basename "$spec")
  ops=$("$bin" validate "$spec" 2>/dev/null | tail -1 | sed -n 's/.*, \([0-9]*\) operations,.*/\1/p')
  ours=$work/ours-${name%%.*}
  "$bin" generate "$spec" --out "$ours" --name bench-ours --runtime-path "$root/runtime" >/dev/null 2>&1
  printf '\n[workspace]\n' >>"$ours/Cargo.toml"
  cp Cargo.lock "$ours/Cargo.lock"
  row "openapi-gen (client + server)" "$name" "${ops:-0}" "$ours"
  [ "$progenitor" = skip ] && continue
  if [ -z "$progenitor" ]; then
    echo "| $name | progenitor | - | not installed (cargo install cargo-progenitor) | | | | |"
    continue
  fi
  theirs=$work/progenitor-${name%%.*}
  # The builder interface, like ours (`client.op().param(x).send()`).
  if ! timeout 300 cargo progenitor -i "$spec" -o "$theirs" -n bench-progenitor -v 0.1.0 \
    --interface builder >"$work/progenitor.log" 2>&1; then
    reason=$(grep -m1 -E "panicked|error" "$work/progenitor.log" | cut -c1-80 || true)
    echo "| $name | progenitor | - | fails: ${reason:-no output} | | | | |"
    continue
  fi
  printf '\n[workspace]\n' >>"$theirs/Cargo.toml"
  row "progenitor (builder client)" "$name" "${ops:-0}" "$theirs"
done

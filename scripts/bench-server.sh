#!/usr/bin/env bash
# On demand (not in CI): what the generated server costs over a hand-written one. Serves the
# same small API (benches/overhead/pets.yaml) twice, through the generated router with a
# trivial implementation (full validation on, a bearer-token authenticator) and written by
# hand on axum with serde, with the same checks written out as a careful author would; and
# drives each with `wrk` on 127.0.0.1, on every endpoint the benchmark lists (`overhead
# endpoints`): GET by id, POST of a 10-field body, a list with query parameters, POST of an
# order (a discriminated oneOf, nested arrays of objects, nullable fields), GET behind the
# authenticator, and a page of a cursor-paginated listing.
#
# Both servers run at once on one core (one tokio worker each; only the one under load is
# busy), wrk on the other core. This machine's speed drifts by more than the difference
# measured, so runs are short and paired: for each endpoint, ROUNDS pairs of runs of
# SECONDS each, alternating which server goes first (A B B A ...). Each pair gives a ratio;
# the table shows the median requests per second of each server and the median ratio, with
# the lowest and highest ratio beside it.
#
#   bash scripts/bench-server.sh [SECONDS_PER_RUN] [ROUNDS] [ENDPOINT...]   (needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
rounds=${2:-10}
shift $(($# < 2 ? $# : 2))
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }
export CARGO_TARGET_DIR=$PWD/target/overhead
(cd benches/overhead && cargo build -q --release --locked)
bin=$CARGO_TARGET_DIR/release/overhead
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# One core for the servers, one for wrk, when there are two or more (taskset, util-linux).
pin_server= pin_wrk=
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server="taskset -c 0" pin_wrk="taskset -c 1"
fi
declare -A port=([generated]=18931 [hand]=18932)
for server in generated hand; do
  TOKIO_WORKER_THREADS=1 $pin_server "$bin" "$server" "127.0.0.1:${port[$server]}" &
  pids+=($!)
done
for server in generated hand; do
  base=http://127.0.0.1:${port[$server]}
  for _ in $(seq 50); do curl -fs "$base/pets/1" >/dev/null 2>&1 && break; sleep 0.1; done
  # Both answer the same thing (the generated one validates first).
  curl -fs "$base/pets/1" >/dev/null
done

rps() { # server duration path-and-wrk-args...
  local server=$1 duration=$2 target=$3; shift 3
  local out
  out=$($pin_wrk wrk -t1 -c32 -d"$duration" "$@" "http://127.0.0.1:${port[$server]}$target")
  # A refusal is quicker than an answer: a run with any is not a measurement.
  if grep -q "Non-2xx" <<< "$out"; then
    echo "$server answered $target with errors:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/Requests\/sec/ { print $2 }' <<< "$out"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The endpoints, as the benchmark lists them (all, or those named by number).
mapfile -t listed < <("$bin" endpoints)
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=($(seq 0 $((${#listed[@]} - 1))))
rows=()
for i in "${selected[@]}"; do
  IFS=$'\t' read -r _ name target <<< "${listed[$i]}"
  "$bin" wrk-script "$i" > "$work/$i.lua"
  : > "$work/g" ; : > "$work/h" ; : > "$work/r"
  # Warm both up.
  for server in generated hand; do rps "$server" 1s "$target" -s "$work/$i.lua" >/dev/null; done
  for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="generated hand"; else order="hand generated"; fi
    for server in $order; do
      declare "r_$server=$(rps "$server" "${seconds}s" "$target" -s "$work/$i.lua")"
    done
    echo "$r_generated" >> "$work/g"; echo "$r_hand" >> "$work/h"
    awk -v g="$r_generated" -v h="$r_hand" 'BEGIN { print g / h }' >> "$work/r"
  done
  g=$(median < "$work/g"); h=$(median < "$work/h"); r=$(median < "$work/r")
  lo=$(sort -g "$work/r" | head -1); hi=$(sort -g "$work/r" | tail -1)
  rows+=("$(awk -v n="$name" -v g="$g" -v h="$h" -v r="$r" -v lo="$lo" -v hi="$hi" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.1f%% | %.1f–%.1f%% |", n, g, h, 100 * r, 100 * lo, 100 * hi }')")
  echo "$name done" >&2
done

echo "| endpoint | generated (req/s) | hand-written (req/s) | generated / hand (median of pairs) | range of pairs |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"

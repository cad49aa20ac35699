#!/usr/bin/env bash
# On demand (not in CI): what one request to the generated server, and one call of the
# generated client, costs in instructions against the same written by hand (the servers
# and calls of scripts/bench-server.sh and scripts/bench-client.sh). Rates over HTTP move by
# several percent from run to run on a shared machine; an instruction count does not, so it
# is the figure to compare two commits by, and the rates say what it means on the wire.
#
# Each figure is user-space instructions counted by valgrind (callgrind) in two runs of N and
# 3N requests (or calls) made one after another, divided by the 2N between them: start-up
# and warm-up cancel out. The server is measured in process (its router called as a tower
# service: no sockets); the client against the hand-written server, whose instructions are
# not counted. Kernel time is in neither.
#
#   bash scripts/bench-instructions.sh [N]   (needs valgrind; N defaults to 500)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }
export CARGO_TARGET_DIR=$PWD/target/overhead
(cd benches/overhead && cargo build -q --release --locked)
bin=$CARGO_TARGET_DIR/release/overhead
work=$(mktemp -d)
server=
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Instructions of one run: the command's, under callgrind.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$@" 2> "$work/log" > /dev/null \
    || { cat "$work/log" >&2; exit 1; }
  awk '/Collected :/ { print $NF }' "$work/log"
}
# Instructions per request of `"$@" COUNT`: (count at 3N - count at N) / 2N.
per() { local a b; a=$(count "$@" "$n"); b=$(count "$@" $((3 * n))); echo $(((b - a) / (2 * n))); }
row() { # name generated hand
  awk -v n="$1" -v g="$2" -v h="$3" \
    'BEGIN { printf "| %s | %d | %d | %+d | %.1f%% |\n", n, g, h, g - h, 100 * h / g }'
}

echo "| server endpoint | generated (instructions/request) | hand-written | generated − hand | hand / generated |"
echo "|---|---:|---:|---:|---:|"
while IFS=$'\t' read -r i name _; do
  row "$name" "$(per "$bin" profile generated "$i")" "$(per "$bin" profile hand "$i")"
done < <("$bin" endpoints)

port=18942
TOKIO_WORKER_THREADS=1 "$bin" hand "127.0.0.1:$port" &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/pets/1" >/dev/null 2>&1 && break; sleep 0.1; done
echo
echo "| client call | generated (instructions/call) | hand-written | generated − hand | hand / generated |"
echo "|---|---:|---:|---:|---:|"
while IFS=$'\t' read -r i name; do
  url=http://127.0.0.1:$port
  row "$name" "$(per "$bin" client-calls "$url" "$i" generated)" \
    "$(per "$bin" client-calls "$url" "$i" hand)"
done < <("$bin" workloads)

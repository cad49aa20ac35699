#!/usr/bin/env bash
# On demand (not in CI): what the generated client costs over the same calls written by hand
# with reqwest and serde (benches/overhead/src/client.rs). One server (the hand-written one
# of benches/overhead, one tokio worker) on one core, the client on the other: 32 concurrent
# calls on a single-threaded runtime. Three workloads: GET with a bearer token, POST of a
# JSON body, and a cursor-paginated listing read as a stream (5 pages of 10). The generated
# client is used as `Client::new()` gives it (retries, tracing spans, hooks, its 30-second
# timeout); the hand-written calls get the same timeout (HAND_NO_TIMEOUT=1: none).
#
# Runs are short and paired: ROUNDS rounds of SECONDS for each client, alternating which goes
# first; the table shows the median rate of each, the median of the rounds' ratios with the
# lowest and highest, and the allocations of one call (counted on the client's thread).
#
#   bash scripts/bench-client.sh [SECONDS_PER_RUN] [ROUNDS] [WORKLOAD...]   (0 GET, 1 POST, 2 stream)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}
rounds=${2:-10}
shift $(($# < 2 ? $# : 2))
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }
export CARGO_TARGET_DIR=$PWD/target/overhead
(cd benches/overhead && cargo build -q --release --locked)
bin=$CARGO_TARGET_DIR/release/overhead
pin_server= pin_client=
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server="taskset -c 0" pin_client="taskset -c 1"
fi
port=18941
TOKIO_WORKER_THREADS=1 $pin_server "$bin" hand "127.0.0.1:$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/pets/1" >/dev/null 2>&1 && break; sleep 0.1; done
$pin_client "$bin" client "http://127.0.0.1:$port" "$seconds" "$rounds" "$@"

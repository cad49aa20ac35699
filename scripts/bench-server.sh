#!/usr/bin/env bash
# On demand (not in CI): what the generated server costs over a hand-written one. Serves the
# same small API (benches/overhead/pets.yaml) twice, through the generated router with a
# trivial implementation (full validation on) and written by hand on axum with serde, and
# drives each with `wrk` on 127.0.0.1: GET by id, POST of a 10-field JSON body, and a list
# with query parameters. The server runs on one core (one tokio worker), wrk on the other, so
# they do not fight; rounds alternate between the two servers and the best round of each
# counts. Prints a Markdown table of requests per second and the ratio.
#
#   bash scripts/bench-server.sh [SECONDS_PER_RUN] [ROUNDS]      (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-3}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }
export CARGO_TARGET_DIR=$PWD/target/overhead
(cd benches/overhead && cargo build -q --release --locked)
bin=$CARGO_TARGET_DIR/release/overhead
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Rex","species":"dog","age":3,"weight_kg":21.5,"vaccinated":true,"owner":"Ada Lovelace","tags":["good","loud"],"color":"brown","chip":"123456789012345","born":"2021-04-01"}'
LUA

# One core each when there are two or more (taskset, from util-linux).
pin_server= pin_wrk=
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server="taskset -c 0" pin_wrk="taskset -c 1"
fi
port=18931
base=http://127.0.0.1:$port
declare -A best
run() { # server endpoint-name wrk-args...
  local server=$1 name=$2; shift 2
  local rps
  rps=$($pin_wrk wrk -t1 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ { print $2 }')
  local key="$server $name"
  if [ -z "${best[$key]:-}" ] || awk -v a="$rps" -v b="${best[$key]}" 'BEGIN { exit !(a > b) }'; then
    best[$key]=$rps
  fi
}
for round in $(seq "$rounds"); do
  for server in generated hand; do
    TOKIO_WORKER_THREADS=1 $pin_server "$bin" "$server" "127.0.0.1:$port" & pid=$!
    for _ in $(seq 50); do curl -fs "$base/pets/1" >/dev/null 2>&1 && break; sleep 0.1; done
    # Both answer the same thing (the generated one validates first).
    curl -fs "$base/pets/1" >/dev/null
    run "$server" "GET /pets/{id}" "$base/pets/42"
    run "$server" "POST /pets (10-field JSON)" -s "$work/post.lua" "$base/pets"
    run "$server" "GET /pets?limit&tag&species" "$base/pets?limit=3&tag=good&species=dog"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  done
  echo "round $round of $rounds done" >&2
done

echo "| endpoint | generated (req/s) | hand-written (req/s) | generated / hand |"
echo "|---|---:|---:|---:|"
for name in "GET /pets/{id}" "POST /pets (10-field JSON)" "GET /pets?limit&tag&species"; do
  g=${best["generated $name"]}; h=${best["hand $name"]}
  awk -v n="$name" -v g="$g" -v h="$h" 'BEGIN { printf "| %s | %.0f | %.0f | %.1f%% |\n", n, g, h, 100 * g / h }'
done

#!/usr/bin/env bash
# `openapi-gen mock` beside Prism (the reference mock server), in one run on this machine:
# start-up time (until the port accepts connections), requests per second (wrk, one GET
# that needs validation and an answer), and memory (RSS after the load). The two are run in
# alternating rounds, so drift of the machine falls on both alike. On demand, not in CI:
#
#   scripts/bench-mock.sh                 # 3 rounds, 10 s of load each
#   ROUNDS=5 DURATION=20s scripts/bench-mock.sh
#
# Needs `wrk` (apt-get install wrk) and Node; Prism is installed into target/prism from npm
# unless PRISM names its binary.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
port=${BENCH_PORT:-18090}

command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
prism=${PRISM:-target/prism/node_modules/.bin/prism}
if [ ! -x "$prism" ]; then
    mkdir -p target/prism
    (cd target/prism && npm install --silent --no-audit --no-fund @stoplight/prism-cli@5 >/dev/null)
fi
cargo build -q --release --locked -p openapi-gen
mock=target/release/openapi-gen

# The spec, a GET to load it with, and the header it needs.
cases=(
    "tests/corpus/files/progenitor__api-github-com.json|/meta|Accept: application/json"
    "specs/cakemail-partner.yaml|/sub-accounts?page=1&per_page=10|Authorization: Bearer bench"
    "tests/corpus/files/progenitor__nexus.json|/v1/projects?limit=10|Accept: application/json"
)

now() { date +%s.%N; }

server=
# Starts a server (the command in "$@") and waits until the port accepts: sets `server` (its
# pid) and `seconds` (how long it took).
start() {
    local t0
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is taken: set BENCH_PORT"
        exit 1
    fi
    t0=$(now)
    "$@" >/dev/null 2>&1 &
    server=$!
    started=no
    for _ in $(seq 3000); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            started=yes
            break
        fi
        kill -0 "$server" 2>/dev/null || break
        sleep 0.05
    done
    seconds=$(echo "$(now) - $t0" | bc)
}

stop() {
    [ -n "$server" ] || return 0
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
}
trap stop EXIT

printf '%-34s %-11s %9s %12s %9s\n' spec server start_s requests/s rss_mb
for case in "${cases[@]}"; do
    IFS='|' read -r spec path header <<<"$case"
    for round in $(seq "$rounds"); do
        for server_name in openapi-gen prism; do
            if [ "$server_name" = openapi-gen ]; then
                start "$mock" mock "$spec" --bind "127.0.0.1:$port"
            else
                start "$prism" mock "$spec" -h 127.0.0.1 -p "$port" --errors false
            fi
            if [ "$started" = no ]; then
                printf '%-34s %-11s %9s   (round %s: did not start; it says why when run by hand)\n' \
                    "$(basename "$spec")" "$server_name" "-" "$round"
                stop
                continue
            fi
            # The answer must be a success, or the rate means nothing.
            code=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "http://127.0.0.1:$port$path" || true)
            rate=$(wrk -t1 -c"$connections" -d"$duration" -H "$header" "http://127.0.0.1:$port$path" \
                | awk '/Requests\/sec/ {print $2}')
            rss=$( (ps -o rss= -p "$server" || true) | awk '{printf "%.0f", $1 / 1024}')
            printf '%-34s %-11s %9.2f %12s %9s   (round %s, status %s)\n' \
                "$(basename "$spec")" "$server_name" "$seconds" "$rate" "$rss" "$round" "$code"
            stop
        done
    done
done

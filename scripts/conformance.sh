#!/usr/bin/env bash
# Conformance of the sandbox (and so of the generated servers), and of `openapi-gen mock`, to
# both specs, checked by Schemathesis, a tool nobody here wrote: it generates valid and
# invalid requests from the specs and checks every response. Needs `schemathesis` on PATH or in .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."

st=schemathesis
[ -x .venv/bin/schemathesis ] && st=.venv/bin/schemathesis
port=${CONFORMANCE_PORT:-18025}
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,missing_required_header,unsupported_method,allow_header_conformance,ignored_auth

# The binaries the README's test command built (with the features its test build unifies):
# after it, nothing is compiled again; `cargo build -p` would resolve other features and
# rebuild tokio, axum and the rest.
cargo test -q --locked --workspace --no-run
log=$(mktemp)
target/debug/sandbox --in-memory --bind "127.0.0.1:$port" --partner "ci=conformance-secret" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

run() {
    "$st" run "$1" --url "http://127.0.0.1:$port/$2" -H "Authorization: $3" \
        --checks "$checks" --max-examples "$4" --seed 20261123 --generation-database none
}
status=0
run specs/sparkpost-subaccounts.yaml sparkpost "conformance-secret" 40 || status=1
run specs/cakemail-partner.yaml cakemail "Bearer conformance-secret" 25 || status=1
echo "sandbox requests logged: $(grep -c ' request ' "$log" || true)"

# `openapi-gen mock` of both specs: validated as the generated server validates, answered
# from the specs. It takes any credential, as Prism does, so `ignored_auth` does not apply.
mock_port=$((port + 1))
target/debug/openapi-gen mock specs/sparkpost-subaccounts.yaml specs/cakemail-partner.yaml \
    --bind "127.0.0.1:$mock_port" >/dev/null 2>&1 &
mock_pid=$!
trap 'kill $pid $mock_pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$mock_port") 2>/dev/null && break
    sleep 0.1
done
checks=${checks%,ignored_auth}
mock() {
    "$st" run "$1" --url "http://127.0.0.1:$mock_port/$2" -H "Authorization: $3" \
        --checks "$checks" --max-examples "$4" --seed 20261123 --generation-database none
}
mock specs/sparkpost-subaccounts.yaml sparkpost_subaccounts "any-key" 40 || status=1
mock specs/cakemail-partner.yaml cakemail_partner "Bearer any-token" 25 || status=1
exit $status

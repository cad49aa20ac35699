#!/usr/bin/env bash
# Coverage-guided fuzzing (on demand; nightly toolchain and `cargo install cargo-fuzz`):
#
#   bash scripts/fuzz.sh campaign SECONDS [TARGET...]   each target for SECONDS, both cores
#   bash scripts/fuzz.sh smoke [SECONDS]                each target briefly
#   bash scripts/fuzz.sh compile [N]                    N crates the emit target generates,
#                                                       from its crashes and corpus, must
#                                                       compile warning-free (stable; minutes)
#
# Targets (fuzz/fuzz_targets/, bodies in tests/fuzz-targets/src/): load_resolve, emit,
# client_decode, server_request. Seed corpora: the bundled specs, the codegen fixtures and
# tests/corpus for load_resolve; every target also reads the inputs past campaigns
# crashed on (tests/fixtures/fuzz/<target>/, replayed by `cargo test` on stable). A crash
# leaves its input in fuzz/artifacts/<target>/: fix the cause, then copy the input into
# tests/fixtures/fuzz/<target>/. Prints executions and coverage per target.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-smoke}
seconds=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(load_resolve emit client_decode server_request)
if [ "$mode" = compile ]; then
  EMIT_SAMPLE=${2:-16} exec cargo test -q -p fuzz-targets --test emit_compiles -- --ignored --nocapture
fi
cargo +nightly --version >/dev/null 2>&1 || { echo "no nightly toolchain: rustup toolchain install nightly" >&2; exit 2; }
cargo fuzz --version >/dev/null 2>&1 || { echo "no cargo-fuzz: cargo install cargo-fuzz" >&2; exit 2; }
case "$mode" in smoke | campaign) ;; *) echo "usage: $0 smoke|campaign SECONDS [TARGET...] | compile [N]" >&2; exit 2 ;; esac

corpus=fuzz/corpus
mkdir -p "$corpus/load_resolve"
cp specs/*.yaml tests/fixtures/codegen/*.yaml "$corpus/load_resolve/" 2>/dev/null || true
cp tests/corpus/files/* "$corpus/load_resolve/"

jobs=$(nproc)
echo "| target | executions | exec/s | coverage (edges) | features | crashes |"
echo "|---|---:|---:|---:|---:|---:|"
for t in "${targets[@]}"; do
  mkdir -p "$corpus/$t" "fuzz/artifacts/$t"
  log=$(mktemp)
  max_len=4096
  [ "$t" = load_resolve ] && max_len=65536
  # One worker per core; each writes new inputs to the shared corpus.
  status=0
  (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" "../tests/fixtures/fuzz/$t" \
    --jobs "$jobs" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/") >"$log" 2>&1 || status=$?
  # With --jobs, libFuzzer runs in fork mode: its status lines read
  # `#EXECS: cov: C ft: F corp: N exec/s: R oom/timeout/crash: a/b/c time: Ts`.
  execs=$(grep -oE '^#[0-9]+' "$log" | tr -d '#' | sort -n | tail -1 || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | awk '{ if ($2 > m) m = $2 } END { print m + 0 }' || true)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | awk '{ if ($2 > m) m = $2 } END { print m + 0 }' || true)
  secs=$(grep -oE 'time: [0-9]+s' "$log" | tr -dc '0-9\n' | sort -n | tail -1 || true)
  execs=${execs:-0}
  rate=$(awk -v e="$execs" -v s="${secs:-0}" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')
  crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  echo "| $t | $execs | $rate | $cov | $ft | $crashes |"
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    echo "cargo fuzz failed on $t (exit $status); its log:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  rm -f "$log"
done

#!/usr/bin/env bash
# The repository carries its own copies of the material ../shared holds for everyone (the
# seeds the bundled specs come from, in specs/seeds/; the public corpus, in tests/corpus/),
# so that its tests pass in a bare clone. Run beside ../shared (CI does), this checks that
# the copies are still identical to it and that nothing of it is missing here. It fails,
# naming the folder, when ../shared is not there.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED_DIR:-../shared}
[ -d "$shared" ] || { echo "FAIL: no $shared beside the repository to compare with" >&2; exit 1; }
status=0
compare() { # FROM-DIR TO-DIR
  local n=0
  for f in "$1"/*; do
    n=$((n + 1))
    local copy="$2/$(basename "$f")"
    if ! cmp -s "$f" "$copy"; then
      echo "FAIL: $copy is missing or differs from $f"
      status=1
    fi
  done
  echo "$n files of $1 are in $2, byte for byte"
}
compare "$shared/seeds" specs/seeds
compare "$shared/corpus/files" tests/corpus/files
# Our manifest is shared's with a licence column (the 7th) added.
if ! diff <(cut -f1-6,8- tests/corpus/MANIFEST.tsv) "$shared/corpus/MANIFEST.tsv"; then
  echo "FAIL: tests/corpus/MANIFEST.tsv (less its licence column) differs from $shared/corpus/MANIFEST.tsv"
  status=1
fi
exit $status

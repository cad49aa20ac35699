#!/usr/bin/env bash
# What a user outside this repository does, with the README's own words (run by CI):
#   1. install the CLI: each line of the README's `install` recipe as written, in a clone of
#      this repository, with OPENAPI_GEN_GIT (which the README tells users to set to the URL
#      they clone from) naming that clone;
#   2. generate a crate with the installed binary, copy it alone into an empty folder, and run
#      a program beside it (tests/portable/app) that calls the generated client against the
#      generated server over 127.0.0.1: the crate needs nothing of this repository;
#   3. the README's build-time recipe (`build-toml`, `build-rs`, `build-main`) as written: a
#      new crate beside the clone that generates in its build.rs, with the generator as a
#      path build-dependency.
# Nothing is written outside a temporary folder and target/portable.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${PORTABLE_TARGET_DIR:-$repo/target/portable}"

# The code block that follows `<!-- recipe: NAME -->` in README.md.
recipe() {
  awk -v name="$1" '
    $0 == "<!-- recipe: " name " -->" { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' README.md
}
for r in install build-toml build-rs build-main; do
  [ -n "$(recipe "$r")" ] || { echo "FAIL: README.md has no recipe '$r'"; exit 1; }
done

echo "-- a clone of this repository (the working tree as it is)"
mkdir "$work/openapi-gen"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/openapi-gen"
(
  cd "$work/openapi-gen"
  git init -q && git add -A
  git -c user.name=ci -c user.email=ci@localhost commit -qm snapshot
)

echo "-- 1. install, as the README writes it"
# The commands are the README's. Only how hard the compiler optimizes the installed binary is
# CI's (it saves two minutes of an optimized build that nothing here measures); set
# PORTABLE_INSTALL_OPT_LEVEL=3 to install exactly as a user does.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${PORTABLE_INSTALL_OPT_LEVEL:-0}"
n=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  n=$((n + 1))
  echo "$ $line"
  (cd "$work/openapi-gen" && OPENAPI_GEN_GIT="file://$work/openapi-gen" CARGO_INSTALL_ROOT="$work/install$n" bash -c "$line" 2>&1 | grep -v '^ *Compiling' || true)
  "$work/install$n/bin/openapi-gen" --version
done < <(recipe install)
[ "$n" -ge 2 ] || { echo "FAIL: expected the --path and --git install lines"; exit 1; }
gen="$work/install1/bin/openapi-gen"

unset CARGO_PROFILE_RELEASE_OPT_LEVEL

echo "-- 2. a generated crate, alone in a fresh folder, client against server"
"$gen" generate specs/sparkpost-subaccounts.yaml --out "$work/generated/sparkpost-api"
if grep -rq "$repo" "$work/generated"; then
  echo "FAIL: the generated crate names a path into this repository"; exit 1
fi
mkdir "$work/fresh"
cp -r "$work/generated/sparkpost-api" "$work/fresh/sparkpost-api"
cp -r tests/portable/app "$work/fresh/app"
# The dependency versions this repository is tested with.
cp Cargo.lock "$work/fresh/app/Cargo.lock"
(cd "$work/fresh/app" && cargo run -q)
# What `check` says of an untouched copy, and of an edited one.
"$gen" check specs/sparkpost-subaccounts.yaml --out "$work/fresh/sparkpost-api"

echo "-- 3. build-time generation, as the README writes it"
mkdir -p "$work/my-app/src"
{
  printf '[package]\nname = "my-app"\nversion = "0.1.0"\nedition = "2021"\n\n'
  recipe build-toml
  printf '\n[workspace]\n'
} > "$work/my-app/Cargo.toml"
recipe build-rs > "$work/my-app/build.rs"
recipe build-main > "$work/my-app/src/main.rs"
cp specs/sparkpost-subaccounts.yaml "$work/my-app/openapi.yaml"
cp Cargo.lock "$work/my-app/Cargo.lock"
(cd "$work/my-app" && cargo run -q)
echo "ok: installed from a path and from git, a generated crate builds and runs alone, the build.rs recipe works"

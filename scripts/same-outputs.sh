#!/usr/bin/env bash
# Check that a refactor changes no output: build the command at BASE (a
# commit, default HEAD) in a temporary worktree and at the working tree,
# run both over the same generated inputs (scripts/corpus.py: the public
# vectors, mutations of each, after-sale requests derived from the quote
# vectors, the named and hostile workloads) and compare every output and
# exit status byte for byte.
#   scripts/same-outputs.sh [BASE] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
base=${1:-HEAD}; seed=${2:-7}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$base" >/dev/null
(cd "$work/base" && cargo build --release --quiet --bin manjian --example export_workloads)
cargo build --release --quiet --bin manjian
"$work/base/target/release/examples/export_workloads" "$work/workloads" >/dev/null
python3 scripts/corpus.py "$work/base/target/release/manjian" "$seed" "$work/in" "$work/workloads" "$work/base/tests/cases"
run() { # run BIN OUT: each input's output and exit status
  mkdir -p "$2"
  for f in "$work/in"/*.json; do
    op=${f%.json}; op=${op##*.}
    { "$1" "$op" <"$f" 2>/dev/null; echo "exit $?"; } >"$2/$(basename "$f")" || true
  done
}
run "$work/base/target/release/manjian" "$work/before" &
run "$PWD/target/release/manjian" "$work/after"
wait
if diff -rq "$work/before" "$work/after"; then
  echo "same outputs: $(ls "$work/in" | wc -l) inputs, base $(git rev-parse --short "$base")"
else
  echo "outputs differ (above)"; exit 1
fi

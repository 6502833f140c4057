#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer) on nightly, with debug assertions and
# overflow checks on (-a), so unchecked arithmetic panics and is found.
#
#   scripts/fuzz.sh [RUNS] [TARGET...]
#
# Runs each target (default: all six) for RUNS inputs (default 200000;
# extreme_quote, whose inputs are whole carts of up to 1,000 lines, for
# RUNS/30)
# from a seed corpus made of the conformance vectors (tests/cases) plus
# what earlier runs kept in fuzz/corpus/. A crash stops the run and leaves
# its input in fuzz/artifacts/<target>/; every crash found becomes a test in
# tests/it/fuzz_regressions.rs. The test command runs a short smoke run
# (RUNS=2000). Results of the long runs are in docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
runs=${1:-200000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(quote_json refund_json protect_json settle_json json_reader extreme_quote)

cargo +nightly --version >/dev/null 2>&1 || { echo "fuzz: needs the nightly toolchain"; exit 1; }
command -v cargo-fuzz >/dev/null || { echo "fuzz: needs cargo-fuzz (scripts/setup.sh installs it)"; exit 1; }

# Seed corpus: every vector's input, by operation.
python3 - <<'PY'
import json, os, hashlib
root = "tests/cases"
for dirpath, _, files in os.walk(root):
    for f in sorted(files):
        if not f.endswith(".json"):
            continue
        case = json.load(open(os.path.join(dirpath, f)))
        op = case.get("op") or os.path.basename(dirpath)
        target = {"refund": "refund_json", "protect": "protect_json", "settle": "settle_json"}.get(op, "quote_json")
        text = json.dumps(case["input"], ensure_ascii=False, separators=(",", ":")).encode()
        for t in (target, "json_reader"):
            d = os.path.join("fuzz", "corpus", t)
            os.makedirs(d, exist_ok=True)
            open(os.path.join(d, "seed-" + hashlib.sha1(text).hexdigest()[:16]), "wb").write(text)
PY
mkdir -p fuzz/corpus/extreme_quote

build_log=$(mktemp)
if ! cargo +nightly fuzz build -O -a >"$build_log" 2>&1; then
  tail -40 "$build_log"; rm -f "$build_log"; echo "fuzz: build failed"; exit 1
fi
rm -f "$build_log"
for t in "${targets[@]}"; do
  start=$(date +%s)
  log=$(mktemp)
  n=$runs
  [ "$t" = extreme_quote ] && n=$(( runs / 30 ))
  if cargo +nightly fuzz run -O -a "$t" -- -runs="$n" -max_len=65536 -timeout=20 \
      -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz $t: $execs inputs, coverage $cov, no crash ($(( $(date +%s) - start )) s)"
  else
    tail -40 "$log"
    echo "fuzz $t: CRASH (input saved under fuzz/artifacts/$t/)"
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
done

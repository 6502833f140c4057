#!/usr/bin/env bash
# Every benchmark, from one command (see bench/README.md): native criterion
# latency and throughput of the named workloads; the wasm engine measured
# from JavaScript in Node and in headless Chromium (Playwright); and the
# side-by-side run against Medusa's promotion module in Node; then the
# targets as ratios of this run and each workload's floor (bench/summary.mjs).
# Usage: scripts/bench.sh [criterion filter]
# Output is also written to bench/results/latest.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
mkdir -p bench/results
exec > >(tee bench/results/latest.txt) 2>&1
echo "== $(date -u +%FT%TZ) on $(nproc) cores, $(rustc --version), node $(node --version)"
echo "== native (criterion)"
cargo bench --bench quote -- --warm-up-time 1 --measurement-time 3 "$@"
echo "== building the wasm packages"
cargo run --release --quiet --example export_workloads -- target/workloads >/dev/null
# The module as shipped (its size), and bench builds for the timings: the
# same engine with the `Floor` export (feature `bench`) beside it.
wasm-pack build --quiet --release --target web --out-dir target/npm/web 2>/dev/null
wasm-pack build --quiet --release --target nodejs --out-dir target/npm/bench-nodejs -- --features bench 2>/dev/null
wasm-pack build --quiet --release --target web --out-dir target/npm/bench-web -- --features bench 2>/dev/null
ls -l target/npm/web/manjian_bg.wasm | awk '{print "web wasm: " $5 " bytes"}'
gz=$(gzip -9c target/npm/web/manjian_bg.wasm | wc -c)
echo "gzip -9: $gz bytes"
[ -d bench/node_modules/playwright-core ] && [ -d bench/node_modules/@medusajs/promotion ] ||
  npm ci --silent --no-audit --no-fund --prefix bench
echo "== wasm in Node"
node bench/node-bench.mjs target/npm/bench-nodejs target/workloads bench/results/node.json
echo "== wasm in headless Chromium"
node bench/browser-bench.mjs target/npm/bench-web target/workloads bench/results/browser.json
echo "== against Medusa's promotion module (Node)"
(cd bench && node medusa-bench.mjs ../target/npm/bench-nodejs results/medusa.json)
if [ $# -eq 0 ]; then
  echo "== targets and floors (ratios of this run)"
  node bench/summary.mjs bench/results target/criterion target/npm/web/manjian_bg.wasm "$gz"
fi

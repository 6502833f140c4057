#!/usr/bin/env bash
# Benchmarks (see bench/README.md): native criterion latency of the named
# workloads, then the wasm engine in Node measured from JavaScript.
# Usage: scripts/bench.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
echo "== native (criterion)"
cargo bench --bench quote -- --warm-up-time 1 --measurement-time 3 "$@"
echo "== wasm in Node"
cargo run --release --quiet --example export_workloads -- target/workloads >/dev/null
wasm-pack build --quiet --release --target nodejs --out-dir target/npm/nodejs 2>/dev/null
node bench/node-bench.mjs target/npm/nodejs target/workloads

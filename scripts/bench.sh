#!/usr/bin/env bash
# Benchmarks (see bench/README.md): native criterion latency of the named
# workloads. Usage: scripts/bench.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cargo bench --bench quote -- --warm-up-time 1 --measurement-time 3 "$@"

#!/usr/bin/env bash
# The reference server under hostile load on loopback (tests/it/load.rs),
# longer than the test command's run: LOAD_SECONDS (default 120) with
# LOAD_CLIENTS (default 32) concurrent clients, plus 200 slow-loris
# connections. Prints the summary recorded in docs/RELIABILITY.md, and the
# server's memory samples.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
LOAD_SECONDS=${LOAD_SECONDS:-120} LOAD_CLIENTS=${LOAD_CLIENTS:-32} LOAD_TRACE=1 \
  cargo test --release --features server --test it load:: -- --nocapture 2>&1 |
  grep -E '^(load:|rss samples|test result)|panicked'

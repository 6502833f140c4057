#!/usr/bin/env bash
# Set up what is missing, then run every test: formatting and lints, the
# native suites (unit, conformance vectors through library, command and
# HTTP server, properties and invariants, search cross-checks, limits and
# hostile inputs, saved fuzz inputs, the server under hostile load, parity
# fixture, doc tests, the OpenAPI description against the engine), the
# API docs and the crate package, a bounded fuzzing smoke run, the vectors
# through the shared compare tool, the wasm suites in Node and in headless
# Chromium, the npm package installed into a clean folder (Node, Vite and
# webpack builds in Chromium, a Web Worker, TypeScript), and the checkout
# page and the HTTP API driven by Playwright and validated against the
# OpenAPI description. The README's test command.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

passed=0; failed=0; failures=()
step() {
  local name=$1; shift
  printf '\n=== %s\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); printf '=== %s: ok (%ss)\n' "$name" $((SECONDS - t0))
  else
    failed=$((failed + 1)); failures+=("$name"); printf '=== %s: FAILED (%ss)\n' "$name" $((SECONDS - t0))
  fi
}

# `cargo package` must be clean: no warning (cargo exits 0 on its warnings).
crate_package() {
  local out
  out=$(cargo package --allow-dirty 2>&1) || { echo "$out"; return 1; }
  if grep -q '^warning' <<<"$out"; then
    grep -A4 '^warning' <<<"$out"; echo "cargo package warned"; return 1
  fi
  echo "$(grep -c . <<<"$out") lines of output, no warning"
}

compare_vectors() {
  cargo build --release --quiet --bin manjian &&
    python3 "${SHARED_DIR:-../shared}/tools/compare.py" --cmd "target/release/manjian {op}" tests/cases
}

wasm_suites() {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --target wasm32-unknown-unknown --test wasm_node --test wasm_browser
}

step "cargo fmt --check" cargo fmt --check
step "cargo fmt --check (fuzz)" cargo fmt --check --manifest-path fuzz/Cargo.toml
step "cargo clippy (native)" cargo clippy --workspace --all-targets --features server --quiet -- -D warnings
step "cargo clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --tests --quiet -- -D warnings
step "native tests (cargo test --release --features server)" cargo test --release --features server
step "API docs (cargo doc, warnings denied)" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --features server --quiet
step "crate package (cargo package, no warning)" crate_package
step "conformance vectors via compare.py" compare_vectors
step "fuzz smoke run (2,000 inputs per target)" ./scripts/fuzz.sh 2000
step "wasm in Node and headless Chromium" wasm_suites
step "npm package: Node, Vite, webpack, a worker, TypeScript" ./scripts/test-npm.sh
step "checkout page in Chromium (Playwright)" ./scripts/test-e2e.sh

printf '\n'
for f in "${failures[@]}"; do printf 'FAILED: %s\n' "$f"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Install what this project needs and is missing; skip what is present.
# Idempotent: run it as often as you like (the README's two commands do).
#
#   wasm32 target, wasm-bindgen-cli (pinned to the crate's wasm-bindgen),
#   wasm-pack, wasm-opt (npm's binaryen, never Debian's: its wasm-opt 108
#   breaks the module), Chromium + chromedriver (Debian), the npm
#   packages of the test folders (tests/e2e: playwright-core, which
#   downloads no browser, and ajv; tests/npm: typescript, vite, webpack,
#   playwright-core, typedoc), and for fuzzing the nightly toolchain and
#   cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # = the `wasm-bindgen = "=0.2.130"` pin in Cargo.toml
WASM_PACK_VERSION=0.15.1
BINARYEN_VERSION=132.0.0
CARGO_FUZZ_VERSION=0.13.2

say() { printf 'setup: %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: the registry lacks a locked dependency version.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
  cargo install --force --locked wasm-pack --version "$WASM_PACK_VERSION"
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  say "installing wasm-opt from npm's binaryen $BINARYEN_VERSION into .tools"
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools "binaryen@$BINARYEN_VERSION"
fi

# Fuzzing (scripts/fuzz.sh): libFuzzer needs nightly; cargo-fuzz builds on
# stable. Not fatal here (the demo needs neither); the fuzz step of the
# test command fails if they are missing.
if ! cargo +nightly --version >/dev/null 2>&1; then
  say "installing the nightly toolchain (for cargo-fuzz)"
  rustup toolchain install nightly --profile minimal ||
    say "WARNING: no nightly toolchain: scripts/fuzz.sh cannot run"
fi
if [ "$(cargo-fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (a minute)"
  cargo install --force --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" ||
    say "WARNING: cargo-fuzz did not install: scripts/fuzz.sh cannot run"
fi

# Chromium for the browser tests; CJK fonts so that screenshots of the
# checkout page show its Chinese labels.
apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
command -v chromedriver >/dev/null || apt_missing+=(chromium-driver)
# (grep reads all of fc-list: with -q it would stop early, and pipefail
# would count fc-list's broken pipe as a miss.)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || apt_missing+=(fonts-noto-cjk)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing Debian's ${apt_missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# The test folders' npm packages (pinned by their lockfiles): installed
# when missing or when the lockfile changed since they were.
for dir in tests/e2e tests/npm; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing the npm packages of $dir"
    npm ci --silent --no-audit --no-fund --prefix "$dir"
  fi
done

say "ready: $(wasm-pack --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(cargo-fuzz --version 2>/dev/null || echo 'no cargo-fuzz'), $(chromium --version 2>/dev/null | head -1)"

#!/usr/bin/env bash
# Set up, build the npm package, and quote the contract's example with it
# from Node and with the `manjian` command: the two digests agree.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
cargo build --release --quiet --bin manjian
wasm-pack build --quiet --release --target nodejs --out-dir target/npm/nodejs >/dev/null
echo "== manjian quote examples/spec-example.json"
target/release/manjian quote examples/spec-example.json --pretty
echo "== the same input through the npm package in Node"
node -e '
  const m = require("./target/npm/nodejs");
  const input = JSON.parse(require("fs").readFileSync("examples/spec-example.json", "utf8"));
  const q = m.quote(input);
  console.log("payable", q.totals.payable, "due", q.totals.due, "digest", q.digest);
'

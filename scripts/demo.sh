#!/usr/bin/env bash
# Set up, build the web package and the server, and serve the checkout page
# with its Double 11 sample catalogue. Prints the URL; ctrl-c stops it.
#   ADDR=0.0.0.0:8080 ./scripts/demo.sh   to listen elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
echo "building the wasm package (www/pkg) and the server..."
wasm-pack build --quiet --release --target web --out-dir www/pkg 2>/dev/null
cargo build --release --quiet --features server --bin manjian
addr=${ADDR:-127.0.0.1:8080}
echo "open http://$addr/ for the checkout page (ctrl-c stops the server)"
exec target/release/manjian serve --addr "$addr" --www www --rules www/rules.json --catalogue www/catalogue.json

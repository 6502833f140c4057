#!/usr/bin/env bash
# Set up, build the web package and the server, and serve the checkout page
# with its Double 11 sample catalogue. Prints the URL; ctrl-c stops it.
#   ADDR=0.0.0.0:8080 ./scripts/demo.sh   to listen elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
echo "building the npm package (into www/pkg) and the server..."
# The page imports the package as a storefront installs it (index.html's
# import map): scripts/package.sh's files, replacing any older copy.
./scripts/package.sh >/dev/null
rm -rf www/pkg && cp -r target/package/manjian www/pkg
cargo build --release --quiet --features server --bin manjian
addr=${ADDR:-127.0.0.1:8080}
echo "open http://$addr/ for the checkout page (ctrl-c stops the server)"
exec target/release/manjian serve --addr "$addr" --www www --rules www/rules.json --catalogue www/catalogue.json

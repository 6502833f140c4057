#!/usr/bin/env bash
# The checkout page in a real browser: build the npm package
# (scripts/package.sh) into www/pkg, where the page imports it as a
# storefront does, and the server; start `manjian serve` on a free
# loopback port with the page's rules for its orders, and drive the page
# with Playwright (playwright-core + Debian's Chromium) on a desktop and on
# a phone (with a cart of the `huge` workload's size in www/big/; freight
# templates, 领券 and 满赠 in tests/e2e/delivery.test.mjs); then
# validate the server's answers against its OpenAPI description. The
# page's money sums (www/money.js) are checked in Node first. Screenshots
# of the main states go to tests/e2e/screenshots/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
./scripts/package.sh >/dev/null
rm -rf www/pkg && cp -r target/package/manjian www/pkg
cargo build --release --quiet --features server --bin manjian
# A cart of the `huge` workload's size, for the worker test.
cargo run --release --quiet --example export_workloads -- target/workloads >/dev/null
node tests/e2e/big-catalogue.mjs target/workloads/huge.json www/big >/dev/null
[ -d tests/e2e/node_modules/playwright-core ] && [ -d tests/e2e/node_modules/ajv ] || npm ci --silent --no-audit --no-fund --prefix tests/e2e

log=$(mktemp)
target/release/manjian serve --addr 127.0.0.1:0 --www www --rules www/rules.json --catalogue www/catalogue.json >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[0-9.:]*/' "$log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "server did not start"; exit 1; }
echo "server at $url"
BASE_URL=$url node --test tests/e2e/money.test.mjs tests/e2e/checkout.test.mjs tests/e2e/phone.test.mjs tests/e2e/delivery.test.mjs tests/e2e/tenders.test.mjs tests/e2e/openapi.test.mjs

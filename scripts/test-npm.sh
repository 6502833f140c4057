#!/usr/bin/env bash
# The npm package as a user gets it: build the one tarball
# (scripts/package.sh), install it into a clean folder, and use it from
# Node `require` and `import` (every public vector, the section 2 example
# against `manjian quote`, and `require` with require(esm) turned off), from
# a Vite 6 dev server and production build, a webpack 5 production build
# and a page without a bundler, each loaded in headless Chromium, with a
# page that prices in a Web Worker; `tsc --strict` on consumer files for
# require, import and a browser; `npm publish --dry-run`; and the examples
# (examples/storefront built by Vite, served by examples/order-server).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
root=$PWD

cargo build --release --quiet --bin manjian
export MANJIAN_BIN=$root/target/release/manjian MANJIAN_CASES=$root/tests/cases

# The test tools (TypeScript, Vite, webpack, Playwright), installed once.
[ -d tests/npm/node_modules/vite ] && [ -d tests/npm/node_modules/webpack ] ||
  npm ci --silent --no-audit --no-fund --prefix tests/npm

tarball=$(./scripts/package.sh | tail -1)
echo "npm package: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) kB"
# Clean: no warning but the one a dry run without a login always gives.
publish=$(cd "$(dirname "$tarball")/manjian" && npm publish --dry-run 2>&1) || { echo "$publish"; exit 1; }
if echo "$publish" | grep -i "warn" | grep -v "requires you to be logged in"; then
  echo "npm publish --dry-run warned"; exit 1
fi
echo "npm publish --dry-run: ok"
docs=$(mktemp -d)
app=$(mktemp -d)
trap 'rm -rf "$docs" "$app"' EXIT
./scripts/js-docs.sh "$docs/js" "$(dirname "$tarball")/manjian"
diff -r "$docs/js" docs/js >/dev/null ||
  { diff -r "$docs/js" docs/js | head -20; echo "docs/js/ is stale: run scripts/js-docs.sh"; exit 1; }
echo "docs/js/ (typedoc of the package's types): current"

# One clean folder with the tarball installed: the consumers, the pages
# and, in their own subfolders, the examples.
(cd "$app" && npm init -y >/dev/null && npm pkg set type=module && npm install --silent --no-audit --no-fund "$tarball")
cp tests/npm/vectors.cjs tests/npm/checks.cjs tests/npm/require.test.cjs tests/npm/import.test.mjs \
  tests/npm/types.cts tests/npm/types.mts tests/npm/types-web.ts "$app/"
cp tests/npm/browser/* "$app/"
cp -r examples/storefront examples/order-server "$app/"

echo "Node (require and import):"
(cd "$app" && node --test require.test.cjs import.test.mjs)
# As on Node before 20.19, where `require` cannot load an ES module.
(cd "$app" && node --no-experimental-require-module --test require.test.cjs >/dev/null) ||
  { echo "require('manjian') needs require(esm)"; exit 1; }
echo "require without require(esm): ok"

echo "TypeScript (tsc --strict) on consumers of the installed package:"
tsc=$root/tests/npm/node_modules/.bin/tsc
(cd "$app" &&
  "$tsc" --noEmit --strict --skipLibCheck false --module nodenext --moduleResolution nodenext \
    --target esnext --lib esnext --types node --typeRoots "$root/tests/npm/node_modules/@types" types.cts types.mts &&
  "$tsc" --noEmit --strict --skipLibCheck false --module esnext --moduleResolution bundler \
    --target esnext --lib esnext,dom types-web.ts &&
  echo "types.cts (require), types.mts (import), types-web.ts (browser): ok")

echo "Bundlers and browsers (Vite 6, webpack 5, no bundler, a Web Worker) in Chromium:"
MANJIAN_APP=$app node --test tests/npm/bundlers.test.mjs

echo "Examples (the Vite storefront served by the Node order server, in Chromium):"
MANJIAN_EXAMPLES=$app node --test tests/npm/examples.test.mjs

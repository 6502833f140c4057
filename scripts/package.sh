#!/usr/bin/env bash
# The npm package: one tarball for Node (require and import), bundlers,
# browsers without a bundler and workers. wasm-pack builds the engine
# twice, for the `web` and `nodejs` targets (the two .wasm files are the
# same module, checked); the package holds one .wasm, both glues, the
# entry points of npm/ and one set of types. Prints the tarball's path as
# its last line.
#   scripts/package.sh [OUT_DIR]   (default target/package)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
out=$(realpath -m "${1:-target/package}")
build=$out/build
pkg=$out/manjian
rm -rf "$build" "$pkg" && mkdir -p "$build" "$pkg"

for target in web nodejs; do
  wasm-pack build --quiet --release --target "$target" --out-dir "$build/$target" >/dev/null 2>&1 ||
    { wasm-pack build --release --target "$target" --out-dir "$build/$target"; exit 1; }
done
cmp -s "$build/web/manjian_bg.wasm" "$build/nodejs/manjian_bg.wasm" ||
  { echo "package: the web and nodejs builds made different .wasm files" >&2; exit 1; }
diff -r "$build/web/snippets" "$build/nodejs/snippets" >/dev/null ||
  { echo "package: the web and nodejs builds made different snippets" >&2; exit 1; }

cp "$build/web/manjian_bg.wasm" "$pkg/"
cp -r "$build/web/snippets" "$pkg/"
cp "$build/web/manjian.js" "$pkg/manjian_web.js"
# The nodejs glue `require`s wasm-bindgen's snippets, which are ES modules;
# a CommonJS copy of each (they only export functions) keeps `require`
# working on Node versions without require(esm).
for snippet in "$pkg"/snippets/*/*.js; do
  sed -E 's/^export function ([A-Za-z0-9_]+)/exports.\1 = function \1/' "$snippet" >"${snippet%.js}.cjs"
  ! grep -Eq '^(export|import)[[:space:]]' "${snippet%.js}.cjs" ||
    { echo "package: $snippet is more than exported functions" >&2; exit 1; }
done
sed -E 's#(require\(String\.raw`\./snippets/[^`]*)\.js`#\1.cjs`#' "$build/nodejs/manjian.js" |
  cat - npm/node-init.cjs >"$pkg/node.cjs"
! grep -q 'snippets/[^`]*\.js`' "$pkg/node.cjs" || { echo "package: node.cjs still requires an ES module" >&2; exit 1; }
cp npm/web.js npm/node.js npm/README.md LICENSE "$pkg/"
# One set of types: the generated declarations (documents and functions,
# the same for both targets) and `init`. The .d.cts copy types `require`.
cat "$build/nodejs/manjian.d.ts" npm/init.d.ts >"$pkg/manjian.d.ts"
cp "$pkg/manjian.d.ts" "$pkg/manjian.d.cts"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" npm/package.json >"$pkg/package.json"
grep -q "\"version\": \"$version\"" "$pkg/package.json" || { echo "package: no version" >&2; exit 1; }

(cd "$pkg" && npm pack --silent --pack-destination "$out" >/dev/null)
echo "$out/manjian-$version.tgz"

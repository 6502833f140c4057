#!/usr/bin/env bash
# The npm package as a user gets it: build the nodejs and web targets with
# plain `wasm-pack build`, `npm pack` each, install each tarball into a
# clean temporary folder, and run the tests of tests/npm there (require,
# ESM import, web target through initSync, and a TypeScript type check).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
root=$PWD
out=$root/target/npm
rm -rf "$out" && mkdir -p "$out"

cargo build --release --quiet --bin manjian
export MANJIAN_BIN=$root/target/release/manjian MANJIAN_CASES=$root/tests/cases

# TypeScript for the type check, installed once into tests/npm.
[ -d tests/npm/node_modules/typescript ] || npm ci --silent --no-audit --no-fund --prefix tests/npm

for target in nodejs web; do
  wasm-pack build --quiet --release --target "$target" --out-dir "$out/$target" >/dev/null
  (cd "$out/$target" && npm pack --silent --pack-destination "$out" >/dev/null)
  tarball=$out/manjian-$target.tgz
  mv "$out"/manjian-[0-9]*.tgz "$tarball"
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  (cd "$dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "$tarball")
  cp tests/npm/vectors.cjs tests/npm/checks.cjs tests/npm/types.ts "$dir/"
  if [ "$target" = nodejs ]; then
    cp tests/npm/require.test.cjs tests/npm/import.test.mjs "$dir/"
    tests=(require.test.cjs import.test.mjs)
  else
    cp tests/npm/web.test.mjs "$dir/"
    tests=(web.test.mjs)
  fi
  echo "npm package ($target target, $(du -k "$tarball" | cut -f1) kB tarball):"
  (cd "$dir" && node --test "${tests[@]}")
  if [ "$target" = nodejs ]; then
    echo "TypeScript check of the package's types:"
    (cd "$dir" && "$root/tests/npm/node_modules/.bin/tsc" --noEmit --strict --skipLibCheck false \
      --module nodenext --moduleResolution nodenext --target esnext --lib esnext --types node --typeRoots "$root/tests/npm/node_modules/@types" types.ts && echo "types.ts: ok")
  fi
  rm -rf "$dir"
done

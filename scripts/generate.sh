#!/usr/bin/env bash
# Regenerate what is generated from the engine's declarations of its
# documents: the package's TypeScript types (src/doors/manjian.d.ts), the
# HTTP API's OpenAPI description (src/doors/openapi.json, from the routes
# in src/doors/openapi-paths.json), and the JavaScript API reference
# (docs/js, by typedoc from the package's types). The tests fail while a
# committed file differs from what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
cargo run --quiet --example generate
./scripts/package.sh >/dev/null   # the package's types, which typedoc reads
./scripts/js-docs.sh

// The web-target tarball in Node: initSync with the module's bytes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as m from 'manjian';
import checks from './checks.cjs';
const require = createRequire(import.meta.url);
const wasmPath = require.resolve('manjian/manjian_bg.wasm');
m.initSync({ module: readFileSync(wasmPath) });
checks.define('web', m);

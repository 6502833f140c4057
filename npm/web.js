// The engine for browsers, bundlers and workers: `await init()` once, then
// the same functions as in Node. The generated glue (manjian_web.js) does
// the loading; this file only gives `init` the package's one signature.
import load, { initSync as loadSync } from './manjian_web.js';

export { Engine, quote, quoteJson, refund, protect, settle, version } from './manjian_web.js';

let loading;

/**
 * Load the engine's WebAssembly module: from `wasm` (its URL, a fetch
 * Response, its bytes or a compiled WebAssembly.Module, or a promise of
 * one), else from the manjian_bg.wasm beside this file, which bundlers emit
 * as an asset. Calls after the first share its load; a failed load can be
 * retried.
 */
export function init(wasm) {
  loading ??= load(wasm === undefined ? undefined : { module_or_path: wasm }).then(
    () => undefined,
    (e) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** `import init from 'manjian'`, as wasm-pack's packages load. */
export default init;

/** Load the engine from its bytes or a compiled module, synchronously. */
export function initSync(wasm) {
  loadSync({ module: wasm });
  loading ??= Promise.resolve();
}

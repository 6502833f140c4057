// The engine for Node's `import`: the CommonJS build, which loads the
// module synchronously, so nothing needs `init` (it is there, a no-op, for
// code shared with the browser).
import engine from './node.cjs';

export const { Engine, quote, quoteJson, refund, protect, settle, version, init, initSync } = engine;

/** `import init from 'manjian'`, as in the browser. */
export default init;

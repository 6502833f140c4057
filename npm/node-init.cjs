
// manjian: Node loads the module above, synchronously, when this file is
// required; `init` and `initSync` exist so that code shared with the
// browser can always call them.
exports.init = async function init(_wasm) {};
exports.initSync = function initSync(_wasm) {};
// `import init from 'manjian'` in code that TypeScript compiles to
// `require` reads `.default`.
exports.default = exports.init;

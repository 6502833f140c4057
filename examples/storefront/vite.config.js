// Vite's dev server pre-bundles dependencies into .vite/deps, where the
// package's `new URL('manjian_bg.wasm', import.meta.url)` would no longer
// find the module: leave manjian out of that step. Orders go to the order
// server (../order-server) during `vite dev`.
export default {
  optimizeDeps: { exclude: ['manjian'] },
  server: { proxy: { '/order': 'http://127.0.0.1:8787' } },
};

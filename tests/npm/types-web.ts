// Browser consumer (tsc, bundler resolution, DOM types): init (the
// default export, as wasm-pack's packages load) with each kind of source
// the page may hold.
import init, { initSync, Engine, type WasmSource, type Cart } from 'manjian';

await init();
await init(new URL('./manjian_bg.wasm', import.meta.url));
await init('/assets/manjian_bg.wasm');
await init(fetch('/assets/manjian_bg.wasm'));
await init(await fetch('/assets/manjian_bg.wasm'));
const bytes: ArrayBuffer = await (await fetch('/assets/manjian_bg.wasm')).arrayBuffer();
initSync(bytes);
initSync(new WebAssembly.Module(bytes));
const source: WasmSource = new URL('https://example.com/x.wasm');
const engine = new Engine({ currency: 'CNY' });
const cart: Cart = { lines: [] };
const due: string = engine.quote(cart).totals.due;
// @ts-expect-error: init takes no number
await init(42);
void [source, due];

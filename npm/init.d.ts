
/** A global's instance type where the environment's types declare it (`never` elsewhere). */
type Ambient<K extends string> = typeof globalThis extends { [P in K]: { prototype: infer T } } ? T : never;

/** `WebAssembly.Module` where the environment's types declare it (its interface is empty: `object` keeps numbers and strings out). */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M & object : never;

/**
 * Where `init` finds the engine's WebAssembly: its URL (a string or `URL`),
 * a `fetch` `Response`, its bytes, or a compiled `WebAssembly.Module`.
 */
export type WasmSource = string | Ambient<"URL"> | Ambient<"Response"> | ArrayBuffer | ArrayBufferView | WasmModule;

/**
 * Load the engine. In browsers, bundlers and workers, call it once and
 * await it before anything else; without an argument the `manjian_bg.wasm`
 * beside the package's module is fetched (bundlers emit it as an asset).
 * Calls after the first share its load. In Node it does nothing: the
 * engine is ready on import.
 */
export function init(wasm?: WasmSource | Promise<WasmSource>): Promise<void>;

// Declared again, not `export default init;`: an export assignment would
// make the file's unexported types (Ambient) private.
/**
 * `init` as the default export, as wasm-pack's packages load:
 * `import init, { Engine } from 'manjian'`.
 */
export default function init(wasm?: WasmSource | Promise<WasmSource>): Promise<void>;

/**
 * Load the engine from its bytes or a compiled module, without waiting
 * (a worker that was handed them). In Node it does nothing.
 */
export function initSync(wasm: ArrayBuffer | ArrayBufferView | WasmModule): void;

// A CPU profile of the wasm engine on one workload, and its top entries.
//
//   wasm-pack build --profiling --target nodejs --out-dir /tmp/prof
//   node bench/profile.mjs /tmp/prof <{rules, cart} file> <quotes> [entries]
//
// Quotes the cart with one Engine in a loop under the V8 inspector's
// sampling profiler and prints the entries with the most self time
// (wasm functions keep their Rust names in a --profiling build).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

const [pkgDir, file, n = '2000', top = '15'] = process.argv.slice(2);
const m = createRequire(import.meta.url)(path.resolve(pkgDir));
const { rules, cart } = JSON.parse(readFileSync(file, 'utf8'));
const engine = new m.Engine(rules);
for (let i = 0; i < 50; i++) engine.quote(cart);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
for (let i = 0; i < Number(n); i++) engine.quote(cart);
const { profile } = await session.post('Profiler.stop');

// Self time per function: samples whose leaf is the node.
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
for (const id of profile.samples) {
  const { callFrame } = byId.get(id);
  const name = callFrame.functionName || `(${callFrame.url.split('/').pop() || 'anonymous'})`;
  self.set(name, (self.get(name) || 0) + 1);
}
const total = profile.samples.length;
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`${path.basename(file)}: ${n} quotes, ${total} samples`);
for (const [name, count] of rows) {
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${name.length > 100 ? `${name.slice(0, 97)}...` : name}`);
}

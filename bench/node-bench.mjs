// The wasm engine in Node, measured from JavaScript (the boundary crossing
// included): median and p95 over many runs after warm-up, for a fresh
// `quote({rules, cart})` (rules parsed every time), `Engine` reuse
// (`engine.quote(cart)`) and the JSON-text entry (`engine.quoteJson`).
//
//   node bench/node-bench.mjs <path to the nodejs package> <workloads dir>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [pkgDir, workDir] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const m = require(path.resolve(pkgDir));

function measure(fn, { warmup, runs }) {
  for (let i = 0; i < warmup; i++) fn();
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times[i] = Number(process.hrtime.bigint() - t0) / 1000; // µs
  }
  times.sort();
  return { median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
}

const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
const rows = [];
for (const name of ['small', 'double11', 'huge']) {
  const input = JSON.parse(readFileSync(path.join(workDir, `${name}.json`), 'utf8'));
  const cartText = JSON.stringify(input.cart);
  const engine = new m.Engine(input.rules);
  const q = engine.quote(input.cart);
  if (!q.coupons.proven_best) throw new Error(`${name} not proven best`);
  const plan = name === 'huge' ? { warmup: 5, runs: 40 } : { warmup: 200, runs: 2000 };
  const fresh = measure(() => m.quote(input), plan);
  const reuse = measure(() => engine.quote(input.cart), plan);
  const text = measure(() => engine.quoteJson(cartText), plan);
  rows.push({ name, fresh, reuse, text });
  console.log(`${name.padEnd(9)} fresh quote  median ${fmt(fresh.median).padStart(9)}  p95 ${fmt(fresh.p95).padStart(9)}`);
  console.log(`${''.padEnd(9)} Engine reuse median ${fmt(reuse.median).padStart(9)}  p95 ${fmt(reuse.p95).padStart(9)}`);
  console.log(`${''.padEnd(9)} quoteJson    median ${fmt(text.median).padStart(9)}  p95 ${fmt(text.p95).padStart(9)}`);
}

// One timing loop for every JavaScript benchmark (Node, the browser page
// and the Medusa comparison): `warmup` untimed calls, then `runs` timed
// calls one by one; median and p95 in microseconds. `now()` is
// `performance.now()` in milliseconds (5 µs resolution in a cross-origin
// isolated page, which the browser bench serves).
export async function measure(fn, { warmup, runs, now = () => performance.now() }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await fn();
    times[i] = (now() - t0) * 1000;
  }
  times.sort();
  return { median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
}

/** Synchronous variant, so that no promise machinery is timed. */
export function measureSync(fn, { warmup, runs, now = () => performance.now() }) {
  for (let i = 0; i < warmup; i++) fn();
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    fn();
    times[i] = (now() - t0) * 1000;
  }
  times.sort();
  return { median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
}

/** Microseconds as text: `12.3 µs` or `4.56 ms`. */
export const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);

/** Runs per workload: many for the small ones, fewer for `huge`. */
export const PLAN = {
  small: { warmup: 200, runs: 2000 },
  double11: { warmup: 100, runs: 1000 },
  huge: { warmup: 5, runs: 40 },
};

/**
 * The wasm engine on one workload, from JavaScript (boundary included):
 * a fresh `quote({rules, cart})` (rules parsed every call), `Engine` reuse
 * (`engine.quote(cart)`) and the JSON-text entry (`engine.quoteJson`);
 * with a bench build (`m.Floor`), the floor too.
 */
export function benchWorkload(m, name, input, now) {
  const cartText = JSON.stringify(input.cart);
  const engine = new m.Engine(input.rules);
  const q = engine.quote(input.cart);
  if (!q.coupons.proven_best) throw new Error(`${name} not proven best`);
  const plan = { ...PLAN[name], now };
  return {
    name,
    payable: q.totals.payable,
    fresh: measureSync(() => m.quote(input), plan),
    reuse: measureSync(() => engine.quote(input.cart), plan),
    text: measureSync(() => engine.quoteJson(cartText), plan),
    ...benchFloor(m, input, plan, q.digest),
  };
}

/**
 * The floor of a quote in wasm (the bench build's `Floor`): its own text
 * written and hashed, and that plus the host's `JSON.parse` into the
 * object `Engine.quote` returns. Nothing without a bench build.
 */
export function benchFloor(m, input, plan, digest) {
  if (!m.Floor) return {};
  const floor = new m.Floor(JSON.stringify(input));
  if (floor.toObject().digest !== digest) throw new Error('the floor wrote another quote');
  const r = {
    floorHash: measureSync(() => floor.writeAndHash(), plan),
    floorObject: measureSync(() => floor.toObject(), plan),
  };
  floor.free();
  return r;
}

/** A floor's two timings, as the reports write them. */
export const floorText = (r) =>
  `floor: write+hash ${fmt(r.floorHash.median)}, +JSON.parse to an object ${fmt(r.floorObject.median)}`;

/** Lines of a result table. */
export function report(rows) {
  const out = [];
  for (const r of rows) {
    out.push(`${r.name.padEnd(9)} fresh quote  median ${fmt(r.fresh.median).padStart(9)}  p95 ${fmt(r.fresh.p95).padStart(9)}`);
    out.push(`${''.padEnd(9)} Engine reuse median ${fmt(r.reuse.median).padStart(9)}  p95 ${fmt(r.reuse.p95).padStart(9)}`);
    out.push(`${''.padEnd(9)} quoteJson    median ${fmt(r.text.median).padStart(9)}  p95 ${fmt(r.text.p95).padStart(9)}`);
    if (r.floorHash) {
      out.push(`${''.padEnd(9)} ${floorText(r)}`);
    }
  }
  return out.join('\n');
}

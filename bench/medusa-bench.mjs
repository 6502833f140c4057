// Side by side with Medusa's promotion module (@medusajs/promotion 2.x):
// its `computeActions` with in-memory promotions, and our wasm engine
// (the `nodejs` package) in the same Node process, on carts of 10, 100 and
// 1,000 lines with promotions both engines can express. Reported as the
// ratio of the two medians.
//
//   node bench/medusa-bench.mjs <path to the nodejs package> [results.json]
//
// (from bench/, where package.json pins Medusa as a dev dependency).
//
// What each side computes, on the same lines (product p<i> in store s<k>,
// qty 1 to 3):
// - five product markdowns, 5% to 25% off (Medusa: standard promotion,
//   target items, percentage, allocation each with max_quantity covering
//   every unit, target rule items.product.id in [...]; manjian: item-stage
//   `markdown` with `rate`, rounded per unit, scope skus);
// - one 5.00 no-threshold coupon per store (one per 20 lines), spread over
//   the store's lines (Medusa: fixed, target items, allocation across,
//   target rule items.store_id eq s<k>; manjian: store-stage
//   `threshold_off` coupon, tier at 0.01 off 5.00, allocated by largest
//   remainder);
// - one 5% order coupon (Medusa: percentage, target order; manjian:
//   platform `threshold_rate` coupon, tier at 0.01, rate 0.95).
// Every coupon is applied explicitly on both sides (manjian: `apply` lists
// them, so no best-coupon search runs); Medusa gets the codes with
// `prevent_auto_promotions` and `skip_usage_limit_checks`, and its
// `listActivePromotions_` returns the promotions from memory, so neither
// side touches a database. Medusa returns adjustment actions (amounts as
// BigNumber, unrounded); manjian returns the whole quote with per-line
// shares to the cent, totals and the digest.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { benchFloor, floorText, measure, fmt } from './measure.mjs';

const require = createRequire(import.meta.url);
const [pkgDir, out] = process.argv.slice(2);
const ours = require(path.resolve(pkgDir));
const { PromotionModuleService } = require('@medusajs/promotion/dist/services');

function workload(n) {
  const stores = Math.max(1, Math.ceil(n / 20));
  const lines = [];
  for (let i = 0; i < n; i++) {
    const cents = 1000 + ((i * 7919) % 49000);
    lines.push({
      id: `L${i}`, sku: `p${i}`, store: `s${i % stores}`,
      unit_price: (cents / 100).toFixed(2), qty: 1 + (i % 3),
    });
  }
  const markdowns = [];
  for (let g = 0; g < 5; g++) {
    const skus = lines.filter((_, i) => i % 10 === g).map((l) => l.sku);
    if (skus.length) markdowns.push({ id: `md-${g}`, pct: 5 * (g + 1), skus });
  }
  const storeIds = [...new Set(lines.map((l) => l.store))];

  const rules = {
    currency: 'CNY',
    promotions: [
      ...markdowns.map((m) => ({
        id: m.id, kind: 'markdown', stage: 'item', scope: { skus: m.skus },
        rate: ((100 - m.pct) / 100).toFixed(2),
      })),
      ...storeIds.map((s) => ({
        id: `cp-${s}`, kind: 'threshold_off', stage: 'store', coupon: true,
        scope: { stores: [s] }, tiers: [{ at: '0.01', off: '5.00' }],
      })),
      { id: 'order-5', kind: 'threshold_rate', stage: 'platform', coupon: true,
        tiers: [{ at: '0.01', rate: '0.95' }] },
    ],
  };
  const coupons = [...storeIds.map((s) => `cp-${s}`), 'order-5'];
  const cart = { lines, coupons, apply: coupons };

  const rule = (attribute, operator, values) => ({ attribute, operator, values: values.map((value) => ({ value })) });
  const promo = (code, am) => ({
    id: code, code, type: 'standard', status: 'active', is_automatic: false, is_tax_inclusive: false,
    rules: [], campaign: null, limit: null,
    application_method: { currency_code: null, max_quantity: null, buy_rules: [], ...am },
  });
  const promotions = [
    ...markdowns.map((m) => promo(m.id, {
      // max_quantity: every unit of the line (Medusa's default is one).
      type: 'percentage', target_type: 'items', allocation: 'each', value: m.pct, max_quantity: 99999,
      target_rules: [rule('items.product.id', 'in', m.skus)],
    })),
    ...storeIds.map((s) => promo(`cp-${s}`, {
      type: 'fixed', target_type: 'items', allocation: 'across', value: 5,
      target_rules: [rule('items.store_id', 'eq', [s])],
    })),
    promo('order-5', { type: 'percentage', target_type: 'order', allocation: 'across', value: 5, target_rules: [] }),
  ];
  const items = lines.map((l) => {
    const subtotal = Number(l.unit_price) * l.qty;
    return { id: l.id, quantity: l.qty, subtotal, original_total: subtotal, is_discountable: true,
      product: { id: l.sku }, store_id: l.store };
  });
  const codes = promotions.map((p) => p.code);
  return { rules, cart, medusa: { promotions, items, codes } };
}

/** A promotion module service whose storage is an array in memory. */
function medusaService(promotions) {
  const svc = Object.create(PromotionModuleService.prototype);
  svc.baseRepository_ = { getFreshManager: () => ({}), serialize: async (x) => x };
  svc.promotionService_ = { list: async () => [] };
  svc.campaignBudgetUsageService_ = { list: async () => [] };
  svc.listActivePromotions_ = async () => promotions;
  return svc;
}

const opts = { prevent_auto_promotions: true, skip_usage_limit_checks: true };
const rows = [];
for (const n of [10, 100, 1000]) {
  const w = workload(n);
  const input = { rules: w.rules, cart: w.cart };
  // For the profile (bench/README.md): each side's cart as a file.
  if (process.env.MEDUSA_DUMP) writeFileSync(path.join(process.env.MEDUSA_DUMP, `medusa-${n}.json`), JSON.stringify(input));
  const svc = medusaService(w.medusa.promotions);
  const ctx = { currency_code: 'cny', items: w.medusa.items, shipping_methods: [] };
  const actions = await svc.computeActions(w.medusa.codes, ctx, opts);
  const medusaOff = actions.reduce((s, a) => s + Number(a.amount ?? 0), 0);
  const engine = new ours.Engine(w.rules);
  const q = engine.quote(w.cart);
  const runs = n === 1000 ? 50 : 500;
  const warm = n === 1000 ? 5 : 50;
  const plan = { runs, warmup: warm };
  const med = await measure(() => svc.computeActions(w.medusa.codes, ctx, opts), plan);
  const mj = await measure(() => engine.quote(w.cart), plan);
  const fresh = await measure(() => ours.quote(input), plan);
  console.log(`${String(n).padStart(4)} lines, ${w.medusa.promotions.length} promotions:`
    + ` Medusa computeActions median ${fmt(med.median)} (p95 ${fmt(med.p95)}, ${actions.length} adjustments, ${medusaOff.toFixed(2)} off);`
    + ` manjian Engine.quote median ${fmt(mj.median)} (p95 ${fmt(mj.p95)}, ${q.totals.discount} off),`
    + ` fresh quote ${fmt(fresh.median)};`
    + ` ratio ${(med.median / mj.median).toFixed(1)}x (fresh ${(med.median / fresh.median).toFixed(1)}x)`);
  // Our floor on this cart (a bench build only): its quote text written
  // and hashed, and handed to JavaScript as an object.
  const floor = benchFloor(ours, input, plan, q.digest);
  if (floor.floorObject) {
    console.log(`${''.padStart(4)}       manjian ${floorText(floor)};`
      + ` at that floor the ratio could be at most ${(med.median / floor.floorObject.median).toFixed(1)}x`);
  }
  rows.push({ lines: n, medusa: med, manjian: mj, fresh, ...floor });
}
if (out) writeFileSync(out, JSON.stringify(rows));

// The benchmarks' `huge` workload (1,000 lines in 50 stores, 25 of them
// with freight templates, 2,000 promotions, 180 held coupons and 20 to
// claim, three tenders: cargo run --example export_workloads) as
// a catalogue for the checkout page: www/big/catalogue.json and
// www/big/rules.json (not committed), opened as
// /?catalogue=big/catalogue.json&rules=big/rules.json.
//   node tests/e2e/big-catalogue.mjs target/workloads/huge.json www/big
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [from, to] = process.argv.slice(2);
const { rules, cart } = JSON.parse(readFileSync(from, 'utf8'));
const stores = {};
for (const id of Object.keys(rules.stores || {})) stores[id] = { name: `店铺 ${id}`, en: id };
for (const l of cart.lines) stores[l.store] ??= { name: `店铺 ${l.store}`, en: l.store };
const products = cart.lines.map((l) => ({
  sku: l.sku, name: `商品 ${l.sku}`, en: l.sku, store: l.store, category: l.category,
  unit_price: l.unit_price, ...(l.tags ? { tags: l.tags } : {}),
  ...(l.template ? { template: l.template } : {}), ...(l.weight ? { weight: l.weight } : {}),
}));
// The buyer's addresses with their regions (freight templates price by
// them), and the tenders the buyer holds.
const addresses = Object.fromEntries(Object.entries(cart.buyer?.addresses || { home: { region: '上海' } })
  .map(([id, a]) => [id, { zh: `${id} · ${a.region}`, en: `${id}, ${a.region}`, region: a.region }]));
const tenders = (cart.tenders || []).map((t) => ({ id: t.id, zh: t.id, en: t.id, balance: t.balance }));
const catalogue = {
  title: 'the huge workload',
  now: cart.at,
  stores,
  products,
  labels: {},
  cart: {
    lines: cart.lines.map((l) => ({ sku: l.sku, qty: l.qty, ship_to: l.ship_to || 'home' })),
    coupons: cart.coupons || [],
    ...(cart.claimable ? { claimable: cart.claimable } : {}),
  },
  addresses,
  ...(tenders.length ? { tenders } : {}),
  buyer: { tags: [] },
  member: { tag: '88vip', zh: '88VIP 会员', en: '88VIP member' },
};
mkdirSync(to, { recursive: true });
writeFileSync(path.join(to, 'catalogue.json'), JSON.stringify(catalogue));
writeFileSync(path.join(to, 'rules.json'), JSON.stringify(rules));
console.log(`${path.join(to, 'catalogue.json')}: ${products.length} lines, ${rules.promotions.length} promotions, ${catalogue.cart.coupons.length} held coupons`);

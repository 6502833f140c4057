// The package's behaviour as a storefront sees it, shared by the require,
// import and web-target tests.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { runVectors } = require('./vectors.cjs');

const CASES = process.env.MANJIAN_CASES;
const BIN = process.env.MANJIAN_BIN;

function define(label, m) {
  test(`${label}: every public vector`, () => {
    const { count, failures } = runVectors(m, CASES);
    assert.deepStrictEqual(failures, [], `${failures.length} of ${count} failed`);
  });

  test(`${label}: the contract's section 2 example equals \`manjian quote\``, () => {
    const file = path.join(CASES, 'quote', '40-spec-example.json');
    const input = JSON.parse(fs.readFileSync(file, 'utf8')).input;
    const native = JSON.parse(execFileSync(BIN, ['quote'], { input: JSON.stringify(input) }));
    const q = m.quote(input);
    assert.deepStrictEqual(q, native);
    assert.strictEqual(q.totals.payable, '2339.00');
    assert.match(q.digest, /^sha256:[0-9a-f]{64}$/);
    assert.strictEqual(m.quoteJson(JSON.stringify(input)), JSON.stringify(native));
  });

  test(`${label}: Engine is built once and quotes many carts`, () => {
    const file = path.join(CASES, 'quote', '01-cross-store-every-300-40.json');
    const input = JSON.parse(fs.readFileSync(file, 'utf8')).input;
    const engine = new m.Engine(input.rules);
    assert.strictEqual(engine.currency, 'CNY');
    const once = m.quote(input);
    for (let i = 0; i < 3; i++) assert.deepStrictEqual(engine.quote(input.cart), once);
    const more = structuredClone(input.cart);
    more.lines[2].qty = 3;
    assert.notStrictEqual(engine.quote(more).digest, once.digest);
    assert.strictEqual(JSON.parse(engine.quoteJson(JSON.stringify(input.cart))).digest, once.digest);
    engine.free();
  });

  test(`${label}: invalid input throws an Error with code and path`, () => {
    const rules = { currency: 'CNY' };
    const bad = { rules, cart: { lines: [{ id: 'L1', sku: 'a', store: 's', unit_price: 12.345, qty: 1 }] } };
    assert.throws(() => m.quote(bad), (e) => e instanceof Error && e.code === 'invalid_amount'
      && e.path === 'cart.lines[0].unit_price' && e.message.length > 0);
    assert.throws(() => m.quote({ rules, cart: { lines: [], colour: 1 } }),
      (e) => e.code === 'unknown_field' && e.path === 'cart.colour');
    assert.throws(() => m.quote(undefined), (e) => e.code === 'invalid_json');
    assert.throws(() => new m.Engine({ currency: 'CNY', promotions: 3 }),
      (e) => e.code === 'invalid_json' && e.path === 'rules.promotions');
    assert.throws(() => m.quoteJson('{'), (e) => e.code === 'invalid_json');
    // The module survives errors: the next call works.
    assert.strictEqual(m.quote({ rules, cart: { lines: [] } }).totals.payable, '0.00');
  });

  test(`${label}: JS numbers follow the contract`, () => {
    const q = m.quote({ rules: { currency: 'CNY' },
      cart: { lines: [{ id: 'L', sku: 'a', store: 's', unit_price: 9.9, qty: 2 }] } });
    assert.strictEqual(q.totals.payable, '19.80');
    assert.strictEqual(typeof q.lines[0].qty, 'number');
  });
}

module.exports = { define };

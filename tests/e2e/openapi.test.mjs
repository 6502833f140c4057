// The reference server's answers validated live against the OpenAPI 3.1
// description it serves at /api/openapi.json (BASE_URL, started by
// scripts/test-e2e.sh): every public vector posted to its route, its
// request body valid for the operation when the vector expects a result,
// the answer valid for its status; the error statuses the server can be
// made to give here (400, 413) too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import vectors from '../npm/vectors.cjs';

const BASE = process.env.BASE_URL;
const CASES = new URL('../cases/', import.meta.url).pathname;
const SOURCE = new URL('../../src/doors/openapi.json', import.meta.url).pathname;

let doc;
let ajv;

before(async () => {
  const res = await fetch(new URL('/api/openapi.json', BASE));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  doc = await res.json();
  // OpenAPI's own keywords (discriminator, example) are not JSON Schema's
  // and are left to OpenAPI tools (Ajv's discriminator takes no mapping);
  // the promotion kinds' `oneOf` with a `const` kind each does the work.
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
});

/** The validator of the schema at a `$ref`-able pointer into the document. */
function validator(ref) {
  const v = ajv.getSchema(`openapi.json${ref}`);
  assert.ok(v, `${ref} is a schema`);
  return v;
}

/** The schema reference of an operation's answer with `status`. */
function answerRef(op, status) {
  let r = op.responses[String(status)];
  assert.ok(r, `${status} is described`);
  if (r.$ref) r = doc.components.responses[r.$ref.split('/').pop()];
  return r.content['application/json'].schema.$ref;
}

function assertValid(ref, value, where) {
  const v = validator(ref);
  assert.ok(v(value), `${where}: ${ajv.errorsText(v.errors)}`);
}

test('the served description is the one in the source tree', () => {
  assert.deepEqual(doc, JSON.parse(readFileSync(SOURCE, 'utf8')));
  assert.equal(doc.openapi, '3.1.0');
});

test('every vector: the answer matches the description of its route and status', async () => {
  const cases = vectors.loadCases(CASES);
  for (const c of cases) {
    const route = doc.paths[`/api/${c.op}`].post;
    const res = await fetch(new URL(`/api/${c.op}`, BASE), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.input),
    });
    const body = await res.json();
    const where = `${c.name} (${res.status})`;
    assert.equal(res.status, c.expected.error ? 400 : 200, where);
    assertValid(answerRef(route, res.status), body, where);
    if (!c.expected.error) {
      assertValid(route.requestBody.content['application/json'].schema.$ref, c.input, `${where} request`);
    }
  }
  assert.ok(cases.length >= 171, `${cases.length} vectors`);
});

test('/api/order: accepted and refused answers match the description', async () => {
  const catalogue = JSON.parse(readFileSync(new URL('../../www/catalogue.json', import.meta.url), 'utf8'));
  const rules = JSON.parse(readFileSync(new URL('../../www/rules.json', import.meta.url), 'utf8'));
  const lines = catalogue.cart.lines.map((l, i) => {
    const p = catalogue.products.find((x) => x.sku === l.sku);
    const line = { id: `L${i + 1}`, sku: p.sku, store: p.store, category: p.category, unit_price: p.unit_price, qty: l.qty, ship_to: l.ship_to };
    if (p.tags) line.tags = p.tags;
    if (p.presale) line.presale = p.presale;
    if (p.template) line.template = p.template;
    if (p.weight) line.weight = p.weight;
    return line;
  });
  // The page's cart of version 3: addresses with regions, coupons on offer.
  const addresses = Object.fromEntries(Object.entries(catalogue.addresses).map(([id, a]) => [id, { region: a.region }]));
  const cart = {
    at: catalogue.now, buyer: { ...catalogue.buyer, addresses }, lines, coupons: catalogue.cart.coupons,
    claimable: catalogue.cart.claimable, apply: 'best',
  };
  const quote = await (await fetch(new URL('/api/quote', BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules, cart }),
  })).json();
  const route = doc.paths['/api/order'].post;
  for (const [digest, status] of [[quote.digest, 200], [`sha256:${'0'.repeat(64)}`, 409]]) {
    const body = { cart, digest };
    assertValid(route.requestBody.content['application/json'].schema.$ref, body, `order ${status} request`);
    const res = await fetch(new URL('/api/order', BASE), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(res.status, status);
    const answer = await res.json();
    assert.equal(answer.accepted, status === 200);
    assert.equal(answer.quote.digest, quote.digest);
    assertValid(answerRef(route, status), answer, `order ${status}`);
  }
});

test('413: a body past the limit gets the error document the description gives', async () => {
  const res = await fetch(new URL('/api/quote', BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: ' '.repeat(4 * 1024 * 1024 + 1),
  });
  assert.equal(res.status, 413);
  const body = await res.json();
  assert.equal(body.error.code, 'limit_exceeded');
  assertValid(answerRef(doc.paths['/api/quote'].post, 413), body, '413');
});

test('the check itself rejects a quote with a wrong member', async () => {
  const c = JSON.parse(readFileSync(`${CASES}quote/40-spec-example.json`, 'utf8'));
  const quote = structuredClone(c.expected);
  assertValid('#/components/schemas/Quote', quote, 'the vector');
  quote.totals.payble = quote.totals.payable;
  delete quote.totals.payable;
  assert.equal(validator('#/components/schemas/Quote')(quote), false);
  assert.equal(validator('#/components/schemas/Quote')({ ...c.expected, digest: 'md5:0' }), false);
});

test('the description rejects an answer missing a member, or with a wrong type or enum value', () => {
  const c = JSON.parse(readFileSync(`${CASES}quote/40-spec-example.json`, 'utf8'));
  const valid = validator('#/components/schemas/Quote');
  const broken = [
    (q) => { delete q.lines[0].final; },                     // a required member missing
    (q) => { q.promotions[0].stage = 'shop'; },               // not a stage
    (q) => { q.promotions[0].funded_by = 'merchant'; },       // not a funder
    (q) => { q.lines[0].qty = '1'; },                         // a quantity is an integer
    (q) => { q.coupons.proven_best = 'yes'; },                // a boolean
    (q) => { q.totals.payable = 12.5; },                      // money is a string
  ];
  for (const [i, breakIt] of broken.entries()) {
    const quote = structuredClone(c.expected);
    breakIt(quote);
    assert.equal(valid(quote), false, `mutation ${i} should be rejected`);
  }
});

test('the description rejects a request the engine rejects for its shape', () => {
  const c = JSON.parse(readFileSync(`${CASES}quote/40-spec-example.json`, 'utf8'));
  const valid = validator('#/components/schemas/QuoteInput');
  assert.ok(valid(c.input), ajv.errorsText(valid.errors));
  const markdown = { id: 'md', kind: 'markdown', stage: 'item', price: '1.00' };
  const broken = [
    (q) => { q.rules.promotions = [{ ...markdown, off: '1.00' }]; },                 // two of price, off, rate
    (q) => { q.rules.promotions = [{ ...markdown, price: undefined }]; },            // none of them
    (q) => { q.rules.promotions = [{ id: 't', kind: 'threshold_off', stage: 'platform',
      tiers: [{ at: '1', off: '1' }], every: { at: '1', off: '1' } }]; },            // tiers and every
    (q) => { q.rules.promotions = [{ id: 't', kind: 'threshold_rate', stage: 'platform', tiers: [] }]; }, // no tier
    (q) => { q.cart.coupons = ['a', 'a']; },                                           // a coupon twice
    (q) => { q.rules.price_protection_days = 40000; },                                 // past the limit
    (q) => { q.cart.lines[0].qty = 0; },                                               // a line of no units
  ];
  for (const [i, breakIt] of broken.entries()) {
    const input = JSON.parse(JSON.stringify(c.input));
    breakIt(input);
    const clean = JSON.parse(JSON.stringify(input)); // drops the undefined member
    assert.equal(valid(clean), false, `mutation ${i} should be rejected`);
  }
});

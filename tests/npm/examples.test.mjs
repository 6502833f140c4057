// The examples as a user runs them (MANJIAN_EXAMPLES: a clean folder with
// the tarball installed and examples/storefront and examples/order-server
// copied in): the storefront built by Vite with its own config, served by
// the order server, and driven in headless Chromium; the server's refusals
// checked over HTTP. Every amount on the page is compared with what
// `manjian quote` prints for the same cart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build as viteBuild } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium.mjs';

const EX = process.env.MANJIAN_EXAMPLES;
const storefront = path.join(EX, 'storefront');
const shop = JSON.parse(readFileSync(path.join(storefront, 'shop.json'), 'utf8'));

/** What `manjian quote` says of the page's cart with these quantities. */
function commandQuote(qty) {
  const lines = Object.entries(qty).map(([sku, n], i) => {
    const { store, unit_price } = shop.products.find((p) => p.sku === sku);
    return { id: `l${i + 1}`, sku, store, unit_price, qty: n };
  });
  const cart = { at: '2026-12-01T12:00:00Z', lines, coupons: ['tee-200-20', 'plat-500-30'], apply: 'best' };
  return JSON.parse(execFileSync(process.env.MANJIAN_BIN, ['quote'], { input: JSON.stringify({ rules: shop.rules, cart }) }));
}

let server;
let url;
let browser;

before(async () => {
  await viteBuild({
    root: storefront,
    configFile: path.join(storefront, 'vite.config.js'),
    logLevel: 'warn',
    build: { outDir: path.join(storefront, 'dist'), emptyOutDir: true },
  });
  server = spawn(process.execPath, [path.join(EX, 'order-server', 'server.mjs'), '--port', '0', '--www', path.join(storefront, 'dist')],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.:]+\//);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`the order server exited (${code})`)));
  });
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function openStorefront() {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.priced === true, null, { timeout: 30000 });
  return { page, errors };
}

test('the storefront prices on load and on every change as manjian quote does', async () => {
  const { page, errors } = await openStorefront();
  const first = commandQuote({ tee: 2, kettle: 1 });
  assert.equal(await page.textContent('#payable'), first.totals.payable);
  assert.equal(await page.textContent('#saved'), first.totals.discount);
  assert.equal(await page.textContent('li[data-line="l1"] .final'), `¥${first.lines[0].final}`);
  await page.click('button[aria-label="more tee"]');
  await page.click('button[aria-label="more tee"]');
  const more = commandQuote({ tee: 4, kettle: 1 });
  assert.notEqual(more.totals.payable, first.totals.payable);
  assert.equal(await page.textContent('#payable'), more.totals.payable);
  assert.match(await page.textContent('#coupons'), new RegExp(more.coupons.applied.join('|') || '未用券'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('an order is accepted when the server computes the same digest', async () => {
  const { page, errors } = await openStorefront();
  const payable = await page.textContent('#payable');
  await page.click('#submit');
  await page.waitForSelector('#status[data-state="accepted"]');
  assert.match(await page.textContent('#status'), new RegExp(`¥${payable}`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a tampered digest is refused, and the page shows the server quote', async () => {
  const { page } = await openStorefront();
  await page.route('**/order', (route) => {
    const sent = JSON.parse(route.request().postData());
    route.continue({ postData: JSON.stringify({ ...sent, digest: `sha256:${'0'.repeat(64)}` }) });
  });
  await page.click('#submit');
  await page.waitForSelector('#status[data-state="refused"]');
  assert.match(await page.textContent('#status'), /Refused/);
  await page.unroute('**/order');
  // The page now holds the server's quote: confirming it is accepted.
  await page.click('#submit');
  await page.waitForSelector('#status[data-state="accepted"]');
  await page.close();
});

async function post(body) {
  const res = await fetch(`${url}order`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test('the order server answers a faulty order with the contract error document', async () => {
  const digest = commandQuote({ tee: 1 }).digest;
  const line = { id: 'l1', sku: 'tee', qty: 1 };
  const order = (lines) => ({ cart: { lines, coupons: ['tee-200-20', 'plat-500-30'], apply: 'best' }, digest });
  assert.equal((await post(order([line]))).status, 200);
  const cases = [
    [order([{ ...line, sku: 'no-such' }]), 'invalid_id', 'cart.lines[0].sku'],
    [order([{ ...line, unit_price: '1.00' }]), 'unknown_field', 'cart.lines[0].unit_price'],
    [order([{ ...line, qty: 0 }]), 'invalid_quantity', 'cart.lines[0].qty'],
    [{ cart: order([line]).cart }, 'missing_field', 'digest'],
    ['{"cart":', 'invalid_json', ''],
  ];
  for (const [body, code, where] of cases) {
    const answer = await post(body);
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, code);
    assert.equal(answer.body.error.path, where);
    assert.equal(typeof answer.body.error.message, 'string');
  }
  assert.equal((await fetch(`${url}order`)).status, 405);
});

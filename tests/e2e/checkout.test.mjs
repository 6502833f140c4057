// The checkout page in Debian's Chromium, driven by Playwright, against the
// reference server (BASE_URL, started by scripts/test-e2e.sh). Every
// number on screen is checked against the server's own quote of the same
// input, computed natively.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

let browser;
let page;
const consoleErrors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1300, height: 1500 } });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(BASE);
  await page.waitForSelector('body[data-ready=true]');
  await settled();
});

after(async () => {
  await browser?.close();
});

/** Wait until the page has priced the cart and the server has answered. */
async function settled() {
  await page.waitForFunction(() => {
    const b = document.getElementById('server');
    return ['match', 'mismatch', 'offline'].includes(b.dataset.state);
  });
  return page.evaluate(() => ({
    cart: window.checkout.cart,
    quote: window.checkout.quote,
    error: window.checkout.error,
    state: document.getElementById('server').dataset.state,
  }));
}

/** Do something on the page, then wait for the new quote to be checked. */
async function act(fn) {
  await page.evaluate(() => { document.getElementById('server').dataset.state = 'waiting'; });
  await fn();
  return settled();
}

async function serverQuote(cart) {
  const rules = await page.evaluate(() => window.checkout.rules);
  const res = await fetch(new URL('api/quote', BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules, cart }),
  });
  assert.equal(res.status, 200);
  return res.json();
}

const text = async (sel) => (await page.textContent(sel)).trim();

/** What the page shows equals the server's quote of the page's input. */
async function assertShowsServerQuote(s) {
  assert.equal(s.state, 'match', 'the server-agreement badge shows a match');
  const server = await serverQuote(s.cart);
  assert.equal(server.digest, s.quote.digest);
  assert.equal(await text('[data-total=payable]'), `¥${server.totals.payable}`);
  assert.equal(await text('[data-total=goods]'), `¥${server.totals.list}`);
  assert.equal(await text('[data-total=shipping]'), `¥${server.totals.shipping}`);
  for (const line of server.lines) {
    assert.equal(await text(`[data-line="${line.id}"] .final`), `¥${line.final}`);
  }
  const hints = await page.$$eval('#hints li[data-hint]', (els) => els.map((e) => e.dataset.hint));
  assert.deepEqual(hints, server.hints.map((h) => h.promotion));
  const applied = await page.$$eval('#coupons li.applied', (els) => els.map((e) => e.dataset.coupon));
  assert.deepEqual(applied.sort(), [...server.coupons.applied].sort());
  assert.match(await text('#server'), /matches the server/);
  return server;
}

test('the page loads, prices the sample cart and agrees with the server', async () => {
  const s = await settled();
  const server = await assertShowsServerQuote(s);
  assert.equal(server.coupons.proven_best, true);
  assert.match(await text('#proven'), /proven best/);
  // The presale line shows its deposit, and the totals its balance.
  assert.ok(await page.isVisible('[data-total=balance-due]'));
  assert.ok((await text('#stores')).includes('定金膨胀'));
  await page.screenshot({ path: `${SHOTS}01-loaded.png`, fullPage: true });
});

test('a quantity change re-prices: totals, hints and coupons follow the engine', async () => {
  const before = await settled();
  const oldPayable = before.quote.totals.payable;
  // 3 -> 4 bags of nuts: the Three Squirrels store reaches 满99 and its coupon applies.
  const s = await act(() => page.click('[data-line=L3] button[aria-label=plus]'));
  const server = await assertShowsServerQuote(s);
  assert.equal(s.cart.lines.find((l) => l.id === 'L3').qty, 4);
  assert.notEqual(server.totals.payable, oldPayable);
  assert.ok(server.coupons.applied.includes('squirrels-cp-99-10'));
  assert.ok(await page.isVisible('#coupons li.applied[data-coupon=squirrels-cp-99-10]'));
  await page.screenshot({ path: `${SHOTS}02-quantity-changed.png`, fullPage: true });
});

test('a coupon picked by hand replaces the automatic choice', async () => {
  const best = await settled();
  const bestPayable = Number(best.quote.totals.payable);
  await act(() => page.check('#mode-manual'));
  // Dropping the 88VIP coupon costs exactly its 5.00.
  let s = await act(() => page.uncheck('input[data-coupon=vip-5]'));
  let server = await assertShowsServerQuote(s);
  assert.equal(Number(server.totals.payable), bestPayable + 5);
  assert.equal(server.coupons.proven_best, false);
  assert.equal(await text('#proven'), '');
  assert.match(await text('li[data-coupon=vip-5] .status'), /not selected/);
  // Choosing the 满199-25 store coupon puts back its slot-mate 满99-10,
  // and the page says why it does not apply.
  s = await act(() => page.check('input[data-coupon=squirrels-cp-199-25]'));
  server = await assertShowsServerQuote(s);
  assert.equal(await page.isChecked('input[data-coupon=squirrels-cp-99-10]'), false);
  assert.deepEqual(s.cart.apply.includes('squirrels-cp-99-10'), false);
  assert.match(await text('li[data-coupon=squirrels-cp-199-25] .status'), /threshold not reached/);
  await page.screenshot({ path: `${SHOTS}03-manual-coupons.png`, fullPage: true });
  s = await act(() => page.check('#mode-best'));
  server = await assertShowsServerQuote(s);
  assert.equal(Number(server.totals.payable), bestPayable);
});

test('an invalid quantity shows a clear message and keeps the last good quote', async () => {
  const good = await settled();
  const payable = await text('[data-total=payable]');
  for (const typed of ['0', '100000', '1.5']) {
    await page.fill('[data-line=L1] .qty input', typed);
    await page.press('[data-line=L1] .qty input', 'Enter');
    await page.waitForSelector('#error:not([hidden])');
    assert.match(await text('#error'), /1 to 99999/);
    assert.match(await text('#error'), /invalid_quantity at cart\.lines\[0\]\.qty/);
    assert.equal(await text('[data-total=payable]'), payable, 'the last good total stays');
    assert.ok(await page.$('[data-line=L1] .qty input.invalid'));
    const state = await page.evaluate(() => window.checkout);
    assert.equal(state.quote.digest, good.quote.digest);
    assert.equal(state.error.code, 'invalid_quantity');
  }
  await page.screenshot({ path: `${SHOTS}04-invalid-quantity.png`, fullPage: true });
  await page.fill('[data-line=L1] .qty input', '2');
  const s = await act(() => page.press('[data-line=L1] .qty input', 'Enter'));
  assert.equal(await page.isHidden('#error'), true);
  const server = await assertShowsServerQuote(s);
  assert.notEqual(`¥${server.totals.payable}`, payable);
});

test('removing a line and adding a product re-price the cart', async () => {
  let s = await act(() => page.click('[data-line=L6] button[aria-label=remove]'));
  await assertShowsServerQuote(s);
  assert.equal(s.cart.lines.some((l) => l.id === 'L6'), false);
  s = await act(() => page.click('button[data-add=iphone-16]'));
  const server = await assertShowsServerQuote(s);
  assert.ok(server.lines.some((l) => l.id === 'L7'));
  assert.equal(await page.$$eval('[data-store=apple] .line', (els) => els.length), 2);
  await page.screenshot({ path: `${SHOTS}05-edited-cart.png`, fullPage: true });
});

test('a server that disagrees is shown loudly', async () => {
  await page.route('**/api/quote', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.digest = `sha256:${'0'.repeat(64)}`;
    await route.fulfill({ response: res, json: body });
  });
  const s = await act(() => page.click('[data-line=L2] button[aria-label=plus]'));
  assert.equal(s.state, 'mismatch');
  assert.match(await text('#server'), /MISMATCH/);
  await page.screenshot({ path: `${SHOTS}06-server-mismatch.png`, fullPage: true });
  await page.unroute('**/api/quote');
  const back = await act(() => page.click('[data-line=L2] button[aria-label=minus]'));
  assert.equal(back.state, 'match');
});

test('no console errors', () => {
  assert.deepEqual(consoleErrors, []);
});

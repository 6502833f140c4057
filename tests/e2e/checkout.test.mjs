// The checkout page in Debian's Chromium, driven by Playwright, against the
// reference server (BASE_URL, started by scripts/test-e2e.sh). Every
// number on screen is checked against the server's own quote of the same
// input, computed natively.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium.mjs';

const BASE = process.env.BASE_URL;
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

let browser;
let page;
const consoleErrors = [];

before(async () => {
  browser = await chromium.launch(CHROMIUM);
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

// No test may log a console error (the page's load counts for the first).
afterEach(() => {
  assert.deepEqual(consoleErrors.splice(0), [], 'console errors during this test');
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

async function post(path, body) {
  const res = await fetch(new URL(path, BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  return res.json();
}

async function serverQuote(cart) {
  const rules = await page.evaluate(() => window.checkout.rules);
  return post('api/quote', { rules, cart });
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
  // Every package (a store's lines to one address) shows its group's
  // shipping, with the discounts the server's quote gives it.
  for (const g of server.shipping) {
    const key = `${g.store}|${g.ship_to ?? ''}`;
    const pkg = `[data-package="${key}"]`;
    const fee = await text(`${pkg} .ship-fee`);
    assert.ok(Number(g.fee) === 0 ? /包邮/.test(fee) : fee.includes(`¥${g.fee}`), `${key}: ${fee}`);
    const shown = await page.$$eval(`${pkg} [data-ship-discount]`, (els) => els.map((e) => e.dataset.shipDiscount));
    assert.deepEqual(shown, (g.discounts || []).map((d) => d.promotion), key);
  }
  // The settlement panel is the server's own settlement of this quote.
  const split = await post('api/settle', { quote: server });
  assert.equal(await page.$$eval('#settlement tr[data-order]', (els) => els.length), split.orders.length);
  for (const [i, o] of split.orders.entries()) {
    assert.equal(await text(`[data-order-payable="${i}"]`), `¥${o.payable}`);
    assert.equal(await text(`[data-order-receivable="${i}"]`), `¥${o.receivable}`);
  }
  assert.equal(await text('[data-settle-total=payable]'), `¥${split.total.payable}`);
  assert.equal(await text('[data-settle-total=receivable]'), `¥${split.total.receivable}`);
  assert.equal(await page.getAttribute('#settle-server', 'data-state'), 'match');
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
  // Two addresses: two packages of Three Squirrels, each with its fee.
  assert.equal(await page.$$eval('[data-store=squirrels]', (els) => els.length), 2);
  assert.ok(server.shipping.some((g) => g.ship_to === 'office'));
  await page.screenshot({ path: `${SHOTS}01-loaded.png`, fullPage: true });
});

test('moving a line to another address re-packs the cart and its shipping', async () => {
  // The dried mango (L7) goes home: one Three Squirrels package, whose
  // goods now reach its free-shipping threshold on their own.
  let s = await act(() => page.selectOption('[data-line=L7] select.ship-to', 'home'));
  let server = await assertShowsServerQuote(s);
  assert.equal(s.cart.lines.find((l) => l.id === 'L7').ship_to, 'home');
  assert.equal(await page.$$eval('[data-store=squirrels]', (els) => els.length), 1);
  assert.equal(server.shipping.filter((g) => g.store === 'squirrels').length, 1);
  await page.screenshot({ path: `${SHOTS}07-one-address.png`, fullPage: true });
  s = await act(() => page.selectOption('[data-line=L7] select.ship-to', 'office'));
  server = await assertShowsServerQuote(s);
  assert.equal(server.shipping.filter((g) => g.store === 'squirrels').length, 2);
});

test('the 运费券 is in the wallet, and the 88VIP 包邮 follows the buyer', async () => {
  let s = await settled();
  assert.ok(s.quote.coupons.applied.includes('ship-cp-10'));
  assert.match(await text('li[data-coupon=ship-cp-10]'), /运费券/);
  assert.ok(await page.isVisible('[data-ship-discount=vip-free-shipping]'));
  // Not a member: no member shipping discount, and the 运费券 may take more.
  s = await act(() => page.uncheck('#member'));
  let server = await assertShowsServerQuote(s);
  assert.deepEqual(s.cart.buyer.tags.includes('88vip'), false);
  assert.equal(await page.$$eval('[data-ship-discount=vip-free-shipping]', (els) => els.length), 0);
  assert.equal(server.promotions.some((p) => p.id === 'vip-free-shipping'), false);
  // The members' coupon says why it does not apply.
  assert.match(await text('li[data-coupon=vip-5] .status'), /not for this buyer/);
  await page.screenshot({ path: `${SHOTS}08-not-a-member.png`, fullPage: true });
  s = await act(() => page.check('#member'));
  server = await assertShowsServerQuote(s);
  assert.ok(server.promotions.some((p) => p.id === 'vip-free-shipping'));
});

test('第二件半价, an exclusive 百亿补贴 line and the 国补 switch, as the server prices them', async () => {
  let s = await settled();
  const lineOf = (sku) => s.cart.lines.find((l) => l.sku === sku).id;
  const quoted = (q, id) => q.lines.find((l) => l.id === id);
  let server = await assertShowsServerQuote(s);
  // 第二件半价: the T-shirts' multi-buy, on their line as the server prices it.
  const tee = lineOf('tee');
  const half = quoted(server, tee).discounts.find((d) => d.promotion === 'uniqlo-tee-2nd-half');
  assert.ok(half, 'the T-shirt line takes the multi-buy');
  assert.match(await text(`[data-line="${tee}"] [data-discount="uniqlo-tee-2nd-half"]`), new RegExp(`第二件半价.*¥${half.amount}`));
  // 百亿补贴 is exclusive: its line has no store, cross-store or platform
  // share, and says so; other lines say nothing of the kind.
  const airpods = lineOf('airpods-pro');
  assert.deepEqual(quoted(server, airpods).discounts.map((d) => d.stage), ['item']);
  assert.match(await text(`[data-line="${airpods}"] .exclusive`), /不与.*跨店满减.*cross-store reduction/);
  // Its store takes part in 跨店满减: without 不与其他优惠同享 the line would get its share.
  const shared = structuredClone(await page.evaluate(() => window.checkout.rules));
  shared.promotions.find((p) => p.id === 'bybt-airpods').exclusive = false;
  const unshared = await post('api/quote', { rules: shared, cart: s.cart });
  assert.ok(quoted(unshared, airpods).discounts.some((d) => d.stage === 'cross_store'), 'the exclusion is what keeps it out');
  assert.equal(await page.$$eval(`[data-line="${tee}"] .exclusive`, (els) => els.length), 0);
  // 国补: a line discount funded by the government, on the line and in 拆单.
  const ac = lineOf('midea-ac');
  const gov = quoted(server, ac).discounts.find((d) => d.stage === 'subsidy');
  assert.ok(gov, 'the air conditioner takes the subsidy');
  assert.match(await text(`[data-line="${ac}"] [data-discount="${gov.promotion}"]`), new RegExp(`¥${gov.amount}.*政府出资`));
  let split = await post('api/settle', { quote: server });
  assert.equal(split.total.funded.government, gov.amount);
  assert.equal(await text('[data-settle-total=government]'), `¥${gov.amount}`);
  // Not qualified: no subsidy, and nothing funded by the government.
  s = await act(() => page.uncheck('#gov-subsidy'));
  server = await assertShowsServerQuote(s);
  assert.equal(s.cart.buyer.tags.includes('gov-subsidy-appliance'), false);
  assert.equal(quoted(server, ac).discounts.some((d) => d.stage === 'subsidy'), false);
  assert.equal(await page.$$eval(`[data-line="${ac}"] [data-discount="${gov.promotion}"]`, (els) => els.length), 0);
  split = await post('api/settle', { quote: server });
  assert.equal(split.total.funded.government, '0.00');
  assert.equal(await text('[data-settle-total=government]'), '¥0.00');
  await page.screenshot({ path: `${SHOTS}09-no-subsidy.png`, fullPage: true });
  s = await act(() => page.check('#gov-subsidy'));
  server = await assertShowsServerQuote(s);
  assert.ok(quoted(server, ac).discounts.some((d) => d.stage === 'subsidy'));
});

test('a quantity change re-prices: totals, hints and coupons follow the engine', async () => {
  const before = await settled();
  const oldPayable = before.quote.totals.payable;
  assert.ok(before.quote.coupons.applied.includes('squirrels-cp-99-10'));
  // 3 -> 6 bags of nuts: Three Squirrels passes 满199 (both of its
  // packages count), and the best choice of coupons is priced anew.
  let s;
  for (let i = 0; i < 3; i += 1) s = await act(() => page.click('[data-line=L3] button[aria-label=plus]'));
  const server = await assertShowsServerQuote(s);
  assert.equal(s.cart.lines.find((l) => l.id === 'L3').qty, 6);
  assert.notEqual(server.totals.payable, oldPayable);
  assert.equal(server.coupons.proven_best, true);
  for (const id of server.coupons.applied) assert.ok(await page.isVisible(`#coupons li.applied[data-coupon="${id}"]`));
  await page.screenshot({ path: `${SHOTS}02-quantity-changed.png`, fullPage: true });
  for (let i = 0; i < 3; i += 1) s = await act(() => page.click('[data-line=L3] button[aria-label=minus]'));
  assert.equal(s.cart.lines.find((l) => l.id === 'L3').qty, 3);
});

test('a coupon picked by hand replaces the automatic choice', async () => {
  const best = await settled();
  const bestPayable = Number(best.quote.totals.payable);
  await act(() => page.check('#mode-manual'));
  // Dropping the 88VIP coupon costs at most its 5.00 (less where a 国补
  // subsidy of a share of the line absorbs some of it).
  let s = await act(() => page.uncheck('input[data-coupon=vip-5]'));
  let server = await assertShowsServerQuote(s);
  const withoutVip = Number(server.totals.payable);
  assert.ok(withoutVip > bestPayable && withoutVip <= bestPayable + 5, `${withoutVip}`);
  // Dropping the 运费券 costs exactly what it took off a fee.
  const shipOff = Number(best.quote.promotions.find((p) => p.id === 'ship-cp-10').amount);
  s = await act(() => page.uncheck('input[data-coupon=ship-cp-10]'));
  server = await assertShowsServerQuote(s);
  assert.equal(Number(server.totals.payable).toFixed(2), (withoutVip + shipOff).toFixed(2));
  s = await act(() => page.check('input[data-coupon=ship-cp-10]'));
  server = await assertShowsServerQuote(s);
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
  // Back to the last good quantity: the same quote, and the line clean.
  await page.fill('[data-line=L1] .qty input', String(good.cart.lines[0].qty));
  const back = await act(() => page.press('[data-line=L1] .qty input', 'Enter'));
  assert.equal(back.quote.digest, good.quote.digest);
  assert.equal(await page.isHidden('#error'), true);
  assert.equal(await page.$$eval('.qty-error, .qty input.invalid', (els) => els.length), 0, 'no error left on a valid line');
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
  assert.ok(server.lines.some((l) => l.id === 'L8'));
  assert.equal(await page.$$eval('[data-store=apple] .line', (els) => els.length), 2);
  await page.screenshot({ path: `${SHOTS}05-edited-cart.png`, fullPage: true });
});

test('88VIP member prices: a member price on the socks, none for other buyers', async () => {
  let s = await act(() => page.click('button[data-add=socks]'));
  const socks = s.cart.lines.find((l) => l.sku === 'socks').id;
  let server = await assertShowsServerQuote(s);
  const member = server.lines.find((l) => l.id === socks).discounts.find((d) => d.promotion === 'vip-price-socks');
  assert.ok(member, 'the member price applies to a member');
  assert.match(await text(`[data-line="${socks}"] [data-discount=vip-price-socks]`), new RegExp(`会员价.*¥${member.amount}`));
  s = await act(() => page.uncheck('#member'));
  server = await assertShowsServerQuote(s);
  assert.equal(server.lines.find((l) => l.id === socks).discounts.some((d) => d.promotion === 'vip-price-socks'), false);
  assert.equal(await page.$$eval(`[data-line="${socks}"] [data-discount=vip-price-socks]`, (els) => els.length), 0);
  s = await act(() => page.check('#member'));
  await assertShowsServerQuote(s);
  s = await act(() => page.click(`[data-line="${socks}"] button[aria-label=remove]`));
  await assertShowsServerQuote(s);
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

// The checkout page on a phone (390 x 844, touch; also 360 and 430 wide)
// and on a desktop, in Debian's Chromium against the reference server
// (BASE_URL, started by scripts/test-e2e.sh with its own --rules): the
// layout (no sideways scrolling, readable lines, the header on one row,
// touch targets of 44 px), the 结算 bar with the engine's 实付, the coupon
// sheet, 提交订单 accepted by the server and a tampered digest refused, and
// a cart of the `huge` workload's size priced in the Web Worker without
// blocking the page. Screenshots of the main phone states go to
// tests/e2e/screenshots/phone-*.png.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium.mjs';

const BASE = process.env.BASE_URL;
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1300, height: 900 } };

let browser;
const consoleErrors = [];

before(async () => {
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
});

// No test may log a console error (a refused order's 409 is expected).
afterEach(() => {
  assert.deepEqual(consoleErrors.splice(0), [], 'console errors during this test');
});

/** A fresh page of `device` at `path`, priced and checked by the server. */
async function open(device, path = '') {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  page.on('console', (m) => {
    // A refused order is a 409 answer, which Chromium logs as an error.
    if (m.type() === 'error' && !m.text().includes('409 (Conflict)')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(new URL(path, BASE).href);
  await page.waitForSelector('body[data-ready=true]');
  await checked(page);
  return page;
}

/** Wait until the page shows its latest quote and the server checked it. */
async function checked(page) {
  await page.waitForFunction(() => document.body.dataset.pricing === 'false'
    && document.body.dataset.rendered === String(window.checkout.quotes)
    && ['match', 'mismatch', 'offline'].includes(document.getElementById('server').dataset.state), null, { timeout: 60000 });
  assert.equal(await page.getAttribute('#server', 'data-state'), 'match', 'the server agrees with the page');
  return page.evaluate(() => window.checkout);
}

/** The sum of decimal amounts, exactly (in minor units). */
function sum(amounts) {
  const scale = amounts[0].split('.')[1]?.length ?? 0;
  const total = amounts.reduce((t, a) => t + BigInt(a.replace('.', '')), 0n);
  const digits = total.toString().padStart(scale + 1, '0');
  return scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
}

async function post(path, body) {
  const res = await fetch(new URL(path, BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Nothing wider than the screen: the page never scrolls sideways. */
async function assertNoSidewaysScroll(page, where) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${where}: the page is ${scroll} px wide on a ${client} px screen`);
}

/** Each line's name box spans at least a third of the screen. */
async function assertReadableLines(page, width) {
  const names = await page.$$eval('.line .name', (els) => els.map((e) => e.getBoundingClientRect().width));
  assert.ok(names.length > 0);
  for (const w of names) assert.ok(w >= width / 3, `a line's name is ${w} px wide on a ${width} px screen`);
}

/** Brand, title and clock on one row, in a header of one row's height. */
async function assertHeaderOneRow(page) {
  const boxes = await page.$$eval('.top > *', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
  const header = await page.$eval('.top', (e) => e.getBoundingClientRect().height);
  assert.equal(boxes.length, 3);
  for (const b of boxes) assert.ok(Math.abs(b.bottom - boxes[0].bottom) < 8, `header items on one row: ${JSON.stringify(boxes)}`);
  assert.ok(header < 64, `the header is ${header} px high`);
}

/** Every visible control is at least 44 px (a checkbox or radio: its label). */
async function assertTouchTargets(page, scope) {
  const small = await page.$$eval(`${scope} button, ${scope} select, ${scope} input`, (els) => els
    .filter((e) => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
    .map((e) => {
      const target = ['checkbox', 'radio'].includes(e.type) ? e.closest('label') : e;
      const r = target.getBoundingClientRect();
      const wide = e.tagName === 'BUTTON' ? r.width : 44;
      return { what: e.outerHTML.slice(0, 80), h: r.height, w: wide };
    })
    .filter((t) => t.h < 44 || t.w < 44));
  assert.deepEqual(small, [], 'controls smaller than 44 px');
}

/** The 结算 bar is on screen and shows the engine's 实付 (with tenders:
 * what is paid in money, the quote's cash) and 尾款. */
async function assertBar(page, quote) {
  const bar = await page.$eval('#bar', (e) => {
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, screen: window.innerHeight, position: getComputedStyle(e).position };
  });
  assert.equal(bar.position, 'fixed');
  assert.ok(bar.top >= 0 && Math.abs(bar.bottom - bar.screen) < 2, `the bar sits at the bottom: ${JSON.stringify(bar)}`);
  assert.equal((await page.textContent('#bar-payable')).trim(), `¥${quote.totals.cash ?? quote.totals.payable}`);
  // 共优惠: the goods discount and every shipping discount.
  const shipping = quote.shipping.flatMap((g) => (g.discounts || []).map((d) => d.amount));
  assert.equal((await page.textContent('#bar-saved')).trim(), `¥${sum([quote.totals.discount, ...shipping])}`);
  if (Number(quote.totals.deposit_paid) > 0) {
    assert.match(await page.textContent('#bar-due'), new RegExp(`尾款 ¥${quote.totals.due}.*定金已付 ¥${quote.totals.deposit_paid}`));
    const cut = await page.$$eval('.pay-sub', (els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
    assert.deepEqual(cut, [], 'nothing in the bar is cut off');
  }
}

/** Submit and wait for the order's outcome. */
async function submit(page, how) {
  await page[how]('#submit');
  await page.waitForFunction(() => ['accepted', 'refused', 'error'].includes(document.getElementById('order').dataset.state));
  return page.evaluate(() => window.checkout.order);
}

test('phone: a layout that fits 360 to 430 px, with readable lines and a one-row header', async () => {
  // A fresh page per width: a mobile viewport resized after loading keeps
  // its first layout width in Chromium's emulation.
  for (const width of [360, 430]) {
    const narrow = await open({ ...PHONE, viewport: { width, height: 844 } });
    await assertNoSidewaysScroll(narrow, `${width} px`);
    await assertReadableLines(narrow, width);
    await assertHeaderOneRow(narrow);
    await narrow.context().close();
  }
  const page = await open(PHONE);
  const s = await checked(page);
  await page.screenshot({ path: `${SHOTS}phone-01-cart.png` });
  await assertNoSidewaysScroll(page, '390 px');
  await assertReadableLines(page, 390);
  await assertHeaderOneRow(page);
  await assertTouchTargets(page, 'main');
  await assertTouchTargets(page, '#bar');
  await assertBar(page, s.quote);
  await page.evaluate(() => document.querySelector('.settle-card').scrollIntoView());
  await page.screenshot({ path: `${SHOTS}phone-05-settlement.png` });
  await page.context().close();
});

test('phone: the coupon wallet and 凑单 hints are one tap away, above the cart', async () => {
  const page = await open(PHONE);
  const s = await checked(page);
  assert.equal(await page.isVisible('#coupons'), false, 'the sheet starts closed');
  await page.tap('#offers-toggle');
  await page.waitForFunction(() => document.body.classList.contains('sheet-open'));
  await page.waitForTimeout(300); // the sheet slides in
  const inView = async (sel) => page.$eval(sel, (e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight && getComputedStyle(e).visibility !== 'hidden';
  });
  assert.ok(await inView('#coupons'), 'the wallet is on screen');
  const applied = await page.$$eval('#coupons li.applied', (els) => els.map((e) => e.dataset.coupon));
  assert.deepEqual(applied.sort(), [...s.quote.coupons.applied].sort());
  await assertTouchTargets(page, '#summary');
  await page.screenshot({ path: `${SHOTS}phone-02-sheet.png` });
  await page.$eval('#hints-card', (e) => e.scrollIntoView());
  assert.ok(await inView('#hints-card'), 'the hints are in the sheet');
  // A coupon chosen by hand in the sheet re-prices the cart behind it.
  await page.tap('#mode-manual');
  await checked(page);
  const before = await page.evaluate(() => window.checkout.quote.totals.payable);
  await page.tap('li[data-coupon=vip-5] .coupon-row');
  const after = await checked(page);
  assert.notEqual(after.quote.totals.payable, before);
  assert.equal((await page.textContent('#bar-payable')).trim(), `¥${after.quote.totals.cash}`);
  await page.tap('#sheet-close');
  await page.waitForFunction(() => !document.body.classList.contains('sheet-open'));
  await page.context().close();
});

test('phone: a tampered digest is refused loudly, 提交订单 is accepted by the server', async () => {
  const page = await open(PHONE);
  const s = await checked(page);
  const server = await post('api/quote', { rules: s.rules, cart: s.cart });
  assert.equal(server.body.digest, s.quote.digest);
  // An invalid cart cannot be submitted.
  await page.fill('[data-line=L1] .qty input', '0');
  await page.press('[data-line=L1] .qty input', 'Enter');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.isDisabled('#submit'), true);
  await page.fill('[data-line=L1] .qty input', '1');
  await page.press('[data-line=L1] .qty input', 'Enter');
  await checked(page);
  assert.equal(await page.isDisabled('#submit'), false);
  // The quote on screen is tampered with: its digest is not the server's.
  await page.evaluate(() => { window.checkout.quote.digest = `sha256:${'0'.repeat(64)}`; });
  const refused = await submit(page, 'tap');
  assert.equal(refused.state, 'refused');
  assert.equal(refused.status, 409);
  assert.equal(refused.serverDigest, server.body.digest);
  assert.match(await page.textContent('#order'), /ORDER REFUSED/);
  assert.equal(await page.getAttribute('#order', 'class'), 'order refused');
  assert.ok(await page.isVisible('#order'));
  await page.screenshot({ path: `${SHOTS}phone-04-refused.png` });
  // The server's quote is now on screen: confirming it places the order.
  assert.equal(await page.evaluate(() => window.checkout.quote.digest), server.body.digest);
  assert.equal((await page.textContent('#bar-payable')).trim(), `¥${server.body.totals.cash}`);
  const order = await submit(page, 'tap');
  assert.equal(order.state, 'accepted');
  assert.equal(order.status, 200);
  assert.equal(order.serverDigest, server.body.digest);
  assert.match(await page.textContent('#order'), /订单已提交/);
  assert.equal(await page.isDisabled('#submit'), true, 'the same order is not placed twice');
  await page.screenshot({ path: `${SHOTS}phone-03-accepted.png` });
  // A change of the cart is a new order.
  await page.tap('[data-line=L2] button[aria-label=plus]');
  await checked(page);
  assert.equal(await page.isDisabled('#submit'), false);
  assert.equal(await page.isHidden('#order'), true);
  await page.context().close();
});

test('desktop: the bar, a tampered digest refused, submit accepted', async () => {
  const page = await open(DESKTOP);
  const s = await checked(page);
  await assertNoSidewaysScroll(page, 'desktop');
  await assertReadableLines(page, DESKTOP.viewport.width);
  await assertBar(page, s.quote);
  assert.equal(await page.isVisible('#offers-toggle'), false, 'the wallet is a column, not a sheet');
  assert.ok(await page.isVisible('#coupons'));
  // A page whose request carries another digest than the quote's.
  await page.route('**/api/order', async (route) => {
    const body = JSON.parse(route.request().postData());
    body.digest = `sha256:${'f'.repeat(64)}`;
    await route.continue({ postData: JSON.stringify(body) });
  });
  assert.equal((await submit(page, 'click')).state, 'refused');
  await page.screenshot({ path: `${SHOTS}desktop-refused.png` });
  await page.unroute('**/api/order');
  assert.equal((await submit(page, 'click')).state, 'accepted');
  await page.context().close();
});

test('phone: a cart of the huge workload is priced in the worker and typing never waits', async () => {
  const page = await open(PHONE, '?catalogue=big/catalogue.json&rules=big/rules.json');
  let s = await checked(page);
  assert.equal(s.pricedIn, 'worker');
  assert.equal(s.quote.lines.length, 1000);
  assert.equal(s.quote.coupons.proven_best, true);
  await assertNoSidewaysScroll(page, 'the big cart');
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
      .observe({ type: 'longtask' });
  });
  await page.fill('[data-line=L5] .qty input', '7');
  await page.press('[data-line=L5] .qty input', 'Enter');
  // While the worker prices, the page takes typing at once.
  await page.fill('[data-line=L6] .qty input', '9');
  assert.equal(await page.inputValue('[data-line=L6] .qty input'), '9');
  await page.press('[data-line=L6] .qty input', 'Enter');
  await page.waitForFunction(() => window.checkout.cart.lines.find((l) => l.id === 'L6').qty === 9);
  s = await checked(page);
  assert.equal(s.pricedIn, 'worker');
  assert.equal(await page.getAttribute('#server', 'data-state'), 'match', "the worker's quote is the server's");
  assert.equal((await page.textContent('#bar-payable')).trim(), `¥${s.quote.totals.cash ?? s.quote.totals.payable}`);
  await assertNoSidewaysScroll(page, 'the big cart, re-priced');
  await assertReadableLines(page, PHONE.viewport.width);
  const longest = Math.max(0, ...await page.evaluate(() => window.longTasks));
  assert.ok(longest < 200, `the page's longest task while re-pricing took ${longest} ms`);
  await page.screenshot({ path: `${SHOTS}phone-06-big-cart.png` });
  await page.context().close();
});

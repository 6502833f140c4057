// 抵扣 and 售后 on the checkout page, on a desktop and on a phone, in
// Debian's Chromium against the reference server (BASE_URL, started by
// scripts/test-e2e.sh with the page's rules for its orders): each tender
// (以旧换新, 红包, 京豆, 礼品卡) is a switch with what it pays or why it pays
// nothing; the 结算 bar's 实付 is the quote's cash; 拆单 shows tenders by
// funder; a return is refunded in the browser exactly as the server's
// /api/refund does; an order with tenders is accepted, priced with the
// server's own tender rules. Expected amounts come from the engine's
// quote and the server's answers, or are derived here from the rules'
// data (PRICING.md §3 step 5) in integer minor units. Screenshots go to
// tests/e2e/screenshots/tenders-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, DEVICES, useBrowser, newPage, open, checked } from './page.mjs';

useBrowser();

// ---- exact money, in minor units (CNY: 2 decimals) ----

const minor = (a) => {
  const [w, f = ''] = String(a).split('.');
  return BigInt(w + f.padEnd(2, '0'));
};
const major = (m) => {
  const d = m.toString().padStart(3, '0');
  return `${d.slice(0, -2)}.${d.slice(-2)}`;
};
const sum = (amounts) => amounts.reduce((t, a) => t + minor(a), 0n);
const min = (...xs) => xs.reduce((a, b) => (b < a ? b : a));
/** A rate's decimal text as a fraction [numerator, denominator]. */
const fraction = (rate) => {
  const [w, f = ''] = rate.split('.');
  return [BigInt(w + f), 10n ** BigInt(f.length)];
};

// ---- the page ----

const text = async (page, sel) => (await page.textContent(sel)).trim();
const isPhone = (page) => page.viewportSize().width < 600;
const press = (page, sel) => (isPhone(page) ? page.tap(sel) : page.click(sel));

/** The tenders on screen: on a phone they are in the sheet, opened. */
async function showTenders(page) {
  if (!isPhone(page)) {
    await page.$eval('#tenders-card', (e) => e.scrollIntoView());
    return;
  }
  if (await page.evaluate(() => document.body.classList.contains('sheet-open'))) return;
  await page.tap('#offers-toggle');
  await page.waitForFunction(() => document.body.classList.contains('sheet-open'));
  await page.waitForTimeout(300); // the sheet slides in
  await page.$eval('#tenders-card', (e) => e.scrollIntoView());
}

/** On a phone the cart is behind the sheet: close it. */
async function showCart(page) {
  if (!isPhone(page) || !await page.evaluate(() => document.body.classList.contains('sheet-open'))) return;
  await page.tap('#sheet-close');
  await page.waitForFunction(() => !document.body.classList.contains('sheet-open'));
  await page.waitForTimeout(300);
}

/** Switch a tender on or off; the page's checkout once re-priced. */
async function switchTender(page, id) {
  await showTenders(page);
  await press(page, `li[data-tender="${id}"] .tender-row`);
  return checked(page);
}

async function post(path, body) {
  const res = await fetch(new URL(path, BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const entry = (quote, id) => quote.tenders.find((t) => t.id === id);
const ruleOf = (s, id) => s.rules.tenders.find((t) => t.id === id);
const heldOf = (page, id) => page.evaluate((i) => window.checkout.cart.tenders.find((t) => t.id === i), id);

/** 实付 in the bar is the quote's cash; 抵扣 there is its tenders' total;
 * cash is what is due less what the tenders paid. */
async function assertBarAndTotals(page, quote) {
  const t = quote.totals;
  assert.equal(minor(t.cash), minor(t.due) - minor(t.tenders));
  assert.equal(minor(t.tenders), sum(quote.tenders.map((e) => e.amount)));
  assert.equal(await text(page, '#bar-payable'), `¥${t.cash}`);
  assert.equal(await text(page, '#bar-tenders-total'), `−¥${t.tenders}`);
  assert.equal(await text(page, '[data-total=cash]'), `¥${t.cash}`);
  const cut = await page.$$eval('.pay-sub', (els) => els.filter((e) => !e.hidden && e.scrollWidth > e.clientWidth).map((e) => e.textContent));
  assert.deepEqual(cut, [], 'nothing in the bar is cut off');
}

/** The page's row of a tender says what it paid, or that it is off. */
async function assertTenderRow(page, quote, id) {
  const e = entry(quote, id);
  const status = await text(page, `li[data-tender="${id}"] .status`);
  if (e.reason === undefined) assert.ok(status.includes(`抵 −¥${e.amount}`), `${id}: ${status}`);
  else assert.ok(!status.includes('抵 −'), `${id} pays nothing: ${status}`);
}

// ---- the tests, each on a desktop and a phone ----

for (const device of Object.keys(DEVICES)) {
  test(`${device}: each tender is a switch; off, its amount goes back to cash`, async () => {
    const page = await open(device);
    const start = await checked(page);
    await assertBarAndTotals(page, start.quote);
    const paying = start.quote.tenders.filter((e) => e.reason === undefined).map((e) => e.id);
    assert.ok(paying.length >= 2, 'the sample cart is paid by at least two tenders');
    for (const id of paying) {
      const on = await checked(page);
      await assertTenderRow(page, on.quote, id);
      const off = await switchTender(page, id);
      assert.equal((await heldOf(page, id)).use !== undefined, true, 'a switched-off tender is sent with use 0');
      assert.equal(minor(entry(off.quote, id).amount), 0n, `${id} pays nothing when off`);
      assert.equal(entry(off.quote, id).reason, 'no_balance');
      assert.match(await text(page, `li[data-tender="${id}"] .status`), /未使用.*switched off/);
      assert.equal(await page.isChecked(`input[data-tender="${id}"]`), false);
      // Tenders change no price: what is due stays, and cash takes what
      // the tenders no longer pay.
      assert.equal(off.quote.totals.due, on.quote.totals.due);
      assert.equal(minor(off.quote.totals.cash) - minor(on.quote.totals.cash),
        minor(on.quote.totals.tenders) - minor(off.quote.totals.tenders));
      assert.ok(minor(off.quote.totals.cash) > minor(on.quote.totals.cash), `${id} off raises the cash`);
      await assertBarAndTotals(page, off.quote);
      if (id === 'gift-card') await page.screenshot({ path: `${SHOTS}tenders-${device}-01-gift-card-off.png` });
      const back = await switchTender(page, id);
      assert.equal(back.quote.digest, on.quote.digest, `${id} on again: the same quote`);
    }
    await page.context().close();
  });

  test(`${device}: a tender that pays nothing says why; the 红包 pays from its 满X, the trade-in for the phone`, async () => {
    const page = await open(device);
    let s = await checked(page);
    await showTenders(page);
    // The trade-in credit is for the phone, which the sample cart lacks.
    assert.equal(entry(s.quote, 'tradein-phone').reason, 'no_lines_in_scope');
    assert.match(await text(page, 'li[data-tender="tradein-phone"] .status'), /没有可用商品.*nothing in the cart/);
    // The 红包 counts the goods in its scope against its 满X.
    const hongbao = ruleOf(s, 'hongbao-food');
    const foodTotal = (q, cart) => sum(q.lines
      .filter((l) => hongbao.scope.categories.includes(cart.lines.find((c) => c.id === l.id).category))
      .map((l) => l.final));
    assert.ok(foodTotal(s.quote, s.cart) < minor(hongbao.at), 'the sample cart is below the 红包 threshold');
    assert.equal(entry(s.quote, 'hongbao-food').reason, 'threshold_not_met');
    assert.match(await text(page, 'li[data-tender="hongbao-food"] .status'), new RegExp(`未满 ¥${hongbao.at}`));
    await page.screenshot({ path: `${SHOTS}tenders-${device}-02-why-not.png` });
    // More dried mango until the food reaches 满X: the 红包 pays.
    await showCart(page);
    const mango = s.cart.lines.find((l) => l.sku === 'dried-mango').id;
    for (let i = 0; i < 5 && foodTotal(s.quote, s.cart) < minor(hongbao.at); i += 1) {
      await press(page, `[data-line="${mango}"] button[aria-label=plus]`);
      s = await checked(page);
    }
    assert.ok(foodTotal(s.quote, s.cart) >= minor(hongbao.at));
    const paid = entry(s.quote, 'hongbao-food');
    assert.equal(paid.reason, undefined);
    const balance = (await heldOf(page, 'hongbao-food')).balance;
    assert.equal(minor(paid.amount), min(minor(balance), foodTotal(s.quote, s.cart)));
    await showTenders(page);
    await assertTenderRow(page, s.quote, 'hongbao-food');
    // The phone in the cart: the trade-in pays for it, first of all tenders,
    // at most its valuation and the phone's price.
    await showCart(page);
    await press(page, 'button[data-add=iphone-16]');
    s = await checked(page);
    const phone = s.quote.lines.find((l) => s.cart.lines.find((c) => c.id === l.id).sku === 'iphone-16');
    const tradein = entry(s.quote, 'tradein-phone');
    assert.equal(minor(tradein.amount), min(minor((await heldOf(page, 'tradein-phone')).balance), minor(phone.final)));
    assert.deepEqual(phone.tenders[0], { tender: 'tradein-phone', amount: tradein.amount });
    await showTenders(page);
    await assertTenderRow(page, s.quote, 'tradein-phone');
    await assertBarAndTotals(page, s.quote);
    await page.screenshot({ path: `${SHOTS}tenders-${device}-03-all-paying.png` });
    await page.context().close();
  });

  test(`${device}: 京豆 are used in steps, at most their share of what they may pay for`, async () => {
    const page = await open(device);
    let s = await checked(page);
    const rule = ruleOf(s, 'jingdou');
    const { balance } = await heldOf(page, 'jingdou');
    const step = BigInt(rule.step);
    const [num, den] = fraction(rule.max_share);
    /** The points PRICING.md §3 step 5 uses, from the quote's lines (its
     * scope is every line, without shipping). */
    const expected = (q) => {
      const due = (l) => minor(l.final) - min(minor(l.deposit ?? '0'), minor(l.final));
      const b0 = q.lines.reduce((t, l) => t + due(l), 0n);
      const earlier = new Set(q.tenders.slice(0, q.tenders.findIndex((t) => t.id === 'jingdou')).map((t) => t.id));
      const before = q.lines.flatMap((l) => l.tenders || []).filter((t) => earlier.has(t.tender));
      const cap = (b0 * num) / den;
      const limit = min(b0 - sum(before.map((t) => t.amount)), cap);
      const points = min(BigInt(balance), limit / minor(rule.unit_value));
      return { points: (points / step) * step, capped: cap < BigInt(balance) * minor(rule.unit_value) };
    };
    const check = async (q) => {
      const e = entry(q, 'jingdou');
      const want = expected(q);
      assert.equal(BigInt(e.points), want.points);
      assert.equal(minor(e.amount), want.points * minor(rule.unit_value));
      assert.equal(BigInt(e.points) % step, 0n, 'a multiple of the step');
      await showTenders(page);
      const row = await text(page, 'li[data-tender="jingdou"]');
      assert.ok(row.includes(`用 ${e.points} 京豆，余 ${BigInt(balance) - BigInt(e.points)}`), row);
      assert.ok(row.includes(`${rule.step} 个起用`) && row.includes('最多抵 50%'), row);
      return want;
    };
    // The sample cart: the balance limits, the step leaves the rest.
    assert.equal((await check(s.quote)).capped, false);
    assert.notEqual(BigInt(balance) % step, 0n, 'the demo balance is not a multiple of the step');
    // A small cart: 50% of it is less than the balance is worth.
    await showCart(page);
    for (const sku of ['down-jacket', 'tee', 'nuts-mix', 'airpods-pro', 'midea-ac']) {
      const id = s.cart.lines.find((l) => l.sku === sku).id;
      await press(page, `[data-line="${id}"] button[aria-label=remove]`);
      s = await checked(page);
    }
    assert.equal((await check(s.quote)).capped, true, 'the 50% cap limits the points of a small cart');
    await assertBarAndTotals(page, s.quote);
    await page.screenshot({ path: `${SHOTS}tenders-${device}-04-points-capped.png` });
    await page.context().close();
  });

  test(`${device}: the gift card pays shipping too, and 拆单 shows tenders by funder and cash`, async () => {
    const page = await open(device);
    let s = await checked(page);
    const charged = s.quote.shipping.filter((g) => minor(g.fee) > 0n);
    assert.ok(charged.length > 0, 'the sample cart has a package with a fee');
    const shippers = new Set(s.rules.tenders.filter((t) => t.shipping).map((t) => t.id));
    for (const g of charged) {
      assert.ok((g.tenders || []).some((t) => t.tender === 'gift-card'), 'the gift card pays a share of the fee');
      for (const t of g.tenders) assert.ok(shippers.has(t.tender), `${t.tender} pays no shipping`);
    }
    const split = (await post('api/settle', { quote: s.quote })).body;
    assert.deepEqual(split, s.settlement);
    // Each child order's tenders by funder, from its lines' and its fee's shares.
    const funder = new Map(s.quote.tenders.map((t) => [t.id, t.funded_by]));
    for (const [i, o] of split.orders.entries()) {
      const shares = s.quote.lines.filter((l) => o.lines.includes(l.id)).flatMap((l) => l.tenders || []);
      const fee = s.quote.shipping.find((g) => g.store === o.store && g.ship_to === o.ship_to);
      shares.push(...(fee?.tenders || []));
      for (const f of ['buyer', 'store', 'platform', 'government']) {
        const want = sum(shares.filter((t) => funder.get(t.tender) === f).map((t) => t.amount));
        assert.equal(minor(o.tenders[f]), want, `order ${i} ${f}`);
        const cell = await page.$(`[data-tenders="${i}"] [data-funder="${f}"]`);
        if (want > 0n) assert.match(await cell.textContent(), new RegExp(`¥${o.tenders[f]}`));
        else assert.equal(cell, null);
      }
      assert.equal(await text(page, `[data-cash="${i}"]`), `¥${o.cash}`);
      assert.equal(minor(o.cash), minor(o.payable) - sum(Object.values(o.tenders)));
    }
    assert.equal(await text(page, '[data-cash=total]'), `¥${split.total.cash}`);
    assert.equal(await page.getAttribute('#settle-server', 'data-state'), 'match');
    await page.$eval('.settle-card', (e) => e.scrollIntoView());
    await page.screenshot({ path: `${SHOTS}tenders-${device}-05-settlement.png` });
    // Without the gift card, no fee is paid by a tender.
    s = await switchTender(page, 'gift-card');
    for (const g of s.quote.shipping) assert.equal(g.tenders, undefined);
    await page.context().close();
  });

  test(`${device}: 售后: the refund computed in the browser is the server's /api/refund`, async () => {
    const page = await open(device);
    const s = await checked(page);
    await showCart(page);
    // One of each line that a tender paid, and the whole of a package with a fee.
    const fee = s.quote.shipping.find((g) => minor(g.fee) > 0n);
    const group = s.quote.lines.filter((l) => l.store === fee.store && l.ship_to === fee.ship_to);
    const picks = new Map(group.map((l) => [l.id, l.qty]));
    picks.set(s.quote.lines[0].id, 1);
    for (const [id, n] of picks) {
      await page.fill(`[data-return="${id}"]`, String(n));
      await page.press(`[data-return="${id}"]`, 'Enter');
      await page.waitForFunction(() => ['match', 'mismatch', 'offline'].includes(document.getElementById('refund-server').dataset.state));
    }
    assert.equal(await page.getAttribute('#refund-server', 'data-state'), 'match');
    const doc = await page.evaluate(() => window.checkout.refund);
    const returns = s.quote.lines.filter((l) => picks.has(l.id)).map((l) => ({ line: l.id, qty: picks.get(l.id), returned_before: 0 }));
    const server = await post('api/refund', { quote: s.quote, returns });
    assert.equal(server.status, 200);
    assert.deepEqual(doc, server.body, "the page's refund is the server's");
    // In money and in kind: the parts add up to the total, points are given
    // back in proportion, rounded down, and the completed package's fee is refunded.
    assert.equal(minor(doc.cash) + sum(doc.tenders.map((t) => t.amount)), minor(doc.total));
    for (const t of doc.tenders) {
      const paid = entry(s.quote, t.tender);
      if (paid.points !== undefined) assert.equal(BigInt(t.points), (minor(t.amount) * BigInt(paid.points)) / minor(paid.amount));
      const shown = await text(page, `[data-refund-tender="${t.tender}"]`);
      assert.ok(shown.startsWith(`¥${t.amount}`) && (t.points === undefined || shown.includes(`${t.points} 京豆`)), shown);
    }
    assert.deepEqual(doc.shipping.map((f) => f.store), [fee.store]);
    assert.equal(await text(page, `[data-refund-fee="${fee.store}|${fee.ship_to ?? ''}"]`), `¥${fee.fee}`);
    assert.equal(await text(page, '[data-refund=total]'), `¥${doc.total}`);
    assert.equal(await text(page, '[data-refund=cash]'), `¥${doc.cash}`);
    assert.match(await text(page, '#refund-server'), /the server refunds the same/);
    await page.$eval('#aftersale', (e) => e.scrollIntoView());
    await page.screenshot({ path: `${SHOTS}tenders-${device}-06-refund.png` });
    // A server that refunds otherwise is shown loudly.
    await page.route('**/api/refund', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.total = major(minor(body.total) + 1n);
      await route.fulfill({ response: res, json: body });
    });
    const first = s.quote.lines[0].id;
    await press(page, `[data-return-line="${first}"] button[aria-label="return one less"]`);
    await page.waitForFunction(() => document.getElementById('refund-server').dataset.state === 'mismatch');
    assert.match(await text(page, '#refund-server'), /MISMATCH/);
    await page.unroute('**/api/refund');
    await page.context().close();
  });

  test(`${device}: an order paid with tenders is accepted, priced with the server's own tender rules`, async () => {
    const page = await open(device);
    const s = await checked(page);
    await press(page, '#submit');
    await page.waitForFunction(() => ['accepted', 'refused', 'error'].includes(document.getElementById('order').dataset.state));
    const order = await page.evaluate(() => window.checkout.order);
    assert.equal(order.state, 'accepted');
    assert.equal(order.serverDigest, s.quote.digest);
    assert.match(await text(page, '#order'), new RegExp(`实付 ¥${s.quote.totals.cash}`));
    await page.screenshot({ path: `${SHOTS}tenders-${device}-07-accepted.png` });
    await page.context().close();
  });
}

test('a page with more generous tender rules than the shop\'s is refused, and shown the shop\'s quote', async () => {
  const page = await newPage('desktop');
  // The page's copy of the rules lets 京豆 pay everything, one by one.
  await page.route('**/rules.json', async (route) => {
    const res = await route.fetch();
    const rules = await res.json();
    Object.assign(rules.tenders.find((t) => t.id === 'jingdou'), { max_share: '1', step: 1 });
    await route.fulfill({ response: res, json: rules });
  });
  await page.goto(BASE);
  await page.waitForSelector('body[data-ready=true]');
  const s = await checked(page);
  const mine = entry(s.quote, 'jingdou').points;
  await page.click('#submit');
  await page.waitForFunction(() => ['accepted', 'refused', 'error'].includes(document.getElementById('order').dataset.state));
  const order = await page.evaluate(() => window.checkout.order);
  assert.equal(order.state, 'refused');
  const shop = await page.evaluate(() => window.checkout.quote);
  assert.equal(shop.digest, order.serverDigest);
  assert.equal(BigInt(entry(shop, 'jingdou').points) % 1000n, 0n, "the shop's step");
  assert.notEqual(entry(shop, 'jingdou').points, mine);
  await page.context().close();
  // A cart cannot define a tender: only its id, balance and use.
  const cart = structuredClone(s.cart);
  cart.tenders[0].max_share = '1';
  const r = await post('api/order', { cart, digest: s.quote.digest });
  assert.equal(r.status, 400);
  assert.deepEqual([r.body.error.code, r.body.error.path], ['unknown_field', 'cart.tenders[0].max_share']);
});

for (const device of Object.keys(DEVICES)) {
  test(`${device}: the tenders and 售后 fit the screen, with touch targets of 44 px on a phone`, async () => {
    const page = await open(device);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `the page is ${scroll} px wide on a ${client} px screen`);
    if (isPhone(page)) {
      await showTenders(page);
      const small = await page.$$eval('#tenders-card input, #aftersale button, #aftersale input', (els) => els
        .filter((e) => e.offsetParent !== null)
        .map((e) => {
          const r = (e.type === 'checkbox' ? e.closest('label') : e).getBoundingClientRect();
          return { what: e.outerHTML.slice(0, 80), h: r.height, w: e.tagName === 'BUTTON' ? r.width : 44 };
        })
        .filter((t) => t.h < 44 || t.w < 44));
      assert.deepEqual(small, [], 'controls smaller than 44 px');
      await page.screenshot({ path: `${SHOTS}tenders-phone-00-sheet.png` });
    }
    await page.context().close();
  });
}

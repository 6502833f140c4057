// Freight templates (运费模板), claimable coupons (领券) and gifts (满赠) on
// the checkout page, in Debian's Chromium against the reference server
// (BASE_URL, started by scripts/test-e2e.sh with the page's rules and
// catalogue), on a desktop and on a phone. Amounts on screen are read
// against the quote the page holds (window.checkout.quote) and the
// server's own quote of the same cart; the few fees derived here are
// derived from the rules' templates, in integer minor units. Screenshots
// go to tests/e2e/screenshots/delivery-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, DEVICES, useBrowser, open, checked } from './page.mjs';

useBrowser();

/** Do something that re-prices the cart; the new checkout once checked. */
async function act(page, fn) {
  await page.evaluate(() => { document.getElementById('server').dataset.state = 'waiting'; });
  await fn();
  return checked(page);
}

async function post(path, body) {
  const res = await fetch(new URL(path, BASE), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const text = async (page, sel) => (await page.textContent(sel)).trim();
const shot = (page, device, name) => page.screenshot({ path: `${SHOTS}delivery-${device}-${name}.png`, fullPage: device === 'desktop' });

// ---- exact money for the fees derived from the rules (minor units) ----

const cents = (amount) => {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole + frac.padEnd(2, '0'));
};
const yuan = (units) => `${units / 100n}.${String(units % 100n).padStart(2, '0')}`;
/** A measure ("5.5", 3) in thousandths. */
const milli = (m) => {
  const [whole, frac = ''] = String(m).split('.');
  return BigInt(whole + frac.padEnd(3, '0'));
};
const ceilDiv = (a, b) => (a + b - 1n) / b;

/** A template's fee for goods Q (pieces, or kg in thousandths) under
 * `rule`, as the lead part: first_fee + ceil(max(0, Q - first) / extra) x extra_fee. */
function leadFee(rule, q, byWeight) {
  const unit = byWeight ? milli : BigInt;
  const over = q - unit(rule.first);
  const steps = over > 0n ? ceilDiv(over, unit(rule.extra)) : 0n;
  return yuan(cents(rule.first_fee) + steps * cents(rule.extra_fee));
}

const covers = (r, a) => a === r || a.startsWith(`${r}/`);

/** The rule of `template` for region `dest` (one level of regions is all
 * the demo's templates use). */
const ruleFor = (template, dest) => (template.regions || []).find((e) => e.regions.some((r) => covers(r, dest))) || template;

/** What the page knows: rules, catalogue products and addresses. */
async function shop(page) {
  return page.evaluate(async () => ({
    rules: window.checkout.rules,
    catalogue: await (await fetch('catalogue.json')).json(),
  }));
}

/** A package's shipping entry in `quote`, and its fee before shipping promotions. */
function entryOf(quote, store, shipTo) {
  const e = quote.shipping.find((g) => g.store === store && g.ship_to === shipTo);
  assert.ok(e, `a package of ${store} to ${shipTo}`);
  const before = (e.discounts || []).reduce((t, d) => t + cents(d.amount), cents(e.fee));
  return { ...e, before: yuan(before) };
}

/** The package on screen shows the quote's fee (or 包邮) and its fee before discounts. */
async function assertPackageFee(page, e) {
  const pkg = `[data-package="${e.store}|${e.ship_to}"]`;
  const fee = await text(page, `${pkg} .ship-fee`);
  if (cents(e.fee) === 0n) assert.match(fee, /包邮/);
  else assert.ok(fee.includes(`¥${e.fee}`), `${pkg}: ${fee}`);
  if (e.discounts) assert.equal(await text(page, `${pkg} .ship-before`), `¥${e.before}`);
}

/** The totals on screen are the quote's, and the server prices the page's cart alike. */
async function assertTotals(page, s) {
  assert.equal(await text(page, '#bar-payable'), `¥${s.quote.totals.cash ?? s.quote.totals.payable}`);
  assert.equal(await text(page, '[data-total=payable]'), `¥${s.quote.totals.payable}`);
  assert.equal(await text(page, '[data-total=shipping]'), `¥${s.quote.totals.shipping}`);
  const server = await post('api/quote', { rules: s.rules, cart: s.cart });
  assert.equal(server.body.digest, s.quote.digest);
}

const lineOf = (s, sku) => s.cart.lines.find((l) => l.sku === sku);

for (const device of Object.keys(DEVICES)) {
  test(`${device}: a far region's template fee changes the package's fee and the total`, async () => {
    const page = await open(device);
    const { rules, catalogue } = await shop(page);
    const before = await checked(page);
    const tee = lineOf(before, 'tee');
    const product = catalogue.products.find((p) => p.sku === 'tee');
    const template = rules.stores[product.store].templates[product.template];
    const dest = catalogue.addresses.parents.region;
    assert.ok(dest.startsWith('新疆'), 'the demo has an address in 新疆');
    const s = await act(page, () => page.selectOption(`[data-line=${tee.id}] select.ship-to`, 'parents'));
    assert.equal(lineOf(s, 'tee').ship_to, 'parents');
    // The T-shirts alone go to 乌鲁木齐: the 新疆/西藏 rule of the template.
    const rule = ruleFor(template, dest);
    assert.notEqual(rule, template, 'the template has its own rule for 新疆');
    const e = entryOf(s.quote, 'uniqlo', 'parents');
    assert.equal(e.before, leadFee(rule, BigInt(tee.qty), false));
    await assertPackageFee(page, e);
    assert.match(await text(page, '[data-package="uniqlo|parents"] .template-note'), /新疆/);
    assert.notEqual(s.quote.totals.shipping, before.quote.totals.shipping);
    assert.notEqual(s.quote.totals.payable, before.quote.totals.payable);
    await assertTotals(page, s);
    await page.$eval('[data-package="uniqlo|parents"]', (el) => el.scrollIntoView());
    await shot(page, device, '01-far-region');
    await page.context().close();
  });

  test(`${device}: an address the store does not deliver to is an error on its line; the last good quote stays`, async () => {
    const page = await open(device);
    const good = await checked(page);
    const payable = await text(page, '#bar-payable');
    const jacket = lineOf(good, 'down-jacket');
    const index = good.cart.lines.indexOf(jacket);
    await page.selectOption(`[data-line=${jacket.id}] select.ship-to`, 'hk');
    await page.waitForSelector('#error:not([hidden])');
    const s = await page.evaluate(() => window.checkout);
    assert.deepEqual([s.error.code, s.error.path], ['undeliverable', `cart.lines[${index}].ship_to`]);
    assert.equal(s.quote.digest, good.quote.digest, 'the last good quote stays');
    assert.equal(await text(page, '#bar-payable'), payable);
    const box = await text(page, '#error');
    assert.match(box, /轻型羽绒服: 该店铺不配送到这个地址/);
    assert.match(box, /does not deliver to this address/);
    assert.match(box, new RegExp(`undeliverable at cart\\.lines\\[${index}\\]\\.ship_to`));
    const onLine = `[data-line=${jacket.id}] [data-line-error=ship_to]`;
    assert.ok(await page.isVisible(onLine), 'the error is on the line');
    assert.match(await text(page, onLine), /不配送.*does not deliver/);
    assert.ok(await page.$(`[data-line=${jacket.id}] select.ship-to.invalid`));
    assert.equal(await page.isDisabled('#submit'), true, 'an invalid cart is not submitted');
    await page.$eval(`[data-line=${jacket.id}]`, (el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, device, '02-undeliverable');
    // Back to an address it delivers to: the same quote, the line clean.
    const back = await act(page, () => page.selectOption(`[data-line=${jacket.id}] select.ship-to`, 'home'));
    assert.equal(back.quote.digest, good.quote.digest);
    assert.equal(await page.isHidden('#error'), true);
    assert.equal(await page.$$eval('[data-line-error], select.ship-to.invalid', (els) => els.length), 0);
    await page.context().close();
  });

  test(`${device}: 指定条件包邮 ships a package free where its condition holds, the default rule elsewhere`, async () => {
    const page = await open(device);
    const { rules, catalogue } = await shop(page);
    const s0 = await checked(page);
    const template = rules.stores.uniqlo.templates[catalogue.products.find((p) => p.sku === 'down-jacket').template];
    const free = template.free.find((f) => f.regions && f.amount);
    const finals = (s, shipTo) => s.quote.lines.filter((l) => l.store === 'uniqlo' && l.ship_to === shipTo)
      .reduce((t, l) => t + cents(l.final), 0n);
    // At home (上海), the UNIQLO package reaches the free entry's amount:
    // free by the template itself, with no shipping promotion.
    assert.ok(free.regions.some((r) => covers(r, catalogue.addresses.home.region)));
    assert.ok(finals(s0, 'home') >= cents(free.amount));
    const home = entryOf(s0.quote, 'uniqlo', 'home');
    assert.deepEqual([home.fee, home.discounts], ['0.00', undefined]);
    assert.ok(cents(template.first_fee) > 0n, 'without the condition it would cost');
    await assertPackageFee(page, home);
    assert.match(await text(page, '[data-package="uniqlo|home"] .template-note'), new RegExp(`满¥${free.amount}包邮`));
    // The jacket goes to the office (杭州, also covered): it ships free on
    // its own; the T-shirts left at home are under the amount and pay the
    // default rule.
    const jacket = lineOf(s0, 'down-jacket');
    const s = await act(page, () => page.selectOption(`[data-line=${jacket.id}] select.ship-to`, 'office'));
    assert.ok(finals(s, 'office') >= cents(free.amount));
    assert.equal(entryOf(s.quote, 'uniqlo', 'office').fee, '0.00');
    assert.ok(finals(s, 'home') < cents(free.amount));
    const tees = entryOf(s.quote, 'uniqlo', 'home');
    assert.equal(tees.before, leadFee(template, BigInt(lineOf(s, 'tee').qty), false));
    await assertPackageFee(page, tees);
    await assertPackageFee(page, entryOf(s.quote, 'uniqlo', 'office'));
    await assertTotals(page, s);
    await shot(page, device, '03-free-by-condition');
    await page.context().close();
  });

  test(`${device}: a weight template charges 首重 and 续重 by the kilogram`, async () => {
    const page = await open(device);
    const { rules, catalogue } = await shop(page);
    const cooker = catalogue.products.find((p) => p.sku === 'midea-cooker');
    const template = rules.stores.midea.templates[cooker.template];
    assert.equal(template.by, 'weight');
    let s = await act(page, () => page.click('button[data-add=midea-cooker]'));
    const line = lineOf(s, 'midea-cooker');
    // With the air conditioner at home the package reaches 满999包邮.
    assert.equal(entryOf(s.quote, 'midea', 'home').fee, '0.00');
    s = await act(page, () => page.selectOption(`[data-line=${line.id}] select.ship-to`, 'office'));
    const e = entryOf(s.quote, 'midea', 'office');
    const kg = milli(cooker.weight) * BigInt(line.qty);
    assert.equal(e.before, leadFee(ruleFor(template, catalogue.addresses.office.region), kg, true));
    await assertPackageFee(page, e);
    assert.match(await text(page, '[data-package="midea|office"] .template-note'), /首重.*续重/);
    await assertTotals(page, s);
    await page.$eval('[data-package="midea|office"]', (el) => el.scrollIntoView());
    await shot(page, device, '04-weight');
    await page.context().close();
  });

  test(`${device}: claimable coupons: the best choice claims them (领券), and the buyer can claim one by hand`, async () => {
    const page = await open(device);
    const best = await checked(page);
    const claim = best.quote.coupons.claim;
    assert.ok(claim.length > 0, 'the best choice claims a coupon on offer');
    const amountOf = (q, id) => q.promotions.find((p) => p.id === id).amount;
    for (const id of best.cart.claimable) {
      const row = `#coupons li[data-coupon="${id}"]`;
      const t = await text(page, row);
      assert.match(t, /领券/);
      if (claim.includes(id)) {
        assert.ok(await page.$(`${row}.claimed.applied`));
        assert.ok(t.includes(`已领券并使用 −¥${amountOf(best.quote, id)}`), t);
      } else {
        assert.equal(await page.$(`${row}.applied`), null);
        assert.match(t, /可领取/);
      }
    }
    assert.ok(best.cart.claimable.some((id) => !claim.includes(id)), 'one on offer is not worth claiming');
    if (device === 'phone') {
      await page.tap('#offers-toggle');
      await page.waitForFunction(() => document.body.classList.contains('sheet-open'));
      await page.waitForTimeout(300);
    }
    const id = claim[0];
    const toggle = (on) => (device === 'phone'
      ? page.tap(`li[data-coupon="${id}"] .coupon-row`)
      : page[on ? 'check' : 'uncheck'](`input[data-coupon="${id}"]`));
    await act(page, () => page.click('#mode-manual'));
    // By hand: not ticked, it is not claimed and the order costs more.
    let s = await act(page, () => toggle(false));
    assert.equal(s.cart.apply.includes(id), false);
    assert.deepEqual(s.quote.coupons.claim, []);
    assert.ok(cents(s.quote.totals.payable) > cents(best.quote.totals.payable));
    assert.match(await text(page, `li[data-coupon="${id}"]`), /勾选即领券/);
    // Ticked: claimed at checkout, applied, and the best price again.
    s = await act(page, () => toggle(true));
    assert.ok(s.cart.apply.includes(id));
    assert.deepEqual(s.quote.coupons.claim, [id]);
    assert.equal(s.quote.totals.payable, best.quote.totals.payable);
    assert.ok(await page.$(`li.claimed[data-coupon="${id}"]`));
    assert.ok((await text(page, `li[data-coupon="${id}"]`)).includes(`−¥${amountOf(s.quote, id)}`));
    await assertTotals(page, s);
    await page.$eval(`li[data-coupon="${id}"]`, (el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, device, '05-claimed-by-hand');
    await page.context().close();
  });

  test(`${device}: gifts show under their store, and gift hints in 凑单`, async () => {
    const page = await open(device);
    const { catalogue } = await shop(page);
    const assertGifts = async (q) => {
      assert.ok(q.gifts.length > 0, 'the cart reaches a gift');
      for (const g of q.gifts) {
        const t = await text(page, `[data-gifts="${g.store}"] [data-gift="${g.sku}"]`);
        assert.ok(t.includes('赠品') && t.includes(`×${g.qty}`) && t.includes(`¥${g.value}`), t);
        assert.ok(t.includes(catalogue.gifts[g.sku].zh), t);
      }
      // Once per store, though it ships to two addresses.
      for (const store of new Set(q.gifts.map((g) => g.store))) {
        assert.equal(await page.$$eval(`[data-gifts="${store}"]`, (els) => els.length), 1);
      }
      const shown = await page.$$eval('[data-gift]', (els) => els.map((e) => `${e.closest('[data-store]').dataset.store}/${e.dataset.gift}`));
      assert.deepEqual(shown.sort(), q.gifts.map((g) => `${g.store}/${g.sku}`).sort(), 'every gift, under its store');
    };
    const assertGiftHints = async (q) => {
      for (const hint of q.hints.filter((x) => x.gifts)) {
        const t = await text(page, `#hints li[data-hint="${hint.promotion}"]`);
        assert.ok(t.includes(`再买 ¥${hint.add} 送`), t);
        for (const g of hint.gifts) assert.ok(t.includes(`${catalogue.gifts[g.sku].zh}×${g.qty}`), t);
      }
    };
    let s = await checked(page);
    await assertGifts(s.quote);
    const giftHints = s.quote.hints.filter((x) => x.gifts).map((x) => x.promotion);
    assert.ok(giftHints.length > 0, 'a gift not yet reached is hinted');
    await assertGiftHints(s.quote);
    await page.$eval('[data-gifts]', (el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, device, '06-gift');
    if (device === 'phone') {
      await page.tap('#offers-toggle');
      await page.waitForFunction(() => document.body.classList.contains('sheet-open'));
      await page.waitForTimeout(300);
      await page.$eval('#hints-card', (el) => el.scrollIntoView());
      await shot(page, device, '07-gift-hint');
      await page.tap('#sheet-close');
      await page.waitForFunction(() => !document.body.classList.contains('sheet-open'));
    }
    // More nuts: Three Squirrels reaches its next tier; its gifts change
    // and its hint goes.
    const nuts = lineOf(s, 'nuts-mix');
    for (let i = 0; i < 3; i += 1) s = await act(page, () => page.click(`[data-line=${nuts.id}] button[aria-label=plus]`));
    const reached = s.quote.gifts.map((g) => g.promotion);
    assert.ok(giftHints.some((p) => reached.includes(p) && !s.quote.hints.some((x) => x.promotion === p)), 'a hinted gift tier is reached');
    await assertGifts(s.quote);
    await assertGiftHints(s.quote);
    await assertTotals(page, s);
    if (device === 'desktop') await shot(page, device, '07-gift-tier');
    await page.context().close();
  });

  test(`${device}: 提交订单 with template fees is accepted; the server takes templates and weights from its catalogue`, async () => {
    const page = await open(device);
    const s0 = await checked(page);
    let s = await act(page, () => page.selectOption(`[data-line=${lineOf(s0, 'tee').id}] select.ship-to`, 'parents'));
    assert.ok(cents(entryOf(s.quote, 'uniqlo', 'parents').fee) > 0n);
    // A request whose lines claim a lighter weight and no template: the
    // server prices the catalogue's, which are the page's, and accepts.
    await page.route('**/api/order', async (route) => {
      const body = JSON.parse(route.request().postData());
      for (const l of body.cart.lines) {
        delete l.template;
        l.weight = '0.001';
      }
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.click('#submit');
    await page.waitForFunction(() => ['accepted', 'refused', 'error'].includes(document.getElementById('order').dataset.state));
    const order = await page.evaluate(() => window.checkout.order);
    assert.deepEqual([order.state, order.status, order.serverDigest], ['accepted', 200, s.quote.digest]);
    await page.unroute('**/api/order');
    // And as the page sends it, after another change.
    s = await act(page, () => page.click(`[data-line=${lineOf(s, 'tee').id}] button[aria-label=plus]`));
    const answer = await post('api/order', { cart: s.cart, digest: s.quote.digest });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.accepted, true);
    assert.deepEqual(answer.body.quote.shipping, s.quote.shipping);
    await page.context().close();
  });
}

// The cart as packages: each store's lines to one address, with the
// package's shipping (the fee, and what 包邮 and the 运费券 took off).
import { state, storeInfo } from '../state.js';
import { BIG_CART_LINES } from '../pricing.js';
import { feeBefore, isPositive } from '../money.js';
import { yuan } from '../format.js';
import { $, h, bi, label, addressLabel } from './dom.js';
import { lineElement, keepLines } from './line.js';
import { deliveryNote } from './delivery.js';
import { storeGifts } from './gifts.js';

/** Lines built between two yields to the page when a big cart is drawn. */
const LINES_PER_SLICE = 60;
const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

const packageKey = (store, shipTo) => `${store}|${shipTo ?? ''}`;

/** The quote's lines by package, in the order of their first line. */
function packagesOf(quote) {
  const packages = new Map();
  for (const ql of quote.lines) {
    const key = packageKey(ql.store, ql.ship_to);
    if (!packages.has(key)) packages.set(key, { key, store: ql.store, shipTo: ql.ship_to, lines: [] });
    packages.get(key).lines.push(ql);
  }
  return [...packages.values()];
}

/** The packages of the quote on screen. A big cart is built off screen a
 * slice at a time, yielding to the page between slices (typing stays
 * responsive), then shown at once; a newer pricing abandons it. Lines
 * already on screen only move into the new packages at the end, so that
 * nothing disappears meanwhile. */
export async function renderPackages() {
  const q = state.checkout.quote;
  const seq = state.pricing.seq;
  const packages = packagesOf(q);
  const big = q.lines.length > BIG_CART_LINES;
  let built = 0;
  const lineEls = new Map();
  for (const pkg of packages) {
    const els = [];
    for (const ql of pkg.lines) {
      els.push(lineElement(ql));
      built += 1;
      if (big && built % LINES_PER_SLICE === 0) {
        await nextTask();
        if (state.checkout.quote !== q || state.pricing.seq !== seq) return;
      }
    }
    lineEls.set(pkg.key, els);
  }
  const fees = new Map(q.shipping.map((s) => [packageKey(s.store, s.ship_to), s]));
  const groups = packages.map((pkg) => packageElement(pkg, lineEls.get(pkg.key), fees.get(pkg.key), q.currency));
  if (groups.length === 0) groups.push(h('p', { class: 'loading' }, ...bi('购物车是空的', 'your cart is empty')));
  $('stores').replaceChildren(...groups);
  $('stores').classList.toggle('big', big);
  document.body.dataset.rendered = String(state.checkout.quotes);
  keepLines(new Set(q.lines.map((l) => l.id)));
}

function packageElement(pkg, lines, fee, currency) {
  const info = storeInfo(pkg.store);
  return h('section', { class: 'store', 'data-store': pkg.store, 'data-package': pkg.key },
    h('div', { class: 'store-head' },
      h('span', { class: 'store-name' }, info.name, ' ', h('span', { class: 'en' }, info.en)),
      h('span', { class: 'address' }, ...bi('寄往', 'to'), ' ', ...addressLabel(pkg.shipTo)),
      shippingElement(fee, currency)),
    deliveryNote(pkg),
    lines,
    storeGifts(pkg.store, pkg.key));
}

/** A package's shipping: the fee, and what 包邮 rules and 运费券 took off. */
function shippingElement(entry, currency) {
  if (!entry) return h('span', { class: 'ship free' }, ...bi('无运费', 'no shipping fee'));
  const discounts = entry.discounts || [];
  const parts = [];
  if (discounts.length > 0) {
    parts.push(h('span', { class: 'ship-before' }, yuan(feeBefore(entry, currency))));
    for (const d of discounts) parts.push(h('span', { class: 'ship-off', 'data-ship-discount': d.promotion }, ...label(d.promotion), ` −${yuan(d.amount)}`));
  }
  const fee = isPositive(entry.fee)
    ? h('span', { class: 'ship-fee' }, ...bi(`运费 ${yuan(entry.fee)}`, 'shipping'))
    : h('span', { class: 'ship-fee free' }, ...bi('包邮', 'free shipping'));
  return h('span', { class: 'ship' }, ...parts, fee);
}

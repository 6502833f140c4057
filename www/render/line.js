// One line of the cart: name, tags, its discounts (and who funds them),
// the address it ships to, the quantity stepper, and its amounts.
import { state, product, lineById, setQty, stepQty, setShipTo, removeLine } from '../state.js';
import { yuan, addressShort, presaleTag } from '../format.js';
import { h, bi, label } from './dom.js';

/** Rendered lines by id, with what they were rendered from: a big cart
 * re-renders only the lines whose quote or state changed. */
const lineCache = new Map();

/** The element of quote line `ql`, built again only when it changed. */
export function lineElement(ql) {
  const line = lineById(ql.id);
  const key = JSON.stringify([line.qty, line.ship_to, ql]);
  const cached = lineCache.get(ql.id);
  if (cached && cached.key === key) return cached.el;
  const el = buildLine(ql, line);
  lineCache.set(ql.id, { key, el });
  return el;
}

/** Drop the cache of lines no longer in the cart. */
export function keepLines(ids) {
  for (const id of lineCache.keys()) if (!ids.has(id)) lineCache.delete(id);
}

/** A line marked by an error: drawn again, clean, once the cart is valid. */
export const forgetLine = (id) => lineCache.delete(id);

function buildLine(ql, line) {
  const p = product(line.sku);
  return h('div', { class: 'line', 'data-line': ql.id },
    h('div', { class: 'info' },
      h('div', { class: 'name' }, p.name, ...tags(p)),
      h('div', { class: 'unit' }, p.en, ' · ', yuan(p.unit_price), ' × ', ql.qty, p.weight ? ` · ${p.weight}kg` : null),
      h('ul', { class: 'discounts' }, discounts(ql)),
      exclusiveNote(ql),
      h('label', { class: 'addr' }, ...bi('寄往', 'ship to'), ' ', addressMenu(ql, line, p))),
    stepper(ql, line, p),
    h('div', { class: 'amounts' },
      h('div', { class: `list${ql.list === ql.final ? ' same' : ''}` }, yuan(ql.list)),
      h('div', { class: 'final' }, yuan(ql.final)),
      ql.deposit ? h('div', { class: 'deposit' }, `定金 deposit ${yuan(ql.deposit)}`) : null));
}

function tags(p) {
  const all = (p.tags || []).map((t) => h('span', { class: 'tag' }, t));
  if (p.presale) all.push(h('span', { class: 'tag' }, presaleTag(p.presale)));
  return all;
}

function discounts(ql) {
  return ql.discounts.map((d) => h('li', { 'data-discount': d.promotion }, ...label(d.promotion), ' ', yuan(d.amount),
    state.funders.get(d.promotion) === 'government' ? h('span', { class: 'funder' }, ' · ', ...bi('政府出资', 'funded by the government')) : null));
}

/** An exclusive markdown or multi-buy (不与其他优惠同享) keeps its line out
 * of the store, cross-store and platform stages: say so on the line. */
function exclusiveNote(ql) {
  const exclusive = ql.discounts.find((d) => state.shop.promotions.get(d.promotion)?.exclusive);
  return exclusive ? h('p', { class: 'exclusive', 'data-exclusive': exclusive.promotion },
    ...bi('不与店铺券、跨店满减、平台券同享', 'takes no store coupon, cross-store reduction or platform coupon')) : null;
}

function addressMenu(ql, line, p) {
  const { addresses } = state.shop.catalogue;
  return h('select', {
    class: 'ship-to', 'data-ship-to': ql.id, 'aria-label': `收货地址 address of ${p.en}`,
    onchange: (ev) => setShipTo(ql.id, ev.target.value),
  }, Object.keys(addresses).map((id) => h('option', { value: id, selected: line.ship_to === id }, ...addressShort(addresses[id]))));
}

/** − quantity + ×. After an invalid entry the steppers start again from
 * the last good quantity (the quote's). */
function stepper(ql, line, p) {
  const qtyInput = h('input', {
    type: 'number', min: 1, max: 99999, step: 1, value: line.qty,
    'aria-label': `数量 quantity of ${p.en}`,
    onchange: (ev) => setQty(ql.id, ev.target.value),
  });
  const current = Number.isInteger(line.qty) ? line.qty : ql.qty;
  const minus = h('button', { type: 'button', 'aria-label': 'minus', disabled: current <= 1, onclick: () => stepQty(ql.id, -1, ql.qty) }, '−');
  const plus = h('button', { type: 'button', 'aria-label': 'plus', onclick: () => stepQty(ql.id, 1, ql.qty) }, '+');
  const remove = h('button', { type: 'button', class: 'remove', 'aria-label': 'remove', onclick: () => {
    // Gone at once: an invalid cart is not drawn again until it is valid.
    document.querySelector(`[data-line="${ql.id}"]`)?.remove();
    removeLine(ql.id);
  } }, '×');
  return h('div', { class: 'qty' }, minus, qtyInput, plus, remove);
}

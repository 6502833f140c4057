// 满赠: the gifts the quote gives, under their store (赠品, ×qty, and what
// each is worth), and the gift hints of 凑单 ("再买¥X 送…"). Gifts take
// no money: they are in no amount or total.
import { state } from '../state.js';
import { yuan } from '../format.js';
import { h, bi } from './dom.js';

/** A gift's names from the catalogue, else its sku. */
function giftName(sku) {
  const g = (state.shop.catalogue.gifts || {})[sku];
  return g || { zh: sku, en: sku };
}

/** The gifts of `store`, shown once: under its first package on screen
 * (`key`; a store shipping to two addresses has two). */
export function storeGifts(store, key) {
  const q = state.checkout.quote;
  const gifts = (q.gifts || []).filter((g) => g.store === store);
  const first = q.lines.find((l) => l.store === store);
  if (gifts.length === 0 || !first || `${first.store}|${first.ship_to ?? ''}` !== key) return null;
  return h('ul', { class: 'gifts', 'data-gifts': store }, gifts.map(giftElement));
}

function giftElement(g) {
  const name = giftName(g.sku);
  return h('li', { class: 'gift', 'data-gift': g.sku, 'data-gift-promotion': g.promotion },
    h('span', { class: 'tag gift-tag' }, '赠品'), ' ',
    h('span', { class: 'gift-name' }, name.zh, ' ', h('span', { class: 'en' }, name.en)), ' ',
    h('span', { class: 'gift-qty' }, `×${g.qty}`), ' ',
    h('span', { class: 'gift-value' }, ...bi(`价值 ${yuan(g.value)}/件`, 'value each, free of charge')));
}

/** A gift hint's words: what to add, and the gifts it brings. */
export function giftHintText(hint) {
  const names = hint.gifts.map((g) => [giftName(g.sku), g.qty]);
  const zh = names.map(([n, qty]) => `${n.zh}×${qty}`).join('、');
  const en = names.map(([n, qty]) => `${n.en} ×${qty}`).join(', ');
  return bi(`再买 ${yuan(hint.add)} 送 ${zh}`, `spend ${yuan(hint.add)} more for free ${en}`);
}

// Building the page's DOM: an element with its attributes, handlers and
// children; a phrase in 中文 with its English beside; the catalogue's
// names of promotions and addresses.
import { state } from '../state.js';

export const $ = (id) => document.getElementById(id);

/** Build an element: h('div', {class: 'x', onclick: fn}, child, 'text', ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** 中文, then its English in grey. */
export const bi = (zh, en) => [zh, ' ', h('span', { class: 'en' }, en)];

/** A promotion's (or coupon's) name from the catalogue, else its id. */
export function label(id) {
  const l = state.shop.catalogue.labels[id];
  return l ? bi(l.zh, l.en) : [id];
}

/** An address's name from the catalogue, else its id (or — for none). */
export function addressLabel(id) {
  const a = state.shop.catalogue.addresses[id];
  return a ? bi(a.zh, a.en) : [id ?? '—'];
}

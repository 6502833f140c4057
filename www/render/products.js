// 加购: products to add to the cart (a big catalogue offers its first 40).
import { state, addProduct } from '../state.js';
import { yuan } from '../format.js';
import { $, h } from './dom.js';

export function renderProducts() {
  const items = state.shop.catalogue.products.slice(0, 40).map((p) => h('li', {},
    h('span', {}, p.name, ' ', h('span', { class: 'en' }, yuan(p.unit_price))),
    h('button', { type: 'button', 'data-add': p.sku, onclick: () => addProduct(p.sku) }, '+ 加购')));
  $('products').replaceChildren(...items);
}

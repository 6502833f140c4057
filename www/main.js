// The checkout page: the cart is priced in the browser by the manjian
// WebAssembly engine on every change (a big cart in a Web Worker, so that
// the page never waits for it), and the same input is sent to the
// reference server, whose digest must match. Lines ship to one of the
// buyer's addresses (多地址): each store's lines to one address are one
// package, with its own shipping; the quote is split into child orders
// (拆单) with what each store receives (商家实收), in the browser and on
// the server alike. 提交订单 sends the cart and the digest of the quote on
// screen to the server, which accepts the order only when the digests are
// equal. This file starts the page; state.js holds what it knows.
import { state, openShop, onChange, startFailed } from './state.js';
import { loadEngine, useRules } from './pricing.js';
import { loadJson } from './api.js';
import { reprice, submitOrder } from './checkout.js';
import { renderProducts } from './render/products.js';
import { renderClock, mountBuyer } from './render/buyer.js';
import { mountCouponMode } from './render/wallet.js';
import { mountBar, renderSheet } from './render/bar.js';
import { mountOrder, renderOrder } from './render/order.js';
import { renderError } from './render/error.js';
import { refreshRefund } from './aftersale.js';

/** The tests read the checkout's state here. */
window.checkout = state.checkout;

/** ?catalogue=...&rules=... loads another catalogue of this site (the
 * tests' big cart); never one from elsewhere. */
function local(name, fallback) {
  const url = new URL(new URLSearchParams(location.search).get(name) || fallback, location.href);
  if (url.origin !== location.origin) throw new Error(`${name} must be a file of this site`);
  return url.href;
}

const RENDER = { cart: reprice, sheet: renderSheet, order: renderOrder, refund: refreshRefund };

async function main() {
  const [, catalogue, rules] = await Promise.all([
    loadEngine(), loadJson(local('catalogue', 'catalogue.json')), loadJson(local('rules', 'rules.json'))]);
  openShop(catalogue, rules);
  useRules(rules);
  onChange((what) => RENDER[what]());
  mountBuyer();
  mountCouponMode();
  mountBar(submitOrder);
  mountOrder();
  renderClock();
  renderProducts();
  reprice();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  startFailed(e);
  renderError();
});

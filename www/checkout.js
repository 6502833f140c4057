// What happens on each edit of the cart, and at 提交订单: price it (the
// answer to the latest edit only), show it, have the server check it; an
// order goes to the server, which accepts only the quote it computes.
import {
  state, cartDocument, pricingStarted, isLatestPricing, priced, pricingFailed,
  checkStarted, isLatestCheck, checkAnswered, orderSubmitting, orderAnswered, showServerQuote,
} from './state.js';
import { price, settlementOf } from './pricing.js';
import { serverCheck, placeOrder } from './api.js';
import { renderQuote } from './render/quote.js';
import { renderBar } from './render/bar.js';
import { renderError } from './render/error.js';
import { renderOrder } from './render/order.js';
import { renderServerCheck } from './render/server.js';
import { refreshRefund } from './aftersale.js';

/** The server is asked this long after the last edit, not on every keystroke. */
const CHECK_DELAY_MS = 120;
let checkTimer = null;

/** Price the cart now; on invalid input keep the last good quote on screen. */
export async function reprice() {
  const cart = cartDocument();
  const seq = pricingStarted();
  renderBar(); // no submitting the quote of the cart before this change
  let answer;
  try {
    answer = await price(cart);
  } catch (e) {
    if (!isLatestPricing(seq)) return;
    pricingFailed(e, cart);
    renderError();
    renderBar();
    return;
  }
  if (!isLatestPricing(seq)) return;
  priced(cart, answer);
  renderQuote();
  refreshRefund();
  check(cart, answer.quote, answer.settlement);
}

/** Ask the reference server for the same quote (and its settlement) and compare. */
function check(cart, quote, settlement) {
  const seq = checkStarted();
  renderServerCheck();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(async () => {
    let digest;
    let split = null;
    try {
      ({ digest, settlement: split } = await serverCheck(state.shop.rules, cart, quote));
    } catch {
      digest = undefined; // unreachable
    }
    if (!isLatestCheck(seq)) return; // a newer edit is being checked
    checkAnswered(digest, split !== null && JSON.stringify(split) === JSON.stringify(settlement));
    renderServerCheck();
  }, CHECK_DELAY_MS);
}

/** 提交订单: the server prices the cart under its own rules and accepts
 * the order only if the quote on screen is its quote. */
export async function submitOrder() {
  const { cart, quote } = state.checkout;
  if (!quote || state.checkout.error) return;
  orderSubmitting();
  renderOrder();
  renderBar();
  const answer = await placeOrder(cart, quote.digest);
  const phase = orderAnswered(quote, answer);
  if (phase === 'refused' && state.checkout.quote === quote) {
    showServerQuote(answer.body.quote, settlementOf(answer.body.quote));
    renderQuote();
    refreshRefund();
  }
  renderOrder();
  renderBar();
}

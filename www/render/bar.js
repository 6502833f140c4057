// The 结算 bar at the bottom: 实付 (and 尾款 for a presale), what the buyer
// saves in all, 提交订单; on a phone, the button that opens the sheet of
// offers and totals.
import { state, toggleSheet } from '../state.js';
import { totalSaved, isPositive } from '../money.js';
import { yuan } from '../format.js';
import { $, h } from './dom.js';
import { renderBarTenders } from './tenders.js';

/** Submit only the quote on screen of a valid cart, one order at a time,
 * not twice for the same quote, and not while a change is being priced. */
function canSubmit() {
  const { quote, error, order } = state.checkout;
  const placed = order && order.state === 'accepted' && quote && order.digest === quote.digest;
  return Boolean(quote) && error === null && !state.pricing.busy && !state.submitting && !placed;
}

export function renderBar() {
  document.body.dataset.pricing = String(state.pricing.busy);
  $('submit').disabled = !canSubmit();
  const q = state.checkout.quote;
  if (!q) return;
  const t = q.totals;
  // 实付: with tenders, what is paid in money now.
  $('bar-payable').textContent = yuan(t.cash ?? t.payable);
  $('bar-saved').textContent = yuan(totalSaved(q));
  const presale = isPositive(t.deposit_paid);
  $('bar-due').hidden = !presale;
  if (presale) {
    // Two pieces that wrap as wholes: on a phone the deposit goes below.
    $('bar-due').replaceChildren(
      h('span', { class: 'piece' }, h('strong', {}, `尾款 ${yuan(t.due)}`), ' ', h('span', { class: 'en' }, 'balance due')), ' ',
      h('span', { class: 'piece' }, `· 定金已付 ${yuan(t.deposit_paid)}`));
  }
  renderBarTenders(q);
  $('offers-count').textContent = String(q.coupons.applied.length);
}

/** On a phone the coupon wallet, hints and totals are a sheet over the
 * cart, opened from the bar. */
export function renderSheet() {
  document.body.classList.toggle('sheet-open', state.sheetOpen);
  $('offers-toggle').setAttribute('aria-expanded', String(state.sheetOpen));
}

/** The bar's buttons and the sheet's, wired once; `submit` places the order. */
export function mountBar(submit) {
  $('submit').addEventListener('click', submit);
  $('offers-toggle').addEventListener('click', () => toggleSheet());
  $('scrim').addEventListener('click', () => toggleSheet(false));
  $('sheet-close').addEventListener('click', () => toggleSheet(false));
  // The sheet and the order's outcome sit above the bar, whose height
  // follows its content (a presale adds a line).
  const bar = $('bar');
  new ResizeObserver(() => document.documentElement.style.setProperty('--bar-h', `${bar.offsetHeight}px`)).observe(bar);
}

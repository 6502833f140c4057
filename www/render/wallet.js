// The coupon wallet: every held coupon, applied (with what it took off)
// or why not, chosen by the engine (best) or by hand; and the choice of
// mode.
import { state, pickCoupon, setMode } from '../state.js';
import { yuan, REASONS } from '../format.js';
import { $, h, bi, label } from './dom.js';
import { claimableElements } from './claim.js';

export function renderWallet() {
  const q = state.checkout.quote;
  const applied = new Map(q.promotions.filter((p) => p.coupon).map((p) => [p.id, p.amount]));
  const reasons = new Map(q.coupons.unused.map((u) => [u.id, u.reason]));
  $('coupons').replaceChildren(...state.cart.coupons.map((id) => couponElement(id, applied, reasons)), ...claimableElements());
  $('proven').textContent = q.coupons.proven_best ? '✓ 已证明为最优组合 · proven best combination' : '';
}

function couponElement(id, applied, reasons) {
  const { mode, manual } = state.cart;
  const isApplied = applied.has(id);
  const box = h('input', {
    type: 'checkbox', 'data-coupon': id, 'aria-label': `use ${id}`,
    checked: mode === 'best' ? isApplied : manual.has(id),
    disabled: mode === 'best',
    onchange: (ev) => pickCoupon(id, ev.target.checked),
  });
  const status = isApplied ? bi(`已用 −${yuan(applied.get(id))}`, 'applied') : unusedStatus(reasons.get(id));
  // 运费券: a coupon of the shipping stage, applied or not.
  const kind = state.shop.promotions.get(id)?.stage === 'shipping' ? h('span', { class: 'tag ship-tag' }, '运费券') : null;
  // The whole row is the checkbox's label: a touch target, not a 13 px box.
  return h('li', { class: `coupon${isApplied ? ' applied' : ''}`, 'data-coupon': id },
    h('label', { class: 'coupon-row' }, box,
      h('div', {}, h('div', { class: 'cname' }, ...label(id), kind), h('div', { class: 'status' }, ...status))));
}

/** Why a coupon is not used; "not chosen" says by whom. */
function unusedStatus(reason = 'not_chosen') {
  const r = reason === 'not_chosen' ? `not_chosen_${state.cart.mode === 'best' ? 'best' : 'manual'}` : reason;
  return bi(REASONS[r][0], REASONS[r][1]);
}

/** The best / by hand switch, wired once. */
export function mountCouponMode() {
  for (const input of document.querySelectorAll('input[name=mode]')) {
    input.addEventListener('change', () => setMode(input.value));
  }
}

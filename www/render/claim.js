// 领券: the coupons on offer that the buyer does not hold yet, in the
// wallet below the held ones. The best choice claims those that lower the
// price (the quote's `coupons.claim`); by hand, ticking one claims it at
// checkout. A claimable coupon is never "unused": not claimed, it is
// simply still on offer.
import { state, pickCoupon } from '../state.js';
import { yuan } from '../format.js';
import { h, bi, label } from './dom.js';

/** The wallet's rows of the claimable coupons. */
export function claimableElements() {
  const q = state.checkout.quote;
  const applied = new Map(q.promotions.filter((p) => p.coupon).map((p) => [p.id, p.amount]));
  const claimed = new Set(q.coupons.claim || []);
  return state.cart.claimable.map((id) => claimElement(id, claimed.has(id) ? applied.get(id) : null));
}

/** One claimable coupon; `amount` is what it took off when claimed. */
function claimElement(id, amount) {
  const { mode, manual } = state.cart;
  const isClaimed = amount !== null;
  const box = h('input', {
    type: 'checkbox', 'data-coupon': id, 'aria-label': `claim ${id}`,
    checked: mode === 'best' ? isClaimed : manual.has(id),
    disabled: mode === 'best',
    onchange: (ev) => pickCoupon(id, ev.target.checked),
  });
  return h('li', { class: `coupon claimable${isClaimed ? ' applied claimed' : ''}`, 'data-coupon': id, 'data-claimable': '' },
    h('label', { class: 'coupon-row' }, box,
      h('div', {}, h('div', { class: 'cname' }, ...label(id), h('span', { class: 'tag claim-tag' }, '领券')),
        h('div', { class: 'status' }, ...claimStatus(id, amount)))));
}

function claimStatus(id, amount) {
  if (amount !== null) return bi(`已领券并使用 −${yuan(amount)}`, 'claimed and applied');
  if (state.cart.mode === 'best') return bi('可领取 · 本单用不上', 'on offer; would not lower this order');
  if (state.cart.manual.has(id)) return bi('已领取 · 本单未减免', 'claimed; takes nothing off this order');
  return bi('可领取 · 勾选即领券使用', 'on offer: tick to claim and use');
}

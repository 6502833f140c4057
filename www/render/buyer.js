// The header's demo clock and the buyer's two demo switches (88VIP, 国补
// qualification): a shop knows both from the account.
import { state, setMember, setSubsidy } from '../state.js';
import { clock } from '../format.js';
import { $, h } from './dom.js';

export function renderClock() {
  const { now } = state.shop.catalogue;
  $('now').replaceChildren(clock(now), ' ', h('span', { class: 'en' }, 'demo clock'));
  $('now').title = now;
}

/** The switches, set from the state and wired once. */
export function mountBuyer() {
  const member = $('member');
  member.checked = state.cart.member;
  member.addEventListener('change', () => setMember(member.checked));
  const subsidy = $('gov-subsidy');
  $('subsidy-switch').hidden = !state.shop.catalogue.subsidy;
  subsidy.checked = state.cart.subsidy;
  subsidy.addEventListener('change', () => setSubsidy(subsidy.checked));
}

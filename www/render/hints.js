// 凑单: how much more to add for the next tier of a promotion (or of a
// 满赠's gifts).
import { state } from '../state.js';
import { yuan, zhe } from '../format.js';
import { $, h, bi, label } from './dom.js';
import { giftHintText } from './gifts.js';

/** What a hint brings: a rate, money off, or (满赠) gifts. */
function hintText(hint) {
  if (hint.gifts) return giftHintText(hint);
  if (hint.rate !== undefined) return bi(`再买 ${yuan(hint.add)} 可享 ${zhe(hint.rate)}折`, `spend ${yuan(hint.add)} more for ${hint.rate} of the price`);
  return bi(`再买 ${yuan(hint.add)} 可再减 ${yuan(hint.extra_off)}`, `spend ${yuan(hint.add)} more, save ${yuan(hint.extra_off)} more`);
}

export function renderHints() {
  const items = state.checkout.quote.hints.map((hint) => h('li', { 'data-hint': hint.promotion, class: hint.gifts ? 'gift-hint' : null },
    ...hintText(hint), ' · ', ...label(hint.promotion)));
  if (items.length === 0) items.push(h('li', { class: 'none' }, ...bi('已享最高优惠', 'you get every reduction in reach')));
  $('hints').replaceChildren(...items);
}

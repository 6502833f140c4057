// 合计: the quote's totals, with 定金 and 尾款 for a presale.
import { state } from '../state.js';
import { isPositive } from '../money.js';
import { yuan } from '../format.js';
import { $, h, bi } from './dom.js';
import { tenderTotals } from './tenders.js';

const row = (zh, en, value, cls = '') => [h('dt', {}, ...bi(zh, en)),
  h('dd', { class: cls, 'data-total': en.toLowerCase().replace(/ /g, '-') }, value)];

export function renderTotals() {
  const t = state.checkout.quote.totals;
  const rows = [
    row('商品总额', 'Goods', yuan(t.list)),
    row('优惠', 'Discount', `−${yuan(t.discount)}`),
    row('运费', 'Shipping', yuan(t.shipping)),
    h('div', { class: 'sep' }),
    row('实付', 'Payable', yuan(t.payable), 'payable'),
  ];
  if (isPositive(t.deposit_paid)) {
    rows.push(row('已付定金', 'Deposit paid', yuan(t.deposit_paid)));
    rows.push(row('尾款', 'Balance due', yuan(t.due)));
    if (isPositive(t.deposit_refund)) rows.push(row('退还定金', 'Deposit refund', yuan(t.deposit_refund)));
  }
  rows.push(...tenderTotals(t, row));
  $('totals').replaceChildren(...rows.flat());
}

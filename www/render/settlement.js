// 拆单: the child orders, and who funds what each store receives. On a
// phone each row is a card whose cells carry their column's name.
import { state, storeInfo } from '../state.js';
import { yuan, COLUMNS, settlementCells } from '../format.js';
import { $, h, bi, addressLabel } from './dom.js';
import { tenderHeads, tenderCells } from './tenders.js';

/** A row's money cells; `attrs[c]` adds attributes to column c. */
const cells = (doc, attrs) => settlementCells(doc).map((m, c) => h('td', {
  'data-label': `${COLUMNS[c][0]} ${COLUMNS[c][1]}`, class: c === 6 ? 'receivable' : undefined, ...attrs[c],
}, yuan(m)));

function orderRow(o, i) {
  const info = storeInfo(o.store);
  return h('tr', { 'data-order': i },
    h('td', {}, info.name, ' ', h('span', { class: 'en' }, '→ '), ...addressLabel(o.ship_to)),
    cells(o, { 2: { 'data-order-payable': i }, 6: { 'data-order-receivable': i } }), tenderCells(o, i));
}

export function renderSettlement() {
  const s = state.checkout.settlement;
  const head = h('tr', {}, h('th', {}, ...bi('子订单', 'child order')),
    ...COLUMNS.map(([zh, en]) => h('th', {}, ...bi(zh, en))), ...tenderHeads(s));
  const total = h('tr', { class: 'total' }, h('td', {}, ...bi('合计', 'total')),
    cells(s.total, { 2: { 'data-settle-total': 'payable' }, 5: { 'data-settle-total': 'government' }, 6: { 'data-settle-total': 'receivable' } }),
    tenderCells(s.total, 'total'));
  $('settlement').replaceChildren(h('thead', {}, head), h('tbody', {}, ...s.orders.map(orderRow), total));
}

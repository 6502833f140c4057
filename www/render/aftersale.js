// 售后: pick units of each line to return; the refund the engine computes
// in the browser (in money and each tender in kind, points too), and the
// server's refund of the same request checked beside it.
import { state, product, lineById, storeInfo, pickReturn } from '../state.js';
import { yuan } from '../format.js';
import { $, h, bi, addressLabel } from './dom.js';
import { tenderName } from './tenders.js';

/** The most lines the picker lists. */
const MAX_PICKER_LINES = 40;

/** The units of a line picked to return, within its quantity. */
const picked = (ql) => Math.min(state.aftersale.picks.get(ql.id) || 0, ql.qty);

/** What was typed, as a count from 0 to the line's quantity. */
const typedCount = (raw, qty) => (/^\d+$/.test(raw.trim()) ? Math.min(Number(raw), qty) : 0);

function pickerRow(ql) {
  const n = picked(ql);
  const name = product(lineById(ql.id)?.sku)?.name ?? ql.id;
  const input = h('input', {
    type: 'number', min: 0, max: ql.qty, step: 1, value: n, 'data-return': ql.id, 'aria-label': `退货件数 units of ${ql.id} to return`,
    onchange: (ev) => pickReturn(ql.id, typedCount(ev.target.value, ql.qty)),
  });
  return h('li', { class: 'return-row', 'data-return-line': ql.id },
    h('div', { class: 'return-name' }, name, ' ', h('span', { class: 'en' }, `${ql.qty} 件 · ${yuan(ql.final)}`)),
    h('div', { class: 'qty' },
      h('button', { type: 'button', 'aria-label': 'return one less', disabled: n <= 0, onclick: () => pickReturn(ql.id, n - 1) }, '−'),
      input,
      h('button', { type: 'button', 'aria-label': 'return one more', disabled: n >= ql.qty, onclick: () => pickReturn(ql.id, n + 1) }, '+')));
}

const row = (zh, en, value, attrs) => [h('dt', {}, ...bi(zh, en)), h('dd', attrs, value)];

/** The engine's refund: its total, cash, each tender in kind, the fees. */
function refundRows(doc) {
  const rows = [row('退款合计', 'refund', yuan(doc.total), { 'data-refund': 'total', class: 'refund-total' })];
  if (doc.cash !== undefined) rows.push(row('退回现金', 'in money', yuan(doc.cash), { 'data-refund': 'cash' }));
  for (const t of doc.tenders || []) {
    const name = tenderName(t.tender);
    const points = t.points === undefined ? '' : ` · ${t.points} ${name[0]}`;
    rows.push([h('dt', {}, '退回 ', ...name), h('dd', { 'data-refund-tender': t.tender }, `${yuan(t.amount)}${points}`)]);
  }
  for (const f of doc.shipping) {
    rows.push([h('dt', {}, ...bi('退运费', 'shipping'), ' ', storeInfo(f.store).name, ' → ', ...addressLabel(f.ship_to)),
      h('dd', { 'data-refund-fee': `${f.store}|${f.ship_to ?? ''}` }, yuan(f.amount))]);
  }
  return rows.flat();
}

const CHECK = {
  pending: '核对中… checking…',
  match: '✓ 与服务器退款一致 · the server refunds the same',
  offline: '服务器不可用 · server unreachable',
};

function checkBadge(a) {
  const el = $('refund-server');
  el.hidden = a.serverState === null;
  el.className = `badge ${a.serverState}`;
  el.dataset.state = a.serverState ?? '';
  if (a.serverState === 'mismatch') {
    const total = a.server ? yuan(a.server.total) : '—';
    el.textContent = `✗ 服务器退款不同！ MISMATCH: browser ${yuan(a.doc.total)} ≠ server ${total}`;
  } else el.textContent = CHECK[a.serverState] ?? '';
}

export function renderAftersale() {
  const q = state.checkout.quote;
  if (!q) return;
  const a = state.aftersale;
  // A big cart offers its first lines (the engine refunds any of them).
  const lines = q.lines.slice(0, MAX_PICKER_LINES).map(pickerRow);
  if (q.lines.length > MAX_PICKER_LINES) lines.push(h('li', { class: 'note' }, ...bi(`仅列出前 ${MAX_PICKER_LINES} 行`, 'the first lines only')));
  $('returns').replaceChildren(...lines);
  let body;
  if (a.error) body = [h('p', { class: 'why' }, `${a.error.code} at ${a.error.path}: ${a.error.message}`)];
  else if (a.doc) body = [h('dl', { class: 'refund-doc' }, ...refundRows(a.doc))];
  else body = [h('p', { class: 'note' }, ...bi('选择要退的件数', 'pick the units to return'))];
  $('refund').replaceChildren(...body);
  checkBadge(a);
}

// 抵扣: the buyer's tenders (以旧换新, 红包, 京豆, 礼品卡), each a switch with
// what it pays in the quote on screen or, when it pays nothing, why; what
// they paid in the totals and the bar; and the settlement's tenders by
// funder. Every amount is the quote's (or the settlement's) own string.
import { state, setTenderUse } from '../state.js';
import { pointsLeft } from '../money.js';
import { yuan } from '../format.js';
import { $, h, bi } from './dom.js';

/** The rule of tender `id` (the shop's rules). */
const ruleOf = (id) => (state.shop.rules.tenders || []).find((t) => t.id === id) || {};

/** A rate as a percentage, from its decimal text ("0.5" is 50%), without
 * floating point. */
export function percent(rate) {
  const [whole, frac = ''] = rate.split('.');
  const digits = `${whole}${frac.slice(0, 2).padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return `${digits}${rest ? `.${rest}` : ''}%`;
}

/** Why a tender pays nothing, in words. */
function reasonWords(reason, rule, unit) {
  const words = {
    no_lines_in_scope: ['购物车中没有可用商品', 'nothing in the cart it can pay for'],
    threshold_not_met: [`未满 ${yuan(rule.at)} 可用门槛`, `usable from ${yuan(rule.at)} of goods it covers`],
    no_balance: ['余额为 0', 'no balance'],
    nothing_due: ['已无待付金额', 'nothing left to pay'],
    capped: ['已达抵扣上限', 'at its limit'],
    below_step: [`可用${unit}不足 ${rule.step}`, `fewer than ${rule.step} usable`],
  }[reason];
  return words || [reason, reason];
}

/** The tender's terms, from its rule: 满X, step, cap, shipping, scope. */
function terms(rule, held) {
  const t = [];
  if (held.scope) t.push(bi(held.scope.zh, held.scope.en));
  if (rule.at) t.push(bi(`满 ${yuan(rule.at)} 可用`, `from ${yuan(rule.at)}`));
  if (rule.kind === 'points') {
    t.push(bi(`每${held.zh} ¥${rule.unit_value}`, `${rule.unit_value} each`));
    if (rule.step) t.push(bi(`${rule.step} 个起用，按 ${rule.step} 的倍数`, `in steps of ${rule.step}`));
  }
  if (rule.max_share) t.push(bi(`最多抵 ${percent(rule.max_share)}`, `pays at most ${percent(rule.max_share)}`));
  if (rule.shipping) t.push(bi('可抵运费', 'pays shipping too'));
  return t.flatMap((x, i) => (i === 0 ? x : [' · ', ...x]));
}

/** What the tender did: paid (and its points), switched off, or why not. */
function status(entry, rule, held) {
  const off = state.tenders.off.has(held.id);
  if (entry && entry.reason === undefined) {
    const used = entry.points === undefined ? [] : [` · 用 ${entry.points} ${held.zh}，余 ${pointsLeft(held.balance, entry.points)}`,
      h('span', { class: 'en' }, ` (${entry.points} used)`)];
    return [h('strong', {}, `抵 −${yuan(entry.amount)}`), ' ', h('span', { class: 'en' }, 'paid'), ...used];
  }
  if (off) return bi('未使用', 'switched off');
  const [zh, en] = reasonWords(entry ? entry.reason : 'no_balance', rule, held.zh);
  return [h('span', { class: 'why', 'data-reason': entry ? entry.reason : '' }, zh), ' ', h('span', { class: 'en' }, en)];
}

const balanceText = (rule, held) => (rule.kind === 'points'
  ? bi(`共 ${held.balance} ${held.zh}`, 'held') : bi(`余额 ${yuan(held.balance)}`, 'balance'));

function tenderElement(held, entries) {
  const rule = ruleOf(held.id);
  const entry = entries.get(held.id);
  const paying = Boolean(entry && entry.reason === undefined);
  const box = h('input', {
    type: 'checkbox', 'data-tender': held.id, 'aria-label': `use ${held.en}`,
    checked: !state.tenders.off.has(held.id), onchange: (ev) => setTenderUse(held.id, ev.target.checked),
  });
  return h('li', { class: `tender${paying ? ' paying' : ''}`, 'data-tender': held.id },
    h('label', { class: 'tender-row' }, box,
      h('div', {},
        h('div', { class: 'tname' }, ...bi(held.zh, held.en), ' ', h('span', { class: 'balance' }, ...balanceText(rule, held))),
        h('div', { class: 'terms' }, ...terms(rule, held)),
        h('div', { class: 'status' }, ...status(entry, rule, held)))));
}

/** The tender switches, in the quote's order of application. */
export function renderTenders() {
  const card = $('tenders-card');
  const held = state.shop.catalogue.tenders || [];
  const q = state.checkout.quote;
  card.hidden = held.length === 0 || !q.tenders;
  if (card.hidden) return;
  const entries = new Map(q.tenders.map((t) => [t.id, t]));
  const order = new Map(q.tenders.map((t, i) => [t.id, i]));
  const sorted = [...held].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  $('tenders').replaceChildren(...sorted.map((t) => tenderElement(t, entries)));
  $('tenders-sum').replaceChildren(...bi(`抵扣合计 −${yuan(q.totals.tenders)} · 现金实付 ${yuan(q.totals.cash)}`,
    'tenders paid, and what is paid in money'));
}

/** A tender's name from the catalogue, else its id. */
export function tenderName(id) {
  const t = (state.shop.catalogue.tenders || []).find((x) => x.id === id);
  return t ? bi(t.zh, t.en) : [id];
}

/** The 结算 bar's line of what the tenders paid (hidden without tenders). */
export function renderBarTenders(q) {
  const el = $('bar-tenders');
  el.hidden = q.totals.tenders === undefined;
  if (el.hidden) return;
  const paid = q.tenders.filter((t) => t.reason === undefined)
    .map((t) => h('span', { class: 'bar-tender', 'data-bar-tender': t.id }, ` · ${tenderName(t.id)[0]} ${yuan(t.amount)}`));
  el.replaceChildren('抵扣 ', h('span', { class: 'en' }, 'tenders'), ' ', h('span', { id: 'bar-tenders-total' }, `−${yuan(q.totals.tenders)}`),
    h('span', { class: 'bar-tender-list' }, ...paid));
}

/** The totals' rows of tenders and money, as [dt, dd] pairs. */
export function tenderTotals(t, row) {
  if (t.cash === undefined) return [];
  return [row('抵扣', 'Tenders', `−${yuan(t.tenders)}`), row('现金实付', 'Cash', yuan(t.cash), 'cash')];
}

const FUNDERS = [['buyer', '买家'], ['platform', '平台'], ['store', '店铺'], ['government', '政府']];

/** The settlement's heads of tenders by funder and cash (none without tenders). */
export const tenderHeads = (s) => (s.total.tenders ? [h('th', {}, ...bi('抵扣', 'tenders by funder')), h('th', {}, ...bi('现金', 'cash'))] : []);

/** A child order's (or the total's) tenders by funder, and its cash. */
export function tenderCells(doc, key) {
  if (!doc.tenders) return [];
  const paid = FUNDERS.filter(([f]) => /[1-9]/.test(doc.tenders[f]))
    .map(([f, zh]) => h('div', { 'data-funder': f }, `${zh} ${yuan(doc.tenders[f])}`, ' ', h('span', { class: 'en' }, f)));
  return [
    // The funders stack in one block: on a phone the cell's label stays beside it.
    h('td', { 'data-label': '抵扣 tenders', class: 'tender-cell', 'data-tenders': key }, h('span', { class: 'funders' }, ...(paid.length ? paid : ['—']))),
    h('td', { 'data-label': '现金 cash', 'data-cash': key }, yuan(doc.cash)),
  ];
}

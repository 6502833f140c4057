// The checkout page: the cart is priced in the browser by the manjian
// WebAssembly engine on every change, and the same input is sent to the
// reference server, whose digest must match.
import init, { Engine } from './pkg/manjian.js';

const $ = (id) => document.getElementById(id);

/** Build an element: h('div', {class: 'x'}, child, 'text', ...). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const bi = (zh, en) => [zh, ' ', h('span', { class: 'en' }, en)];
const yuan = (m) => `¥${m}`;

const REASONS = {
  unknown_coupon: ['券不存在', 'unknown coupon'],
  inactive: ['不在有效期内', 'not valid at this time'],
  no_lines_in_scope: ['购物车中没有适用商品', 'nothing in the cart qualifies'],
  threshold_not_met: ['未达使用门槛', 'threshold not reached'],
  not_chosen_best: ['已选更优的组合', 'a better combination was chosen'],
  not_chosen_manual: ['未选用', 'not selected'],
};

const ERRORS = {
  invalid_quantity: ['数量须为 1–99999 的整数', 'quantity must be a whole number from 1 to 99999'],
  slot_conflict: ['同一类券只能用一张', 'only one coupon of this kind can be used'],
};

let catalogue;
let engine;
const state = { lines: [], coupons: [], mode: 'best', manual: new Set(), nextLine: 1 };
/** The last input and quote that were valid, kept on screen on errors. */
const checkout = { cart: null, quote: null, rules: null, serverDigest: null, error: null, quotes: 0 };
window.checkout = checkout;

function product(sku) {
  return catalogue.products.find((p) => p.sku === sku);
}

function label(id) {
  const l = catalogue.labels[id];
  return l ? bi(l.zh, l.en) : [id];
}

function addLine(sku, qty = 1) {
  const existing = state.lines.find((l) => l.sku === sku);
  if (existing && Number.isInteger(existing.qty)) existing.qty += qty;
  else state.lines.push({ id: `L${state.nextLine++}`, sku, qty });
}

/** The cart document for the engine and the server. */
function cartDocument() {
  return {
    at: catalogue.now,
    lines: state.lines.map((l) => {
      const p = product(l.sku);
      const line = { id: l.id, sku: p.sku, store: p.store, category: p.category, unit_price: p.unit_price, qty: l.qty };
      if (p.tags) line.tags = p.tags;
      if (p.presale) line.presale = p.presale;
      return line;
    }),
    coupons: state.coupons,
    apply: state.mode === 'best' ? 'best' : state.coupons.filter((c) => state.manual.has(c)),
  };
}

/** Price the cart now; on invalid input keep the last good quote on screen. */
function reprice() {
  const cart = cartDocument();
  let quote;
  try {
    quote = engine.quote(cart);
  } catch (e) {
    showError(e, cart);
    return;
  }
  checkout.cart = cart;
  checkout.quote = quote;
  checkout.error = null;
  checkout.quotes += 1;
  $('error').hidden = true;
  render(quote);
  verifyWithServer(cart, quote);
}

function showError(e, cart) {
  checkout.error = { code: e.code, path: e.path, message: e.message };
  const known = ERRORS[e.code];
  let where = '';
  const m = /^cart\.lines\[(\d+)\]/.exec(e.path || '');
  if (m) {
    const line = cart.lines[Number(m[1])];
    const p = line && product(line.sku);
    if (p) where = `${p.name}: `;
  }
  const box = $('error');
  box.replaceChildren(
    h('span', {}, where, ...(known ? bi(known[0], known[1]) : [e.message])),
    h('span', { class: 'en' }, ` (${e.code} at ${e.path}) — 仍显示上一次的有效价格 / showing the last valid prices`),
  );
  box.hidden = false;
  document.querySelectorAll('.qty-error').forEach((el) => el.remove());
  document.querySelectorAll('.qty input').forEach((input) => {
    const bad = m !== null && input.dataset.index === m[1];
    input.classList.toggle('invalid', bad);
    if (bad && known) input.closest('.line').append(h('div', { class: 'qty-error' }, ...bi(known[0], known[1])));
  });
}

function render(q) {
  renderStores(q);
  renderCoupons(q);
  renderHints(q);
  renderTotals(q);
}

function renderStores(q) {
  const byStore = new Map();
  q.lines.forEach((ql, i) => {
    if (!byStore.has(ql.store)) byStore.set(ql.store, []);
    byStore.get(ql.store).push([ql, i]);
  });
  const fees = new Map(q.shipping.map((s) => [s.store, s.fee]));
  const groups = [];
  for (const [store, lines] of byStore) {
    const info = catalogue.stores[store] || { name: store, en: '' };
    const fee = fees.get(store);
    const ship = fee === undefined || Number(fee) === 0
      ? h('span', { class: 'ship free' }, ...bi('包邮', 'free shipping'))
      : h('span', { class: 'ship' }, ...bi(`运费 ${yuan(fee)}`, 'shipping'));
    groups.push(h('section', { class: 'store', 'data-store': store },
      h('div', { class: 'store-head' }, h('span', { class: 'store-name' }, info.name, ' ', h('span', { class: 'en' }, info.en)), ship),
      lines.map(([ql, i]) => renderLine(ql, i))));
  }
  if (groups.length === 0) groups.push(h('p', { class: 'loading' }, ...bi('购物车是空的', 'your cart is empty')));
  $('stores').replaceChildren(...groups);
}

function renderLine(ql, index) {
  const line = state.lines[index];
  const p = product(line.sku);
  const qtyInput = h('input', {
    type: 'number', min: 1, max: 99999, step: 1, value: line.qty, 'data-index': index,
    'aria-label': `数量 quantity of ${p.en}`,
    onchange: (ev) => {
      const raw = ev.target.value.trim();
      // Whatever was typed goes to the engine, which judges it.
      line.qty = /^-?\d+$/.test(raw) ? Number(raw) : raw;
      reprice();
    },
  });
  // After an invalid entry the steppers start again from the last good quantity.
  const current = () => (Number.isInteger(line.qty) ? line.qty : ql.qty);
  const minus = h('button', { type: 'button', 'aria-label': 'minus', disabled: current() <= 1, onclick: () => { line.qty = current() - 1; reprice(); } }, '−');
  const plus = h('button', { type: 'button', 'aria-label': 'plus', onclick: () => { line.qty = current() + 1; reprice(); } }, '+');
  const remove = h('button', { type: 'button', class: 'remove', 'aria-label': 'remove', onclick: () => {
    state.lines.splice(index, 1);
    reprice();
  } }, '×');
  const tags = (p.tags || []).map((t) => h('span', { class: 'tag' }, t));
  if (p.presale) tags.push(h('span', { class: 'tag' }, `预售 定金${p.presale.deposit}抵${p.presale.deposit_value}`));
  const discounts = ql.discounts.map((d) => h('li', {}, ...label(d.promotion), ' ', yuan(d.amount)));
  return h('div', { class: 'line', 'data-line': ql.id },
    h('div', {}, h('div', { class: 'name' }, p.name, ...tags), h('div', { class: 'unit' }, p.en, ' · ', yuan(p.unit_price), ' × ', ql.qty),
      h('ul', { class: 'discounts' }, discounts)),
    h('div', { class: 'qty' }, minus, qtyInput, plus, remove),
    h('div', { class: 'amounts' },
      h('div', { class: `list${ql.list === ql.final ? ' same' : ''}` }, yuan(ql.list)),
      h('div', { class: 'final' }, yuan(ql.final)),
      ql.deposit ? h('div', { class: 'deposit' }, `定金 deposit ${yuan(ql.deposit)}`) : null));
}

function slotOf(id) {
  const p = catalogue.rules.promotions.find((x) => x.id === id && x.coupon);
  if (!p) return null;
  if (p.slot) return p.slot;
  return p.stage === 'store' ? `store:${p.scope.stores[0]}` : p.stage;
}

function renderCoupons(q) {
  const applied = new Map(q.promotions.filter((p) => p.coupon).map((p) => [p.id, p.amount]));
  const reasons = new Map(q.coupons.unused.map((u) => [u.id, u.reason]));
  const items = state.coupons.map((id) => {
    const isApplied = applied.has(id);
    let status;
    if (isApplied) status = bi(`已用 −${yuan(applied.get(id))}`, 'applied');
    else {
      let r = reasons.get(id) || 'not_chosen';
      if (r === 'not_chosen') r = state.mode === 'best' ? 'not_chosen_best' : 'not_chosen_manual';
      status = bi(REASONS[r][0], REASONS[r][1]);
    }
    const box = h('input', {
      type: 'checkbox', 'data-coupon': id, 'aria-label': `use ${id}`,
      checked: state.mode === 'best' ? isApplied : state.manual.has(id),
      disabled: state.mode === 'best',
      onchange: (ev) => {
        if (ev.target.checked) {
          // One coupon per slot: choosing one puts back its slot-mates.
          const slot = slotOf(id);
          for (const other of [...state.manual]) if (slot !== null && slotOf(other) === slot) state.manual.delete(other);
          state.manual.add(id);
        } else state.manual.delete(id);
        reprice();
      },
    });
    return h('li', { class: `coupon${isApplied ? ' applied' : ''}`, 'data-coupon': id },
      box, h('div', {}, h('div', { class: 'cname' }, ...label(id)), h('div', { class: 'status' }, ...status)));
  });
  $('coupons').replaceChildren(...items);
  $('proven').textContent = q.coupons.proven_best ? '✓ 已证明为最优组合 · proven best combination' : '';
}

function renderHints(q) {
  const items = q.hints.map((hint) => {
    const text = hint.rate !== undefined
      ? bi(`再买 ${yuan(hint.add)} 可享 ${(Number(hint.rate) * 10).toFixed(1).replace(/\.0$/, '')}折`, `spend ${yuan(hint.add)} more for ${hint.rate} of the price`)
      : bi(`再买 ${yuan(hint.add)} 可再减 ${yuan(hint.extra_off)}`, `spend ${yuan(hint.add)} more, save ${yuan(hint.extra_off)} more`);
    return h('li', { 'data-hint': hint.promotion }, ...text, ' · ', ...label(hint.promotion));
  });
  if (items.length === 0) items.push(h('li', { class: 'none' }, ...bi('已享最高优惠', 'you get every reduction in reach')));
  $('hints').replaceChildren(...items);
}

function renderTotals(q) {
  const t = q.totals;
  const row = (zh, en, value, cls = '') => [h('dt', {}, ...bi(zh, en)), h('dd', { class: cls, 'data-total': en.toLowerCase().replace(/ /g, '-') }, value)];
  const rows = [
    row('商品总额', 'Goods', yuan(t.list)),
    row('优惠', 'Discount', `−${yuan(t.discount)}`),
    row('运费', 'Shipping', yuan(t.shipping)),
    h('div', { class: 'sep' }),
    row('实付', 'Payable', yuan(t.payable), 'payable'),
  ];
  if (Number(t.deposit_paid) > 0) {
    rows.push(row('已付定金', 'Deposit paid', yuan(t.deposit_paid)));
    rows.push(row('尾款', 'Balance due', yuan(t.due)));
    if (Number(t.deposit_refund) > 0) rows.push(row('退还定金', 'Deposit refund', yuan(t.deposit_refund)));
  }
  $('totals').replaceChildren(...rows.flat());
}

let serverSeq = 0;
let serverTimer = null;
/** Ask the reference server for the same quote and compare digests. */
function verifyWithServer(cart, quote) {
  const seq = ++serverSeq;
  const badge = $('server');
  badge.className = 'badge pending';
  badge.dataset.state = 'pending';
  badge.textContent = '核对中… checking…';
  clearTimeout(serverTimer);
  serverTimer = setTimeout(async () => {
    let verdict;
    try {
      const res = await fetch('api/quote', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rules: catalogue.rules, cart }),
      });
      const body = await res.json();
      verdict = res.ok ? body.digest : null;
    } catch {
      verdict = undefined;
    }
    if (seq !== serverSeq) return; // a newer edit is being checked
    checkout.serverDigest = verdict ?? null;
    if (verdict === undefined) {
      badge.className = 'badge offline';
      badge.textContent = '服务器不可用 · server unreachable';
    } else if (verdict === quote.digest) {
      badge.className = 'badge match';
      badge.textContent = `✓ 与服务器一致 · matches the server (${quote.digest.slice(0, 19)}…)`;
    } else {
      badge.className = 'badge mismatch';
      badge.textContent = `✗ 与服务器不一致！ MISMATCH: browser ${quote.digest.slice(7, 19)} ≠ server ${String(verdict).slice(7, 19)}`;
    }
    badge.dataset.state = badge.className.split(' ')[1];
  }, 120);
}

function renderProducts() {
  const items = catalogue.products.map((p) => h('li', {},
    h('span', {}, p.name, ' ', h('span', { class: 'en' }, yuan(p.unit_price))),
    h('button', { type: 'button', 'data-add': p.sku, onclick: () => { addLine(p.sku); reprice(); } }, '+ 加购')));
  $('products').replaceChildren(...items);
}

async function main() {
  await init();
  catalogue = await (await fetch('catalogue.json')).json();
  checkout.rules = catalogue.rules;
  engine = new Engine(catalogue.rules);
  for (const l of catalogue.cart.lines) addLine(l.sku, l.qty);
  state.coupons = [...catalogue.cart.coupons];
  $('now').replaceChildren(...bi(`现在 ${catalogue.now.replace('T', ' ').slice(0, 16)}`, 'now (demo clock)'));
  for (const input of document.querySelectorAll('input[name=mode]')) {
    input.addEventListener('change', () => {
      state.mode = input.value;
      if (state.mode === 'manual') state.manual = new Set(checkout.quote ? checkout.quote.coupons.applied : []);
      reprice();
    });
  }
  renderProducts();
  reprice();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  const box = $('error');
  box.textContent = `页面加载失败 · the page could not start: ${e.message}`;
  box.hidden = false;
});

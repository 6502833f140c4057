// The checkout page: the cart is priced in the browser by the manjian
// WebAssembly engine on every change, and the same input is sent to the
// reference server, whose digest must match. Lines ship to one of the
// buyer's addresses (多地址): each store's lines to one address are one
// package, with its own shipping; the quote is split into child orders
// (拆单) with what each store receives (商家实收), in the browser and on
// the server alike.
import init, { Engine, settle } from './pkg/manjian.js';

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
  not_eligible: ['仅限指定会员', 'not for this buyer'],
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
const state = { lines: [], coupons: [], mode: 'best', manual: new Set(), nextLine: 1, member: true };
/** The last input and quote that were valid, kept on screen on errors. */
const checkout = {
  cart: null, quote: null, rules: null, serverDigest: null, error: null, quotes: 0,
  settlement: null, serverSettlement: null,
};
window.checkout = checkout;

function product(sku) {
  return catalogue.products.find((p) => p.sku === sku);
}

function label(id) {
  const l = catalogue.labels[id];
  return l ? bi(l.zh, l.en) : [id];
}

function addLine(sku, qty = 1, shipTo = 'home') {
  const existing = state.lines.find((l) => l.sku === sku && l.ship_to === shipTo);
  if (existing && Number.isInteger(existing.qty)) existing.qty += qty;
  else state.lines.push({ id: `L${state.nextLine++}`, sku, qty, ship_to: shipTo });
}

/** The buyer as the server vouches for them: 88VIP or not. */
function buyerTags() {
  const tags = catalogue.buyer.tags.filter((t) => t !== catalogue.member.tag);
  return state.member ? [catalogue.member.tag, ...tags] : tags;
}

/** The cart document for the engine and the server. */
function cartDocument() {
  return {
    at: catalogue.now,
    buyer: { tags: buyerTags() },
    lines: state.lines.map((l) => {
      const p = product(l.sku);
      const line = { id: l.id, sku: p.sku, store: p.store, category: p.category, unit_price: p.unit_price, qty: l.qty };
      if (p.tags) line.tags = p.tags;
      if (p.presale) line.presale = p.presale;
      if (l.ship_to) line.ship_to = l.ship_to;
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
  // A quote the engine made always settles.
  checkout.settlement = settle({ quote });
  $('error').hidden = true;
  render(quote);
  verifyWithServer(cart, quote, checkout.settlement);
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
  renderPackages(q);
  renderCoupons(q);
  renderHints(q);
  renderTotals(q);
  renderSettlement(checkout.settlement);
}

const packageKey = (store, shipTo) => `${store}|${shipTo ?? ''}`;
const addressLabel = (id) => {
  const a = catalogue.addresses[id];
  return a ? bi(a.zh, a.en) : [id ?? '—'];
};

/** A package's shipping: the fee, and what 包邮 rules and 运费券 took off. */
function renderShipping(entry) {
  if (!entry) return h('span', { class: 'ship free' }, ...bi('无运费', 'no shipping fee'));
  const discounts = entry.discounts || [];
  const before = discounts.reduce((s, d) => s + Math.round(Number(d.amount) * 100), Math.round(Number(entry.fee) * 100));
  const parts = [];
  if (discounts.length > 0) {
    parts.push(h('span', { class: 'ship-before' }, yuan((before / 100).toFixed(2))));
    for (const d of discounts) parts.push(h('span', { class: 'ship-off', 'data-ship-discount': d.promotion }, ...label(d.promotion), ` −${yuan(d.amount)}`));
  }
  const fee = Number(entry.fee) === 0
    ? h('span', { class: 'ship-fee free' }, ...bi('包邮', 'free shipping'))
    : h('span', { class: 'ship-fee' }, ...bi(`运费 ${yuan(entry.fee)}`, 'shipping'));
  return h('span', { class: 'ship' }, ...parts, fee);
}

/** The cart as packages: each store's lines to one address, with its shipping. */
function renderPackages(q) {
  const packages = new Map();
  q.lines.forEach((ql, i) => {
    const key = packageKey(ql.store, ql.ship_to);
    if (!packages.has(key)) packages.set(key, { store: ql.store, shipTo: ql.ship_to, lines: [] });
    packages.get(key).lines.push([ql, i]);
  });
  const fees = new Map(q.shipping.map((s) => [packageKey(s.store, s.ship_to), s]));
  const groups = [];
  for (const [key, pkg] of packages) {
    const info = catalogue.stores[pkg.store] || { name: pkg.store, en: '' };
    groups.push(h('section', { class: 'store', 'data-store': pkg.store, 'data-package': key },
      h('div', { class: 'store-head' },
        h('span', { class: 'store-name' }, info.name, ' ', h('span', { class: 'en' }, info.en)),
        h('span', { class: 'address' }, ...bi('寄往', 'to'), ' ', ...addressLabel(pkg.shipTo)),
        renderShipping(fees.get(key))),
      pkg.lines.map(([ql, i]) => renderLine(ql, i))));
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
  const address = h('select', {
    class: 'ship-to', 'data-ship-to': index, 'aria-label': `收货地址 address of ${p.en}`,
    onchange: (ev) => { line.ship_to = ev.target.value; reprice(); },
  }, Object.keys(catalogue.addresses).map((id) => h('option', { value: id, selected: line.ship_to === id },
    catalogue.addresses[id].zh.split(' · ')[0], ' ', catalogue.addresses[id].en.split(',')[0])));
  const tags = (p.tags || []).map((t) => h('span', { class: 'tag' }, t));
  if (p.presale) tags.push(h('span', { class: 'tag' }, `预售 定金${p.presale.deposit}抵${p.presale.deposit_value}`));
  const discounts = ql.discounts.map((d) => h('li', {}, ...label(d.promotion), ' ', yuan(d.amount)));
  return h('div', { class: 'line', 'data-line': ql.id },
    h('div', {}, h('div', { class: 'name' }, p.name, ...tags), h('div', { class: 'unit' }, p.en, ' · ', yuan(p.unit_price), ' × ', ql.qty),
      h('ul', { class: 'discounts' }, discounts), h('label', { class: 'addr' }, ...bi('寄往', 'ship to'), ' ', address)),
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
  const shipping = new Set(q.promotions.filter((p) => p.stage === 'shipping').map((p) => p.id));
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
    const kind = slotOf(id) === 'shipping' || shipping.has(id) ? h('span', { class: 'tag ship-tag' }, '运费券') : null;
    return h('li', { class: `coupon${isApplied ? ' applied' : ''}`, 'data-coupon': id },
      box, h('div', {}, h('div', { class: 'cname' }, ...label(id), kind), h('div', { class: 'status' }, ...status)));
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

const money = (m) => yuan(m);
/** 拆单: the child orders, and who funds what each store receives. */
function renderSettlement(s) {
  const head = h('tr', {},
    ...[['子订单', 'child order'], ['商品', 'goods'], ['运费', 'shipping'], ['实付', 'payable'],
      ['店铺出资', 'store-funded'], ['平台补贴', 'platform'], ['国补', 'government'], ['商家实收', 'store receives']]
      .map(([zh, en]) => h('th', {}, ...bi(zh, en))));
  const row = (o, i) => {
    const info = catalogue.stores[o.store] || { name: o.store, en: '' };
    return h('tr', { 'data-order': i },
      h('td', {}, info.name, ' ', h('span', { class: 'en' }, '→ '), ...addressLabel(o.ship_to)),
      h('td', {}, money(o.goods)), h('td', {}, money(o.shipping)), h('td', { 'data-order-payable': i }, money(o.payable)),
      h('td', {}, money(o.funded.store)), h('td', {}, money(o.funded.platform)), h('td', {}, money(o.funded.government)),
      h('td', { class: 'receivable', 'data-order-receivable': i }, money(o.receivable)));
  };
  const t = s.total;
  const total = h('tr', { class: 'total' }, h('td', {}, ...bi('合计', 'total')),
    h('td', {}, money(t.goods)), h('td', {}, money(t.shipping)), h('td', { 'data-settle-total': 'payable' }, money(t.payable)),
    h('td', {}, money(t.funded.store)), h('td', {}, money(t.funded.platform)), h('td', {}, money(t.funded.government)),
    h('td', { class: 'receivable', 'data-settle-total': 'receivable' }, money(t.receivable)));
  $('settlement').replaceChildren(h('thead', {}, head), h('tbody', {}, ...s.orders.map(row), total));
}

let serverSeq = 0;
let serverTimer = null;
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const doc = await res.json();
  return res.ok ? doc : null;
}

/** Ask the reference server for the same quote (and its settlement) and compare. */
function verifyWithServer(cart, quote, settlement) {
  const seq = ++serverSeq;
  const badge = $('server');
  badge.className = 'badge pending';
  badge.dataset.state = 'pending';
  badge.textContent = '核对中… checking…';
  clearTimeout(serverTimer);
  serverTimer = setTimeout(async () => {
    let verdict;
    let split;
    try {
      const body = await post('api/quote', { rules: catalogue.rules, cart });
      verdict = body ? body.digest : null;
      split = await post('api/settle', { quote });
    } catch {
      verdict = undefined;
    }
    if (seq !== serverSeq) return; // a newer edit is being checked
    checkout.serverDigest = verdict ?? null;
    checkout.serverSettlement = split ?? null;
    const sameSplit = split && JSON.stringify(split) === JSON.stringify(settlement);
    const sb = $('settle-server');
    sb.dataset.state = sameSplit ? 'match' : 'mismatch';
    sb.className = `badge ${sameSplit ? 'match' : 'mismatch'}`;
    sb.textContent = sameSplit ? '✓ 与服务器拆单一致 · the server splits it the same' : '✗ 服务器拆单不同 · the server splits it differently';
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
  for (const l of catalogue.cart.lines) addLine(l.sku, l.qty, l.ship_to);
  state.coupons = [...catalogue.cart.coupons];
  const member = $('member');
  member.checked = state.member;
  member.addEventListener('change', () => { state.member = member.checked; reprice(); });
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

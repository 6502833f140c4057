// The checkout page: the cart is priced in the browser by the manjian
// WebAssembly engine on every change (a big cart in a Web Worker, so that
// the page never waits for it), and the same input is sent to the
// reference server, whose digest must match. Lines ship to one of the
// buyer's addresses (多地址): each store's lines to one address are one
// package, with its own shipping; the quote is split into child orders
// (拆单) with what each store receives (商家实收), in the browser and on
// the server alike. 提交订单 sends the cart and the digest of the quote on
// screen to the server, which prices the cart under its own rules and
// accepts the order only when the digests are equal.
import init, { Engine, settle } from './pkg/manjian.js';

/** Carts with more lines than this are priced in the worker. */
const BIG_CART_LINES = 150;

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

/** A money string ("12.30", "-5") in minor units, exactly (no float). */
function minor(m, scale) {
  const neg = m.startsWith('-');
  const [whole, frac = ''] = (neg ? m.slice(1) : m).split('.');
  const units = BigInt(whole + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -units : units;
}

/** Minor units as a money string with `scale` decimals. */
function major(units, scale) {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** A rate as 折 (tenths of the price), from its decimal text: "0.85" is
 * 8.5折, "0.875" 8.75折. */
function zhe(rate) {
  const [whole, frac = ''] = rate.split('.');
  const tenths = `${whole}${frac.charAt(0) || '0'}`.replace(/^0+(?=\d)/, '');
  const rest = frac.slice(1).replace(/0+$/, '');
  return rest ? `${tenths}.${rest}` : tenths;
}

/** The decimals of the quote's money (its totals say it). */
const scaleOf = (q) => (q.totals.payable.split('.')[1] || '').length;

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
const state = { lines: [], coupons: [], mode: 'best', manual: new Set(), nextLine: 1, member: true, subsidy: true };
/** The last input and quote that were valid, kept on screen on errors. */
const checkout = {
  cart: null, quote: null, rules: null, serverDigest: null, error: null, quotes: 0,
  settlement: null, pricedIn: null, order: null,
};
window.checkout = checkout;

/** The catalogue's products by sku (a big cart looks one up per line). */
let products = new Map();

function product(sku) {
  return products.get(sku);
}

/** A store's names, or its id where the catalogue has none. */
function storeInfo(id) {
  return catalogue.stores[id] || { name: id, en: '' };
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

/** The buyer as the server vouches for them: 88VIP or not, qualified for
 * the 国补 subsidy or not (the page's two demo switches). */
function buyerTags() {
  const switched = [[catalogue.member?.tag, state.member], [catalogue.subsidy?.tag, state.subsidy]];
  const others = catalogue.buyer.tags.filter((t) => !switched.some(([tag]) => tag === t));
  return [...switched.filter(([tag, on]) => tag && on).map(([tag]) => tag), ...others];
}

/** The rules' promotions by id, for what a line's discounts are. */
let promotions = new Map();
/** Who funds each promotion of the quote on screen (the quote says). */
let funders = new Map();

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

/** The worker that prices big carts, started on the first one. */
let worker = null;
let workerSeq = 0;
const waiting = new Map();

function pricingWorker() {
  if (worker) return worker;
  worker = new Worker('pricing-worker.js', { type: 'module' });
  worker.postMessage({ rules: catalogue.rules });
  worker.onmessage = ({ data }) => {
    const done = waiting.get(data.id);
    waiting.delete(data.id);
    if (done) done(data);
  };
  // A worker that cannot run answers every request with the failure, and
  // the next big cart starts a new one.
  worker.onerror = worker.onmessageerror = (e) => {
    const error = { name: 'Error', message: `the pricing worker failed: ${e.message || e.type}` };
    for (const done of waiting.values()) done({ error });
    waiting.clear();
    worker.terminate();
    worker = null;
  };
  return worker;
}

/** The quote and settlement of `cart`: here for a small cart, in the
 * worker for a big one; throws the engine's error. */
async function price(cart) {
  if (cart.lines.length <= BIG_CART_LINES) {
    const quote = engine.quote(cart);
    // A quote the engine made always settles.
    return { quote, settlement: settle({ quote }), pricedIn: 'page' };
  }
  const id = ++workerSeq;
  const answer = await new Promise((resolve) => {
    waiting.set(id, resolve);
    pricingWorker().postMessage({ id, cart });
  });
  if (answer.error) throw answer.error;
  return { quote: answer.quote, settlement: answer.settlement, pricedIn: 'worker' };
}

let priceSeq = 0;

/** Price the cart now; on invalid input keep the last good quote on
 * screen. Only the answer to the latest change is shown. */
async function reprice() {
  const cart = cartDocument();
  const mine = ++priceSeq;
  document.body.dataset.pricing = 'true';
  renderBar(checkout.quote); // no submitting the quote of the cart before this change
  let priced;
  try {
    priced = await price(cart);
  } catch (e) {
    if (mine !== priceSeq) return;
    document.body.dataset.pricing = 'false';
    showError(e, cart);
    renderBar(checkout.quote);
    return;
  }
  if (mine !== priceSeq) return;
  const { quote, settlement, pricedIn } = priced;
  checkout.cart = cart;
  checkout.quote = quote;
  checkout.error = null;
  checkout.quotes += 1;
  checkout.settlement = settlement;
  checkout.pricedIn = pricedIn;
  $('error').hidden = true;
  // An order's outcome is about the quote it was submitted with.
  if (checkout.order && checkout.order.digest !== quote.digest) $('order').hidden = true;
  document.body.dataset.pricing = 'false';
  render(quote);
  verifyWithServer(cart, quote, settlement);
}

function showError(e, cart) {
  checkout.error = { code: e.code, path: e.path, message: e.message };
  const box = $('error');
  box.hidden = false;
  if (e.name !== 'ManjianError' || e.code === 'internal_error') {
    // Not the cart's fault: say so, not "fix your input".
    box.replaceChildren(h('span', {}, ...bi('价格暂时无法计算，请稍后再试', 'prices cannot be computed just now; not your input\'s fault')),
      h('span', { class: 'en' }, ` (${e.message}) — 仍显示上一次的有效价格 / showing the last valid prices`));
    return;
  }
  const known = ERRORS[e.code];
  let where = '';
  const m = /^cart\.lines\[(\d+)\]/.exec(e.path || '');
  const bad = m ? cart.lines[Number(m[1])] : undefined;
  if (bad) {
    const p = product(bad.sku);
    if (p) where = `${p.name}: `;
  }
  box.replaceChildren(
    h('span', {}, where, ...(known ? bi(known[0], known[1]) : [e.message])),
    h('span', { class: 'en' }, ` (${e.code} at ${e.path}) — 仍显示上一次的有效价格 / showing the last valid prices`),
  );
  document.querySelectorAll('.qty-error').forEach((el) => el.remove());
  document.querySelectorAll('.line').forEach((el) => {
    const input = el.querySelector('.qty input');
    const wrong = bad !== undefined && el.dataset.line === bad.id && /qty$/.test(e.path);
    input.classList.toggle('invalid', wrong);
    if (wrong && known) el.append(h('div', { class: 'qty-error' }, ...bi(known[0], known[1])));
    // Marked: drawn again, clean, once the cart is valid.
    if (wrong) lineCache.delete(el.dataset.line);
  });
}

function render(q) {
  funders = new Map(q.promotions.map((p) => [p.id, p.funded_by]));
  renderPackages(q);
  renderCoupons(q);
  renderHints(q);
  renderTotals(q);
  renderSettlement(checkout.settlement);
  renderBar(q);
}

/** What the buyer saves in all: goods discounts and shipping discounts. */
function totalSaved(q) {
  const scale = scaleOf(q);
  let saved = minor(q.totals.discount, scale);
  for (const g of q.shipping) for (const d of g.discounts || []) saved += minor(d.amount, scale);
  return major(saved, scale);
}

/** An order is being submitted. */
let submitting = false;

/** The 结算 bar: 实付 (and 尾款 for presale), the total saved, submit
 * (only for the quote on screen of a valid cart, one order at a time, and
 * not twice for the same quote). */
function renderBar(q) {
  const submit = $('submit');
  const placed = checkout.order && checkout.order.state === 'accepted' && q && checkout.order.digest === q.digest;
  submit.disabled = !q || checkout.error !== null || document.body.dataset.pricing === 'true' || submitting || Boolean(placed);
  if (!q) return;
  const t = q.totals;
  $('bar-payable').textContent = yuan(t.payable);
  $('bar-saved').textContent = yuan(totalSaved(q));
  const presale = Number(t.deposit_paid) > 0;
  $('bar-due').hidden = !presale;
  if (presale) {
    // Two pieces that wrap as wholes: on a phone the deposit goes below.
    $('bar-due').replaceChildren(
      h('span', { class: 'piece' }, h('strong', {}, `尾款 ${yuan(t.due)}`), ' ', h('span', { class: 'en' }, 'balance due')), ' ',
      h('span', { class: 'piece' }, `· 定金已付 ${yuan(t.deposit_paid)}`));
  }
  $('offers-count').textContent = String(q.coupons.applied.length);
}

const packageKey = (store, shipTo) => `${store}|${shipTo ?? ''}`;
const addressLabel = (id) => {
  const a = catalogue.addresses[id];
  return a ? bi(a.zh, a.en) : [id ?? '—'];
};

/** A package's shipping: the fee, and what 包邮 rules and 运费券 took off. */
function renderShipping(entry, scale) {
  if (!entry) return h('span', { class: 'ship free' }, ...bi('无运费', 'no shipping fee'));
  const discounts = entry.discounts || [];
  const before = discounts.reduce((s, d) => s + minor(d.amount, scale), minor(entry.fee, scale));
  const parts = [];
  if (discounts.length > 0) {
    parts.push(h('span', { class: 'ship-before' }, yuan(major(before, scale))));
    for (const d of discounts) parts.push(h('span', { class: 'ship-off', 'data-ship-discount': d.promotion }, ...label(d.promotion), ` −${yuan(d.amount)}`));
  }
  const fee = Number(entry.fee) === 0
    ? h('span', { class: 'ship-fee free' }, ...bi('包邮', 'free shipping'))
    : h('span', { class: 'ship-fee' }, ...bi(`运费 ${yuan(entry.fee)}`, 'shipping'));
  return h('span', { class: 'ship' }, ...parts, fee);
}

/** Lines built between two yields to the page when a big cart is drawn. */
const LINES_PER_SLICE = 60;
const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/** The cart as packages: each store's lines to one address, with its shipping. */
async function renderPackages(q) {
  const seq = priceSeq;
  const packages = new Map();
  for (const ql of q.lines) {
    const key = packageKey(ql.store, ql.ship_to);
    if (!packages.has(key)) packages.set(key, { store: ql.store, shipTo: ql.ship_to, lines: [] });
    packages.get(key).lines.push(ql);
  }
  const lineById = new Map(state.lines.map((l) => [l.id, l]));
  const fees = new Map(q.shipping.map((s) => [packageKey(s.store, s.ship_to), s]));
  // A big cart is built off screen a slice at a time, yielding to the page
  // between slices (typing stays responsive), then shown at once; a newer
  // quote abandons it.
  // (Lines already on screen are only moved into the new packages at the
  // end, so that nothing disappears meanwhile.)
  const big = q.lines.length > BIG_CART_LINES;
  let built = 0;
  const lineEls = new Map();
  for (const [key, pkg] of packages) {
    const els = [];
    for (const ql of pkg.lines) {
      els.push(renderLine(ql, lineById.get(ql.id)));
      built += 1;
      if (big && built % LINES_PER_SLICE === 0) {
        await nextTask();
        if (checkout.quote !== q || priceSeq !== seq) return;
      }
    }
    lineEls.set(key, els);
  }
  const groups = [];
  for (const [key, pkg] of packages) {
    const info = storeInfo(pkg.store);
    const lines = lineEls.get(key);
    groups.push(h('section', { class: 'store', 'data-store': pkg.store, 'data-package': key },
      h('div', { class: 'store-head' },
        h('span', { class: 'store-name' }, info.name, ' ', h('span', { class: 'en' }, info.en)),
        h('span', { class: 'address' }, ...bi('寄往', 'to'), ' ', ...addressLabel(pkg.shipTo)),
        renderShipping(fees.get(key), scaleOf(q))),
      lines));
  }
  if (groups.length === 0) groups.push(h('p', { class: 'loading' }, ...bi('购物车是空的', 'your cart is empty')));
  $('stores').replaceChildren(...groups);
  $('stores').classList.toggle('big', big);
  document.body.dataset.rendered = String(checkout.quotes);
  const shown = new Set(q.lines.map((l) => l.id));
  for (const id of lineCache.keys()) if (!shown.has(id)) lineCache.delete(id);
}

/** Rendered lines by id, with what they were rendered from: a big cart
 * re-renders only the lines whose quote or state changed. */
const lineCache = new Map();

function renderLine(ql, line) {
  const key = JSON.stringify([line.qty, line.ship_to, ql]);
  const cached = lineCache.get(ql.id);
  if (cached && cached.key === key) return cached.el;
  const el = buildLine(ql, line);
  lineCache.set(ql.id, { key, el });
  return el;
}

function buildLine(ql, line) {
  const p = product(line.sku);
  const qtyInput = h('input', {
    type: 'number', min: 1, max: 99999, step: 1, value: line.qty,
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
    // By identity: the cart may have changed since this line was drawn,
    // and an invalid cart is not drawn again until it is valid.
    state.lines = state.lines.filter((l) => l !== line);
    document.querySelector(`[data-line="${ql.id}"]`)?.remove();
    reprice();
  } }, '×');
  const address = h('select', {
    class: 'ship-to', 'data-ship-to': ql.id, 'aria-label': `收货地址 address of ${p.en}`,
    onchange: (ev) => { line.ship_to = ev.target.value; reprice(); },
  }, Object.keys(catalogue.addresses).map((id) => h('option', { value: id, selected: line.ship_to === id },
    catalogue.addresses[id].zh.split(' · ')[0], ' ', catalogue.addresses[id].en.split(',')[0])));
  const tags = (p.tags || []).map((t) => h('span', { class: 'tag' }, t));
  if (p.presale) tags.push(h('span', { class: 'tag' }, `预售 定金${p.presale.deposit}抵${p.presale.deposit_value}`));
  const discounts = ql.discounts.map((d) => h('li', { 'data-discount': d.promotion }, ...label(d.promotion), ' ', yuan(d.amount),
    funders.get(d.promotion) === 'government' ? h('span', { class: 'funder' }, ' · ', ...bi('政府出资', 'funded by the government')) : null));
  // An exclusive markdown or multi-buy (不与其他优惠同享) keeps its line out
  // of the store, cross-store and platform stages: say so on the line.
  const exclusive = ql.discounts.find((d) => promotions.get(d.promotion)?.exclusive);
  const note = exclusive ? h('p', { class: 'exclusive', 'data-exclusive': exclusive.promotion },
    ...bi('不与店铺券、跨店满减、平台券同享', 'takes no store coupon, cross-store reduction or platform coupon')) : null;
  return h('div', { class: 'line', 'data-line': ql.id },
    h('div', { class: 'info' }, h('div', { class: 'name' }, p.name, ...tags), h('div', { class: 'unit' }, p.en, ' · ', yuan(p.unit_price), ' × ', ql.qty),
      h('ul', { class: 'discounts' }, discounts), note, h('label', { class: 'addr' }, ...bi('寄往', 'ship to'), ' ', address)),
    h('div', { class: 'qty' }, minus, qtyInput, plus, remove),
    h('div', { class: 'amounts' },
      h('div', { class: `list${ql.list === ql.final ? ' same' : ''}` }, yuan(ql.list)),
      h('div', { class: 'final' }, yuan(ql.final)),
      ql.deposit ? h('div', { class: 'deposit' }, `定金 deposit ${yuan(ql.deposit)}`) : null));
}

function slotOf(id) {
  const p = promotions.get(id);
  if (!p?.coupon) return null;
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
    // 运费券: a coupon of the shipping stage, applied or not.
    const kind = promotions.get(id)?.stage === 'shipping' ? h('span', { class: 'tag ship-tag' }, '运费券') : null;
    // The whole row is the checkbox's label: a touch target, not a 13 px box.
    return h('li', { class: `coupon${isApplied ? ' applied' : ''}`, 'data-coupon': id },
      h('label', { class: 'coupon-row' }, box,
        h('div', {}, h('div', { class: 'cname' }, ...label(id), kind), h('div', { class: 'status' }, ...status))));
  });
  $('coupons').replaceChildren(...items);
  $('proven').textContent = q.coupons.proven_best ? '✓ 已证明为最优组合 · proven best combination' : '';
}

function renderHints(q) {
  const items = q.hints.map((hint) => {
    const text = hint.rate !== undefined
      ? bi(`再买 ${yuan(hint.add)} 可享 ${zhe(hint.rate)}折`, `spend ${yuan(hint.add)} more for ${hint.rate} of the price`)
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

const COLUMNS = [['商品', 'goods'], ['运费', 'shipping'], ['实付', 'payable'],
  ['店铺出资', 'store-funded'], ['平台补贴', 'platform'], ['国补', 'government'], ['商家实收', 'store receives']];

/** 拆单: the child orders, and who funds what each store receives. On a
 * phone each row is a card whose cells carry their column's name. */
function renderSettlement(s) {
  const head = h('tr', {}, h('th', {}, ...bi('子订单', 'child order')),
    ...COLUMNS.map(([zh, en]) => h('th', {}, ...bi(zh, en))));
  const cells = (doc, attrs) => [doc.goods, doc.shipping, doc.payable, doc.funded.store, doc.funded.platform,
    doc.funded.government, doc.receivable].map((m, c) => h('td', {
      'data-label': `${COLUMNS[c][0]} ${COLUMNS[c][1]}`, class: c === 6 ? 'receivable' : undefined, ...attrs[c],
    }, yuan(m)));
  const row = (o, i) => {
    const info = storeInfo(o.store);
    return h('tr', { 'data-order': i },
      h('td', {}, info.name, ' ', h('span', { class: 'en' }, '→ '), ...addressLabel(o.ship_to)),
      cells(o, { 2: { 'data-order-payable': i }, 6: { 'data-order-receivable': i } }));
  };
  const total = h('tr', { class: 'total' }, h('td', {}, ...bi('合计', 'total')),
    cells(s.total, { 2: { 'data-settle-total': 'payable' }, 5: { 'data-settle-total': 'government' }, 6: { 'data-settle-total': 'receivable' } }));
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
      // Neither waits for the other.
      const [body, serverSplit] = await Promise.all([
        post('api/quote', { rules: catalogue.rules, cart }), post('api/settle', { quote })]);
      verdict = body ? body.digest : null;
      split = serverSplit;
    } catch {
      verdict = undefined;
    }
    if (seq !== serverSeq) return; // a newer edit is being checked
    checkout.serverDigest = verdict ?? null;
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

/** 提交订单: the server prices the cart under its own rules and accepts
 * the order only if the quote on screen is its quote. */
async function submitOrder() {
  const { cart, quote } = checkout;
  if (!quote || checkout.error) return;
  const box = $('order');
  box.hidden = false;
  box.dataset.state = 'submitting';
  box.className = 'order submitting';
  box.replaceChildren(...bi('提交中…', 'placing the order…'));
  submitting = true;
  renderBar(quote);
  let status;
  let body;
  try {
    const res = await fetch('api/order', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cart, digest: quote.digest }),
    });
    status = res.status;
    body = await res.json();
  } catch {
    status = 0;
  }
  const server = body && body.quote;
  let state;
  if (status === 200 && body.accepted) {
    state = 'accepted';
    box.replaceChildren(h('strong', {}, ...bi('✓ 订单已提交', 'order placed')),
      h('span', {}, ...bi(` 实付 ${yuan(server.totals.payable)}，与服务器一致`, 'the server charges exactly what you saw')),
      h('code', {}, server.digest.slice(0, 23), '…'));
  } else if (status === 409) {
    state = 'refused';
    box.replaceChildren(h('strong', {}, ...bi('✗ 订单未提交：价格与服务器不一致', 'ORDER REFUSED: the price on screen is not the server\'s')),
      h('span', {}, ...bi(` 页面 ${yuan(quote.totals.payable)} · 服务器 ${yuan(server.totals.payable)}`,
        'page vs server: the server\'s quote is now on screen; review it and submit again')),
      h('code', {}, `${quote.digest.slice(7, 19)} ≠ ${server.digest.slice(7, 19)}`));
  } else {
    state = 'error';
    const why = body && body.error ? `${body.error.code}: ${body.error.message}` : '服务器不可用 server unreachable';
    box.replaceChildren(h('strong', {}, ...bi('✗ 订单未提交', 'order not placed')), h('span', {}, ` ${why}`));
  }
  checkout.order = { state, status, serverDigest: server ? server.digest : null, digest: quote.digest };
  submitting = false;
  if (state === 'refused' && checkout.quote === quote) {
    // The server's quote wins: show it, so that what the shopper confirms
    // next is what the server charges.
    checkout.quote = server;
    checkout.settlement = settle({ quote: server });
    render(server);
  }
  box.dataset.state = state;
  box.className = `order ${state}`;
  renderBar(checkout.quote);
}

/** On a phone the coupon wallet, hints and totals are a sheet over the
 * cart, opened from the 结算 bar. */
function toggleSheet(open = !document.body.classList.contains('sheet-open')) {
  document.body.classList.toggle('sheet-open', open);
  $('offers-toggle').setAttribute('aria-expanded', String(open));
}

function renderProducts() {
  // A big catalogue offers its first products only.
  const items = catalogue.products.slice(0, 40).map((p) => h('li', {},
    h('span', {}, p.name, ' ', h('span', { class: 'en' }, yuan(p.unit_price))),
    h('button', { type: 'button', 'data-add': p.sku, onclick: () => { addLine(p.sku); reprice(); } }, '+ 加购')));
  $('products').replaceChildren(...items);
}

/** A JSON file beside the page. */
async function load(file) {
  const res = await fetch(file);
  if (!res.ok) throw new Error(`${file}: ${res.status}`);
  return res.json();
}

async function main() {
  // ?catalogue=...&rules=... loads another catalogue of this site (the
  // tests' big cart); never one from elsewhere.
  const params = new URLSearchParams(location.search);
  const local = (name, fallback) => {
    const url = new URL(params.get(name) || fallback, location.href);
    if (url.origin !== location.origin) throw new Error(`${name} must be a file of this site`);
    return url.href;
  };
  const [, shop, rules] = await Promise.all([
    init(), load(local('catalogue', 'catalogue.json')), load(local('rules', 'rules.json'))]);
  catalogue = shop;
  catalogue.rules = rules;
  checkout.rules = catalogue.rules;
  engine = new Engine(catalogue.rules);
  promotions = new Map(catalogue.rules.promotions.map((p) => [p.id, p]));
  products = new Map(catalogue.products.map((p) => [p.sku, p]));
  for (const l of catalogue.cart.lines) addLine(l.sku, l.qty, l.ship_to);
  state.coupons = [...catalogue.cart.coupons];
  const member = $('member');
  member.checked = state.member;
  member.addEventListener('change', () => { state.member = member.checked; reprice(); });
  const subsidy = $('gov-subsidy');
  $('subsidy-switch').hidden = !catalogue.subsidy;
  subsidy.checked = state.subsidy;
  subsidy.addEventListener('change', () => { state.subsidy = subsidy.checked; reprice(); });
  $('now').replaceChildren(catalogue.now.slice(5, 16).replace('T', ' '), ' ', h('span', { class: 'en' }, 'demo clock'));
  $('now').title = catalogue.now;
  $('submit').addEventListener('click', submitOrder);
  // The sheet and the order's outcome sit above the bar, whose height
  // follows its content (a presale adds a line).
  const bar = $('bar');
  new ResizeObserver(() => document.documentElement.style.setProperty('--bar-h', `${bar.offsetHeight}px`)).observe(bar);
  $('offers-toggle').addEventListener('click', () => toggleSheet());
  $('order').addEventListener('click', () => { $('order').hidden = true; });
  $('scrim').addEventListener('click', () => toggleSheet(false));
  $('sheet-close').addEventListener('click', () => toggleSheet(false));
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

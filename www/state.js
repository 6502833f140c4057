// The page's one state, and the only functions that change it. Renders
// read it and build DOM; the handlers they attach call the actions below.
// An action tells the page what changed (`onChange`): an edit of the cart
// is re-priced, a change of what is shown is drawn again.

export const state = {
  /** The catalogue and its rules, read once at start. */
  shop: null,
  /** The cart being edited, as the buyer sees it. */
  cart: { lines: [], coupons: [], mode: 'best', manual: new Set(), nextLine: 1, member: true, subsidy: true, claimable: [] },
  /** The last input and quote that were valid, kept on screen on errors
   * (the tests read it as `window.checkout`). */
  checkout: {
    cart: null, quote: null, rules: null, serverDigest: null, error: null, quotes: 0,
    settlement: null, pricedIn: null, order: null,
  },
  /** The latest pricing (its number: older answers are dropped) and
   * whether it is under way. */
  pricing: { seq: 0, busy: false },
  /** Why the last pricing failed, beyond `checkout.error`: the error's
   * name and the cart it was about. */
  failure: null,
  /** The page could not start: the error. */
  startFailure: null,
  /** Who funds each promotion of the quote on screen (the quote says). */
  funders: new Map(),
  /** The server's check of the quote on screen: `state` is pending,
   * match, mismatch or offline; `split` whether its settlement matched. */
  check: { seq: 0, state: null, digest: null, serverDigest: null, split: null },
  /** The order's outcome box: shown or not, and what it says. */
  orderBox: { shown: false, phase: null, page: null, server: null, why: '' },
  /** An order is being submitted. */
  submitting: false,
  /** On a phone: the sheet of offers and totals is open. */
  sheetOpen: false,
  /** The tenders (抵扣) the buyer switched off: paid with `use: 0`. */
  tenders: { off: new Set() },
  /** 售后: the units picked to return, by line id; the engine's refund of
   * them (`doc`, or its error) and the server's answer to the same request. */
  aftersale: { picks: new Map(), doc: null, error: null, seq: 0, server: null, serverState: null },
};

let listener = () => {};

/** Who hears of changes: `fn(what)`, what = 'cart', 'sheet', 'order' or 'refund'. */
export function onChange(fn) {
  listener = fn;
}

const changed = (what) => listener(what);

// ---- reading the state (no changes) ----

export const product = (sku) => state.shop.products.get(sku);

/** A store's names, or its id where the catalogue has none. */
export const storeInfo = (id) => state.shop.catalogue.stores[id] || { name: id, en: '' };

export const lineById = (id) => state.cart.lines.find((l) => l.id === id);

/** The buyer as the server vouches for them: 88VIP or not, qualified for
 * the 国补 subsidy or not (the page's two demo switches). */
function buyerTags() {
  const { catalogue } = state.shop;
  const switched = [[catalogue.member?.tag, state.cart.member], [catalogue.subsidy?.tag, state.cart.subsidy]];
  const others = catalogue.buyer.tags.filter((t) => !switched.some(([tag]) => tag === t));
  return [...switched.filter(([tag, on]) => tag && on).map(([tag]) => tag), ...others];
}

/** The buyer's addresses with their regions (运费模板 price by region),
 * when the catalogue gives every address one. */
function buyerAddresses() {
  const entries = Object.entries(state.shop.catalogue.addresses || {});
  if (entries.length === 0 || !entries.every(([, a]) => a.region)) return null;
  return Object.fromEntries(entries.map(([id, a]) => [id, { region: a.region }]));
}

/** The cart document for the engine and the server. */
export function cartDocument() {
  const { lines, coupons, mode, manual, claimable } = state.cart;
  const buyer = { tags: buyerTags() };
  const addresses = buyerAddresses();
  if (addresses) buyer.addresses = addresses;
  const doc = {
    at: state.shop.catalogue.now,
    buyer,
    lines: lines.map((l) => {
      const p = product(l.sku);
      const line = { id: l.id, sku: p.sku, store: p.store, category: p.category, unit_price: p.unit_price, qty: l.qty };
      if (p.tags) line.tags = p.tags;
      if (p.presale) line.presale = p.presale;
      if (l.ship_to) line.ship_to = l.ship_to;
      if (p.template) line.template = p.template;
      if (p.weight) line.weight = p.weight;
      return line;
    }),
    coupons,
    // By hand, a ticked claimable coupon is claimed at checkout (领券).
    apply: mode === 'best' ? 'best' : [...coupons, ...claimable].filter((c) => manual.has(c)),
    tenders: cartTenders(),
  };
  if (claimable.length > 0) doc.claimable = claimable;
  return doc;
}

/** The buyer's tenders with their balances (the account's, in a shop); a
 * switched-off one uses nothing. Absent when the catalogue has none. */
function cartTenders() {
  const held = state.shop.catalogue.tenders;
  if (!held || held.length === 0) return undefined;
  const kinds = new Map((state.shop.rules.tenders || []).map((t) => [t.id, t.kind]));
  return held.map(({ id, balance }) => {
    if (!state.tenders.off.has(id)) return { id, balance };
    return { id, balance, use: kinds.get(id) === 'points' ? 0 : '0' };
  });
}

/** The slot a coupon takes (one coupon per slot), or null. */
function slotOf(id) {
  const p = state.shop.promotions.get(id);
  if (!p?.coupon) return null;
  if (p.slot) return p.slot;
  return p.stage === 'store' ? `store:${p.scope.stores[0]}` : p.stage;
}

// ---- the shop and the cart: each edit is re-priced ----

function addLine(sku, qty = 1, shipTo = 'home') {
  const { cart } = state;
  const existing = cart.lines.find((l) => l.sku === sku && l.ship_to === shipTo);
  if (existing && Number.isInteger(existing.qty)) existing.qty += qty;
  else cart.lines.push({ id: `L${cart.nextLine++}`, sku, qty, ship_to: shipTo });
}

/** The catalogue and its rules arrived: the sample cart goes in. */
export function openShop(catalogue, rules) {
  state.shop = {
    catalogue,
    rules,
    products: new Map(catalogue.products.map((p) => [p.sku, p])),
    promotions: new Map(rules.promotions.map((p) => [p.id, p])),
  };
  state.checkout.rules = rules;
  for (const l of catalogue.cart.lines) addLine(l.sku, l.qty, l.ship_to);
  state.cart.coupons = [...catalogue.cart.coupons];
  state.cart.claimable = [...(catalogue.cart.claimable || [])];
}

export function addProduct(sku) {
  addLine(sku);
  changed('cart');
}

/** A change of one line of the cart (a line removed meanwhile is left alone). */
function editLine(id, change) {
  const line = lineById(id);
  if (!line) return;
  change(line);
  changed('cart');
}

/** Whatever was typed goes to the engine, which judges it. */
export function setQty(id, typed) {
  const raw = typed.trim();
  editLine(id, (line) => { line.qty = /^-?\d+$/.test(raw) ? Number(raw) : raw; });
}

/** One up or down; after an invalid entry from `fallback`, the last good
 * quantity. */
export function stepQty(id, delta, fallback) {
  editLine(id, (line) => { line.qty = (Number.isInteger(line.qty) ? line.qty : fallback) + delta; });
}

export function setShipTo(id, address) {
  editLine(id, (line) => { line.ship_to = address; });
}

export function removeLine(id) {
  state.cart.lines = state.cart.lines.filter((l) => l.id !== id);
  changed('cart');
}

export function setMember(on) {
  state.cart.member = on;
  changed('cart');
}

export function setSubsidy(on) {
  state.cart.subsidy = on;
  changed('cart');
}

/** Best or manual; manual starts from the coupons the quote on screen applied. */
export function setMode(mode) {
  state.cart.mode = mode;
  if (mode === 'manual') state.cart.manual = new Set(state.checkout.quote ? state.checkout.quote.coupons.applied : []);
  changed('cart');
}

export function pickCoupon(id, on) {
  const { manual } = state.cart;
  if (on) {
    // One coupon per slot: choosing one puts back its slot-mates.
    const slot = slotOf(id);
    for (const other of [...manual]) if (slot !== null && slotOf(other) === slot) manual.delete(other);
    manual.add(id);
  } else manual.delete(id);
  changed('cart');
}

// ---- pricing and the server's answers ----

/** A pricing starts; its number. */
export function pricingStarted() {
  state.pricing.busy = true;
  state.pricing.seq += 1;
  return state.pricing.seq;
}

export const isLatestPricing = (seq) => seq === state.pricing.seq;

/** Show `quote` (and its settlement) as the quote on screen. */
function show(quote, settlement) {
  state.checkout.quote = quote;
  state.checkout.settlement = settlement;
  state.funders = new Map(quote.promotions.map((p) => [p.id, p.funded_by]));
}

/** The cart was priced: its quote goes on screen. */
export function priced(cart, { quote, settlement, pricedIn }) {
  const { checkout } = state;
  show(quote, settlement);
  Object.assign(checkout, { cart, error: null, quotes: checkout.quotes + 1, pricedIn });
  state.failure = null;
  state.pricing.busy = false;
  // An order's outcome is about the quote it was submitted with.
  if (checkout.order && checkout.order.digest !== quote.digest) state.orderBox.shown = false;
}

/** The cart was not priced: the last good quote stays on screen. */
export function pricingFailed(e, cart) {
  state.checkout.error = { code: e.code, path: e.path, message: e.message };
  state.failure = { name: e.name, cart };
  state.pricing.busy = false;
}

export function startFailed(e) {
  state.startFailure = e;
}

/** The server is asked about the quote on screen; the check's number. */
export function checkStarted() {
  state.check = { ...state.check, seq: state.check.seq + 1, state: 'pending', digest: state.checkout.quote.digest };
  return state.check.seq;
}

export const isLatestCheck = (seq) => seq === state.check.seq;

/** The server's digest (undefined: no answer) and whether its settlement
 * is the page's. */
export function checkAnswered(serverDigest, sameSplit) {
  const { check } = state;
  state.checkout.serverDigest = serverDigest ?? null;
  check.serverDigest = serverDigest;
  check.split = sameSplit ? 'match' : 'mismatch';
  if (serverDigest === undefined) check.state = 'offline';
  else check.state = serverDigest === check.digest ? 'match' : 'mismatch';
}

// ---- the order ----

export function orderSubmitting() {
  state.orderBox = { shown: true, phase: 'submitting', page: state.checkout.quote, server: null, why: '' };
  state.submitting = true;
}

/** The server's answer to the order of `page` (the quote on screen at
 * submit): accepted (200), refused (409, with its own quote) or an error. */
export function orderAnswered(page, { status, body }) {
  const server = body && body.quote;
  let phase = 'error';
  if (status === 200 && body.accepted) phase = 'accepted';
  else if (status === 409) phase = 'refused';
  const why = body && body.error ? `${body.error.code}: ${body.error.message}` : '服务器不可用 server unreachable';
  state.orderBox = { shown: true, phase, page, server, why };
  state.checkout.order = { state: phase, status, serverDigest: server ? server.digest : null, digest: page.digest };
  state.submitting = false;
  return phase;
}

/** The server's quote wins over a refused one: shown, so that what the
 * shopper confirms next is what the server charges. */
export function showServerQuote(quote, settlement) {
  show(quote, settlement);
}

export function hideOrder() {
  state.orderBox.shown = false;
  changed('order');
}

export function toggleSheet(open = !state.sheetOpen) {
  state.sheetOpen = open;
  changed('sheet');
}

// ---- tenders (抵扣) and 售后 ----

/** A tender's switch: on, it pays what it may; off, nothing. */
export function setTenderUse(id, on) {
  if (on) state.tenders.off.delete(id);
  else state.tenders.off.add(id);
  changed('cart');
}

/** `qty` units of line `id` picked to return (0: none). */
export function pickReturn(id, qty) {
  if (qty > 0) state.aftersale.picks.set(id, qty);
  else state.aftersale.picks.delete(id);
  changed('refund');
}

/** The engine's refund of the picked units (`doc`, null when none are
 * picked) or its error; the server's answer is asked anew. Its number. */
export function refundComputed(doc, error) {
  const a = state.aftersale;
  Object.assign(a, { doc, error, seq: a.seq + 1, server: null, serverState: doc ? 'pending' : null });
  state.checkout.refund = doc; // where the tests read it
  return a.seq;
}

export const isLatestRefund = (seq) => seq === state.aftersale.seq;

/** The server's refund of the same request (undefined: no answer). */
export function refundChecked(server) {
  const a = state.aftersale;
  a.server = server ?? null;
  if (server === undefined) a.serverState = 'offline';
  else a.serverState = JSON.stringify(server) === JSON.stringify(a.doc) ? 'match' : 'mismatch';
}

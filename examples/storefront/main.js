// A cart page priced in the browser by the manjian package: one Engine
// for the shop's rules, a quote on every change, and an order submitted
// with the digest of the quote the shopper saw. The order server
// (../order-server) prices the order again from its own catalogue and
// accepts it only if the digests are equal.
import init, { Engine } from 'manjian';
import shop from './shop.json';

let engine; // built once init() has loaded the module
const products = new Map(shop.products.map((p) => [p.sku, p]));

// What the shopper chose; everything else about a line is the catalogue's.
const cart = {
  lines: [
    { id: 'l1', sku: 'tee', qty: 2 },
    { id: 'l2', sku: 'kettle', qty: 1 },
  ],
  coupons: ['tee-200-20', 'plat-500-30'], // the coupons the shopper holds
  apply: 'best', // the engine picks the best set of them
};
let quote;

const $ = (id) => document.getElementById(id);

/** The cart as the engine reads it: each line with its product's terms. */
function priced() {
  const lines = cart.lines.map(({ id, sku, qty }) => {
    const { store, unit_price } = products.get(sku);
    return { id, sku, store, unit_price, qty };
  });
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return { at, lines, coupons: cart.coupons, apply: cart.apply };
}

function reprice() {
  try {
    quote = engine.quote(priced());
  } catch (e) {
    if (e.name !== 'ManjianError') throw e;
    quote = undefined;
    show('error', `${e.code} at ${e.path}: ${e.message}`);
  }
  render();
}

function render() {
  $('submit').disabled = !quote;
  if (!quote) return;
  $('lines').replaceChildren(...quote.lines.map(lineItem));
  const applied = quote.coupons.applied;
  $('coupons').textContent = applied.length ? `已用券 Coupons used: ${applied.join(', ')}` : '未用券 No coupon applies';
  $('saved').textContent = quote.totals.discount;
  $('payable').textContent = quote.totals.payable;
}

function lineItem(ql) {
  const line = cart.lines.find((l) => l.id === ql.id);
  const li = document.createElement('li');
  li.dataset.line = ql.id;
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = `${products.get(line.sku).name} ¥${products.get(line.sku).unit_price} × ${ql.qty}`;
  const off = document.createElement('span');
  off.className = 'off';
  off.textContent = ql.discounts.map((d) => `${d.promotion} −${d.amount}`).join(' · ');
  const final = document.createElement('b');
  final.className = 'final';
  final.textContent = `¥${ql.final}`;
  li.append(name, off, final, stepper('−', line, -1), stepper('+', line, 1));
  return li;
}

function stepper(label, line, step) {
  const b = document.createElement('button');
  b.textContent = label;
  b.setAttribute('aria-label', `${step > 0 ? 'more' : 'fewer'} ${line.sku}`);
  b.disabled = line.qty + step < 1;
  b.onclick = () => {
    line.qty += step;
    show('', '');
    reprice();
  };
  return b;
}

function show(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

$('submit').onclick = async () => {
  $('submit').disabled = true;
  try {
    const res = await fetch('/order', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cart, digest: quote.digest }),
    });
    const answer = await res.json();
    if (res.status === 200) {
      show('accepted', `已提交 Order accepted: ¥${answer.quote.totals.payable}`);
    } else if (res.status === 409) {
      // The server's price differs from what the page showed: show its own.
      quote = answer.quote;
      render();
      show('refused', `价格已变，请确认 Refused: the price is now ¥${answer.quote.totals.payable}`);
    } else {
      show('error', `${answer.error.code} at ${answer.error.path}: ${answer.error.message}`);
    }
  } catch (e) {
    show('error', `提交失败 Could not submit: ${e.message}`);
  } finally {
    $('submit').disabled = !quote;
  }
};

// Not top-level await: Vite's default build target does not allow it.
async function start() {
  await init(); // fetches manjian_bg.wasm once (a no-op in Node)
  engine = new Engine(shop.rules); // the rules parsed and checked once
  reprice();
  window.priced = true; // for the tests: the first quote is on the screen
}

start().catch((e) => show('error', `加载失败 The pricing engine did not load: ${e.message}`));

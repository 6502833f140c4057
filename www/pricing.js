// Pricing: the engine on the page's thread for a usual cart, and a Web
// Worker for a big one, so that typing never waits for it. The engine
// comes as a storefront gets it, from the npm package by its name
// (index.html's import map points `manjian` at pkg/web.js).
import { init, Engine, settle } from 'manjian';

/** Carts with more lines than this are priced in the worker. */
export const BIG_CART_LINES = 150;

// The engines of the rules on screen: here, and in the worker once a big
// cart came. Resources, not page state: nothing renders them.
let rules = null;
let engine = null;
let worker = null;
let workerSeq = 0;
const waiting = new Map();

/** Load the engine's WebAssembly (once). */
export const loadEngine = () => init();

/** Price with these rules from now on. */
export function useRules(shopRules) {
  rules = shopRules;
  engine = new Engine(rules);
}

/** The settlement (拆单) of a quote the engine made; it always settles. */
export const settlementOf = (quote) => settle({ quote });

/** The quote and settlement of `cart`: here for a small cart, in the
 * worker for a big one; throws the engine's error. */
export async function price(cart) {
  if (cart.lines.length <= BIG_CART_LINES) {
    const quote = engine.quote(cart);
    return { quote, settlement: settlementOf(quote), pricedIn: 'page' };
  }
  const id = ++workerSeq;
  const answer = await new Promise((resolve) => {
    waiting.set(id, resolve);
    pricingWorker().postMessage({ id, cart });
  });
  if (answer.error) throw answer.error;
  return { quote: answer.quote, settlement: answer.settlement, pricedIn: 'worker' };
}

/** The worker, started on the first big cart with the rules. */
function pricingWorker() {
  if (worker) return worker;
  worker = new Worker(new URL('./pricing-worker.js', import.meta.url), { type: 'module' });
  worker.postMessage({ rules });
  worker.onmessage = ({ data }) => {
    const done = waiting.get(data.id);
    waiting.delete(data.id);
    if (done) done(data);
  };
  worker.onerror = worker.onmessageerror = workerFailed;
  return worker;
}

/** A worker that cannot run answers every request with the failure, and
 * the next big cart starts a new one. */
function workerFailed(e) {
  const error = { name: 'Error', message: `the pricing worker failed: ${e.message || e.type}` };
  for (const done of waiting.values()) done({ error });
  waiting.clear();
  worker.terminate();
  worker = null;
}

// Prices big carts off the page's thread, so that typing in a quantity
// never waits for the engine. The page sends the rules once ({rules}) and
// then carts ({id, cart}); each answer carries the request's id, the quote
// and its settlement, or the engine's error. A module worker gets no
// import map: it imports the package's browser entry by its path.
import { init, Engine, settle } from './pkg/web.js';

let engine = null;
const ready = init();

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch (e) {
    if (data.id) self.postMessage({ id: data.id, error: { name: 'Error', message: `the engine could not load: ${e}` } });
    return;
  }
  if (data.rules) {
    engine = new Engine(data.rules);
    return;
  }
  try {
    const quote = engine.quote(data.cart);
    self.postMessage({ id: data.id, quote, settlement: settle({ quote }) });
  } catch (e) {
    self.postMessage({ id: data.id, error: { name: e.name, code: e.code, path: e.path, message: e.message } });
  }
};

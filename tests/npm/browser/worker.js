// The worker: build one Engine from the rules the page posts, then quote
// every cart it posts and post the quote back (or the error's name, code
// and path: an Error does not cross postMessage with its own members).
import init, * as m from 'manjian';

let engine;
self.onmessage = async ({ data }) => {
  await init();
  if (data.rules) {
    engine = new m.Engine(data.rules);
    self.postMessage({ inWorker: typeof document === 'undefined', version: m.version() });
    return;
  }
  try {
    self.postMessage({ quote: engine.quote(data.cart) });
  } catch (e) {
    self.postMessage({ error: { name: e.name, code: e.code, path: e.path } });
  }
};

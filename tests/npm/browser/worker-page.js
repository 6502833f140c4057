// A page that prices in a Web Worker: the rules go to the worker once,
// each cart is posted to it and its quote comes back; the page itself
// never loads the engine.
import { example, report } from './common.js';

report((async () => {
  const input = await example();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  let waiting = [];
  worker.onmessage = (e) => waiting.shift().resolve(e.data);
  worker.onerror = (e) => {
    for (const w of waiting) w.reject(new Error(e.message || 'worker failed'));
    waiting = [];
  };
  const ask = (message) => new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    worker.postMessage(message);
  });
  const { inWorker, version } = await ask({ rules: input.rules });
  const { quote } = await ask({ cart: input.cart });
  const again = await ask({ cart: input.cart });
  const { error } = await ask({ cart: { lines: [], colour: 1 } });
  return { digest: quote.digest, payable: quote.totals.payable, engineDigest: again.quote.digest, error, version, inWorker };
})());

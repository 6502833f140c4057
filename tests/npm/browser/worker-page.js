// A page that prices in a Web Worker: the cart goes to the worker, the
// quote comes back; the page itself never loads the engine.
import { example, report } from './common.js';

report((async () => {
  const input = await example();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const reply = new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message || 'worker failed'));
  });
  worker.postMessage(input);
  return reply;
})());

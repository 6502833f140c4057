// The worker: load the engine once, quote what the page posts.
import * as m from 'manjian';
import { priced } from './common.js';

self.onmessage = async (e) => {
  await m.init();
  const r = await priced(m, e.data);
  self.postMessage({ ...r, inWorker: typeof document === 'undefined' });
};

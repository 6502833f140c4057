// A page built by a bundler (Vite or webpack) that imports the package:
// `init` as the default export (wasm-pack's way) and by name.
import init, * as m from 'manjian';
import { example, priced, report } from './common.js';

report((async () => {
  const input = await example();
  if (init !== m.init) throw new Error('the default export is not init');
  await init();
  await m.init(); // a second call shares the first load
  return priced(m, input);
})());

// A page built by a bundler (Vite or webpack) that imports the package.
import * as m from 'manjian';
import { example, priced, report } from './common.js';

report((async () => {
  const input = await example();
  await m.init();
  await m.init(); // a second call shares the first load
  return priced(m, input);
})());

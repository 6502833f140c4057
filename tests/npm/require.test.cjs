// The package loaded with require(): ready at once, `init` a no-op.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const m = require('manjian');
require('./checks.cjs').define('require', m);

test('require: init and initSync exist and do nothing', async () => {
  assert.strictEqual(await m.init(), undefined);
  assert.strictEqual(m.initSync(new Uint8Array(0)), undefined);
  assert.strictEqual(m.quote({ rules: { currency: 'CNY' }, cart: { lines: [] } }).totals.payable, '0.00');
});

test('require: `.default` is init, for `import init` compiled to require', () => {
  assert.strictEqual(m.default, m.init);
});

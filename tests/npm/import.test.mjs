// The package loaded with an ESM import: ready at once, `init` (named or
// the default export) a no-op; the same module as require() gives.
import test from 'node:test';
import assert from 'node:assert';
import { createRequire } from 'node:module';
import init, * as m from 'manjian';
import checks from './checks.cjs';
checks.define('import', m);

test('import: init resolves and the engine is the one require() loads', async () => {
  assert.strictEqual(await m.init(), undefined);
  const required = createRequire(import.meta.url)('manjian');
  assert.strictEqual(m.Engine, required.Engine);
});

test('import: init is also the default export', async () => {
  assert.strictEqual(init, m.init);
  assert.strictEqual(m.default, m.init);
  assert.strictEqual(await init(), undefined);
});

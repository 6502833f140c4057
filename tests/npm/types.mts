// Node ESM consumer (tsc, nodenext): `import` resolves to manjian.d.ts.
import init, { init as namedInit, initSync, quote, Engine, type QuoteInput, type Quote } from 'manjian';

// The default export is init.
const same: typeof namedInit = init;
await init();
await namedInit();
initSync(new Uint8Array(0));
const input: QuoteInput = { rules: { currency: 'CNY' }, cart: { lines: [{ id: 'L', sku: 'a', store: 's', unit_price: '9.90', qty: 2 }] } };
const q: Quote = quote(input);
const engine = new Engine(input.rules);
const payable: string = engine.quote(input.cart).totals.payable;
// @ts-expect-error: init takes no number
await init(42);
void [q, payable, same];

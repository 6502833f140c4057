// The page's one module of money arithmetic (www/money.js), in Node: the
// sums the quote does not hold are exact, at the scale the currency's code
// gives (0 for JPY and the other zero-decimal currencies, 2 for the rest),
// whatever the decimals of the strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currencyScale, totalSaved, feeBefore, isPositive } from '../../www/money.js';

/** A quote with only what the sums read. */
const quote = (currency, discount, shippingOff) => ({
  currency,
  totals: { discount },
  shipping: [{ fee: '0', discounts: shippingOff.map((amount) => ({ promotion: 'p', amount })) }, { fee: '0' }],
});

test('the scale comes from the currency code', () => {
  for (const code of ['JPY', 'KRW', 'VND', 'CLP', 'XOF']) assert.equal(currencyScale(code), 0, code);
  // KWD too: the contract knows the scales 0 and 2 only.
  for (const code of ['CNY', 'USD', 'EUR', 'HKD', 'KWD']) assert.equal(currencyScale(code), 2, code);
});

test('what the buyer saves in all: goods and shipping discounts, exactly', () => {
  assert.equal(totalSaved(quote('CNY', '1540.25', ['6.00', '2.00'])), '1548.25');
  // 0.1 + 0.2 in floating point is 0.30000000000000004.
  assert.equal(totalSaved(quote('USD', '0.10', ['0.20'])), '0.30');
  assert.equal(totalSaved(quote('CNY', '99999999999999999.99', ['0.01'])), '100000000000000000.00');
  assert.equal(totalSaved(quote('JPY', '1540', ['600'])), '2140');
  assert.equal(totalSaved(quote('KRW', '0', [])), '0');
});

test('an amount with more decimals than its currency has is refused, not cut', () => {
  assert.throws(() => totalSaved(quote('JPY', '15.40', [])), /scale 0/);
  assert.throws(() => totalSaved(quote('CNY', '1.005', [])), /scale 2/);
});

test('a fee before its discounts, and the sign of an amount', () => {
  assert.equal(feeBefore({ fee: '0.00', discounts: [{ amount: '6.00' }] }, 'CNY'), '6.00');
  assert.equal(feeBefore({ fee: '500' }, 'JPY'), '500');
  assert.deepEqual(['0.00', '0', '0.01', '100'].map(isPositive), [false, false, true, true]);
});

test("the page's zero-decimal currencies are the engine's", async () => {
  // The engine's list (src/values/money.rs) is the contract's reading; the
  // page must not drift from it.
  const { readFileSync } = await import('node:fs');
  const rust = readFileSync(new URL('../../src/values/money.rs', import.meta.url), 'utf8');
  const list = /const ZERO_DECIMAL: &\[&str\] = &\[([^\]]*)\]/.exec(rust);
  assert.ok(list, 'ZERO_DECIMAL in money.rs');
  const codes = [...list[1].matchAll(/"([A-Z]{3})"/g)].map((m) => m[1]);
  assert.ok(codes.length >= 10, `${codes.length} codes`);
  for (const code of codes) assert.equal(currencyScale(code), 0, code);
  for (const code of ['CNY', 'USD', 'EUR']) assert.equal(currencyScale(code), 2, code);
});

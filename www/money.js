// The sums the quote does not hold (what the buyer saves in all, a fee
// before its discounts), made here and nowhere else: in integer minor
// units (BigInt), at the scale the currency's code decides (PRICING.md:
// 0 for ISO 4217's zero-decimal currencies, 2 for every other code), never
// in floating point. Every other amount on the page is the quote's own
// string.

/** ISO 4217's zero-decimal currencies, as the engine lists them. */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI',
  'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/** The decimals of a currency's money. */
export const currencyScale = (code) => (ZERO_DECIMAL.has(code) ? 0 : 2);

/** An amount ("12.30", "-5") in minor units at `scale`, exactly; an amount
 * with more decimals than its currency has is not the engine's: thrown. */
function minor(amount, scale) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m || (m[3] || '').length > scale) throw new Error(`not an amount at scale ${scale}: ${amount}`);
  const units = BigInt(m[2] + (m[3] || '').padEnd(scale, '0'));
  return m[1] ? -units : units;
}

/** Minor units as an amount with `scale` decimals. */
function major(units, scale) {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** The sum of amounts of `currency`, as an amount of it. */
function sum(amounts, currency) {
  const scale = currencyScale(currency);
  return major(amounts.reduce((total, a) => total + minor(a, scale), 0n), scale);
}

/** What the buyer saves in all: the goods discount and every shipping discount. */
export function totalSaved(quote) {
  const shipping = quote.shipping.flatMap((g) => (g.discounts || []).map((d) => d.amount));
  return sum([quote.totals.discount, ...shipping], quote.currency);
}

/** A package's fee before 包邮 and 运费券 took their part off. */
export function feeBefore(entry, currency) {
  return sum([entry.fee, ...(entry.discounts || []).map((d) => d.amount)], currency);
}

/** Whether an amount is above zero (a sign, no arithmetic). */
export const isPositive = (amount) => !amount.startsWith('-') && /[1-9]/.test(amount);

/** The points of a balance left after using `used` (counts, exactly). */
export const pointsLeft = (balance, used) => (BigInt(balance) - BigInt(used)).toString();

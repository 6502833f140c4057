// CommonJS consumer (tsc, nodenext: `require` resolves to manjian.d.cts),
// type-checked against the installed package (tsc --noEmit): a
// storefront gets completion, and a misspelt field is a type error.
import init, { quote, settle, Engine, type QuoteInput, type Quote, type Settlement, type ManjianError } from 'manjian';

const input: QuoteInput = {
  rules: {
    currency: 'CNY',
    stores: { s1: { shipping: { fee: '10.00', free_over: '99.00' } } },
    promotions: [
      { id: 'xd', kind: 'threshold_off', stage: 'cross_store', every: { at: '300.00', off: '40.00' } },
      { id: 'md', kind: 'markdown', stage: 'item', rate: 0.9, limit_qty: 1, exclusive: true },
      { id: 'mb', kind: 'multi_buy', stage: 'item', buy: 1, get: 1, rate: '0.5', per_sku: true },
      { id: 'gov', kind: 'subsidy', stage: 'subsidy', rate: '0.85', cap: '2000.00', audience: ['gov'] },
      { id: 'ship', kind: 'shipping_off', stage: 'shipping', coupon: true, off: '10.00' },
    ],
  },
  cart: {
    buyer: { tags: ['gov'] },
    lines: [{ id: 'L1', sku: 'tv', store: 's1', unit_price: '2999.00', qty: 1, ship_to: 'home' }],
    coupons: ['ship'],
    apply: 'best',
  },
};
const q: Quote = quote(input);
const payable: string = q.totals.payable;
const shipTo: string | undefined = q.shipping[0]?.ship_to;
const split: Settlement = settle({ quote: q });
const receives: string = split.orders[0].receivable + split.total.funded.government;
const engine = new Engine(input.rules);
const again: Quote = engine.quote(input.cart);
try { quote(input); } catch (e) { const err = e as ManjianError; const code: string = err.code + err.path; void code; }

// @ts-expect-error: unit_price is misspelt
const typo: QuoteInput = { rules: { currency: 'CNY' }, cart: { lines: [{ id: 'L', sku: 'a', store: 's', unitprice: '1', qty: 1 }] } };
// @ts-expect-error: a stage that does not exist
const badStage: QuoteInput = { rules: { currency: 'CNY', promotions: [{ id: 'p', kind: 'threshold_off', stage: 'shop', tiers: [] }] }, cart: { lines: [] } };
// @ts-expect-error: totals are strings, not numbers
const n: number = q.totals.payable;
// @ts-expect-error: max_groups belongs to a multi-buy, not a subsidy
const subsidyCoupon: QuoteInput = { rules: { currency: 'CNY', promotions: [{ id: 'g', kind: 'subsidy', stage: 'subsidy', rate: '0.8', max_groups: 1 }] }, cart: { lines: [] } };
// @ts-expect-error: a cart must have its lines
const noLines: QuoteInput = { rules: { currency: 'CNY' }, cart: {} };
// @ts-expect-error: a quantity is a number, not a string
const qtyText: QuoteInput = { rules: { currency: 'CNY' }, cart: { lines: [{ id: 'L', sku: 'a', store: 's', unit_price: '1', qty: '2' }] } };
// @ts-expect-error: an unused coupon's reason is one of the contract's
const reason: Quote['coupons']['unused'][number]['reason'] = 'expired_yesterday';
// @ts-expect-error: a multi-buy needs buy and get
const noBuy: QuoteInput = { rules: { currency: 'CNY', promotions: [{ id: 'm', kind: 'multi_buy', stage: 'item', rate: '0.5' }] }, cart: { lines: [] } };
void init();
void [payable, again, typo, badStage, n, shipTo, receives, subsidyCoupon, noLines, qtyText, reason, noBuy];

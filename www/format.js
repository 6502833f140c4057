// How the page writes things: money as the quote's own string after ¥,
// rates as 折, digests shortened, and the words for the engine's reasons,
// errors and the settlement's columns (中文 first, English beside).

/** An amount of the quote, as the page shows it. */
export const yuan = (amount) => `¥${amount}`;

/** A rate as 折 (tenths of the price), from its decimal text: "0.85" is
 * 8.5折, "0.875" 8.75折. */
export function zhe(rate) {
  const [whole, frac = ''] = rate.split('.');
  const tenths = `${whole}${frac.charAt(0) || '0'}`.replace(/^0+(?=\d)/, '');
  const rest = frac.slice(1).replace(/0+$/, '');
  return rest ? `${tenths}.${rest}` : tenths;
}

/** A digest with its algorithm, cut to what a badge can hold. */
export const digestHead = (digest) => digest.slice(0, 19);
/** Twelve hex digits of a digest: enough to see two differ. */
export const digestCore = (digest) => String(digest).slice(7, 19);
/** A digest for the order's outcome. */
export const digestLong = (digest) => digest.slice(0, 23);

/** The catalogue's clock as MM-DD HH:MM. */
export const clock = (now) => now.slice(5, 16).replace('T', ' ');

/** An address, short, for a line's address menu. */
export const addressShort = (a) => [a.zh.split(' · ')[0], ' ', a.en.split(',')[0]];

/** A presale product's tag. */
export const presaleTag = (presale) => `预售 定金${presale.deposit}抵${presale.deposit_value}`;

/** Why a held coupon was not applied. */
export const REASONS = {
  unknown_coupon: ['券不存在', 'unknown coupon'],
  inactive: ['不在有效期内', 'not valid at this time'],
  not_eligible: ['仅限指定会员', 'not for this buyer'],
  no_lines_in_scope: ['购物车中没有适用商品', 'nothing in the cart qualifies'],
  threshold_not_met: ['未达使用门槛', 'threshold not reached'],
  not_chosen_best: ['已选更优的组合', 'a better combination was chosen'],
  not_chosen_manual: ['未选用', 'not selected'],
};

/** The engine's errors a shopper can cause, in words. */
export const ERRORS = {
  invalid_quantity: ['数量须为 1–99999 的整数', 'quantity must be a whole number from 1 to 99999'],
  slot_conflict: ['同一类券只能用一张', 'only one coupon of this kind can be used'],
  undeliverable: ['该店铺不配送到这个地址，请换一个收货地址', 'the store does not deliver to this address; choose another'],
};

/** The settlement's money columns, in the order of `settlementCells`. */
export const COLUMNS = [['商品', 'goods'], ['运费', 'shipping'], ['实付', 'payable'],
  ['店铺出资', 'store-funded'], ['平台补贴', 'platform'], ['国补', 'government'], ['商家实收', 'store receives']];

/** A child order's (or the total's) amounts, in the order of COLUMNS. */
export const settlementCells = (doc) => [doc.goods, doc.shipping, doc.payable, doc.funded.store,
  doc.funded.platform, doc.funded.government, doc.receivable];

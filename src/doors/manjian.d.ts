/** Money: a decimal string such as "299.00" (a JS number is accepted on input). */
export type Money = string;
/** Money on input: a decimal string, or a number with at most the currency's decimals. */
export type MoneyInput = string | number;
/** A rate (the share still paid, 8.5折 = "0.85"): above 0 and at most 1, with at most 4 decimals. */
export type RateInput = string | number;
/** An RFC 3339 timestamp with an offset, e.g. "2026-11-11T20:00:00+08:00". */
export type Timestamp = string;
/**
 * The stage a promotion applies in, in this order: `item` (markdowns, multi-buys, presale),
 * `store` (one store's 满减 and coupons, 店铺券), `cross_store` (跨店满减), `platform` (平台券),
 * `subsidy` (国补) and `shipping` (包邮, 运费券).
 */
export type Stage = "item" | "store" | "cross_store" | "platform" | "subsidy" | "shipping";
/** Who pays for a promotion's discount: the store, the platform or the government (国补). Settlement sums discounts by it. */
export type Funder = "store" | "platform" | "government";
/**
 * A promotion's kind: `markdown` (直降, 秒杀), `multi_buy` (第N件X折, 第二件半价, 买N免M),
 * `threshold_off` (满减, 每满减), `threshold_rate` (满折), `subsidy` (国补, 以旧换新)
 * or `shipping_off` (包邮, 运费券).
 */
export type Kind = "markdown" | "multi_buy" | "threshold_off" | "threshold_rate" | "subsidy" | "shipping_off";
/** What a threshold counts: `amount` (money, the default) or `count` (units of the lines in scope, 满件). */
export type Basis = "amount" | "count";
/** The amounts a threshold is judged on: `list` prices, or the amounts after the `item`, `store` or `cross_store` stage. */
export type Snapshot = "list" | "item" | "store" | "cross_store";

/** Which lines a promotion covers: a line is in scope when it matches every list present. An empty list matches nothing. */
export interface Scope {
  /** Store ids: the line's store must be one of them. A store-stage promotion names exactly one store. */
  stores?: string[];
  /** Skus: the line's sku must be one of them. */
  skus?: string[];
  /** Categories: the line's category must be one of them. */
  categories?: string[];
  /** Tags: the line must have at least one of them. */
  tags?: string[];
  /** Skus that are never in scope. */
  exclude_skus?: string[];
  /** Tags that put a line out of scope: a line with any of them is not covered. */
  exclude_tags?: string[];
}
/** When a promotion is active: from `from` (inclusive) until `to` (exclusive). Any window, even an empty one, needs the cart's `at`. */
export interface Window {
  /** Start, inclusive. Absent: no start. */
  from?: Timestamp;
  /** End, exclusive. Absent: no end. */
  to?: Timestamp;
}
/** Fields every promotion has. */
interface PromotionCommon {
  /** The promotion's id, unique in the rules (at most 64 characters). Coupons are held and applied by it. */
  id: string;
  /** The stage it applies in. */
  stage: Stage;
  /** Which lines it covers. Absent: every line. */
  scope?: Scope;
  /** When it is active. Absent: always. */
  window?: Window;
  /** `true`: it applies only when chosen from the buyer's held coupons (店铺券, 平台券, 运费券). Default `false`, not allowed on item and subsidy promotions. */
  coupon?: boolean;
  /** Coupons sharing a slot are mutually exclusive. Default `store:<S>` for a store coupon of store S, else the stage name. */
  slot?: string;
  /** Order inside its stage, ascending (default 0). Ties go to non-coupons first, then to the id in byte order. */
  priority?: number;
  /** Who pays for its discount. Default `store` for item and store promotions, `government` for a subsidy, `platform` otherwise. */
  funded_by?: Funder;
  /** Threshold kinds only: the snapshot its threshold is judged on, earlier than its own stage. Absent: the amounts entering its own stage. */
  threshold_on?: Snapshot;
  /** Buyer tags it is for (会员价, 新人价): absent, every buyer is eligible, else a buyer with at least one of them. An empty list is never eligible. */
  audience?: string[];
}
/** 直降, 限时折扣, 秒杀: a sale price for each unit of the lines in scope. Exactly one of `price`, `off` or `rate`. */
export interface MarkdownPromotion extends PromotionCommon {
  /** Always "markdown". */
  kind: "markdown";
  /** Always "item". */
  stage: "item";
  /** The unit sale price. */
  price?: MoneyInput;
  /** Money off each unit. */
  off?: MoneyInput;
  /** The share of the unit price still paid, rounded per unit. */
  rate?: RateInput;
  /** 限购: at most this many units of one sku in the whole cart get the sale price, in cart order. The rest keep the list price. */
  limit_qty?: number;
  /** 不与其他优惠同享: a line it takes money off gets no store, cross-store or platform promotion. */
  exclusive?: boolean;
}
/** 第N件X折 / 第二件半价 (buy 1, get 1, rate 0.5) / 买二免一 (buy 2, get 1, price "0"). */
export interface MultiBuyPromotion extends PromotionCommon {
  /** Always "multi_buy". */
  kind: "multi_buy";
  /** Always "item". */
  stage: "item";
  /** Units in scope form groups of `buy` + `get` units. These `buy` units of each group keep their amount. */
  buy: number;
  /** The cheapest units of each group, the ones discounted by exactly one of `price`, `off` or `rate`. */
  get: number;
  /** `true`: groups are formed within one sku (同款). Default `false`: any units in scope (任选). */
  per_sku?: boolean;
  /** At most this many groups in the whole cart. Absent: no limit. */
  max_groups?: number;
  /** The discounted units' unit sale price ("0" makes them free). */
  price?: MoneyInput;
  /** Money off each discounted unit. */
  off?: MoneyInput;
  /** The share still paid of each discounted unit, rounded per unit. */
  rate?: RateInput;
  /** 不与其他优惠同享: a line it takes money off gets no store, cross-store or platform promotion. */
  exclusive?: boolean;
}
/** 满减, 每满减, 满件减 (and threshold-free coupons, 无门槛券): money off the lines in scope once their base reaches a threshold. Exactly one of `tiers` or `every`. */
export interface ThresholdOffPromotion extends PromotionCommon {
  /** Always "threshold_off". */
  kind: "threshold_off";
  /** `amount` (default, `at` is money, the base is the lines' amounts) or `count` (`at` is units, the base is their quantity, 满件减). */
  basis?: Basis;
  /** Tiers in any order: the highest `at` the base reaches gives its `off`. */
  tiers?: OffTier[];
  /** 每满减: `off` for every full `at` of the base, at most `cap` in all (每满300减40 is at 300, off 40). */
  every?: Every;
}
/** A tier of a `threshold_off` promotion. */
export interface OffTier {
  /** The threshold the base must reach: money, or units with `basis: "count"`. */
  at: MoneyInput;
  /** The money off once it is reached. */
  off: MoneyInput;
}
/** 每满减: `off` for every full `at` of the base. */
export interface Every {
  /** The step: money, or units with `basis: "count"`. */
  at: MoneyInput;
  /** The money off per full step. */
  off: MoneyInput;
  /** The most money off in all. Absent: no cap. */
  cap?: MoneyInput;
}
/** 满折, 满件折, 折扣券: a rate on the lines in scope once their base reaches a threshold. */
export interface ThresholdRatePromotion extends PromotionCommon {
  /** Always "threshold_rate". */
  kind: "threshold_rate";
  /** `amount` (default, `at` is money) or `count` (`at` is units, 满件折). */
  basis?: Basis;
  /** Tiers in any order: the highest `at` the base reaches gives its `rate`, the share still paid. */
  tiers: RateTier[];
  /** The most money it may take off. Absent: no cap. */
  cap?: MoneyInput;
}
/** A tier of a `threshold_rate` promotion. */
export interface RateTier {
  /** The threshold the base must reach: money, or units with `basis: "count"`. */
  at: MoneyInput;
  /** The share still paid once it is reached (8折 is "0.8"). */
  rate: RateInput;
}
/** 国补 / 以旧换新: the share still paid, capped per unit, at most limit_qty units. */
export interface SubsidyPromotion extends PromotionCommon {
  /** Always "subsidy". */
  kind: "subsidy";
  /** Always "subsidy", after every other goods promotion. */
  stage: "subsidy";
  /** The share of each unit's amount the buyer still pays (a 15% subsidy is "0.85"). */
  rate: RateInput;
  /** The most money off per unit. Absent: no cap. */
  cap?: MoneyInput;
  /** At most this many units in the whole cart, taken in cart order. Absent: no limit. */
  limit_qty?: number;
}
/** 包邮 (a non-coupon on every qualifying group) / 运费券 (a coupon, on one group). */
export interface ShippingOffPromotion extends PromotionCommon {
  /** Always "shipping_off". */
  kind: "shipping_off";
  /** Always "shipping". */
  stage: "shipping";
  /** The most money taken off a group's fee. Absent: the whole fee. */
  off?: MoneyInput;
  /** The sum of the final amounts of a group's lines in scope must reach it for the group to qualify. Absent: no threshold. */
  at?: MoneyInput;
}
/** Any promotion, told apart by `kind`. */
export type Promotion =
  | MarkdownPromotion | MultiBuyPromotion | ThresholdOffPromotion | ThresholdRatePromotion
  | SubsidyPromotion | ShippingOffPromotion;

/** The merchant's and platform's catalogue of promotions. */
export interface Rules {
  /** ISO 4217 code, three upper-case letters. It decides every amount's decimals (2, or 0 for JPY, KRW and the like). */
  currency: string;
  /** Shipping by store id: each shipping group pays `fee`, or nothing once its lines' finals reach `free_over` (包邮). A store missing here charges no shipping. */
  stores?: Record<string, StoreRules>;
  /** How long after the cart's `at` price protection (价保) holds, in days of 24 hours. Default 30. */
  price_protection_days?: number;
  /** The promotions, each with an id unique in the rules. Absent: none. */
  promotions?: Promotion[];
}
/** A store's entry in `rules.stores`. */
export interface StoreRules {
  /** Its shipping. Absent: it charges none. */
  shipping?: StoreShipping;
}
/** A store's shipping, per shipping group (its lines to one address). */
export interface StoreShipping {
  /** The fee a group pays. */
  fee: MoneyInput;
  /** 包邮: no fee once the group's lines' finals reach it. Absent: the fee always applies. */
  free_over?: MoneyInput;
}
/** A cart line: a quantity of one sku from one store. */
export interface CartLine {
  /** The line's id, unique in the cart. */
  id: string;
  /** The product's sku, matched by scopes and by 限购. */
  sku: string;
  /** The selling store's id. */
  store: string;
  /** The product's category, matched by scopes. */
  category?: string;
  /** The product's catalogue tags, matched by scopes (a subsidy's qualifying lines, for example). */
  tags?: string[];
  /** The list price of one unit. */
  unit_price: MoneyInput;
  /** The number of units, an integer from 1 to 99999. */
  qty: number;
  /** 预售定金膨胀, per unit: the `deposit` paid counts as `deposit_value` (paying 50 counts as 100). Needs deposit ≤ deposit_value ≤ unit_price. */
  presale?: Presale;
  /** One of the buyer's addresses (多地址): each store's lines per address ship as one group. */
  ship_to?: string;
}
/** 预售定金膨胀, per unit. */
export interface Presale {
  /** What the buyer pays in advance for one unit. */
  deposit: MoneyInput;
  /** What that deposit counts as against the unit's price. */
  deposit_value: MoneyInput;
}
/** What the buyer is, as the server vouches for it ("88vip", "plus", "new", ...). */
export interface Buyer {
  /** The buyer's tags, matched against promotions' `audience`. Absent: none. */
  tags?: string[];
}
/** The buyer's cart. */
export interface Cart {
  /** The quote's only "now", at which windows are judged. Absent: only promotions without a window apply. */
  at?: Timestamp;
  /** Who is buying. Absent: a buyer without tags. */
  buyer?: Buyer;
  /** The lines, in cart order (may be empty). */
  lines: CartLine[];
  /** The coupon ids the buyer holds, without duplicates. */
  coupons?: string[];
  /** "best" (default): the engine picks the best set of held coupons. Or the held coupon ids to apply, at most one per slot. */
  apply?: "best" | string[];
}
/** What `quote` takes: the rules and the cart. */
export interface QuoteInput {
  /** The catalogue of promotions, owned by the server. */
  rules: Rules;
  /** The buyer's cart. */
  cart: Cart;
}

/** One promotion's share of the money taken off a line (分摊). */
export interface LineDiscount {
  /** The promotion's id, or "presale" for a deposit expansion (定金膨胀). */
  promotion: string;
  /** The stage it applied in. */
  stage: Stage;
  /** The money it took off this line. */
  amount: Money;
}
/** A cart line as priced. */
export interface QuoteLine {
  /** The cart line's id. */
  id: string;
  /** The line's store. */
  store: string;
  /** The line's address, only when the cart line has one. */
  ship_to?: string;
  /** The line's quantity. */
  qty: number;
  /** unit_price times qty, before any discount. */
  list: Money;
  /** What the line finally costs: `list` minus the sum of its discounts. Refunds and 价保 read it. */
  final: Money;
  /** Its discounts in the order applied (markdown, multi-buys, presale, then the later stages). Zero shares are left out. */
  discounts: LineDiscount[];
  /** The deposit paid for the line (deposit times qty), only on presale lines. */
  deposit?: Money;
}
/**
 * Why a held coupon was not applied, the first that holds: `unknown_coupon` (no coupon has that id),
 * `inactive` (outside its window), `not_eligible` (its audience does not match the buyer),
 * `no_lines_in_scope`, `threshold_not_met` (no tier is met in this quote), `not_chosen`
 * (it would not lower payable, its slot went to another coupon, or `apply` did not list it).
 */
export type UnusedReason =
  | "unknown_coupon" | "inactive" | "not_eligible" | "no_lines_in_scope" | "threshold_not_met" | "not_chosen";
/** A spend-more hint (凑单): how much more would reach a threshold promotion's next tier. */
export interface Hint {
  /** The threshold promotion's id. */
  promotion: string;
  /** How much its base still needs to reach the next tier. */
  add: Money;
  /** A `threshold_off` only: how much more the next tier would take off. */
  extra_off?: Money;
  /** A `threshold_rate` only: the next tier's rate, the share still paid. */
  rate?: string;
}
/** A promotion that took money off, with its total. */
export interface PromotionTotal {
  /** The promotion's id. */
  id: string;
  /** The stage it applied in. */
  stage: Stage;
  /** Who pays for it. */
  funded_by: Funder;
  /** Whether it is a coupon. */
  coupon: boolean;
  /** The money it took off in all, the sum over its lines (or shipping groups). */
  amount: Money;
}
/** The money a shipping promotion (包邮, 运费券) took off one shipping group's fee. */
export interface ShippingDiscount {
  /** The shipping promotion's id. */
  promotion: string;
  /** The money it took off the group's fee. */
  amount: Money;
}
/** A shipping group (a store and an address): the fee charged, after its discounts. */
export interface ShippingFee {
  /** The store's id. */
  store: string;
  /** The group's address, only for a group of lines with one. */
  ship_to?: string;
  /** What the buyer pays for the group's shipping, after shipping promotions. The fee before them is `fee` plus the discounts. */
  fee: Money;
  /** The shipping promotions that took money off the group, in application order. Present only when one did. */
  discounts?: ShippingDiscount[];
}
/** A held coupon that was not applied. */
export interface Unused {
  /** The coupon id, as held. */
  id: string;
  /** Why it was not applied. */
  reason: UnusedReason;
}
/** What became of the buyer's held coupons. */
export interface CouponReport {
  /** The coupons applied, in application order. */
  applied: string[];
  /** Every held coupon not applied, in the order of the cart's `coupons`. */
  unused: Unused[];
  /** `true` when `apply` was "best" and the engine proved that no other choice of held coupons gives a lower payable. Otherwise `false`, also when the search budget ran out. */
  proven_best: boolean;
}
/** The quote's totals. */
export interface Totals {
  /** The sum of the lines' `list`. */
  list: Money;
  /** The money taken off the goods: `list` minus the sum of the lines' finals. Shipping discounts are not in it. */
  discount: Money;
  /** The sum of the shipping groups' fees, after shipping promotions. */
  shipping: Money;
  /** What the order costs the buyer: goods (the sum of the lines' finals) plus `shipping`. */
  payable: Money;
  /** The sum of the presale lines' deposits. */
  deposit_paid: Money;
  /** What the buyer pays at checkout: `payable` minus the deposits paid, each at most its line's final (for presale lines, the balance 尾款). */
  due: Money;
  /** The deposits above their line's final, given back. */
  deposit_refund: Money;
}
/** A quote: what every line finally costs, and why. */
export interface Quote {
  /** The rules' currency. */
  currency: string;
  /** The priced lines, in cart order. */
  lines: QuoteLine[];
  /** Every promotion that took money off, in application order. The "presale" pseudo-promotion shows on the lines only. */
  promotions: PromotionTotal[];
  /** One entry per shipping group, in the order of their first line. */
  shipping: ShippingFee[];
  /** What became of the held coupons. */
  coupons: CouponReport;
  /** Spend-more hints (凑单), in application order. */
  hints: Hint[];
  /** The totals. */
  totals: Totals;
  /** "sha256:<hex>" of the canonical quote: equal digests, equal quotes. */
  digest: string;
}

/** What `refund` takes (退款): a quote and the units returned. */
export interface RefundInput {
  /** The quote the order was placed with. Its digest is not re-checked. */
  quote: Quote;
  /** Per line: `qty` units returned now (0 only states earlier returns), after `returned_before` units returned earlier (default 0). */
  returns: Return[];
}
/** One line's returned units. */
export interface Return {
  /** The line's id in the quote. */
  line: string;
  /** Units returned now (0 only states earlier returns). */
  qty: number;
  /** Units of the line returned earlier. Default 0. */
  returned_before?: number;
}
/** The money refunded for one line's returned units. */
export interface LineRefund {
  /** The line's id. */
  line: string;
  /** The returned units' shares of the line's final, to the cent. */
  amount: Money;
}
/** A shipping group's fee, refunded with the return that completes the group. */
export interface ShippingRefund {
  /** The group's store. */
  store: string;
  /** The group's address, only for a group that has one. */
  ship_to?: string;
  /** The group's fee, as quoted. */
  amount: Money;
}
/** A refund (退款): per line, per shipping fee and in all. */
export interface Refund {
  /** One entry per returned line, in request order. */
  lines: LineRefund[];
  /** The shipping fees refunded, in the quote's shipping order. Fees of 0 are not listed. */
  shipping: ShippingRefund[];
  /** The sum of the lines and the shipping refunded. */
  total: Money;
}
/** What `protect` takes (价保): the original order, new rules and a new time. */
export interface ProtectInput {
  /** The input the order was quoted with. Its cart must have `at`. */
  original: QuoteInput;
  /** The new rules, in the original currency. */
  rules: Rules;
  /** The new time. Claims hold from the original `at` for the original rules' `price_protection_days`. */
  at: Timestamp;
  /** Coupon ids the buyer can claim at the new time, added to the held ones (领券也能价保). */
  claimable?: string[];
  /** Units of a line already refunded, which are owed nothing. Entries for one line add up. */
  refunded?: RefundedUnits[];
}
/** Units of one line already refunded. */
export interface RefundedUnits {
  /** The line's id in the original cart. */
  line: string;
  /** How many of its units. */
  qty: number;
}
/** Why a claim is 0: `expired`, the new time is outside the price protection window. */
export type ClaimReason = "expired";
/** What one line is owed. */
export interface LineClaim {
  /** The line's id. */
  line: string;
  /** The drop of the line's final under the new rules, for its units not refunded, rounded down to the cent. */
  amount: Money;
  /** Present only when the claim is outside the window. */
  reason?: ClaimReason;
}
/** What price protection (价保) owes. */
export interface Protection {
  /** One claim per line, in cart order. */
  lines: LineClaim[];
  /** The sum of the claims. */
  total: Money;
}

/** What `settle` takes: a quote. */
export interface SettleInput {
  /** The quote to split into child orders (拆单). Its digest is not re-checked. */
  quote: Quote;
}
/** Discounts by who funded them. */
export interface Funded {
  /** The discounts the store pays for, presale expansions included. */
  store: Money;
  /** The discounts the platform pays for. */
  platform: Money;
  /** The discounts the government pays for (国补). */
  government: Money;
}
/** A child order (拆单): a store's lines to one address. receivable (商家实收) = payable + platform + government. */
export interface ChildOrder {
  /** The order's store. */
  store: string;
  /** The order's address, only when its lines have one. */
  ship_to?: string;
  /** Its line ids, in cart order. */
  lines: string[];
  /** The sum of its lines' `list`. */
  list: Money;
  /** The sum of its lines' `final`. */
  goods: Money;
  /** Its shipping group's fee, 0 without one. */
  shipping: Money;
  /** `goods` plus `shipping`, what the buyer pays for it. */
  payable: Money;
  /** Its lines' discounts and its group's shipping discounts, by who funded them. */
  funded: Funded;
  /** 商家实收, what the marketplace settles to the store: `payable` plus what the platform and the government funded. */
  receivable: Money;
}
/** The child orders summed. */
export interface SettlementTotal {
  /** The sum of the orders' `list`. */
  list: Money;
  /** The sum of the orders' `goods`. */
  goods: Money;
  /** The sum of the orders' `shipping`. */
  shipping: Money;
  /** The sum of the orders' `payable`. */
  payable: Money;
  /** The sum of the orders' `funded`, by funder. */
  funded: Funded;
  /** The sum of the orders' `receivable` (商家实收). */
  receivable: Money;
}
/** A settlement (拆单, 结算): the quote split into child orders. */
export interface Settlement {
  /** One per distinct store and address of the lines, in the order of their first line. */
  orders: ChildOrder[];
  /** The orders summed. */
  total: SettlementTotal;
}

/**
 * Why an input was rejected: `invalid_json` (bad JSON, or the wrong type where an object, array,
 * boolean or string was expected), `missing_field`, `unknown_field` (usually a typo), `invalid_amount`,
 * `invalid_rate`, `invalid_quantity`, `invalid_time`, `invalid_id`, `duplicate_id`, `invalid_promotion`,
 * `coupon_not_held`, `slot_conflict` (two applied coupons in one slot) or `limit_exceeded`.
 * `internal_error`, `unavailable` and `request_timeout` are not the input's fault but the engine's or the server's.
 */
export type ErrorCode =
  | "invalid_json" | "missing_field" | "unknown_field" | "invalid_amount" | "invalid_rate"
  | "invalid_quantity" | "invalid_time" | "invalid_id" | "duplicate_id" | "invalid_promotion"
  | "coupon_not_held" | "slot_conflict" | "limit_exceeded"
  // Not the input's fault: the engine's own failure.
  | "internal_error" | "unavailable" | "request_timeout";
/** What every function throws on invalid input. Its `message` says what is wrong. */
export interface ManjianError extends Error {
  /** The contract's error code. */
  code: ErrorCode;
  /** Where the offending value is, e.g. "cart.lines[2].unit_price" ("" for the whole document). */
  path: string;
}

/** Money: a decimal string such as "299.00" (a JS number is accepted on input). */
export type Money = string;
/** Money on input: a decimal string, or a number with at most the currency's decimals. */
export type MoneyInput = string | number;
/** A rate (the share still paid, 8.5折 = "0.85"): 0 < rate <= 1, at most 4 decimals. */
export type RateInput = string | number;
/** An RFC 3339 timestamp with an offset, e.g. "2026-11-11T20:00:00+08:00". */
export type Timestamp = string;
export type Stage = "item" | "store" | "cross_store" | "platform" | "subsidy" | "shipping";
export type Funder = "store" | "platform" | "government";
export type Kind = "markdown" | "multi_buy" | "threshold_off" | "threshold_rate" | "subsidy" | "shipping_off";
export type Basis = "amount" | "count";
export type Snapshot = "list" | "item" | "store" | "cross_store";

export interface Scope {
  stores?: string[]; skus?: string[]; categories?: string[]; tags?: string[];
  exclude_skus?: string[]; exclude_tags?: string[];
}
export interface Window { from?: Timestamp; to?: Timestamp; }
interface PromotionCommon {
  id: string;
  stage: Stage;
  scope?: Scope;
  window?: Window;
  coupon?: boolean;
  slot?: string;
  priority?: number;
  funded_by?: Funder;
  threshold_on?: Snapshot;
  /** Buyer tags it is for (a member price, 新人价): absent, every buyer; [] none. */
  audience?: string[];
}
export interface MarkdownPromotion extends PromotionCommon {
  kind: "markdown"; stage: "item";
  price?: MoneyInput; off?: MoneyInput; rate?: RateInput; limit_qty?: number;
  /** 不与其他优惠同享: a line it takes money off gets no store, cross-store or platform promotion. */
  exclusive?: boolean;
}
/** 第N件X折 / 第二件半价 (buy 1, get 1, rate 0.5) / 买二免一 (buy 2, get 1, price "0"). */
export interface MultiBuyPromotion extends PromotionCommon {
  kind: "multi_buy"; stage: "item";
  buy: number; get: number; per_sku?: boolean; max_groups?: number;
  price?: MoneyInput; off?: MoneyInput; rate?: RateInput;
  exclusive?: boolean;
}
export interface ThresholdOffPromotion extends PromotionCommon {
  kind: "threshold_off";
  basis?: Basis;
  tiers?: { at: MoneyInput; off: MoneyInput }[];
  every?: { at: MoneyInput; off: MoneyInput; cap?: MoneyInput };
}
export interface ThresholdRatePromotion extends PromotionCommon {
  kind: "threshold_rate";
  basis?: Basis;
  tiers: { at: MoneyInput; rate: RateInput }[];
  cap?: MoneyInput;
}
/** 国补 / 以旧换新: the share still paid, capped per unit, at most limit_qty units. */
export interface SubsidyPromotion extends PromotionCommon {
  kind: "subsidy"; stage: "subsidy";
  rate: RateInput; cap?: MoneyInput; limit_qty?: number;
}
/** 包邮 (a non-coupon on every qualifying group) / 运费券 (a coupon, on one group). */
export interface ShippingOffPromotion extends PromotionCommon {
  kind: "shipping_off"; stage: "shipping";
  off?: MoneyInput; at?: MoneyInput;
}
export type Promotion =
  | MarkdownPromotion | MultiBuyPromotion | ThresholdOffPromotion | ThresholdRatePromotion
  | SubsidyPromotion | ShippingOffPromotion;

/** The merchant's and platform's catalogue of promotions. */
export interface Rules {
  currency: string;
  stores?: Record<string, { shipping?: { fee: MoneyInput; free_over?: MoneyInput } }>;
  price_protection_days?: number;
  promotions?: Promotion[];
}
export interface CartLine {
  id: string; sku: string; store: string; category?: string; tags?: string[];
  unit_price: MoneyInput; qty: number;
  presale?: { deposit: MoneyInput; deposit_value: MoneyInput };
  /** One of the buyer's addresses (多地址): each store's lines per address ship as one group. */
  ship_to?: string;
}
/** What the buyer is, as the server vouches for it ("88vip", "plus", "new", ...). */
export interface Buyer { tags?: string[]; }
/** The buyer's cart. */
export interface Cart {
  at?: Timestamp;
  buyer?: Buyer;
  lines: CartLine[];
  coupons?: string[];
  apply?: "best" | string[];
}
export interface QuoteInput { rules: Rules; cart: Cart; }

export interface LineDiscount { promotion: string; stage: Stage; amount: Money; }
export interface QuoteLine {
  id: string; store: string; ship_to?: string; qty: number; list: Money; final: Money;
  discounts: LineDiscount[]; deposit?: Money;
}
export type UnusedReason =
  | "unknown_coupon" | "inactive" | "not_eligible" | "no_lines_in_scope" | "threshold_not_met" | "not_chosen";
export interface Hint { promotion: string; add: Money; extra_off?: Money; rate?: string; }
export interface PromotionTotal { id: string; stage: Stage; funded_by: Funder; coupon: boolean; amount: Money; }
export interface ShippingDiscount { promotion: string; amount: Money; }
/** A shipping group (a store and an address): the fee charged, after its discounts (present only when one applied). */
export interface ShippingFee { store: string; ship_to?: string; fee: Money; discounts?: ShippingDiscount[]; }
export interface Unused { id: string; reason: UnusedReason; }
export interface CouponReport { applied: string[]; unused: Unused[]; proven_best: boolean; }
export interface Totals {
  list: Money; discount: Money; shipping: Money; payable: Money;
  deposit_paid: Money; due: Money; deposit_refund: Money;
}
/** A quote: what every line finally costs, and why. */
export interface Quote {
  currency: string;
  lines: QuoteLine[];
  promotions: PromotionTotal[];
  shipping: ShippingFee[];
  coupons: CouponReport;
  hints: Hint[];
  totals: Totals;
  /** "sha256:<hex>" of the canonical quote: equal digests, equal quotes. */
  digest: string;
}

export interface RefundInput {
  quote: Quote;
  returns: { line: string; qty: number; returned_before?: number }[];
}
export interface LineRefund { line: string; amount: Money; }
export interface ShippingRefund { store: string; ship_to?: string; amount: Money; }
export interface Refund { lines: LineRefund[]; shipping: ShippingRefund[]; total: Money; }
export interface ProtectInput {
  original: QuoteInput;
  rules: Rules;
  at: Timestamp;
  claimable?: string[];
  refunded?: { line: string; qty: number }[];
}
export type ClaimReason = "expired";
export interface LineClaim { line: string; amount: Money; reason?: ClaimReason; }
export interface Protection { lines: LineClaim[]; total: Money; }

export interface SettleInput { quote: Quote; }
/** Discounts by who funded them. */
export interface Funded { store: Money; platform: Money; government: Money; }
/** A child order (拆单): a store's lines to one address. receivable (商家实收) = payable + platform + government. */
export interface ChildOrder {
  store: string; ship_to?: string; lines: string[];
  list: Money; goods: Money; shipping: Money; payable: Money; funded: Funded; receivable: Money;
}
export interface SettlementTotal {
  list: Money; goods: Money; shipping: Money; payable: Money; funded: Funded; receivable: Money;
}
export interface Settlement { orders: ChildOrder[]; total: SettlementTotal; }

export type ErrorCode =
  | "invalid_json" | "missing_field" | "unknown_field" | "invalid_amount" | "invalid_rate"
  | "invalid_quantity" | "invalid_time" | "invalid_id" | "duplicate_id" | "invalid_promotion"
  | "coupon_not_held" | "slot_conflict" | "limit_exceeded"
  // Not the input's fault: the engine's own failure.
  | "internal_error" | "unavailable" | "request_timeout";
/** What every function throws on invalid input. */
export interface ManjianError extends Error { code: ErrorCode; path: string; }

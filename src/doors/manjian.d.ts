/** Money: a decimal string such as "299.00" (a JS number is accepted on input). */
export type Money = string;
/** Money on input: a decimal string, or a number with at most the currency's decimals. */
export type MoneyInput = string | number;
/** A rate (the share still paid, 8.5折 = "0.85"): 0 < rate <= 1, at most 4 decimals. */
export type RateInput = string | number;
/** An RFC 3339 timestamp with an offset, e.g. "2026-11-11T20:00:00+08:00". */
export type Timestamp = string;
export type Stage = "item" | "store" | "cross_store" | "platform";
export type Funder = "store" | "platform";
export type Kind = "markdown" | "threshold_off" | "threshold_rate";
export type Basis = "amount" | "count";
export type Snapshot = "list" | "item" | "store" | "cross_store";

export interface Scope {
  stores?: string[]; skus?: string[]; categories?: string[]; tags?: string[]; exclude_skus?: string[];
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
}
export interface MarkdownPromotion extends PromotionCommon {
  kind: "markdown"; stage: "item";
  price?: MoneyInput; off?: MoneyInput; rate?: RateInput; limit_qty?: number;
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
export type Promotion = MarkdownPromotion | ThresholdOffPromotion | ThresholdRatePromotion;

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
}
/** The buyer's cart. */
export interface Cart {
  at?: Timestamp;
  lines: CartLine[];
  coupons?: string[];
  apply?: "best" | string[];
}
export interface QuoteInput { rules: Rules; cart: Cart; }

export interface LineDiscount { promotion: string; stage: Stage; amount: Money; }
export interface QuoteLine {
  id: string; store: string; qty: number; list: Money; final: Money;
  discounts: LineDiscount[]; deposit?: Money;
}
export type UnusedReason = "unknown_coupon" | "inactive" | "no_lines_in_scope" | "threshold_not_met" | "not_chosen";
export interface Hint { promotion: string; add: Money; extra_off?: Money; rate?: string; }
export interface PromotionTotal { id: string; stage: Stage; funded_by: Funder; coupon: boolean; amount: Money; }
export interface ShippingFee { store: string; fee: Money; }
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
export interface ShippingRefund { store: string; amount: Money; }
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

export type ErrorCode =
  | "invalid_json" | "missing_field" | "unknown_field" | "invalid_amount" | "invalid_rate"
  | "invalid_quantity" | "invalid_time" | "invalid_id" | "duplicate_id" | "invalid_promotion"
  | "coupon_not_held" | "slot_conflict" | "limit_exceeded"
  // Not the input's fault: the engine's own failure.
  | "internal_error" | "unavailable" | "request_timeout";
/** What every function throws on invalid input. */
export interface ManjianError extends Error { code: ErrorCode; path: string; }

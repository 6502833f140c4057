//! The JavaScript door (contract section 9), compiled only for wasm32.
//!
//! Plain objects shaped like the contract's documents go in (as the host's
//! `JSON.stringify` text, read by the engine's JSON reader: one crossing
//! per document) and come out (quotes through the host's `JSON.parse` of
//! the canonical text, refunds and protections through
//! `serde-wasm-bindgen`); money travels as strings, and a JS
//! number with a fraction is judged by its shortest form, as the contract
//! says. Invalid input throws a JS `Error` whose `code` and `path`
//! properties carry the contract's error. The functions here only convert
//! and call: every rule lives in the core.

use crate::json::Value;
use crate::{Cart, Error, Rules};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Money: a decimal string such as "299.00" (a JS number is accepted on input). */
export type Money = string;
/** Money on input: a decimal string, or a number with at most the currency's decimals. */
export type MoneyInput = string | number;
/** A rate (the share still paid, 8.5折 = "0.85"): 0 < rate <= 1, at most 4 decimals. */
export type RateInput = string | number;
/** An RFC 3339 timestamp with an offset, e.g. "2026-11-11T20:00:00+08:00". */
export type Timestamp = string;
export type Stage = "item" | "store" | "cross_store" | "platform";

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
  funded_by?: "store" | "platform";
  threshold_on?: "list" | "item" | "store" | "cross_store";
}
export interface MarkdownPromotion extends PromotionCommon {
  kind: "markdown"; stage: "item";
  price?: MoneyInput; off?: MoneyInput; rate?: RateInput; limit_qty?: number;
}
export interface ThresholdOffPromotion extends PromotionCommon {
  kind: "threshold_off";
  basis?: "amount" | "count";
  tiers?: { at: MoneyInput; off: MoneyInput }[];
  every?: { at: MoneyInput; off: MoneyInput; cap?: MoneyInput };
}
export interface ThresholdRatePromotion extends PromotionCommon {
  kind: "threshold_rate";
  basis?: "amount" | "count";
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
/** A quote: what every line finally costs, and why. */
export interface Quote {
  currency: string;
  lines: QuoteLine[];
  promotions: { id: string; stage: Stage; funded_by: "store" | "platform"; coupon: boolean; amount: Money }[];
  shipping: { store: string; fee: Money }[];
  coupons: { applied: string[]; unused: { id: string; reason: UnusedReason }[]; proven_best: boolean };
  hints: Hint[];
  totals: { list: Money; discount: Money; shipping: Money; payable: Money; deposit_paid: Money; due: Money; deposit_refund: Money };
  /** "sha256:<hex>" of the canonical quote: equal digests, equal quotes. */
  digest: string;
}

export interface RefundInput {
  quote: Quote;
  returns: { line: string; qty: number; returned_before?: number }[];
}
export interface Refund {
  lines: { line: string; amount: Money }[];
  shipping: { store: string; amount: Money }[];
  total: Money;
}
export interface ProtectInput {
  original: QuoteInput;
  rules: Rules;
  at: Timestamp;
  claimable?: string[];
  refunded?: { line: string; qty: number }[];
}
export interface Protection {
  lines: { line: string; amount: Money; reason?: "expired" }[];
  total: Money;
}

export type ErrorCode =
  | "invalid_json" | "missing_field" | "unknown_field" | "invalid_amount" | "invalid_rate"
  | "invalid_quantity" | "invalid_time" | "invalid_id" | "duplicate_id" | "invalid_promotion"
  | "coupon_not_held" | "slot_conflict" | "limit_exceeded";
/** What every function throws on invalid input. */
export interface ManjianError extends Error { code: ErrorCode; path: string; }
"#;

#[wasm_bindgen]
extern "C" {
    /// `{rules, cart}`.
    #[wasm_bindgen(typescript_type = "QuoteInput")]
    pub type QuoteInputJs;
    /// A rules document.
    #[wasm_bindgen(typescript_type = "Rules")]
    pub type RulesJs;
    /// A cart document.
    #[wasm_bindgen(typescript_type = "Cart")]
    pub type CartJs;
    /// A quote.
    #[wasm_bindgen(typescript_type = "Quote")]
    pub type QuoteJs;
    /// `{quote, returns}`.
    #[wasm_bindgen(typescript_type = "RefundInput")]
    pub type RefundInputJs;
    /// A refund.
    #[wasm_bindgen(typescript_type = "Refund")]
    pub type RefundJs;
    /// `{original, rules, at, claimable?, refunded?}`.
    #[wasm_bindgen(typescript_type = "ProtectInput")]
    pub type ProtectInputJs;
    /// Price-protection claims.
    #[wasm_bindgen(typescript_type = "Protection")]
    pub type ProtectionJs;
}

/// The contract's error as a thrown JS `Error` with `code` and `path`.
fn throw(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name("ManjianError");
    let obj: &JsValue = err.as_ref();
    let _ = js_sys::Reflect::set(obj, &"code".into(), &e.code.as_str().into());
    let _ = js_sys::Reflect::set(obj, &"path".into(), &e.path.as_str().into());
    err.into()
}

#[wasm_bindgen(inline_js = "
export function toJsonText(v) {
  return JSON.stringify(v, (k, x) =>
    typeof x === 'number' && !Number.isFinite(x) ? String(x) : x);
}
")]
extern "C" {
    /// `JSON.stringify`, with `NaN` and the infinities written as the
    /// strings `\"NaN\"` and `\"Infinity\"` (plain `JSON.stringify` makes
    /// them `null`, which the contract reads as absent), so that they are
    /// rejected at their path like any other malformed number.
    #[wasm_bindgen(js_name = toJsonText, catch)]
    fn to_json_text(v: &JsValue) -> Result<JsValue, JsValue>;
}

/// A JS value as the engine's JSON tree, through one crossing: the host
/// writes it as JSON text, the engine reads the text. Anything
/// `JSON.stringify` refuses (a bigint, a cycle) or that is not a document
/// (`undefined`, a function) is `invalid_json`.
fn from_js(v: JsValue) -> Result<Value, JsValue> {
    let not_json = |why: String| {
        throw(Error::new(
            crate::ErrorCode::InvalidJson,
            "",
            format!("not a JSON document: {why}"),
        ))
    };
    let text = to_json_text(&v).map_err(|e| {
        not_json(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default(),
        )
    })?;
    let text = text
        .as_string()
        .ok_or_else(|| not_json("undefined".to_owned()))?;
    if text.len() > crate::MAX_INPUT_BYTES {
        return Err(throw(Error::new(
            crate::ErrorCode::LimitExceeded,
            "",
            "input larger than 4 MiB",
        )));
    }
    crate::json::parse(&text).map_err(throw)
}

/// JSON text as the engine's JSON tree.
fn from_json_text(text: &str) -> Result<Value, JsValue> {
    crate::parse_input(text).map_err(throw)
}

/// A result as a plain JS object (objects, arrays, strings, numbers).
fn to_js<T: Serialize, J: JsCast>(v: &T) -> Result<J, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map(JsCast::unchecked_into)
        .map_err(|e| {
            throw(Error::new(
                crate::ErrorCode::InvalidJson,
                "",
                format!("cannot convert the result: {e}"),
            ))
        })
}

/// A quote as a plain JS object, built by the host's `JSON.parse` from the
/// engine's canonical JSON: the same text the digest covers, and much
/// cheaper than creating each object and string through the boundary.
fn quote_to_js(text: &str) -> Result<QuoteJs, JsValue> {
    js_sys::JSON::parse(text)
        .map(JsCast::unchecked_into)
        .map_err(|_| {
            throw(Error::new(
                crate::ErrorCode::InvalidJson,
                "",
                "cannot convert the quote",
            ))
        })
}

/// Quote `{rules, cart}`. Throws a `ManjianError` on invalid input.
#[wasm_bindgen]
pub fn quote(input: QuoteInputJs) -> Result<QuoteJs, JsValue> {
    let v = from_js(input.into())?;
    quote_to_js(&crate::quote_value_text(&v).map_err(throw)?)
}

/// Refund returned units of a quote. Throws a `ManjianError` on invalid
/// input.
#[wasm_bindgen]
pub fn refund(input: RefundInputJs) -> Result<RefundJs, JsValue> {
    let v = from_js(input.into())?;
    to_js(&crate::refund_value(&v).map_err(throw)?)
}

/// Price protection (价保) claims. Throws a `ManjianError` on invalid input.
#[wasm_bindgen]
pub fn protect(input: ProtectInputJs) -> Result<ProtectionJs, JsValue> {
    let v = from_js(input.into())?;
    to_js(&crate::protect_value(&v).map_err(throw)?)
}

/// Quote from JSON text to JSON text (the fastest crossing for callers
/// that already hold JSON). Throws a `ManjianError` on invalid input.
#[wasm_bindgen(js_name = quoteJson)]
pub fn quote_json(input: &str) -> Result<String, JsValue> {
    let v = from_json_text(input)?;
    crate::quote_value_text(&v).map_err(throw)
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// An engine built once from the rules, so that a page re-pricing on every
/// click does not parse the catalogue again: `new Engine(rules)`, then
/// `engine.quote(cart)` as often as needed.
#[wasm_bindgen]
pub struct Engine {
    rules: Rules,
}

#[wasm_bindgen]
impl Engine {
    /// Parse and validate the rules. Throws a `ManjianError` (paths start
    /// with `rules.`) on invalid rules.
    #[wasm_bindgen(constructor)]
    pub fn new(rules: RulesJs) -> Result<Engine, JsValue> {
        let v = from_js(rules.into())?;
        Ok(Engine {
            rules: Rules::from_value(&v).map_err(throw)?,
        })
    }

    /// Build from rules given as JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(rules: &str) -> Result<Engine, JsValue> {
        let v = from_json_text(rules)?;
        Ok(Engine {
            rules: Rules::from_value(&v).map_err(throw)?,
        })
    }

    /// Quote a cart under these rules. Throws a `ManjianError` (paths start
    /// with `cart.`) on an invalid cart.
    pub fn quote(&self, cart: CartJs) -> Result<QuoteJs, JsValue> {
        let v = from_js(cart.into())?;
        let cart = Cart::from_value(&v, &self.rules.currency).map_err(throw)?;
        quote_to_js(&crate::quote_text(&self.rules, &cart).map_err(throw)?)
    }

    /// Quote a cart given as JSON text; returns the quote as JSON text.
    #[wasm_bindgen(js_name = quoteJson)]
    pub fn quote_json(&self, cart: &str) -> Result<String, JsValue> {
        let v = from_json_text(cart)?;
        let cart = Cart::from_value(&v, &self.rules.currency).map_err(throw)?;
        crate::quote_text(&self.rules, &cart).map_err(throw)
    }

    /// The currency code of the rules.
    #[wasm_bindgen(getter)]
    pub fn currency(&self) -> String {
        self.rules.currency.code().to_owned()
    }
}

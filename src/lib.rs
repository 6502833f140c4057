//! # manjian — exact checkout pricing
//!
//! `manjian` prices a checkout exactly as the pricing contract
//! (`PRICING.md`, version 2) says, to the cent: 满减 and 每满减 threshold
//! reductions, 跨店满减 cross-store events, store and platform coupons (with
//! the best set chosen for the buyer), markdowns with 限购, member and
//! new-buyer prices, multi-buys (第二件半价), exclusive offers
//! (不与其他优惠同享), presale deposit expansion (定金膨胀), 国补 subsidies,
//! and shipping per store and address with 包邮 and 运费券, with every
//! discount allocated (分摊) to every line. The same code runs natively (this
//! library, the `manjian` command, the reference server) and in the browser
//! as WebAssembly, so a cart page and the server that charges agree; their
//! quotes carry a digest to prove it.
//!
//! ## Overview
//!
//! The principal types are [`Rules`] (the catalogue: promotions, stores,
//! shipping), [`Cart`] (the buyer's lines and coupons, read against the
//! rules that price it) and [`Quote`] (what every line finally costs, and
//! why). The flow is documents in, quote out:
//!
//! 1. read the rules once, `text.parse::<Rules>()`, and each cart with
//!    [`Rules::cart_from_str`];
//! 2. [`quote`] prices the cart: markdowns, multi-buys and presale per
//!    line, the store, cross-store and platform stages, subsidies, the
//!    best coupons, shipping with its discounts;
//! 3. [`to_string`] writes the quote's canonical JSON, digest included.
//!
//! After the order, [`refund`] refunds returned units, [`protect`] pays
//! price protection (价保) and [`settle`] splits a quote into child orders
//! with what each store receives (拆单, 商家实收): typed in and out like
//! [`quote`], each with a `*_from_str` twin for JSON text. A fault of an
//! input is an [`Error`] with the contract's [`ErrorCode`] and the path of
//! the offending value; [`Operation`] runs any of these text to text, as
//! the command and the HTTP server do.
//!
//! The core is pure (no I/O, no clock, no global state), money is
//! `rust_decimal` throughout ([`Money`], [`Rate`]), and nothing may panic
//! (a panic in wasm kills the shopper's page): clippy denies `unwrap`,
//! indexing and unchecked arithmetic, and a broken invariant is an
//! `internal_error`, never priced around.
//!
//! ```
//! let rules: manjian::Rules = r#"{"currency": "CNY", "promotions": [
//!     {"id": "mj-100-10", "kind": "threshold_off", "stage": "store",
//!      "scope": {"stores": ["s1"]}, "tiers": [{"at": "100.00", "off": "10.00"}]}]}"#
//!     .parse()?;
//! let cart = rules.cart_from_str(
//!     r#"{"lines": [{"id": "L1", "sku": "tea", "store": "s1", "unit_price": "120.00", "qty": 1}]}"#,
//! )?;
//! let quote = manjian::quote(&rules, &cart)?;
//! assert_eq!(quote.totals.payable.to_string(), "110.00");
//! assert!(manjian::to_string(&quote).contains("\"digest\":\"sha256:"));
//!
//! let err = manjian::quote_from_str(r#"{"rules": {}, "cart": {"lines": []}}"#).unwrap_err();
//! assert_eq!(err.code, manjian::ErrorCode::MissingField);
//! assert_eq!(err.path, "rules.currency");
//! # Ok::<(), manjian::Error>(())
//! ```
//!
//! ## The source tree
//!
//! It reads as the pipeline, each floor using only those below it, from
//! the ground up: `wire` (the canonical JSON writer, the digest) and
//! `schema` (document shapes), `values`, `error`, `input` (the input
//! documents), `pricing` (the stages), `search` (the best coupons) and
//! `output` (the quote document), `quote` (the driver), `after` (refund,
//! price protection, settlement), `operation` (text to text), and `doors`.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::arithmetic_side_effects
    )
)]
#![deny(clippy::too_many_lines)]
#![deny(missing_docs)]

mod after;
mod doors;
mod error;
mod input;
mod operation;
mod output;
mod pricing;
mod quote;
mod schema;
mod search;
mod values;
mod wire;

#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;

pub use after::protect::{LineClaim, ProtectRequest, Protection, RefundedUnits};
pub use after::refund::{LineRefund, Refund, Return, ShippingRefund, TenderRefund};
pub use after::settle::{ChildOrder, Funded, Settlement, SettlementTotal, TendersFunded};
pub use error::{Error, ErrorCode, MAX_INPUT_BYTES};
pub use input::cart::{Cart, MAX_COUPONS, MAX_LINES};
pub use input::rules::{Rules, MAX_PROMOTIONS};
pub use operation::Operation;
pub use output::document::{
    CouponReport, Digest, GivenGift, Hint, HintGift, LineDiscount, PromotionTotal, Quote,
    QuoteLine, QuoteTender, ShippingDiscount, ShippingFee, TenderShare, Totals, Unused,
};
pub use search::BUDGET as BEST_SEARCH_BUDGET;
pub use values::{
    ClaimReason, Currency, Funder, Id, Instant, Money, Points, Qty, Rate, Stage, TenderFunder,
    TenderKind, TenderReason, UnusedReason, MAX_AMOUNT, MAX_POINTS, MAX_QTY,
};
pub use wire::Document;

#[cfg(feature = "server")]
pub use doors::server;
#[cfg(target_arch = "wasm32")]
pub use doors::wasm;

/// Price `cart` under `rules` (contract sections 3 to 6). The errors are
/// those an explicit `apply` can have against the rules (a coupon not
/// held, two coupons of one slot), and the engine's own `internal_error`.
pub fn quote(rules: &Rules, cart: &Cart) -> Result<Quote, Error> {
    quote::quote_at(rules, cart, &error::Path::ROOT.key("cart"))
}

/// Quote a `{"rules": ..., "cart": ...}` JSON text.
pub fn quote_from_str(input: &str) -> Result<Quote, Error> {
    let (rules, cart) = input::quote_input(&input::read_text(input)?)?;
    quote(&rules, &cart)
}

/// Refund `returns` of a quote (contract section 7): what the buyer gets
/// back for returned units, with a package's fee when the returns complete
/// it. Errors name the request's members (`returns[0].qty`).
///
/// ```
/// use manjian::{Id, Qty, Return};
/// let quote = manjian::quote_from_str(r#"{"rules": {"currency": "CNY"}, "cart": {"lines": [
///     {"id": "L1", "sku": "tea", "store": "s1", "unit_price": "30.00", "qty": 2}]}}"#)?;
/// let line = Id::new("L1").unwrap();
/// let one = Qty::new(1).unwrap();
/// let refund = manjian::refund(&quote, &[Return::new(line, one, Qty::default())])?;
/// assert_eq!(refund.total.to_string(), "30.00");
/// # Ok::<(), manjian::Error>(())
/// ```
pub fn refund(quote: &Quote, returns: &[Return]) -> Result<Refund, Error> {
    after::refund::refund(quote, returns)
}

/// Refund a `{"quote": ..., "returns": [...]}` JSON text.
pub fn refund_from_str(input: &str) -> Result<Refund, Error> {
    after::refund::refund_value(&input::read_text(input)?)
}

/// Price protection (价保, contract section 7): what each line of the
/// order is owed when re-priced under the new rules (an example is at
/// [`ProtectRequest`]).
pub fn protect(request: &ProtectRequest<'_>) -> Result<Protection, Error> {
    after::protect::protect(request)
}

/// Price protection for an `{"original", "rules", "at", "claimable"?,
/// "refunded"?}` JSON text.
pub fn protect_from_str(input: &str) -> Result<Protection, Error> {
    after::protect::protect_value(&input::read_text(input)?)
}

/// Settle a quote: its child orders per store and address, with what each
/// store receives (contract section 7; an example is at [`Settlement`]).
/// A quote the engine made always settles.
pub fn settle(quote: &Quote) -> Result<Settlement, Error> {
    after::settle::settle_quote(quote)
}

/// Settle a `{"quote": ...}` JSON text.
pub fn settle_from_str(input: &str) -> Result<Settlement, Error> {
    after::settle::settle_value(&input::read_text(input)?)
}

/// A document as compact canonical JSON (for a quote: the text its digest
/// covers, with the digest appended).
pub fn to_string<D: Document>(doc: &D) -> String {
    let mut out = String::new();
    doc.write_json(&mut out);
    out
}

/// A document as indented JSON, for people.
pub fn to_string_pretty<D: Document>(doc: &D) -> String {
    wire::pretty::indent(&to_string(doc))
}

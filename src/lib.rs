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
//! After the order, [`refund_from_str`] refunds returned units,
//! [`protect_from_str`] pays price protection (价保), and [`settle`] splits
//! a quote into child orders per store and address with what each store
//! receives (拆单, 商家实收). Every fault of an input
//! is an [`Error`] with the contract's [`ErrorCode`] and the path of the
//! offending value; [`Operation`] runs any of these from input text to
//! output text, as the command and the HTTP server do.
//!
//! The core is pure: no I/O, no clock, no global state. Money is
//! `rust_decimal` throughout ([`Money`], [`Rate`]); no float takes part in
//! any computation. Nothing in the library may panic (a panic in wasm
//! kills the module in the shopper's page), so clippy denies `unwrap`,
//! `expect`, `panic!`, indexing and unchecked arithmetic outside tests; a
//! broken invariant of the engine itself is reported as an
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
//! It reads as the pipeline: `values` (typed values), `input` (the input
//! documents), `pricing` (the stages, allocation and shipping), `search`
//! (the best coupons), `output` (the quote, its canonical writer and
//! digest), `after` (refund, price protection, settlement), `doors`
//! (wasm, server),
//! with `error` and `operation` beside them.

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
mod search;
mod values;

pub use after::protect::{LineClaim, Protection};
pub use after::refund::{LineRefund, Refund, ShippingRefund};
pub use after::settle::{ChildOrder, Funded, Settlement, SettlementTotal};
pub use error::{Error, ErrorCode, MAX_INPUT_BYTES};
pub use input::cart::{Cart, MAX_COUPONS, MAX_LINES};
pub use input::rules::{Rules, MAX_PROMOTIONS};
pub use operation::Operation;
pub use output::quote::{
    CouponReport, Digest, Hint, LineDiscount, PromotionTotal, Quote, QuoteLine, ShippingDiscount,
    ShippingFee, Totals, Unused,
};
pub use search::BUDGET as BEST_SEARCH_BUDGET;
pub use values::{
    ClaimReason, Currency, Funder, Id, Money, Qty, Rate, Stage, UnusedReason, MAX_AMOUNT, MAX_QTY,
};

#[cfg(feature = "server")]
pub use doors::server;
#[cfg(target_arch = "wasm32")]
pub use doors::wasm;

/// Price `cart` under `rules` (contract sections 3 to 6). The errors are
/// those an explicit `apply` can have against the rules (a coupon not
/// held, two coupons of one slot), and the engine's own `internal_error`.
pub fn quote(rules: &Rules, cart: &Cart) -> Result<Quote, Error> {
    output::quote_at(rules, cart, &error::Path::ROOT.key("cart"))
}

/// Quote a `{"rules": ..., "cart": ...}` JSON text.
pub fn quote_from_str(input: &str) -> Result<Quote, Error> {
    let (rules, cart) = input::quote_input(&input::read_text(input)?)?;
    quote(&rules, &cart)
}

/// Refund a `{"quote": ..., "returns": [...]}` JSON text: what the buyer
/// gets back for returned units (contract section 6), with a package's
/// fee when the return completes it.
///
/// ```
/// let input = r#"{"rules": {"currency": "CNY"}, "cart": {"lines": [
///     {"id": "L1", "sku": "tea", "store": "s1", "unit_price": "30.00", "qty": 2}]}}"#;
/// let quote = manjian::to_string(&manjian::quote_from_str(input)?);
/// let refund = manjian::refund_from_str(&format!(
///     r#"{{"quote": {quote}, "returns": [{{"line": "L1", "qty": 1, "returned_before": 0}}]}}"#
/// ))?;
/// assert_eq!(refund.total.to_string(), "30.00");
/// # Ok::<(), manjian::Error>(())
/// ```
pub fn refund_from_str(input: &str) -> Result<Refund, Error> {
    after::refund::refund_value(&input::read_text(input)?)
}

/// Price protection for an `{"original", "rules", "at", "claimable"?,
/// "refunded"?}` JSON text.
pub fn protect_from_str(input: &str) -> Result<Protection, Error> {
    after::protect::protect_value(&input::read_text(input)?)
}

/// Settle a quote: its child orders per store and address, with what each
/// store receives (contract section 7). A quote the engine made always
/// settles.
///
/// ```
/// let quote = manjian::quote_from_str(r#"{"rules": {"currency": "CNY"}, "cart": {"lines": [
///     {"id": "L1", "sku": "tea", "store": "s1", "unit_price": "30.00", "qty": 1},
///     {"id": "L2", "sku": "cup", "store": "s2", "unit_price": "12.50", "qty": 2}]}}"#)?;
/// let split = manjian::settle(&quote)?;
/// assert_eq!(split.orders.len(), 2);
/// assert_eq!(split.orders[1].receivable.to_string(), "25.00");
/// # Ok::<(), manjian::Error>(())
/// ```
pub fn settle(quote: &Quote) -> Result<Settlement, Error> {
    settle_from_str(&format!("{{\"quote\":{}}}", to_string(quote)))
}

/// Settle a `{"quote": ...}` JSON text.
pub fn settle_from_str(input: &str) -> Result<Settlement, Error> {
    after::settle::settle_value(&input::read_text(input)?)
}

/// An output document of the engine: a [`Quote`], [`Refund`],
/// [`Protection`] or [`Settlement`].
pub trait Document: serde::Serialize + sealed::Sealed {}

mod sealed {
    /// Only the engine's documents are documents.
    pub trait Sealed {
        /// Append the canonical JSON.
        fn write_json(&self, out: &mut String);
    }
}

macro_rules! documents {
    ($($t:ty),*) => {
        $(
            impl sealed::Sealed for $t {
                fn write_json(&self, out: &mut String) {
                    output::canonical::ToJson::to_json(self, out);
                }
            }
            impl Document for $t {}
        )*
    };
}
documents!(Quote, Refund, Protection, Settlement);

/// A document as compact canonical JSON (for a quote: the text its digest
/// covers, with the digest appended).
pub fn to_string<D: Document>(doc: &D) -> String {
    let mut out = String::new();
    doc.write_json(&mut out);
    out
}

/// A document as indented JSON, for people.
pub fn to_string_pretty<D: Document>(doc: &D) -> String {
    output::pretty::indent(&to_string(doc))
}

/// What tests, benchmarks and fuzzing need and users must not touch.
#[doc(hidden)]
pub mod testing {
    pub use crate::input::json::{parse as parse_json, Number, Value};

    /// [`crate::quote`] with `apply: "best"` answered by trying every
    /// choice of coupons through the whole pipeline: slow, obviously
    /// right, and the reference the search is tested against.
    pub fn quote_exhaustive(
        rules: &crate::Rules,
        cart: &crate::Cart,
    ) -> Result<crate::Quote, crate::Error> {
        crate::output::quote_exhaustive(rules, cart)
    }

    /// The quote as compact JSON text, serialized once (what the doors
    /// send).
    pub fn quote_to_string(
        rules: &crate::Rules,
        cart: &crate::Cart,
    ) -> Result<String, crate::Error> {
        crate::output::quote_to_string(rules, cart)
    }

    /// A quote without its digest, as the pipeline hands it to the writer.
    pub fn bare(quote: &crate::Quote) -> crate::Quote {
        crate::output::bare(quote)
    }

    /// The floor of a quote (see `bench/README.md`): a [`bare`] quote's
    /// text written, hashed and sealed with its digest, as the doors do;
    /// `floor(&bare(&q))` equals `to_string(&q)`.
    pub fn floor(bare: &crate::Quote) -> String {
        crate::output::written(bare)
    }

    /// The wire names of every enumeration, for the TypeScript check.
    pub fn enums() -> Vec<(&'static str, Vec<&'static str>)> {
        use crate::values::{Basis, ClaimReason, Funder, Kind, Snapshot, Stage, UnusedReason};
        fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|v| name(*v)).collect()
        }
        vec![
            ("Stage", names(Stage::ALL, Stage::as_str)),
            ("Funder", names(Funder::ALL, Funder::as_str)),
            ("Kind", names(Kind::ALL, Kind::as_str)),
            ("Basis", names(Basis::ALL, Basis::as_str)),
            ("Snapshot", names(Snapshot::ALL, Snapshot::as_str)),
            (
                "UnusedReason",
                names(UnusedReason::ALL, UnusedReason::as_str),
            ),
            ("ClaimReason", names(ClaimReason::ALL, ClaimReason::as_str)),
            (
                "ErrorCode",
                names(crate::ErrorCode::ALL, crate::ErrorCode::as_str),
            ),
        ]
    }

    /// The members of every document, input and output (wire name, may be
    /// absent), for the TypeScript check. Input members are all optional
    /// here: which are required is the parser's business.
    pub fn documents() -> Vec<(&'static str, Vec<(&'static str, bool)>)> {
        use crate::input::{cart, promotion, rules, scope};
        use crate::values::Kind;
        let input = |fields: &[&'static str]| fields.iter().map(|f| (*f, true)).collect();
        let output = |fields: crate::output::canonical::Fields| fields.to_vec();
        let kind = |k: Kind| {
            let mut f: Vec<&'static str> = promotion::COMMON_FIELDS.to_vec();
            f.extend_from_slice(promotion::kind_fields(k));
            input(&f)
        };
        vec![
            ("Rules", input(rules::FIELDS)),
            ("Cart", input(cart::FIELDS)),
            ("CartLine", input(cart::LINE_FIELDS)),
            ("Scope", input(scope::FIELDS)),
            ("MarkdownPromotion", kind(Kind::Markdown)),
            ("ThresholdOffPromotion", kind(Kind::ThresholdOff)),
            ("ThresholdRatePromotion", kind(Kind::ThresholdRate)),
            ("MultiBuyPromotion", kind(Kind::MultiBuy)),
            ("SubsidyPromotion", kind(Kind::Subsidy)),
            ("ShippingOffPromotion", kind(Kind::ShippingOff)),
            ("Buyer", input(cart::BUYER_FIELDS)),
            ("Presale", input(cart::PRESALE_FIELDS)),
            ("QuoteInput", input(crate::input::QUOTE_FIELDS)),
            ("Window", input(crate::input::fields::WINDOW_FIELDS)),
            ("StoreRules", input(rules::STORE_FIELDS)),
            ("StoreShipping", input(rules::SHIPPING_FIELDS)),
            ("OffTier", input(promotion::OFF_TIER_FIELDS)),
            ("RateTier", input(promotion::RATE_TIER_FIELDS)),
            ("Every", input(promotion::EVERY_FIELDS)),
            ("Return", input(crate::after::refund::RETURN_FIELDS)),
            (
                "RefundedUnits",
                input(crate::after::protect::REFUNDED_FIELDS),
            ),
            ("RefundInput", input(crate::after::refund::FIELDS)),
            ("ProtectInput", input(crate::after::protect::FIELDS)),
            ("SettleInput", input(crate::after::settle::FIELDS)),
            ("Quote", output(crate::Quote::FIELDS)),
            ("QuoteLine", output(crate::QuoteLine::FIELDS)),
            ("LineDiscount", output(crate::LineDiscount::FIELDS)),
            ("PromotionTotal", output(crate::PromotionTotal::FIELDS)),
            ("ShippingFee", output(crate::ShippingFee::FIELDS)),
            ("ShippingDiscount", output(crate::ShippingDiscount::FIELDS)),
            ("Unused", output(crate::Unused::FIELDS)),
            ("CouponReport", output(crate::CouponReport::FIELDS)),
            ("Hint", output(crate::Hint::FIELDS)),
            ("Totals", output(crate::Totals::FIELDS)),
            ("Refund", output(crate::Refund::FIELDS)),
            ("LineRefund", output(crate::LineRefund::FIELDS)),
            ("ShippingRefund", output(crate::ShippingRefund::FIELDS)),
            ("Protection", output(crate::Protection::FIELDS)),
            ("LineClaim", output(crate::LineClaim::FIELDS)),
            ("Settlement", output(crate::Settlement::FIELDS)),
            ("ChildOrder", output(crate::ChildOrder::FIELDS)),
            ("Funded", output(crate::Funded::FIELDS)),
            ("SettlementTotal", output(crate::SettlementTotal::FIELDS)),
        ]
    }

    /// The members of the reference server's own documents (`POST
    /// /api/order`), for the OpenAPI check.
    #[cfg(feature = "server")]
    pub fn server_documents() -> Vec<(&'static str, Vec<(&'static str, bool)>)> {
        use crate::doors::order::{ANSWER_FIELDS, FIELDS};
        vec![
            ("OrderRequest", FIELDS.iter().map(|f| (*f, true)).collect()),
            (
                "OrderAnswer",
                ANSWER_FIELDS.iter().map(|f| (*f, false)).collect(),
            ),
        ]
    }
}

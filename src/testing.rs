//! What tests, benchmarks and fuzzing need and users must not touch: the
//! cargo feature `testing` (which the test helpers' crate, `testkit/`,
//! turns on) opens it; no build of the package has it.

pub use crate::input::json::{parse as parse_json, Number, Value};

/// [`crate::quote`] with `apply: "best"` answered by trying every
/// choice of coupons through the whole pipeline: slow, obviously
/// right, and the reference the search is tested against.
pub fn quote_exhaustive(
    rules: &crate::Rules,
    cart: &crate::Cart,
) -> Result<crate::Quote, crate::Error> {
    crate::quote::quote_exhaustive(rules, cart)
}

/// The quote as compact JSON text, serialized once (what the doors
/// send).
pub fn quote_to_string(rules: &crate::Rules, cart: &crate::Cart) -> Result<String, crate::Error> {
    crate::quote::quote_to_string(rules, cart)
}

/// A quote without its digest, as the pipeline hands it to the writer.
pub fn bare(quote: &crate::Quote) -> crate::Quote {
    crate::quote::bare(quote)
}

/// The floor of a quote (see `bench/README.md`): a [`bare`] quote's
/// text written, hashed and sealed with its digest, as the doors do;
/// `floor(&bare(&q))` equals `to_string(&q)`.
pub fn floor(bare: &crate::Quote) -> String {
    crate::quote::written(bare)
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
    let output = |fields: crate::wire::canonical::Fields| fields.to_vec();
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

//! What tests, benchmarks and fuzzing need and users must not touch: the
//! cargo feature `testing` (which the test helpers' crate, `testkit/`,
//! turns on) opens it; no build of the package has it.

pub use crate::input::json::{parse as parse_json, Number, Value};

use crate::after::{protect, refund, settle};
use crate::input::{cart, fields, promotion, rules, scope, template, tender};
use crate::output::document as quote;
use crate::values::{
    Basis, ClaimReason, Funder, Kind, Snapshot, Stage, TenderFunder, TenderKind, TenderReason,
    UnusedReason,
};

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

/// The types of the document shapes the TypeScript types and the OpenAPI
/// description are generated from (`testkit`'s generator).
pub use crate::schema::{Enumeration, Limits, Member, Shape, Ty};

/// The shapes of the engine's documents: input documents first (rules,
/// promotions by kind, cart), then the quote, then the after-sale
/// documents, each with the shapes it uses after it.
pub fn shapes() -> Vec<Shape> {
    vec![
        scope::scope_shape(),
        fields::window_shape(),
        promotion::common_shape(),
        promotion::markdown_shape(),
        promotion::multi_buy_shape(),
        promotion::threshold_off_shape(),
        promotion::off_tier_shape(),
        promotion::every_shape(),
        promotion::threshold_rate_shape(),
        promotion::rate_tier_shape(),
        promotion::subsidy_shape(),
        promotion::shipping_off_shape(),
        promotion::gift_shape(),
        promotion::gift_tier_shape(),
        promotion::gift_item_shape(),
        rules::rules_shape(),
        rules::store_shape(),
        rules::shipping_shape(),
        template::template_shape(),
        template::rule_shape(),
        template::free_shape(),
        tender::tender_shape(),
        cart::cart_shape(),
        cart::buyer_shape(),
        template::address_shape(),
        cart::line_shape(),
        cart::presale_shape(),
        tender::cart_tender_shape(),
        crate::input::quote_input_shape(),
        quote::Quote::shape(),
        quote::QuoteLine::shape(),
        quote::LineDiscount::shape(),
        quote::PromotionTotal::shape(),
        quote::ShippingFee::shape(),
        quote::ShippingDiscount::shape(),
        quote::CouponReport::shape(),
        quote::Unused::shape(),
        quote::Hint::shape(),
        quote::HintGift::shape(),
        quote::GivenGift::shape(),
        quote::QuoteTender::shape(),
        quote::TenderShare::shape(),
        quote::Totals::shape(),
        refund::refund_input_shape(),
        refund::return_shape(),
        refund::Refund::shape(),
        refund::LineRefund::shape(),
        refund::ShippingRefund::shape(),
        refund::TenderRefund::shape(),
        protect::protect_input_shape(),
        protect::refunded_shape(),
        protect::Protection::shape(),
        protect::LineClaim::shape(),
        settle::settle_input_shape(),
        settle::Settlement::shape(),
        settle::ChildOrder::shape(),
        settle::Funded::shape(),
        settle::TendersFunded::shape(),
        settle::SettlementTotal::shape(),
        error_shape(),
    ]
}

/// The unions: a name, what it is, and its shapes, told apart by their
/// `kind`.
pub fn unions() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let kinds = [
        "MarkdownPromotion",
        "MultiBuyPromotion",
        "ThresholdOffPromotion",
        "ThresholdRatePromotion",
        "SubsidyPromotion",
        "ShippingOffPromotion",
        "GiftPromotion",
    ];
    vec![(
        "Promotion",
        "One promotion of the rules, by its kind.",
        kinds.into(),
    )]
}

/// The reference server's own documents (`POST /api/order`).
pub fn server_shapes() -> Vec<Shape> {
    use crate::doors::documents;
    vec![
        documents::error_document_shape(),
        documents::request_shape(),
        documents::answer_shape(),
    ]
}

/// Every enumeration of the documents.
pub fn enums() -> Vec<Enumeration> {
    vec![
        Stage::enumeration(),
        Funder::enumeration(),
        Kind::enumeration(),
        Basis::enumeration(),
        Snapshot::enumeration(),
        UnusedReason::enumeration(),
        TenderKind::enumeration(),
        TenderFunder::enumeration(),
        TenderReason::enumeration(),
        ClaimReason::enumeration(),
        crate::error::ErrorCode::enumeration(),
    ]
}

/// The error's members as `Error::to_document` writes them
/// (`tests/it/openapi.rs` holds the two together).
fn error_shape() -> Shape {
    let member = |name, ty, doc: &str| Member {
        name,
        ty,
        required: true,
        doc: doc.into(),
    };
    Shape {
        name: "ManjianError",
        doc: "What is wrong (`code`), where (`path`) and why (`message`).".into(),
        extends: None,
        thrown: true,
        exactly_one: Vec::new(),
        members: vec![
            member("code", Ty::Enum("ErrorCode"), "The error code."),
            member(
                "path",
                Ty::Text,
                "Where the offending value is, e.g. `cart.lines[2].unit_price`; empty for the document as a whole.",
            ),
            member(
                "message",
                Ty::Text,
                "A human-readable explanation (not part of the contract).",
            ),
        ],
    }
}

//! The quote document (contract section 5), each type's members declared
//! once for the canonical writer, serde and the TypeScript check.

use crate::values::{Funder, Id, Money, Qty, Rate, Stage, UnusedReason};
use crate::wire::{document, write_str, ToJson};
use std::fmt;

document! {
    /// A quote: what every line finally costs, and why.
    pub struct Quote {
        /// The currency code.
        "currency" => currency: String,
        /// Lines in cart order.
        "lines" => lines: Vec<QuoteLine>,
        /// Every promotion that took money off, in application order.
        "promotions" => promotions: Vec<PromotionTotal>,
        /// Shipping per group (a store of `rules.stores` and an address)
        /// with lines in the cart.
        "shipping" => shipping: Vec<ShippingFee>,
        /// Which held coupons were applied, which not and why.
        "coupons" => coupons: CouponReport,
        /// 凑单 hints, in application order.
        "hints" => hints: Vec<Hint>,
        /// Totals.
        "totals" => totals: Totals,
        /// `sha256:` of the canonical JSON of the quote without this
        /// member.
        "digest" => digest: Digest,
    }
}

document! {
    /// One line of a quote.
    pub struct QuoteLine {
        /// Line id.
        "id" => id: Id,
        /// Store id.
        "store" => store: Id,
        /// The address it ships to, when it names one.
        "ship_to" => ship_to: Option<Id>,
        /// Units.
        "qty" => qty: Qty,
        /// `unit_price * qty`.
        "list" => list: Money,
        /// What the line finally costs.
        "final" => final_amount: Money,
        /// Non-zero discounts in the order applied.
        "discounts" => discounts: Vec<LineDiscount>,
        /// `deposit * qty`, on presale lines only.
        "deposit" => deposit: Option<Money>,
    }
}

document! {
    /// One discount's share on one line.
    pub struct LineDiscount {
        /// Promotion id, or `presale`.
        "promotion" => promotion: Id,
        /// Its stage.
        "stage" => stage: Stage,
        /// The line's share.
        "amount" => amount: Money,
    }
}

document! {
    /// One promotion's total.
    pub struct PromotionTotal {
        /// Promotion id.
        "id" => id: Id,
        /// Its stage.
        "stage" => stage: Stage,
        /// Who pays for it.
        "funded_by" => funded_by: Funder,
        /// Whether it is a coupon.
        "coupon" => coupon: bool,
        /// What it took off in all.
        "amount" => amount: Money,
    }
}

document! {
    /// A shipping group's fee.
    pub struct ShippingFee {
        /// Store id.
        "store" => store: Id,
        /// The address, for a group of lines with one.
        "ship_to" => ship_to: Option<Id>,
        /// The fee charged (0 when free), after shipping promotions.
        "fee" => fee: Money,
        /// What shipping promotions took off, in application order (only
        /// when one did); the fee before them is `fee` plus their sum.
        "discounts" => discounts: Option<Vec<ShippingDiscount>>,
    }
}

document! {
    /// A shipping promotion's discount on one group's fee.
    pub struct ShippingDiscount {
        /// Promotion id.
        "promotion" => promotion: Id,
        /// What it took off the fee.
        "amount" => amount: Money,
    }
}

document! {
    /// A held coupon that was not applied.
    pub struct Unused {
        /// Coupon id as held.
        "id" => id: Id,
        /// The first reason that holds.
        "reason" => reason: UnusedReason,
    }
}

document! {
    /// The coupon section of a quote.
    pub struct CouponReport {
        /// Applied coupons, in application order.
        "applied" => applied: Vec<Id>,
        /// Held coupons not applied, in the order held.
        "unused" => unused: Vec<Unused>,
        /// Whether `apply: "best"` was proven optimal.
        "proven_best" => proven_best: bool,
    }
}

document! {
    /// A 凑单 hint: spend `add` more to reach the next tier.
    pub struct Hint {
        /// The promotion.
        "promotion" => promotion: Id,
        /// How much more to spend.
        "add" => add: Money,
        /// For a `threshold_off`: how much more it then takes off.
        "extra_off" => extra_off: Option<Money>,
        /// For a `threshold_rate`: the next tier's rate.
        "rate" => rate: Option<Rate>,
    }
}

document! {
    /// The quote's totals.
    pub struct Totals {
        /// Sum of list amounts.
        "list" => list: Money,
        /// `list - goods`.
        "discount" => discount: Money,
        /// Sum of fees.
        "shipping" => shipping: Money,
        /// Goods plus shipping.
        "payable" => payable: Money,
        /// Sum of presale deposits.
        "deposit_paid" => deposit_paid: Money,
        /// What the buyer pays at checkout (尾款 for presale lines).
        "due" => due: Money,
        /// Deposit above the final price, given back.
        "deposit_refund" => deposit_refund: Money,
    }
}

/// A quote's digest, `sha256:<hex>`: equal digests, equal quotes. Empty
/// (and then left out of the document) until computed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Digest(pub(crate) String);

impl Digest {
    /// The digest as written, `sha256:` and 64 lower-case hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl ToJson for Digest {
    fn to_json(&self, out: &mut String) {
        write_str(out, &self.0);
    }

    fn is_absent(&self) -> bool {
        self.0.is_empty()
    }

    const OPTIONAL: bool = false;
}

impl Quote {
    /// The quote as compact canonical JSON, digest included.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.lines.len().saturating_add(1).saturating_mul(512));
        ToJson::to_json(self, &mut out);
        out
    }

    /// The canonical JSON of the quote without its digest: what the
    /// digest covers.
    pub fn canonical_json(&self) -> String {
        let mut text = self.to_json();
        if !self.digest.is_absent() {
            // `digest` is the last member: cut it off the end.
            let mut member = String::from(",\"digest\":");
            self.digest.to_json(&mut member);
            member.push('}');
            if text.ends_with(&member) {
                text.truncate(text.len().saturating_sub(member.len()));
                text.push('}');
            }
        }
        text
    }

    /// Recompute the digest from the other members.
    pub fn compute_digest(&self) -> Digest {
        Digest(crate::wire::digest::of(&self.canonical_json()))
    }
}

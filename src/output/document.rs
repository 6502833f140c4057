//! The quote document (contract section 5), each type's members declared
//! once (`document!`) for the canonical writer, serde, the after-sale
//! readers and the generated types.

use crate::values::{
    Funder, Id, Money, Points, Qty, Rate, Stage, TenderFunder, TenderKind, TenderReason,
    UnusedReason,
};
use crate::wire::{document, write_str, ToJson};
use std::fmt;

document! {
    /// A quote: what every line finally costs, and why.
    pub struct Quote {
        /// The currency code.
        "currency" => currency: String,
        /// The priced lines, in cart order.
        "lines" => lines: Vec<QuoteLine>,
        /// Every promotion that took money off, in application order. The
        /// "presale" pseudo-promotion shows on the lines only.
        "promotions" => promotions: Vec<PromotionTotal>,
        /// Shipping per group (a store of `rules.stores` and an address)
        /// with lines in the cart, in the order of their first line.
        "shipping" => shipping: Vec<ShippingFee>,
        /// Which held coupons were applied, which not and why.
        "coupons" => coupons: CouponReport,
        /// Spend-more hints (凑单), in application order.
        "hints" => hints: Vec<Hint>,
        /// Version 3, when a gift was given (满赠): the gifts, in application order.
        "gifts" => gifts: Option<Vec<GivenGift>>,
        /// Version 3, only when the cart has `tenders`: one entry per tender of the cart, in
        /// application order (priority, then id).
        "tenders" => tenders: Option<Vec<QuoteTender>>,
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
        /// The cart line's id.
        "id" => id: Id,
        /// Store id.
        "store" => store: Id,
        /// The address it ships to, when it names one.
        "ship_to" => ship_to: Option<Id>,
        /// The line's quantity.
        "qty" => qty: Qty,
        /// unit_price times qty, before any discount.
        "list" => list: Money,
        /// What the line finally costs: `list` minus the sum of its discounts.
        /// Refunds and 价保 read it.
        "final" => final_amount: Money,
        /// Its discounts in the order applied (markdown, multi-buys, presale,
        /// then the later stages). Zero shares are left out.
        "discounts" => discounts: Vec<LineDiscount>,
        /// The deposit paid for the line (deposit times qty), only on presale
        /// lines.
        "deposit" => deposit: Option<Money>,
        /// Version 3: the non-zero shares of the tenders that paid for the line, in
        /// application order (only when there is one).
        "tenders" => tenders: Option<Vec<TenderShare>>,
    }
}

document! {
    /// A tender's share of a line or of a shipping group's fee.
    pub struct TenderShare {
        /// The tender's id.
        "tender" => tender: Id,
        /// The money it paid of this line or fee.
        "amount" => amount: Money,
    }
}

document! {
    /// What one tender of the cart paid (抵扣).
    pub struct QuoteTender {
        /// The tender's id.
        "id" => id: Id,
        /// "points" or "credit".
        "kind" => kind: TenderKind,
        /// Who funds it.
        "funded_by" => funded_by: TenderFunder,
        /// The money it paid in all.
        "amount" => amount: Money,
        /// A points tender only: the points used (0 when it paid nothing).
        "points" => points: Option<Points>,
        /// Only when it paid nothing: why.
        "reason" => reason: Option<TenderReason>,
    }
}

document! {
    /// One discount's share on one line.
    pub struct LineDiscount {
        /// The promotion's id, or "presale" for a deposit expansion (定金膨胀).
        "promotion" => promotion: Id,
        /// The stage it applied in.
        "stage" => stage: Stage,
        /// The money it took off this line.
        "amount" => amount: Money,
    }
}

document! {
    /// One promotion's total.
    pub struct PromotionTotal {
        /// Promotion id.
        "id" => id: Id,
        /// The stage it applied in.
        "stage" => stage: Stage,
        /// Who pays for it.
        "funded_by" => funded_by: Funder,
        /// Whether it is a coupon.
        "coupon" => coupon: bool,
        /// The money it took off in all, the sum over its lines (or shipping
        /// groups).
        "amount" => amount: Money,
    }
}

document! {
    /// A shipping group's fee.
    pub struct ShippingFee {
        /// Store id.
        "store" => store: Id,
        /// The group's address, only for a group of lines with one.
        "ship_to" => ship_to: Option<Id>,
        /// What the buyer pays for the group's shipping, after shipping
        /// promotions. The fee before them is `fee` plus the discounts.
        "fee" => fee: Money,
        /// What shipping promotions took off, in application order (only
        /// when one did); the fee before them is `fee` plus their sum.
        "discounts" => discounts: Option<Vec<ShippingDiscount>>,
        /// Version 3: the non-zero shares of the tenders that paid for the fee, in
        /// application order (only when there is one).
        "tenders" => tenders: Option<Vec<TenderShare>>,
    }
}

document! {
    /// A shipping promotion's discount on one group's fee.
    pub struct ShippingDiscount {
        /// The shipping promotion's id.
        "promotion" => promotion: Id,
        /// The money it took off the group's fee.
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
        /// Version 3, when the cart has `claimable`: the applied coupons that were claimable (领券),
        /// in application order.
        "claim" => claim: Option<Vec<Id>>,
        /// Every held coupon not applied, in the order of the cart's `coupons`.
        "unused" => unused: Vec<Unused>,
        /// `true` when `apply` was "best" and the engine proved that no other
        /// choice of held coupons gives a lower payable. Otherwise `false`,
        /// also when the search budget ran out.
        "proven_best" => proven_best: bool,
    }
}

document! {
    /// A 凑单 hint: spend `add` more to reach the next tier.
    pub struct Hint {
        /// The threshold promotion's id.
        "promotion" => promotion: Id,
        /// How much its base still needs to reach the next tier.
        "add" => add: Money,
        /// A `threshold_off` only: how much more the next tier would take off.
        "extra_off" => extra_off: Option<Money>,
        /// A `threshold_rate` only: the next tier's rate, the share still paid.
        "rate" => rate: Option<Rate>,
        /// A `gift` only (version 3): the next tier's gifts, as listed.
        "gifts" => gifts: Option<Vec<HintGift>>,
    }
}

document! {
    /// One gift of a gift promotion's next tier, in a hint.
    pub struct HintGift {
        /// The gift's sku.
        "sku" => sku: Id,
        /// How many units.
        "qty" => qty: Qty,
        /// The value of one unit.
        "value" => value: Money,
    }
}

document! {
    /// One gift given (满赠, version 3). Gifts take no money: they are in no
    /// amount, total or settlement.
    pub struct GivenGift {
        /// The gift promotion.
        "promotion" => promotion: Id,
        /// The gift promotion's store.
        "store" => store: Id,
        /// The gift's sku.
        "sku" => sku: Id,
        /// How many units.
        "qty" => qty: Qty,
        /// The value of one unit.
        "value" => value: Money,
    }
}

document! {
    /// The quote's totals.
    pub struct Totals {
        /// Sum of list amounts.
        "list" => list: Money,
        /// The money taken off the goods: `list` minus the sum of the lines'
        /// finals. Shipping discounts are not in it.
        "discount" => discount: Money,
        /// The sum of the shipping groups' fees, after shipping promotions.
        "shipping" => shipping: Money,
        /// What the order costs the buyer: goods (the sum of the lines' finals)
        /// plus `shipping`.
        "payable" => payable: Money,
        /// The sum of the presale lines' deposits.
        "deposit_paid" => deposit_paid: Money,
        /// What the buyer pays at checkout: `payable` minus the deposits paid,
        /// each at most its line's final (for presale lines, the balance 尾款).
        "due" => due: Money,
        /// Deposit above the final price, given back.
        "deposit_refund" => deposit_refund: Money,
        /// Version 3, only when the cart has `tenders`: what the tenders paid.
        "tenders" => tenders: Option<Money>,
        /// Version 3, only when the cart has `tenders`: `due` minus `tenders`, what the
        /// buyer pays in money now.
        "cash" => cash: Option<Money>,
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

crate::schema::described! { Digest => Digest }

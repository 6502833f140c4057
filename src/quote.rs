//! Quote assembly (contract section 5): from the chosen coupons' run to the
//! output document, with unused-coupon reasons, 凑单 hints, totals and the
//! digest.

use crate::best;
use crate::cart::{Apply, Cart};
use crate::digest::{self, Object, ToJson};
use crate::error::{Error, ErrorCode, Path};
use crate::ids::Id;
use crate::money::{Money, Rate};
use crate::pricing::{self, Context, Run};
use crate::rules::{Basis, Funder, Rules, Stage};
use crate::stages::threshold::{self, NextTier};
use serde::Serialize;

/// A quote: what every line finally costs, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The currency code.
    pub currency: String,
    /// Lines in cart order.
    pub lines: Vec<QuoteLine>,
    /// Every promotion that took money off, in application order.
    pub promotions: Vec<PromotionTotal>,
    /// Shipping per store of `rules.stores` with lines in the cart.
    pub shipping: Vec<ShippingFee>,
    /// Which held coupons were applied, which not and why.
    pub coupons: CouponReport,
    /// 凑单 hints, in application order.
    pub hints: Vec<Hint>,
    /// Totals.
    pub totals: Totals,
    /// `sha256:` of the canonical JSON of the quote without this field.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub digest: String,
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteLine {
    /// Line id.
    pub id: Id,
    /// Store id.
    pub store: Id,
    /// Units.
    pub qty: u32,
    /// `unit_price * qty`.
    pub list: Money,
    /// What the line finally costs.
    #[serde(rename = "final")]
    pub final_amount: Money,
    /// Non-zero discounts in the order applied.
    pub discounts: Vec<LineDiscount>,
    /// `deposit * qty`, on presale lines only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposit: Option<Money>,
}

/// One discount's share on one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineDiscount {
    /// Promotion id, or `presale`.
    pub promotion: Id,
    /// Its stage.
    pub stage: Stage,
    /// The line's share.
    pub amount: Money,
}

/// One promotion's total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromotionTotal {
    /// Promotion id.
    pub id: Id,
    /// Its stage.
    pub stage: Stage,
    /// Who pays for it.
    pub funded_by: Funder,
    /// Whether it is a coupon.
    pub coupon: bool,
    /// What it took off in all.
    pub amount: Money,
}

/// A store's shipping fee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShippingFee {
    /// Store id.
    pub store: Id,
    /// The fee charged (0 when free).
    pub fee: Money,
}

/// Why a held coupon was not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnusedReason {
    /// No coupon promotion has this id.
    UnknownCoupon,
    /// Outside its window.
    Inactive,
    /// No line of the cart is in its scope.
    NoLinesInScope,
    /// No tier is met on the base it would have had in this quote.
    ThresholdNotMet,
    /// It would not lower `payable`, its slot went to another coupon, or
    /// `apply` did not list it.
    NotChosen,
}

/// A held coupon that was not applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unused {
    /// Coupon id as held.
    pub id: Id,
    /// The first reason that holds.
    pub reason: UnusedReason,
}

/// The coupon section of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CouponReport {
    /// Applied coupons, in application order.
    pub applied: Vec<Id>,
    /// Held coupons not applied, in the order held.
    pub unused: Vec<Unused>,
    /// Whether `apply: "best"` was proven optimal.
    pub proven_best: bool,
}

/// A 凑单 hint: spend `add` more to reach the next tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// The promotion.
    pub promotion: Id,
    /// How much more to spend.
    pub add: Money,
    /// For a `threshold_off`: how much more it then takes off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_off: Option<Money>,
    /// For a `threshold_rate`: the next tier's rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
}

/// The quote's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Sum of list amounts.
    pub list: Money,
    /// `list - goods`.
    pub discount: Money,
    /// Sum of fees.
    pub shipping: Money,
    /// Goods plus shipping.
    pub payable: Money,
    /// Sum of presale deposits.
    pub deposit_paid: Money,
    /// What the buyer pays at checkout (尾款 for presale lines).
    pub due: Money,
    /// Deposit above the final price, given back.
    pub deposit_refund: Money,
}

impl Quote {
    /// The quote as compact JSON (the canonical form plus `digest`).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.lines.len().saturating_add(1).saturating_mul(512));
        self.write(&mut out, true);
        out
    }

    /// The canonical JSON of the quote without `digest`.
    pub fn canonical_json(&self) -> String {
        let mut out = String::with_capacity(self.lines.len().saturating_add(1).saturating_mul(512));
        self.write(&mut out, false);
        out
    }

    fn write(&self, out: &mut String, with_digest: bool) {
        let digest = (with_digest && !self.digest.is_empty()).then_some(&self.digest);
        Object::new(out)
            .field("currency", &self.currency)
            .field("lines", &self.lines)
            .field("promotions", &self.promotions)
            .field("shipping", &self.shipping)
            .field("coupons", &self.coupons)
            .field("hints", &self.hints)
            .field("totals", &self.totals)
            .optional("digest", digest.map(|d| d as &dyn ToJson))
            .end();
    }

    /// Recompute the digest from the other fields.
    pub fn compute_digest(&self) -> String {
        digest::of(&self.canonical_json())
    }
}

impl ToJson for QuoteLine {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("store", &self.store)
            .field("qty", &self.qty)
            .field("list", &self.list)
            .field("final", &self.final_amount)
            .field("discounts", &self.discounts)
            .optional("deposit", self.deposit.as_ref().map(|d| d as &dyn ToJson))
            .end();
    }
}

impl ToJson for LineDiscount {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("promotion", &self.promotion)
            .field("stage", &self.stage)
            .field("amount", &self.amount)
            .end();
    }
}

impl ToJson for PromotionTotal {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("stage", &self.stage)
            .field("funded_by", &self.funded_by)
            .field("coupon", &self.coupon)
            .field("amount", &self.amount)
            .end();
    }
}

impl ToJson for ShippingFee {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("store", &self.store)
            .field("fee", &self.fee)
            .end();
    }
}

impl UnusedReason {
    /// The reason's name in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            UnusedReason::UnknownCoupon => "unknown_coupon",
            UnusedReason::Inactive => "inactive",
            UnusedReason::NoLinesInScope => "no_lines_in_scope",
            UnusedReason::ThresholdNotMet => "threshold_not_met",
            UnusedReason::NotChosen => "not_chosen",
        }
    }
}

impl ToJson for Unused {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("reason", &self.reason.as_str())
            .end();
    }
}

impl ToJson for CouponReport {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("applied", &self.applied)
            .field("unused", &self.unused)
            .field("proven_best", &self.proven_best)
            .end();
    }
}

impl ToJson for Hint {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("promotion", &self.promotion)
            .field("add", &self.add)
            .optional(
                "extra_off",
                self.extra_off.as_ref().map(|m| m as &dyn ToJson),
            )
            .optional("rate", self.rate.as_ref().map(|r| r as &dyn ToJson))
            .end();
    }
}

impl ToJson for Totals {
    fn to_json(&self, out: &mut String) {
        Object::new(out)
            .field("list", &self.list)
            .field("discount", &self.discount)
            .field("shipping", &self.shipping)
            .field("payable", &self.payable)
            .field("deposit_paid", &self.deposit_paid)
            .field("due", &self.due)
            .field("deposit_refund", &self.deposit_refund)
            .end();
    }
}

/// The pseudo-promotion id of the presale expansion.
fn presale_id() -> Id {
    Id::trusted("presale")
}

/// Price `cart` under `rules` (contract sections 3 to 6).
///
/// Errors are the cross-document ones: a cart read at another currency's
/// scale, and an explicit `apply` naming coupons not held or two coupons of
/// one slot.
pub fn quote(rules: &Rules, cart: &Cart) -> Result<Quote, Error> {
    let root = Path::ROOT;
    quote_at(rules, cart, &root.key("cart"))
}

/// [`quote`] with the cart's errors reported under `cart_path` (price
/// protection quotes `original.cart`).
pub(crate) fn quote_at(rules: &Rules, cart: &Cart, cart_path: &Path<'_>) -> Result<Quote, Error> {
    let mut quote = quote_with(rules, cart, cart_path, best::search)?;
    quote.digest = quote.compute_digest();
    Ok(quote)
}

/// [`quote`] written as compact JSON text (what [`Quote::to_json`] gives),
/// serializing the quote once: the digest is of the canonical text, which
/// is the output without its last member, so the output is that text with
/// `digest` appended.
pub fn quote_text(rules: &Rules, cart: &Cart) -> Result<String, Error> {
    let root = Path::ROOT;
    let quote = quote_with(rules, cart, &root.key("cart"), best::search)?;
    let mut text = quote.canonical_json();
    let digest = digest::of(&text);
    if text.ends_with('}') {
        text.pop();
        text.push_str(",\"digest\":");
        digest.to_json(&mut text);
        text.push('}');
    }
    Ok(text)
}

/// [`quote`] with `apply: "best"` answered by trying every choice of
/// coupons through the whole pipeline: slow, obviously right, and the
/// reference the fast search is tested against. Not for production use.
#[doc(hidden)]
pub fn quote_exhaustive(rules: &Rules, cart: &Cart) -> Result<Quote, Error> {
    let root = Path::ROOT;
    let mut quote = quote_with(rules, cart, &root.key("cart"), best::exhaustive)?;
    quote.digest = quote.compute_digest();
    Ok(quote)
}

fn quote_with(
    rules: &Rules,
    cart: &Cart,
    cart_path: &Path<'_>,
    search: fn(&Context<'_>, &[usize]) -> best::Choice,
) -> Result<Quote, Error> {
    if cart.scale != rules.currency.scale() {
        return Err(cart_path.err(
            ErrorCode::InvalidAmount,
            "the cart was read at another currency's scale",
        ));
    }
    let at = cart.at.as_ref();
    let known = |id: &Id| {
        rules
            .promotion_index(id.as_str())
            .filter(|&i| rules.promotions.get(i).is_some_and(|p| p.coupon))
    };
    let active = |pi: usize| rules.promotions.get(pi).is_some_and(|p| p.active_at(at));

    let (candidates, is_best) = match &cart.apply {
        Apply::Best => {
            let held: Vec<usize> = cart
                .coupons
                .iter()
                .filter_map(known)
                .filter(|&pi| active(pi))
                .collect();
            (held, true)
        }
        Apply::Explicit(list) => {
            let apply_path = cart_path.key("apply");
            let mut chosen: Vec<usize> = Vec::new();
            let mut slots: Vec<(&str, &Id)> = Vec::new();
            for (j, id) in list.iter().enumerate() {
                let jp = apply_path.index(j);
                if !cart.coupons.contains(id) {
                    return Err(jp.err(
                        ErrorCode::CouponNotHeld,
                        format!("coupon '{id}' is not held"),
                    ));
                }
                let Some(pi) = known(id) else { continue };
                let Some(p) = rules.promotions.get(pi) else {
                    continue;
                };
                if let Some((_, other)) = slots.iter().find(|(s, _)| *s == p.slot.as_str()) {
                    return Err(jp.err(
                        ErrorCode::SlotConflict,
                        format!("coupons '{other}' and '{id}' share slot '{}'", p.slot),
                    ));
                }
                slots.push((p.slot.as_str(), id));
                if active(pi) {
                    chosen.push(pi);
                }
            }
            (chosen, false)
        }
    };

    let ctx = Context::new(rules, cart, &candidates);
    let (selected, proven_best) = if is_best {
        let useful: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&c| {
                ctx.stages
                    .iter()
                    .flatten()
                    .any(|e| e.promo == c && !e.lines.is_empty())
            })
            .collect();
        let choice = search(&ctx, &useful);
        (choice.coupons, choice.proven)
    } else {
        (candidates.clone(), false)
    };
    let run = ctx.run(|p| selected.contains(&p));
    Ok(assemble(&ctx, &run, proven_best))
}

/// The quote of one priced run, with `digest` still empty (the callers
/// compute it from the canonical text).
fn assemble(ctx: &Context<'_>, run: &Run, proven_best: bool) -> Quote {
    let rules = ctx.rules;
    let cart = ctx.cart;
    let zero = ctx.zero();
    let promo = |pi: usize| rules.promotions.get(pi);

    // Lines, with discounts in application order.
    let mut lines: Vec<QuoteLine> = cart
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut discounts = Vec::new();
            if let Some(item) = ctx.item.get(i) {
                if let Some((pi, off)) = item.markdown {
                    if let Some(p) = promo(pi) {
                        discounts.push(LineDiscount {
                            promotion: p.id.clone(),
                            stage: Stage::Item,
                            amount: off,
                        });
                    }
                }
                if !item.presale.is_zero() {
                    discounts.push(LineDiscount {
                        promotion: presale_id(),
                        stage: Stage::Item,
                        amount: item.presale,
                    });
                }
            }
            QuoteLine {
                id: l.id.clone(),
                store: l.store.clone(),
                qty: l.qty,
                list: ctx.list.get(i).copied().unwrap_or(zero),
                final_amount: run.finals.get(i).copied().unwrap_or(zero),
                discounts,
                deposit: l.presale.map(|p| p.deposit.times(l.qty)),
            }
        })
        .collect();
    for a in &run.applied {
        let Some(p) = promo(a.promo) else { continue };
        for &(i, share) in &a.shares {
            if let Some(line) = lines.get_mut(i) {
                line.discounts.push(LineDiscount {
                    promotion: p.id.clone(),
                    stage: a.stage,
                    amount: share,
                });
            }
        }
    }

    // Promotions: markdowns in stage order, then the later stages.
    let mut md: Vec<(usize, Money)> = Vec::new();
    for item in &ctx.item {
        if let Some((pi, off)) = item.markdown {
            match md.iter_mut().find(|(p, _)| *p == pi) {
                Some((_, total)) => *total = total.plus(off),
                None => md.push((pi, off)),
            }
        }
    }
    md.sort_by(|a, b| {
        promo(a.0)
            .map(|p| p.order_key())
            .cmp(&promo(b.0).map(|p| p.order_key()))
    });
    let mut promotions = Vec::new();
    for (pi, amount) in md
        .into_iter()
        .chain(run.applied.iter().map(|a| (a.promo, a.amount)))
    {
        if let Some(p) = promo(pi) {
            promotions.push(PromotionTotal {
                id: p.id.clone(),
                stage: p.stage,
                funded_by: p.funded_by,
                coupon: p.coupon,
                amount,
            });
        }
    }

    let shipping: Vec<ShippingFee> = ctx
        .shipping_groups
        .iter()
        .zip(&run.fees)
        .filter_map(|((si, _), fee)| {
            rules.stores.get(*si).map(|s| ShippingFee {
                store: s.id.clone(),
                fee: *fee,
            })
        })
        .collect();

    // Coupons.
    let applied_ids: Vec<usize> = run
        .applied
        .iter()
        .filter(|a| promo(a.promo).is_some_and(|p| p.coupon))
        .map(|a| a.promo)
        .collect();
    let applied: Vec<Id> = applied_ids
        .iter()
        .filter_map(|&pi| promo(pi).map(|p| p.id.clone()))
        .collect();
    let unused: Vec<Unused> = cart
        .coupons
        .iter()
        .filter_map(|id| {
            let pi = rules
                .promotion_index(id.as_str())
                .filter(|&pi| promo(pi).is_some_and(|p| p.coupon));
            if pi.is_some_and(|pi| applied_ids.contains(&pi)) {
                return None;
            }
            Some(Unused {
                id: id.clone(),
                reason: unused_reason(ctx, run, pi),
            })
        })
        .collect();

    // Hints, in application order.
    let mut hints = Vec::new();
    for entries in &ctx.stages {
        for e in entries {
            if e.coupon && !applied_ids.contains(&e.promo) {
                continue;
            }
            let Some(p) = promo(e.promo) else { continue };
            if e.lines.is_empty() || p.effect.basis() != Some(Basis::Amount) {
                continue;
            }
            let base = ctx.base(e, pricing::snapshot(ctx, run, p.threshold_on));
            let hint = match threshold::next_tier(&p.effect, base, ctx.scale) {
                None => continue,
                Some(NextTier::Off { add, extra_off }) => Hint {
                    promotion: p.id.clone(),
                    add: Money::from_minor(add, ctx.scale),
                    extra_off: Some(extra_off),
                    rate: None,
                },
                Some(NextTier::Rate { add, rate }) => Hint {
                    promotion: p.id.clone(),
                    add: Money::from_minor(add, ctx.scale),
                    extra_off: None,
                    rate: Some(rate),
                },
            };
            hints.push(hint);
        }
    }

    // Totals.
    let sum = |it: &mut dyn Iterator<Item = Money>| it.fold(zero, |s, m| s.plus(m));
    let list = sum(&mut ctx.list.iter().copied());
    let goods = sum(&mut run.finals.iter().copied());
    let shipping_total = sum(&mut run.fees.iter().copied());
    let payable = goods.plus(shipping_total);
    let mut deposit_paid = zero;
    let mut deposit_used = zero;
    let mut deposit_refund = zero;
    for (l, f) in cart.lines.iter().zip(&run.finals) {
        if let Some(ps) = l.presale {
            let d = ps.deposit.times(l.qty);
            deposit_paid = deposit_paid.plus(d);
            deposit_used = deposit_used.plus(d.min_of(*f));
            deposit_refund = deposit_refund.plus(d.minus(*f).max_of(zero));
        }
    }
    let totals = Totals {
        list,
        discount: list.minus(goods),
        shipping: shipping_total,
        payable,
        deposit_paid,
        due: payable.minus(deposit_used),
        deposit_refund,
    };

    Quote {
        currency: rules.currency.code().to_owned(),
        lines,
        promotions,
        shipping,
        coupons: CouponReport {
            applied,
            unused,
            proven_best,
        },
        hints,
        totals,
        digest: String::new(),
    }
}

/// The first reason that holds for a held coupon that was not applied.
fn unused_reason(ctx: &Context<'_>, run: &Run, promo: Option<usize>) -> UnusedReason {
    let Some(pi) = promo else {
        return UnusedReason::UnknownCoupon;
    };
    let Some(p) = ctx.rules.promotions.get(pi) else {
        return UnusedReason::UnknownCoupon;
    };
    if !p.active_at(ctx.cart.at.as_ref()) {
        return UnusedReason::Inactive;
    }
    let lines = pricing::covered(ctx, pi);
    if lines.is_empty() {
        return UnusedReason::NoLinesInScope;
    }
    let entry = pricing::Entry {
        promo: pi,
        qty: lines
            .iter()
            .filter_map(|&i| ctx.cart.lines.get(i))
            .map(|l| i128::from(l.qty))
            .sum(),
        lines,
        coupon: true,
    };
    let base = ctx.base(&entry, pricing::snapshot(ctx, run, p.threshold_on));
    if !threshold::threshold_met(&p.effect, base) {
        return UnusedReason::ThresholdNotMet;
    }
    UnusedReason::NotChosen
}

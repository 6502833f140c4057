//! Quote assembly (contract section 5): from the chosen coupons' run to the
//! quote document — lines with their discounts, promotion totals,
//! shipping per group with its discounts, the coupon report with unused
//! reasons, 凑单 hints and totals. The digest is added by the caller, from
//! the canonical text.

use super::document::{
    CouponReport, Digest, GivenGift, Hint, HintGift, LineDiscount, PromotionTotal, Quote,
    QuoteLine, QuoteTender, ShippingDiscount, ShippingFee, TenderShare, Totals, Unused,
};
use crate::input::promotion::{Effect, ShippingOff, Threshold};
use crate::input::rules::PromoRef;
use crate::input::tender::Tender;
use crate::pricing::gift;
use crate::pricing::tender::{self, Payments};
use crate::pricing::threshold::{self, NextTier};
use crate::pricing::{Context, Run};
use crate::values::sort_by;
use crate::values::{Basis, Broken, Id, Money, Points, Stage, TenderKind, UnusedReason};

/// The pseudo-promotion id of the presale expansion.
fn presale_id() -> Id {
    Id::trusted("presale")
}

/// The quote of one priced run, with its digest still empty.
pub(crate) fn assemble(
    ctx: &Context<'_>,
    run: &Run<'_>,
    proven_best: bool,
) -> Result<Quote, Broken> {
    let applied_coupons: Vec<PromoRef<'_>> = run
        .applied
        .iter()
        .map(|a| a.promo)
        .chain(run.shipping.applied.iter().map(|(p, _)| *p))
        .filter(|p| p.promotion.coupon)
        .collect();
    let mut quote = Quote {
        currency: ctx.rules.currency.code().to_owned(),
        lines: lines(ctx, run)?,
        promotions: promotion_totals(ctx, run),
        shipping: shipping(ctx, run),
        coupons: coupon_report(ctx, run, &applied_coupons, proven_best)?,
        hints: hints(ctx, run, &applied_coupons)?,
        gifts: gifts(ctx)?,
        tenders: None,
        totals: totals(ctx, run),
        digest: Digest::default(),
    };
    if let Some(paid) = tender::pay(ctx, run)? {
        write_tenders(&mut quote, &paid, ctx.scale);
    }
    Ok(quote)
}

/// What the tenders paid, on the quote: its `tenders`, each line's and
/// fee's shares, `totals.tenders` and `totals.cash`.
fn write_tenders(quote: &mut Quote, paid: &Payments<'_>, scale: u32) {
    let shares = |list: &[(&Tender, i128)]| {
        (!list.is_empty()).then(|| {
            list.iter()
                .map(|(t, share)| TenderShare {
                    tender: t.id.clone(),
                    amount: Money::from_minor(*share, scale),
                })
                .collect()
        })
    };
    for (line, list) in quote.lines.iter_mut().zip(&paid.lines) {
        line.tenders = shares(list);
    }
    for (fee, list) in quote.shipping.iter_mut().zip(&paid.groups) {
        fee.tenders = shares(list);
    }
    let entries: Vec<QuoteTender> = paid
        .tenders
        .iter()
        .map(|p| QuoteTender {
            id: p.tender.id.clone(),
            kind: p.tender.kind,
            funded_by: p.tender.funded_by,
            amount: Money::from_minor(p.paid, scale),
            points: (p.tender.kind == TenderKind::Points).then_some(Points(p.points)),
            reason: p.reason,
        })
        .collect();
    let total = entries
        .iter()
        .fold(Money::from_minor(0, scale), |s, e| s.plus(e.amount));
    quote.tenders = Some(entries);
    quote.totals.tenders = Some(total);
    quote.totals.cash = Some(quote.totals.due.minus(total));
}

/// The lines, each with its discounts in application order: its markdown,
/// its multi-buys, `presale`, then the threshold and subsidy stages'
/// shares.
fn lines(ctx: &Context<'_>, run: &Run<'_>) -> Result<Vec<QuoteLine>, Broken> {
    let mut lines = ctx
        .cart
        .lines
        .iter()
        .zip(ctx.item.iter())
        .zip(ctx.list.iter().zip(run.finals.iter()))
        .map(|((l, item), (&list, &final_amount))| {
            let mut discounts = Vec::new();
            if let Some(m) = item.markdown {
                discounts.push(LineDiscount {
                    promotion: m.promo.promotion.id.clone(),
                    stage: Stage::Item,
                    amount: m.off,
                });
            }
            for t in &item.multi_buys {
                discounts.push(LineDiscount {
                    promotion: t.promo.promotion.id.clone(),
                    stage: Stage::Item,
                    amount: t.off,
                });
            }
            if !item.presale.is_zero() {
                discounts.push(LineDiscount {
                    promotion: presale_id(),
                    stage: Stage::Item,
                    amount: item.presale,
                });
            }
            QuoteLine {
                id: l.id.clone(),
                store: l.store.clone(),
                ship_to: l.ship_to.clone(),
                qty: l.qty,
                list,
                final_amount,
                discounts,
                deposit: l.presale.map(|p| p.deposit.times(l.qty.get())),
                tenders: None,
            }
        })
        .collect::<Vec<QuoteLine>>();
    for a in &run.applied {
        for share in &a.shares {
            let line = lines
                .get_mut(share.line.get())
                .ok_or(Broken("a share outside the cart"))?;
            line.discounts.push(LineDiscount {
                promotion: a.promo.promotion.id.clone(),
                stage: a.stage,
                amount: share.amount,
            });
        }
    }
    Ok(lines)
}

/// Every promotion that took money off: markdowns in stage order, then
/// multi-buys in stage order, then the later stages in application order.
fn promotion_totals<'r>(ctx: &Context<'r>, run: &Run<'r>) -> Vec<PromotionTotal> {
    let mut markdowns: Vec<(PromoRef<'r>, Money)> = Vec::new();
    let mut multi_buys: Vec<(PromoRef<'r>, Money)> = Vec::new();
    fn add<'r>(totals: &mut Vec<(PromoRef<'r>, Money)>, p: PromoRef<'r>, off: Money) {
        match totals.iter_mut().find(|(x, _)| *x == p) {
            Some((_, total)) => *total = total.plus(off),
            None => totals.push((p, off)),
        }
    }
    for item in ctx.item.iter() {
        if let Some(m) = item.markdown {
            add(&mut markdowns, m.promo, m.off);
        }
        for t in &item.multi_buys {
            add(&mut multi_buys, t.promo, t.off);
        }
    }
    for list in [&mut markdowns, &mut multi_buys] {
        sort_by(list, |a, b| a.0.stage_order(&b.0));
    }
    markdowns
        .into_iter()
        .chain(multi_buys)
        .chain(run.applied.iter().map(|a| (a.promo, a.amount)))
        .chain(run.shipping.applied.iter().copied())
        .map(|(p, amount)| PromotionTotal {
            id: p.promotion.id.clone(),
            stage: p.promotion.stage,
            funded_by: p.promotion.funded_by,
            coupon: p.promotion.coupon,
            amount,
        })
        .collect()
}

/// The fee of every shipping group, with the shipping promotions' shares.
fn shipping(ctx: &Context<'_>, run: &Run<'_>) -> Vec<ShippingFee> {
    ctx.shipping
        .iter()
        .zip(&run.shipping.fees)
        .enumerate()
        .map(|(g, (group, fee))| {
            let discounts: Vec<ShippingDiscount> = run
                .shipping
                .discounts
                .get(g)
                .into_iter()
                .flatten()
                .map(|(p, amount)| ShippingDiscount {
                    promotion: p.promotion.id.clone(),
                    amount: *amount,
                })
                .collect();
            ShippingFee {
                store: group.store.id.clone(),
                ship_to: group.ship_to.cloned(),
                fee: *fee,
                discounts: (!discounts.is_empty()).then_some(discounts),
                tenders: None,
            }
        })
        .collect()
}

/// Applied coupons in application order; every other held coupon with the
/// first reason that holds.
fn coupon_report(
    ctx: &Context<'_>,
    run: &Run<'_>,
    applied: &[PromoRef<'_>],
    proven_best: bool,
) -> Result<CouponReport, Broken> {
    let mut unused = Vec::new();
    for id in &ctx.cart.coupons {
        let known = ctx.rules.coupon(id.as_str());
        if known.is_some_and(|c| applied.contains(&c)) {
            continue;
        }
        let reason = match known {
            None => UnusedReason::UnknownCoupon,
            Some(c) => unused_reason(ctx, run, c)?,
        };
        unused.push(Unused {
            id: id.clone(),
            reason,
        });
    }
    let claim = ctx.cart.claimable.as_ref().map(|c| {
        applied
            .iter()
            .filter(|p| c.contains(&p.promotion.id))
            .map(|p| p.promotion.id.clone())
            .collect()
    });
    Ok(CouponReport {
        applied: applied.iter().map(|p| p.promotion.id.clone()).collect(),
        claim,
        unused,
        proven_best,
    })
}

/// The first reason that holds for a known held coupon that was not
/// applied.
fn unused_reason(
    ctx: &Context<'_>,
    run: &Run<'_>,
    p: PromoRef<'_>,
) -> Result<UnusedReason, Broken> {
    if !p.promotion.in_window(ctx.cart.at.as_ref()) {
        return Ok(UnusedReason::Inactive);
    }
    if !p.promotion.eligible(&ctx.cart.buyer) {
        return Ok(UnusedReason::NotEligible);
    }
    match &p.promotion.effect {
        Effect::Threshold(t) => threshold_reason(ctx, run, p, t),
        Effect::ShippingOff(off) => shipping_reason(ctx, run, p, off),
        _ => Ok(UnusedReason::NotChosen),
    }
}

/// A threshold coupon's reason: no line in scope (an excluded line is in
/// no threshold promotion's scope), or no tier met on the base it would
/// have had, or not chosen.
fn threshold_reason(
    ctx: &Context<'_>,
    run: &Run<'_>,
    p: PromoRef<'_>,
    t: &Threshold,
) -> Result<UnusedReason, Broken> {
    // A candidate coupon's lines are known already; a held coupon that an
    // explicit `apply` left out has them found now.
    let entry = ctx.stages.get(t.stage).iter().find(|e| e.promo == p);
    let found;
    let (lines, qty) = match entry {
        Some(e) => (&e.lines, e.qty),
        None => {
            found = ctx
                .covered(p.promotion)
                .into_iter()
                .filter(|&i| ctx.item.at(i).is_ok_and(|l| !l.excluded))
                .collect::<Vec<_>>();
            let qty = found
                .iter()
                .filter_map(|i| ctx.cart.lines.get(i.get()))
                .map(|l| i128::from(l.qty.get()))
                .sum();
            (&found, qty)
        }
    };
    if lines.is_empty() {
        return Ok(UnusedReason::NoLinesInScope);
    }
    let snapshot = ctx.snapshots_of(run).get(t.threshold_on)?;
    let base = Context::base(t, lines, qty, snapshot)?;
    Ok(if threshold::threshold_met(&t.rule, base) {
        UnusedReason::NotChosen
    } else {
        UnusedReason::ThresholdNotMet
    })
}

/// A shipping coupon's reason: no line in scope belongs to a shipping
/// group; with `at`, no group in scope reaches it on this quote's finals;
/// else not chosen.
fn shipping_reason(
    ctx: &Context<'_>,
    run: &Run<'_>,
    p: PromoRef<'_>,
    off: &ShippingOff,
) -> Result<UnusedReason, Broken> {
    let mut in_scope: Vec<Option<i128>> = vec![None; ctx.shipping.len()];
    for l in ctx.covered(p.promotion) {
        if let Some(g) = *ctx.group_of.at(l)? {
            let sum = in_scope
                .get_mut(g.get())
                .ok_or(Broken("a shipping group"))?;
            *sum = Some(sum.unwrap_or(0).saturating_add(run.finals.at(l)?.minor()));
        }
    }
    let sums: Vec<i128> = in_scope.into_iter().flatten().collect();
    if sums.is_empty() {
        return Ok(UnusedReason::NoLinesInScope);
    }
    let reached = off
        .at
        .is_none_or(|at| sums.iter().any(|s| *s >= at.minor()));
    Ok(if reached {
        UnusedReason::NotChosen
    } else {
        UnusedReason::ThresholdNotMet
    })
}

/// The 凑单 hints, in application order: each active non-coupon and
/// each applied coupon with basis `amount` and lines in scope whose next
/// tier gives more; each active gift (version 3) with basis `amount`,
/// lines in scope and a tier above its base, at its place in the store
/// stage's order.
fn hints(ctx: &Context<'_>, run: &Run<'_>, applied: &[PromoRef<'_>]) -> Result<Vec<Hint>, Broken> {
    let mut hints: Vec<(PromoRef<'_>, Hint)> = Vec::new();
    let snapshots = ctx.snapshots_of(run);
    for e in ctx.stages.in_order().into_iter().flatten() {
        if (e.coupon() && !applied.contains(&e.promo))
            || e.lines.is_empty()
            || e.threshold.basis != Basis::Amount
        {
            continue;
        }
        let snapshot = snapshots.get(e.threshold.threshold_on)?;
        let base = Context::base(e.threshold, &e.lines, e.qty, snapshot)?;
        let promotion = e.promo.promotion.id.clone();
        let add = |add| Money::from_minor(add, ctx.scale);
        let hint = match threshold::next_tier(&e.threshold.rule, base, ctx.scale) {
            None => continue,
            Some(NextTier::Off { add: a, extra_off }) => Hint {
                promotion,
                add: add(a),
                extra_off: Some(extra_off),
                rate: None,
                gifts: None,
            },
            Some(NextTier::Rate { add: a, rate }) => Hint {
                promotion,
                add: add(a),
                extra_off: None,
                rate: Some(rate),
                gifts: None,
            },
        };
        hints.push((e.promo, hint));
    }
    let gift_hints = gift_hints(ctx)?;
    if !gift_hints.is_empty() {
        hints.extend(gift_hints);
        // Stable: the threshold hints keep their order; a gift goes to its
        // place in the store stage's order.
        sort_by(&mut hints, |a, b| {
            store_first(&a.0).cmp(&store_first(&b.0)).then_with(|| {
                match (store_first(&a.0), store_first(&b.0)) {
                    (0, 0) => a.0.stage_order(&b.0),
                    _ => std::cmp::Ordering::Equal,
                }
            })
        });
    }
    Ok(hints.into_iter().map(|(_, h)| h).collect())
}

/// 0 for a store-stage promotion, 1 for a later stage (hint order).
fn store_first(p: &PromoRef<'_>) -> u8 {
    u8::from(p.promotion.stage != Stage::Store)
}

/// The gift hints (version 3): the lowest tier above each active gift's
/// base, with what it needs and its gifts.
fn gift_hints<'r>(ctx: &Context<'r>) -> Result<Vec<(PromoRef<'r>, Hint)>, Broken> {
    let mut out = Vec::new();
    for e in &ctx.gifts {
        let Some((add, tier)) = gift::judge(ctx, e)?.next else {
            continue;
        };
        let gifts = tier
            .gifts
            .iter()
            .map(|g| HintGift {
                sku: g.sku.clone(),
                qty: g.qty,
                value: g.value,
            })
            .collect();
        out.push((
            e.promo,
            Hint {
                promotion: e.promo.promotion.id.clone(),
                add: Money::from_minor(add, ctx.scale),
                extra_off: None,
                rate: None,
                gifts: Some(gifts),
            },
        ));
    }
    Ok(out)
}

/// The gifts given (version 3), in the store stage's order, each tier's
/// gifts as listed; `None` when no gift was given.
fn gifts(ctx: &Context<'_>) -> Result<Option<Vec<GivenGift>>, Broken> {
    let mut out = Vec::new();
    for e in &ctx.gifts {
        let Some(tier) = gift::judge(ctx, e)?.given else {
            continue;
        };
        let store = e
            .promo
            .promotion
            .own_store()
            .ok_or(Broken("a gift without its store"))?;
        for g in &tier.gifts {
            out.push(GivenGift {
                promotion: e.promo.promotion.id.clone(),
                store: store.clone(),
                sku: g.sku.clone(),
                qty: g.qty,
                value: g.value,
            });
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// The totals (contract section 3, after shipping).
fn totals(ctx: &Context<'_>, run: &Run<'_>) -> Totals {
    let zero = ctx.zero();
    let sum = |it: &mut dyn Iterator<Item = Money>| it.fold(zero, |s, m| s.plus(m));
    let list = sum(&mut ctx.list.iter().copied());
    let goods = sum(&mut run.finals.iter().copied());
    let shipping = run.shipping.total;
    let payable = goods.plus(shipping);
    let mut deposit_paid = zero;
    let mut deposit_used = zero;
    let mut deposit_refund = zero;
    for (l, f) in ctx.cart.lines.iter().zip(run.finals.iter()) {
        if let Some(ps) = l.presale {
            let d = ps.deposit.times(l.qty.get());
            deposit_paid = deposit_paid.plus(d);
            deposit_used = deposit_used.plus(d.min_of(*f));
            deposit_refund = deposit_refund.plus(d.minus(*f).max_of(zero));
        }
    }
    Totals {
        list,
        discount: list.minus(goods),
        shipping,
        payable,
        deposit_paid,
        due: payable.minus(deposit_used),
        deposit_refund,
        tenders: None,
        cash: None,
    }
}

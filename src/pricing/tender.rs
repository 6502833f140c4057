//! Tenders (抵扣, contract section 3 step 5, version 3): after shipping,
//! the tenders of `cart.tenders` pay part of what each line and each
//! shipping group still owes, one at a time in `priority` order, then by
//! id; each payment is allocated (section 4) over the tender's lines in
//! cart order and then its groups in group order, in proportion to what
//! each still owes. A tender changes no price: it fills the quote's
//! `tenders` members and `totals.tenders` and `totals.cash`.

use super::allocation::allocate;
use super::{Context, Run};
use crate::input::tender::{CartTender, Tender};
use crate::output::document::{Quote, QuoteTender, TenderShare};
use crate::values::{sort_by, Broken, Money, Points, TenderKind, TenderReason};

/// What is still owed, per line and per shipping group, in minor units.
struct Owed {
    /// Per line, in cart order.
    lines: Vec<i128>,
    /// Per shipping group, in group order.
    groups: Vec<i128>,
}

/// One tender's lines and groups, as indexes.
struct Reach {
    /// Its lines in scope, in cart order.
    lines: Vec<usize>,
    /// The groups with a line in scope (when it pays shipping), in group order.
    groups: Vec<usize>,
}

/// Pay with the cart's tenders, when it has `tenders`, and write what they
/// paid into `quote` (built from the same run).
pub(crate) fn pay(ctx: &Context<'_>, run: &Run<'_>, quote: &mut Quote) -> Result<(), Broken> {
    let Some(used) = ctx.cart.tenders.as_ref() else {
        return Ok(());
    };
    let mut order: Vec<(&CartTender, &Tender)> = used
        .iter()
        .map(|c| Ok((c, ctx.rules.tenders.get(c.tender).ok_or(Broken("tender"))?)))
        .collect::<Result<_, Broken>>()?;
    sort_by(&mut order, |a, b| {
        (a.1.priority, a.1.id.as_str()).cmp(&(b.1.priority, b.1.id.as_str()))
    });
    let mut owed = Owed {
        lines: due(ctx, run),
        groups: run.shipping.fees.iter().map(|f| f.minor()).collect(),
    };
    let before = Owed {
        lines: owed.lines.clone(),
        groups: owed.groups.clone(),
    };
    let finals: Vec<i128> = run.finals.iter().map(|f| f.minor()).collect();
    let mut entries = Vec::with_capacity(order.len());
    let mut paid_total: i128 = 0;
    for (c, t) in order {
        let reach = reach(ctx, t);
        let (paid, points, reason) = amount(&finals, c, t, &reach, &before, &owed);
        let weights: Vec<i128> = owed_of(&reach, &owed);
        let shares = allocate(paid, &weights);
        share_out(quote, &reach, &shares, &mut owed, t, ctx.scale)?;
        paid_total = paid_total.saturating_add(paid);
        entries.push(QuoteTender {
            id: t.id.clone(),
            kind: t.kind,
            funded_by: t.funded_by,
            amount: Money::from_minor(paid, ctx.scale),
            points: (t.kind == TenderKind::Points).then_some(Points(points)),
            reason,
        });
    }
    let tenders = Money::from_minor(paid_total, ctx.scale);
    quote.tenders = Some(entries);
    quote.totals.tenders = Some(tenders);
    quote.totals.cash = Some(quote.totals.due.minus(tenders));
    Ok(())
}

/// What each line owes at this checkout: its final less the deposit paid
/// before (at most the final).
fn due(ctx: &Context<'_>, run: &Run<'_>) -> Vec<i128> {
    ctx.cart
        .lines
        .iter()
        .zip(run.finals.iter())
        .map(|(l, f)| {
            let d = l
                .presale
                .map_or(0, |p| p.deposit.times(l.qty.get()).minor());
            f.minor().saturating_sub(d.min(f.minor()))
        })
        .collect()
}

/// The lines in the tender's scope and, when it pays shipping, the groups
/// that have one of them.
fn reach(ctx: &Context<'_>, t: &Tender) -> Reach {
    let in_scope: Vec<bool> = ctx.cart.lines.iter().map(|l| t.scope.matches(l)).collect();
    let lines: Vec<usize> = in_scope
        .iter()
        .enumerate()
        .filter(|(_, m)| **m)
        .map(|(i, _)| i)
        .collect();
    let groups = match t.shipping {
        true => ctx
            .shipping
            .iter()
            .enumerate()
            .filter(|(_, g)| g.lines.iter().any(|l| in_scope.get(l.get()) == Some(&true)))
            .map(|(k, _)| k)
            .collect(),
        false => Vec::new(),
    };
    Reach { lines, groups }
}

/// What the lines and groups of `reach` owe in `owed`, lines first.
fn owed_of(reach: &Reach, owed: &Owed) -> Vec<i128> {
    reach
        .lines
        .iter()
        .map(|&i| owed.lines.get(i).copied().unwrap_or(0))
        .chain(
            reach
                .groups
                .iter()
                .map(|&k| owed.groups.get(k).copied().unwrap_or(0)),
        )
        .collect()
}

/// What tender `t` pays (minor units), the points it uses, and why it
/// pays nothing when it does not.
fn amount(
    finals: &[i128],
    c: &CartTender,
    t: &Tender,
    reach: &Reach,
    before: &Owed,
    owed: &Owed,
) -> (i128, u64, Option<TenderReason>) {
    let b0: i128 = owed_of(reach, before).iter().sum();
    let r: i128 = owed_of(reach, owed).iter().sum();
    let share_cap = t
        .max_share
        .map(|rate| b0.saturating_mul(rate.per_10000()).div_euclid(10_000));
    let limit = share_cap.map_or(r, |cap| cap.min(r));
    let goods: i128 = reach.lines.iter().filter_map(|&i| finals.get(i)).sum();
    let wanted = c.use_at_most.map_or(c.balance, |u| u.min(c.balance));
    let (paid, points) = match (t.kind, t.unit_value) {
        (TenderKind::Points, Some(unit)) => {
            let unit = unit.minor().max(1);
            let mut p = wanted.min(limit.div_euclid(unit));
            if let Some(m) = t.max_points {
                p = p.min(i128::from(m));
            }
            let step = i128::from(t.step.max(1));
            p = p.saturating_sub(p.rem_euclid(step)).max(0);
            (p.saturating_mul(unit), u64::try_from(p).unwrap_or(0))
        }
        _ => (wanted.min(limit).max(0), 0),
    };
    let usable = !reach.lines.is_empty() && t.at.is_none_or(|at| goods >= at.minor());
    let (paid, points) = if usable { (paid, points) } else { (0, 0) };
    if paid > 0 {
        return (paid, points, None);
    }
    let reason = if reach.lines.is_empty() {
        TenderReason::NoLinesInScope
    } else if !usable {
        TenderReason::ThresholdNotMet
    } else if wanted == 0 {
        TenderReason::NoBalance
    } else if r == 0 {
        TenderReason::NothingDue
    } else if share_cap == Some(0) || t.max_points == Some(0) {
        TenderReason::Capped
    } else {
        TenderReason::BelowStep
    };
    (0, 0, Some(reason))
}

/// Record a tender's shares on the quote's lines and shipping entries and
/// take them off what is owed.
fn share_out(
    quote: &mut Quote,
    reach: &Reach,
    shares: &[i128],
    owed: &mut Owed,
    t: &Tender,
    scale: u32,
) -> Result<(), Broken> {
    let targets = reach
        .lines
        .iter()
        .map(|&i| (true, i))
        .chain(reach.groups.iter().map(|&k| (false, k)));
    for ((is_line, i), &share) in targets.zip(shares) {
        if share == 0 {
            continue;
        }
        let entry = TenderShare {
            tender: t.id.clone(),
            amount: Money::from_minor(share, scale),
        };
        let (list, left) = match is_line {
            true => (
                &mut quote.lines.get_mut(i).ok_or(Broken("tender line"))?.tenders,
                owed.lines.get_mut(i),
            ),
            false => (
                &mut quote
                    .shipping
                    .get_mut(i)
                    .ok_or(Broken("tender group"))?
                    .tenders,
                owed.groups.get_mut(i),
            ),
        };
        list.get_or_insert_with(Vec::new).push(entry);
        let left = left.ok_or(Broken("tender owed"))?;
        *left = left.saturating_sub(share);
    }
    Ok(())
}

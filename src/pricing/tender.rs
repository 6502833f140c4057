//! Tenders (抵扣, contract section 3 step 5, version 3): after shipping,
//! the tenders of `cart.tenders` pay part of what each line and each
//! shipping group still owes, one at a time in `priority` order, then by
//! id; each payment is allocated (section 4) over the tender's lines in
//! cart order and then its groups in group order, in proportion to what
//! each still owes. A tender changes no price: what it paid becomes the
//! quote's `tenders` members and `totals.tenders` and `totals.cash`
//! (`output::assemble`).

use super::allocation::allocate;
use super::{Context, Run};
use crate::input::tender::{CartTender, Tender};
use crate::values::{sort_by, Broken, TenderKind, TenderReason};

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

/// What one tender paid.
pub(crate) struct TenderPaid<'r> {
    /// The tender.
    pub tender: &'r Tender,
    /// What it paid in all, minor units.
    pub paid: i128,
    /// The points it used (a points tender).
    pub points: u64,
    /// Why it paid nothing, when it did not.
    pub reason: Option<TenderReason>,
}

/// What the cart's tenders paid, and for what.
pub(crate) struct Payments<'r> {
    /// Per tender, in application order.
    pub tenders: Vec<TenderPaid<'r>>,
    /// Per line (cart order): the non-zero shares, in application order.
    pub lines: Vec<Vec<(&'r Tender, i128)>>,
    /// Per shipping group (group order): the same.
    pub groups: Vec<Vec<(&'r Tender, i128)>>,
}

/// Pay with the cart's tenders, when it has `tenders`.
pub(crate) fn pay<'r>(ctx: &Context<'r>, run: &Run<'_>) -> Result<Option<Payments<'r>>, Broken> {
    let Some(used) = ctx.cart.tenders.as_ref() else {
        return Ok(None);
    };
    let rules = ctx.rules;
    let mut order: Vec<(&CartTender, &'r Tender)> = used
        .iter()
        .map(|c| Ok((c, rules.tenders.get(c.tender).ok_or(Broken("tender"))?)))
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
    let mut out = Payments {
        tenders: Vec::with_capacity(order.len()),
        lines: vec![Vec::new(); owed.lines.len()],
        groups: vec![Vec::new(); owed.groups.len()],
    };
    for (c, t) in order {
        let reach = reach(ctx, t);
        let (paid, points, reason) = amount(&finals, c, t, &reach, &before, &owed);
        let shares = allocate(paid, &owed_of(&reach, &owed));
        share_out(&mut out, &reach, &shares, &mut owed, t)?;
        out.tenders.push(TenderPaid {
            tender: t,
            paid,
            points,
            reason,
        });
    }
    Ok(Some(out))
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
    let in_scope: Vec<bool> = ctx.cart.lines.iter().map(|l| l.is_in(&t.scope)).collect();
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

/// Record a tender's shares on its lines and groups and take them off
/// what is owed.
fn share_out<'r>(
    out: &mut Payments<'r>,
    reach: &Reach,
    shares: &[i128],
    owed: &mut Owed,
    t: &'r Tender,
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
        let (list, left) = match is_line {
            true => (out.lines.get_mut(i), owed.lines.get_mut(i)),
            false => (out.groups.get_mut(i), owed.groups.get_mut(i)),
        };
        list.ok_or(Broken("tender share"))?.push((t, share));
        let left = left.ok_or(Broken("tender owed"))?;
        *left = left.saturating_sub(share);
    }
    Ok(())
}

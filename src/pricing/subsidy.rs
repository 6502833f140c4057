//! The subsidy stage (国补, 以旧换新; contract section 3.3), after the
//! platform stage: each active subsidy in stage order takes a share of the
//! amount of each line in its scope that no earlier subsidy took money off,
//! rounded once per line and capped per unit, within its allowance of units
//! taken in cart order.

use super::{Applied, Share};
use crate::input::cart::Cart;
use crate::input::promotion::Subsidy;
use crate::input::rules::PromoRef;
use crate::values::{Broken, LineIx, Money, PerLine, Stage};

/// An active subsidy, in stage order, with its lines (exclusive lines
/// included: exclusion concerns only the threshold stages).
#[derive(Clone, Debug)]
pub(crate) struct SubsidyEntry<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// What it does.
    pub subsidy: &'r Subsidy,
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
}

/// `round(amount * n / qty * (1 - rate))` half away from zero, exact, at
/// most `cap * n` (minor units).
pub(crate) fn line_subsidy(s: &Subsidy, amount: i128, n: u32, qty: u32) -> i128 {
    let share = 10_000i128.saturating_sub(s.rate.per_10000());
    let num = amount
        .max(0)
        .saturating_mul(i128::from(n))
        .saturating_mul(share);
    let den = i128::from(qty.max(1)).saturating_mul(10_000);
    // Half away from zero for a non-negative value: floor((2n + d) / 2d).
    let d = num
        .saturating_mul(2)
        .saturating_add(den)
        .checked_div(den.saturating_mul(2))
        .unwrap_or(0);
    match s.cap {
        Some(cap) => d.min(cap.minor().saturating_mul(i128::from(n))),
        None => d,
    }
}

/// Apply the subsidies to the amounts `a` (after the platform stage);
/// record what each took off in `applied` when given.
pub(crate) fn run<'r>(
    entries: &[SubsidyEntry<'r>],
    cart: &Cart,
    scale: u32,
    a: &mut PerLine<Money>,
    mut applied: Option<&mut Vec<Applied<'r>>>,
) -> Result<(), Broken> {
    if entries.is_empty() {
        return Ok(());
    }
    // A line gets at most one subsidy.
    let mut taken = vec![false; cart.lines.len()];
    for e in entries {
        let mut allowance = e.subsidy.limit_qty.map(|q| q.get());
        let mut shares = Vec::new();
        let mut total = 0i128;
        for &i in &e.lines {
            let line = cart.lines.get(i.get()).ok_or(Broken("a subsidy's line"))?;
            let amount = a.at_mut(i)?;
            let done = *taken.get(i.get()).ok_or(Broken("a subsidy's line"))?;
            if done || amount.is_zero() {
                continue;
            }
            let qty = line.qty.get();
            let n = allowance.map_or(qty, |left| left.min(qty));
            if n == 0 {
                continue;
            }
            let d = line_subsidy(e.subsidy, amount.minor(), n, qty);
            if d <= 0 {
                continue;
            }
            let share = Money::from_minor(d, amount.scale());
            *amount = amount.minus(share);
            *taken.get_mut(i.get()).ok_or(Broken("a subsidy's line"))? = true;
            if let Some(left) = allowance.as_mut() {
                *left = left.saturating_sub(n);
            }
            total = total.saturating_add(d);
            shares.push(Share {
                line: i,
                amount: share,
            });
        }
        if let (Some(out), true) = (applied.as_deref_mut(), total > 0) {
            out.push(Applied {
                promo: e.promo,
                stage: Stage::Subsidy,
                amount: Money::from_minor(total, scale),
                shares,
            });
        }
    }
    Ok(())
}

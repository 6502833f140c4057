//! Best coupons (contract section 6): among the held coupons that are
//! active and known, at most one per slot, the set with the lowest
//! `payable`; among equal payables the fewest coupons; among those the set
//! whose sorted ids come first in byte order.
//!
//! The search is exhaustive over the slots' choices and runs under a
//! deterministic work budget counted in pipeline evaluations
//! ([`BUDGET`]), never in time, so a browser and a server stop at the same
//! point. Within the budget the answer is proven optimal. Past it the best
//! set found so far is returned with `proven_best: false`.
//!
//! Coupons with no line in scope are left out before the search: they
//! cannot change any amount, so a set containing one is never better than
//! the same set without it.

use crate::money::Money;
use crate::pricing::Context;
use std::cmp::Ordering;

/// The most pipeline evaluations one search may make.
pub const BUDGET: u64 = 100_000;

/// The outcome of the search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Choice {
    /// Indices of the chosen coupon promotions.
    pub coupons: Vec<usize>,
    /// Whether the search covered every choice.
    pub proven: bool,
}

/// Compare two candidate sets by the contract's ordering (less is better).
fn better(ctx: &Context<'_>, a: (Money, &[usize]), b: (Money, &[usize])) -> Ordering {
    a.0.cmp(&b.0)
        .then(a.1.len().cmp(&b.1.len()))
        .then_with(|| sorted_ids(ctx, a.1).cmp(&sorted_ids(ctx, b.1)))
}

fn sorted_ids<'r>(ctx: &'r Context<'_>, set: &[usize]) -> Vec<&'r str> {
    let mut ids: Vec<&str> = set
        .iter()
        .filter_map(|&p| ctx.rules.promotions.get(p))
        .map(|p| p.id.as_str())
        .collect();
    ids.sort_unstable();
    ids
}

/// Search the best set among `candidates` (indices of coupon promotions
/// that are held, known, active and cover at least one line).
pub(crate) fn search(ctx: &Context<'_>, candidates: &[usize]) -> Choice {
    // Group by slot; slots in name order, coupons in id order, so the
    // enumeration order (and where a budget stops it) is deterministic.
    let mut slots: Vec<(&str, Vec<usize>)> = Vec::new();
    for &c in candidates {
        let Some(p) = ctx.rules.promotions.get(c) else {
            continue;
        };
        match slots.iter_mut().find(|(s, _)| *s == p.slot.as_str()) {
            Some((_, v)) => v.push(c),
            None => slots.push((p.slot.as_str(), vec![c])),
        }
    }
    slots.sort_by(|a, b| a.0.cmp(b.0));
    for (_, v) in &mut slots {
        v.sort_by(|a, b| {
            let ia = ctx.rules.promotions.get(*a).map(|p| p.id.as_str());
            let ib = ctx.rules.promotions.get(*b).map(|p| p.id.as_str());
            ia.cmp(&ib)
        });
    }

    // Mixed-radix counter: digit k picks nothing (0) or coupon k-1 of slot.
    let mut digits = vec![0usize; slots.len()];
    let mut best: Option<(Money, Vec<usize>)> = None;
    let mut evals: u64 = 0;
    let mut proven = true;
    loop {
        if evals >= BUDGET {
            proven = false;
            break;
        }
        let set: Vec<usize> = digits
            .iter()
            .zip(&slots)
            .filter_map(|(&d, (_, v))| d.checked_sub(1).and_then(|k| v.get(k)).copied())
            .collect();
        let run = ctx.run(|p| set.contains(&p));
        evals += 1;
        let is_better = match &best {
            None => true,
            Some((pay, bset)) => better(ctx, (run.payable, &set), (*pay, bset)) == Ordering::Less,
        };
        if is_better {
            best = Some((run.payable, set));
        }
        // Advance the counter.
        let mut k = 0;
        while let Some(d) = digits.get_mut(k) {
            let radix = slots.get(k).map_or(1, |(_, v)| v.len() + 1);
            *d += 1;
            if *d < radix {
                break;
            }
            *d = 0;
            k += 1;
        }
        if k >= digits.len() {
            break;
        }
    }
    Choice {
        coupons: best.map(|(_, s)| s).unwrap_or_default(),
        proven,
    }
}

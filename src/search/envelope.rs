//! The envelopes of the threshold rules the bound is built from: the most
//! a rule can take off up to a base, and the slack of raising a base at a
//! least cost per unit (see the module documentation of `search`).

use crate::input::promotion::{Every, OffTier, Rule};
use crate::values::Money;

/// A goods-per-base ratio `num / den` (den > 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ratio {
    /// Goods.
    pub num: i128,
    /// Base.
    pub den: i128,
}

/// The smaller of two ratios; `None` is "no option raises the base"
/// (infinite).
pub(super) fn ratio_min(a: Option<Ratio>, b: Option<Ratio>) -> Option<Ratio> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => match (x.num.checked_mul(y.den), y.num.checked_mul(x.den)) {
            (Some(l), Some(r)) => Some(if l <= r { x } else { y }),
            // Too large to compare exactly: a zero ratio is always safe.
            _ => Some(Ratio { num: 0, den: 1 }),
        },
    }
}

/// `floor(r * delta / k)`, the least goods cost of raising a base by
/// `delta` shared among `k` promotions (0 when it cannot be computed
/// exactly, which only weakens the bound).
fn cost(r: Option<Ratio>, delta: i128, k: i128) -> i128 {
    let Some(r) = r else { return 0 };
    match (r.num.checked_mul(delta), r.den.checked_mul(k)) {
        (Some(a), Some(b)) if b > 0 => a.checked_div(b).unwrap_or(0),
        _ => 0,
    }
}

/// The rule of a `threshold_off`, whose envelope the cost-sharing bound
/// reads.
#[derive(Clone, Copy, Debug)]
pub(super) enum OffRule<'r> {
    /// Tiers sorted by `at`.
    Tiers(&'r [OffTier]),
    /// 每满减.
    Every(&'r Every),
}

/// The `threshold_off` view of a rule (`None` for a `threshold_rate`).
pub(super) fn off_rule(rule: &Rule) -> Option<OffRule<'_>> {
    match rule {
        Rule::Tiers(t) => Some(OffRule::Tiers(t)),
        Rule::Every(e) => Some(OffRule::Every(e)),
        Rule::Rate { .. } => None,
    }
}

/// `U_P(base)`: the largest nominal reduction of a `threshold_off` at any
/// base up to `base` (non-decreasing in `base`).
pub(super) fn envelope_off(rule: OffRule<'_>, base: i128) -> i128 {
    match rule {
        OffRule::Tiers(tiers) => tiers
            .iter()
            .filter(|t| t.at <= base)
            .map(|t| t.off.minor())
            .max()
            .unwrap_or(0),
        OffRule::Every(e) => {
            let k = base.max(0).checked_div(e.at).unwrap_or(0);
            let total = e.off.minor().saturating_mul(k);
            e.cap.map_or(total, |c| total.min(c.minor()))
        }
    }
}

/// The most a rule can take off at base at most `base` over running
/// amounts summing to at most `running`.
pub(super) fn envelope(scale: u32, rule: &Rule, base: i128, running: i128) -> i128 {
    match (off_rule(rule), rule) {
        (Some(off), _) => envelope_off(off, base),
        (None, Rule::Rate { tiers, cap }) => {
            let r = Money::from_minor(running.max(0), scale);
            tiers
                .iter()
                .filter(|t| t.at <= base)
                .map(|t| {
                    let d = r.off_by_rate(t.rate).minor();
                    cap.map_or(d, |c| d.min(c.minor()))
                })
                .max()
                .unwrap_or(0)
        }
        (None, _) => 0,
    }
}

/// `max(0, max_{0 < Δ <= dmax} [U(b0 + Δ) - U(b0) - cost(Δ)])` for a
/// `threshold_off`: the maximum sits on a breakpoint of `U`.
pub(super) fn slack(rule: OffRule<'_>, b0: i128, dmax: i128, r: Option<Ratio>, k: i128) -> i128 {
    if dmax <= 0 {
        return 0;
    }
    let u0 = envelope_off(rule, b0);
    let value = |t: i128| {
        envelope_off(rule, t)
            .saturating_sub(u0)
            .saturating_sub(cost(r, t.saturating_sub(b0), k))
    };
    let hi = b0.saturating_add(dmax);
    let mut best = 0;
    match rule {
        OffRule::Tiers(tiers) => {
            // Tiers are sorted by `at`, so `U` at each tier is the running
            // maximum of `off` (one pass, not one envelope per tier).
            let mut u = 0i128;
            for t in tiers.iter().take_while(|t| t.at <= hi) {
                u = u.max(t.off.minor());
                if t.at > b0 {
                    let gain = u.saturating_sub(u0);
                    best = best.max(gain.saturating_sub(cost(r, t.at.saturating_sub(b0), k)));
                }
            }
        }
        OffRule::Every(e) => {
            let (at, off) = (e.at, e.off.minor());
            if at > 0 {
                let first = b0.max(0).checked_div(at).unwrap_or(0).saturating_add(1);
                let last = hi.checked_div(at).unwrap_or(0);
                if first <= last {
                    // Gain grows by `off` per step until the cap, cost grows
                    // linearly: the best step is the first or the last
                    // before the cap.
                    let capped = e.cap.filter(|_| off > 0).map_or(last, |c| {
                        let steps = c
                            .minor()
                            .saturating_add(off)
                            .saturating_sub(1)
                            .checked_div(off)
                            .unwrap_or(0);
                        steps.clamp(first, last)
                    });
                    best = best
                        .max(value(first.saturating_mul(at)))
                        .max(value(capped.saturating_mul(at)));
                }
            }
        }
    }
    best
}

//! The threshold kinds of the store, cross-store and platform stages
//! (contract sections 2 and 3.2): what a `threshold_off` or
//! `threshold_rate` takes off at a given base, and the 凑单 hint of what
//! the next tier would give.
//!
//! Bases are in base units: minor units of money for basis `amount`,
//! units for basis `count`.

use crate::input::promotion::{Every, Rule};
use crate::values::{Money, Rate};
use rust_decimal::Decimal;

/// The nominal reduction of a rule at `base` over lines whose running
/// amounts sum to `running`, before the cap by `running` itself.
pub(crate) fn nominal_off(rule: &Rule, base: i128, running: Money) -> Money {
    let zero = Money::zero(running.scale());
    match rule {
        Rule::Tiers(tiers) => tiers
            .iter()
            .rev()
            .find(|t| t.at <= base)
            .map_or(zero, |t| t.off),
        Rule::Every(every) => every_total(every, every_steps(every, base)),
        Rule::Rate { tiers, cap } => match tiers.iter().rev().find(|t| t.at <= base) {
            None => zero,
            Some(t) => {
                let d = running.off_by_rate(t.rate);
                cap.map_or(d, |c| d.min_of(c))
            }
        },
    }
}

/// How many steps of an `every` a base reaches.
fn every_steps(every: &Every, base: i128) -> i128 {
    base.max(0).checked_div(every.at).unwrap_or(0)
}

/// What `k` steps of an `every` take off, at most its cap.
fn every_total(every: &Every, k: i128) -> Money {
    let total = times_steps(every.off, k);
    every.cap.map_or(total, |c| total.min_of(c))
}

/// `off * k`, saturating far above any amount a cart can reach.
fn times_steps(off: Money, k: i128) -> Money {
    let k = Decimal::try_from_i128_with_scale(k, 0).unwrap_or(Decimal::MAX);
    let scale = off.scale();
    let mut d = off.decimal().saturating_mul(k);
    d.rescale(scale);
    Money::from_minor(d.mantissa(), scale)
}

/// Whether any tier (or the first step of an `every`) is met at `base`.
pub(crate) fn threshold_met(rule: &Rule, base: i128) -> bool {
    match rule {
        Rule::Tiers(tiers) => tiers.first().is_some_and(|t| t.at <= base),
        Rule::Every(every) => every.at <= base,
        Rule::Rate { tiers, .. } => tiers.first().is_some_and(|t| t.at <= base),
    }
}

/// A 凑单 hint: spend `add` more (base units) to get the next tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextTier {
    /// The next tier of a `threshold_off` takes `extra_off` more.
    Off {
        /// Base units still missing.
        add: i128,
        /// Additional nominal reduction.
        extra_off: Money,
    },
    /// The next tier of a `threshold_rate` has this rate.
    Rate {
        /// Base units still missing.
        add: i128,
        /// The next tier's rate.
        rate: Rate,
    },
}

/// The next tier above `base`, when it gives more than now.
pub(crate) fn next_tier(rule: &Rule, base: i128, scale: u32) -> Option<NextTier> {
    match rule {
        Rule::Tiers(tiers) => {
            let now = tiers
                .iter()
                .rev()
                .find(|t| t.at <= base)
                .map_or(Money::zero(scale), |t| t.off);
            let next = tiers.iter().find(|t| t.at > base)?;
            (next.off > now).then(|| NextTier::Off {
                add: next.at.saturating_sub(base),
                extra_off: next.off.minus(now),
            })
        }
        Rule::Every(every) => {
            if every.at <= 0 {
                return None;
            }
            let k = every_steps(every, base);
            let now = every_total(every, k);
            let then = every_total(every, k.saturating_add(1));
            (then > now).then(|| NextTier::Off {
                add: k
                    .saturating_add(1)
                    .saturating_mul(every.at)
                    .saturating_sub(base),
                extra_off: then.minus(now),
            })
        }
        Rule::Rate { tiers, .. } => {
            let now = tiers
                .iter()
                .rev()
                .find(|t| t.at <= base)
                .map_or(Rate::ONE, |t| t.rate);
            let next = tiers.iter().find(|t| t.at > base)?;
            (next.rate < now).then(|| NextTier::Rate {
                add: next.at.saturating_sub(base),
                rate: next.rate,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::promotion::{OffTier, RateTier};

    fn m(minor: i128) -> Money {
        Money::from_minor(minor, 2)
    }

    #[test]
    fn tiers_every_and_caps() {
        let tiers = Rule::Tiers(vec![
            OffTier {
                at: 19900,
                off: m(2000),
            },
            OffTier {
                at: 29900,
                off: m(4000),
            },
            OffTier {
                at: 49900,
                off: m(8000),
            },
        ]);
        assert_eq!(nominal_off(&tiers, 35700, m(35700)), m(4000));
        assert_eq!(nominal_off(&tiers, 19800, m(19800)), m(0));
        assert_eq!(
            next_tier(&tiers, 35700, 2),
            Some(NextTier::Off {
                add: 14200,
                extra_off: m(4000)
            })
        );
        assert_eq!(next_tier(&tiers, 60000, 2), None);

        let every = Rule::Every(Every {
            at: 10000,
            off: m(1500),
            cap: Some(m(3000)),
        });
        assert_eq!(nominal_off(&every, 35000, m(35000)), m(3000));
        assert_eq!(next_tier(&every, 35000, 2), None);
        assert_eq!(
            next_tier(&every, 15000, 2),
            Some(NextTier::Off {
                add: 5000,
                extra_off: m(1500)
            })
        );
        assert!(!threshold_met(&every, 9999));
        assert!(threshold_met(&every, 10000));
    }

    #[test]
    fn rates_round_and_cap() {
        let rate = Rule::Rate {
            tiers: vec![RateTier {
                at: 50000,
                rate: Rate::from_text("0.9").unwrap(),
            }],
            cap: Some(m(3000)),
        };
        assert_eq!(nominal_off(&rate, 69800, m(69800)), m(3000));
        assert_eq!(nominal_off(&rate, 50000, m(20000)), m(2000));
        assert_eq!(nominal_off(&rate, 49999, m(49999)), m(0));
    }
}

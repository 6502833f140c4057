//! Gifts with purchase (满赠, contract version 3): a `gift` promotion of
//! the store stage judges its base like a threshold promotion, on its
//! `threshold_on` snapshot (`list` or `item`, so no store promotion
//! changes it), and the highest tier met gives its gifts. It takes no
//! money off, so it never changes an amount, the search or a total.

use super::Context;
use crate::input::promotion::{Gift, GiftTier};
use crate::input::rules::PromoRef;
use crate::values::{Basis, Broken, LineIx};

/// An active gift promotion with the lines it covers for this cart.
#[derive(Clone, Debug)]
pub(crate) struct GiftEntry<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// Its tiers.
    pub gift: &'r Gift,
    /// The lines it covers, in cart order (excluded lines left out).
    pub lines: Vec<LineIx>,
    /// Sum of `qty` over those lines.
    pub qty: i128,
}

/// What a gift promotion does for this cart.
#[derive(Clone, Debug)]
pub(crate) struct Judged<'r> {
    /// The tier met (the highest), if any.
    pub given: Option<&'r GiftTier>,
    /// The lowest tier above the base, for a hint (basis `amount` only),
    /// with what the base still needs.
    pub next: Option<(i128, &'r GiftTier)>,
}

/// Judge `entry` on this cart (it needs lines in scope for anything).
pub(crate) fn judge<'r>(ctx: &Context<'r>, entry: &GiftEntry<'r>) -> Result<Judged<'r>, Broken> {
    if entry.lines.is_empty() {
        return Ok(Judged {
            given: None,
            next: None,
        });
    }
    let snapshot = ctx.snapshots().get(entry.gift.threshold_on)?;
    let base = Context::base_of(entry.gift.basis, &entry.lines, entry.qty, snapshot)?;
    let given = entry.gift.tiers.iter().rev().find(|t| t.at <= base);
    let next = match entry.gift.basis {
        Basis::Amount => entry
            .gift
            .tiers
            .iter()
            .find(|t| t.at > base)
            .map(|t| (t.at.saturating_sub(base), t)),
        _ => None,
    };
    Ok(Judged { given, next })
}

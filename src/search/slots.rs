//! The search's decomposition: coupons by slot, slots by kind (a store's
//! own slots, or global ones), and each store with store slots as a group
//! of options.

use super::envelope::envelope;
use crate::input::rules::PromoRef;
use crate::pricing::{Context, Entry};
use crate::values::sort_by;
use crate::values::{Broken, LineIx, ShipIx};

/// The most options (ways to fill its store slots) one store is priced
/// with up front; past it, the store's further slots are global.
const MAX_STORE_OPTIONS: usize = 256;

/// A store with store slots: its lines and store-stage entries, and every
/// way to fill its slots.
pub(super) struct StoreGroup<'c, 'r> {
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
    /// Its store-stage entries, in stage order.
    pub entries: Vec<&'c Entry<'r>>,
    /// Per option, the coupons it selects.
    pub choices: Vec<Vec<PromoRef<'r>>>,
    /// The shipping groups of its store (one per address its lines ship
    /// to; none if `rules.stores` lacks the store).
    pub shipping: Vec<ShipIx>,
}

/// The slots of the search: the global ones (each a list of coupons in id
/// order), and the stores with store slots.
pub(super) struct Slots<'c, 'r> {
    /// Global slots in name order.
    pub global: Vec<Vec<PromoRef<'r>>>,
    /// Stores with store slots.
    pub groups: Vec<StoreGroup<'c, 'r>>,
}

/// The store a store-stage coupon belongs to.
pub(super) fn own_store<'r>(c: PromoRef<'r>) -> Option<&'r str> {
    c.promotion.own_store().map(|s| s.as_str())
}

/// Coupons grouped by slot: slots in name order, coupons in id order, so
/// that the search order (and where a budget stops it) is deterministic.
pub(super) fn by_slot<'r>(candidates: &[PromoRef<'r>]) -> Vec<Vec<PromoRef<'r>>> {
    let mut slots: Vec<(&str, Vec<PromoRef<'r>>)> = Vec::new();
    for &c in candidates {
        let slot = c.promotion.slot.as_str();
        match slots.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, v)) => v.push(c),
            None => slots.push((slot, vec![c])),
        }
    }
    sort_by(&mut slots, |a, b| a.0.cmp(b.0));
    slots
        .into_iter()
        .map(|(_, mut v)| {
            sort_by(&mut v, |a, b| a.promotion.id.cmp(&b.promotion.id));
            v
        })
        .collect()
}

/// Split the candidates' slots into global slots and store groups.
pub(super) fn decompose<'c, 'r>(
    ctx: &'c Context<'r>,
    candidates: &[PromoRef<'r>],
) -> Slots<'c, 'r> {
    // Stores of the cart, by first line.
    let mut stores: Vec<&str> = Vec::new();
    for l in &ctx.cart.lines {
        if !stores.contains(&l.store.as_str()) {
            stores.push(l.store.as_str());
        }
    }
    // A store's options multiply across its slots; past
    // `MAX_STORE_OPTIONS` its further slots are searched as global slots
    // instead (under the budget), so that a store with many slots cannot
    // make the enumeration explode.
    let mut options: Vec<usize> = vec![1; stores.len()];
    let mut global = Vec::new();
    let mut store_slots: Vec<(usize, Vec<PromoRef<'r>>)> = Vec::new();
    for coupons in by_slot(candidates) {
        let first = coupons.first().and_then(|&c| own_store(c));
        let same = first.is_some() && coupons.iter().all(|&c| own_store(c) == first);
        let store = first
            .filter(|_| same)
            .and_then(|s| stores.iter().position(|x| *x == s));
        let fits = store.and_then(|si| {
            let n = options.get_mut(si)?;
            let grown = n.saturating_mul(coupons.len().saturating_add(1));
            (grown <= MAX_STORE_OPTIONS)
                .then(|| *n = grown)
                .map(|()| si)
        });
        match fits {
            Some(si) => store_slots.push((si, coupons)),
            None => global.push(coupons),
        }
    }
    let groups = store_groups(ctx, &store_slots, &stores);
    Slots { global, groups }
}

/// The stores with store slots, each with every way to fill its slots.
fn store_groups<'c, 'r>(
    ctx: &'c Context<'r>,
    slots: &[(usize, Vec<PromoRef<'r>>)],
    stores: &[&str],
) -> Vec<StoreGroup<'c, 'r>> {
    let mut groups: Vec<StoreGroup<'c, 'r>> = Vec::new();
    let mut group_of_store: Vec<Option<usize>> = vec![None; stores.len()];
    for (si, coupons) in slots {
        let gi = match group_of_store.get(*si).copied().flatten() {
            Some(gi) => gi,
            None => {
                groups.push(new_group(ctx, stores.get(*si).copied().unwrap_or("")));
                let gi = groups.len().saturating_sub(1);
                if let Some(g) = group_of_store.get_mut(*si) {
                    *g = Some(gi);
                }
                gi
            }
        };
        // Options multiply across a store's slots.
        if let Some(g) = groups.get_mut(gi) {
            let mut next = Vec::with_capacity(
                g.choices
                    .len()
                    .saturating_mul(coupons.len().saturating_add(1)),
            );
            for base in &g.choices {
                next.push(base.clone());
                for &c in coupons {
                    let mut with = base.clone();
                    with.push(c);
                    next.push(with);
                }
            }
            g.choices = next;
        }
    }
    groups
}

/// The group of store `name`, with the single option of no coupon.
fn new_group<'c, 'r>(ctx: &'c Context<'r>, name: &str) -> StoreGroup<'c, 'r> {
    let lines = ctx
        .cart
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.store.as_str() == name)
        .map(|(i, _)| LineIx::new(i))
        .collect();
    let entries = ctx
        .stages
        .store
        .iter()
        .filter(|e| e.promo.promotion.own_store().map(|s| s.as_str()) == Some(name))
        .collect();
    let shipping = ctx
        .shipping
        .iter()
        .enumerate()
        .filter(|(_, g)| g.store.id.as_str() == name)
        .map(|(i, _)| ShipIx::new(i))
        .collect();
    StoreGroup {
        lines,
        entries,
        choices: vec![Vec::new()],
        shipping,
    }
}

/// The most a store-stage coupon can take off: its largest nominal
/// reduction, and never more than its lines' item amounts.
pub(super) fn store_coupon_max(ctx: &Context<'_>, c: PromoRef<'_>) -> Result<i128, Broken> {
    let p = c.promotion;
    let crate::input::promotion::Effect::Threshold(t) = &p.effect else {
        return Ok(0);
    };
    let mut lines = 0i128;
    for i in ctx.covered(p) {
        lines = lines.saturating_add(ctx.item_amounts.at(i)?.minor());
    }
    Ok(envelope(ctx.scale, &t.rule, i128::MAX, lines)
        .min(lines)
        .max(0))
}

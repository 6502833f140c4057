//! Best coupons (contract section 6): among the held coupons that are
//! active and known (and, version 3, the claimable ones), at most one per
//! slot, the set with the lowest `payable`; among equal payables the
//! fewest coupons; among those the fewest claimable ones; among those the
//! set whose sorted ids come first in byte order.
//!
//! Claimable coupons (领券) are candidates like held ones: they change
//! neither the stages nor the bound, only the tie order, which the leaves
//! (`compare`) and the store options that leave the same amounts
//! (`plan::keep_distinct`) both apply. Ties on payable and count are never
//! cut, so the claimable count decides among them as the ids do.
//!
//! # The search
//!
//! Choosing coupons under thresholds is knapsack-like, so the search is a
//! branch and bound that is exact by construction and fast on the carts
//! marketplaces see:
//!
//! 1. **Decompose by slot kind** ([`slots`]). A *store slot* holds only
//!    store-stage coupons of one store; such coupons touch only that
//!    store's lines, and the store stage of one store never looks at
//!    another. Every other slot (cross-store and platform coupons, or a
//!    custom slot shared across stores or stages) is a *global slot*. The
//!    search enumerates the global choices `G` (usually a handful), and
//!    for each `G` searches the stores' choices depth first ([`dfs`]).
//! 2. **Price each store option once** ([`plan`]). For a given `G`, each
//!    store's options (one coupon or none per store slot) are priced
//!    through the store stage once; a leaf then only runs the cross-store
//!    and platform stages and shipping
//!    (`Context::payable_after_store`).
//! 3. **Bound** ([`bound`], over the rules' [`envelope`]s). At every node a lower bound on `payable` for
//!    any completion is computed; a node whose bound is worse than the best
//!    leaf so far (by payable, then by coupon count) is cut. The bound is
//!    `goods_lo - Σ_P ub_P + certain fees`:
//!    - `goods_lo`: the decided stores' goods after the store stage plus,
//!      for each undecided store, its cheapest option (stores are
//!      independent in the store stage, so this is exact per store);
//!    - `ub_P`, for each cross-store or platform promotion `P` that can
//!      apply: what it can take off at most. Its threshold is judged on
//!      amounts no larger than the store-stage amounts, so its nominal
//!      reduction is at most `U_P(B)`, the largest reduction of any tier at
//!      or below the largest base `B` a completion can give (`U_P` is
//!      non-decreasing). A store option that raises a base by `Δb` costs
//!      at least `r·Δb` in goods (`r` the smallest goods-per-base ratio
//!      among undecided options), so for `k` such promotions sharing that
//!      cost, a completion gains at most
//!      `max_Δ [U_P(B0 + Δ) - U_P(B0) - (r/k)·Δ]` over `B0`, the base of
//!      the cheapest options; the maximum sits on a breakpoint of `U_P`.
//!      This is what keeps the bound tight: a 满200-20 store coupon lowers
//!      the 跨店每满300减40 base by 20, which only matters if the base sits
//!      within reach of a multiple of 300;
//!    - certain fees: a shipping group (a store's lines to one address)
//!      whose own lines cannot reach `free_over` (under its store's
//!      decided option, or the dearest one still open) pays its fee
//!      whatever the completion (discounts only lower goods); a group
//!      priced by freight
//!      templates (version 3) pays at least the fee of its parts that
//!      cannot ship free even at the most their lines can cost (charging
//!      one more part never lowers a group's fee: a new lead's 首件 is at
//!      least the old lead's, whose units all become 续件);
//!    - version 2 adds two terms. The subsidy stage runs after the
//!      platform stage and only lowers a line, by at most its largest
//!      subsidy of its item amount (a subsidy is non-decreasing in the
//!      amount it is taken of): the bound subtracts the sum of those. And
//!      shipping promotions only lower fees: the certain fees are lowered
//!      by what every non-coupon shipping promotion could take off each
//!      group it may qualify for, by the most each chosen shipping coupon
//!      can take off one fee, and by the most any coupon of each undecided
//!      slot can (never below zero).
//!
//!    Each term bounds every completion, so no optimal set is ever cut:
//!    the search is exact. Ties on payable and count are never cut, so the
//!    id order decides among them as the contract says. Exclusive lines
//!    (不与其他优惠同享) are out of every cross-store and platform entry's
//!    lines, so every term above reads only the lines a promotion can
//!    touch. Shipping coupons (运费券) sit in global slots (their default
//!    slot is `shipping`); a leaf prices them exactly, with the goods
//!    coupons they compete with, so a 运费券 that a goods coupon would make
//!    useless, or one that saves nothing, is judged by the payable it gives.
//!
//! # The budget
//!
//! The search counts steps, never time, so a browser and a server stop at
//! the same point. A step is one node of the search (a bound, a leaf, the
//! pricing of a plan) plus one for every 32 amounts or tiers that node
//! reads, so the budget bounds the work of a 1,000-line cart as well as
//! of a 5-line one. [`BUDGET`] is 300,000 steps: the `huge` workload (180
//! held and 20 claimable coupons over 50 stores, half of them pricing
//! freight by templates, 1,000 lines) is proven within about 80,000,
//! `double11` within about 1,300; the hostile inputs at the
//! contract's limits (`testkit`'s `hostile`: 200 store slots in one
//! store, 100,000 tiers, thresholds every coupon moves) stop at the budget
//! in under half a second natively (see bench/README.md). Past the budget
//! the best set found so far is returned with `proven_best: false`; the
//! first leaf is the cheapest option of every store under the most
//! promising global choice, a greedy pick.
//!
//! A store's options (every way to fill its store slots) are priced up
//! front only while there are at most 256 of them; a store with more slots
//! has the rest searched as global slots, under the same budget.

mod bound;
mod dfs;
mod envelope;
mod plan;
mod slots;

use crate::error::{Error, ErrorCode, Path};
use crate::input::cart::{is_claimable, Apply, Cart};
use crate::input::rules::{PromoRef, Rules};
use crate::pricing::Context;
use crate::values::sort;
use crate::values::{typed_index, Broken, Id, Money};
use std::cmp::Ordering;

typed_index!(
    /// A store group of one search: a store with store slots.
    GroupIx
);
typed_index!(
    /// A cross-store or platform entry as the bound sees it: its place
    /// among the search's entries of those stages.
    BoundIx
);

/// The most search steps (bounds and leaves, weighted by the amounts they
/// read) one search may take.
pub const BUDGET: u64 = 300_000;

/// The outcome of the search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Choice<'r> {
    /// The chosen coupon promotions.
    pub coupons: Vec<PromoRef<'r>>,
    /// Whether the search covered every choice.
    pub proven: bool,
}

/// The coupons a cart may use: with `apply: "best"`, every held coupon
/// that is known and active (the search chooses among them); with an
/// explicit list, the listed ones that are known and active, checked to
/// be held and one per slot (errors under `cart_path`).
#[derive(Clone, Debug)]
pub(crate) struct Candidates<'r> {
    /// The coupons.
    pub coupons: Vec<PromoRef<'r>>,
    /// Whether the search picks among them (`apply: "best"`).
    pub best: bool,
}

impl<'r> Candidates<'r> {
    /// The candidates of `cart` under `rules`.
    pub(crate) fn of(
        rules: &'r Rules,
        cart: &Cart,
        cart_path: &Path<'_>,
    ) -> Result<Candidates<'r>, Error> {
        let at = cart.at.as_ref();
        let active = |c: &PromoRef<'_>| c.promotion.active(at, &cart.buyer);
        let claimable = claimable_coupons(rules, cart, cart_path)?;
        match &cart.apply {
            Apply::Best => Ok(Candidates {
                coupons: cart
                    .coupons
                    .iter()
                    .filter_map(|id| rules.coupon(id.as_str()))
                    .chain(claimable)
                    .filter(active)
                    .collect(),
                best: true,
            }),
            Apply::Explicit(list) => {
                let apply_path = cart_path.key("apply");
                let mut coupons = Vec::new();
                let mut slots: Vec<(&str, &Id)> = Vec::new();
                for (j, id) in list.iter().enumerate() {
                    let jp = apply_path.index(j);
                    if !cart.coupons.contains(id) && !is_claimable(cart, id) {
                        return Err(jp.err(
                            ErrorCode::CouponNotHeld,
                            format!("coupon '{id}' is not held"),
                        ));
                    }
                    let Some(c) = rules.coupon(id.as_str()) else {
                        continue;
                    };
                    let p = c.promotion;
                    if let Some((_, other)) = slots.iter().find(|(s, _)| *s == p.slot.as_str()) {
                        return Err(jp.err(
                            ErrorCode::SlotConflict,
                            format!("coupons '{other}' and '{id}' share slot '{}'", p.slot),
                        ));
                    }
                    slots.push((p.slot.as_str(), id));
                    if active(&c) {
                        coupons.push(c);
                    }
                }
                Ok(Candidates {
                    coupons,
                    best: false,
                })
            }
        }
    }
}

/// The cart's claimable coupons (version 3), each of which must name a
/// coupon promotion (`invalid_id` at its entry).
fn claimable_coupons<'r>(
    rules: &'r Rules,
    cart: &Cart,
    cart_path: &Path<'_>,
) -> Result<Vec<PromoRef<'r>>, Error> {
    let path = cart_path.key("claimable");
    let mut out = Vec::new();
    for (i, id) in cart.claimable.iter().flatten().enumerate() {
        match rules.coupon(id.as_str()) {
            Some(c) => out.push(c),
            None => {
                return Err(path.index(i).err(
                    ErrorCode::InvalidId,
                    format!("'{id}' names no coupon promotion"),
                ))
            }
        }
    }
    Ok(out)
}

/// How `apply: "best"` is answered: the branch and bound, or (for the
/// tests) every choice.
pub(crate) type Strategy = for<'r> fn(&Context<'r>, &[PromoRef<'r>]) -> Result<Choice<'r>, Broken>;

/// The coupons to price with: the search's choice among the candidates
/// that cover a line (with `best`), or the candidates as listed.
pub(crate) fn choose<'r>(
    ctx: &Context<'r>,
    candidates: &Candidates<'r>,
    strategy: Strategy,
) -> Result<Choice<'r>, Broken> {
    if !candidates.best {
        return Ok(Choice {
            coupons: candidates.coupons.clone(),
            proven: false,
        });
    }
    // A coupon with no line in scope (for a shipping coupon: no line in
    // scope in a shipping group) cannot change any amount.
    let useful: Vec<PromoRef<'r>> = candidates
        .coupons
        .iter()
        .copied()
        .filter(|&c| {
            ctx.stages
                .in_order()
                .into_iter()
                .flatten()
                .any(|e| e.promo == c && !e.lines.is_empty())
                || ctx
                    .ship_promos
                    .iter()
                    .any(|e| e.promo == c && !e.reach.is_empty())
        })
        .collect();
    strategy(ctx, &useful)
}

/// Search the best set among `candidates` (coupon promotions that are
/// held, known, active and cover at least one line).
pub(crate) fn search<'r>(
    ctx: &Context<'r>,
    candidates: &[PromoRef<'r>],
) -> Result<Choice<'r>, Broken> {
    dfs::Search::run(ctx, candidates)
}

/// Every choice, one by one, through the whole pipeline: the reference the
/// branch and bound is checked against (tests and the hidden
/// `quote_exhaustive`).
#[cfg(any(test, feature = "testing"))]
pub(crate) fn exhaustive<'r>(
    ctx: &Context<'r>,
    candidates: &[PromoRef<'r>],
) -> Result<Choice<'r>, Broken> {
    let mut sets: Vec<Vec<PromoRef<'r>>> = vec![Vec::new()];
    for slot in slots::by_slot(candidates) {
        let mut next = Vec::with_capacity(sets.len().saturating_mul(slot.len().saturating_add(1)));
        for s in &sets {
            next.push(s.clone());
            for &c in &slot {
                let mut with = s.clone();
                with.push(c);
                next.push(with);
            }
        }
        sets = next;
    }
    let mut best: Option<Candidate<'r>> = None;
    for set in sets {
        let payable = ctx.run(|p| set.iter().any(|c| c.ix == p))?.payable;
        let offer = Candidate { payable, set };
        if best
            .as_ref()
            .is_none_or(|b| compare(ctx.cart, &offer, b) == Ordering::Less)
        {
            best = Some(offer);
        }
    }
    Ok(Choice {
        coupons: best.map(|b| b.set).unwrap_or_default(),
        proven: true,
    })
}

/// A set of coupons and the payable it gives.
#[derive(Clone, Debug)]
pub(crate) struct Candidate<'r> {
    /// The payable.
    pub payable: Money,
    /// The coupons.
    pub set: Vec<PromoRef<'r>>,
}

/// Sorted ids of a set, for the final tie-break.
fn sorted_ids<'r>(set: &[PromoRef<'r>]) -> Vec<&'r str> {
    let mut ids: Vec<&str> = set.iter().map(|p| p.promotion.id.as_str()).collect();
    sort(&mut ids);
    ids
}

/// How many coupons of `set` are claimable in `cart` (version 3).
fn claimed(cart: &Cart, set: &[PromoRef<'_>]) -> usize {
    set.iter()
        .filter(|p| is_claimable(cart, &p.promotion.id))
        .count()
}

/// The contract's order on candidate sets of `cart` (less is better):
/// payable, then the fewest coupons, then the fewest claimable ones, then
/// the sorted ids.
fn compare(cart: &Cart, a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    a.payable
        .cmp(&b.payable)
        .then(a.set.len().cmp(&b.set.len()))
        .then_with(|| claimed(cart, &a.set).cmp(&claimed(cart, &b.set)))
        .then_with(|| sorted_ids(&a.set).cmp(&sorted_ids(&b.set)))
}

//! Best coupons (contract section 6): among the held coupons that are
//! active and known, at most one per slot, the set with the lowest
//! `payable`; among equal payables the fewest coupons; among those the set
//! whose sorted ids come first in byte order.
//!
//! # The search
//!
//! Choosing coupons under thresholds is knapsack-like, so the search is a
//! branch and bound that is exact by construction and fast on the carts
//! marketplaces see:
//!
//! 1. **Decompose by slot kind.** A *store slot* holds only store-stage
//!    coupons of one store; such coupons touch only that store's lines,
//!    and the store stage of one store never looks at another. Every other
//!    slot (cross-store and platform coupons, or a custom slot shared
//!    across stores or stages) is a *global slot*. The search enumerates
//!    the global choices `G` (usually a handful), and for each `G` searches
//!    the stores' choices depth first.
//! 2. **Price each store option once.** For a given `G`, each store's
//!    options (one coupon or none per store slot) are priced through the
//!    store stage once; a leaf then only runs the cross-store and platform
//!    stages and shipping ([`Context::payable_after_store`]).
//! 3. **Bound.** At every node a lower bound on `payable` for any
//!    completion is computed; a node whose bound is worse than the best
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
//!    - certain fees: a store whose goods cannot reach `free_over` pays its
//!      fee whatever the completion (discounts only lower goods).
//!
//!    Each term bounds every completion, so no optimal set is ever cut:
//!    the search is exact. Ties on payable and count are never cut, so the
//!    id order decides among them as the contract says.
//!
//! # The budget
//!
//! The search counts steps, never time, so a browser and a server stop at
//! the same point. A step is one node of the search (a bound, a leaf, the
//! pricing of a plan) plus one for every 32 amounts or tiers that node
//! reads, so the budget bounds the work of a 1,000-line cart as well as
//! of a 5-line one. [`BUDGET`] is 300,000 steps: the `huge` workload (200
//! held coupons over 50 stores, 1,000 lines) is proven within about
//! 80,000, `double11` within about 50; the hostile inputs at the
//! contract's limits (`tests/common`'s `hostile`: 200 store slots in one
//! store, 100,000 tiers, thresholds every coupon moves) stop at the budget
//! in under half a second natively (see bench/README.md). Past the budget
//! the best set found so far is returned with `proven_best: false`; the
//! first leaf is the cheapest option of every store under the most
//! promising global choice, a greedy pick.
//!
//! A store's options (every way to fill its store slots) are priced up
//! front only while there are at most 256 of them; a store with more slots
//! has the rest searched as global slots, under the same budget.

use crate::money::Money;
use crate::pricing::{Context, Entry};
use crate::rules::{Basis, Effect, OffRule, Snapshot, Stage};

use std::cmp::Ordering;

/// The most search steps (bounds and leaves, weighted by the amounts they
/// read) one search may take.
pub const BUDGET: u64 = 300_000;

/// The most options (ways to fill its store slots) one store is priced
/// with up front; see [`Search::run`].
const MAX_STORE_OPTIONS: usize = 256;

/// The outcome of the search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Choice {
    /// Indices of the chosen coupon promotions.
    pub coupons: Vec<usize>,
    /// Whether the search covered every choice.
    pub proven: bool,
}

/// Sorted ids of a set, for the final tie-break.
fn sorted_ids<'r>(ctx: &'r Context<'_>, set: &[usize]) -> Vec<&'r str> {
    let mut ids: Vec<&str> = set
        .iter()
        .filter_map(|&p| ctx.rules.promotions.get(p))
        .map(|p| p.id.as_str())
        .collect();
    ids.sort_unstable();
    ids
}

/// The contract's order on candidate sets (less is better).
fn compare(ctx: &Context<'_>, a: (Money, &[usize]), b: (Money, &[usize])) -> Ordering {
    a.0.cmp(&b.0)
        .then(a.1.len().cmp(&b.1.len()))
        .then_with(|| sorted_ids(ctx, a.1).cmp(&sorted_ids(ctx, b.1)))
}

/// A slot's coupons, in id order.
struct Slot {
    coupons: Vec<usize>,
    /// `Some(store)` when every coupon is a store-stage coupon of that store.
    store: Option<usize>,
}

/// One way to fill a store's slots, priced through the store stage.
struct StoreOption {
    coupons: Vec<usize>,
    /// The store's lines' amounts after the store stage (same order as
    /// `StoreGroup::lines`).
    amounts: Vec<Money>,
    goods: i128,
    /// Per bound promotion: the sum of this store's amounts over its lines
    /// in the promotion's scope.
    reach: Vec<i128>,
}

/// A store with store slots.
struct StoreGroup {
    lines: Vec<usize>,
    /// Its store-stage entries (indices into `ctx.stages[0]`).
    entries: Vec<usize>,
    /// Per option, the coupons it selects.
    choices: Vec<Vec<usize>>,
    /// The shipping group of this store, if any (index into
    /// `ctx.shipping_groups`).
    shipping: Option<usize>,
}

/// A cross-store or platform promotion that may apply under `G`, as the
/// bound sees it.
struct BoundPromo<'c> {
    entry: &'c Entry,
    /// Base depends on the store options (amount basis, judged on the
    /// store or cross-store snapshot).
    variable: bool,
    /// A `threshold_off` whose base is variable: the cost-sharing bound
    /// applies.
    shares_cost: bool,
}

/// Work per step: a search step is one node of the search, plus one more
/// for every `WORK_PER_STEP` amounts (or tiers) that node reads, so that
/// the budget bounds time on large carts too (a leaf of a 1,000-line cart reads
/// thousands of amounts).
const WORK_PER_STEP: usize = 32;

/// Tiers of a promotion (bounds and leaves scan them).
fn tier_count(ctx: &Context<'_>, promo: usize) -> usize {
    ctx.rules
        .promotions
        .get(promo)
        .map_or(0, |p| p.effect.tier_count())
}

/// The steps a node that reads `work` amounts costs.
fn steps(work: usize) -> u64 {
    u64::try_from(work / WORK_PER_STEP)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

struct Search<'c, 'a> {
    ctx: &'c Context<'a>,
    steps: u64,
    /// Amounts a leaf reads: every line, and every line of every
    /// cross-store and platform promotion.
    leaf_work: usize,
    /// The most each store-stage coupon of a global slot can take off
    /// ([`store_coupon_max`]), by promotion index, computed once.
    coupon_max: Vec<(usize, i128)>,
    proven: bool,
    best: Option<(Money, Vec<usize>)>,
}

/// Search the best set among `candidates` (indices of coupon promotions
/// that are held, known, active and cover at least one line).
pub(crate) fn search(ctx: &Context<'_>, candidates: &[usize]) -> Choice {
    let leaf_work = ctx.cart.lines.len().saturating_add(
        ctx.stages
            .iter()
            .skip(1)
            .flatten()
            .map(|e| e.lines.len().saturating_add(tier_count(ctx, e.promo)))
            .fold(0usize, usize::saturating_add),
    );
    let mut s = Search {
        ctx,
        steps: 0,
        leaf_work,
        coupon_max: Vec::new(),
        proven: true,
        best: None,
    };
    s.run(candidates);
    Choice {
        coupons: s.best.map(|(_, set)| set).unwrap_or_default(),
        proven: s.proven,
    }
}

/// The store (index into `rules.stores`-independent store ids of the
/// cart, by first line) a store-stage coupon belongs to.
fn own_store<'r>(ctx: &'r Context<'_>, promo: usize) -> Option<&'r str> {
    let p = ctx.rules.promotions.get(promo)?;
    if p.stage != Stage::Store {
        return None;
    }
    p.scope
        .stores
        .as_ref()
        .and_then(|v| v.first())
        .map(|s| s.as_str())
}

impl<'c, 'a> Search<'c, 'a> {
    /// [`store_coupon_max`] of a store coupon of a global slot.
    fn max_off(&self, promo: usize) -> i128 {
        self.coupon_max
            .binary_search_by_key(&promo, |&(p, _)| p)
            .ok()
            .and_then(|i| self.coupon_max.get(i))
            .map_or(0, |&(_, m)| m)
    }

    /// Spend `work` (see [`steps`]) from the budget; false once it is
    /// spent, and the search is then no longer proven.
    fn tick(&mut self, work: usize) -> bool {
        if self.steps >= BUDGET {
            self.proven = false;
            return false;
        }
        self.steps = self.steps.saturating_add(steps(work));
        true
    }

    fn offer(&mut self, payable: Money, set: Vec<usize>) {
        let better = match &self.best {
            None => true,
            Some((p, b)) => compare(self.ctx, (payable, &set), (*p, b)) == Ordering::Less,
        };
        if better {
            self.best = Some((payable, set));
        }
    }

    /// Whether a node with this lower bound and this many coupons decided
    /// can still beat (or tie) the best leaf.
    fn worth(&self, lb: i128, count: usize) -> bool {
        match &self.best {
            None => true,
            Some((p, b)) => {
                let best = p.minor();
                lb < best || (lb == best && count <= b.len())
            }
        }
    }

    fn run(&mut self, candidates: &[usize]) {
        let ctx = self.ctx;
        let named = by_slot(ctx, candidates);

        // Stores of the cart, by first line.
        let mut stores: Vec<&str> = Vec::new();
        for l in &ctx.cart.lines {
            if !stores.contains(&l.store.as_str()) {
                stores.push(l.store.as_str());
            }
        }
        let store_index = |s: &str| stores.iter().position(|x| *x == s);

        // A store's options multiply across its slots; past
        // `MAX_STORE_OPTIONS` its further slots are searched as global
        // slots instead (under the budget), so that a store with many
        // slots cannot make the enumeration explode.
        let mut store_options: Vec<usize> = vec![1; stores.len()];
        let slots: Vec<Slot> = named
            .into_iter()
            .map(|(_, coupons)| {
                let first = coupons.first().and_then(|&c| own_store(ctx, c));
                let same = first.is_some() && coupons.iter().all(|&c| own_store(ctx, c) == first);
                let mut store = if same {
                    first.and_then(store_index)
                } else {
                    None
                };
                if let Some(n) = store.and_then(|si| store_options.get_mut(si)) {
                    let grown = n.saturating_mul(coupons.len().saturating_add(1));
                    if grown <= MAX_STORE_OPTIONS {
                        *n = grown;
                    } else {
                        store = None;
                    }
                }
                Slot { coupons, store }
            })
            .collect();

        let global: Vec<Vec<usize>> = slots
            .iter()
            .filter(|s| s.store.is_none())
            .map(|s| s.coupons.clone())
            .collect();
        let mut coupon_max: Vec<(usize, i128)> = global
            .iter()
            .flatten()
            .filter(|&&c| own_store(ctx, c).is_some())
            .map(|&c| (c, store_coupon_max(ctx, c)))
            .collect();
        coupon_max.sort_unstable();
        self.coupon_max = coupon_max;
        let groups = store_groups(ctx, &slots, &stores);
        let gentries: Vec<&Entry> = ctx.stages.iter().skip(1).flatten().collect();

        let mut plans: Vec<(Vec<usize>, Plan<'_>)> = Vec::new();
        let base_plan = Plan::new(ctx, &[], &groups, &gentries);
        let mut chosen = Vec::new();
        self.global_dfs(
            &global,
            &groups,
            &gentries,
            &base_plan,
            &mut plans,
            &mut chosen,
        );
    }

    /// Decide the global slots one by one (depth first, bounded), then the
    /// stores.
    fn global_dfs<'p>(
        &mut self,
        global: &[Vec<usize>],
        groups: &[StoreGroup],
        gentries: &[&'p Entry],
        base_plan: &Plan<'p>,
        plans: &mut Vec<(Vec<usize>, Plan<'p>)>,
        chosen: &mut Vec<usize>,
    ) where
        'c: 'p,
    {
        let ctx = self.ctx;
        let depth = chosen.len();
        // A node bounds itself and orders its slot's coupons by a bound
        // each, over the remaining slots and the promotions.
        let slot_len = global.get(depth).map_or(0, Vec::len);
        let node_work = base_plan
            .one_promo_work
            .saturating_mul(slot_len)
            .saturating_add(base_plan.bound_work)
            .saturating_add(global.len().saturating_sub(depth))
            .saturating_add(gentries.len());
        if !self.tick(node_work) {
            return;
        }
        let entry_of = |promo: usize| gentries.iter().position(|e| e.promo == promo);
        let active: Vec<usize> = gentries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.coupon || chosen.contains(&e.promo))
            .map(|(i, _)| i)
            .collect();
        let decided: Vec<usize> = global
            .iter()
            .take(depth)
            .zip(chosen.iter())
            .filter_map(|(_, &c)| (c != usize::MAX).then_some(c))
            .collect();
        // Undecided global slots: their cross-store and platform coupons,
        // and the most any store-stage coupon among them can take off.
        let undecided: Vec<(Vec<usize>, i128)> = global
            .iter()
            .skip(depth)
            .map(|slot| {
                let entries = slot.iter().filter_map(|&c| entry_of(c)).collect();
                let store_off = slot
                    .iter()
                    .filter(|&&c| own_store(ctx, c).is_some())
                    .map(|&c| self.max_off(c))
                    .max()
                    .unwrap_or(0);
                (entries, store_off)
            })
            .collect();
        // Store-stage coupons in global slots change the store options.
        let store_coupons: Vec<usize> = decided
            .iter()
            .copied()
            .filter(|&c| own_store(ctx, c).is_some())
            .collect();
        let plan_index = if store_coupons.is_empty() {
            None
        } else {
            match plans.iter().position(|(k, _)| *k == store_coupons) {
                Some(i) => Some(i),
                None => {
                    // Every plan prices the same groups: its cost is known
                    // before it is built.
                    if !self.tick(base_plan.build_work) {
                        return;
                    }
                    let plan = Plan::new(ctx, &store_coupons, groups, gentries);
                    plans.push((store_coupons.clone(), plan));
                    Some(plans.len().saturating_sub(1))
                }
            }
        };
        let plan = match plan_index.and_then(|i| plans.get(i)) {
            Some((_, p)) => p,
            None => base_plan,
        };
        let lb = plan.bound(ctx, &[], &active, &undecided);
        if !self.worth(lb, decided.len()) {
            return;
        }
        let Some(slot) = global.get(depth) else {
            let mut path = Vec::with_capacity(plan.order.len());
            // `plan` borrows `plans`; the store search does not add plans.
            let plan_ptr: &Plan<'p> = plan;
            self.store_dfs(plan_ptr, groups, &decided, &active, &mut path);
            return;
        };
        // Promising coupons first (by what each could take off), then none.
        let mut order: Vec<(i128, usize)> = slot
            .iter()
            .map(|&c| {
                let e: Vec<usize> = entry_of(c).into_iter().collect();
                let own = if own_store(ctx, c).is_some() {
                    0i128.saturating_sub(self.max_off(c))
                } else {
                    0
                };
                (plan.bound(ctx, &[], &e, &[]).saturating_add(own), c)
            })
            .collect();
        order.sort();
        for c in order.into_iter().map(|(_, c)| c).chain([usize::MAX]) {
            chosen.push(c);
            self.global_dfs(global, groups, gentries, base_plan, plans, chosen);
            chosen.pop();
            if !self.proven {
                return;
            }
        }
    }

    fn store_dfs(
        &mut self,
        plan: &Plan<'_>,
        groups: &[StoreGroup],
        g: &[usize],
        active: &[usize],
        path: &mut Vec<usize>,
    ) {
        let ctx = self.ctx;
        let depth = path.len();
        let Some(&gi) = plan.order.get(depth) else {
            // A leaf: every store decided.
            if !self.tick(self.leaf_work) {
                return;
            }
            let mut store_amounts = plan.fixed.clone();
            let mut set = g.to_vec();
            for (d, &oi) in path.iter().enumerate() {
                let Some(&gr) = plan.order.get(d) else {
                    continue;
                };
                let (Some(group), Some(opt)) =
                    (groups.get(gr), plan.options.get(gr).and_then(|o| o.get(oi)))
                else {
                    continue;
                };
                for (&line, &amt) in group.lines.iter().zip(&opt.amounts) {
                    if let Some(x) = store_amounts.get_mut(line) {
                        *x = amt;
                    }
                }
                set.extend_from_slice(&opt.coupons);
            }
            let payable = ctx.payable_after_store(&store_amounts, |p| set.contains(&p));
            self.offer(payable, set);
            return;
        };
        let Some(opts) = plan.options.get(gi) else {
            return;
        };
        // Cheapest options first, so the first leaf is the greedy pick.
        let mut idx: Vec<usize> = (0..opts.len()).collect();
        idx.sort_by_key(|&i| opts.get(i).map_or(i128::MAX, |o| o.goods));
        for oi in idx {
            path.push(oi);
            if !self.tick(plan.bound_work) {
                path.pop();
                return;
            }
            let count = g.len().saturating_add(
                path.iter()
                    .enumerate()
                    .filter_map(|(d, &o)| {
                        plan.order
                            .get(d)
                            .and_then(|&gr| plan.options.get(gr))
                            .and_then(|os| os.get(o))
                    })
                    .map(|o| o.coupons.len())
                    .fold(0usize, usize::saturating_add),
            );
            let lb = plan.bound(ctx, path, active, &[]);
            if self.worth(lb, count) {
                self.store_dfs(plan, groups, g, active, path);
            }
            path.pop();
            if !self.proven {
                return;
            }
        }
    }
}

/// Coupons grouped by slot: slots in name order, coupons in id order, so
/// that the search order (and where a budget stops it) is deterministic.
fn by_slot<'r>(ctx: &'r Context<'_>, candidates: &[usize]) -> Vec<(&'r str, Vec<usize>)> {
    let promos = &ctx.rules.promotions;
    let mut slots: Vec<(&str, Vec<usize>)> = Vec::new();
    for &c in candidates {
        let Some(p) = promos.get(c) else { continue };
        match slots.iter_mut().find(|(s, _)| *s == p.slot.as_str()) {
            Some((_, v)) => v.push(c),
            None => slots.push((p.slot.as_str(), vec![c])),
        }
    }
    slots.sort_by(|a, b| a.0.cmp(b.0));
    let id = |c: &usize| promos.get(*c).map(|p| p.id.as_str());
    for (_, v) in &mut slots {
        v.sort_by(|a, b| id(a).cmp(&id(b)));
    }
    slots
}

/// The most a store-stage coupon can take off: its largest nominal
/// reduction, and never more than its lines' item amounts.
fn store_coupon_max(ctx: &Context<'_>, promo: usize) -> i128 {
    let Some(p) = ctx.rules.promotions.get(promo) else {
        return 0;
    };
    let lines: i128 = ctx
        .cart
        .lines
        .iter()
        .zip(&ctx.item_amounts)
        .filter(|(l, _)| p.scope.matches(l))
        .map(|(_, a)| a.minor())
        .sum();
    envelope(ctx, &p.effect, i128::MAX, lines).min(lines).max(0)
}

/// The stores with store slots, each with every way to fill its slots.
fn store_groups(ctx: &Context<'_>, slots: &[Slot], stores: &[&str]) -> Vec<StoreGroup> {
    let mut groups: Vec<StoreGroup> = Vec::new();
    let mut group_of_store: Vec<Option<usize>> = vec![None; stores.len()];
    for slot in slots {
        let Some(si) = slot.store else { continue };
        let gi = match group_of_store.get(si).copied().flatten() {
            Some(gi) => gi,
            None => {
                let name = stores.get(si).copied().unwrap_or("");
                let lines: Vec<usize> = ctx
                    .cart
                    .lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.store.as_str() == name)
                    .map(|(i, _)| i)
                    .collect();
                let entries: Vec<usize> = ctx
                    .stages
                    .first()
                    .map(|es| {
                        es.iter()
                            .enumerate()
                            .filter(|(_, e)| own_store(ctx, e.promo) == Some(name))
                            .map(|(k, _)| k)
                            .collect()
                    })
                    .unwrap_or_default();
                let shipping = ctx.shipping_groups.iter().position(|(rs, _)| {
                    ctx.rules
                        .stores
                        .get(*rs)
                        .is_some_and(|s| s.id.as_str() == name)
                });
                groups.push(StoreGroup {
                    lines,
                    entries,
                    choices: vec![Vec::new()],
                    shipping,
                });
                if let Some(g) = group_of_store.get_mut(si) {
                    *g = Some(groups.len().saturating_sub(1));
                }
                groups.len().saturating_sub(1)
            }
        };
        // Options multiply across a store's slots.
        if let Some(g) = groups.get_mut(gi) {
            let mut next = Vec::new();
            for base in &g.choices {
                next.push(base.clone());
                for &c in &slot.coupons {
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

/// A goods-per-base ratio `num / den` (den > 0); `None` is "no option
/// raises the base" (infinite).
type Ratio = Option<(i128, i128)>;

fn ratio_min(a: Ratio, b: Ratio) -> Ratio {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some((an, ad)), Some((bn, bd))) => match (an.checked_mul(bd), bn.checked_mul(ad)) {
            (Some(l), Some(r)) => Some(if l <= r { (an, ad) } else { (bn, bd) }),
            // Too large to compare exactly: a zero ratio is always safe.
            _ => Some((0, 1)),
        },
    }
}

/// `floor(r * delta / k)`, the least goods cost of raising a base by
/// `delta` shared among `k` promotions (0 when it cannot be computed
/// exactly, which only weakens the bound).
fn cost(r: Ratio, delta: i128, k: i128) -> i128 {
    let Some((num, den)) = r else { return 0 };
    match (num.checked_mul(delta), den.checked_mul(k)) {
        (Some(a), Some(b)) if b > 0 => a.checked_div(b).unwrap_or(0),
        _ => 0,
    }
}

/// `U_P(base)`: the largest nominal reduction of a `threshold_off` at any
/// base up to `base` (non-decreasing in `base`).
fn envelope_off(rule: &OffRule, base: i128) -> i128 {
    match rule {
        OffRule::Tiers(tiers) => tiers
            .iter()
            .filter(|t| t.at <= base)
            .map(|t| t.off.minor())
            .max()
            .unwrap_or(0),
        OffRule::Every { at, off, cap } => {
            let k = base.max(0).checked_div(*at).unwrap_or(0);
            let total = off.minor().saturating_mul(k);
            cap.map_or(total, |c| total.min(c.minor()))
        }
    }
}

/// The most a promotion can take off at base at most `base` over running
/// amounts summing to at most `running`.
fn envelope(ctx: &Context<'_>, effect: &Effect, base: i128, running: i128) -> i128 {
    match effect {
        Effect::Markdown { .. } => 0,
        Effect::ThresholdOff { rule, .. } => envelope_off(rule, base),
        Effect::ThresholdRate { tiers, cap, .. } => {
            let r = Money::from_minor(running.max(0), ctx.scale);
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
    }
}

/// `max(0, max_{0 < Δ <= dmax} [U(b0 + Δ) - U(b0) - cost(Δ)])` for a
/// `threshold_off`: the maximum sits on a breakpoint of `U`.
fn slack(rule: &OffRule, b0: i128, dmax: i128, r: Ratio, k: i128) -> i128 {
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
                    best = best.max(u.saturating_sub(u0).saturating_sub(cost(
                        r,
                        t.at.saturating_sub(b0),
                        k,
                    )));
                }
            }
        }
        OffRule::Every { at, off, cap } => {
            if *at > 0 {
                let first = b0.max(0).checked_div(*at).unwrap_or(0).saturating_add(1);
                let last = hi.checked_div(*at).unwrap_or(0);
                if first <= last {
                    // Gain grows by `off` per step until the cap, cost grows
                    // linearly: the best step is the first or the last
                    // before the cap.
                    let capped = cap.filter(|_| off.minor() > 0).map_or(last, |c| {
                        let steps = c
                            .minor()
                            .saturating_add(off.minor())
                            .saturating_sub(1)
                            .checked_div(off.minor())
                            .unwrap_or(0);
                        steps.clamp(first, last)
                    });
                    best = best
                        .max(value(first.saturating_mul(*at)))
                        .max(value(capped.saturating_mul(*at)));
                }
            }
        }
    }
    best
}

/// The store options priced under a set of store-stage coupons chosen in
/// global slots (usually none), with what the bound needs precomputed for
/// every cross-store and platform promotion (`gentries`).
struct Plan<'c> {
    /// Amounts after the store stage with no store-slot coupon.
    fixed: Vec<Money>,
    /// Per store group, its options.
    options: Vec<Vec<StoreOption>>,
    /// Store groups in search order, and each group's place in it.
    order: Vec<usize>,
    rank: Vec<usize>,
    /// The cross-store and platform promotions, as the bound sees them.
    promos: Vec<BoundPromo<'c>>,
    /// Goods of the lines outside every store group.
    fixed_goods: i128,
    /// Per promotion: its base when fixed.
    fixed_base: Vec<i128>,
    /// Per promotion: running amounts of its lines outside the groups.
    fixed_reach: Vec<i128>,
    /// Per group: index of its cheapest option.
    cheapest: Vec<usize>,
    /// Per group and promotion: the most an option raises the reach above
    /// the cheapest option's, and the least goods-per-reach ratio of doing
    /// so.
    raise: Vec<Vec<(i128, Ratio)>>,
    /// Per shipping group: goods of its lines outside the store groups,
    /// and the store group of its store.
    ship: Vec<(i128, Option<usize>)>,
    /// Amounts one bound reads (options, and per promotion the groups).
    bound_work: usize,
    /// Amounts a bound of one promotion reads.
    one_promo_work: usize,
    /// Amounts building this plan read (every option prices its store's
    /// lines and reads every promotion's lines).
    build_work: usize,
}

impl<'c> Plan<'c> {
    fn new(
        ctx: &'c Context<'_>,
        store_coupons: &[usize],
        groups: &[StoreGroup],
        gentries: &[&'c Entry],
    ) -> Plan<'c> {
        // Sorted, so that "is this coupon chosen" is a binary search: a
        // hostile cart may choose hundreds of store coupons in global
        // slots.
        let mut sorted = store_coupons.to_vec();
        sorted.sort_unstable();
        let in_g = |p: usize| sorted.binary_search(&p).is_ok();
        // Store stage for the whole cart with the global slots' store
        // coupons only.
        let mut fixed = ctx.item_amounts.clone();
        let all: Vec<usize> = (0..ctx.stages.first().map_or(0, Vec::len)).collect();
        ctx.store_stage(&mut fixed, &all, in_g);

        let promos: Vec<BoundPromo<'c>> = gentries
            .iter()
            .map(|e| {
                let p = ctx.rules.promotions.get(e.promo);
                let variable = p.is_some_and(|p| {
                    p.effect.basis() == Some(Basis::Amount)
                        && matches!(p.threshold_on, Snapshot::Store | Snapshot::CrossStore)
                });
                let shares_cost =
                    variable && p.is_some_and(|p| matches!(p.effect, Effect::ThresholdOff { .. }));
                BoundPromo {
                    entry: e,
                    variable,
                    shares_cost,
                }
            })
            .collect();

        let mut group_of_line: Vec<Option<usize>> = vec![None; ctx.cart.lines.len()];
        for (gi, group) in groups.iter().enumerate() {
            for &l in &group.lines {
                if let Some(x) = group_of_line.get_mut(l) {
                    *x = Some(gi);
                }
            }
        }
        let outside = |l: &usize| group_of_line.get(*l).copied().flatten().is_none();

        let options: Vec<Vec<StoreOption>> = groups
            .iter()
            .enumerate()
            .map(|(gi, group)| {
                group
                    .choices
                    .iter()
                    .map(|coupons| {
                        let mut a = fixed.clone();
                        for &l in &group.lines {
                            if let (Some(x), Some(y)) = (a.get_mut(l), ctx.item_amounts.get(l)) {
                                *x = *y;
                            }
                        }
                        ctx.store_stage(&mut a, &group.entries, |p| {
                            in_g(p) || coupons.contains(&p)
                        });
                        let amounts: Vec<Money> = group
                            .lines
                            .iter()
                            .map(|&i| a.get(i).copied().unwrap_or_else(|| ctx.zero()))
                            .collect();
                        let goods = amounts.iter().map(|m| m.minor()).sum();
                        let reach = promos
                            .iter()
                            .map(|bp| {
                                bp.entry
                                    .lines
                                    .iter()
                                    .filter(|&&i| {
                                        group_of_line.get(i).copied().flatten() == Some(gi)
                                    })
                                    .filter_map(|&i| a.get(i))
                                    .map(|m| m.minor())
                                    .sum()
                            })
                            .collect();
                        StoreOption {
                            coupons: coupons.clone(),
                            amounts,
                            goods,
                            reach,
                        }
                    })
                    .collect()
            })
            .collect();

        // Options that leave every amount the same are interchangeable in
        // every completion; keep the best of them by the contract's tie
        // order (fewer coupons, then smaller sorted ids — both decide the
        // same way for the whole set, as the other stores' coupons are
        // disjoint from these).
        let options: Vec<Vec<StoreOption>> = options
            .into_iter()
            .map(|os| {
                let mut kept: Vec<StoreOption> = Vec::with_capacity(os.len());
                for o in os {
                    match kept.iter_mut().find(|k| k.amounts == o.amounts) {
                        None => kept.push(o),
                        Some(k) => {
                            let better = o.coupons.len().cmp(&k.coupons.len()).then_with(|| {
                                sorted_ids(ctx, &o.coupons).cmp(&sorted_ids(ctx, &k.coupons))
                            });
                            if better == Ordering::Less {
                                *k = o;
                            }
                        }
                    }
                }
                kept
            })
            .collect();

        let fixed_goods = (0..ctx.cart.lines.len())
            .filter(outside)
            .filter_map(|i| fixed.get(i))
            .map(|m| m.minor())
            .sum();
        let fixed_reach: Vec<i128> = promos
            .iter()
            .map(|bp| {
                bp.entry
                    .lines
                    .iter()
                    .filter(|l| outside(l))
                    .filter_map(|&i| fixed.get(i))
                    .map(|m| m.minor())
                    .sum()
            })
            .collect();
        let fixed_base: Vec<i128> = promos
            .iter()
            .map(|bp| {
                let on = ctx
                    .rules
                    .promotions
                    .get(bp.entry.promo)
                    .map_or(Snapshot::List, |p| p.threshold_on);
                // Count basis, or judged on list or item amounts: the same
                // whatever the coupons.
                let snap = match on {
                    Snapshot::List => &ctx.list,
                    _ => &ctx.item_amounts,
                };
                ctx.base(bp.entry, snap)
            })
            .collect();

        let cheapest: Vec<usize> = options
            .iter()
            .map(|os| {
                os.iter()
                    .enumerate()
                    .min_by_key(|(_, o)| o.goods)
                    .map_or(0, |(i, _)| i)
            })
            .collect();
        let raise: Vec<Vec<(i128, Ratio)>> = options
            .iter()
            .zip(&cheapest)
            .map(|(os, &c)| {
                (0..promos.len())
                    .map(|pi| {
                        let Some(star) = os.get(c) else {
                            return (0, None);
                        };
                        let b0 = star.reach.get(pi).copied().unwrap_or(0);
                        let mut dmax = 0;
                        let mut r: Ratio = None;
                        for o in os {
                            let db = o.reach.get(pi).copied().unwrap_or(0).saturating_sub(b0);
                            if db > 0 {
                                dmax = dmax.max(db);
                                r = ratio_min(r, Some((o.goods.saturating_sub(star.goods), db)));
                            }
                        }
                        (dmax, r)
                    })
                    .collect()
            })
            .collect();
        let ship: Vec<(i128, Option<usize>)> = ctx
            .shipping_groups
            .iter()
            .enumerate()
            .map(|(si, (_, lines))| {
                let goods = lines
                    .iter()
                    .filter(|l| outside(l))
                    .filter_map(|&i| fixed.get(i))
                    .map(|m| m.minor())
                    .sum();
                (goods, groups.iter().position(|gr| gr.shipping == Some(si)))
            })
            .collect();

        // Widest spread of goods first: the decisions that matter most.
        let spread = |os: &Vec<StoreOption>| {
            let lo = os.iter().map(|o| o.goods).min().unwrap_or(0);
            let hi = os.iter().map(|o| o.goods).max().unwrap_or(0);
            hi.saturating_sub(lo)
        };
        let mut order: Vec<usize> = (0..groups.len()).collect();
        order.sort_by(|&a, &b| {
            let sa = options.get(a).map_or(0, spread);
            let sb = options.get(b).map_or(0, spread);
            sb.cmp(&sa).then(a.cmp(&b))
        });
        let mut rank = vec![0; order.len()];
        for (d, &g) in order.iter().enumerate() {
            if let Some(r) = rank.get_mut(g) {
                *r = d;
            }
        }

        let option_count = options
            .iter()
            .map(Vec::len)
            .fold(0usize, usize::saturating_add);
        let promo_lines = promos
            .iter()
            .map(|bp| bp.entry.lines.len())
            .fold(0usize, usize::saturating_add);
        let promo_tiers = promos
            .iter()
            .map(|bp| tier_count(ctx, bp.entry.promo))
            .fold(0usize, usize::saturating_add);
        let bound_work = option_count
            .saturating_add(promos.len().saturating_mul(options.len().max(1)))
            .saturating_add(promo_tiers);
        // Each option copies the amounts, runs its store's entries and
        // reads every promotion's lines.
        let store_entries = ctx.stages.first().map_or(&[][..], Vec::as_slice);
        let build_work = groups
            .iter()
            .map(|group| {
                let entry_work = group
                    .entries
                    .iter()
                    .filter_map(|&k| store_entries.get(k))
                    .map(|e| e.lines.len().saturating_add(1))
                    .fold(0usize, usize::saturating_add);
                group.choices.len().saturating_mul(
                    ctx.cart
                        .lines
                        .len()
                        .saturating_add(entry_work)
                        .saturating_add(promo_lines),
                )
            })
            .fold(ctx.cart.lines.len(), usize::saturating_add);
        let one_promo_work = option_count.saturating_add(options.len());
        Plan {
            fixed,
            options,
            order,
            rank,
            promos,
            fixed_goods,
            fixed_base,
            fixed_reach,
            cheapest,
            raise,
            ship,
            bound_work,
            one_promo_work,
            build_work,
        }
    }

    /// A lower bound (minor units) on `payable` of every completion of the
    /// decided stores `path` (an option index per store group, in
    /// `order`), with the promotions `active` (indices into `promos`)
    /// applying and at most one promotion of each of `undecided` (the
    /// undecided global slots) joining them.
    fn bound(
        &self,
        ctx: &Context<'_>,
        path: &[usize],
        active: &[usize],
        undecided: &[(Vec<usize>, i128)],
    ) -> i128 {
        let decided = |g: usize| -> Option<&StoreOption> {
            let d = *self.rank.get(g)?;
            let oi = *path.get(d)?;
            self.options.get(g)?.get(oi)
        };
        let mut goods = self.fixed_goods;
        // Per group: (goods lower bound, goods upper bound).
        let mut group_goods: Vec<(i128, i128)> = Vec::with_capacity(self.options.len());
        for (g, os) in self.options.iter().enumerate() {
            let range = match decided(g) {
                Some(o) => (o.goods, o.goods),
                None => (
                    os.iter().map(|o| o.goods).min().unwrap_or(0),
                    os.iter().map(|o| o.goods).max().unwrap_or(0),
                ),
            };
            goods = goods.saturating_add(range.0);
            group_goods.push(range);
        }

        // Where each promotion's base can go: (b0, dmax, ratio).
        let reach = |pi: usize| -> (i128, i128, Ratio) {
            let mut b0 = self.fixed_reach.get(pi).copied().unwrap_or(0);
            let mut dmax = 0i128;
            let mut r: Ratio = None;
            for (g, os) in self.options.iter().enumerate() {
                match decided(g) {
                    Some(o) => b0 = b0.saturating_add(o.reach.get(pi).copied().unwrap_or(0)),
                    None => {
                        let star = self.cheapest.get(g).and_then(|&c| os.get(c));
                        b0 = b0.saturating_add(
                            star.and_then(|o| o.reach.get(pi)).copied().unwrap_or(0),
                        );
                        if let Some(&(d, rg)) = self.raise.get(g).and_then(|v| v.get(pi)) {
                            dmax = dmax.saturating_add(d);
                            r = ratio_min(r, rg);
                        }
                    }
                }
            }
            (b0, dmax, r)
        };
        // A promotion can gain from higher bases only if its envelope rises
        // within reach; only those share the goods cost of raising them.
        let gainable = |pi: usize, b0: i128, dmax: i128| -> bool {
            let Some(bp) = self.promos.get(pi) else {
                return false;
            };
            let Some(Effect::ThresholdOff { rule, .. }) =
                ctx.rules.promotions.get(bp.entry.promo).map(|p| &p.effect)
            else {
                return false;
            };
            bp.shares_cost
                && dmax > 0
                && envelope_off(rule, b0.saturating_add(dmax)) > envelope_off(rule, b0)
        };
        let info: Vec<(usize, i128, i128, Ratio)> = active
            .iter()
            .chain(undecided.iter().flat_map(|(slot, _)| slot))
            .map(|&pi| {
                let (b0, dmax, r) = reach(pi);
                (pi, b0, dmax, r)
            })
            .collect();
        let gain_active = info
            .iter()
            .take(active.len())
            .filter(|(pi, b0, dmax, _)| gainable(*pi, *b0, *dmax))
            .count();
        let gain_slots = undecided
            .iter()
            .filter(|(slot, _)| {
                slot.iter().any(|pi| {
                    info.iter()
                        .find(|(x, ..)| x == pi)
                        .is_some_and(|(_, b0, dmax, _)| gainable(*pi, *b0, *dmax))
                })
            })
            .count();
        let k = i128::try_from(gain_active.saturating_add(gain_slots).max(1)).unwrap_or(1);

        let ub = |pi: usize, b0: i128, dmax: i128, r: Ratio| -> i128 {
            let (Some(bp), Some(p)) = (
                self.promos.get(pi),
                self.promos
                    .get(pi)
                    .and_then(|bp| ctx.rules.promotions.get(bp.entry.promo)),
            ) else {
                return 0;
            };
            // The running amounts never exceed their store-stage values.
            let running_hi = b0.saturating_add(dmax);
            let ub = if !bp.variable {
                let base = self.fixed_base.get(pi).copied().unwrap_or(0);
                envelope(ctx, &p.effect, base, running_hi)
            } else if let (true, Effect::ThresholdOff { rule, .. }) = (bp.shares_cost, &p.effect) {
                let share = if gainable(pi, b0, dmax) { k } else { 1 };
                envelope_off(rule, b0).saturating_add(slack(rule, b0, dmax, r, share))
            } else {
                envelope(ctx, &p.effect, running_hi, running_hi)
            };
            ub.min(running_hi).max(0)
        };
        let mut off: i128 = info
            .iter()
            .take(active.len())
            .map(|&(pi, b0, dmax, r)| ub(pi, b0, dmax, r))
            .sum();
        for (slot, store_off) in undecided {
            off = off.saturating_add(
                slot.iter()
                    .filter_map(|pi| info.iter().find(|(x, ..)| x == pi))
                    .map(|&(pi, b0, dmax, r)| ub(pi, b0, dmax, r))
                    .max()
                    .unwrap_or(0)
                    .max(*store_off),
            );
        }

        // Fees no completion can avoid: goods only go down after the store
        // stage, so a store that cannot reach free_over pays.
        let mut fees = 0i128;
        for (si, (fixed_goods, group)) in self.ship.iter().enumerate() {
            let hi = fixed_goods
                .saturating_add(group.and_then(|g| group_goods.get(g)).map_or(0, |r| r.1));
            let Some((rs, _)) = ctx.shipping_groups.get(si) else {
                continue;
            };
            if let Some(sh) = ctx.rules.stores.get(*rs).and_then(|s| s.shipping) {
                if sh.free_over.is_none_or(|f| hi < f.minor()) {
                    fees = fees.saturating_add(sh.fee.minor());
                }
            }
        }
        goods.saturating_sub(off).saturating_add(fees)
    }
}

/// Every choice, one by one, through the whole pipeline: the reference the
/// branch and bound is checked against (tests and `quote_exhaustive`).
pub(crate) fn exhaustive(ctx: &Context<'_>, candidates: &[usize]) -> Choice {
    let slots = by_slot(ctx, candidates);
    let mut best: Option<(Money, Vec<usize>)> = None;
    let mut sets: Vec<Vec<usize>> = vec![Vec::new()];
    for (_, coupons) in &slots {
        let mut next = Vec::new();
        for s in &sets {
            next.push(s.clone());
            for &c in coupons {
                let mut with = s.clone();
                with.push(c);
                next.push(with);
            }
        }
        sets = next;
    }
    for set in sets {
        let payable = ctx.run(|p| set.contains(&p)).payable;
        let better = match &best {
            None => true,
            Some((p, b)) => compare(ctx, (payable, &set), (*p, b)) == Ordering::Less,
        };
        if better {
            best = Some((payable, set));
        }
    }
    Choice {
        coupons: best.map(|(_, s)| s).unwrap_or_default(),
        proven: true,
    }
}

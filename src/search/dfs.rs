//! The depth-first branch and bound: global slots first (each node bounded
//! over the store plan its store-stage coupons select), then the stores'
//! options, cheapest first; leaves price the cross-store and platform
//! stages and shipping.

use super::bound::Undecided;
use super::plan::Plan;
use super::slots::{decompose, own_store, store_coupon_max, StoreGroup};
use super::{compare, BoundIx, Candidate, Choice, BUDGET};
use crate::input::rules::PromoRef;
use crate::pricing::{Context, Entry};
use crate::values::{sort, sort_by_key};
use crate::values::{Broken, Money, PromoIx};
use std::cmp::Ordering;

/// Work per step: a search step is one node of the search, plus one more
/// for every `WORK_PER_STEP` amounts (or tiers) that node reads, so that
/// the budget bounds time on large carts too (a leaf of a 1,000-line cart
/// reads thousands of amounts).
const WORK_PER_STEP: usize = 32;

/// The steps a node that reads `work` amounts costs.
fn steps(work: usize) -> u64 {
    u64::try_from(work / WORK_PER_STEP)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

/// The state of one search.
pub(super) struct Search<'c, 'r> {
    ctx: &'c Context<'r>,
    steps: u64,
    /// Amounts a leaf reads: every line, and every line of every
    /// cross-store and platform promotion.
    leaf_work: usize,
    /// The most each store-stage coupon of a global slot can take off, by
    /// promotion, computed once.
    coupon_max: Vec<(PromoIx, i128)>,
    /// The most each shipping coupon can take off one fee, by promotion.
    ship_max: Vec<(PromoIx, i128)>,
    proven: bool,
    best: Option<Candidate<'r>>,
}

/// A choice of every global slot, as the store search sees it.
struct Global<'g, 'r> {
    /// The coupons chosen in global slots.
    coupons: &'g [PromoRef<'r>],
    /// The cross-store and platform promotions that apply.
    active: &'g [BoundIx],
    /// The most the chosen shipping coupons can take off fees.
    ship_chosen: i128,
}

/// What the global depth-first search walks: the slots, the store groups,
/// the cross-store and platform entries, and the plans priced so far.
struct Walk<'w, 'c, 'r> {
    global: &'w [Vec<PromoRef<'r>>],
    groups: &'w [StoreGroup<'c, 'r>],
    gentries: &'w [&'c Entry<'r>],
    base_plan: &'w Plan<'c, 'r>,
    /// Plans for sets of global store-stage coupons, by that set.
    plans: Vec<(Vec<PromoRef<'r>>, Plan<'c, 'r>)>,
}

impl<'c, 'r> Search<'c, 'r> {
    /// Search the best set among `candidates`.
    pub(super) fn run(
        ctx: &'c Context<'r>,
        candidates: &[PromoRef<'r>],
    ) -> Result<Choice<'r>, Broken> {
        let gentries: Vec<&'c Entry<'r>> = ctx
            .stages
            .cross_store
            .iter()
            .chain(&ctx.stages.platform)
            .collect();
        let leaf_work = gentries
            .iter()
            .map(|e| e.lines.len().saturating_add(e.threshold.rule.tier_count()))
            .chain(ctx.subsidies.iter().map(|e| e.lines.len()))
            .chain(ctx.ship_promos.iter().map(|e| e.lines.len()))
            .fold(ctx.cart.lines.len(), usize::saturating_add);
        let mut ship_max: Vec<(PromoIx, i128)> = ctx
            .ship_promos
            .iter()
            .filter(|e| e.promo.promotion.coupon)
            .map(|e| (e.promo.ix, e.max_off))
            .collect();
        sort(&mut ship_max);
        let slots = decompose(ctx, candidates);
        let mut coupon_max: Vec<(PromoIx, i128)> = Vec::new();
        for &c in slots.global.iter().flatten() {
            if own_store(c).is_some() {
                coupon_max.push((c.ix, store_coupon_max(ctx, c)?));
            }
        }
        sort(&mut coupon_max);
        let mut s = Search {
            ctx,
            steps: 0,
            leaf_work,
            coupon_max,
            ship_max,
            proven: true,
            best: None,
        };
        let base_plan = Plan::new(ctx, &[], &slots.groups, &gentries)?;
        let mut walk = Walk {
            global: &slots.global,
            groups: &slots.groups,
            gentries: &gentries,
            base_plan: &base_plan,
            plans: Vec::new(),
        };
        s.global_dfs(&mut walk, &mut Vec::new())?;
        Ok(Choice {
            coupons: s.best.map(|b| b.set).unwrap_or_default(),
            proven: s.proven,
        })
    }

    /// The most a store coupon of a global slot can take off.
    fn max_off(&self, promo: PromoRef<'r>) -> i128 {
        self.coupon_max
            .binary_search_by_key(&promo.ix, |&(p, _)| p)
            .ok()
            .and_then(|i| self.coupon_max.get(i))
            .map_or(0, |&(_, m)| m)
    }

    /// The most a shipping coupon can take off one fee (0 for any other).
    fn ship_off(&self, promo: PromoRef<'r>) -> i128 {
        self.ship_max
            .binary_search_by_key(&promo.ix, |&(p, _)| p)
            .ok()
            .and_then(|i| self.ship_max.get(i))
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

    fn offer(&mut self, payable: Money, set: Vec<PromoRef<'r>>) {
        let offer = Candidate { payable, set };
        let better = match &self.best {
            None => true,
            Some(b) => compare(self.ctx.cart, &offer, b) == Ordering::Less,
        };
        if better {
            self.best = Some(offer);
        }
    }

    /// Whether a node with this lower bound and this many coupons decided
    /// can still beat (or tie) the best leaf.
    fn worth(&self, lb: i128, count: usize) -> bool {
        match &self.best {
            None => true,
            Some(b) => {
                let best = b.payable.minor();
                lb < best || (lb == best && count <= b.set.len())
            }
        }
    }

    /// Decide the global slots one by one (`chosen`: a coupon or none per
    /// slot decided so far), then the stores.
    fn global_dfs(
        &mut self,
        walk: &mut Walk<'_, 'c, 'r>,
        chosen: &mut Vec<Option<PromoRef<'r>>>,
    ) -> Result<(), Broken> {
        let ctx = self.ctx;
        let depth = chosen.len();
        // A node bounds itself and orders its slot's coupons by a bound
        // each, over the remaining slots and the promotions.
        let slot_len = walk.global.get(depth).map_or(0, Vec::len);
        let node_work = walk
            .base_plan
            .one_promo_work
            .saturating_mul(slot_len)
            .saturating_add(walk.base_plan.bound_work)
            .saturating_add(walk.global.len().saturating_sub(depth))
            .saturating_add(walk.gentries.len());
        if !self.tick(node_work) {
            return Ok(());
        }
        let gentries = walk.gentries;
        let entry_of = |promo: PromoRef<'r>| {
            gentries
                .iter()
                .position(|e| e.promo == promo)
                .map(BoundIx::new)
        };
        let active: Vec<BoundIx> = gentries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.coupon() || chosen.contains(&Some(e.promo)))
            .map(|(i, _)| BoundIx::new(i))
            .collect();
        let decided: Vec<PromoRef<'r>> = chosen.iter().flatten().copied().collect();
        let ship_chosen = decided
            .iter()
            .fold(0i128, |s, &c| s.saturating_add(self.ship_off(c)));
        let undecided = self.undecided(walk.global.get(depth..).unwrap_or(&[]), &entry_of);
        let Some(plan) = self.plan_for(walk, &decided)? else {
            return Ok(());
        };
        let plan = match plan {
            Some(i) => walk.plans.get(i).map(|(_, p)| p).ok_or(Broken("a plan"))?,
            None => walk.base_plan,
        };
        let lb = plan.bound(ctx, &[], &active, &undecided, ship_chosen)?;
        if !self.worth(lb, decided.len()) {
            return Ok(());
        }
        let Some(slot) = walk.global.get(depth) else {
            let global = Global {
                coupons: &decided,
                active: &active,
                ship_chosen,
            };
            return self.store_dfs(plan, walk.groups, &global, &mut Vec::new());
        };
        // Promising coupons first (by what each could take off), then none.
        let mut order: Vec<(i128, PromoRef<'r>)> = Vec::with_capacity(slot.len());
        for &c in slot {
            let e: Vec<BoundIx> = entry_of(c).into_iter().collect();
            let own = if own_store(c).is_some() {
                0i128.saturating_sub(self.max_off(c))
            } else {
                0
            };
            let lb = plan.bound(ctx, &[], &e, &[], self.ship_off(c))?;
            order.push((lb.saturating_add(own), c));
        }
        sort(&mut order);
        for c in order.into_iter().map(|(_, c)| Some(c)).chain([None]) {
            chosen.push(c);
            self.global_dfs(walk, chosen)?;
            chosen.pop();
            if !self.proven {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The undecided global slots: their cross-store and platform coupons,
    /// and the most any store-stage coupon among them can take off.
    fn undecided(
        &self,
        slots: &[Vec<PromoRef<'r>>],
        entry_of: &impl Fn(PromoRef<'r>) -> Option<BoundIx>,
    ) -> Vec<Undecided> {
        slots
            .iter()
            .map(|slot| Undecided {
                entries: slot.iter().filter_map(|&c| entry_of(c)).collect(),
                store_off: slot
                    .iter()
                    .filter(|&&c| own_store(c).is_some())
                    .map(|&c| self.max_off(c))
                    .max()
                    .unwrap_or(0),
                ship_off: slot.iter().map(|&c| self.ship_off(c)).max().unwrap_or(0),
            })
            .collect()
    }

    /// The plan for the store-stage coupons among `decided` (global slots
    /// may hold them): `Some(None)` for the base plan, `Some(Some(i))` for
    /// `walk.plans[i]` (built now if new), `None` when the budget ran out
    /// before it could be built.
    fn plan_for(
        &mut self,
        walk: &mut Walk<'_, 'c, 'r>,
        decided: &[PromoRef<'r>],
    ) -> Result<Option<Option<usize>>, Broken> {
        let store_coupons: Vec<PromoRef<'r>> = decided
            .iter()
            .copied()
            .filter(|&c| own_store(c).is_some())
            .collect();
        if store_coupons.is_empty() {
            return Ok(Some(None));
        }
        if let Some(i) = walk.plans.iter().position(|(k, _)| *k == store_coupons) {
            return Ok(Some(Some(i)));
        }
        // Every plan prices the same groups: its cost is known before it
        // is built.
        if !self.tick(walk.base_plan.build_work) {
            return Ok(None);
        }
        let plan = Plan::new(self.ctx, &store_coupons, walk.groups, walk.gentries)?;
        walk.plans.push((store_coupons, plan));
        Ok(Some(Some(walk.plans.len().saturating_sub(1))))
    }

    /// Decide the stores in the plan's order (`path`: an option index per
    /// store decided so far), with the global choice `global` made.
    fn store_dfs(
        &mut self,
        plan: &Plan<'c, 'r>,
        groups: &[StoreGroup<'c, 'r>],
        global: &Global<'_, 'r>,
        path: &mut Vec<usize>,
    ) -> Result<(), Broken> {
        let g = global.coupons;
        let Some(&gi) = plan.order.get(path.len()) else {
            return self.leaf(plan, groups, g, path);
        };
        let opts = plan
            .options
            .get(gi.get())
            .ok_or(Broken("a store group's options"))?;
        // Cheapest options first, so the first leaf is the greedy pick.
        let mut idx: Vec<usize> = (0..opts.len()).collect();
        sort_by_key(&mut idx, |&i| opts.get(i).map_or(i128::MAX, |o| o.goods));
        for oi in idx {
            path.push(oi);
            if !self.tick(plan.bound_work) {
                path.pop();
                return Ok(());
            }
            let count = g.len().saturating_add(
                path.iter()
                    .enumerate()
                    .filter_map(|(d, &o)| {
                        plan.order
                            .get(d)
                            .and_then(|gr| plan.options.get(gr.get()))
                            .and_then(|os| os.get(o))
                    })
                    .map(|o| o.coupons.len())
                    .fold(0usize, usize::saturating_add),
            );
            let lb = plan.bound(self.ctx, path, global.active, &[], global.ship_chosen)?;
            if self.worth(lb, count) {
                self.store_dfs(plan, groups, global, path)?;
            }
            path.pop();
            if !self.proven {
                return Ok(());
            }
        }
        Ok(())
    }

    /// A leaf: every store decided; price the rest of the pipeline.
    fn leaf(
        &mut self,
        plan: &Plan<'c, 'r>,
        groups: &[StoreGroup<'c, 'r>],
        g: &[PromoRef<'r>],
        path: &[usize],
    ) -> Result<(), Broken> {
        if !self.tick(self.leaf_work) {
            return Ok(());
        }
        let mut store_amounts = plan.fixed.clone();
        let mut set = g.to_vec();
        for (d, &oi) in path.iter().enumerate() {
            let gr = plan.order.get(d).ok_or(Broken("a decided store"))?.get();
            let group = groups.get(gr).ok_or(Broken("a store group"))?;
            let opt = plan
                .options
                .get(gr)
                .and_then(|o| o.get(oi))
                .ok_or(Broken("a store option"))?;
            for (&line, &amt) in group.lines.iter().zip(&opt.amounts) {
                *store_amounts.at_mut(line)? = amt;
            }
            set.extend_from_slice(&opt.coupons);
        }
        let payable = self
            .ctx
            .payable_after_store(&store_amounts, |p| set.iter().any(|c| c.ix == p))?;
        self.offer(payable, set);
        Ok(())
    }
}

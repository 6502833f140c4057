//! The lower bound on `payable` of every completion of a search node (see
//! the module documentation of `search` for why it is one).

use super::envelope::{envelope, envelope_off, ratio_min, slack, Ratio};
use super::plan::{Plan, StoreOption};
use super::{BoundIx, GroupIx};
use crate::pricing::Context;
use crate::values::Broken;

/// An undecided global slot, as the bound sees it.
pub(super) struct Undecided {
    /// Its cross-store and platform coupons.
    pub entries: Vec<BoundIx>,
    /// The most any store-stage coupon in it can take off.
    pub store_off: i128,
    /// The most any shipping coupon in it can take off one fee.
    pub ship_off: i128,
}

/// Where a promotion's base can go: its base under the cheapest options,
/// how far undecided options can raise it, and at what least cost.
#[derive(Clone, Copy, Debug)]
struct Reach {
    promo: BoundIx,
    b0: i128,
    dmax: i128,
    ratio: Option<Ratio>,
}

/// A promotion the plan has no numbers for.
const UNKNOWN: Broken = Broken("a promotion of the bound");

impl Plan<'_, '_> {
    /// The option decided for group `g` on `path` (an option index per
    /// store group, in `order`), if any.
    fn decided(&self, path: &[usize], g: GroupIx) -> Option<&StoreOption<'_>> {
        let d = *self.rank.get(g.get())?;
        let oi = *path.get(d)?;
        self.options.get(g.get())?.get(oi)
    }

    /// A lower bound (minor units) on `payable` of every completion of the
    /// decided stores `path`, with the promotions `active` (indices into
    /// `promos`) and shipping coupons that can take at most `ship_chosen`
    /// off fees applying, and at most one promotion of each of
    /// `undecided` (the undecided global slots) joining them. A promotion
    /// the plan does not know is [`Broken`]: guessing 0 for it would make
    /// the bound too low to prune and the answer wrong.
    pub(super) fn bound(
        &self,
        ctx: &Context<'_>,
        path: &[usize],
        active: &[BoundIx],
        undecided: &[Undecided],
        ship_chosen: i128,
    ) -> Result<i128, Broken> {
        let goods = self
            .least_goods(path)
            .iter()
            .fold(self.fixed_goods, |s, &lo| s.saturating_add(lo));
        let promos: Vec<BoundIx> = active
            .iter()
            .chain(undecided.iter().flat_map(|u| &u.entries))
            .copied()
            .collect();
        let info = self.reaches(path, &promos)?;
        let (of_active, rest) = info.split_at(active.len().min(info.len()));
        // Each undecided slot's entries, in `rest` in slot order.
        let mut of_slots: Vec<&[Reach]> = Vec::with_capacity(undecided.len());
        let mut left = rest;
        for u in undecided {
            let (mine, after) = left.split_at(u.entries.len().min(left.len()));
            of_slots.push(mine);
            left = after;
        }
        let mut gainers = 0usize;
        for r in of_active {
            gainers = gainers.saturating_add(usize::from(self.gainable(r)?));
        }
        for rs in &of_slots {
            let mut any = false;
            for r in rs.iter() {
                any |= self.gainable(r)?;
            }
            gainers = gainers.saturating_add(usize::from(any));
        }
        let k = i128::try_from(gainers.max(1)).unwrap_or(1);
        let mut off = 0i128;
        for r in of_active {
            off = off.saturating_add(self.upper(ctx, r, k)?);
        }
        for (u, rs) in undecided.iter().zip(&of_slots) {
            // Each upper bound is at least 0, so an empty slot gives 0.
            let mut best = 0i128;
            for r in rs.iter() {
                best = best.max(self.upper(ctx, r, k)?);
            }
            off = off.saturating_add(best.max(u.store_off));
        }
        let ship_off = undecided
            .iter()
            .fold(ship_chosen, |s, u| s.saturating_add(u.ship_off));
        // Subsidies only lower a line, by at most its largest subsidy of
        // its item amount.
        Ok(goods
            .saturating_sub(off)
            .saturating_sub(ctx.subsidy_max)
            .saturating_add(self.fees_lower(ctx, path, ship_off)))
    }

    /// Per store group: its goods if decided, else the least of its
    /// options' goods.
    fn least_goods(&self, path: &[usize]) -> Vec<i128> {
        self.options
            .iter()
            .enumerate()
            .map(|(g, os)| match self.decided(path, GroupIx::new(g)) {
                Some(o) => o.goods,
                None => os.iter().map(|o| o.goods).min().unwrap_or(0),
            })
            .collect()
    }

    /// Where each of `promos`' bases can go on `path` (group by group, so
    /// that each group's decision is looked up once).
    fn reaches(&self, path: &[usize], promos: &[BoundIx]) -> Result<Vec<Reach>, Broken> {
        let mut out: Vec<Reach> = Vec::with_capacity(promos.len());
        for &bi in promos {
            out.push(Reach {
                promo: bi,
                b0: *self.fixed_reach.get(bi.get()).ok_or(UNKNOWN)?,
                dmax: 0,
                ratio: None,
            });
        }
        let reach_of = |o: &StoreOption<'_>, pi: usize| o.reach.get(pi).copied().ok_or(UNKNOWN);
        for (g, os) in self.options.iter().enumerate() {
            if let Some(o) = self.decided(path, GroupIx::new(g)) {
                for r in &mut out {
                    r.b0 = r.b0.saturating_add(reach_of(o, r.promo.get())?);
                }
                continue;
            }
            let star = self
                .cheapest
                .get(g)
                .and_then(|&c| os.get(c))
                .ok_or(Broken("a store group's cheapest option"))?;
            let raise = self.raise.get(g).ok_or(Broken("a store group's raises"))?;
            for r in &mut out {
                let pi = r.promo.get();
                r.b0 = r.b0.saturating_add(reach_of(star, pi)?);
                let raise = raise.get(pi).ok_or(UNKNOWN)?;
                r.dmax = r.dmax.saturating_add(raise.dmax);
                r.ratio = ratio_min(r.ratio, raise.ratio);
            }
        }
        Ok(out)
    }

    /// Whether a promotion can gain from higher bases: only if its
    /// envelope rises within reach; only those share the goods cost of
    /// raising them.
    fn gainable(&self, r: &Reach) -> Result<bool, Broken> {
        let bp = self.promos.get(r.promo.get()).ok_or(UNKNOWN)?;
        let Some(rule) = bp.shares_cost else {
            return Ok(false);
        };
        Ok(
            r.dmax > 0
                && envelope_off(rule, r.b0.saturating_add(r.dmax)) > envelope_off(rule, r.b0),
        )
    }

    /// The most promotion `r.promo` can take off, its cost shared among
    /// `k` gainable promotions.
    fn upper(&self, ctx: &Context<'_>, r: &Reach, k: i128) -> Result<i128, Broken> {
        let bp = self.promos.get(r.promo.get()).ok_or(UNKNOWN)?;
        // The running amounts never exceed their store-stage values.
        let running_hi = r.b0.saturating_add(r.dmax);
        let rule = &bp.entry.threshold.rule;
        let ub = if !bp.variable {
            let base = *self.fixed_base.get(r.promo.get()).ok_or(UNKNOWN)?;
            envelope(ctx.scale, rule, base, running_hi)
        } else if let Some(off) = bp.shares_cost {
            let share = if self.gainable(r)? { k } else { 1 };
            envelope_off(off, r.b0).saturating_add(slack(off, r.b0, r.dmax, r.ratio, share))
        } else {
            envelope(ctx.scale, rule, running_hi, running_hi)
        };
        Ok(ub.min(running_hi).max(0))
    }

    /// A lower bound on the fees: those no completion can avoid (goods
    /// only go down after the store stage, so a group whose own lines
    /// cannot reach `free_over` pays; by templates, the parts that cannot
    /// ship free), less what shipping promotions can take off them:
    /// each non-coupon on every such group it may qualify for, and the
    /// shipping coupons `ship_off` in all.
    fn fees_lower(&self, ctx: &Context<'_>, path: &[usize], ship_off: i128) -> i128 {
        let mut fees = 0i128;
        let mut off = ship_off;
        for (g, sb) in self.ship.iter().enumerate() {
            // The most its own lines can cost: under the option decided for
            // its store, or under the dearest one still open.
            let own = sb.group.map_or(0, |gr| {
                let decided = self
                    .rank
                    .get(gr.get())
                    .and_then(|&d| path.get(d))
                    .and_then(|&oi| sb.option_goods.get(oi));
                match decided {
                    Some(&goods) => goods,
                    None => sb.option_goods.iter().copied().max().unwrap_or(0),
                }
            });
            let hi = sb.fixed_goods.saturating_add(own);
            let fee = match ctx.shipping.get(g).filter(|gr| !gr.parts.is_empty()) {
                // By templates: what its parts pay that cannot ship free.
                Some(group) => group.least_fee(hi, &sb.part_goods, ctx.scale).unwrap_or(0),
                None => sb
                    .terms
                    .filter(|sh| sh.free_over.is_none_or(|f| hi < f.minor()))
                    .map_or(0, |sh| sh.fee.minor()),
            };
            if fee == 0 {
                continue;
            }
            fees = fees.saturating_add(fee);
            for e in ctx.ship_promos.iter().filter(|e| !e.promo.promotion.coupon) {
                let may = e
                    .reach
                    .binary_search_by_key(&g, |(x, _)| x.get())
                    .ok()
                    .and_then(|i| e.reach.get(i))
                    .is_some_and(|(_, goods)| e.off.at.is_none_or(|at| *goods >= at.minor()));
                if may {
                    off = off.saturating_add(e.off.off.map_or(fee, |o| o.minor().min(fee)));
                }
            }
        }
        fees.saturating_sub(off).max(0)
    }
}

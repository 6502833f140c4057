//! A plan: the store options priced under one set of store-stage coupons
//! chosen in global slots (usually none), with what the bound needs
//! precomputed for every cross-store and platform promotion.

use super::envelope::{off_rule, ratio_min, OffRule, Ratio};
use super::slots::StoreGroup;
use super::{claimed, sorted_ids, GroupIx};
use crate::input::cart::Cart;
use crate::input::rules::{PromoRef, Shipping};
use crate::pricing::{Context, Entry};
use crate::values::{sort, sort_by};
use crate::values::{
    try_collect, Basis, Broken, LineIx, Money, PerLine, PromoIx, ShipIx, Snapshot,
};
use std::cmp::Ordering;

/// One way to fill a store's slots, priced through the store stage.
pub(super) struct StoreOption<'r> {
    /// The coupons it selects.
    pub coupons: Vec<PromoRef<'r>>,
    /// The store's lines' amounts after the store stage (same order as
    /// `StoreGroup::lines`).
    pub amounts: Vec<Money>,
    /// Their sum, in minor units.
    pub goods: i128,
    /// Per bound promotion: the sum of this store's amounts over its lines
    /// in the promotion's scope.
    pub reach: Vec<i128>,
}

/// A cross-store or platform promotion that may apply under `G`, as the
/// bound sees it.
pub(super) struct BoundPromo<'c, 'r> {
    /// Its entry.
    pub entry: &'c Entry<'r>,
    /// Its base depends on the store options (amount basis, judged on the
    /// store or cross-store snapshot).
    pub variable: bool,
    /// For a `threshold_off` with a variable base, its rule: the
    /// cost-sharing bound applies to it.
    pub shares_cost: Option<OffRule<'c>>,
}

/// How far the undecided options of a group can raise a promotion's base
/// above its cheapest option's, and the least goods-per-base of doing so.
#[derive(Clone, Copy, Debug)]
pub(super) struct Raise {
    /// The most it rises.
    pub dmax: i128,
    /// The least goods cost per unit of base (`None`: nothing raises it).
    pub ratio: Option<Ratio>,
}

/// What the bound knows of a shipping group in advance.
#[derive(Clone, Debug)]
pub(super) struct ShipBound {
    /// Goods of its lines outside every store group.
    pub fixed_goods: i128,
    /// The store group of its store, if any.
    pub group: Option<GroupIx>,
    /// Its store's shipping terms.
    pub terms: Option<Shipping>,
    /// Per option of its store group: what its own lines cost after the
    /// store stage (a store shipping to several addresses has a group per
    /// address, each holding part of the store's goods).
    pub option_goods: Vec<i128>,
    /// By templates: what each part's lines cost after the item stage (no
    /// part's goods come to more).
    pub part_goods: Vec<i128>,
}

/// The store options under one choice of global store-stage coupons.
pub(super) struct Plan<'c, 'r> {
    /// Amounts after the store stage with no store-slot coupon.
    pub fixed: PerLine<Money>,
    /// Per store group, its options.
    pub options: Vec<Vec<StoreOption<'r>>>,
    /// Store groups in search order.
    pub order: Vec<GroupIx>,
    /// Each group's place in `order`.
    pub rank: Vec<usize>,
    /// The cross-store and platform promotions, as the bound sees them.
    pub promos: Vec<BoundPromo<'c, 'r>>,
    /// Goods of the lines outside every store group.
    pub fixed_goods: i128,
    /// Per promotion: its base when fixed.
    pub fixed_base: Vec<i128>,
    /// Per promotion: running amounts of its lines outside the groups.
    pub fixed_reach: Vec<i128>,
    /// Per group: index of its cheapest option.
    pub cheapest: Vec<usize>,
    /// Per group and promotion: how its options raise the promotion's base.
    pub raise: Vec<Vec<Raise>>,
    /// Per shipping group.
    pub ship: Vec<ShipBound>,
    /// Amounts one bound reads (options, and per promotion the groups).
    pub bound_work: usize,
    /// Amounts a bound of one promotion reads.
    pub one_promo_work: usize,
    /// Amounts building this plan is charged to the budget: every option
    /// its store's lines and every promotion's lines. Options now read
    /// only their own group's lines of each promotion, but the count is
    /// kept as it was, so that the budget (and whether a search is
    /// proven best) is the same as before that speed-up.
    pub build_work: usize,
}

/// Which store group each line belongs to.
type GroupOfLine = PerLine<Option<GroupIx>>;

impl<'c, 'r> Plan<'c, 'r> {
    /// Price the options of `groups` with the global slots' store-stage
    /// coupons `store_coupons` chosen; `gentries` are the cross-store and
    /// platform entries.
    pub(super) fn new(
        ctx: &'c Context<'r>,
        store_coupons: &[PromoRef<'r>],
        groups: &[StoreGroup<'c, 'r>],
        gentries: &[&'c Entry<'r>],
    ) -> Result<Plan<'c, 'r>, Broken> {
        // Sorted, so that "is this coupon chosen" is a binary search: a
        // hostile cart may choose hundreds of store coupons in global
        // slots.
        let mut sorted: Vec<PromoIx> = store_coupons.iter().map(|c| c.ix).collect();
        sort(&mut sorted);
        let in_g = |p: PromoIx| sorted.binary_search(&p).is_ok();
        // Store stage for the whole cart with the global slots' store
        // coupons only.
        let mut fixed = ctx.item_amounts.clone();
        ctx.store_stage(&mut fixed, ctx.stages.store.iter(), in_g)?;
        let promos: Vec<BoundPromo<'c, 'r>> = gentries.iter().map(|e| bound_promo(e)).collect();
        let mut group_of_line: GroupOfLine = PerLine::new(vec![None; ctx.cart.lines.len()]);
        for (gi, group) in groups.iter().enumerate() {
            for &l in &group.lines {
                *group_of_line.at_mut(l)? = Some(GroupIx::new(gi));
            }
        }
        let shared = shared_lines(groups.len(), &promos, &group_of_line)?;
        let options = try_collect(groups.iter().zip(&shared).map(|(group, shared)| {
            let priced = price_options(ctx, group, &fixed, &in_g, promos.len(), shared)?;
            Ok(keep_distinct(ctx.cart, priced))
        }))?;
        Plan::finish(ctx, groups, fixed, options, promos, &group_of_line)
    }

    /// Everything the bound precomputes from the priced options.
    fn finish(
        ctx: &'c Context<'r>,
        groups: &[StoreGroup<'c, 'r>],
        fixed: PerLine<Money>,
        options: Vec<Vec<StoreOption<'r>>>,
        promos: Vec<BoundPromo<'c, 'r>>,
        group_of_line: &GroupOfLine,
    ) -> Result<Plan<'c, 'r>, Broken> {
        let outside = |l: LineIx| group_of_line.at(l).is_ok_and(Option::is_none);
        let outside_sum = |lines: &[LineIx]| -> Result<i128, Broken> {
            lines
                .iter()
                .filter(|&&l| outside(l))
                .try_fold(0i128, |s, &l| Ok(s.saturating_add(fixed.at(l)?.minor())))
        };
        let all_lines: Vec<LineIx> = (0..ctx.cart.lines.len()).map(LineIx::new).collect();
        let fixed_goods = outside_sum(&all_lines)?;
        let fixed_reach = try_collect(promos.iter().map(|bp| outside_sum(&bp.entry.lines)))?;
        let fixed_base = try_collect(promos.iter().map(|bp| {
            // Count basis, or judged on list or item amounts: the same
            // whatever the coupons.
            let snap = match bp.entry.threshold.threshold_on {
                Snapshot::List => &ctx.list,
                _ => &ctx.item_amounts,
            };
            Context::base(bp.entry.threshold, &bp.entry.lines, bp.entry.qty, snap)
        }))?;
        let cheapest: Vec<usize> = options.iter().map(|os| cheapest_option(os)).collect();
        let raise = try_collect(
            options
                .iter()
                .zip(&cheapest)
                .map(|(os, &c)| raises(os, c, promos.len())),
        )?;
        let ship = try_collect(ctx.shipping.iter().enumerate().map(|(si, g)| {
            let group = groups
                .iter()
                .position(|gr| gr.shipping.contains(&ShipIx::new(si)));
            Ok(ShipBound {
                fixed_goods: outside_sum(&g.lines)?,
                group: group.map(GroupIx::new),
                option_goods: match group {
                    Some(gr) => own_goods(ctx, groups, &options, gr, ShipIx::new(si))?,
                    None => Vec::new(),
                },
                terms: g.store.shipping,
                part_goods: try_collect(g.parts.iter().map(|p| {
                    p.lines.iter().try_fold(0i128, |s, &l| {
                        Ok(s.saturating_add(ctx.item_amounts.at(l)?.minor()))
                    })
                }))?,
            })
        }))?;
        let (order, rank) = search_order(&options);
        let work = Work::of(ctx, groups, &options, &promos);
        Ok(Plan {
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
            bound_work: work.bound,
            one_promo_work: work.one_promo,
            build_work: work.build,
        })
    }
}

/// How the bound sees a cross-store or platform entry.
fn bound_promo<'c, 'r>(entry: &'c Entry<'r>) -> BoundPromo<'c, 'r> {
    let t = entry.threshold;
    let variable = t.basis == Basis::Amount
        && matches!(t.threshold_on, Snapshot::Store | Snapshot::CrossStore);
    BoundPromo {
        entry,
        variable,
        shares_cost: off_rule(&t.rule).filter(|_| variable),
    }
}

/// Per store group, per bound promotion with lines in it: the promotion's
/// index and those lines (in the promotion's order), so that an option's
/// reach reads only its own store's lines.
type SharedLines = Vec<Vec<(usize, Vec<LineIx>)>>;

/// The [`SharedLines`] of `groups` store groups.
fn shared_lines(
    groups: usize,
    promos: &[BoundPromo<'_, '_>],
    group_of_line: &GroupOfLine,
) -> Result<SharedLines, Broken> {
    let mut shared: SharedLines = (0..groups).map(|_| Vec::new()).collect();
    for (pi, bp) in promos.iter().enumerate() {
        for &l in &bp.entry.lines {
            let Some(g) = *group_of_line.at(l)? else {
                continue;
            };
            let of_group = shared.get_mut(g.get()).ok_or(Broken("a store group"))?;
            match of_group.last_mut() {
                Some((p, lines)) if *p == pi => lines.push(l),
                _ => of_group.push((pi, vec![l])),
            }
        }
    }
    Ok(shared)
}

/// Each of a group's options priced through its store's entries, from the
/// fixed amounts with the group's lines reset to their item amounts; its
/// reach of each of the `promos` bound promotions from `shared`.
fn price_options<'r>(
    ctx: &Context<'r>,
    group: &StoreGroup<'_, 'r>,
    fixed: &PerLine<Money>,
    in_g: &impl Fn(PromoIx) -> bool,
    promos: usize,
    shared: &[(usize, Vec<LineIx>)],
) -> Result<Vec<StoreOption<'r>>, Broken> {
    try_collect(group.choices.iter().map(|coupons| {
        let mut a = fixed.clone();
        for &l in &group.lines {
            *a.at_mut(l)? = *ctx.item_amounts.at(l)?;
        }
        ctx.store_stage(&mut a, group.entries.iter().copied(), |p| {
            in_g(p) || coupons.iter().any(|c| c.ix == p)
        })?;
        let amounts = try_collect(group.lines.iter().map(|&i| a.at(i).copied()))?;
        let goods = amounts.iter().map(|m| m.minor()).sum();
        let mut reach = vec![0i128; promos];
        for (pi, lines) in shared {
            let r = reach.get_mut(*pi).ok_or(Broken("a bound promotion"))?;
            for &i in lines {
                *r = r.saturating_add(a.at(i)?.minor());
            }
        }
        Ok(StoreOption {
            coupons: coupons.clone(),
            amounts,
            goods,
            reach,
        })
    }))
}

/// Options that leave every amount the same are interchangeable in every
/// completion; keep the best of them by the contract's tie order (fewer
/// coupons, then fewer claimable ones, then smaller sorted ids — each
/// decides the same way for the whole set, as the other stores' coupons
/// are disjoint from these).
fn keep_distinct<'r>(cart: &Cart, options: Vec<StoreOption<'r>>) -> Vec<StoreOption<'r>> {
    let mut kept: Vec<StoreOption> = Vec::with_capacity(options.len());
    for o in options {
        match kept.iter_mut().find(|k| k.amounts == o.amounts) {
            None => kept.push(o),
            Some(k) => {
                let better = o
                    .coupons
                    .len()
                    .cmp(&k.coupons.len())
                    .then_with(|| claimed(cart, &o.coupons).cmp(&claimed(cart, &k.coupons)))
                    .then_with(|| sorted_ids(&o.coupons).cmp(&sorted_ids(&k.coupons)));
                if better == Ordering::Less {
                    *k = o;
                }
            }
        }
    }
    kept
}

/// The index of the option with the least goods (the first of equals).
fn cheapest_option(options: &[StoreOption<'_>]) -> usize {
    options
        .iter()
        .enumerate()
        .min_by_key(|(_, o)| o.goods)
        .map_or(0, |(i, _)| i)
}

/// Per promotion: how far the options raise its base above the cheapest
/// option's, and the least goods-per-base of doing so. Every option
/// reaches every promotion (0 where it has none of its lines); a missing
/// one is [`Broken`].
fn raises(
    options: &[StoreOption<'_>],
    cheapest: usize,
    promos: usize,
) -> Result<Vec<Raise>, Broken> {
    let star = options
        .get(cheapest)
        .ok_or(Broken("a store group's cheapest option"))?;
    let reach = |o: &StoreOption<'_>, pi: usize| {
        o.reach
            .get(pi)
            .copied()
            .ok_or(Broken("an option's reach of a promotion"))
    };
    let mut out = Vec::with_capacity(promos);
    for pi in 0..promos {
        let b0 = reach(star, pi)?;
        let mut r = Raise {
            dmax: 0,
            ratio: None,
        };
        for o in options {
            let db = reach(o, pi)?.saturating_sub(b0);
            if db <= 0 {
                continue;
            }
            r = Raise {
                dmax: r.dmax.max(db),
                ratio: ratio_min(
                    r.ratio,
                    Some(Ratio {
                        num: o.goods.saturating_sub(star.goods),
                        den: db,
                    }),
                ),
            };
        }
        out.push(r);
    }
    Ok(out)
}

/// The groups in search order (widest spread of goods first: the
/// decisions that matter most), and each group's place in it.
fn search_order(options: &[Vec<StoreOption<'_>>]) -> (Vec<GroupIx>, Vec<usize>) {
    let spread = |os: &Vec<StoreOption<'_>>| {
        let lo = os.iter().map(|o| o.goods).min().unwrap_or(0);
        let hi = os.iter().map(|o| o.goods).max().unwrap_or(0);
        hi.saturating_sub(lo)
    };
    let mut order: Vec<usize> = (0..options.len()).collect();
    sort_by(&mut order, |&a, &b| {
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
    (order.into_iter().map(GroupIx::new).collect(), rank)
}

/// Per option of store group `gr`: the sum of its amounts over the lines
/// of shipping group `si`.
fn own_goods(
    ctx: &Context<'_>,
    groups: &[StoreGroup<'_, '_>],
    options: &[Vec<StoreOption<'_>>],
    gr: usize,
    si: ShipIx,
) -> Result<Vec<i128>, Broken> {
    let lines = &groups.get(gr).ok_or(Broken("a store group"))?.lines;
    let mine: Vec<bool> = try_collect(lines.iter().map(|&l| Ok(*ctx.group_of.at(l)? == Some(si))))?;
    let opts = options.get(gr).ok_or(Broken("a store group's options"))?;
    Ok(opts
        .iter()
        .map(|o| {
            o.amounts
                .iter()
                .zip(&mine)
                .filter(|(_, &m)| m)
                .fold(0i128, |s, (a, _)| s.saturating_add(a.minor()))
        })
        .collect())
}

/// The amounts the search's nodes read, for its budget.
struct Work {
    bound: usize,
    one_promo: usize,
    build: usize,
}

impl Work {
    fn of(
        ctx: &Context<'_>,
        groups: &[StoreGroup<'_, '_>],
        options: &[Vec<StoreOption<'_>>],
        promos: &[BoundPromo<'_, '_>],
    ) -> Work {
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
            .map(|bp| bp.entry.threshold.rule.tier_count())
            .fold(0usize, usize::saturating_add);
        let bound = option_count
            .saturating_add(promos.len().saturating_mul(options.len().max(1)))
            .saturating_add(promo_tiers);
        // Each option copies the amounts, runs its store's entries and
        // reads every promotion's lines.
        let lines = ctx.cart.lines.len();
        let build = groups
            .iter()
            .map(|group| {
                let entry_work = group
                    .entries
                    .iter()
                    .map(|e| e.lines.len().saturating_add(1))
                    .fold(0usize, usize::saturating_add);
                group
                    .choices
                    .len()
                    .saturating_mul(lines.saturating_add(entry_work).saturating_add(promo_lines))
            })
            .fold(lines, usize::saturating_add);
        Work {
            bound,
            one_promo: option_count.saturating_add(options.len()),
            build,
        }
    }
}

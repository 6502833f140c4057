//! Shipping (contract section 3.4): a shipping group is a store of
//! `rules.stores` with its lines that share one `ship_to` (多地址: one
//! checkout, goods sent to several addresses), charged its store's fee
//! unless the finals of its lines reach `free_over`. Then the shipping
//! promotions apply in stage order: a non-coupon (88VIP 包邮) to every
//! qualifying group, a coupon (运费券) to the qualifying group with the most
//! fee left. Goods promotions never discount shipping.

use crate::input::cart::Cart;
use crate::input::promotion::ShippingOff;
use crate::input::rules::{PromoRef, Rules, Store};
use crate::values::sort_by_key;
use crate::values::{Broken, Id, LineIx, Money, PerLine, ShipIx};

/// One shipping group: a store of `rules.stores`, an address, its lines.
#[derive(Clone, Debug)]
pub(crate) struct Group<'r> {
    /// The store, with its shipping terms.
    pub store: &'r Store,
    /// The address its lines ship to (`None`: lines without one).
    pub ship_to: Option<&'r Id>,
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
}

/// A shipping promotion taking part (an active non-coupon, or a candidate
/// coupon), in stage order, with its lines in scope.
#[derive(Clone, Debug)]
pub(crate) struct ShipEntry<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// What it does.
    pub off: &'r ShippingOff,
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
    /// The groups its lines belong to, with what those lines cost after the
    /// item stage (finals never exceed it), in group order.
    pub reach: Vec<(ShipIx, i128)>,
    /// The most it can take off one group's fee.
    pub max_off: i128,
}

/// What shipping came to for one choice of coupons.
#[derive(Clone, Debug)]
pub(crate) struct ShippingRun<'r> {
    /// Per group: the fee charged after shipping promotions.
    pub fees: Vec<Money>,
    /// Per group: the shipping promotions that took money off its fee.
    pub discounts: Vec<Vec<(PromoRef<'r>, Money)>>,
    /// The shipping promotions that took money off, in application order,
    /// with their totals.
    pub applied: Vec<(PromoRef<'r>, Money)>,
    /// The sum of the fees.
    pub total: Money,
}

/// The shipping groups of a cart, in order of their first line (a store
/// that `rules.stores` lacks has none).
pub(crate) fn groups<'r>(rules: &'r Rules, cart: &'r Cart) -> Vec<Group<'r>> {
    let mut groups: Vec<Group<'r>> = Vec::new();
    for (i, line) in cart.lines.iter().enumerate() {
        let Some(store) = rules
            .store_ix(line.store.as_str())
            .and_then(|ix| rules.store(ix))
        else {
            continue;
        };
        let ship_to = line.ship_to.as_ref();
        let ix = LineIx::new(i);
        match groups
            .iter_mut()
            .find(|g| std::ptr::eq(g.store, store) && g.ship_to == ship_to)
        {
            Some(g) => g.lines.push(ix),
            None => groups.push(Group {
                store,
                ship_to,
                lines: vec![ix],
            }),
        }
    }
    groups
}

impl Group<'_> {
    /// The fee for goods `goods` (zero without shipping terms).
    pub(crate) fn fee(&self, goods: Money) -> Money {
        let zero = Money::zero(goods.scale());
        match self.store.shipping {
            None => zero,
            Some(sh) => match sh.free_over {
                Some(free) if goods >= free => zero,
                _ => sh.fee,
            },
        }
    }

    /// The fee before `free_over` and promotions (what a group may pay at
    /// most), minor units.
    pub(crate) fn full_fee(&self) -> i128 {
        self.store.shipping.map_or(0, |sh| sh.fee.minor())
    }

    /// The sum of `amounts` over the group's lines.
    pub(crate) fn goods(&self, amounts: &PerLine<Money>, zero: Money) -> Result<Money, Broken> {
        self.lines
            .iter()
            .try_fold(zero, |s, &i| Ok(s.plus(*amounts.at(i)?)))
    }
}

/// Which group each line belongs to.
pub(crate) fn group_of_lines(groups: &[Group<'_>], lines: usize) -> PerLine<Option<ShipIx>> {
    let mut of = vec![None; lines];
    for (g, group) in groups.iter().enumerate() {
        for l in &group.lines {
            if let Some(x) = of.get_mut(l.get()) {
                *x = Some(ShipIx::new(g));
            }
        }
    }
    PerLine::new(of)
}

/// Fees per shipping group for final amounts `finals`, after the shipping
/// promotions for which `take` is true, and `payable`.
pub(crate) fn run<'r>(
    groups: &[Group<'r>],
    entries: &[ShipEntry<'r>],
    group_of: &PerLine<Option<ShipIx>>,
    finals: &PerLine<Money>,
    zero: Money,
    take: impl Fn(&ShipEntry<'r>) -> bool,
) -> Result<(ShippingRun<'r>, Money), Broken> {
    let mut fees = Vec::with_capacity(groups.len());
    for g in groups {
        fees.push(g.fee(g.goods(finals, zero)?));
    }
    let mut out = ShippingRun {
        fees: Vec::new(),
        discounts: vec![Vec::new(); if entries.is_empty() { 0 } else { groups.len() }],
        applied: Vec::new(),
        total: zero,
    };
    for e in entries.iter().filter(|e| take(e)) {
        let qualifying = qualifying(e, groups.len(), group_of, finals, &fees)?;
        let chosen: Vec<usize> = if e.promo.promotion.coupon {
            // The group with the most fee left, a tie going to the first.
            let mut best: Option<usize> = None;
            for g in qualifying {
                if best.is_none_or(|b| fees.get(g) > fees.get(b)) {
                    best = Some(g);
                }
            }
            best.into_iter().collect()
        } else {
            qualifying
        };
        let mut total = zero;
        for g in chosen {
            let left = fees.get_mut(g).ok_or(Broken("a shipping group"))?;
            let take = e.off.off.map_or(*left, |o| o.min_of(*left));
            *left = left.minus(take);
            total = total.plus(take);
            if let Some(d) = out.discounts.get_mut(g) {
                d.push((e.promo, take));
            }
        }
        if !total.is_zero() {
            out.applied.push((e.promo, total));
        }
    }
    let payable = finals.iter().chain(&fees).fold(zero, |s, m| s.plus(*m));
    out.total = fees.iter().fold(zero, |s, m| s.plus(*m));
    out.fees = fees;
    Ok((out, payable))
}

/// The groups that qualify for `e`: at least one line in its scope, fee
/// left above 0, and with `at`, the finals of its lines in scope at least
/// `at`. In group order.
fn qualifying(
    e: &ShipEntry<'_>,
    groups: usize,
    group_of: &PerLine<Option<ShipIx>>,
    finals: &PerLine<Money>,
    fees: &[Money],
) -> Result<Vec<usize>, Broken> {
    let mut in_scope: Vec<Option<i128>> = vec![None; groups];
    for &l in &e.lines {
        if let Some(g) = *group_of.at(l)? {
            let sum = in_scope
                .get_mut(g.get())
                .ok_or(Broken("a shipping group"))?;
            *sum = Some(sum.unwrap_or(0).saturating_add(finals.at(l)?.minor()));
        }
    }
    Ok(in_scope
        .iter()
        .enumerate()
        .filter(|(g, sum)| {
            sum.is_some_and(|s| e.off.at.is_none_or(|at| s >= at.minor()))
                && fees.get(*g).is_some_and(|f| !f.is_zero())
        })
        .map(|(g, _)| g)
        .collect())
}

/// A shipping entry for `promo`, its lines in scope `lines`: where they
/// ship, and the most it can take off one fee.
pub(crate) fn entry<'r>(
    promo: PromoRef<'r>,
    off: &'r ShippingOff,
    lines: Vec<LineIx>,
    groups: &[Group<'r>],
    group_of: &PerLine<Option<ShipIx>>,
    item_amounts: &PerLine<Money>,
) -> Result<ShipEntry<'r>, Broken> {
    let mut reach: Vec<(ShipIx, i128)> = Vec::new();
    for &l in &lines {
        // A line of a store that `rules.stores` lacks is in no group: it
        // has no fee (section 2).
        let Some(g) = *group_of.at(l)? else {
            continue;
        };
        let a = item_amounts.at(l)?;
        match reach.iter_mut().find(|(x, _)| *x == g) {
            Some((_, sum)) => *sum = sum.saturating_add(a.minor()),
            None => reach.push((g, a.minor())),
        }
    }
    sort_by_key(&mut reach, |(g, _)| *g);
    let mut max_off = 0i128;
    for (g, goods) in &reach {
        if off.at.is_some_and(|at| *goods < at.minor()) {
            continue;
        }
        let group = groups.get(g.get()).ok_or(Broken("a shipping group"))?;
        let fee = group.full_fee();
        max_off = max_off.max(off.off.map_or(fee, |o| o.minor().min(fee)));
    }
    Ok(ShipEntry {
        promo,
        off,
        lines,
        reach,
        max_off,
    })
}

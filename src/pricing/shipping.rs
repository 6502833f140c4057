//! Shipping (contract section 3.4): a shipping group is a store of
//! `rules.stores` with its lines that share one `ship_to` (多地址: one
//! checkout, goods sent to several addresses), charged its store's fee
//! unless the finals of its lines reach `free_over`. Then the shipping
//! promotions apply in stage order: a non-coupon (88VIP 包邮) to every
//! qualifying group, a coupon (运费券) to the qualifying group with the most
//! fee left. Goods promotions never discount shipping.

use crate::error::{Error, ErrorCode, Path};
use crate::input::cart::{Cart, Line};
use crate::input::promotion::ShippingOff;
use crate::input::rules::{PromoRef, Rules, Store};
use crate::input::template::{By, Region, Rule, Template};
use crate::values::sort_by_key;
use crate::values::{Broken, Id, LineIx, Money, PerLine, ShipIx};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// One shipping group: a store of `rules.stores`, an address, its lines.
#[derive(Clone, Debug)]
pub(crate) struct Group<'r> {
    /// The store, with its shipping terms.
    pub store: &'r Store,
    /// The address its lines ship to (`None`: lines without one).
    pub ship_to: Option<&'r Id>,
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
    /// The region it ships to, if its address has one.
    pub destination: Option<&'r Region>,
    /// For a store with templates: one part per template, in order of
    /// their first lines.
    pub parts: Vec<Part<'r>>,
}

/// The lines of one template in a shipping group.
#[derive(Clone, Debug)]
pub(crate) struct Part<'r> {
    /// The template.
    pub template: &'r Template,
    /// Its rule for the group's destination.
    pub rule: &'r Rule,
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
    /// Its goods: units (`by: piece`) or kilograms (`by: weight`), exact.
    pub goods: Decimal,
    /// Its units.
    pub qty: u32,
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
        let g = match groups
            .iter()
            .position(|g| std::ptr::eq(g.store, store) && g.ship_to == ship_to)
        {
            Some(g) => g,
            None => {
                groups.push(Group {
                    store,
                    ship_to,
                    lines: Vec::new(),
                    destination: destination(cart, ship_to),
                    parts: Vec::new(),
                });
                groups.len().saturating_sub(1)
            }
        };
        if let Some(group) = groups.get_mut(g) {
            group.add(ix, line);
        }
    }
    groups
}

impl<'r> Group<'r> {
    /// Add line `ix` (of the group's store and address), into its
    /// template's part.
    fn add(&mut self, ix: LineIx, line: &Line) {
        self.lines.push(ix);
        let Some(template) = line.template.as_ref().and_then(|t| self.store.template(t)) else {
            return;
        };
        let goods = match template.by {
            By::Piece => Decimal::from(line.qty.get()),
            By::Weight => line
                .weight
                .unwrap_or_default()
                .saturating_mul(Decimal::from(line.qty.get())),
        };
        match self
            .parts
            .iter_mut()
            .find(|p| std::ptr::eq(p.template, template))
        {
            Some(p) => {
                p.lines.push(ix);
                p.goods = p.goods.saturating_add(goods);
                p.qty = p.qty.saturating_add(line.qty.get());
            }
            None => self.parts.push(Part {
                template,
                rule: template.rule(self.destination),
                lines: vec![ix],
                goods,
                qty: line.qty.get(),
            }),
        }
    }

    /// The fee for final amounts `finals` (zero without shipping terms).
    pub(crate) fn fee(&self, finals: &PerLine<Money>, zero: Money) -> Result<Money, Broken> {
        if !self.parts.is_empty() {
            return self.template_fee(finals, zero);
        }
        let goods = self.goods(finals, zero)?;
        Ok(match self.store.shipping {
            None => zero,
            Some(sh) => match sh.free_over {
                Some(free) if goods >= free => zero,
                _ => sh.fee,
            },
        })
    }

    /// The fee by templates: the parts that are not free, the lead one
    /// (the highest `first_fee`; a tie: the lowest `extra_fee`, then the
    /// first) with its 首件, the others as 续件 only.
    fn template_fee(&self, finals: &PerLine<Money>, zero: Money) -> Result<Money, Broken> {
        let mut charged: Vec<&Part<'r>> = Vec::new();
        for p in &self.parts {
            let amount = p
                .lines
                .iter()
                .try_fold(zero, |s, &i| Ok(s.plus(*finals.at(i)?)))?;
            if !p.template.free_for(self.destination, amount, p.qty) {
                charged.push(p);
            }
        }
        Ok(Money::from_minor(charged_fee(&charged)?, zero.scale()))
    }

    /// The least fee the group can pay when its goods come to at most
    /// `goods_hi` and each part's to at most `part_hi` (by part), minor
    /// units: the parts that cannot ship free even then are charged. A
    /// lower bound of its fee for the best search, since a part charged
    /// never lowers the fee (a new lead's 首件 is at least the old one's,
    /// whose units all become 续件).
    pub(crate) fn least_fee(
        &self,
        goods_hi: i128,
        part_hi: &[i128],
        scale: u32,
    ) -> Result<i128, Broken> {
        let charged: Vec<&Part<'r>> = self
            .parts
            .iter()
            .zip(part_hi)
            .filter(|(p, &hi)| {
                let most = Money::from_minor(hi.min(goods_hi), scale);
                !p.template.free_for(self.destination, most, p.qty)
            })
            .map(|(p, _)| p)
            .collect();
        charged_fee(&charged)
    }

    /// The most the group may pay (before free conditions and promotions),
    /// minor units: an upper bound of its fee.
    pub(crate) fn full_fee(&self) -> i128 {
        if self.parts.is_empty() {
            return self.store.shipping.map_or(0, |sh| sh.fee.minor());
        }
        self.parts.iter().fold(0i128, |s, p| {
            let steps = steps(p.goods, p.rule.extra).unwrap_or(i128::MAX);
            let extra = steps.saturating_mul(p.rule.extra_fee.minor());
            s.saturating_add(p.rule.first_fee.minor().saturating_add(extra))
        })
    }

    /// The sum of `amounts` over the group's lines.
    pub(crate) fn goods(&self, amounts: &PerLine<Money>, zero: Money) -> Result<Money, Broken> {
        self.lines
            .iter()
            .try_fold(zero, |s, &i| Ok(s.plus(*amounts.at(i)?)))
    }
}

/// The fee of the charged parts of a group, minor units: the lead part
/// (the highest `first_fee`; a tie: the lowest `extra_fee`, then the
/// first) pays its 首件 and 续件, the others 续件 only.
fn charged_fee(charged: &[&Part<'_>]) -> Result<i128, Broken> {
    let lead = charged
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, &Rule)>, (i, p)| match best {
            Some((_, b)) if (b.first_fee, p.rule.extra_fee) >= (p.rule.first_fee, b.extra_fee) => {
                best
            }
            _ => Some((i, p.rule)),
        });
    let mut minor = 0i128;
    for (i, p) in charged.iter().enumerate() {
        let r = p.rule;
        let part = if lead.is_some_and(|(l, _)| l == i) {
            let rest = p
                .goods
                .checked_sub(r.first)
                .unwrap_or_default()
                .max(Decimal::ZERO);
            r.first_fee
                .minor()
                .saturating_add(steps(rest, r.extra)?.saturating_mul(r.extra_fee.minor()))
        } else {
            steps(p.goods, r.extra)?.saturating_mul(r.extra_fee.minor())
        };
        minor = minor.saturating_add(part);
    }
    Ok(minor)
}

/// `ceil(goods / step)`, exactly (`step` is above 0).
fn steps(goods: Decimal, step: Decimal) -> Result<i128, Broken> {
    let n = goods
        .checked_div(step)
        .ok_or(Broken("a template's steps"))?
        .ceil();
    n.to_i128().ok_or(Broken("a template's steps"))
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
        fees.push(g.fee(finals, zero)?);
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
            // Only what took money off is listed (an `off` of 0 takes
            // nothing, and the quote's `promotions` will not list it).
            if let Some(d) = out.discounts.get_mut(g).filter(|_| !take.is_zero()) {
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

/// Each line's freight template against its store (contract section 8,
/// version 3): a line of a store with templates names one of them, a line
/// of any other store names none, a `by: weight` template's line has its
/// weight; then no line's template refuses its group's destination (the
/// first that does, in cart order, is `undeliverable` at its `ship_to`).
pub(crate) fn check_templates(
    rules: &Rules,
    cart: &Cart,
    cart_path: &Path<'_>,
) -> Result<(), Error> {
    let lines = cart_path.key("lines");
    let mut refused = None;
    for (i, line) in cart.lines.iter().enumerate() {
        let lp = lines.index(i);
        let store = rules
            .store_ix(line.store.as_str())
            .and_then(|ix| rules.store(ix));
        let Some(t) = line_template(store, line, &lp)? else {
            continue;
        };
        if t.by == By::Weight && line.weight.is_none() {
            return Err(lp.key("weight").err(
                ErrorCode::MissingField,
                "a line of a by-weight template needs its weight",
            ));
        }
        if refused.is_none() && t.refuses(destination(cart, line.ship_to.as_ref())) {
            refused = Some(i);
        }
    }
    match refused {
        None => Ok(()),
        Some(i) => Err(lines.index(i).key("ship_to").err(
            ErrorCode::Undeliverable,
            "the line's freight template does not ship to this address",
        )),
    }
}

/// The template a line names, checked against its store.
fn line_template<'r>(
    store: Option<&'r Store>,
    line: &Line,
    path: &Path<'_>,
) -> Result<Option<&'r Template>, Error> {
    let with_templates = store.filter(|s| !s.templates.is_empty());
    match (&line.template, with_templates) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(path.key("template").err(
            ErrorCode::MissingField,
            "a line of a store with templates names one",
        )),
        (Some(id), store) => store.and_then(|s| s.template(id)).map(Some).ok_or_else(|| {
            path.key("template").err(
                ErrorCode::InvalidId,
                format!("the line's store has no template '{id}'"),
            )
        }),
    }
}

/// The region of address `ship_to` (none without one, or without
/// addresses).
pub(crate) fn destination<'c>(cart: &'c Cart, ship_to: Option<&Id>) -> Option<&'c Region> {
    let ship_to = ship_to?;
    cart.addresses
        .iter()
        .find(|(a, _)| a == ship_to)
        .map(|(_, r)| r)
}

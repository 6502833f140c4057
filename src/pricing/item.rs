//! The item stage (contract section 3.1): one markdown per line, then the
//! multi-buys ([`super::multibuy`], which works on this stage's lines),
//! then the presale deposit expansion (定金膨胀); and which lines an
//! exclusive promotion took money off (不与其他优惠同享), so that they
//! leave the threshold stages. [`super::Context::new`] runs the three in
//! that order.
//!
//! Nothing here depends on the buyer's coupons, so the stage runs once per
//! quote, before any coupon search.

use super::coverage::Coverage;
use crate::input::cart::Line;
use crate::input::promotion::{Markdown, Sale};
use crate::input::rules::PromoRef;
use crate::values::{Broken, Money, PromoIx};

/// An active markdown, in stage order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MarkdownEntry<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// What it does.
    pub markdown: &'r Markdown,
}

/// A markdown applied to a line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Marked<'r> {
    /// The markdown.
    pub promo: PromoRef<'r>,
    /// What it took off the line.
    pub off: Money,
    /// How many of the line's units (its first ones) got the sale price.
    pub units: u32,
    /// The unit sale price.
    pub sale: Money,
    /// Whether the markdown is exclusive.
    pub exclusive: bool,
}

/// What an item-stage promotion other than the markdown took off a line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Taken<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// What it took off the line (never zero).
    pub off: Money,
}

/// What the item stage did to one line.
#[derive(Clone, Debug)]
pub(crate) struct ItemLine<'r> {
    /// The markdown applied, if any.
    pub markdown: Option<Marked<'r>>,
    /// The multi-buys that took money off, in stage order.
    pub multi_buys: Vec<Taken<'r>>,
    /// What the deposit expansion took off (zero: none).
    pub presale: Money,
    /// The line amount after the stage.
    pub amount: Money,
    /// An exclusive markdown or multi-buy took money off: the line is in
    /// the scope of no store, cross-store or platform promotion.
    pub excluded: bool,
}

/// The unit sale price a markdown gives: never below 0 nor above the list
/// price.
pub(crate) fn sale_price(unit: Money, sale: Sale) -> Money {
    match sale {
        Sale::Price(p) => p.min_of(unit),
        Sale::Off(o) => unit.minus(o.min_of(unit)),
        Sale::Rate(r) => unit.times_rate(r).min_of(unit),
    }
}

/// 限购 allowances used so far, per (markdown, sku).
#[derive(Default)]
struct Allowances<'c> {
    used: Vec<((PromoIx, &'c str), u32)>,
}

impl<'c> Allowances<'c> {
    fn used(&self, key: (PromoIx, &'c str)) -> u32 {
        self.used
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, n)| *n)
    }

    fn take(&mut self, key: (PromoIx, &'c str), n: u32) {
        match self.used.iter_mut().find(|(k, _)| *k == key) {
            Some((_, u)) => *u = u.saturating_add(n),
            None => self.used.push((key, n)),
        }
    }
}

/// The markdowns of the item stage over the lines in cart order, with
/// the active markdowns in stage order (the multi-buys come next, then
/// [`presale`]).
pub(crate) fn markdowns<'r>(
    lines: &'r [Line],
    coverage: &Coverage<'_>,
    markdowns: &[MarkdownEntry<'r>],
) -> Result<Vec<ItemLine<'r>>, Broken> {
    // Per line, the markdowns covering it, in stage order.
    let mut of_line: Vec<Vec<MarkdownEntry<'r>>> = vec![Vec::new(); lines.len()];
    for m in markdowns {
        for i in coverage.covered(&m.promo.promotion.scope) {
            of_line
                .get_mut(i.get())
                .ok_or(Broken("a markdown's line"))?
                .push(*m);
        }
    }
    let mut allowances = Allowances::default();
    Ok(lines
        .iter()
        .zip(&of_line)
        .map(|(line, markdowns)| {
            let markdown = best_markdown(line, markdowns, &allowances).map(|(m, n)| {
                if m.markdown.limit_qty.is_some() {
                    allowances.take((m.promo.ix, line.sku.as_str()), n);
                }
                let sale = sale_price(line.unit_price, m.markdown.sale);
                Marked {
                    promo: m.promo,
                    off: line.unit_price.minus(sale).times(n),
                    units: n,
                    sale,
                    exclusive: m.markdown.exclusive,
                }
            });
            let zero = Money::zero(line.unit_price.scale());
            ItemLine {
                amount: line.list().minus(markdown.map_or(zero, |m| m.off)),
                excluded: markdown.is_some_and(|m| m.exclusive),
                markdown,
                multi_buys: Vec::new(),
                presale: zero,
            }
        })
        .collect())
}

/// The presale deposit expansion, last in the item stage.
pub(crate) fn presale(lines: &[Line], items: &mut [ItemLine<'_>]) {
    for (line, item) in lines.iter().zip(items) {
        item.presale = presale_expansion(line, item.amount);
        item.amount = item.amount.minus(item.presale);
    }
}

/// Of the markdowns covering `line`, the one that leaves the lowest line
/// amount, with the units it covers; a tie keeps the earlier one in stage
/// order, and a markdown that takes nothing is not applied.
fn best_markdown<'r>(
    line: &'r Line,
    markdowns: &[MarkdownEntry<'r>],
    allowances: &Allowances<'r>,
) -> Option<(MarkdownEntry<'r>, u32)> {
    let qty = line.qty.get();
    let mut best: Option<(MarkdownEntry<'r>, Money, u32)> = None;
    for m in markdowns {
        let n = match m.markdown.limit_qty {
            None => qty,
            Some(limit) => {
                let used = allowances.used((m.promo.ix, line.sku.as_str()));
                limit.get().saturating_sub(used).min(qty)
            }
        };
        let per_unit = line
            .unit_price
            .minus(sale_price(line.unit_price, m.markdown.sale));
        let off = per_unit.times(n);
        if !off.is_zero() && best.is_none_or(|(_, b, _)| off > b) {
            best = Some((*m, off, n));
        }
    }
    best.map(|(m, _, n)| (m, n))
}

/// What a presale line's deposit expansion takes off its amount `a`:
/// `min(V - D, max(0, a - D))`.
fn presale_expansion(line: &Line, amount: Money) -> Money {
    let zero = Money::zero(amount.scale());
    match line.presale {
        None => zero,
        Some(ps) => {
            let d = ps.deposit.times(line.qty.get());
            let v = ps.deposit_value.times(line.qty.get());
            v.minus(d).min_of(amount.minus(d).max_of(zero))
        }
    }
}

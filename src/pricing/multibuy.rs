//! Multi-buys (第N件X折, 第二件半价, 买N免M; contract section 3.1): after the
//! markdowns, each active multi-buy in stage order groups `buy + get`
//! units of its scope and discounts the `get` cheapest of each group.
//!
//! A line's units have at most two amounts after its markdown: the first
//! `n` at the sale price and the rest at the list price (限购). Units are
//! therefore handled as *runs* of equal units, never one by one (a line may
//! hold 99,999 of them): the candidates of a multi-buy are sorted by unit
//! amount, highest first, a tie going to the line that comes first in the
//! cart, then to the lower unit index; groups are cut from the start of
//! each list; in each group the last `get` positions are discounted. The
//! units a multi-buy grouped are used up, and within a run the used units
//! are always its first ones, so each run keeps a count of them.

use super::coverage::Coverage;
use super::item::{ItemLine, Taken};
use crate::input::cart::Line;
use crate::input::promotion::{MultiBuy, Sale};
use crate::input::rules::PromoRef;
use crate::values::sort_by;
use crate::values::{Broken, LineIx, Money};

/// An active multi-buy, in stage order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MultiBuyEntry<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// What it does.
    pub multi_buy: &'r MultiBuy,
}

/// Units of one line with one amount.
#[derive(Clone, Copy, Debug)]
struct Class {
    /// The amount of each unit, minor units.
    amount: i128,
    /// The index of the class's first unit in its line.
    start: u64,
    /// How many units.
    count: u64,
    /// How many of the first ones earlier multi-buys grouped.
    used: u64,
}

/// A run of candidate units: the units of one class not grouped yet.
#[derive(Clone, Copy, Debug)]
struct Run {
    line: LineIx,
    /// Its class among the line's.
    class: usize,
    amount: i128,
    start: u64,
    count: u64,
}

/// Apply the multi-buys to the items after their markdowns.
pub(crate) fn apply<'r>(
    lines: &[Line],
    coverage: &Coverage<'_>,
    items: &mut [ItemLine<'r>],
    entries: &[MultiBuyEntry<'r>],
) -> Result<(), Broken> {
    let mut classes: Vec<Vec<Class>> = lines
        .iter()
        .zip(items.iter())
        .map(|(l, i)| classes_of(l, i))
        .collect();
    for entry in entries {
        let covered = coverage.covered(&entry.promo.promotion.scope);
        let lists = candidates(lines, &covered, items, &classes, entry)?;
        let mut off: Vec<i128> = vec![0; lines.len()];
        let mut groups_left = entry.multi_buy.max_groups.map(|g| u64::from(g.get()));
        for list in lists {
            cut_groups(
                &list,
                entry.multi_buy,
                &mut groups_left,
                &mut classes,
                &mut off,
            )?;
        }
        for ((item, line), d) in items.iter_mut().zip(lines).zip(off) {
            if d <= 0 {
                continue;
            }
            let d = Money::from_minor(d, line.unit_price.scale());
            item.amount = item.amount.minus(d);
            item.multi_buys.push(Taken {
                promo: entry.promo,
                off: d,
            });
            item.excluded |= entry.multi_buy.exclusive;
        }
    }
    Ok(())
}

/// A line's units by amount after its markdown, in unit order.
fn classes_of(line: &Line, item: &ItemLine<'_>) -> Vec<Class> {
    let qty = u64::from(line.qty.get());
    let list = line.unit_price.minor();
    match item.markdown {
        None => vec![class(list, 0, qty)],
        Some(m) => {
            let n = u64::from(m.units).min(qty);
            let mut out = vec![class(m.sale.minor(), 0, n)];
            if n < qty {
                out.push(class(list, n, qty.saturating_sub(n)));
            }
            out
        }
    }
}

fn class(amount: i128, start: u64, count: u64) -> Class {
    Class {
        amount,
        start,
        count,
        used: 0,
    }
}

/// The candidate runs of a multi-buy: units of the lines in its scope (not
/// taken out of multi-buys by an exclusive markdown), in cart order, not
/// grouped yet, with an amount above 0; one list, or one per sku in order
/// of the first line that gives a candidate of it; each sorted.
fn candidates(
    lines: &[Line],
    covered: &[LineIx],
    items: &[ItemLine<'_>],
    classes: &[Vec<Class>],
    entry: &MultiBuyEntry<'_>,
) -> Result<Vec<Vec<Run>>, Broken> {
    let mut lists: Vec<(&str, Vec<Run>)> = Vec::new();
    for &ix in covered {
        let i = ix.get();
        let line = lines.get(i).ok_or(Broken("a multi-buy's line"))?;
        let item = items.get(i).ok_or(Broken("a multi-buy's item line"))?;
        let cs = classes.get(i).ok_or(Broken("a multi-buy's unit classes"))?;
        if item.markdown.is_some_and(|m| m.exclusive) {
            continue;
        }
        let key = if entry.multi_buy.per_sku {
            line.sku.as_str()
        } else {
            ""
        };
        for (c, cl) in cs.iter().enumerate() {
            let count = cl.count.saturating_sub(cl.used);
            if cl.amount <= 0 || count == 0 {
                continue;
            }
            let run = Run {
                line: ix,
                class: c,
                amount: cl.amount,
                start: cl.start.saturating_add(cl.used),
                count,
            };
            match lists.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(run),
                None => lists.push((key, vec![run])),
            }
        }
    }
    Ok(lists
        .into_iter()
        .map(|(_, mut list)| {
            sort_by(&mut list, |a, b| {
                b.amount
                    .cmp(&a.amount)
                    .then(a.line.cmp(&b.line))
                    .then(a.start.cmp(&b.start))
            });
            list
        })
        .collect())
}

/// Cut whole groups from the start of one sorted list (at most the groups
/// left), use their units up, and add what each line's discounted units
/// take off to `off`.
fn cut_groups(
    list: &[Run],
    mb: &MultiBuy,
    groups_left: &mut Option<u64>,
    classes: &mut [Vec<Class>],
    off: &mut [i128],
) -> Result<(), Broken> {
    let (buy, get) = (u64::from(mb.buy.get()), u64::from(mb.get.get()));
    let k = buy.saturating_add(get);
    let total = list.iter().fold(0u64, |s, r| s.saturating_add(r.count));
    let mut groups = total.checked_div(k).unwrap_or(0);
    if let Some(left) = groups_left {
        groups = groups.min(*left);
        *left = left.saturating_sub(groups);
    }
    let grouped = groups.saturating_mul(k);
    // Positions below x that are discounted: the last `get` of each group.
    let discounted_below = |x: u64| {
        let whole = x.checked_div(k).unwrap_or(0);
        let rest = x.checked_rem(k).unwrap_or(0);
        whole
            .saturating_mul(get)
            .saturating_add(rest.saturating_sub(buy))
    };
    let mut pos = 0u64;
    for run in list {
        let used = grouped.saturating_sub(pos).min(run.count);
        if used == 0 {
            break;
        }
        let n = discounted_below(pos.saturating_add(used)).saturating_sub(discounted_below(pos));
        let per_unit = unit_off(run.amount, mb.sale);
        let o = off
            .get_mut(run.line.get())
            .ok_or(Broken("a multi-buy's line"))?;
        *o = o.saturating_add(per_unit.saturating_mul(i128::from(n)));
        let c = classes
            .get_mut(run.line.get())
            .and_then(|cs| cs.get_mut(run.class))
            .ok_or(Broken("a multi-buy's unit class"))?;
        c.used = c.used.saturating_add(used);
        pos = pos.saturating_add(run.count);
    }
    Ok(())
}

/// What a discounted unit of amount `x` (minor units) takes off:
/// `max(0, x - price)`, `min(off, x)` or `x - round(x * rate)`.
fn unit_off(x: i128, sale: Sale) -> i128 {
    match sale {
        Sale::Price(p) => x.saturating_sub(p.minor()).max(0),
        Sale::Off(o) => o.minor().min(x),
        Sale::Rate(r) => {
            // The scale does not matter for a unit's rounding in minor
            // units: the amount is `x` minor units at scale 0.
            let unit = Money::from_minor(x, 0);
            x.saturating_sub(unit.times_rate(r).minor())
        }
    }
}

//! The item stage (contract section 3.1): one markdown per line, then the
//! presale deposit expansion (定金膨胀).
//!
//! Nothing here depends on the buyer's coupons, so the stage runs once per
//! quote, before any coupon search.

use crate::cart::Line;
use crate::money::Money;
use crate::rules::{Effect, Promotion, Sale};

/// What the item stage did to one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemLine {
    /// The markdown applied (index into the rules' promotions) and what it
    /// took off.
    pub markdown: Option<(usize, Money)>,
    /// What the deposit expansion took off (zero: none).
    pub presale: Money,
    /// The line amount after the stage.
    pub amount: Money,
}

/// The unit sale price a markdown gives: never below 0 nor above the list
/// price.
fn sale_price(unit: Money, sale: Sale) -> Money {
    match sale {
        Sale::Price(p) => p.min_of(unit),
        Sale::Off(o) => unit.minus(o.min_of(unit)),
        Sale::Rate(r) => unit.times_rate(r).min_of(unit),
    }
}

/// Run the item stage.
///
/// `markdowns` are the indices of the active markdowns in stage order;
/// `in_scope(p, i)` tells whether promotion `p` covers line `i`.
pub fn run(
    lines: &[Line],
    list: &[Money],
    promotions: &[Promotion],
    markdowns: &[usize],
    in_scope: impl Fn(usize, usize) -> bool,
) -> Vec<ItemLine> {
    // 限购 allowance used so far, per (markdown, sku).
    let mut used: Vec<((usize, &str), u32)> = Vec::new();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let list_i = list
            .get(i)
            .copied()
            .unwrap_or(line.unit_price.times(line.qty));
        let mut best: Option<(usize, Money, u32)> = None;
        for &p in markdowns {
            let Some(promo) = promotions.get(p) else {
                continue;
            };
            let Effect::Markdown { sale, limit_qty } = promo.effect else {
                continue;
            };
            if !in_scope(p, i) {
                continue;
            }
            let n = match limit_qty {
                None => line.qty,
                Some(limit) => {
                    let key = (p, line.sku.as_str());
                    let u = used.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n);
                    limit.saturating_sub(u).min(line.qty)
                }
            };
            let per_unit = line.unit_price.minus(sale_price(line.unit_price, sale));
            let off = per_unit.times(n);
            // The lowest line amount wins; a tie keeps the earlier one in
            // stage order. A markdown that takes nothing is not applied.
            if !off.is_zero() && best.is_none_or(|(_, b, _)| off > b) {
                best = Some((p, off, n));
            }
        }
        let mut amount = list_i;
        let markdown = best.map(|(p, off, n)| {
            if let Some(Effect::Markdown {
                limit_qty: Some(_), ..
            }) = promotions.get(p).map(|x| &x.effect)
            {
                let key = (p, line.sku.as_str());
                match used.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, u)) => *u = u.saturating_add(n),
                    None => used.push((key, n)),
                }
            }
            amount = amount.minus(off);
            (p, off)
        });
        let mut presale = Money::zero(list_i.scale());
        if let Some(ps) = line.presale {
            let d = ps.deposit.times(line.qty);
            let v = ps.deposit_value.times(line.qty);
            let zero = Money::zero(list_i.scale());
            presale = v.minus(d).min_of(amount.minus(d).max_of(zero));
            amount = amount.minus(presale);
        }
        out.push(ItemLine {
            markdown,
            presale,
            amount,
        });
    }
    out
}

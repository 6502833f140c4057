//! Shipping (contract section 3, last step): each store of `rules.stores`
//! with lines in the cart is one shipping group, charged its fee unless
//! the finals of its lines reach `free_over`. Goods promotions never
//! discount shipping.

use crate::input::cart::Cart;
use crate::input::rules::{Rules, Store};
use crate::values::{Broken, LineIx, Money, PerLine};

/// One shipping group: a store of `rules.stores` and its lines.
#[derive(Clone, Debug)]
pub(crate) struct Group<'r> {
    /// The store, with its shipping terms.
    pub store: &'r Store,
    /// Its lines, in cart order.
    pub lines: Vec<LineIx>,
}

/// The shipping groups of a cart, in order of their first line (a store
/// that `rules.stores` lacks has none).
pub(crate) fn groups<'r>(rules: &'r Rules, cart: &Cart) -> Vec<Group<'r>> {
    let mut groups: Vec<Group<'r>> = Vec::new();
    for (i, line) in cart.lines.iter().enumerate() {
        let Some(store) = rules
            .store_ix(line.store.as_str())
            .and_then(|ix| rules.store(ix))
        else {
            continue;
        };
        let ix = LineIx::new(i);
        match groups.iter_mut().find(|g| std::ptr::eq(g.store, store)) {
            Some(g) => g.lines.push(ix),
            None => groups.push(Group {
                store,
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

    /// The sum of `amounts` over the group's lines.
    pub(crate) fn goods(&self, amounts: &PerLine<Money>, zero: Money) -> Result<Money, Broken> {
        self.lines
            .iter()
            .try_fold(zero, |s, &i| Ok(s.plus(*amounts.at(i)?)))
    }
}

/// Fees per shipping group for final amounts `finals`, and `payable`.
pub(crate) fn fees(
    groups: &[Group<'_>],
    finals: &PerLine<Money>,
    zero: Money,
) -> Result<(Vec<Money>, Money), Broken> {
    let mut payable = finals.iter().fold(zero, |s, m| s.plus(*m));
    let mut fees = Vec::with_capacity(groups.len());
    for g in groups {
        let fee = g.fee(g.goods(finals, zero)?);
        payable = payable.plus(fee);
        fees.push(fee);
    }
    Ok((fees, payable))
}

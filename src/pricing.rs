//! The pricing pipeline (contract section 3) for one cart under one
//! choice of coupons.
//!
//! [`Context::new`] does everything that does not depend on the coupon
//! choice, once: which promotions are active, which lines each covers,
//! stage order, and the whole item stage. [`Context::run`] then prices the
//! store, cross-store and platform stages and shipping for one set of
//! selected coupons; the best-coupon search calls it many times, the quote
//! once more for the chosen set.

use crate::allocation::allocate;
use crate::cart::Cart;
use crate::money::Money;
use crate::rules::{Basis, Rules, Snapshot, Stage};
use crate::stages::{item, threshold};

/// A promotion that takes part in a stage for this cart.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// Index into the rules' promotions.
    pub promo: usize,
    /// Lines it covers, in cart order.
    pub lines: Vec<usize>,
    /// Sum of `qty` over those lines (the `count` base, fixed per cart).
    pub qty: i128,
    /// Whether it is a coupon (applies only if selected).
    pub coupon: bool,
}

/// Everything about a cart that the coupon choice cannot change.
pub(crate) struct Context<'a> {
    pub rules: &'a Rules,
    pub cart: &'a Cart,
    pub scale: u32,
    /// `unit_price * qty` per line.
    pub list: Vec<Money>,
    /// The item stage's result per line.
    pub item: Vec<item::ItemLine>,
    /// The line amounts after the item stage (snapshot `item`).
    pub item_amounts: Vec<Money>,
    /// Per threshold stage (store, cross_store, platform): the active
    /// non-coupon promotions and the candidate coupons, in stage order.
    pub stages: [Vec<Entry>; 3],
    /// For each store of `rules.stores` with lines in the cart, in order of
    /// the store's first line: (index in `rules.stores`, its lines).
    pub shipping_groups: Vec<(usize, Vec<usize>)>,
}

/// What one discount did: the promotion and each line's share.
#[derive(Clone, Debug)]
pub(crate) struct Applied {
    pub promo: usize,
    pub stage: Stage,
    pub amount: Money,
    /// (line, share) for every line with a non-zero share.
    pub shares: Vec<(usize, Money)>,
}

/// The result of pricing one coupon choice.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    /// Line amounts after the item, store and cross-store stages
    /// (snapshots `item`, `store`, `cross_store`).
    pub snapshots: [Vec<Money>; 3],
    /// `final[i]`.
    pub finals: Vec<Money>,
    /// Discounts of the threshold stages, in application order.
    pub applied: Vec<Applied>,
    /// Fee per shipping group.
    pub fees: Vec<Money>,
    /// Goods plus shipping.
    pub payable: Money,
}

impl<'a> Context<'a> {
    /// Prepare `cart` under `rules`. `coupons` are the indices of the
    /// coupon promotions that may be selected (held, known and active).
    pub fn new(rules: &'a Rules, cart: &'a Cart, coupons: &[usize]) -> Context<'a> {
        let scale = rules.currency.scale();
        let lines = &cart.lines;
        let list: Vec<Money> = lines.iter().map(|l| l.unit_price.times(l.qty)).collect();
        let at = cart.at.as_ref();

        let mut markdowns: Vec<usize> = Vec::new();
        let mut stage_entries: [Vec<Entry>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (pi, p) in rules.promotions.iter().enumerate() {
            let take = if p.coupon {
                coupons.contains(&pi)
            } else {
                p.active_at(at)
            };
            if !take {
                continue;
            }
            if p.stage == Stage::Item {
                markdowns.push(pi);
                continue;
            }
            let covered: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| p.scope.matches(l))
                .map(|(i, _)| i)
                .collect();
            let qty = covered
                .iter()
                .filter_map(|&i| lines.get(i))
                .map(|l| i128::from(l.qty))
                .sum();
            let slot = match p.stage {
                Stage::Store => 0,
                Stage::CrossStore => 1,
                _ => 2,
            };
            if let Some(v) = stage_entries.get_mut(slot) {
                v.push(Entry {
                    promo: pi,
                    lines: covered,
                    qty,
                    coupon: p.coupon,
                });
            }
        }
        let key = |pi: usize| rules.promotions.get(pi).map(|p| p.order_key());
        markdowns.sort_by(|a, b| key(*a).cmp(&key(*b)));
        for entries in &mut stage_entries {
            entries.sort_by(|a, b| key(a.promo).cmp(&key(b.promo)));
        }

        let item = item::run(lines, &list, &rules.promotions, &markdowns, |p, i| {
            match (rules.promotions.get(p), lines.get(i)) {
                (Some(p), Some(l)) => p.scope.matches(l),
                _ => false,
            }
        });

        let mut shipping_groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let Some(si) = rules.store_position(l.store.as_str()) else {
                continue;
            };
            match shipping_groups.iter_mut().find(|(s, _)| *s == si) {
                Some((_, g)) => g.push(i),
                None => shipping_groups.push((si, vec![i])),
            }
        }

        let item_amounts = item.iter().map(|l| l.amount).collect();
        Context {
            rules,
            cart,
            scale,
            list,
            item,
            item_amounts,
            stages: stage_entries,
            shipping_groups,
        }
    }

    /// Zero at the currency's scale.
    pub fn zero(&self) -> Money {
        Money::zero(self.scale)
    }

    /// The base of a threshold over `entry`'s lines, judged on `snapshot`
    /// amounts (or quantities for `count`), in base units.
    pub fn base(&self, entry: &Entry, snapshot: &[Money]) -> i128 {
        let basis = self
            .rules
            .promotions
            .get(entry.promo)
            .and_then(|p| p.effect.basis())
            .unwrap_or(Basis::Amount);
        match basis {
            Basis::Count => entry.qty,
            Basis::Amount => entry
                .lines
                .iter()
                .filter_map(|&i| snapshot.get(i))
                .map(|m| m.minor())
                .sum(),
        }
    }

    /// Apply one promotion of a threshold stage to the running amounts
    /// `a`, its threshold judged on `snap`; record the shares in `applied`
    /// when given.
    pub fn apply_entry(
        &self,
        e: &Entry,
        stage: Stage,
        snap: &[Money],
        a: &mut [Money],
        applied: Option<&mut Vec<Applied>>,
    ) {
        let Some(p) = self.rules.promotions.get(e.promo) else {
            return;
        };
        let base = self.base(e, snap);
        let running: Vec<i128> = e
            .lines
            .iter()
            .map(|&i| a.get(i).map_or(0, |m| m.minor()))
            .collect();
        let r_m = Money::from_minor(running.iter().sum(), self.scale);
        let d = threshold::nominal_off(&p.effect, base, r_m).min_of(r_m);
        if d.is_zero() {
            return;
        }
        let parts = allocate(d.minor(), &running);
        let mut shares = Vec::new();
        for (&i, &s) in e.lines.iter().zip(&parts) {
            if s == 0 {
                continue;
            }
            let share = Money::from_minor(s, self.scale);
            if let Some(x) = a.get_mut(i) {
                *x = x.minus(share);
            }
            if applied.is_some() {
                shares.push((i, share));
            }
        }
        if let Some(out) = applied {
            out.push(Applied {
                promo: e.promo,
                stage,
                amount: d,
                shares,
            });
        }
    }

    /// The snapshot a promotion's threshold is judged on, given the
    /// snapshots taken so far (`item`, `store`, `cross_store`).
    fn pick<'s>(&'s self, on: Snapshot, snapshots: [&'s [Money]; 3]) -> &'s [Money] {
        match on {
            Snapshot::List => &self.list,
            Snapshot::Item => snapshots[0],
            Snapshot::Store => snapshots[1],
            Snapshot::CrossStore => snapshots[2],
        }
    }

    /// Run the promotions of one threshold stage (`si`: 0 store, 1
    /// cross_store, 2 platform) that `take` accepts.
    fn run_stage(
        &self,
        si: usize,
        snapshots: [&[Money]; 3],
        a: &mut [Money],
        mut applied: Option<&mut Vec<Applied>>,
        take: impl Fn(&Entry) -> bool,
    ) {
        let (Some(entries), Some(stage)) = (self.stages.get(si), Stage::THRESHOLD_STAGES.get(si))
        else {
            return;
        };
        for e in entries.iter().filter(|e| take(e)) {
            let Some(p) = self.rules.promotions.get(e.promo) else {
                continue;
            };
            let snap = self.pick(p.threshold_on, snapshots);
            self.apply_entry(e, *stage, snap, a, applied.as_deref_mut());
        }
    }

    /// Price the threshold stages and shipping with the coupons for which
    /// `selected(promo)` is true.
    pub fn run(&self, selected: impl Fn(usize) -> bool) -> Run {
        let take = |e: &Entry| !e.coupon || selected(e.promo);
        let item = self.item_amounts.clone();
        let mut a = item.clone();
        let mut applied = Vec::new();
        self.run_stage(0, [&item, &[], &[]], &mut a, Some(&mut applied), take);
        let store = a.clone();
        self.run_stage(1, [&item, &store, &[]], &mut a, Some(&mut applied), take);
        let cross = a.clone();
        self.run_stage(2, [&item, &store, &cross], &mut a, Some(&mut applied), take);
        let (fees, payable) = self.shipping(&a);
        Run {
            snapshots: [item, store, cross],
            finals: a,
            applied,
            fees,
            payable,
        }
    }

    /// `payable` from the amounts after the store stage: the cross-store and
    /// platform stages with the selected coupons, and shipping. The coupon
    /// search's leaf evaluation.
    pub fn payable_after_store(&self, store: &[Money], selected: impl Fn(usize) -> bool) -> Money {
        let take = |e: &Entry| !e.coupon || selected(e.promo);
        let item = &self.item_amounts;
        let mut a = store.to_vec();
        self.run_stage(1, [item, store, &[]], &mut a, None, take);
        let cross = a.clone();
        self.run_stage(2, [item, store, &cross], &mut a, None, take);
        self.shipping(&a).1
    }

    /// Run the store stage over `lines` only (the lines of one store),
    /// starting from the item amounts in `a`.
    pub fn store_stage(
        &self,
        a: &mut [Money],
        entries: &[usize],
        selected: impl Fn(usize) -> bool,
    ) {
        let item = &self.item_amounts;
        let Some(all) = self.stages.first() else {
            return;
        };
        for &k in entries {
            let Some(e) = all.get(k) else { continue };
            if e.coupon && !selected(e.promo) {
                continue;
            }
            let Some(p) = self.rules.promotions.get(e.promo) else {
                continue;
            };
            let snap = self.pick(p.threshold_on, [item, &[], &[]]);
            self.apply_entry(e, Stage::Store, snap, a, None);
        }
    }

    /// Fees per shipping group for final amounts `a`, and `payable`.
    pub fn shipping(&self, a: &[Money]) -> (Vec<Money>, Money) {
        let mut fees = Vec::with_capacity(self.shipping_groups.len());
        let mut payable = a.iter().fold(self.zero(), |s, m| s.plus(*m));
        for (si, group) in &self.shipping_groups {
            let goods = group
                .iter()
                .filter_map(|&i| a.get(i))
                .fold(self.zero(), |s, m| s.plus(*m));
            let fee = self.fee(*si, goods);
            payable = payable.plus(fee);
            fees.push(fee);
        }
        (fees, payable)
    }

    /// The fee of store `si` (index in `rules.stores`) for goods `goods`.
    pub fn fee(&self, si: usize, goods: Money) -> Money {
        match self.rules.stores.get(si).and_then(|s| s.shipping) {
            None => self.zero(),
            Some(sh) => match sh.free_over {
                Some(free) if goods >= free => self.zero(),
                _ => sh.fee,
            },
        }
    }
}

/// The snapshot `on` of a finished run.
pub(crate) fn snapshot<'r>(ctx: &'r Context<'_>, run: &'r Run, on: Snapshot) -> &'r [Money] {
    let [item, store, cross] = &run.snapshots;
    ctx.pick(on, [item, store, cross])
}

/// The in-scope line indices of a promotion for hints and reasons when it
/// is not among the stage entries (e.g. a held coupon that is not a
/// candidate).
pub(crate) fn covered(ctx: &Context<'_>, promo: usize) -> Vec<usize> {
    match ctx.rules.promotions.get(promo) {
        None => Vec::new(),
        Some(p) => ctx
            .cart
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| p.scope.matches(l))
            .map(|(i, _)| i)
            .collect(),
    }
}

//! The pricing pipeline (contract sections 3 and 4) for one cart under one
//! choice of coupons.
//!
//! [`Context::new`] does everything that does not depend on the coupon
//! choice, once: which promotions take part (active: in their window and
//! for this buyer), which lines each covers, stage order, and the whole
//! item stage ([`item`], with [`multibuy`]), which also tells which lines
//! an exclusive promotion took out of the threshold stages.
//! [`Context::run`] then prices the store, cross-store and platform stages
//! ([`threshold`], each discount split by [`allocation`]), the [`subsidy`]
//! stage and [`shipping`] with its promotions for one set of selected
//! coupons; the best-coupon search calls it (or its cheaper
//! [`Context::payable_after_store`]) many times, the quote once more for
//! the chosen set.

pub(crate) mod allocation;
pub(crate) mod coverage;
pub(crate) mod gift;
pub(crate) mod item;
pub(crate) mod multibuy;
pub(crate) mod shipping;
pub(crate) mod subsidy;
pub(crate) mod tender;
pub(crate) mod threshold;

use crate::input::cart::Cart;
use crate::input::promotion::{Effect, Promotion, Threshold, ThresholdStage};
use crate::input::rules::{PromoRef, Rules};
use crate::values::sort_by;
use crate::values::{
    try_collect, Basis, Broken, LineIx, Money, PerLine, PromoIx, ShipIx, Snapshot, Stage,
};
use coverage::Coverage;
use item::{ItemLine, MarkdownEntry};
use multibuy::MultiBuyEntry;
use shipping::{ShipEntry, ShippingRun};
use subsidy::SubsidyEntry;

/// A promotion that takes part in a threshold stage for this cart.
#[derive(Clone, Debug)]
pub(crate) struct Entry<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// What it does.
    pub threshold: &'r Threshold,
    /// Lines it covers, in cart order.
    pub lines: Vec<LineIx>,
    /// Sum of `qty` over those lines (the `count` base, fixed per cart).
    pub qty: i128,
}

impl Entry<'_> {
    /// Whether it applies only if selected.
    pub(crate) fn coupon(&self) -> bool {
        self.promo.promotion.coupon
    }
}

/// One value per threshold stage.
#[derive(Clone, Debug, Default)]
pub(crate) struct PerStage<T> {
    /// The store stage's.
    pub store: T,
    /// The cross-store stage's.
    pub cross_store: T,
    /// The platform stage's.
    pub platform: T,
}

impl<T> PerStage<T> {
    /// The value of `stage`.
    pub(crate) fn get(&self, stage: ThresholdStage) -> &T {
        match stage {
            ThresholdStage::Store => &self.store,
            ThresholdStage::CrossStore => &self.cross_store,
            ThresholdStage::Platform => &self.platform,
        }
    }

    fn get_mut(&mut self, stage: ThresholdStage) -> &mut T {
        match stage {
            ThresholdStage::Store => &mut self.store,
            ThresholdStage::CrossStore => &mut self.cross_store,
            ThresholdStage::Platform => &mut self.platform,
        }
    }

    /// The values in stage order.
    pub(crate) fn in_order(&self) -> [&T; 3] {
        [&self.store, &self.cross_store, &self.platform]
    }
}

/// Everything about a cart that the coupon choice cannot change.
pub(crate) struct Context<'r> {
    /// The rules.
    pub rules: &'r Rules,
    /// The cart.
    pub cart: &'r Cart,
    /// Its lines by sku and by store, to find what a scope covers.
    pub coverage: Coverage<'r>,
    /// The currency's scale.
    pub scale: u32,
    /// `unit_price * qty` per line.
    pub list: PerLine<Money>,
    /// The item stage's result per line.
    pub item: PerLine<ItemLine<'r>>,
    /// The line amounts after the item stage (snapshot `item`).
    pub item_amounts: PerLine<Money>,
    /// Per threshold stage: the active non-coupon promotions and the
    /// candidate coupons, in stage order, each with its lines in scope
    /// that no exclusive promotion took out.
    pub stages: PerStage<Vec<Entry<'r>>>,
    /// The active subsidies, in stage order.
    pub subsidies: Vec<SubsidyEntry<'r>>,
    /// The most the subsidies can take off in all (each line's largest
    /// subsidy of its item amount), for the search's bound.
    pub subsidy_max: i128,
    /// The shipping groups, in order of their first line.
    pub shipping: Vec<shipping::Group<'r>>,
    /// Which shipping group each line belongs to.
    pub group_of: PerLine<Option<ShipIx>>,
    /// The active non-coupon shipping promotions and the candidate
    /// shipping coupons, in stage order.
    pub ship_promos: Vec<ShipEntry<'r>>,
    /// The active gift promotions (满赠, store stage), in stage order.
    pub gifts: Vec<gift::GiftEntry<'r>>,
}

/// One line's share of a discount.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Share {
    /// The line.
    pub line: LineIx,
    /// Its share (never zero).
    pub amount: Money,
}

/// What one goods discount after the item stage did (a threshold promotion
/// or a subsidy): the promotion and each line's share.
#[derive(Clone, Debug)]
pub(crate) struct Applied<'r> {
    /// The promotion.
    pub promo: PromoRef<'r>,
    /// Its stage.
    pub stage: Stage,
    /// What it took off in all.
    pub amount: Money,
    /// Every non-zero share, in cart order.
    pub shares: Vec<Share>,
}

/// The result of pricing one coupon choice.
#[derive(Clone, Debug)]
pub(crate) struct Run<'r> {
    /// Line amounts after the store stage (snapshot `store`).
    pub store: PerLine<Money>,
    /// Line amounts after the cross-store stage (snapshot `cross_store`).
    pub cross_store: PerLine<Money>,
    /// `final[i]`.
    pub finals: PerLine<Money>,
    /// Discounts of the threshold and subsidy stages, in application
    /// order (recorded only when asked for).
    pub applied: Vec<Applied<'r>>,
    /// Shipping per group, with its promotions.
    pub shipping: ShippingRun<'r>,
    /// Goods plus shipping.
    pub payable: Money,
}

/// The snapshots taken so far in a run, by name.
#[derive(Clone, Copy)]
pub(crate) struct Snapshots<'s> {
    list: &'s PerLine<Money>,
    item: &'s PerLine<Money>,
    store: Option<&'s PerLine<Money>>,
    cross_store: Option<&'s PerLine<Money>>,
}

impl<'s> Snapshots<'s> {
    /// The snapshot `on` (one a promotion may name is always taken before
    /// its stage runs).
    pub(crate) fn get(&self, on: Snapshot) -> Result<&'s PerLine<Money>, Broken> {
        match on {
            Snapshot::List => Ok(self.list),
            Snapshot::Item => Ok(self.item),
            Snapshot::Store => self
                .store
                .ok_or(Broken("the store snapshot before its stage")),
            Snapshot::CrossStore => self
                .cross_store
                .ok_or(Broken("the cross-store snapshot before its stage")),
        }
    }
}

/// The item stage of `cart` with the markdowns and multi-buys among
/// `promos`, in stage order.
fn item_stage<'r>(
    cart: &'r Cart,
    coverage: &Coverage<'r>,
    promos: &[PromoRef<'r>],
) -> Result<PerLine<ItemLine<'r>>, Broken> {
    let mut markdowns: Vec<MarkdownEntry<'r>> = Vec::new();
    let mut multi_buys: Vec<MultiBuyEntry<'r>> = Vec::new();
    for &promo in promos {
        match &promo.promotion.effect {
            Effect::Markdown(markdown) => markdowns.push(MarkdownEntry { promo, markdown }),
            Effect::MultiBuy(multi_buy) => multi_buys.push(MultiBuyEntry { promo, multi_buy }),
            _ => {}
        }
    }
    sort_by(&mut markdowns, |a, b| a.promo.stage_order(&b.promo));
    sort_by(&mut multi_buys, |a, b| a.promo.stage_order(&b.promo));
    let mut items = item::markdowns(&cart.lines, coverage, &markdowns)?;
    if !multi_buys.is_empty() {
        multibuy::apply(&cart.lines, coverage, &mut items, &multi_buys)?;
    }
    item::presale(&cart.lines, &mut items);
    Ok(items.into_iter().collect())
}

/// The sum of the quantities of `lines`.
fn qty_of(cart: &Cart, lines: &[LineIx]) -> Result<i128, Broken> {
    let mut qty = 0i128;
    for i in lines {
        let line = cart
            .lines
            .get(i.get())
            .ok_or(Broken("a threshold's line"))?;
        qty = qty.saturating_add(i128::from(line.qty.get()));
    }
    Ok(qty)
}

/// The most the subsidies can take off: per line, the largest of the
/// subsidies covering it on its item amount (amounts only go down after
/// the item stage, and a line gets one subsidy).
fn subsidy_max(cart: &Cart, subsidies: &[SubsidyEntry<'_>], items: &PerLine<Money>) -> i128 {
    let mut best = vec![0i128; cart.lines.len()];
    for e in subsidies {
        for &i in &e.lines {
            let (Some(line), Ok(a), Some(b)) =
                (cart.lines.get(i.get()), items.at(i), best.get_mut(i.get()))
            else {
                continue;
            };
            let q = line.qty.get();
            *b = (*b).max(subsidy::line_subsidy(e.subsidy, a.minor(), q, q));
        }
    }
    best.iter().fold(0i128, |s, b| s.saturating_add(*b))
}

impl<'r> Context<'r> {
    /// Prepare `cart` under `rules`. `coupons` are the coupon promotions
    /// that may be selected (held, known and active).
    pub(crate) fn new(
        rules: &'r Rules,
        cart: &'r Cart,
        coupons: &[PromoRef<'r>],
    ) -> Result<Context<'r>, Broken> {
        let taking_part: Vec<PromoRef<'r>> = rules
            .indexed()
            .filter(|p| {
                if p.promotion.coupon {
                    coupons.contains(p)
                } else {
                    p.promotion.active(cart.at.as_ref(), &cart.buyer)
                }
            })
            .collect();
        let coverage = Coverage::new(&cart.lines);
        let item = item_stage(cart, &coverage, &taking_part)?;
        let item_amounts: PerLine<Money> = item.iter().map(|l| l.amount).collect();
        let shipping = shipping::groups(rules, cart);
        let group_of = shipping::group_of_lines(&shipping, cart.lines.len());
        let mut ctx = Context {
            rules,
            cart,
            coverage,
            scale: rules.currency.scale(),
            list: cart.lines.iter().map(|l| l.list()).collect(),
            item,
            item_amounts,
            stages: PerStage::default(),
            subsidies: Vec::new(),
            subsidy_max: 0,
            shipping,
            group_of,
            ship_promos: Vec::new(),
            gifts: Vec::new(),
        };
        ctx.take_part(taking_part)?;
        Ok(ctx)
    }

    /// The lines a promotion's scope covers, in cart order.
    pub(crate) fn covered(&self, promotion: &Promotion) -> Vec<LineIx> {
        self.coverage.covered(&promotion.scope)
    }

    /// The entries of the stages after the item stage, in stage order.
    fn take_part(&mut self, mut promos: Vec<PromoRef<'r>>) -> Result<(), Broken> {
        sort_by(&mut promos, PromoRef::stage_order);
        for promo in promos {
            match &promo.promotion.effect {
                Effect::Threshold(threshold) => {
                    let mut lines: Vec<LineIx> = Vec::new();
                    for i in self.covered(promo.promotion) {
                        if !self.item.at(i)?.excluded {
                            lines.push(i);
                        }
                    }
                    let qty = qty_of(self.cart, &lines)?;
                    self.stages.get_mut(threshold.stage).push(Entry {
                        promo,
                        threshold,
                        lines,
                        qty,
                    });
                }
                Effect::Subsidy(subsidy) => self.subsidies.push(SubsidyEntry {
                    promo,
                    subsidy,
                    lines: self.covered(promo.promotion),
                }),
                Effect::ShippingOff(off) => {
                    let lines = self.covered(promo.promotion);
                    let entry = shipping::entry(
                        promo,
                        off,
                        lines,
                        &self.shipping,
                        &self.group_of,
                        &self.item_amounts,
                    )?;
                    self.ship_promos.push(entry);
                }
                Effect::Gift(g) => {
                    let mut lines: Vec<LineIx> = Vec::new();
                    for i in self.covered(promo.promotion) {
                        if !self.item.at(i)?.excluded {
                            lines.push(i);
                        }
                    }
                    let qty = qty_of(self.cart, &lines)?;
                    self.gifts.push(gift::GiftEntry {
                        promo,
                        gift: g,
                        lines,
                        qty,
                    });
                }
                Effect::Markdown(_) | Effect::MultiBuy(_) => {}
            }
        }
        self.subsidy_max = subsidy_max(self.cart, &self.subsidies, &self.item_amounts);
        Ok(())
    }

    /// Zero at the currency's scale.
    pub(crate) fn zero(&self) -> Money {
        Money::zero(self.scale)
    }

    /// The snapshots of a run that starts now: `list` and `item`.
    pub(crate) fn snapshots(&self) -> Snapshots<'_> {
        Snapshots {
            list: &self.list,
            item: &self.item_amounts,
            store: None,
            cross_store: None,
        }
    }

    /// The snapshots of a finished run.
    pub(crate) fn snapshots_of<'s>(&'s self, run: &'s Run<'_>) -> Snapshots<'s> {
        Snapshots {
            store: Some(&run.store),
            cross_store: Some(&run.cross_store),
            ..self.snapshots()
        }
    }

    /// The base of a threshold over `lines` (whose quantities sum to
    /// `qty`), judged on `snapshot` amounts (or quantities for `count`),
    /// in base units.
    pub(crate) fn base(
        threshold: &Threshold,
        lines: &[LineIx],
        qty: i128,
        snapshot: &PerLine<Money>,
    ) -> Result<i128, Broken> {
        Context::base_of(threshold.basis, lines, qty, snapshot)
    }

    /// The base over `lines` (whose quantities sum to `qty`) under
    /// `basis`, judged on `snapshot` amounts, in base units.
    pub(crate) fn base_of(
        basis: Basis,
        lines: &[LineIx],
        qty: i128,
        snapshot: &PerLine<Money>,
    ) -> Result<i128, Broken> {
        match basis {
            Basis::Count => Ok(qty),
            _ => lines
                .iter()
                .try_fold(0i128, |s, &i| Ok(s.saturating_add(snapshot.at(i)?.minor()))),
        }
    }

    /// Apply one promotion of a threshold stage to the running amounts
    /// `a`, its threshold judged on `snaps`; record the shares in
    /// `applied` when given.
    pub(crate) fn apply_entry(
        &self,
        e: &Entry<'r>,
        snaps: Snapshots<'_>,
        a: &mut PerLine<Money>,
        applied: Option<&mut Vec<Applied<'r>>>,
    ) -> Result<(), Broken> {
        let snap = snaps.get(e.threshold.threshold_on)?;
        let base = Context::base(e.threshold, &e.lines, e.qty, snap)?;
        let running = try_collect(e.lines.iter().map(|&i| a.at(i).map(|m| m.minor())))?;
        let r_m = Money::from_minor(running.iter().sum(), self.scale);
        let d = threshold::nominal_off(&e.threshold.rule, base, r_m).min_of(r_m);
        if d.is_zero() {
            return Ok(());
        }
        let parts = allocation::allocate(d.minor(), &running);
        let mut shares = Vec::new();
        for (&line, &s) in e.lines.iter().zip(&parts) {
            if s == 0 {
                continue;
            }
            let amount = Money::from_minor(s, self.scale);
            let x = a.at_mut(line)?;
            *x = x.minus(amount);
            if applied.is_some() {
                shares.push(Share { line, amount });
            }
        }
        if let Some(out) = applied {
            out.push(Applied {
                promo: e.promo,
                stage: e.threshold.stage.stage(),
                amount: d,
                shares,
            });
        }
        Ok(())
    }

    /// Run the promotions of one threshold stage that `take` accepts.
    fn run_stage(
        &self,
        stage: ThresholdStage,
        snaps: Snapshots<'_>,
        a: &mut PerLine<Money>,
        mut applied: Option<&mut Vec<Applied<'r>>>,
        take: impl Fn(&Entry<'r>) -> bool,
    ) -> Result<(), Broken> {
        for e in self.stages.get(stage).iter().filter(|e| take(e)) {
            self.apply_entry(e, snaps, a, applied.as_deref_mut())?;
        }
        Ok(())
    }

    /// Price the stages after the item stage and shipping with the coupons
    /// for which `selected` is true.
    pub(crate) fn run(&self, selected: impl Fn(PromoIx) -> bool) -> Result<Run<'r>, Broken> {
        let mut a = self.item_amounts.clone();
        let mut applied = Vec::new();
        let take = |e: &Entry<'r>| !e.coupon() || selected(e.promo.ix);
        self.run_stage(
            ThresholdStage::Store,
            self.snapshots(),
            &mut a,
            Some(&mut applied),
            take,
        )?;
        self.after_store(a, Some(applied), &selected)
    }

    /// The stages after the store stage, from the amounts after it.
    fn after_store(
        &self,
        store: PerLine<Money>,
        mut applied: Option<Vec<Applied<'r>>>,
        selected: &impl Fn(PromoIx) -> bool,
    ) -> Result<Run<'r>, Broken> {
        let take = |e: &Entry<'r>| !e.coupon() || selected(e.promo.ix);
        let mut a = store.clone();
        let snaps = Snapshots {
            store: Some(&store),
            ..self.snapshots()
        };
        self.run_stage(
            ThresholdStage::CrossStore,
            snaps,
            &mut a,
            applied.as_mut(),
            take,
        )?;
        let cross_store = a.clone();
        let snaps = Snapshots {
            cross_store: Some(&cross_store),
            ..snaps
        };
        self.run_stage(
            ThresholdStage::Platform,
            snaps,
            &mut a,
            applied.as_mut(),
            take,
        )?;
        subsidy::run(
            &self.subsidies,
            self.cart,
            self.scale,
            &mut a,
            applied.as_mut(),
        )?;
        let (shipping, payable) = shipping::run(
            &self.shipping,
            &self.ship_promos,
            &self.group_of,
            &a,
            self.zero(),
            |e| !e.promo.promotion.coupon || selected(e.promo.ix),
        )?;
        Ok(Run {
            store,
            cross_store,
            finals: a,
            applied: applied.unwrap_or_default(),
            shipping,
            payable,
        })
    }

    /// `payable` from the amounts after the store stage: the cross-store,
    /// platform and subsidy stages with the selected coupons, and
    /// shipping. The coupon search's leaf evaluation.
    pub(crate) fn payable_after_store(
        &self,
        store: &PerLine<Money>,
        selected: impl Fn(PromoIx) -> bool,
    ) -> Result<Money, Broken> {
        Ok(self.after_store(store.clone(), None, &selected)?.payable)
    }

    /// Run the given store-stage entries over the running amounts `a`
    /// (starting from the item amounts of their lines), with the coupons
    /// for which `selected` is true.
    pub(crate) fn store_stage<'e>(
        &self,
        a: &mut PerLine<Money>,
        entries: impl Iterator<Item = &'e Entry<'r>>,
        selected: impl Fn(PromoIx) -> bool,
    ) -> Result<(), Broken>
    where
        'r: 'e,
    {
        let snaps = self.snapshots();
        for e in entries {
            if e.coupon() && !selected(e.promo.ix) {
                continue;
            }
            self.apply_entry(e, snaps, a, None)?;
        }
        Ok(())
    }
}

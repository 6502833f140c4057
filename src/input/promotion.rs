//! One promotion of the rules (contract section 2): the fields common to
//! every kind (the head), then what each kind does (its [`Effect`]), read
//! by one parser per kind over one shared tier reader.
//!
//! The kind decides which fields exist, so it is read first; everything
//! else is read in a fixed order, so that of several faults the same one
//! is always reported.

use super::fields::{self, Obj};
use super::json::Value;
use super::scope::Scope;
use crate::error::{Error, ErrorCode, Path};
use crate::schema::shape;
use crate::values::{sort, sort_by_key};
use crate::values::{
    sorted_contains, Basis, Funder, Id, Instant, Kind, Money, Qty, Rate, Snapshot, Stage, Window,
};

shape! {
    /// A tier of a `threshold_off` promotion.
    const OFF_TIER_FIELDS, fn off_tier_shape = "OffTier" {
        /// The threshold the base must reach: money, or units with `basis: "count"`.
        "at" req MoneyInput,
        /// The money off once it is reached.
        "off" req MoneyInput,
    }
}
shape! {
    /// A tier of a `threshold_rate` promotion.
    const RATE_TIER_FIELDS, fn rate_tier_shape = "RateTier" {
        /// The threshold the base must reach: money, or units with `basis: "count"`.
        "at" req MoneyInput,
        /// The share still paid once it is reached (8折 is "0.8").
        "rate" req RateInput,
    }
}
shape! {
    /// 每满减: `off` for every full `at` of the base.
    const EVERY_FIELDS, fn every_shape = "Every" {
        /// The step: money, or units with `basis: "count"`.
        "at" req MoneyInput,
        /// The money off per full step.
        "off" req MoneyInput,
        /// The most money off in all. Absent: no cap.
        "cap" opt MoneyInput,
    }
}

shape! {
    /// Fields every promotion has.
    const COMMON_FIELDS, fn common_shape = "PromotionCommon" {
        /// The promotion's id, unique in the rules (at most 64 characters). Coupons are held
        /// and applied by it.
        "id" req Id,
        /// Its kind, which says which other members it may have.
        "kind" req Enum("Kind"),
        /// The stage it applies in.
        "stage" req Enum("Stage"),
        /// Which lines it covers. Absent: every line.
        "scope" opt Ref("Scope"),
        /// When it is active. Absent: always.
        "window" opt Ref("Window"),
        /// `true`: it applies only when chosen from the buyer's held coupons (店铺券, 平台券, 运费券).
        /// Default `false`, not allowed on item and subsidy promotions.
        "coupon" opt Bool,
        /// Coupons sharing a slot are mutually exclusive. Default `store:<S>` for a store
        /// coupon of store S, else the stage name.
        "slot" opt Text,
        /// Order inside its stage, ascending (default 0). Ties go to non-coupons first, then to
        /// the id in byte order.
        "priority" opt Integer,
        /// Who pays for its discount. Default `store` for item and store promotions,
        /// `government` for a subsidy, `platform` otherwise.
        "funded_by" opt Enum("Funder"),
        /// Threshold kinds only: the snapshot its threshold is judged on, earlier than its own
        /// stage. Absent: the amounts entering its own stage.
        "threshold_on" opt Enum("Snapshot"),
        /// Buyer tags it is for (会员价, 新人价): absent, every buyer is eligible, else a buyer with
        /// at least one of them. An empty list is never eligible.
        "audience" opt array(Id),
    }
}

shape! {
    /// 直降, 限时折扣, 秒杀: a sale price for each unit of the lines in scope. Exactly one of `price`,
    /// `off` or `rate`.
    const MARKDOWN_FIELDS, fn markdown_shape = "MarkdownPromotion" extends "PromotionCommon" {
        /// The unit sale price.
        "price" opt MoneyInput,
        /// Money off each unit.
        "off" opt MoneyInput,
        /// The share of the unit price still paid, rounded per unit.
        "rate" opt RateInput,
        /// 限购: at most this many units of one sku in the whole cart get the sale price, in cart
        /// order. The rest keep the list price.
        "limit_qty" opt Qty,
        /// 不与其他优惠同享: a line it takes money off gets no store, cross-store or platform
        /// promotion.
        "exclusive" opt Bool,
    }
    narrows {
        /// Always "markdown".
        "kind" Const("markdown"),
        /// Always "item".
        "stage" Const("item"),
    }
    exactly_one {
        ["price", "off", "rate"]
    }
}
shape! {
    /// 第N件X折 / 第二件半价 (buy 1, get 1, rate 0.5) / 买二免一 (buy 2, get 1, price "0").
    const MULTI_BUY_FIELDS, fn multi_buy_shape = "MultiBuyPromotion" extends "PromotionCommon" {
        /// Units in scope form groups of `buy` + `get` units. These `buy` units of each group
        /// keep their amount.
        "buy" req Qty,
        /// The cheapest units of each group, the ones discounted by exactly one of `price`,
        /// `off` or `rate`.
        "get" req Qty,
        /// `true`: groups are formed within one sku (同款). Default `false`: any units in scope
        /// (任选).
        "per_sku" opt Bool,
        /// At most this many groups in the whole cart. Absent: no limit.
        "max_groups" opt Qty,
        /// The discounted units' unit sale price ("0" makes them free).
        "price" opt MoneyInput,
        /// Money off each discounted unit.
        "off" opt MoneyInput,
        /// The share still paid of each discounted unit, rounded per unit.
        "rate" opt RateInput,
        /// 不与其他优惠同享: a line it takes money off gets no store, cross-store or platform
        /// promotion.
        "exclusive" opt Bool,
    }
    narrows {
        /// Always "multi_buy".
        "kind" Const("multi_buy"),
        /// Always "item".
        "stage" Const("item"),
    }
    exactly_one {
        ["price", "off", "rate"]
    }
}
shape! {
    /// 满减, 每满减, 满件减 (and threshold-free coupons, 无门槛券): money off the lines in scope once their
    /// base reaches a threshold. Exactly one of `tiers` or `every`.
    const THRESHOLD_OFF_FIELDS, fn threshold_off_shape = "ThresholdOffPromotion" extends "PromotionCommon" {
        /// `amount` (default, `at` is money, the base is the lines' amounts) or `count` (`at`
        /// is units, the base is their quantity, 满件减).
        "basis" opt Enum("Basis"),
        /// Tiers in any order: the highest `at` the base reaches gives its `off`.
        "tiers" opt non_empty(array(Ref("OffTier"))),
        /// 每满减: `off` for every full `at` of the base, at most `cap` in all (每满300减40 is at
        /// 300, off 40).
        "every" opt Ref("Every"),
    }
    narrows {
        /// Always "threshold_off".
        "kind" Const("threshold_off"),
        /// The store stage (one store's 满减 and coupons), cross-store (跨店满减)
        /// or platform (平台券).
        "stage" one_of([Const("store"), Const("cross_store"), Const("platform")]),
    }
    exactly_one {
        ["tiers", "every"]
    }
}
shape! {
    /// 满折, 满件折, 折扣券: a rate on the lines in scope once their base reaches a threshold.
    const THRESHOLD_RATE_FIELDS, fn threshold_rate_shape = "ThresholdRatePromotion" extends "PromotionCommon" {
        /// `amount` (default, `at` is money) or `count` (`at` is units, 满件折).
        "basis" opt Enum("Basis"),
        /// Tiers in any order: the highest `at` the base reaches gives its `rate`, the share
        /// still paid.
        "tiers" req non_empty(array(Ref("RateTier"))),
        /// The most money it may take off. Absent: no cap.
        "cap" opt MoneyInput,
    }
    narrows {
        /// Always "threshold_rate".
        "kind" Const("threshold_rate"),
        /// The store stage (one store's 满减 and coupons), cross-store (跨店满减)
        /// or platform (平台券).
        "stage" one_of([Const("store"), Const("cross_store"), Const("platform")]),
    }
}
shape! {
    /// 国补 / 以旧换新: the share still paid, capped per unit, at most limit_qty units.
    const SUBSIDY_FIELDS, fn subsidy_shape = "SubsidyPromotion" extends "PromotionCommon" {
        /// The share of each unit's amount the buyer still pays (a 15% subsidy is "0.85").
        "rate" req RateInput,
        /// The most money off per unit. Absent: no cap.
        "cap" opt MoneyInput,
        /// At most this many units in the whole cart, taken in cart order. Absent: no limit.
        "limit_qty" opt Qty,
    }
    narrows {
        /// Always "subsidy".
        "kind" Const("subsidy"),
        /// Always "subsidy", after every other goods promotion.
        "stage" Const("subsidy"),
    }
}
shape! {
    /// 包邮 (a non-coupon on every qualifying group) / 运费券 (a coupon, on one group).
    const SHIPPING_OFF_FIELDS, fn shipping_off_shape = "ShippingOffPromotion" extends "PromotionCommon" {
        /// The most money taken off a group's fee. Absent: the whole fee.
        "off" opt MoneyInput,
        /// The sum of the final amounts of a group's lines in scope must reach it for the group
        /// to qualify. Absent: no threshold.
        "at" opt MoneyInput,
    }
    narrows {
        /// Always "shipping_off".
        "kind" Const("shipping_off"),
        /// Always "shipping".
        "stage" Const("shipping"),
    }
}

shape! {
    /// 满赠 (version 3, stage `store`): gifts once the base of the lines in scope reaches a
    /// tier. Takes no money off; never a coupon.
    const GIFT_FIELDS, fn gift_shape = "GiftPromotion" extends "PromotionCommon" {
        /// `amount` (default, `at` is money) or `count` (`at` is units).
        "basis" opt Enum("Basis"),
        /// Tiers in any order: the highest `at` the base reaches gives its gifts.
        "tiers" req non_empty(array(Ref("GiftTier"))),
    }
    narrows {
        /// Always "gift".
        "kind" Const("gift"),
        /// Always "store".
        "stage" Const("store"),
    }
}
shape! {
    /// A tier of a `gift` promotion.
    const GIFT_TIER_FIELDS, fn gift_tier_shape = "GiftTier" {
        /// The threshold the base must reach: money, or units with `basis: "count"`.
        "at" req MoneyInput,
        /// The gifts it gives, in order (1 to 100).
        "gifts" req non_empty(at_most(array(Ref("GiftItem")), MAX_GIFTS)),
    }
}
shape! {
    /// One gift of a tier: `qty` units of `sku`, each worth `value`.
    const GIFT_ITEM_FIELDS, fn gift_item_shape = "GiftItem" {
        /// The gift's sku.
        "sku" req Id,
        /// How many units.
        "qty" req Qty,
        /// The list price of one unit (for the page and the store's books).
        "value" req MoneyInput,
    }
}

/// The most gifts in one tier of a `gift` promotion.
pub const MAX_GIFTS: usize = 100;

/// The fields of one kind, beside the common ones.
pub(crate) fn kind_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Markdown => MARKDOWN_FIELDS,
        Kind::MultiBuy => MULTI_BUY_FIELDS,
        Kind::ThresholdOff => THRESHOLD_OFF_FIELDS,
        Kind::ThresholdRate => THRESHOLD_RATE_FIELDS,
        Kind::Subsidy => SUBSIDY_FIELDS,
        Kind::ShippingOff => SHIPPING_OFF_FIELDS,
        Kind::Gift => GIFT_FIELDS,
    }
}

/// The stages a kind may have.
fn kind_stages(kind: Kind) -> &'static [Stage] {
    match kind {
        Kind::Markdown | Kind::MultiBuy => &[Stage::Item],
        Kind::ThresholdOff | Kind::ThresholdRate => {
            &[Stage::Store, Stage::CrossStore, Stage::Platform]
        }
        Kind::Subsidy => &[Stage::Subsidy],
        Kind::ShippingOff => &[Stage::Shipping],
        Kind::Gift => &[Stage::Store],
    }
}

/// One validated promotion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Promotion {
    /// Unique id.
    pub id: Id,
    /// Its stage.
    pub stage: Stage,
    /// Which lines it covers.
    pub scope: Scope,
    /// When it is active (`None`: always).
    pub window: Option<Window>,
    /// Buyer tags it is for, sorted (`None`: every buyer).
    pub audience: Option<Vec<Id>>,
    /// Applies only if selected from the buyer's held coupons.
    pub coupon: bool,
    /// Coupons sharing a slot are mutually exclusive.
    pub slot: String,
    /// Order inside the stage.
    pub priority: i64,
    /// Who pays.
    pub funded_by: Funder,
    /// What it does.
    pub effect: Effect,
}

impl Promotion {
    /// The key of stage order: priority ascending, non-coupons before
    /// coupons, then id by byte order.
    pub(crate) fn order_key(&self) -> (i64, bool, &str) {
        (self.priority, self.coupon, self.id.as_str())
    }

    /// Whether the promotion's window holds at the cart's `at` (a
    /// promotion with a window needs an `at` inside it).
    pub(crate) fn in_window(&self, at: Option<&Instant>) -> bool {
        self.window.as_ref().is_none_or(|w| w.holds(at))
    }

    /// Whether the buyer with these (sorted) tags is eligible: no
    /// `audience`, or at least one of its tags (an empty list: never).
    pub(crate) fn eligible(&self, buyer: &[Id]) -> bool {
        self.audience
            .as_ref()
            .is_none_or(|tags| buyer.iter().any(|t| sorted_contains(tags, t.as_str())))
    }

    /// Active: the window holds and the buyer is eligible.
    pub(crate) fn active(&self, at: Option<&Instant>, buyer: &[Id]) -> bool {
        self.in_window(at) && self.eligible(buyer)
    }

    /// The store a store-stage promotion belongs to.
    pub(crate) fn own_store(&self) -> Option<&Id> {
        match self.effect {
            Effect::Threshold(Threshold {
                stage: ThresholdStage::Store,
                ..
            })
            | Effect::Gift(_) => self.scope.single_store(),
            _ => None,
        }
    }
}

/// What a promotion does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    /// 直降 / 限时折扣 / 秒杀 / 百亿补贴.
    Markdown(Markdown),
    /// 第N件X折 / 第二件半价 / 买N免M.
    MultiBuy(MultiBuy),
    /// 满减 / 每满减 / 满折 / 满件折, coupons with a threshold.
    Threshold(Threshold),
    /// 国补 / 以旧换新.
    Subsidy(Subsidy),
    /// 包邮 / 运费券.
    ShippingOff(ShippingOff),
    /// 满赠 (version 3).
    Gift(Gift),
}

/// A gift promotion (满赠): the highest tier its base meets gives its
/// gifts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Gift {
    /// What the threshold counts.
    pub basis: Basis,
    /// The snapshot its threshold is judged on.
    pub threshold_on: Snapshot,
    /// Tiers sorted by `at`.
    pub tiers: Vec<GiftTier>,
}

/// A tier of a gift promotion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GiftTier {
    /// The threshold in base units (minor units of money, or units).
    pub at: i128,
    /// Its gifts, as listed.
    pub gifts: Vec<GiftItem>,
}

/// One gift: `qty` units of `sku`, each worth `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GiftItem {
    /// The gift's sku.
    pub sku: Id,
    /// Units given.
    pub qty: Qty,
    /// The value of one unit.
    pub value: Money,
}

/// A markdown: the unit sale price of the lines it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Markdown {
    /// The unit sale price rule.
    pub sale: Sale,
    /// 限购: units of one sku in the whole cart that get the sale price.
    pub limit_qty: Option<Qty>,
    /// 不与其他优惠同享: a line it takes money off leaves the threshold
    /// stages (and every multi-buy).
    pub exclusive: bool,
}

/// A multi-buy: groups of `buy + get` units, the `get` cheapest of each
/// discounted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MultiBuy {
    /// Units paid as they are, per group.
    pub buy: Qty,
    /// Units discounted, per group (the cheapest).
    pub get: Qty,
    /// Groups formed within one sku (同款) rather than across the scope.
    pub per_sku: bool,
    /// The most groups in the cart.
    pub max_groups: Option<Qty>,
    /// What each discounted unit gets.
    pub sale: Sale,
    /// A line it takes money off leaves the threshold stages.
    pub exclusive: bool,
}

/// A subsidy: a share of each line's amount off, capped per unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Subsidy {
    /// The share the buyer still pays.
    pub rate: Rate,
    /// The most off per unit.
    pub cap: Option<Money>,
    /// The most units in the whole cart, taken in cart order.
    pub limit_qty: Option<Qty>,
}

/// A shipping promotion: money off a shipping group's fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ShippingOff {
    /// The most off a fee (`None`: the whole fee).
    pub off: Option<Money>,
    /// What the group's lines in scope must reach for it to qualify.
    pub at: Option<Money>,
}

/// How a markdown sets the unit sale price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sale {
    /// A sale unit price.
    Price(Money),
    /// Money off each unit.
    Off(Money),
    /// Unit price times the rate, rounded per unit.
    Rate(Rate),
}

/// The threshold stages, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ThresholdStage {
    /// Promotions of one store.
    Store,
    /// Cross-store promotions.
    CrossStore,
    /// Platform promotions and coupons.
    Platform,
}

impl ThresholdStage {
    /// The snapshot taken on entering the stage: the default
    /// `threshold_on`, and the latest one its promotions may name.
    pub(crate) fn entering(self) -> Snapshot {
        match self {
            ThresholdStage::Store => Snapshot::Item,
            ThresholdStage::CrossStore => Snapshot::Store,
            ThresholdStage::Platform => Snapshot::CrossStore,
        }
    }

    /// The stage in documents.
    pub(crate) fn stage(self) -> Stage {
        match self {
            ThresholdStage::Store => Stage::Store,
            ThresholdStage::CrossStore => Stage::CrossStore,
            ThresholdStage::Platform => Stage::Platform,
        }
    }

    fn of(stage: Stage) -> Option<ThresholdStage> {
        match stage {
            Stage::Store => Some(ThresholdStage::Store),
            Stage::CrossStore => Some(ThresholdStage::CrossStore),
            Stage::Platform => Some(ThresholdStage::Platform),
            _ => None,
        }
    }
}

/// A threshold promotion of the store, cross-store or platform stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Threshold {
    /// Its stage.
    pub stage: ThresholdStage,
    /// What the threshold counts.
    pub basis: Basis,
    /// The snapshot its threshold is judged on.
    pub threshold_on: Snapshot,
    /// What it takes off at a base.
    pub rule: Rule,
}

/// What a threshold promotion takes off at a base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// `threshold_off` with tiers: the highest tier met gives its `off`
    /// (sorted by `at`).
    Tiers(Vec<OffTier>),
    /// 每满减: `off * floor(base / at)`, at most `cap`.
    Every(Every),
    /// `threshold_rate`: the highest tier met gives its rate (sorted by
    /// `at`), at most `cap` off.
    Rate {
        /// Tiers sorted by `at`.
        tiers: Vec<RateTier>,
        /// The most it takes off.
        cap: Option<Money>,
    },
}

impl Rule {
    /// How many tiers the rule has (1 for `every`): the work of judging it
    /// once, which the best-coupon search's budget counts.
    pub(crate) fn tier_count(&self) -> usize {
        match self {
            Rule::Tiers(t) => t.len(),
            Rule::Every(_) => 1,
            Rule::Rate { tiers, .. } => tiers.len(),
        }
    }
}

/// A tier of a `threshold_off`: from `at`, `off` comes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OffTier {
    /// The threshold in base units (minor units of money, or units).
    pub at: i128,
    /// The reduction.
    pub off: Money,
}

/// 每满减: `off` for every `at` of base, at most `cap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Every {
    /// Step in base units (> 0).
    pub at: i128,
    /// Reduction per step.
    pub off: Money,
    /// The most it takes off.
    pub cap: Option<Money>,
}

/// A tier of a `threshold_rate`: from `at`, the rate applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateTier {
    /// The threshold in base units (minor units of money, or units).
    pub at: i128,
    /// The share still paid.
    pub rate: Rate,
}

/// The fields common to every kind, as read.
struct Head {
    id: Id,
    stage: Stage,
    coupon: bool,
    priority: i64,
    funded_by: Funder,
    threshold_on: Option<Snapshot>,
    scope: Scope,
    slot: String,
    window: Option<Window>,
    audience: Option<Vec<Id>>,
}

/// Read one promotion at `path`, its amounts at `scale`.
pub(crate) fn parse(value: &Value, path: &Path<'_>, scale: u32) -> Result<Promotion, Error> {
    let o = Obj::any_keys(value, path)?;
    let kind = o.read("kind", |v, p| fields::name(v, p, "kind", Kind::from_name))?;
    for (k, _) in o.members() {
        if !COMMON_FIELDS.contains(&k.as_str()) && !kind_fields(kind).contains(&k.as_str()) {
            return Err(path.unknown_field(k));
        }
    }
    let head = read_head(&o, kind)?;
    let effect = match kind {
        Kind::Markdown => Effect::Markdown(read_markdown(&o, scale)?),
        Kind::MultiBuy => Effect::MultiBuy(read_multi_buy(&o, scale)?),
        Kind::ThresholdOff | Kind::ThresholdRate => {
            Effect::Threshold(read_threshold(&o, kind, &head, scale)?)
        }
        Kind::Subsidy => Effect::Subsidy(read_subsidy(&o, scale)?),
        Kind::ShippingOff => Effect::ShippingOff(ShippingOff {
            off: o.read_opt("off", |v, p| fields::money(v, p, scale))?,
            at: o.read_opt("at", |v, p| fields::money(v, p, scale))?,
        }),
        Kind::Gift => Effect::Gift(read_gift(&o, &head, scale)?),
    };
    Ok(Promotion {
        id: head.id,
        stage: head.stage,
        scope: head.scope,
        window: head.window,
        audience: head.audience,
        coupon: head.coupon,
        slot: head.slot,
        priority: head.priority,
        funded_by: head.funded_by,
        effect,
    })
}

/// A gift's basis, snapshot and tiers (its stage is `store`).
fn read_gift(o: &Obj<'_, '_>, head: &Head, scale: u32) -> Result<Gift, Error> {
    let basis = o
        .read_opt("basis", |v, p| {
            fields::name(v, p, "basis", Basis::from_name)
        })?
        .unwrap_or(Basis::Amount);
    let tiers = o.read("tiers", |v, p| {
        read_tiers(v, p, GIFT_TIER_FIELDS, |t| {
            let at = t.read("at", |v, p| level(v, p, basis, scale))?;
            let gifts = t.read("gifts", |v, p| read_gift_items(v, p, scale))?;
            Ok((at, GiftTier { at, gifts }))
        })
    })?;
    Ok(Gift {
        basis,
        threshold_on: head
            .threshold_on
            .unwrap_or(ThresholdStage::Store.entering()),
        tiers,
    })
}

/// A tier's gifts: 1 to [`MAX_GIFTS`] of `{sku, qty, value}`.
fn read_gift_items(value: &Value, path: &Path<'_>, scale: u32) -> Result<Vec<GiftItem>, Error> {
    let items = fields::array_at_most(value, path, MAX_GIFTS, "gifts in a tier")?;
    if items.is_empty() {
        return Err(path.err(
            ErrorCode::InvalidPromotion,
            "a gift tier needs at least one gift",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (j, gv) in items.iter().enumerate() {
        let gp = path.index(j);
        let g = Obj::new(gv, &gp, GIFT_ITEM_FIELDS)?;
        out.push(GiftItem {
            sku: g.read("sku", fields::id)?,
            qty: g.read("qty", |v, p| fields::qty(v, p, 1))?,
            value: g.read("value", |v, p| fields::money(v, p, scale))?,
        });
    }
    Ok(out)
}

/// A threshold kind's basis and rule, on the stage the head read.
fn read_threshold(
    o: &Obj<'_, '_>,
    kind: Kind,
    head: &Head,
    scale: u32,
) -> Result<Threshold, Error> {
    // `read_head` let a threshold kind only on a threshold stage.
    let stage = ThresholdStage::of(head.stage)
        .ok_or_else(|| Error::internal("a threshold promotion without a threshold stage"))?;
    let basis = o
        .read_opt("basis", |v, p| {
            fields::name(v, p, "basis", Basis::from_name)
        })?
        .unwrap_or(Basis::Amount);
    let rule = if kind == Kind::ThresholdOff {
        read_threshold_off(o, basis, scale)?
    } else {
        read_threshold_rate(o, basis, scale)?
    };
    Ok(Threshold {
        stage,
        basis,
        threshold_on: head.threshold_on.unwrap_or(stage.entering()),
        rule,
    })
}

/// The common fields, with the rules that tie them to the kind: each kind
/// has its stages (a markdown and a multi-buy `item`, a threshold kind
/// `store`, `cross_store` or `platform`, a subsidy `subsidy`, a shipping
/// promotion `shipping`); `item` and `subsidy` promotions are never
/// coupons; `threshold_on` only on thresholds and earlier than their
/// stage; a store-stage promotion names exactly one store.
fn read_head(o: &Obj<'_, '_>, kind: Kind) -> Result<Head, Error> {
    let path = o.path;
    let id = o.read("id", fields::id)?;
    let stage = o.read("stage", |v, p| {
        let stage = fields::name(v, p, "stage", Stage::from_name)?;
        if kind_stages(kind).contains(&stage) {
            Ok(stage)
        } else {
            Err(p.err(
                ErrorCode::InvalidPromotion,
                format!("a {kind} promotion is never stage {stage}"),
            ))
        }
    })?;
    let coupon = o
        .read_opt("coupon", |v, p| {
            let c = fields::boolean(v, p, "coupon")?;
            if c && kind == Kind::Gift {
                return Err(p.err(ErrorCode::InvalidPromotion, "a gift is never a coupon"));
            }
            if c && matches!(stage, Stage::Item | Stage::Subsidy) {
                return Err(p.err(
                    ErrorCode::InvalidPromotion,
                    format!("coupon is not allowed on {stage}"),
                ));
            }
            Ok(c)
        })?
        .unwrap_or(false);
    let priority = o.read_opt("priority", read_priority)?.unwrap_or(0);
    let funded_by = o
        .read_opt("funded_by", |v, p| {
            fields::name(v, p, "funded_by", Funder::from_name)
        })?
        .unwrap_or(match stage {
            Stage::Item | Stage::Store => Funder::Store,
            Stage::Subsidy => Funder::Government,
            _ => Funder::Platform,
        });
    let threshold_on = o.read_opt("threshold_on", |v, p| read_threshold_on(v, p, kind, stage))?;
    let scope = o.read_opt("scope", Scope::parse)?.unwrap_or_default();
    if stage == Stage::Store && scope.single_store().is_none() {
        return Err(path.key("scope").err(
            ErrorCode::InvalidPromotion,
            "a store-stage promotion must name exactly one store in scope.stores",
        ));
    }
    let slot = o
        .read_opt("slot", |v, p| Ok(fields::string(v, p, "slot")?.to_owned()))?
        .unwrap_or_else(
            || match scope.single_store().filter(|_| stage == Stage::Store) {
                Some(s) => format!("store:{s}"),
                None => stage.as_str().to_owned(),
            },
        );
    let window = o.read_opt("window", fields::window)?;
    let audience = o.read_opt("audience", fields::id_set)?;
    Ok(Head {
        id,
        stage,
        coupon,
        priority,
        funded_by,
        threshold_on,
        scope,
        slot,
        window,
        audience,
    })
}

/// `priority`: any 64-bit integer.
fn read_priority(v: &Value, p: &Path<'_>) -> Result<i64, Error> {
    match v {
        Value::Number(super::json::Number::Int(n)) => i64::try_from(*n).ok(),
        _ => None,
    }
    .ok_or_else(|| p.err(ErrorCode::InvalidPromotion, "priority must be an integer"))
}

/// `threshold_on`: a snapshot earlier than the promotion's own stage.
fn read_threshold_on(v: &Value, p: &Path<'_>, kind: Kind, stage: Stage) -> Result<Snapshot, Error> {
    let name = fields::string(v, p, "threshold_on")?;
    let Some(stage) = ThresholdStage::of(stage)
        .filter(|_| matches!(kind, Kind::ThresholdOff | Kind::ThresholdRate | Kind::Gift))
    else {
        return Err(p.err(
            ErrorCode::InvalidPromotion,
            format!("threshold_on is not allowed on a {kind}"),
        ));
    };
    let snap = Snapshot::from_name(name).ok_or_else(|| {
        p.err(
            ErrorCode::InvalidPromotion,
            format!("unknown threshold_on '{name}'"),
        )
    })?;
    if snap > stage.entering() {
        return Err(p.err(
            ErrorCode::InvalidPromotion,
            "threshold_on must be earlier than the promotion's stage",
        ));
    }
    Ok(snap)
}

/// Exactly one of `price`, `off`, `rate` (what a markdown sets).
fn read_sale(o: &Obj<'_, '_>, scale: u32, what: &str) -> Result<Sale, Error> {
    let present: Vec<&str> = ["price", "off", "rate"]
        .into_iter()
        .filter(|k| o.has(k))
        .collect();
    let money = |v: &Value, p: &Path<'_>| fields::money(v, p, scale);
    match present.as_slice() {
        ["price"] => Ok(Sale::Price(o.read("price", money)?)),
        ["off"] => Ok(Sale::Off(o.read("off", money)?)),
        ["rate"] => Ok(Sale::Rate(o.read("rate", fields::rate)?)),
        _ => Err(o.path.err(
            ErrorCode::InvalidPromotion,
            format!("a {what} needs exactly one of price, off, rate"),
        )),
    }
}

fn read_markdown(o: &Obj<'_, '_>, scale: u32) -> Result<Markdown, Error> {
    Ok(Markdown {
        sale: read_sale(o, scale, "markdown")?,
        limit_qty: o.read_opt("limit_qty", |v, p| fields::qty(v, p, 1))?,
        exclusive: read_exclusive(o)?,
    })
}

/// `exclusive`: a boolean, default `false`.
fn read_exclusive(o: &Obj<'_, '_>) -> Result<bool, Error> {
    Ok(
        o.read_opt("exclusive", |v, p| fields::boolean(v, p, "exclusive"))?
            .unwrap_or(false),
    )
}

fn read_multi_buy(o: &Obj<'_, '_>, scale: u32) -> Result<MultiBuy, Error> {
    let quantity = |v: &Value, p: &Path<'_>| fields::qty(v, p, 1);
    Ok(MultiBuy {
        buy: o.read("buy", quantity)?,
        get: o.read("get", quantity)?,
        per_sku: o
            .read_opt("per_sku", |v, p| fields::boolean(v, p, "per_sku"))?
            .unwrap_or(false),
        max_groups: o.read_opt("max_groups", quantity)?,
        sale: read_sale(o, scale, "multi_buy")?,
        exclusive: read_exclusive(o)?,
    })
}

fn read_subsidy(o: &Obj<'_, '_>, scale: u32) -> Result<Subsidy, Error> {
    Ok(Subsidy {
        rate: o.read("rate", fields::rate)?,
        cap: o.read_opt("cap", |v, p| fields::money(v, p, scale))?,
        limit_qty: o.read_opt("limit_qty", |v, p| fields::qty(v, p, 1))?,
    })
}

/// A threshold level: money in minor units, or (basis `count`) units.
fn level(v: &Value, p: &Path<'_>, basis: Basis, scale: u32) -> Result<i128, Error> {
    match basis {
        Basis::Count => Ok(i128::from(fields::qty(v, p, 1)?.get())),
        _ => Ok(fields::money(v, p, scale)?.minor()),
    }
}

fn read_threshold_off(o: &Obj<'_, '_>, basis: Basis, scale: u32) -> Result<Rule, Error> {
    match (o.get("tiers"), o.get("every")) {
        (Some(_), None) => {
            let tiers = o.read("tiers", |v, p| {
                read_tiers(v, p, OFF_TIER_FIELDS, |t| {
                    let tier = OffTier {
                        at: t.read("at", |v, p| level(v, p, basis, scale))?,
                        off: t.read("off", |v, p| fields::money(v, p, scale))?,
                    };
                    Ok((tier.at, tier))
                })
            })?;
            Ok(Rule::Tiers(tiers))
        }
        (None, Some(_)) => o.read("every", |v, p| read_every(v, p, basis, scale)),
        _ => Err(o.path.err(
            ErrorCode::InvalidPromotion,
            "a threshold_off needs exactly one of tiers, every",
        )),
    }
}

fn read_every(v: &Value, p: &Path<'_>, basis: Basis, scale: u32) -> Result<Rule, Error> {
    let e = Obj::new(v, p, EVERY_FIELDS)?;
    let at = e.read("at", |v, ap| {
        let at = level(v, ap, basis, scale)?;
        if at <= 0 {
            return Err(ap.err(
                ErrorCode::InvalidPromotion,
                "every.at must be greater than 0",
            ));
        }
        Ok(at)
    })?;
    Ok(Rule::Every(Every {
        at,
        off: e.read("off", |v, p| fields::money(v, p, scale))?,
        cap: e.read_opt("cap", |v, p| fields::money(v, p, scale))?,
    }))
}

fn read_threshold_rate(o: &Obj<'_, '_>, basis: Basis, scale: u32) -> Result<Rule, Error> {
    let tiers = o.read("tiers", |v, p| {
        read_tiers(v, p, RATE_TIER_FIELDS, |t| {
            let tier = RateTier {
                at: t.read("at", |v, p| level(v, p, basis, scale))?,
                rate: t.read("rate", fields::rate)?,
            };
            Ok((tier.at, tier))
        })
    })?;
    Ok(Rule::Rate {
        tiers,
        cap: o.read_opt("cap", |v, p| fields::money(v, p, scale))?,
    })
}

/// A non-empty array of tiers with the given fields, each read by `tier`
/// into its `at` and the tier; two tiers with the same `at` are
/// `invalid_promotion` at the later one's `at`. Sorted by `at`.
fn read_tiers<T>(
    value: &Value,
    path: &Path<'_>,
    tier_fields: &[&str],
    tier: impl Fn(&Obj<'_, '_>) -> Result<(i128, T), Error>,
) -> Result<Vec<T>, Error> {
    let items = fields::array(value, path)?;
    if items.is_empty() {
        return Err(path.err(ErrorCode::InvalidPromotion, "tiers must not be empty"));
    }
    let mut tiers: Vec<(i128, T)> = Vec::with_capacity(items.len());
    for (j, tv) in items.iter().enumerate() {
        let jp = path.index(j);
        let t = Obj::new(tv, &jp, tier_fields)?;
        tiers.push(tier(&t)?);
    }
    distinct_ats(tiers.iter().map(|(at, _)| *at), path)?;
    sort_by_key(&mut tiers, |(at, _)| *at);
    Ok(tiers.into_iter().map(|(_, t)| t).collect())
}

/// `invalid_promotion` at the `at` of the first tier (under `tiers`) that
/// repeats an earlier tier's, found in `O(n log n)`: a promotion may have
/// many thousands of tiers.
fn distinct_ats(ats: impl Iterator<Item = i128>, tiers: &Path<'_>) -> Result<(), Error> {
    let mut order: Vec<(i128, usize)> = ats.zip(0..).collect();
    sort(&mut order);
    let repeat = order
        .windows(2)
        .filter_map(|w| match w {
            [(a, _), (b, j)] if a == b => Some(*j),
            _ => None,
        })
        .min();
    match repeat {
        Some(j) => Err(tiers
            .index(j)
            .key("at")
            .err(ErrorCode::InvalidPromotion, "two tiers with the same at")),
        None => Ok(()),
    }
}

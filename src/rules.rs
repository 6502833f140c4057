//! The rules document (contract section 2): the merchant's and the
//! platform's catalogue of promotions, stores and shipping, parsed and
//! validated once into typed values.
//!
//! A [`Rules`] value is immutable and can price any number of carts
//! (`Engine` in the JavaScript package keeps one for the page's lifetime),
//! so everything that depends only on the rules — stage order, default
//! slots, tier order — is settled here.

use crate::error::{Error, ErrorCode, Path};
use crate::ids::{Id, IdIndex};
use crate::json::{self, Obj, Value};
use crate::money::{parse_qty, Currency, Money, Qty, Rate};
use crate::scope::Scope;
use crate::time::Window;

/// The most promotions a rules document may hold.
pub const MAX_PROMOTIONS: usize = 2000;

/// The pricing stages, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Markdowns and presale expansion, per line.
    Item,
    /// Promotions of one store.
    Store,
    /// Cross-store promotions (跨店).
    CrossStore,
    /// Platform promotions and coupons.
    Platform,
}

impl Stage {
    /// The stage's name in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Item => "item",
            Stage::Store => "store",
            Stage::CrossStore => "cross_store",
            Stage::Platform => "platform",
        }
    }

    fn from_name(s: &str) -> Option<Stage> {
        Some(match s {
            "item" => Stage::Item,
            "store" => Stage::Store,
            "cross_store" => Stage::CrossStore,
            "platform" => Stage::Platform,
            _ => return None,
        })
    }

    /// The three threshold stages, in order.
    pub const THRESHOLD_STAGES: [Stage; 3] = [Stage::Store, Stage::CrossStore, Stage::Platform];
}

impl serde::Serialize for Stage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The amounts a threshold is judged on (`threshold_on`): the list
/// amounts, or the amounts after a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Snapshot {
    /// `unit_price * qty`.
    List,
    /// After the item stage.
    Item,
    /// After the store stage.
    Store,
    /// After the cross-store stage.
    CrossStore,
}

impl Snapshot {
    fn from_name(s: &str) -> Option<Snapshot> {
        Some(match s {
            "list" => Snapshot::List,
            "item" => Snapshot::Item,
            "store" => Snapshot::Store,
            "cross_store" => Snapshot::CrossStore,
            _ => return None,
        })
    }

    /// The snapshot taken on entering `stage` (the default `threshold_on`).
    pub fn entering(stage: Stage) -> Snapshot {
        match stage {
            Stage::Item => Snapshot::List,
            Stage::Store => Snapshot::Item,
            Stage::CrossStore => Snapshot::Store,
            Stage::Platform => Snapshot::CrossStore,
        }
    }
}

/// Who pays for a promotion (reported only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Funder {
    /// The merchant.
    Store,
    /// The platform (e.g. 百亿补贴, 跨店满减).
    Platform,
}

impl Funder {
    /// The name in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Funder::Store => "store",
            Funder::Platform => "platform",
        }
    }
}

/// What a threshold counts: money (`amount`) or units (`count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The sum of the snapshot amounts over the lines in scope.
    Amount,
    /// The sum of the quantities of the lines in scope.
    Count,
}

/// How a markdown sets the unit sale price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sale {
    /// A sale unit price.
    Price(Money),
    /// Money off each unit.
    Off(Money),
    /// Unit price times the rate, rounded per unit.
    Rate(Rate),
}

/// A tier of a `threshold_off`: from `at`, `off` comes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffTier {
    /// The threshold in base units (minor units of money, or units).
    pub at: i128,
    /// The reduction.
    pub off: Money,
}

/// A tier of a `threshold_rate`: from `at`, the rate applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateTier {
    /// The threshold in base units (minor units of money, or units).
    pub at: i128,
    /// The share still paid.
    pub rate: Rate,
}

/// The rule of a `threshold_off`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OffRule {
    /// The highest tier met gives its `off` (tiers sorted by `at`).
    Tiers(Vec<OffTier>),
    /// 每满减: `off * floor(base / at)`, at most `cap`.
    Every {
        /// Step in base units (> 0).
        at: i128,
        /// Reduction per step.
        off: Money,
        /// The most it takes off.
        cap: Option<Money>,
    },
}

/// What a promotion does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// 直降 / 限时折扣 / 秒杀 / 百亿补贴.
    Markdown {
        /// The unit sale price rule.
        sale: Sale,
        /// 限购: units of one sku in the whole cart that get the sale price.
        limit_qty: Option<Qty>,
    },
    /// 满减 / 每满减 / 满件减.
    ThresholdOff {
        /// What the threshold counts.
        basis: Basis,
        /// Tiers or every.
        rule: OffRule,
    },
    /// 满折 / 满件折.
    ThresholdRate {
        /// What the threshold counts.
        basis: Basis,
        /// Tiers sorted by `at`.
        tiers: Vec<RateTier>,
        /// The most it takes off.
        cap: Option<Money>,
    },
}

impl Effect {
    /// How many tiers a threshold promotion has (1 for `every`, 0 for a
    /// markdown): the work of judging it once, which the best-coupon
    /// search's budget counts.
    pub fn tier_count(&self) -> usize {
        match self {
            Effect::Markdown { .. } => 0,
            Effect::ThresholdOff {
                rule: OffRule::Tiers(t),
                ..
            } => t.len(),
            Effect::ThresholdOff { .. } => 1,
            Effect::ThresholdRate { tiers, .. } => tiers.len(),
        }
    }

    /// The basis of a threshold promotion (markdowns have none).
    pub fn basis(&self) -> Option<Basis> {
        match self {
            Effect::Markdown { .. } => None,
            Effect::ThresholdOff { basis, .. } | Effect::ThresholdRate { basis, .. } => {
                Some(*basis)
            }
        }
    }
}

/// One validated promotion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promotion {
    /// Unique id.
    pub id: Id,
    /// Its stage.
    pub stage: Stage,
    /// Which lines it covers.
    pub scope: Scope,
    /// When it is active (`None`: always).
    pub window: Option<Window>,
    /// Applies only if selected from the buyer's held coupons.
    pub coupon: bool,
    /// Coupons sharing a slot are mutually exclusive.
    pub slot: String,
    /// Order inside the stage.
    pub priority: i64,
    /// Who pays.
    pub funded_by: Funder,
    /// The snapshot its threshold is judged on.
    pub threshold_on: Snapshot,
    /// What it does.
    pub effect: Effect,
}

impl Promotion {
    /// The key of stage order: priority ascending, non-coupons before
    /// coupons, then id by byte order.
    pub fn order_key(&self) -> (i64, bool, &str) {
        (self.priority, self.coupon, self.id.as_str())
    }

    /// Whether the promotion is active at the cart's `at` (a promotion
    /// with a window needs an `at` inside it).
    pub fn active_at(&self, at: Option<&crate::time::Instant>) -> bool {
        self.window.as_ref().is_none_or(|w| w.holds(at))
    }
}

/// A store's shipping terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shipping {
    /// The fee.
    pub fee: Money,
    /// Free when the store's goods reach this (absent: never free).
    pub free_over: Option<Money>,
}

/// A store of `rules.stores`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    /// Store id.
    pub id: Id,
    /// Shipping terms; `None` means fee 0.
    pub shipping: Option<Shipping>,
}

/// A validated rules document.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The currency of every amount.
    pub currency: Currency,
    /// The stores with shipping terms, in document order.
    pub stores: Vec<Store>,
    /// 价保 period in days (default 30).
    pub price_protection_days: u32,
    /// The promotions, in document order.
    pub promotions: Vec<Promotion>,
    by_id: IdIndex,
    store_index: IdIndex,
}

impl Rules {
    /// Parse and validate a rules document from JSON text. Error paths
    /// start with `rules.`, as in a quote input.
    pub fn from_json(text: &str) -> Result<Rules, Error> {
        let v = json::parse(text)?;
        Rules::from_value(&v)
    }

    /// Parse and validate a rules document (paths start with `rules.`).
    pub fn from_value(value: &Value) -> Result<Rules, Error> {
        let root = Path::ROOT;
        Rules::parse(value, &root.key("rules"))
    }

    /// The promotion with this id.
    pub fn promotion(&self, id: &str) -> Option<&Promotion> {
        self.by_id.get(id).and_then(|i| self.promotions.get(i))
    }

    /// Index of the promotion with this id.
    pub(crate) fn promotion_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id)
    }

    /// The store entry with this id.
    pub fn store(&self, id: &str) -> Option<&Store> {
        self.store_index.get(id).and_then(|i| self.stores.get(i))
    }

    /// The position of the store with this id in `stores`.
    pub(crate) fn store_position(&self, id: &str) -> Option<usize> {
        self.store_index.get(id)
    }

    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Rules, Error> {
        let o = Obj::new(
            value,
            path,
            &["currency", "stores", "price_protection_days", "promotions"],
        )?;
        let currency = Currency::parse(o.req("currency")?, &path.key("currency"))?;
        let scale = currency.scale();

        let mut stores = Vec::new();
        if let Some(v) = o.get("stores") {
            let sp = path.key("stores");
            let so = Obj::any_keys(v, &sp)?;
            for (k, sv) in so.members() {
                let kp = sp.key(k);
                let id = Id::parse(&Value::String(k.clone()), &kp)?;
                let store_obj = Obj::new(sv, &kp, &["shipping"])?;
                let shipping = match store_obj.get("shipping") {
                    None => None,
                    Some(shv) => {
                        let shp = kp.key("shipping");
                        let sh = Obj::new(shv, &shp, &["fee", "free_over"])?;
                        let fee = Money::parse(sh.req("fee")?, &shp.key("fee"), scale)?;
                        let free_over = sh
                            .get("free_over")
                            .map(|v| Money::parse(v, &shp.key("free_over"), scale))
                            .transpose()?;
                        Some(Shipping { fee, free_over })
                    }
                };
                stores.push(Store { id, shipping });
            }
        }

        let price_protection_days = match o.get("price_protection_days") {
            None => 30,
            Some(v) => {
                let p = path.key("price_protection_days");
                match v {
                    Value::Number(json::Number::Int(n)) if (0..=36_500).contains(n) => {
                        u32::try_from(*n).unwrap_or(30)
                    }
                    _ => {
                        return Err(p.err(
                            ErrorCode::InvalidTime,
                            "price_protection_days must be an integer from 0 to 36500",
                        ))
                    }
                }
            }
        };

        let mut promotions = Vec::new();
        if let Some(v) = o.get("promotions") {
            let pp = path.key("promotions");
            let items = json::array(v, &pp)?;
            if items.len() > MAX_PROMOTIONS {
                return Err(pp.err(
                    ErrorCode::LimitExceeded,
                    format!("more than {MAX_PROMOTIONS} promotions"),
                ));
            }
            promotions.reserve(items.len());
            for (i, pv) in items.iter().enumerate() {
                let ip = pp.index(i);
                promotions.push(parse_promotion(pv, &ip, scale)?);
            }
        }
        let by_id = IdIndex::build(promotions.iter().map(|p| &p.id)).map_err(|i| {
            let pp = path.key("promotions");
            let ip = pp.index(i);
            let id = promotions.get(i).map(|p| p.id.as_str()).unwrap_or("");
            ip.key("id").err(
                ErrorCode::DuplicateId,
                format!("duplicate promotion id '{id}'"),
            )
        })?;
        // Store ids are object keys, already unique.
        let store_index = IdIndex::build(stores.iter().map(|s| &s.id)).unwrap_or_default();

        Ok(Rules {
            currency,
            stores,
            price_protection_days,
            promotions,
            by_id,
            store_index,
        })
    }
}

const COMMON: &[&str] = &[
    "id",
    "kind",
    "stage",
    "scope",
    "window",
    "coupon",
    "slot",
    "priority",
    "funded_by",
    "threshold_on",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Markdown,
    ThresholdOff,
    ThresholdRate,
}

fn parse_promotion(value: &Value, path: &Path<'_>, scale: u32) -> Result<Promotion, Error> {
    // The kind decides which fields exist, so it is read first.
    let pre = Obj::any_keys(value, path)?;
    let kind_path = path.key("kind");
    let kind_name = json::string(pre.req("kind")?, &kind_path, "kind")?;
    let kind = match kind_name {
        "markdown" => Kind::Markdown,
        "threshold_off" => Kind::ThresholdOff,
        "threshold_rate" => Kind::ThresholdRate,
        other => {
            return Err(kind_path.err(
                ErrorCode::InvalidPromotion,
                format!("unknown kind '{other}'"),
            ))
        }
    };
    let own: &[&str] = match kind {
        Kind::Markdown => &["price", "off", "rate", "limit_qty"],
        Kind::ThresholdOff => &["tiers", "every", "basis"],
        Kind::ThresholdRate => &["tiers", "basis", "cap"],
    };
    for (k, _) in pre.members() {
        if !COMMON.contains(&k.as_str()) && !own.contains(&k.as_str()) {
            return Err(path
                .key(k)
                .err(ErrorCode::UnknownField, format!("unknown field '{k}'")));
        }
    }
    let o = pre;

    let id = Id::parse(o.req("id")?, &path.key("id"))?;

    let stage_path = path.key("stage");
    let stage_name = json::string(o.req("stage")?, &stage_path, "stage")?;
    let stage = Stage::from_name(stage_name).ok_or_else(|| {
        stage_path.err(
            ErrorCode::InvalidPromotion,
            format!("unknown stage '{stage_name}'"),
        )
    })?;
    match (kind, stage) {
        (Kind::Markdown, Stage::Item) => {}
        (Kind::Markdown, _) => {
            return Err(stage_path.err(
                ErrorCode::InvalidPromotion,
                "a markdown is always stage item",
            ))
        }
        (_, Stage::Item) => {
            return Err(stage_path.err(
                ErrorCode::InvalidPromotion,
                "a threshold promotion is never stage item",
            ))
        }
        _ => {}
    }

    let coupon_path = path.key("coupon");
    let coupon = match o.get("coupon") {
        None => false,
        Some(v) => json::boolean(v, &coupon_path, "coupon")?,
    };
    if coupon && stage == Stage::Item {
        return Err(coupon_path.err(ErrorCode::InvalidPromotion, "coupon is not allowed on item"));
    }

    let priority = match o.get("priority") {
        None => 0,
        Some(Value::Number(json::Number::Int(n))) if i64::try_from(*n).is_ok() => {
            i64::try_from(*n).unwrap_or(0)
        }
        Some(_) => {
            return Err(path
                .key("priority")
                .err(ErrorCode::InvalidPromotion, "priority must be an integer"))
        }
    };

    let funded_path = path.key("funded_by");
    let funded_by = match o.get("funded_by") {
        None => match stage {
            Stage::Item | Stage::Store => Funder::Store,
            _ => Funder::Platform,
        },
        Some(v) => match json::string(v, &funded_path, "funded_by")? {
            "store" => Funder::Store,
            "platform" => Funder::Platform,
            other => {
                return Err(funded_path.err(
                    ErrorCode::InvalidPromotion,
                    format!("unknown funded_by '{other}'"),
                ))
            }
        },
    };

    let on_path = path.key("threshold_on");
    let threshold_on = match o.get("threshold_on") {
        None => Snapshot::entering(stage),
        Some(v) => {
            let name = json::string(v, &on_path, "threshold_on")?;
            if kind == Kind::Markdown {
                return Err(on_path.err(
                    ErrorCode::InvalidPromotion,
                    "threshold_on is not allowed on a markdown",
                ));
            }
            let snap = Snapshot::from_name(name).ok_or_else(|| {
                on_path.err(
                    ErrorCode::InvalidPromotion,
                    format!("unknown threshold_on '{name}'"),
                )
            })?;
            if snap > Snapshot::entering(stage) {
                return Err(on_path.err(
                    ErrorCode::InvalidPromotion,
                    "threshold_on must be earlier than the promotion's stage",
                ));
            }
            snap
        }
    };

    let scope_path = path.key("scope");
    let scope = match o.get("scope") {
        None => Scope::default(),
        Some(v) => Scope::parse(v, &scope_path)?,
    };
    let own_store = if stage == Stage::Store {
        match scope.stores.as_deref() {
            Some([one]) => Some(one.clone()),
            _ => {
                return Err(scope_path.err(
                    ErrorCode::InvalidPromotion,
                    "a store-stage promotion must name exactly one store in scope.stores",
                ))
            }
        }
    } else {
        None
    };

    let slot_path = path.key("slot");
    let slot = match o.get("slot") {
        Some(v) => json::string(v, &slot_path, "slot")?.to_owned(),
        None => match &own_store {
            Some(s) => format!("store:{s}"),
            None => stage.as_str().to_owned(),
        },
    };

    let window = o
        .get("window")
        .map(|v| Window::parse(v, &path.key("window")))
        .transpose()?;

    let basis = match o.get("basis") {
        None => Basis::Amount,
        Some(v) => {
            let bp = path.key("basis");
            match json::string(v, &bp, "basis")? {
                "amount" => Basis::Amount,
                "count" => Basis::Count,
                other => {
                    return Err(bp.err(
                        ErrorCode::InvalidPromotion,
                        format!("unknown basis '{other}'"),
                    ))
                }
            }
        }
    };
    let level = |v: &Value, p: &Path<'_>| -> Result<i128, Error> {
        match basis {
            Basis::Amount => Ok(Money::parse(v, p, scale)?.minor()),
            Basis::Count => Ok(i128::from(parse_qty(v, p, 1)?)),
        }
    };

    let effect = match kind {
        Kind::Markdown => {
            let present: Vec<&str> = ["price", "off", "rate"]
                .into_iter()
                .filter(|k| o.has(k))
                .collect();
            let sale = match present.as_slice() {
                ["price"] => Sale::Price(Money::parse(o.req("price")?, &path.key("price"), scale)?),
                ["off"] => Sale::Off(Money::parse(o.req("off")?, &path.key("off"), scale)?),
                ["rate"] => Sale::Rate(Rate::parse(o.req("rate")?, &path.key("rate"))?),
                _ => {
                    return Err(path.err(
                        ErrorCode::InvalidPromotion,
                        "a markdown needs exactly one of price, off, rate",
                    ))
                }
            };
            let limit_qty = o
                .get("limit_qty")
                .map(|v| parse_qty(v, &path.key("limit_qty"), 1))
                .transpose()?;
            Effect::Markdown { sale, limit_qty }
        }
        Kind::ThresholdOff => {
            let rule = match (o.get("tiers"), o.get("every")) {
                (Some(t), None) => {
                    let tp = path.key("tiers");
                    let items = tiers_array(t, &tp)?;
                    let mut tiers = Vec::with_capacity(items.len());
                    for (j, tv) in items.iter().enumerate() {
                        let jp = tp.index(j);
                        let to = Obj::new(tv, &jp, &["at", "off"])?;
                        let at = level(to.req("at")?, &jp.key("at"))?;
                        let off = Money::parse(to.req("off")?, &jp.key("off"), scale)?;
                        tiers.push(OffTier { at, off });
                    }
                    distinct_ats(tiers.iter().map(|t| t.at), &tp)?;
                    tiers.sort_by_key(|t| t.at);
                    OffRule::Tiers(tiers)
                }
                (None, Some(e)) => {
                    let ep = path.key("every");
                    let eo = Obj::new(e, &ep, &["at", "off", "cap"])?;
                    let at_path = ep.key("at");
                    let at = level(eo.req("at")?, &at_path)?;
                    if at <= 0 {
                        return Err(at_path.err(
                            ErrorCode::InvalidPromotion,
                            "every.at must be greater than 0",
                        ));
                    }
                    let off = Money::parse(eo.req("off")?, &ep.key("off"), scale)?;
                    let cap = eo
                        .get("cap")
                        .map(|v| Money::parse(v, &ep.key("cap"), scale))
                        .transpose()?;
                    OffRule::Every { at, off, cap }
                }
                _ => {
                    return Err(path.err(
                        ErrorCode::InvalidPromotion,
                        "a threshold_off needs exactly one of tiers, every",
                    ))
                }
            };
            Effect::ThresholdOff { basis, rule }
        }
        Kind::ThresholdRate => {
            let tp = path.key("tiers");
            let items = tiers_array(o.req("tiers")?, &tp)?;
            let mut tiers = Vec::with_capacity(items.len());
            for (j, tv) in items.iter().enumerate() {
                let jp = tp.index(j);
                let to = Obj::new(tv, &jp, &["at", "rate"])?;
                let at = level(to.req("at")?, &jp.key("at"))?;
                let rate = Rate::parse(to.req("rate")?, &jp.key("rate"))?;
                tiers.push(RateTier { at, rate });
            }
            distinct_ats(tiers.iter().map(|t| t.at), &tp)?;
            tiers.sort_by_key(|t| t.at);
            let cap = o
                .get("cap")
                .map(|v| Money::parse(v, &path.key("cap"), scale))
                .transpose()?;
            Effect::ThresholdRate { basis, tiers, cap }
        }
    };

    Ok(Promotion {
        id,
        stage,
        scope,
        window,
        coupon,
        slot,
        priority,
        funded_by,
        threshold_on,
        effect,
    })
}

/// The tiers array: an array with at least one tier.
fn tiers_array<'v>(value: &'v Value, path: &Path<'_>) -> Result<&'v [Value], Error> {
    let items = json::array(value, path)?;
    if items.is_empty() {
        return Err(path.err(ErrorCode::InvalidPromotion, "tiers must not be empty"));
    }
    Ok(items)
}

/// `invalid_promotion` at the `at` of the first tier (under `tiers`) that
/// repeats an earlier tier's, found in `O(n log n)`: a promotion may have
/// many thousands of tiers.
fn distinct_ats(ats: impl Iterator<Item = i128>, tiers: &Path<'_>) -> Result<(), Error> {
    let mut order: Vec<(i128, usize)> = ats.zip(0..).collect();
    order.sort_unstable();
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

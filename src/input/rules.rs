//! The rules document (contract section 2): the merchant's and the
//! platform's catalogue of promotions, stores and shipping, read and
//! validated once into typed values.
//!
//! A [`Rules`] value is immutable and prices any number of carts (the
//! JavaScript `Engine` keeps one for the page's lifetime), so everything
//! that depends only on the rules (stage order keys, default slots, tier
//! order) is settled here.

use super::fields::{self, array_at_most, Obj};
use super::json::{Number, Value};
use super::promotion::{self, Promotion};
use super::template::{self, Template};
use super::tender::{self, Tender};
use crate::error::{Error, ErrorCode, Path};
use crate::schema::shape;
use crate::values::{try_collect, Currency, Id, IdIndex, Money, PromoIx, StoreIx};

/// The most promotions a rules document may hold.
pub const MAX_PROMOTIONS: usize = 2000;

shape! {
    /// The merchant's and platform's catalogue of promotions.
    const FIELDS, fn rules_shape = "Rules" {
        /// ISO 4217 code, three upper-case letters. It decides every amount's decimals (2, or 0
        /// for JPY, KRW and the like).
        "currency" req Currency,
        /// Shipping by store id: each shipping group pays `fee`, or nothing once its lines'
        /// finals reach `free_over` (包邮). A store missing here charges no shipping.
        "stores" opt map(Ref("StoreRules")),
        /// How long after the cart's `at` price protection (价保) holds, in days of 24 hours.
        /// Default 30.
        "price_protection_days" opt between(Integer, 0, 36_500),
        /// The promotions, each with an id unique in the rules. Absent: none.
        "promotions" opt at_most(array(Ref("Promotion")), MAX_PROMOTIONS),
        /// Version 3: what a buyer may pay part of an order with besides money (抵扣: points
        /// and credit), each with an id unique among them. Absent: none.
        "tenders" opt at_most(array(Ref("Tender")), super::tender::MAX_RULE_TENDERS),
    }
}
shape! {
    /// A store's shipping, per shipping group (its lines to one address).
    const SHIPPING_FIELDS, fn shipping_shape = "StoreShipping" {
        /// The fee a group pays.
        "fee" req MoneyInput,
        /// 包邮: no fee once the group's lines' finals reach it. Absent: the fee always applies.
        "free_over" opt MoneyInput,
    }
}
shape! {
    /// A store's entry in `rules.stores`.
    const STORE_FIELDS, fn store_shape = "StoreRules" {
        /// Its shipping: a flat fee per group. Absent, and without `templates`: it charges
        /// none.
        "shipping" opt Ref("StoreShipping"),
        /// Its freight templates (运费模板) by id, instead of `shipping`: each of its lines
        /// names one.
        "templates" opt map(Ref("Template")),
    }
}

/// A store's shipping terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shipping {
    /// The fee.
    pub fee: Money,
    /// Free when the store's goods reach this (absent: never free).
    pub free_over: Option<Money>,
}

/// A store of `rules.stores`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Store {
    /// Store id.
    pub id: Id,
    /// Shipping terms; `None` means fee 0 (or templates).
    pub shipping: Option<Shipping>,
    /// Freight templates (empty: none), in document order.
    pub templates: Vec<Template>,
    /// The templates by id: every line looks its template up, up to
    /// 2,000 of them, on every quote.
    template_index: IdIndex,
}

impl Store {
    /// Its template `id`.
    pub(crate) fn template(&self, id: &Id) -> Option<&Template> {
        let ix = self.template_index.get(id.as_str())?;
        self.templates.get(ix)
    }
}

/// A promotion with its index: what the pipeline and the search hold, so
/// that nothing is looked up by number. Compared by index.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PromoRef<'r> {
    /// Its place in the rules.
    pub ix: PromoIx,
    /// The promotion.
    pub promotion: &'r Promotion,
}

impl PartialEq for PromoRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.ix == other.ix
    }
}

impl Eq for PromoRef<'_> {}

impl PromoRef<'_> {
    /// Stage order (contract section 4): priority ascending, non-coupons
    /// before coupons, then id by byte order.
    pub(crate) fn stage_order(&self, other: &PromoRef<'_>) -> std::cmp::Ordering {
        self.promotion.order_key().cmp(&other.promotion.order_key())
    }
}

impl PartialOrd for PromoRef<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PromoRef<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.ix.cmp(&other.ix)
    }
}

/// A validated rules document.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The currency of every amount.
    pub(crate) currency: Currency,
    /// The stores with shipping terms, in document order.
    pub(crate) stores: Vec<Store>,
    /// 价保 period in days (default 30).
    pub(crate) price_protection_days: u32,
    /// The promotions, in document order.
    pub(crate) promotions: Vec<Promotion>,
    /// The tenders (抵扣), in document order.
    pub(crate) tenders: Vec<Tender>,
    by_id: IdIndex,
    store_index: IdIndex,
}

impl std::str::FromStr for Rules {
    type Err = Error;

    /// Read a rules document from JSON text (error paths start with
    /// `rules.`, as in a quote input).
    fn from_str(text: &str) -> Result<Rules, Error> {
        Rules::from_value(&super::json::read_text(text)?)
    }
}

impl Rules {
    /// Read a rules document from its JSON tree (paths start with
    /// `rules.`).
    pub(crate) fn from_value(value: &Value) -> Result<Rules, Error> {
        Rules::parse(value, &Path::ROOT.key("rules"))
    }

    /// The currency of every amount.
    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    /// The slot of the coupon promotion with this id (`None` when no
    /// coupon has it).
    pub fn coupon_slot(&self, id: &str) -> Option<&str> {
        self.coupon(id).map(|c| c.promotion.slot.as_str())
    }

    /// The coupon promotion with this id.
    pub(crate) fn coupon(&self, id: &str) -> Option<PromoRef<'_>> {
        let i = self.by_id.get(id)?;
        let promotion = self.promotions.get(i).filter(|p| p.coupon)?;
        Some(PromoRef {
            ix: PromoIx::new(i),
            promotion,
        })
    }

    /// Every promotion with its index, in document order.
    pub(crate) fn indexed(&self) -> impl Iterator<Item = PromoRef<'_>> {
        self.promotions
            .iter()
            .enumerate()
            .map(|(i, promotion)| PromoRef {
                ix: PromoIx::new(i),
                promotion,
            })
    }

    /// The store of `rules.stores` with this id.
    pub(crate) fn store_ix(&self, id: &str) -> Option<StoreIx> {
        self.store_index.get(id).map(StoreIx::new)
    }

    /// The store `ix`.
    pub(crate) fn store(&self, ix: StoreIx) -> Option<&Store> {
        self.stores.get(ix.get())
    }

    /// Read a rules document at `path`.
    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Rules, Error> {
        let o = Obj::new(value, path, FIELDS)?;
        let currency = o.read("currency", fields::currency)?;
        let scale = currency.scale();
        let stores = o
            .read_opt("stores", |v, p| read_stores(v, p, scale))?
            .unwrap_or_default();
        let price_protection_days = o
            .read_opt("price_protection_days", read_protection_days)?
            .unwrap_or(30);
        let promotions = o
            .read_opt("promotions", |v, p| {
                let items = array_at_most(v, p, MAX_PROMOTIONS, "promotions")?;
                try_collect(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, pv)| promotion::parse(pv, &p.index(i), scale)),
                )
            })?
            .unwrap_or_default();
        let tenders = o
            .read_opt("tenders", |v, p| tender::parse_rules(v, p, scale))?
            .unwrap_or_default();
        let by_id = IdIndex::build(promotions.iter().map(|p| &p.id)).map_err(|i| {
            let pp = path.key("promotions");
            let id = promotions.get(i).map(|p| p.id.as_str()).unwrap_or("");
            pp.index(i).key("id").err(
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
            tenders,
            by_id,
            store_index,
        })
    }
}

/// `stores`: an object from store id to `{"shipping"?}`.
fn read_stores(value: &Value, path: &Path<'_>, scale: u32) -> Result<Vec<Store>, Error> {
    let so = Obj::any_keys(value, path)?;
    let mut stores = Vec::with_capacity(so.members().len());
    let mut templates = 0usize;
    for (k, sv) in so.members() {
        let kp = path.key(k);
        let id = fields::key_id(k, &kp)?;
        let store = Obj::new(sv, &kp, STORE_FIELDS)?;
        let shipping = store.read_opt("shipping", |v, p| {
            let sh = Obj::new(v, p, SHIPPING_FIELDS)?;
            Ok(Shipping {
                fee: sh.read("fee", |v, p| fields::money(v, p, scale))?,
                free_over: sh.read_opt("free_over", |v, p| fields::money(v, p, scale))?,
            })
        })?;
        if shipping.is_some() && store.has("templates") {
            return Err(kp.key("templates").err(
                ErrorCode::InvalidTemplate,
                "a store has shipping or templates, not both",
            ));
        }
        let templates = store
            .read_opt("templates", |v, p| {
                template::templates(v, p, scale, &mut templates)
            })?
            .unwrap_or_default();
        // Template ids are object keys, already unique.
        let template_index = IdIndex::build(templates.iter().map(|t| &t.id)).unwrap_or_default();
        stores.push(Store {
            id,
            shipping,
            templates,
            template_index,
        });
    }
    Ok(stores)
}

/// `price_protection_days`: an integer from 0 to 36500 (`invalid_time`).
fn read_protection_days(v: &Value, p: &Path<'_>) -> Result<u32, Error> {
    match v {
        Value::Number(Number::Int(n)) if (0..=36_500).contains(n) => u32::try_from(*n).ok(),
        _ => None,
    }
    .ok_or_else(|| {
        p.err(
            ErrorCode::InvalidTime,
            "price_protection_days must be an integer from 0 to 36500",
        )
    })
}

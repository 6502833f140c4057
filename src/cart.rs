//! The cart document (contract section 2): the buyer's lines, held coupons
//! and coupon choice.
//!
//! Amounts in a cart are judged on the rules' currency, so a cart is parsed
//! against a [`Currency`]; which coupons `apply` may name is checked when
//! the cart meets its rules, in [`crate::quote()`].

use crate::error::{Error, ErrorCode, Path};
use crate::ids::{Id, IdIndex};
use crate::json::{self, Obj, Value};
use crate::money::{parse_qty, Currency, Money, Qty};
use crate::time::Instant;

/// The most lines a cart may hold.
pub const MAX_LINES: usize = 1000;
/// The most coupons a buyer may hold in one cart.
pub const MAX_COUPONS: usize = 200;

/// 预售: a per-unit deposit that counts as `deposit_value` (定金膨胀).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Presale {
    /// Deposit paid per unit.
    pub deposit: Money,
    /// What the deposit counts as per unit.
    pub deposit_value: Money,
}

/// One cart line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Line id, unique in the cart.
    pub id: Id,
    /// Product sku.
    pub sku: Id,
    /// Selling store.
    pub store: Id,
    /// Category, if any.
    pub category: Option<Id>,
    /// Tags (e.g. `百亿补贴`).
    pub tags: Vec<Id>,
    /// List unit price.
    pub unit_price: Money,
    /// Units.
    pub qty: Qty,
    /// Presale terms, if a presale line.
    pub presale: Option<Presale>,
}

/// Which held coupons to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Apply {
    /// The engine picks the best set (section 6).
    Best,
    /// Exactly these held coupons, in the order listed.
    Explicit(Vec<Id>),
}

/// A validated cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cart {
    /// The only "now" (`None`: only promotions without a window match).
    pub at: Option<Instant>,
    /// Lines in cart order.
    pub lines: Vec<Line>,
    /// Held coupon ids, as listed.
    pub coupons: Vec<Id>,
    /// The coupon choice.
    pub apply: Apply,
    /// The scale its amounts were read at.
    pub(crate) scale: u32,
}

impl Cart {
    /// Parse and validate a cart document from JSON text, reading amounts
    /// in `currency` (paths start with `cart.`).
    pub fn from_json(text: &str, currency: &Currency) -> Result<Cart, Error> {
        let v = json::parse(text)?;
        Cart::from_value(&v, currency)
    }

    /// Parse and validate a cart document (paths start with `cart.`).
    pub fn from_value(value: &Value, currency: &Currency) -> Result<Cart, Error> {
        let root = Path::ROOT;
        Cart::parse(value, &root.key("cart"), currency.scale())
    }

    pub(crate) fn parse(value: &Value, path: &Path<'_>, scale: u32) -> Result<Cart, Error> {
        let o = Obj::new(value, path, &["at", "lines", "coupons", "apply"])?;
        let at = o
            .get("at")
            .map(|v| Instant::parse(v, &path.key("at")))
            .transpose()?;

        let lp = path.key("lines");
        let items = json::array(o.req("lines")?, &lp)?;
        if items.len() > MAX_LINES {
            return Err(lp.err(
                ErrorCode::LimitExceeded,
                format!("more than {MAX_LINES} lines"),
            ));
        }
        let mut lines = Vec::with_capacity(items.len());
        for (i, lv) in items.iter().enumerate() {
            lines.push(parse_line(lv, &lp.index(i), scale)?);
        }
        if let Err(i) = IdIndex::build(lines.iter().map(|l| &l.id)) {
            let id = lines.get(i).map(|l| l.id.as_str()).unwrap_or("");
            return Err(lp
                .index(i)
                .key("id")
                .err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
        }

        let coupons = match o.get("coupons") {
            None => Vec::new(),
            Some(v) => parse_unique_ids(v, &path.key("coupons"), Some(MAX_COUPONS), "held")?,
        };

        let apply = match o.get("apply") {
            None => Apply::Best,
            Some(Value::String(s)) if s == "best" => Apply::Best,
            Some(Value::String(s)) => {
                return Err(path.key("apply").err(
                    ErrorCode::InvalidJson,
                    format!("apply must be \"best\" or an array of coupon ids, not '{s}'"),
                ))
            }
            Some(v) => Apply::Explicit(parse_unique_ids(v, &path.key("apply"), None, "listed")?),
        };

        Ok(Cart {
            at,
            lines,
            coupons,
            apply,
            scale,
        })
    }
}

/// An array of distinct ids (a second occurrence is `duplicate_id` there).
fn parse_unique_ids(
    value: &Value,
    path: &Path<'_>,
    limit: Option<usize>,
    what: &str,
) -> Result<Vec<Id>, Error> {
    let items = json::array(value, path)?;
    if let Some(max) = limit {
        if items.len() > max {
            return Err(path.err(
                ErrorCode::LimitExceeded,
                format!("more than {max} {what} coupons"),
            ));
        }
    }
    let mut out: Vec<Id> = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let ip = path.index(i);
        let id = Id::parse(v, &ip)?;
        if out.contains(&id) {
            return Err(ip.err(
                ErrorCode::DuplicateId,
                format!("coupon '{id}' {what} twice"),
            ));
        }
        out.push(id);
    }
    Ok(out)
}

fn parse_line(value: &Value, path: &Path<'_>, scale: u32) -> Result<Line, Error> {
    let o = Obj::new(
        value,
        path,
        &[
            "id",
            "sku",
            "store",
            "category",
            "tags",
            "unit_price",
            "qty",
            "presale",
        ],
    )?;
    let id = Id::parse(o.req("id")?, &path.key("id"))?;
    let sku = Id::parse(o.req("sku")?, &path.key("sku"))?;
    let store = Id::parse(o.req("store")?, &path.key("store"))?;
    let category = o
        .get("category")
        .map(|v| Id::parse(v, &path.key("category")))
        .transpose()?;
    let tags = match o.get("tags") {
        None => Vec::new(),
        Some(v) => {
            // Sorted and deduplicated, so that scope matching can search
            // the longer of two tag lists rather than scan it.
            let mut tags = Id::parse_list(v, &path.key("tags"))?;
            tags.sort();
            tags.dedup();
            tags
        }
    };
    let unit_price = Money::parse(o.req("unit_price")?, &path.key("unit_price"), scale)?;
    let qty = parse_qty(o.req("qty")?, &path.key("qty"), 1)?;
    let presale = match o.get("presale") {
        None => None,
        Some(v) => {
            let pp = path.key("presale");
            let po = Obj::new(v, &pp, &["deposit", "deposit_value"])?;
            let deposit = Money::parse(po.req("deposit")?, &pp.key("deposit"), scale)?;
            let vp = pp.key("deposit_value");
            let deposit_value = Money::parse(po.req("deposit_value")?, &vp, scale)?;
            if deposit > deposit_value || deposit_value > unit_price {
                return Err(vp.err(
                    ErrorCode::InvalidAmount,
                    "requires deposit <= deposit_value <= unit_price",
                ));
            }
            Some(Presale {
                deposit,
                deposit_value,
            })
        }
    };
    Ok(Line {
        id,
        sku,
        store,
        category,
        tags,
        unit_price,
        qty,
        presale,
    })
}

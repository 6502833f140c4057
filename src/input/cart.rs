//! The cart document (contract section 2): the buyer (what the server
//! vouches they are), their lines with the address each ships to, held
//! coupons and coupon choice, read against the rules that price it (its
//! amounts are judged at the rules' currency: see
//! [`crate::Rules::cart_from_str`]).

use super::fields::{self, array_at_most, Obj};
use super::json::Value;
use super::rules::Rules;
use super::scope::{any_shared, Scope};
use super::template::{self, Region};
use super::tender::{self, CartTender};
use crate::error::{Error, ErrorCode, Path};
use crate::schema::shape;
use crate::values::{sorted_contains, try_collect, Id, IdIndex, Instant, Money, Qty};
use rust_decimal::Decimal;

/// The most lines a cart may hold.
pub const MAX_LINES: usize = 1000;
/// The most coupons a buyer may hold in one cart.
pub const MAX_COUPONS: usize = 200;
/// The most addresses a buyer may have.
pub(crate) const MAX_ADDRESSES: usize = 100;

shape! {
    /// The buyer's cart.
    const FIELDS, fn cart_shape = "Cart" {
        /// The quote's only "now", at which windows are judged. Absent: only promotions without
        /// a window apply.
        "at" opt Timestamp,
        /// Who is buying. Absent: a buyer without tags.
        "buyer" opt Ref("Buyer"),
        /// The lines, in cart order (may be empty).
        "lines" req at_most(array(Ref("CartLine")), MAX_LINES),
        /// The coupon ids the buyer holds, without duplicates.
        "coupons" opt unique(at_most(array(Id), MAX_COUPONS)),
        /// "best" (default): the engine picks the best set of held coupons. Or the held coupon
        /// ids to apply, at most one per slot.
        "apply" opt one_of([Const("best"), unique(at_most(array(Id), MAX_COUPONS))]),
        /// 领券 (version 3): coupon ids the buyer does not hold but can claim now, each naming a
        /// coupon promotion, without duplicates and none of them held; the best search considers
        /// them with the held ones (held and claimable together at most 200).
        "claimable" opt unique(at_most(array(Id), MAX_COUPONS)),
        /// Version 3: the tenders of the rules the buyer pays part of the order with (抵扣),
        /// each once, with the buyer's balance.
        "tenders" opt at_most(array(Ref("CartTender")), super::tender::MAX_CART_TENDERS),
    }
}
shape! {
    /// What the buyer is, as the server vouches for it ("88vip", "plus", "new", ...).
    const BUYER_FIELDS, fn buyer_shape = "Buyer" {
        /// The buyer's tags, matched against promotions' `audience`. Absent: none.
        "tags" opt array(Id),
        /// The buyer's addresses by id, with the region of each: a line's `ship_to` names
        /// one, and freight templates are judged by its region.
        "addresses" opt at_most(map(Ref("Address")), MAX_ADDRESSES),
    }
}
shape! {
    /// A cart line: a quantity of one sku from one store.
    const LINE_FIELDS, fn line_shape = "CartLine" {
        /// The line's id, unique in the cart.
        "id" req Id,
        /// The product's sku, matched by scopes and by 限购.
        "sku" req Id,
        /// The selling store's id.
        "store" req Id,
        /// The product's category, matched by scopes.
        "category" opt Id,
        /// The product's catalogue tags, matched by scopes (a subsidy's qualifying lines, for
        /// example).
        "tags" opt array(Id),
        /// The list price of one unit.
        "unit_price" req MoneyInput,
        /// The number of units, an integer from 1 to 99999.
        "qty" req Qty,
        /// 预售定金膨胀, per unit: the `deposit` paid counts as `deposit_value` (paying 50 counts as
        /// 100). Needs deposit ≤ deposit_value ≤ unit_price.
        "presale" opt Ref("Presale"),
        /// One of the buyer's addresses (多地址): each store's lines per address ship as one
        /// group.
        "ship_to" opt Id,
        /// The freight template (运费模板) of its store that charges its shipping (version 3).
        "template" opt Id,
        /// The weight of one unit in kilograms, needed when its template is `by: weight`.
        "weight" opt Measure,
    }
}
shape! {
    /// 预售定金膨胀, per unit.
    const PRESALE_FIELDS, fn presale_shape = "Presale" {
        /// What the buyer pays in advance for one unit.
        "deposit" req MoneyInput,
        /// What that deposit counts as against the unit's price.
        "deposit_value" req MoneyInput,
    }
}

/// 预售: a per-unit deposit that counts as `deposit_value` (定金膨胀).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Presale {
    /// Deposit paid per unit.
    pub deposit: Money,
    /// What the deposit counts as per unit.
    pub deposit_value: Money,
}

/// One cart line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    /// Line id, unique in the cart.
    pub id: Id,
    /// Product sku.
    pub sku: Id,
    /// Selling store.
    pub store: Id,
    /// Category, if any.
    pub category: Option<Id>,
    /// Tags (e.g. `百亿补贴`), sorted and deduplicated.
    pub tags: Vec<Id>,
    /// List unit price.
    pub unit_price: Money,
    /// Units (at least 1).
    pub qty: Qty,
    /// Presale terms, if a presale line.
    pub presale: Option<Presale>,
    /// The buyer's address the line ships to (多地址), if it names one.
    pub ship_to: Option<Id>,
    /// Its store's freight template, if it names one.
    pub template: Option<Id>,
    /// The weight of one unit (kilograms), if given.
    pub weight: Option<Decimal>,
}

impl Line {
    /// Whether this line is in `scope` (its store, sku, category and tags
    /// against the scope's lists).
    pub(crate) fn is_in(&self, scope: &Scope) -> bool {
        let line = self;
        let within =
            |list: &Option<Vec<Id>>, id: &str| list.as_ref().is_none_or(|l| sorted_contains(l, id));
        within(&scope.stores, line.store.as_str())
            && within(&scope.skus, line.sku.as_str())
            && scope.categories.as_ref().is_none_or(|cats| {
                line.category
                    .as_ref()
                    .is_some_and(|c| sorted_contains(cats, c.as_str()))
            })
            && scope
                .tags
                .as_ref()
                .is_none_or(|tags| any_shared(tags, &line.tags))
            && !scope
                .exclude_skus
                .as_ref()
                .is_some_and(|ex| sorted_contains(ex, line.sku.as_str()))
            && !scope
                .exclude_tags
                .as_ref()
                .is_some_and(|ex| any_shared(ex, &line.tags))
    }

    /// `unit_price * qty`.
    pub(crate) fn list(&self) -> Money {
        self.unit_price.times(self.qty.get())
    }
}

/// Which held coupons to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Apply {
    /// The engine picks the best set (section 6).
    Best,
    /// Exactly these held coupons, in the order listed.
    Explicit(Vec<Id>),
}

/// A validated cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cart {
    /// The only "now" (`None`: only promotions without a window match).
    pub(crate) at: Option<Instant>,
    /// The buyer's tags (`88vip`, `new`, ...), sorted and deduplicated.
    pub(crate) buyer: Vec<Id>,
    /// The buyer's addresses with their regions, in document order.
    pub(crate) addresses: Vec<(Id, Region)>,
    /// Lines in cart order.
    pub(crate) lines: Vec<Line>,
    /// Held coupon ids, as listed.
    pub(crate) coupons: Vec<Id>,
    /// The coupon choice.
    pub(crate) apply: Apply,
    /// Coupon ids the buyer can claim now (领券), as listed; `None`: the
    /// cart has no `claimable`.
    pub(crate) claimable: Option<Vec<Id>>,
    /// The tenders it pays with (`None`: the cart has no `tenders`).
    pub(crate) tenders: Option<Vec<CartTender>>,
}

impl Cart {
    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The held coupon ids, as listed.
    pub fn held_coupons(&self) -> &[Id] {
        &self.coupons
    }

    /// Read a cart document at `path`, its amounts at the currency of
    /// `rules`, its tenders naming theirs.
    pub(crate) fn parse(value: &Value, path: &Path<'_>, rules: &Rules) -> Result<Cart, Error> {
        let scale = rules.currency.scale();
        let o = Obj::new(value, path, FIELDS)?;
        let at = o.read_opt("at", fields::instant)?;
        let (buyer, addresses) = o
            .read_opt("buyer", |v, p| {
                let b = Obj::new(v, p, BUYER_FIELDS)?;
                let tags = b.read_opt("tags", fields::id_set)?.unwrap_or_default();
                let addresses =
                    b.read_opt("addresses", |v, p| template::addresses(v, p, MAX_ADDRESSES))?;
                Ok((tags, addresses))
            })?
            .unwrap_or_default();
        let lines = o.read("lines", |v, p| {
            parse_lines(v, p, scale, addresses.as_deref())
        })?;
        let addresses = addresses.unwrap_or_default();
        let coupons = o
            .read_opt("coupons", |v, p| {
                let items = array_at_most(v, p, MAX_COUPONS, "held coupons")?;
                unique_ids(items, p, "held")
            })?
            .unwrap_or_default();
        let apply = o.read_opt("apply", parse_apply)?.unwrap_or(Apply::Best);
        let claimable = o.read_opt("claimable", |v, p| parse_claimable(v, p, &coupons))?;
        let tenders = o.read_opt("tenders", |v, p| {
            tender::parse_cart(v, p, scale, &rules.tenders)
        })?;
        Ok(Cart {
            at,
            buyer,
            addresses,
            lines,
            coupons,
            apply,
            claimable,
            tenders,
        })
    }
}

/// `claimable`: distinct ids, none held, held and claimable together at
/// most [`MAX_COUPONS`] (checked before the entries).
fn parse_claimable(value: &Value, path: &Path<'_>, held: &[Id]) -> Result<Vec<Id>, Error> {
    let items = fields::array(value, path)?;
    if items.len().saturating_add(held.len()) > MAX_COUPONS {
        return Err(path.too_many(MAX_COUPONS, "held and claimable coupons together"));
    }
    let mut out: Vec<Id> = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let ip = path.index(i);
        let id = fields::id(v, &ip)?;
        if out.contains(&id) || held.contains(&id) {
            return Err(ip.err(
                ErrorCode::DuplicateId,
                format!("coupon '{id}' listed twice"),
            ));
        }
        out.push(id);
    }
    Ok(out)
}

/// Whether `id` is one of the cart's claimable coupons.
pub(crate) fn is_claimable(cart: &Cart, id: &Id) -> bool {
    cart.claimable.as_ref().is_some_and(|c| c.contains(id))
}

/// `"best"`, or an array of distinct coupon ids.
fn parse_apply(value: &Value, path: &Path<'_>) -> Result<Apply, Error> {
    match value {
        Value::String(s) if s == "best" => Ok(Apply::Best),
        Value::String(s) => Err(path.err(
            ErrorCode::InvalidJson,
            format!("apply must be \"best\" or an array of coupon ids, not '{s}'"),
        )),
        v => Ok(Apply::Explicit(unique_ids(
            fields::array(v, path)?,
            path,
            "listed",
        )?)),
    }
}

/// The lines, at most [`MAX_LINES`], with distinct ids.
fn parse_lines(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    addresses: Option<&[(Id, Region)]>,
) -> Result<Vec<Line>, Error> {
    let items = array_at_most(value, path, MAX_LINES, "lines")?;
    let lines = try_collect(
        items
            .iter()
            .enumerate()
            .map(|(i, lv)| parse_line(lv, &path.index(i), scale, addresses)),
    )?;
    if let Err(i) = IdIndex::build(lines.iter().map(|l| &l.id)) {
        let id = lines.get(i).map(|l| l.id.as_str()).unwrap_or("");
        return Err(path
            .index(i)
            .key("id")
            .err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
    }
    Ok(lines)
}

/// Distinct ids (a second occurrence is `duplicate_id` there).
fn unique_ids(items: &[Value], path: &Path<'_>, what: &str) -> Result<Vec<Id>, Error> {
    let mut out: Vec<Id> = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let ip = path.index(i);
        let id = fields::id(v, &ip)?;
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

fn parse_line(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    addresses: Option<&[(Id, Region)]>,
) -> Result<Line, Error> {
    let o = Obj::new(value, path, LINE_FIELDS)?;
    let id = o.read("id", fields::id)?;
    let sku = o.read("sku", fields::id)?;
    let store = o.read("store", fields::id)?;
    let category = o.read_opt("category", fields::id)?;
    // Sorted and deduplicated, so that scope matching can search the
    // longer of two tag lists rather than scan it.
    let tags = o.read_opt("tags", fields::id_set)?.unwrap_or_default();
    let unit_price = o.read("unit_price", |v, p| fields::money(v, p, scale))?;
    let qty = o.read("qty", |v, p| fields::qty(v, p, 1))?;
    let presale = o.read_opt("presale", |v, p| parse_presale(v, p, scale, unit_price))?;
    let ship_to = o.read_opt("ship_to", |v, p| {
        let id = fields::id(v, p)?;
        match addresses {
            Some(known) if !known.iter().any(|(a, _)| a == &id) => Err(p.err(
                ErrorCode::InvalidId,
                format!("ship_to '{id}' names none of the buyer's addresses"),
            )),
            _ => Ok(id),
        }
    })?;
    let template = o.read_opt("template", fields::id)?;
    let weight = o.read_opt("weight", fields::measure)?;
    Ok(Line {
        id,
        sku,
        store,
        category,
        tags,
        unit_price,
        qty,
        presale,
        ship_to,
        template,
        weight,
    })
}

/// `presale`, which requires `deposit <= deposit_value <= unit_price`.
fn parse_presale(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    unit_price: Money,
) -> Result<Presale, Error> {
    let o = Obj::new(value, path, PRESALE_FIELDS)?;
    let deposit = o.read("deposit", |v, p| fields::money(v, p, scale))?;
    let deposit_value = o.read("deposit_value", |v, p| {
        let dv = fields::money(v, p, scale)?;
        if deposit > dv || dv > unit_price {
            return Err(p.err(
                ErrorCode::InvalidAmount,
                "requires deposit <= deposit_value <= unit_price",
            ));
        }
        Ok(dv)
    })?;
    Ok(Presale {
        deposit,
        deposit_value,
    })
}

/// Carts are read under the rules they are priced with (their currency,
/// their tenders); the readers live here, beside the cart.
impl Rules {
    /// Read a cart document from JSON text, its amounts in these rules'
    /// currency (error paths start with `cart.`). A cart is quoted with
    /// the rules that read it.
    pub fn cart_from_str(&self, text: &str) -> Result<Cart, Error> {
        self.cart_from_value(&super::json::read_text(text)?)
    }

    /// [`Rules::cart_from_str`] on a JSON tree.
    pub(crate) fn cart_from_value(&self, value: &Value) -> Result<Cart, Error> {
        Cart::parse(value, &Path::ROOT.key("cart"), self)
    }
}

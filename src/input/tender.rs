//! Tenders (抵扣, contract section 2, version 3): what a buyer may pay part
//! of an order with besides money — points (积分, 京豆, 淘金币) and credit
//! (红包, 购物金, 礼品卡, a trade-in valuation) — as the rules offer them
//! (`rules.tenders`) and as the cart uses them (`cart.tenders`).

use super::fields::{self, array_at_most, Obj};
use super::json::{Number, Value};
use super::scope::Scope;
use crate::error::{Error, ErrorCode, Path};
use crate::schema::shape;
use crate::values::{Id, Money, Rate, TenderFunder, TenderKind, MAX_POINTS};

/// The most tenders the rules may offer.
pub const MAX_RULE_TENDERS: usize = 100;
/// The most tenders a cart may pay with.
pub const MAX_CART_TENDERS: usize = 20;

shape! {
    /// A tender the buyer may pay part of an order with (抵扣): points or credit.
    const FIELDS, fn tender_shape = "Tender" {
        /// Its id, unique among the tenders.
        "id" req Id,
        /// "points" (the balance is in points) or "credit" (the balance is money).
        "kind" req Enum("TenderKind"),
        /// Points only, required: the money one point is worth ("0.01" for 京豆).
        "unit_value" opt MoneyInput,
        /// Points only: points are used in multiples of it. Default 1.
        "step" opt Qty,
        /// Points only: the most points one order may use.
        "max_points" opt between(Integer, 0, 1_000_000_000_000),
        /// The lines it may pay for. Absent: every line.
        "scope" opt Ref("Scope"),
        /// `true`: it may also pay the fees of the shipping groups of those lines. Default
        /// `false`.
        "shipping" opt Bool,
        /// Usable only when the lines in scope reach it (红包 满X可用).
        "at" opt MoneyInput,
        /// It pays at most this share of what it could pay for.
        "max_share" opt RateInput,
        /// Who funds it. Default "platform".
        "funded_by" opt Enum("TenderFunder"),
        /// Tenders apply in priority order, then by id. Default 0.
        "priority" opt Integer,
    }
}
shape! {
    /// A tender the buyer pays with, with the buyer's balance.
    const CART_FIELDS, fn cart_tender_shape = "CartTender" {
        /// The id of a tender of the rules.
        "id" req Id,
        /// The buyer's balance: points (an integer) for a points tender, money for credit.
        "balance" req one_of([MoneyInput, between(Integer, 0, 1_000_000_000_000)]),
        /// The most the buyer wants to use, counted as the balance. Absent: all of it.
        "use" opt one_of([MoneyInput, between(Integer, 0, 1_000_000_000_000)]),
    }
}

/// A tender of the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tender {
    /// Its id.
    pub id: Id,
    /// Points or credit.
    pub kind: TenderKind,
    /// The money one point is worth (points only).
    pub unit_value: Option<Money>,
    /// Points are used in multiples of it (1 for credit).
    pub step: u64,
    /// The most points one order may use.
    pub max_points: Option<u64>,
    /// The lines it may pay for.
    pub scope: Scope,
    /// Whether it may pay the fees of those lines' groups.
    pub shipping: bool,
    /// The amount its lines must reach.
    pub at: Option<Money>,
    /// The most share of what it could pay for.
    pub max_share: Option<Rate>,
    /// Who funds it.
    pub funded_by: TenderFunder,
    /// Order among the tenders.
    pub priority: i64,
}

/// A tender the cart pays with: amounts in points (points) or minor units
/// of money (credit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CartTender {
    /// The index of the tender in the rules.
    pub tender: usize,
    /// The buyer's balance.
    pub balance: i128,
    /// The most the buyer wants to use.
    pub use_at_most: Option<i128>,
}

/// `rules.tenders`: at most [`MAX_RULE_TENDERS`], with distinct ids.
pub(crate) fn parse_rules(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
) -> Result<Vec<Tender>, Error> {
    let items = array_at_most(value, path, MAX_RULE_TENDERS, "tenders")?;
    let mut out: Vec<Tender> = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let ip = path.index(i);
        let t = parse_tender(v, &ip, scale, &out)?;
        out.push(t);
    }
    Ok(out)
}

/// One tender of the rules, its id not among `earlier`.
fn parse_tender(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    earlier: &[Tender],
) -> Result<Tender, Error> {
    let o = Obj::new(value, path, FIELDS)?;
    let id = o.read("id", |v, p| {
        let id = fields::id(v, p)?;
        if earlier.iter().any(|t| t.id == id) {
            return Err(p.err(
                ErrorCode::DuplicateId,
                format!("duplicate tender id '{id}'"),
            ));
        }
        Ok(id)
    })?;
    let kind = o.read("kind", |v, p| {
        let s = fields::string(v, p, "kind")?;
        TenderKind::from_name(s).ok_or_else(|| {
            p.err(
                ErrorCode::InvalidTender,
                format!("unknown tender kind '{s}'"),
            )
        })
    })?;
    let points = kind == TenderKind::Points;
    if !points {
        if let Some(k) = ["unit_value", "step", "max_points"]
            .into_iter()
            .find(|k| o.has(k))
        {
            return Err(path.unknown_field(k));
        }
    }
    let unit_value = match points {
        true => Some(o.read("unit_value", |v, p| {
            let m = fields::money(v, p, scale)?;
            if m.is_zero() {
                return Err(p.err(ErrorCode::InvalidAmount, "unit_value must be above 0"));
            }
            Ok(m)
        })?),
        false => None,
    };
    let step = o.read_opt("step", |v, p| fields::qty(v, p, 1))?;
    let max_points = o.read_opt("max_points", |v, p| count(v, p, ErrorCode::InvalidQuantity))?;
    Ok(Tender {
        id,
        kind,
        unit_value,
        step: step.map_or(1, |q| u64::from(q.get())),
        max_points: max_points.and_then(|n| u64::try_from(n).ok()),
        scope: o.read_opt("scope", Scope::parse)?.unwrap_or_default(),
        shipping: o
            .read_opt("shipping", |v, p| fields::boolean(v, p, "shipping"))?
            .unwrap_or(false),
        at: o.read_opt("at", |v, p| fields::money(v, p, scale))?,
        max_share: o.read_opt("max_share", fields::rate)?,
        funded_by: o
            .read_opt("funded_by", |v, p| {
                let s = fields::string(v, p, "funded_by")?;
                TenderFunder::from_name(s).ok_or_else(|| {
                    p.err(ErrorCode::InvalidTender, format!("unknown funded_by '{s}'"))
                })
            })?
            .unwrap_or(TenderFunder::Platform),
        priority: o.read_opt("priority", read_priority)?.unwrap_or(0),
    })
}

/// A tender's `priority`: any 64-bit integer (`invalid_tender`).
fn read_priority(v: &Value, p: &Path<'_>) -> Result<i64, Error> {
    match v {
        Value::Number(Number::Int(n)) => i64::try_from(*n).ok(),
        _ => None,
    }
    .ok_or_else(|| p.err(ErrorCode::InvalidTender, "priority must be an integer"))
}

/// A count of points: a JSON integer from 0 to [`MAX_POINTS`].
fn count(v: &Value, p: &Path<'_>, code: ErrorCode) -> Result<i128, Error> {
    match v {
        Value::Number(Number::Int(n)) if (0..=i128::from(MAX_POINTS)).contains(n) => Ok(*n),
        _ => Err(p.err(
            code,
            format!("a count of points is an integer from 0 to {MAX_POINTS}"),
        )),
    }
}

/// `cart.tenders`: at most [`MAX_CART_TENDERS`], each naming a tender of
/// the rules once.
pub(crate) fn parse_cart(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    tenders: &[Tender],
) -> Result<Vec<CartTender>, Error> {
    let items = array_at_most(value, path, MAX_CART_TENDERS, "cart tenders")?;
    let mut out: Vec<CartTender> = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let ip = path.index(i);
        let o = Obj::new(v, &ip, CART_FIELDS)?;
        let tender = o.read("id", |v, p| {
            let id = fields::id(v, p)?;
            let ix = tenders
                .iter()
                .position(|t| t.id == id)
                .ok_or_else(|| p.err(ErrorCode::InvalidId, format!("no tender '{id}'")))?;
            if out.iter().any(|c| c.tender == ix) {
                return Err(p.err(
                    ErrorCode::DuplicateId,
                    format!("tender '{id}' listed twice"),
                ));
            }
            Ok(ix)
        })?;
        let points = tenders
            .get(tender)
            .is_some_and(|t| t.kind == TenderKind::Points);
        let amount = |v: &Value, p: &Path<'_>| match points {
            true => count(v, p, ErrorCode::InvalidQuantity),
            false => fields::money(v, p, scale).map(Money::minor),
        };
        out.push(CartTender {
            tender,
            balance: o.read("balance", amount)?,
            use_at_most: o.read_opt("use", amount)?,
        });
    }
    Ok(out)
}

//! Reading a quote document back (the input of `refund`, and of `settle`
//! with version 2): the parts an after-sale operation needs, checked to
//! have the shape of a quote (unknown fields are errors; the digest is not
//! re-checked: the server that stores quotes is trusted for that).

use crate::error::{Error, ErrorCode, Path};
use crate::input::cart::MAX_LINES;
use crate::input::fields::{self, array_at_most, Obj};
use crate::input::json::Value;
use crate::values::{Currency, Id, Money, Qty};

/// The members of a quote document.
pub(crate) const FIELDS: &[&str] = &[
    "currency",
    "lines",
    "promotions",
    "shipping",
    "coupons",
    "hints",
    "totals",
    "digest",
];
/// The members of a quote line.
pub(crate) const LINE_FIELDS: &[&str] = &[
    "id",
    "store",
    "qty",
    "list",
    "final",
    "discounts",
    "deposit",
];

/// A line of a quote document, as a refund reads it.
#[derive(Clone, Debug)]
pub(crate) struct QuotedLine {
    /// Line id.
    pub id: Id,
    /// Store id.
    pub store: Id,
    /// Units bought.
    pub qty: Qty,
    /// What the line finally cost.
    pub final_amount: Money,
}

/// A shipping entry of a quote document.
#[derive(Clone, Debug)]
pub(crate) struct QuotedFee {
    /// Store id.
    pub store: Id,
    /// The fee charged.
    pub fee: Money,
}

/// The parts of a quote document that after-sale operations read.
#[derive(Clone, Debug)]
pub(crate) struct QuoteDoc {
    /// Its currency.
    pub currency: Currency,
    /// Its lines, in cart order.
    pub lines: Vec<QuotedLine>,
    /// Its shipping entries, in order.
    pub shipping: Vec<QuotedFee>,
}

impl QuoteDoc {
    /// Read a quote document at `path`.
    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<QuoteDoc, Error> {
        let o = Obj::new(value, path, FIELDS)?;
        let currency = o.read("currency", fields::currency)?;
        let scale = currency.scale();
        let lines = o.read("lines", |v, p| read_lines(v, p, scale))?;
        let shipping = o
            .read_opt("shipping", |v, p| read_shipping(v, p, scale))?
            .unwrap_or_default();
        Ok(QuoteDoc {
            currency,
            lines,
            shipping,
        })
    }
}

fn read_lines(value: &Value, path: &Path<'_>, scale: u32) -> Result<Vec<QuotedLine>, Error> {
    let items = array_at_most(value, path, MAX_LINES, "lines")?;
    let mut lines: Vec<QuotedLine> = Vec::with_capacity(items.len());
    for (i, lv) in items.iter().enumerate() {
        let ip = path.index(i);
        let lo = Obj::new(lv, &ip, LINE_FIELDS)?;
        let id = lo.read("id", fields::id)?;
        if lines.iter().any(|l| l.id == id) {
            return Err(ip
                .key("id")
                .err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
        }
        lines.push(QuotedLine {
            id,
            store: lo.read("store", fields::id)?,
            qty: lo.read("qty", |v, p| fields::qty(v, p, 1))?,
            final_amount: lo.read("final", |v, p| fields::money(v, p, scale))?,
        });
    }
    Ok(lines)
}

fn read_shipping(value: &Value, path: &Path<'_>, scale: u32) -> Result<Vec<QuotedFee>, Error> {
    fields::array(value, path)?
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let kp = path.index(k);
            let so = Obj::new(v, &kp, &["store", "fee"])?;
            Ok(QuotedFee {
                store: so.read("store", fields::id)?,
                fee: so.read("fee", |v, p| fields::money(v, p, scale))?,
            })
        })
        .collect()
}

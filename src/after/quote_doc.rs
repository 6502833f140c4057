//! Reading a quote document back: the input of `refund` and of `settle`.
//! The document must have the shape of a quote (unknown fields are errors;
//! the digest is not re-checked: the server that stores quotes is trusted
//! for that). A refund reads what it needs (lines and fees); a settlement
//! reads every discount too, and who funds each promotion.

use crate::error::{Error, ErrorCode, Path};
use crate::input::cart::MAX_LINES;
use crate::input::fields::{self, array_at_most, Obj};
use crate::input::json::Value;
use crate::input::rules::MAX_PROMOTIONS;
use crate::output::document::{LineDiscount, Quote, ShippingFee};
use crate::values::{try_collect, Currency, Funder, Id, Money, Qty};

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
    "ship_to",
    "qty",
    "list",
    "final",
    "discounts",
    "deposit",
];
/// The members of a shipping entry.
pub(crate) const SHIPPING_FIELDS: &[&str] = &["store", "ship_to", "fee", "discounts"];

/// How much of the quote an operation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Depth {
    /// Lines and fees (a refund).
    Fees,
    /// Everything a settlement sums: discounts and their funders too.
    Funding,
}

/// A discount of a quote line or a shipping entry.
#[derive(Clone, Debug)]
pub(crate) struct QuotedDiscount {
    /// The promotion's id (or `presale`).
    pub promotion: Id,
    /// What it took off.
    pub amount: Money,
}

/// A line of a quote document.
#[derive(Clone, Debug)]
pub(crate) struct QuotedLine {
    /// Line id.
    pub id: Id,
    /// Store id.
    pub store: Id,
    /// The address it ships to, if any.
    pub ship_to: Option<Id>,
    /// Units bought.
    pub qty: Qty,
    /// `unit_price * qty` (read for a settlement).
    pub list: Option<Money>,
    /// What the line finally cost.
    pub final_amount: Money,
    /// Its discounts (read for a settlement), with where each is.
    pub discounts: Vec<QuotedDiscount>,
}

/// A shipping entry of a quote document.
#[derive(Clone, Debug)]
pub(crate) struct QuotedFee {
    /// Store id.
    pub store: Id,
    /// The address, for a group of lines with one.
    pub ship_to: Option<Id>,
    /// The fee charged.
    pub fee: Money,
    /// What shipping promotions took off (read for a settlement).
    pub discounts: Vec<QuotedDiscount>,
}

/// A promotion total of a quote document: who funds it.
#[derive(Clone, Debug)]
pub(crate) struct QuotedPromotion {
    /// Promotion id.
    pub id: Id,
    /// Who funds it.
    pub funded_by: Funder,
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
    /// Its promotions (read for a settlement).
    pub promotions: Vec<QuotedPromotion>,
}

impl QuoteDoc {
    /// Read a quote document at `path`, as deep as `depth`.
    pub(crate) fn parse(value: &Value, path: &Path<'_>, depth: Depth) -> Result<QuoteDoc, Error> {
        let o = Obj::new(value, path, FIELDS)?;
        let currency = o.read("currency", fields::currency)?;
        let scale = currency.scale();
        let lines = o.read("lines", |v, p| read_lines(v, p, scale, depth))?;
        let promotions = match depth {
            Depth::Fees => Vec::new(),
            Depth::Funding => o.read("promotions", read_promotions)?,
        };
        let shipping = o
            .read_opt("shipping", |v, p| read_shipping(v, p, scale, depth))?
            .unwrap_or_default();
        Ok(QuoteDoc {
            currency,
            lines,
            shipping,
            promotions,
        })
    }
}

impl QuoteDoc {
    /// The view of a typed quote (`quote`'s path is `path`): the parts the
    /// text reader takes, with the same checks a typed value still needs
    /// (its currency code and distinct line ids; a caller may have changed
    /// the quote's public members).
    pub(crate) fn of(quote: &Quote, path: &Path<'_>) -> Result<QuoteDoc, Error> {
        let currency = Currency::from_code(&quote.currency).ok_or_else(|| {
            path.key("currency").err(
                ErrorCode::InvalidAmount,
                format!(
                    "currency '{}' is not a 3-letter ISO 4217 code",
                    quote.currency
                ),
            )
        })?;
        let list = path.key("lines");
        for (i, l) in quote.lines.iter().enumerate() {
            if quote.lines.iter().take(i).any(|e| e.id == l.id) {
                let id = &l.id;
                return Err(list
                    .index(i)
                    .key("id")
                    .err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
            }
        }
        let discount = |d: &LineDiscount| QuotedDiscount {
            promotion: d.promotion.clone(),
            amount: d.amount,
        };
        let lines = quote.lines.iter().map(|l| QuotedLine {
            id: l.id.clone(),
            store: l.store.clone(),
            ship_to: l.ship_to.clone(),
            qty: l.qty,
            list: Some(l.list),
            final_amount: l.final_amount,
            discounts: l.discounts.iter().map(discount).collect(),
        });
        Ok(QuoteDoc {
            currency,
            lines: lines.collect(),
            shipping: quote.shipping.iter().map(QuotedFee::of).collect(),
            promotions: quote
                .promotions
                .iter()
                .map(|p| QuotedPromotion {
                    id: p.id.clone(),
                    funded_by: p.funded_by,
                })
                .collect(),
        })
    }
}

impl QuotedFee {
    /// The view of a typed shipping entry.
    fn of(fee: &ShippingFee) -> QuotedFee {
        let discounts = fee.discounts.iter().flatten().map(|d| QuotedDiscount {
            promotion: d.promotion.clone(),
            amount: d.amount,
        });
        QuotedFee {
            store: fee.store.clone(),
            ship_to: fee.ship_to.clone(),
            fee: fee.fee,
            discounts: discounts.collect(),
        }
    }
}

fn read_lines(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    depth: Depth,
) -> Result<Vec<QuotedLine>, Error> {
    let items = array_at_most(value, path, MAX_LINES, "lines")?;
    let mut lines: Vec<QuotedLine> = Vec::with_capacity(items.len());
    let money = |v: &Value, p: &Path<'_>| fields::quoted_money(v, p, scale);
    for (i, lv) in items.iter().enumerate() {
        let ip = path.index(i);
        let lo = Obj::new(lv, &ip, LINE_FIELDS)?;
        let id = lo.read("id", fields::id)?;
        if lines.iter().any(|l| l.id == id) {
            return Err(ip
                .key("id")
                .err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
        }
        let funding = depth == Depth::Funding;
        lines.push(QuotedLine {
            id,
            store: lo.read("store", fields::id)?,
            ship_to: lo.read_opt("ship_to", fields::id)?,
            qty: lo.read("qty", |v, p| fields::qty(v, p, 1))?,
            list: if funding {
                Some(lo.read("list", money)?)
            } else {
                None
            },
            final_amount: lo.read("final", money)?,
            discounts: if funding {
                lo.read("discounts", |v, p| {
                    read_discounts(v, p, scale, &["promotion", "stage", "amount"])
                })?
            } else {
                Vec::new()
            },
        });
    }
    Ok(lines)
}

/// The discounts of a line or a shipping entry, each with its promotion
/// and amount.
fn read_discounts(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    members: &[&str],
) -> Result<Vec<QuotedDiscount>, Error> {
    let items = fields::array(value, path)?;
    try_collect(items.iter().enumerate().map(|(j, dv)| {
        let jp = path.index(j);
        let d = Obj::new(dv, &jp, members)?;
        if members.contains(&"stage") {
            d.read_opt("stage", |v, p| fields::string(v, p, "stage").map(|_| ()))?;
        }
        Ok(QuotedDiscount {
            promotion: d.read("promotion", fields::id)?,
            amount: d.read("amount", |v, p| fields::quoted_money(v, p, scale))?,
        })
    }))
}

fn read_shipping(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    depth: Depth,
) -> Result<Vec<QuotedFee>, Error> {
    let items = fields::array(value, path)?;
    try_collect(items.iter().enumerate().map(|(k, v)| {
        let kp = path.index(k);
        let so = Obj::new(v, &kp, SHIPPING_FIELDS)?;
        Ok(QuotedFee {
            store: so.read("store", fields::id)?,
            ship_to: so.read_opt("ship_to", fields::id)?,
            fee: so.read("fee", |v, p| fields::quoted_money(v, p, scale))?,
            discounts: match depth {
                Depth::Fees => Vec::new(),
                Depth::Funding => so
                    .read_opt("discounts", |v, p| {
                        read_discounts(v, p, scale, &["promotion", "amount"])
                    })?
                    .unwrap_or_default(),
            },
        })
    }))
}

fn read_promotions(value: &Value, path: &Path<'_>) -> Result<Vec<QuotedPromotion>, Error> {
    let items = array_at_most(value, path, MAX_PROMOTIONS, "promotions")?;
    try_collect(items.iter().enumerate().map(|(k, v)| {
        let kp = path.index(k);
        let po = Obj::new(v, &kp, &["id", "stage", "funded_by", "coupon", "amount"])?;
        Ok(QuotedPromotion {
            id: po.read("id", fields::id)?,
            funded_by: po.read("funded_by", |v, p| {
                fields::name(v, p, "funded_by", Funder::from_name)
            })?,
        })
    }))
}

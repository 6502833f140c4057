//! Reading a quote document back: the input of `refund` and of `settle`.
//! The document must have the shape of a quote (unknown fields are errors;
//! the digest is not re-checked: the server that stores quotes is trusted
//! for that). A refund reads what it needs (lines and fees); a settlement
//! reads every discount too, and who funds each promotion.

use super::tender_doc::{self, QuotedShare, QuotedTender};
use crate::error::{Error, ErrorCode, Path};
use crate::input::cart::MAX_LINES;
use crate::input::fields::{self, array_at_most, Obj};
use crate::input::json::Value;
use crate::input::rules::MAX_PROMOTIONS;
use crate::output::document::{
    LineDiscount, PromotionTotal, Quote, QuoteLine, ShippingDiscount, ShippingFee,
};
use crate::values::{try_collect, Currency, Funder, Id, Money, Qty, MAX_QUOTED};

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
    /// Its tender shares (version 3), in the quote's tender order.
    pub tenders: Vec<QuotedShare>,
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
    /// Its tender shares (version 3).
    pub tenders: Vec<QuotedShare>,
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
    /// Its tenders (version 3; `None`: the quote has no `tenders`).
    pub tenders: Option<Vec<QuotedTender>>,
}

impl QuoteDoc {
    /// Read a quote document at `path`, as deep as `depth`.
    pub(crate) fn parse(value: &Value, path: &Path<'_>, depth: Depth) -> Result<QuoteDoc, Error> {
        let o = Obj::new(value, path, Quote::MEMBERS)?;
        let currency = o.read("currency", fields::currency)?;
        let scale = currency.scale();
        let tenders = o.read_opt("tenders", |v, p| tender_doc::read_tenders(v, p, scale))?;
        let listed = tenders.as_deref().unwrap_or_default();
        let lines = o.read("lines", |v, p| read_lines(v, p, scale, depth, listed))?;
        let promotions = match depth {
            Depth::Fees => Vec::new(),
            Depth::Funding => o.read("promotions", read_promotions)?,
        };
        let shipping = o
            .read_opt("shipping", |v, p| read_shipping(v, p, scale, depth, listed))?
            .unwrap_or_default();
        Ok(QuoteDoc {
            currency,
            lines,
            shipping,
            promotions,
            tenders,
        })
    }
}

impl QuoteDoc {
    /// The view of a typed quote (`quote`'s path is `path`), checked as the
    /// text reader checks a quote document: a caller may have changed the
    /// quote's public members, so every value the operations read is
    /// checked again (the currency code, the limits, distinct line ids,
    /// quantities, amounts at the currency's scale).
    pub(crate) fn of(quote: &Quote, path: &Path<'_>, depth: Depth) -> Result<QuoteDoc, Error> {
        let currency = fields::currency_of(&quote.currency, &path.key("currency"))?;
        let scale = currency.scale();
        let tenders = match &quote.tenders {
            Some(t) => Some(tender_doc::typed_tenders(t, &path.key("tenders"), scale)?),
            None => None,
        };
        let listed = tenders.as_deref().unwrap_or_default();
        let lines = typed_lines(&quote.lines, &path.key("lines"), scale, depth, listed)?;
        let promotions = path.key("promotions");
        if depth == Depth::Funding && quote.promotions.len() > MAX_PROMOTIONS {
            return Err(promotions.too_many(MAX_PROMOTIONS, "promotions"));
        }
        let shipping = path.key("shipping");
        let fees = quote.shipping.iter().enumerate();
        let fee = |(k, f)| QuotedFee::of(f, &shipping.index(k), scale, depth, listed);
        Ok(QuoteDoc {
            currency,
            lines,
            shipping: try_collect(fees.map(fee))?,
            promotions: quote
                .promotions
                .iter()
                .map(|p| QuotedPromotion {
                    id: p.id.clone(),
                    funded_by: p.funded_by,
                })
                .collect(),
            tenders,
        })
    }
}

/// An amount of a typed quote, checked as the reader checks its text.
fn amount(m: Money, path: &Path<'_>, scale: u32) -> Result<Money, Error> {
    m.checked(scale, MAX_QUOTED)
        .map_err(|why| path.err(ErrorCode::InvalidAmount, why))
}

/// The lines of a typed quote at `path`, checked as [`read_lines`] checks
/// their text (as deep as `depth`: a refund reads no `list` or discounts).
fn typed_lines(
    lines: &[QuoteLine],
    path: &Path<'_>,
    scale: u32,
    depth: Depth,
    listed: &[QuotedTender],
) -> Result<Vec<QuotedLine>, Error> {
    if lines.len() > MAX_LINES {
        return Err(path.too_many(MAX_LINES, "lines"));
    }
    let mut out: Vec<QuotedLine> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let ip = path.index(i);
        check_new_line(&out, &l.id, &ip.key("id"))?;
        if l.qty.get() < 1 {
            return Err(fields::qty_out_of_range(&ip.key("qty"), 1));
        }
        let funding = depth == Depth::Funding;
        let discounts = ip.key("discounts");
        let given = if funding { l.discounts.as_slice() } else { &[] };
        let shares = given.iter().enumerate().map(|(j, d)| {
            Ok::<_, Error>(QuotedDiscount {
                promotion: d.promotion.clone(),
                amount: amount(d.amount, &discounts.index(j).key("amount"), scale)?,
            })
        });
        out.push(QuotedLine {
            id: l.id.clone(),
            store: l.store.clone(),
            ship_to: l.ship_to.clone(),
            qty: l.qty,
            list: match funding {
                true => Some(amount(l.list, &ip.key("list"), scale)?),
                false => None,
            },
            final_amount: amount(l.final_amount, &ip.key("final"), scale)?,
            discounts: try_collect(shares)?,
            tenders: tender_doc::typed_shares(
                l.tenders.as_deref(),
                &ip.key("tenders"),
                scale,
                listed,
            )?,
        });
    }
    Ok(out)
}

/// A line id not yet among `lines`: else `duplicate_id` at `path`.
fn check_new_line(lines: &[QuotedLine], id: &Id, path: &Path<'_>) -> Result<(), Error> {
    if lines.iter().any(|l| &l.id == id) {
        return Err(path.err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
    }
    Ok(())
}

impl QuotedFee {
    /// The view of a typed shipping entry at `path`, its amounts checked.
    fn of(
        fee: &ShippingFee,
        path: &Path<'_>,
        scale: u32,
        depth: Depth,
        listed: &[QuotedTender],
    ) -> Result<QuotedFee, Error> {
        let list = path.key("discounts");
        let given = match depth {
            Depth::Funding => fee.discounts.as_deref().unwrap_or_default(),
            Depth::Fees => &[],
        };
        let discounts = given.iter().enumerate().map(|(j, d)| {
            Ok::<_, Error>(QuotedDiscount {
                promotion: d.promotion.clone(),
                amount: amount(d.amount, &list.index(j).key("amount"), scale)?,
            })
        });
        Ok(QuotedFee {
            store: fee.store.clone(),
            ship_to: fee.ship_to.clone(),
            fee: amount(fee.fee, &path.key("fee"), scale)?,
            discounts: try_collect(discounts)?,
            tenders: tender_doc::typed_shares(
                fee.tenders.as_deref(),
                &path.key("tenders"),
                scale,
                listed,
            )?,
        })
    }
}

fn read_lines(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    depth: Depth,
    listed: &[QuotedTender],
) -> Result<Vec<QuotedLine>, Error> {
    let items = array_at_most(value, path, MAX_LINES, "lines")?;
    let mut lines: Vec<QuotedLine> = Vec::with_capacity(items.len());
    let money = |v: &Value, p: &Path<'_>| fields::quoted_money(v, p, scale);
    for (i, lv) in items.iter().enumerate() {
        let ip = path.index(i);
        let lo = Obj::new(lv, &ip, QuoteLine::MEMBERS)?;
        let id = lo.read("id", |v, p| {
            let id = fields::id(v, p)?;
            check_new_line(&lines, &id, p).map(|()| id)
        })?;
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
                    read_discounts(v, p, scale, LineDiscount::MEMBERS)
                })?
            } else {
                Vec::new()
            },
            tenders: lo
                .read_opt("tenders", |v, p| {
                    tender_doc::read_shares(v, p, scale, listed)
                })?
                .unwrap_or_default(),
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
    listed: &[QuotedTender],
) -> Result<Vec<QuotedFee>, Error> {
    let items = fields::array(value, path)?;
    try_collect(items.iter().enumerate().map(|(k, v)| {
        let kp = path.index(k);
        let so = Obj::new(v, &kp, ShippingFee::MEMBERS)?;
        Ok(QuotedFee {
            store: so.read("store", fields::id)?,
            ship_to: so.read_opt("ship_to", fields::id)?,
            fee: so.read("fee", |v, p| fields::quoted_money(v, p, scale))?,
            discounts: match depth {
                Depth::Fees => Vec::new(),
                Depth::Funding => so
                    .read_opt("discounts", |v, p| {
                        read_discounts(v, p, scale, ShippingDiscount::MEMBERS)
                    })?
                    .unwrap_or_default(),
            },
            tenders: so
                .read_opt("tenders", |v, p| {
                    tender_doc::read_shares(v, p, scale, listed)
                })?
                .unwrap_or_default(),
        })
    }))
}

fn read_promotions(value: &Value, path: &Path<'_>) -> Result<Vec<QuotedPromotion>, Error> {
    let items = array_at_most(value, path, MAX_PROMOTIONS, "promotions")?;
    try_collect(items.iter().enumerate().map(|(k, v)| {
        let kp = path.index(k);
        let po = Obj::new(v, &kp, PromotionTotal::MEMBERS)?;
        Ok(QuotedPromotion {
            id: po.read("id", fields::id)?,
            funded_by: po.read("funded_by", |v, p| {
                fields::name(v, p, "funded_by", Funder::from_name)
            })?,
        })
    }))
}

//! Reading a quote's tenders back (contract section 8, version 3): the
//! quote's `tenders` entries and the tender shares of its lines and
//! shipping entries, as text or from a typed quote, for refunds and
//! settlement.

use crate::error::{Error, ErrorCode, Path};
use crate::input::fields::{self, Obj};
use crate::input::json::{Number, Value};
use crate::input::tender::MAX_CART_TENDERS;
use crate::output::document::{QuoteTender, TenderShare};
use crate::values::{Id, Money, TenderFunder, TenderKind, MAX_POINTS, MAX_QUOTED};

/// An entry of a quote's `tenders`.
#[derive(Clone, Debug)]
pub(crate) struct QuotedTender {
    /// The tender's id.
    pub id: Id,
    /// Who funds it.
    pub funded_by: TenderFunder,
    /// What it paid.
    pub amount: Money,
    /// The points it used (a points tender).
    pub points: Option<u64>,
}

/// A tender's share of a line or a fee: the index of its tender in the
/// quote's `tenders`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QuotedShare {
    /// The tender's place in the quote's `tenders`.
    pub tender: usize,
    /// What it paid of the line or fee.
    pub amount: Money,
}

/// The quote's `tenders` member read from its text.
pub(crate) fn read_tenders(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
) -> Result<Vec<QuotedTender>, Error> {
    let items = fields::array_at_most(value, path, MAX_CART_TENDERS, "tenders")?;
    let mut out: Vec<QuotedTender> = Vec::with_capacity(items.len());
    for (k, v) in items.iter().enumerate() {
        let kp = path.index(k);
        let o = Obj::new(v, &kp, QuoteTender::MEMBERS)?;
        let id = o.read("id", |v, p| new_id(&out, fields::id(v, p)?, p))?;
        let kind = o.read("kind", |v, p| {
            let s = fields::string(v, p, "kind")?;
            TenderKind::from_name(s)
                .ok_or_else(|| p.err(ErrorCode::InvalidTender, "kind is points or credit"))
        })?;
        let funded_by = o.read("funded_by", |v, p| {
            let s = fields::string(v, p, "funded_by")?;
            TenderFunder::from_name(s).ok_or_else(|| funder_error(p))
        })?;
        let amount = o.read("amount", |v, p| fields::quoted_money(v, p, scale))?;
        let points = match kind {
            TenderKind::Points => Some(o.read("points", points)?),
            _ => o.read_opt("points", points)?,
        };
        o.read_opt("reason", |v, p| fields::string(v, p, "reason").map(|_| ()))?;
        out.push(QuotedTender {
            id,
            funded_by,
            amount,
            points,
        });
    }
    Ok(out)
}

/// `funded_by` other than the four funders.
fn funder_error(p: &Path<'_>) -> Error {
    p.err(
        ErrorCode::InvalidTender,
        "funded_by is buyer, store, platform or government",
    )
}

/// A count of points read back.
fn points(v: &Value, p: &Path<'_>) -> Result<u64, Error> {
    match v {
        Value::Number(Number::Int(n)) => u64::try_from(*n).ok().filter(|n| *n <= MAX_POINTS),
        _ => None,
    }
    .ok_or_else(|| p.err(ErrorCode::InvalidQuantity, "points is an integer from 0"))
}

/// `id` when no earlier entry has it (`duplicate_id` at `path`).
fn new_id(earlier: &[QuotedTender], id: Id, path: &Path<'_>) -> Result<Id, Error> {
    if earlier.iter().any(|t| t.id == id) {
        return Err(path.err(
            ErrorCode::DuplicateId,
            format!("tender '{id}' listed twice"),
        ));
    }
    Ok(id)
}

/// The quote's `tenders` of a typed quote, checked as the text is.
pub(crate) fn typed_tenders(
    tenders: &[QuoteTender],
    path: &Path<'_>,
    scale: u32,
) -> Result<Vec<QuotedTender>, Error> {
    if tenders.len() > MAX_CART_TENDERS {
        return Err(path.too_many(MAX_CART_TENDERS, "tenders"));
    }
    let mut out: Vec<QuotedTender> = Vec::with_capacity(tenders.len());
    for (k, t) in tenders.iter().enumerate() {
        let kp = path.index(k);
        let id = new_id(&out, t.id.clone(), &kp.key("id"))?;
        if t.kind == TenderKind::Points && t.points.is_none() {
            return Err(kp
                .key("points")
                .err(ErrorCode::MissingField, "missing field 'points'"));
        }
        out.push(QuotedTender {
            id,
            funded_by: t.funded_by,
            amount: checked(t.amount, &kp.key("amount"), scale)?,
            points: t.points.map(|p| p.get()),
        });
    }
    Ok(out)
}

/// An amount of a typed quote, checked as the reader checks its text.
fn checked(m: Money, path: &Path<'_>, scale: u32) -> Result<Money, Error> {
    m.checked(scale, MAX_QUOTED)
        .map_err(|why| path.err(ErrorCode::InvalidAmount, why))
}

/// The shares at `path` (a line's or a shipping entry's `tenders`) read
/// from text, each naming a tender of `tenders` once.
pub(crate) fn read_shares(
    value: &Value,
    path: &Path<'_>,
    scale: u32,
    tenders: &[QuotedTender],
) -> Result<Vec<QuotedShare>, Error> {
    let items = fields::array(value, path)?;
    let mut out: Vec<QuotedShare> = Vec::with_capacity(items.len());
    for (j, v) in items.iter().enumerate() {
        let jp = path.index(j);
        let o = Obj::new(v, &jp, TenderShare::MEMBERS)?;
        let tender = o.read("tender", |v, p| find(&out, tenders, &fields::id(v, p)?, p))?;
        let amount = o.read("amount", |v, p| fields::quoted_money(v, p, scale))?;
        out.push(QuotedShare { tender, amount });
    }
    Ok(out)
}

/// The shares of a typed line or shipping entry, checked as the text is.
pub(crate) fn typed_shares(
    shares: Option<&[TenderShare]>,
    path: &Path<'_>,
    scale: u32,
    tenders: &[QuotedTender],
) -> Result<Vec<QuotedShare>, Error> {
    let mut out: Vec<QuotedShare> = Vec::new();
    for (j, s) in shares.unwrap_or_default().iter().enumerate() {
        let jp = path.index(j);
        let tender = find(&out, tenders, &s.tender, &jp.key("tender"))?;
        let amount = checked(s.amount, &jp.key("amount"), scale)?;
        out.push(QuotedShare { tender, amount });
    }
    Ok(out)
}

/// The place of tender `id` in `tenders`, not yet among `earlier`.
fn find(
    earlier: &[QuotedShare],
    tenders: &[QuotedTender],
    id: &Id,
    path: &Path<'_>,
) -> Result<usize, Error> {
    let ix = tenders.iter().position(|t| &t.id == id).ok_or_else(|| {
        path.err(
            ErrorCode::InvalidId,
            format!("the quote's tenders do not list '{id}'"),
        )
    })?;
    if earlier.iter().any(|s| s.tender == ix) {
        return Err(path.err(
            ErrorCode::DuplicateId,
            format!("tender '{id}' has two shares here"),
        ));
    }
    Ok(ix)
}

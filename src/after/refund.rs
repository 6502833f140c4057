//! 退款: refunding returned units from a quote (contract section 7).
//!
//! Returning k units of a line, of which r were returned before, refunds
//! units r+1 .. r+k of the line's `final` split into `qty` unit shares:
//! every unit gets `floor(final / qty)` to the cent and the leftover cents
//! go one each to the last units, so returning every unit refunds exactly
//! `final`. A shipping group's fee (a store's lines to one address) is
//! refunded by the request that returns at least one of its units and
//! leaves none of them unreturned.

use super::quote_doc::{Depth, QuoteDoc, QuotedFee, QuotedLine};
use super::tender_doc::QuotedShare;
use crate::error::{Error, ErrorCode, Path};
use crate::input::fields::{self, Obj};
use crate::input::json::Value;
use crate::output::document::{Quote, TenderShare};
use crate::schema::shape;
use crate::values::{Id, Money, Points, Qty};
use crate::wire::document;

document! {
    /// What a refund request pays back.
    pub struct Refund {
        /// Per returned line, in request order.
        "lines" => lines: Vec<LineRefund>,
        /// The shipping fees refunded, in the quote's shipping order. Fees of 0
        /// are not listed.
        "shipping" => shipping: Vec<ShippingRefund>,
        /// Version 3, only when the quote has `tenders`: what each tender of the quote that paid
        /// something gets back in kind, in the quote's order (even 0).
        "tenders" => tenders: Option<Vec<TenderRefund>>,
        /// Version 3, only when the quote has `tenders`: `total` minus the tenders' amounts, what
        /// is paid back in money.
        "cash" => cash: Option<Money>,
        /// The sum of the lines and the shipping refunded.
        "total" => total: Money,
    }
}

document! {
    /// The refund of one line's returned units.
    pub struct LineRefund {
        /// Line id.
        "line" => line: Id,
        /// The returned units' shares of the line's final, to the cent.
        "amount" => amount: Money,
        /// Version 3: what of it goes back to each tender, in kind (non-zero parts, in the
        /// quote's tender order; only when there is one).
        "tenders" => tenders: Option<Vec<TenderShare>>,
    }
}

document! {
    /// What one tender of the quote gets back from a refund.
    pub struct TenderRefund {
        /// The tender's id.
        "tender" => tender: Id,
        /// The money given back to it, summed over the request.
        "amount" => amount: Money,
        /// A points tender only: the points given back, rounded down.
        "points" => points: Option<Points>,
    }
}

document! {
    /// A refunded shipping fee.
    pub struct ShippingRefund {
        /// Store id.
        "store" => store: Id,
        /// The address, for a group of lines with one.
        "ship_to" => ship_to: Option<Id>,
        /// The fee refunded.
        "amount" => amount: Money,
        /// Version 3: the group's tender shares, given back whole (only when there is one).
        "tenders" => tenders: Option<Vec<TenderShare>>,
    }
}

shape! {
    /// What `refund` takes (退款): a quote and the units returned.
    const FIELDS, fn refund_input_shape = "RefundInput" {
        /// The quote the order was placed with. Its digest is not re-checked.
        "quote" req Ref("Quote"),
        /// Per line: `qty` units returned now (0 only states earlier returns), after
        /// `returned_before` units returned earlier (default 0).
        "returns" req array(Ref("Return")),
    }
}
shape! {
    /// One line's returned units.
    const RETURN_FIELDS, fn return_shape = "Return" {
        /// The line's id in the quote.
        "line" req Id,
        /// Units returned now (0 only states earlier returns).
        "qty" req Count,
        /// Units of the line returned earlier. Default 0.
        "returned_before" opt Count,
    }
}

/// A return in a refund request: `qty` units of a quote's line, of which
/// `returned_before` were refunded by earlier requests.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Return {
    /// The line's id in the quote.
    pub line: Id,
    /// Units returned now.
    pub qty: Qty,
    /// Units of the line returned by earlier requests.
    pub returned_before: Qty,
}

impl Return {
    /// `qty` units of `line` returned, after `returned_before` earlier.
    pub fn new(line: Id, qty: Qty, returned_before: Qty) -> Return {
        Return {
            line,
            qty,
            returned_before,
        }
    }
}

/// A checked return: `qty` units of a line of the quote, after `before`.
#[derive(Clone, Copy, Debug)]
struct Checked<'q> {
    line: &'q QuotedLine,
    qty: Qty,
    before: Qty,
}

/// The refund for units `before+1 ..= before+k` of a line of `qty` units
/// whose final is `final_amount`.
pub(crate) fn units_refund(final_amount: Money, qty: Qty, before: Qty, k: Qty) -> Money {
    let scale = final_amount.scale();
    let total = final_amount.minor();
    // n >= 1; amounts and counts are bounded by the contract's limits, so
    // the saturating operations never saturate.
    let n = i128::from(qty.get().max(1));
    let unit = total.div_euclid(n);
    let leftover = total.rem_euclid(n); // the last `leftover` units get +1
    let first_plus = n.saturating_sub(leftover); // units numbered > first_plus get +1
    let from = i128::from(before.get()); // exclusive
    let to = from.saturating_add(i128::from(k.get())); // inclusive
    let plus = to.min(n).saturating_sub(from.max(first_plus)).max(0);
    Money::from_minor(
        unit.saturating_mul(i128::from(k.get()))
            .saturating_add(plus),
        scale,
    )
}

/// Refund `returns` of a typed quote (`crate::refund`).
pub(crate) fn refund(quote: &Quote, returns: &[Return]) -> Result<Refund, Error> {
    let root = Path::ROOT;
    let doc = QuoteDoc::of(quote, &root.key("quote"), Depth::Fees)?;
    let list = root.key("returns");
    let mut checked: Vec<Checked<'_>> = Vec::with_capacity(returns.len());
    for (j, r) in returns.iter().enumerate() {
        let jp = list.index(j);
        let line = find_line(&doc, &checked, &r.line, &jp.key("line"))?;
        check_before(line, r.returned_before, &jp.key("returned_before"))?;
        let c = check_count(line, r.qty, r.returned_before, &jp)?;
        checked.push(c);
    }
    Ok(refund_checked(&doc, &checked))
}

/// Read a refund request `{"quote": ..., "returns": [...]}` and compute it.
pub(crate) fn refund_value(value: &Value) -> Result<Refund, Error> {
    let root = Path::ROOT;
    let o = Obj::new(value, &root, FIELDS)?;
    let quote = o.read("quote", |v, p| QuoteDoc::parse(v, p, Depth::Fees))?;
    let returns = o.read("returns", |v, p| read_returns(v, p, &quote))?;
    Ok(refund_checked(&quote, &returns))
}

/// The refund of checked returns of `quote`.
fn refund_checked(quote: &QuoteDoc, returns: &[Checked<'_>]) -> Refund {
    let zero = quote.currency.zero();
    let listed = quote.tenders.as_deref().unwrap_or_default();
    let mut back: Vec<Money> = vec![zero; listed.len()];
    let mut total = zero;
    let lines = returns
        .iter()
        .map(|r| {
            let amount = units_refund(r.line.final_amount, r.line.qty, r.before, r.qty);
            total = total.plus(amount);
            let parts = unit_tenders(r, zero);
            LineRefund {
                line: r.line.id.clone(),
                amount,
                tenders: given_back(quote, &parts, &mut back),
            }
        })
        .collect();
    let mut shipping = Vec::new();
    for fee in quote.shipping.iter().filter(|f| !f.fee.is_zero()) {
        if completes(quote, returns, fee) {
            total = total.plus(fee.fee);
            shipping.push(ShippingRefund {
                store: fee.store.clone(),
                ship_to: fee.ship_to.clone(),
                amount: fee.fee,
                tenders: given_back(quote, &fee.tenders, &mut back),
            });
        }
    }
    let tenders = quote.tenders.as_ref().map(|listed| {
        listed
            .iter()
            .zip(&back)
            .filter(|(t, _)| !t.amount.is_zero())
            .map(|(t, amount)| TenderRefund {
                tender: t.id.clone(),
                amount: *amount,
                points: t.points.map(|p| {
                    let paid = t.amount.minor().max(1);
                    let n = amount
                        .minor()
                        .saturating_mul(i128::from(p))
                        .div_euclid(paid);
                    Points(u64::try_from(n).unwrap_or(0))
                }),
            })
            .collect::<Vec<_>>()
    });
    let cash = tenders
        .as_ref()
        .map(|ts| ts.iter().fold(total, |c, t| c.minus(t.amount)));
    Refund {
        lines,
        shipping,
        tenders,
        cash,
        total,
    }
}

/// What the returned units of a line give back to each of its tenders:
/// unit j gives tender k `u_j(C_k) - u_j(C_(k-1))`, with `C_k` the line's
/// shares summed up to tender k in the quote's tender order.
fn unit_tenders(r: &Checked<'_>, zero: Money) -> Vec<QuotedShare> {
    let mut shares = r.line.tenders.clone();
    crate::values::sort_by_key(&mut shares, |s| s.tender);
    let mut cumulative = zero;
    let mut before = zero;
    shares
        .iter()
        .map(|s| {
            cumulative = cumulative.plus(s.amount);
            let upto = units_refund(cumulative, r.line.qty, r.before, r.qty);
            let part = upto.minus(before);
            before = upto;
            QuotedShare {
                tender: s.tender,
                amount: part,
            }
        })
        .collect()
}

/// The non-zero parts of `parts` as a refund's tender shares (`None` when
/// there is none), each added to its tender's sum in `back`.
fn given_back(
    quote: &QuoteDoc,
    parts: &[QuotedShare],
    back: &mut [Money],
) -> Option<Vec<TenderShare>> {
    let listed = quote.tenders.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    for p in parts.iter().filter(|p| !p.amount.is_zero()) {
        let (Some(t), Some(sum)) = (listed.get(p.tender), back.get_mut(p.tender)) else {
            continue;
        };
        *sum = sum.plus(p.amount);
        out.push(TenderShare {
            tender: t.id.clone(),
            amount: p.amount,
        });
    }
    (!out.is_empty()).then_some(out)
}

/// Whether the request returns at least one unit of the shipping group of
/// `fee` (its store's lines to its address) and leaves none of the group's
/// units unreturned.
fn completes(quote: &QuoteDoc, returns: &[Checked<'_>], fee: &QuotedFee) -> bool {
    let mut returns_a_unit = false;
    let in_group = |l: &&QuotedLine| l.store == fee.store && l.ship_to == fee.ship_to;
    let all_returned = quote.lines.iter().filter(in_group).all(|l| {
        match returns.iter().find(|r| std::ptr::eq(r.line, l)) {
            None => false,
            Some(r) => {
                returns_a_unit |= r.qty.get() > 0;
                r.before.get().saturating_add(r.qty.get()) == l.qty.get()
            }
        }
    });
    all_returned && returns_a_unit
}

/// The returns of a request: each of a line of the quote, at most once,
/// never more units than were bought. Each value is checked as soon as it
/// is read, so that the first fault in document order is the one reported.
fn read_returns<'q>(
    value: &Value,
    path: &Path<'_>,
    quote: &'q QuoteDoc,
) -> Result<Vec<Checked<'q>>, Error> {
    let items = fields::array(value, path)?;
    let mut returns: Vec<Checked<'q>> = Vec::with_capacity(items.len());
    for (j, rv) in items.iter().enumerate() {
        let jp = path.index(j);
        let ro = Obj::new(rv, &jp, RETURN_FIELDS)?;
        let line = ro.read("line", |v, p| {
            find_line(quote, &returns, &fields::id(v, p)?, p)
        })?;
        let qty = ro.read("qty", |v, p| fields::qty(v, p, 0))?;
        let before = ro
            .read_opt("returned_before", |v, p| {
                let before = fields::qty(v, p, 0)?;
                check_before(line, before, p).map(|()| before)
            })?
            .unwrap_or_default();
        returns.push(check_count(line, qty, before, &jp)?);
    }
    Ok(returns)
}

/// The quote's line `id`, not returned yet in this request.
fn find_line<'q>(
    quote: &'q QuoteDoc,
    returns: &[Checked<'q>],
    id: &Id,
    path: &Path<'_>,
) -> Result<&'q QuotedLine, Error> {
    let line =
        quote.lines.iter().find(|l| &l.id == id).ok_or_else(|| {
            path.err(ErrorCode::InvalidId, format!("no line '{id}' in the quote"))
        })?;
    if returns.iter().any(|r| std::ptr::eq(r.line, line)) {
        return Err(path.err(
            ErrorCode::DuplicateId,
            format!("line '{id}' returned twice in one request"),
        ));
    }
    Ok(line)
}

/// `returned_before` is at most the units bought.
fn check_before(line: &QuotedLine, before: Qty, path: &Path<'_>) -> Result<(), Error> {
    if before > line.qty {
        return Err(path.err(
            ErrorCode::InvalidQuantity,
            "more units returned before than were bought",
        ));
    }
    Ok(())
}

/// The return, when it returns no more units than remain (`path` is the
/// return's, the fault its `qty`'s).
fn check_count<'q>(
    line: &'q QuotedLine,
    qty: Qty,
    before: Qty,
    path: &Path<'_>,
) -> Result<Checked<'q>, Error> {
    if before.get().saturating_add(qty.get()) > line.qty.get() {
        return Err(path.key("qty").err(
            ErrorCode::InvalidQuantity,
            "returning more units than were bought",
        ));
    }
    Ok(Checked { line, qty, before })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_shares() {
        let m = |c| Money::from_minor(c, 2);
        let q = |n| Qty::new(n).unwrap();
        // 100.00 over 3 units: 33.33, 33.33, 33.34.
        assert_eq!(units_refund(m(10000), q(3), q(0), q(1)), m(3333));
        assert_eq!(units_refund(m(10000), q(3), q(2), q(1)), m(3334));
        assert_eq!(units_refund(m(10000), q(3), q(0), q(3)), m(10000));
        // 100.00 over 7: 14.28 each, last 4 get 14.29.
        assert_eq!(units_refund(m(10000), q(7), q(2), q(3)), m(4286));
        assert_eq!(units_refund(m(10000), q(7), q(0), q(7)), m(10000));
        assert_eq!(units_refund(m(10000), q(7), q(3), q(0)), m(0));
    }
}

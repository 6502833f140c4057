//! 退款: refunding returned units from a quote (contract section 7).
//!
//! Returning k units of a line, of which r were returned before, refunds
//! units r+1 .. r+k of the line's `final` split into `qty` unit shares:
//! every unit gets `floor(final / qty)` to the cent and the leftover cents
//! go one each to the last units, so returning every unit refunds exactly
//! `final`. A store's fee is refunded by the request that returns at least
//! one of its units and leaves none of them unreturned.
//!
//! The refund reads only what it needs of the quote (currency, lines,
//! shipping), but the quote must still be a well-formed quote document.

use crate::error::{Error, ErrorCode, Path};
use crate::ids::Id;
use crate::json::{self, Obj, Value};
use crate::money::{parse_qty, Currency, Money, Qty};
use serde::Serialize;

/// What a refund request pays back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refund {
    /// Per returned line, in request order.
    pub lines: Vec<LineRefund>,
    /// Shipping fees refunded, in the quote's shipping order.
    pub shipping: Vec<ShippingRefund>,
    /// Sum of the above.
    pub total: Money,
}

/// The refund of one line's returned units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineRefund {
    /// Line id.
    pub line: Id,
    /// Amount refunded.
    pub amount: Money,
}

/// A refunded shipping fee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShippingRefund {
    /// Store id.
    pub store: Id,
    /// The fee refunded.
    pub amount: Money,
}

/// The fields of a quote document that a refund reads.
#[derive(Clone, Debug)]
pub(crate) struct QuotedLine {
    pub id: Id,
    pub store: Id,
    pub qty: Qty,
    pub final_amount: Money,
}

/// A return: `qty` units of `line`, after `returned_before`.
#[derive(Clone, Debug)]
struct Return {
    line: usize,
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
    let n = i128::from(qty.max(1));
    let unit = total.div_euclid(n);
    let leftover = total.rem_euclid(n); // the last `leftover` units get +1
    let first_plus = n.saturating_sub(leftover); // units numbered > first_plus get +1
    let from = i128::from(before); // exclusive
    let to = i128::from(before).saturating_add(i128::from(k)); // inclusive
    let plus = to.min(n).saturating_sub(from.max(first_plus)).max(0);
    Money::from_minor(
        unit.saturating_mul(i128::from(k)).saturating_add(plus),
        scale,
    )
}

/// Parse a refund request `{"quote": ..., "returns": [...]}` and compute it.
pub fn refund_value(value: &Value) -> Result<Refund, Error> {
    let root = Path::ROOT;
    let o = Obj::new(value, &root, &["quote", "returns"])?;
    let qp = root.key("quote");
    let (currency, lines, shipping) = parse_quote(o.req("quote")?, &qp)?;
    let zero = currency.zero();

    let rp = root.key("returns");
    let items = json::array(o.req("returns")?, &rp)?;
    let mut returns: Vec<Return> = Vec::with_capacity(items.len());
    for (j, rv) in items.iter().enumerate() {
        let jp = rp.index(j);
        let ro = Obj::new(rv, &jp, &["line", "qty", "returned_before"])?;
        let lpath = jp.key("line");
        let id = Id::parse(ro.req("line")?, &lpath)?;
        let Some(li) = lines.iter().position(|l| l.id == id) else {
            return Err(lpath.err(ErrorCode::InvalidId, format!("no line '{id}' in the quote")));
        };
        if returns.iter().any(|r| r.line == li) {
            return Err(lpath.err(
                ErrorCode::DuplicateId,
                format!("line '{id}' returned twice in one request"),
            ));
        }
        let qpath = jp.key("qty");
        let qty = parse_qty(ro.req("qty")?, &qpath, 0)?;
        let bpath = jp.key("returned_before");
        let before = match ro.get("returned_before") {
            None => 0,
            Some(v) => parse_qty(v, &bpath, 0)?,
        };
        let bought = lines.get(li).map_or(0, |l| l.qty);
        if before > bought {
            return Err(bpath.err(
                ErrorCode::InvalidQuantity,
                "more units returned before than were bought",
            ));
        }
        if before.saturating_add(qty) > bought {
            return Err(qpath.err(
                ErrorCode::InvalidQuantity,
                "returning more units than were bought",
            ));
        }
        returns.push(Return {
            line: li,
            qty,
            before,
        });
    }

    let mut out_lines = Vec::with_capacity(returns.len());
    let mut total = zero;
    for r in &returns {
        let Some(l) = lines.get(r.line) else { continue };
        let amount = units_refund(l.final_amount, l.qty, r.before, r.qty);
        total = total.plus(amount);
        out_lines.push(LineRefund {
            line: l.id.clone(),
            amount,
        });
    }

    let mut out_shipping = Vec::new();
    for (store, fee) in &shipping {
        if fee.is_zero() {
            continue;
        }
        let mut returns_a_unit = false;
        let completes = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| &l.store == store)
            .all(|(li, l)| match returns.iter().find(|r| r.line == li) {
                None => false,
                Some(r) => {
                    returns_a_unit |= r.qty > 0;
                    r.before.saturating_add(r.qty) == l.qty
                }
            });
        if completes && returns_a_unit {
            total = total.plus(*fee);
            out_shipping.push(ShippingRefund {
                store: store.clone(),
                amount: *fee,
            });
        }
    }

    Ok(Refund {
        lines: out_lines,
        shipping: out_shipping,
        total,
    })
}

type QuoteParts = (Currency, Vec<QuotedLine>, Vec<(Id, Money)>);

/// Read the parts of a quote document a refund needs, checking that the
/// document has the shape of a quote.
pub(crate) fn parse_quote(value: &Value, path: &Path<'_>) -> Result<QuoteParts, Error> {
    let o = Obj::new(
        value,
        path,
        &[
            "currency",
            "lines",
            "promotions",
            "shipping",
            "coupons",
            "hints",
            "totals",
            "digest",
        ],
    )?;
    let currency = Currency::parse(o.req("currency")?, &path.key("currency"))?;
    let scale = currency.scale();
    let lp = path.key("lines");
    let items = json::array(o.req("lines")?, &lp)?;
    if items.len() > crate::cart::MAX_LINES {
        return Err(lp.err(ErrorCode::LimitExceeded, "more than 1000 lines"));
    }
    let mut lines: Vec<QuotedLine> = Vec::with_capacity(items.len());
    for (i, lv) in items.iter().enumerate() {
        let ip = lp.index(i);
        let lo = Obj::new(
            lv,
            &ip,
            &[
                "id",
                "store",
                "qty",
                "list",
                "final",
                "discounts",
                "deposit",
            ],
        )?;
        let id = Id::parse(lo.req("id")?, &ip.key("id"))?;
        if lines.iter().any(|l| l.id == id) {
            return Err(ip
                .key("id")
                .err(ErrorCode::DuplicateId, format!("duplicate line id '{id}'")));
        }
        let store = Id::parse(lo.req("store")?, &ip.key("store"))?;
        let qty = parse_qty(lo.req("qty")?, &ip.key("qty"), 1)?;
        let final_amount = Money::parse(lo.req("final")?, &ip.key("final"), scale)?;
        lines.push(QuotedLine {
            id,
            store,
            qty,
            final_amount,
        });
    }
    let mut shipping = Vec::new();
    if let Some(sv) = o.get("shipping") {
        let sp = path.key("shipping");
        for (k, v) in json::array(sv, &sp)?.iter().enumerate() {
            let kp = sp.index(k);
            let so = Obj::new(v, &kp, &["store", "fee"])?;
            let store = Id::parse(so.req("store")?, &kp.key("store"))?;
            let fee = Money::parse(so.req("fee")?, &kp.key("fee"), scale)?;
            shipping.push((store, fee));
        }
    }
    Ok((currency, lines, shipping))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_shares() {
        let m = |c| Money::from_minor(c, 2);
        // 100.00 over 3 units: 33.33, 33.33, 33.34.
        assert_eq!(units_refund(m(10000), 3, 0, 1), m(3333));
        assert_eq!(units_refund(m(10000), 3, 2, 1), m(3334));
        assert_eq!(units_refund(m(10000), 3, 0, 3), m(10000));
        // 100.00 over 7: 14.28 each, last 4 get 14.29.
        assert_eq!(units_refund(m(10000), 7, 2, 3), m(4286));
        assert_eq!(units_refund(m(10000), 7, 0, 7), m(10000));
        assert_eq!(units_refund(m(10000), 7, 3, 0), m(0));
    }
}

//! 价保: price protection after the order (contract section 7).
//!
//! Within `at <= at2 < at + price_protection_days * 24h` (the original
//! rules' period), the same cart is re-priced under the new rules at `at2`
//! with the held coupons plus the claimable ones and `apply: "best"`; each
//! line is owed the drop of its final, pro rata to its units not refunded,
//! floored to the cent (领券也能价保). Outside the window every claim is 0
//! with reason `expired`.

use crate::cart::{Apply, Cart};
use crate::error::{Error, ErrorCode, Path};
use crate::ids::Id;
use crate::json::{self, Obj, Value};
use crate::money::{parse_qty, Money};
use crate::quote::{quote, quote_at};
use crate::rules::Rules;
use crate::time::Instant;
use serde::Serialize;

/// What price protection owes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Protection {
    /// Per line, in cart order.
    pub lines: Vec<LineClaim>,
    /// Sum of the claims.
    pub total: Money,
}

/// One line's claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineClaim {
    /// Line id.
    pub line: Id,
    /// Amount owed.
    pub amount: Money,
    /// `expired` when asked outside the protection window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ClaimReason>,
}

/// Why a claim is zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimReason {
    /// Asked outside the protection window.
    Expired,
}

/// Parse a price-protection request and compute it.
pub fn protect_value(value: &Value) -> Result<Protection, Error> {
    let root = Path::ROOT;
    let o = Obj::new(
        value,
        &root,
        &["original", "rules", "at", "claimable", "refunded"],
    )?;

    let op = root.key("original");
    let oo = Obj::new(o.req("original")?, &op, &["rules", "cart"])?;
    let old_rules = Rules::parse(oo.req("rules")?, &op.key("rules"))?;
    let cart_path = op.key("cart");
    let cart = Cart::parse(oo.req("cart")?, &cart_path, old_rules.currency.scale())?;
    let Some(at) = cart.at.clone() else {
        return Err(cart_path.key("at").err(
            ErrorCode::MissingField,
            "price protection needs the original cart's at",
        ));
    };

    let new_rules = Rules::parse(o.req("rules")?, &root.key("rules"))?;
    if new_rules.currency != old_rules.currency {
        return Err(root.key("rules").key("currency").err(
            ErrorCode::InvalidAmount,
            "the new rules must use the original currency",
        ));
    }
    let at2 = Instant::parse(o.req("at")?, &root.key("at"))?;

    let mut coupons = cart.coupons.clone();
    if let Some(v) = o.get("claimable") {
        let cp = root.key("claimable");
        let items = json::array(v, &cp)?;
        for (j, cv) in items.iter().enumerate() {
            let id = Id::parse(cv, &cp.index(j))?;
            // A coupon both held and claimable is simply held.
            if !coupons.contains(&id) {
                coupons.push(id);
            }
        }
        if coupons.len() > crate::cart::MAX_COUPONS {
            return Err(cp.err(
                ErrorCode::LimitExceeded,
                "more than 200 held and claimable coupons",
            ));
        }
    }

    let mut refunded = vec![0u32; cart.lines.len()];
    if let Some(v) = o.get("refunded") {
        let rp = root.key("refunded");
        for (j, rv) in json::array(v, &rp)?.iter().enumerate() {
            let jp = rp.index(j);
            let ro = Obj::new(rv, &jp, &["line", "qty"])?;
            let lpath = jp.key("line");
            let id = Id::parse(ro.req("line")?, &lpath)?;
            let Some(li) = cart.lines.iter().position(|l| l.id == id) else {
                return Err(lpath.err(ErrorCode::InvalidId, format!("no line '{id}' in the cart")));
            };
            let qpath = jp.key("qty");
            let q = parse_qty(ro.req("qty")?, &qpath, 0)?;
            let bought = cart.lines.get(li).map_or(0, |l| l.qty);
            let Some(slot) = refunded.get_mut(li) else {
                continue;
            };
            if slot.saturating_add(q) > bought {
                return Err(qpath.err(
                    ErrorCode::InvalidQuantity,
                    "more units refunded than were bought",
                ));
            }
            *slot = slot.saturating_add(q);
        }
    }

    let old = quote_at(&old_rules, &cart, &cart_path)?;
    let zero = old_rules.currency.zero();
    let days = i64::from(old_rules.price_protection_days);
    let inside = at <= at2 && at2 < at.plus_seconds(days.saturating_mul(86_400));
    if !inside {
        let lines = cart
            .lines
            .iter()
            .map(|l| LineClaim {
                line: l.id.clone(),
                amount: zero,
                reason: Some(ClaimReason::Expired),
            })
            .collect();
        return Ok(Protection { lines, total: zero });
    }

    let new_cart = Cart {
        at: Some(at2),
        lines: cart.lines.clone(),
        coupons,
        apply: Apply::Best,
        scale: cart.scale,
    };
    let new = quote(&new_rules, &new_cart)?;

    let mut lines = Vec::with_capacity(cart.lines.len());
    let mut total = zero;
    for (i, l) in cart.lines.iter().enumerate() {
        let (Some(o), Some(n)) = (old.lines.get(i), new.lines.get(i)) else {
            continue;
        };
        let drop = o.final_amount.minus(n.final_amount).max_of(zero);
        let kept = i128::from(l.qty.saturating_sub(refunded.get(i).copied().unwrap_or(0)));
        // floor(drop * kept / qty) in minor units; all values non-negative
        // and the product far inside i128 (drop <= 10^17 cents, kept < 10^5).
        let owed = drop
            .minor()
            .saturating_mul(kept)
            .div_euclid(i128::from(l.qty.max(1)));
        let amount = Money::from_minor(owed, zero.scale());
        total = total.plus(amount);
        lines.push(LineClaim {
            line: l.id.clone(),
            amount,
            reason: None,
        });
    }
    Ok(Protection { lines, total })
}

//! 价保: price protection after the order (contract section 7).
//!
//! Within `at <= at2 < at + price_protection_days * 24h` (the original
//! rules' period), the same cart is re-priced under the new rules at `at2`
//! with the held coupons plus the claimable ones and `apply: "best"`; each
//! line is owed the drop of its final, pro rata to its units not refunded,
//! floored to the cent (领券也能价保). Outside the window every claim is 0
//! with reason `expired`.

use crate::error::{Error, ErrorCode, Path};
use crate::input::cart::{Apply, Cart, MAX_COUPONS};
use crate::input::fields::{self, Obj};
use crate::input::json::Value;
use crate::input::rules::Rules;
use crate::output::canonical::document;
use crate::output::quote_at;
use crate::values::{ClaimReason, Id, Instant, Money};

document! {
    /// What price protection owes.
    pub struct Protection {
        /// Per line, in cart order.
        "lines" => lines: Vec<LineClaim>,
        /// Sum of the claims.
        "total" => total: Money,
    }
}

document! {
    /// One line's claim.
    pub struct LineClaim {
        /// Line id.
        "line" => line: Id,
        /// Amount owed.
        "amount" => amount: Money,
        /// `expired` when asked outside the protection window.
        "reason" => reason: Option<ClaimReason>,
    }
}

/// The members of a price-protection request.
pub(crate) const FIELDS: &[&str] = &["original", "rules", "at", "claimable", "refunded"];
/// The members of a `refunded` entry.
pub(crate) const REFUNDED_FIELDS: &[&str] = &["line", "qty"];

/// A validated price-protection request.
struct Request {
    old_rules: Rules,
    cart: Cart,
    at: Instant,
    new_rules: Rules,
    at2: Instant,
    /// Held plus claimable coupons.
    coupons: Vec<Id>,
    /// Units refunded per line, in cart order.
    refunded: Vec<u32>,
}

/// Read a price-protection request and compute it.
pub(crate) fn protect_value(value: &Value) -> Result<Protection, Error> {
    let root = Path::ROOT;
    let r = read_request(value, &root)?;
    let cart_path = root.key("original");
    let cart_path = cart_path.key("cart");
    let old = quote_at(&r.old_rules, &r.cart, &cart_path)?;
    let zero = r.old_rules.currency.zero();
    let days = i64::from(r.old_rules.price_protection_days);
    let inside = r.at <= r.at2 && r.at2 < r.at.plus_seconds(days.saturating_mul(86_400));
    if !inside {
        let lines = r
            .cart
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
    // The same buyer, lines and addresses; the coupons held and claimable.
    let new_cart = Cart {
        at: Some(r.at2.clone()),
        buyer: r.cart.buyer.clone(),
        lines: r.cart.lines.clone(),
        coupons: r.coupons.clone(),
        apply: Apply::Best,
    };
    let new = quote_at(&r.new_rules, &new_cart, &root.key("cart"))?;
    let mut total = zero;
    let mut lines = Vec::with_capacity(r.cart.lines.len());
    for (((l, o), n), refunded) in r
        .cart
        .lines
        .iter()
        .zip(&old.lines)
        .zip(&new.lines)
        .zip(&r.refunded)
    {
        let drop = o.final_amount.minus(n.final_amount).max_of(zero);
        let kept = i128::from(l.qty.get().saturating_sub(*refunded));
        // floor(drop * kept / qty) in minor units; all values non-negative
        // and the product far inside i128 (drop <= 10^17 cents, kept < 10^5).
        let owed = drop
            .minor()
            .saturating_mul(kept)
            .div_euclid(i128::from(l.qty.get().max(1)));
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

/// Read and check the request's documents.
fn read_request(value: &Value, root: &Path<'_>) -> Result<Request, Error> {
    let o = Obj::new(value, root, FIELDS)?;
    let (old_rules, cart) = o.read("original", |v, op| {
        let oo = Obj::new(v, op, crate::input::QUOTE_FIELDS)?;
        let rules = oo.read("rules", Rules::parse)?;
        let cart = oo.read("cart", |v, p| Cart::parse(v, p, rules.currency.scale()))?;
        Ok((rules, cart))
    })?;
    let Some(at) = cart.at.clone() else {
        let op = root.key("original");
        let cp = op.key("cart");
        return Err(cp.key("at").err(
            ErrorCode::MissingField,
            "price protection needs the original cart's at",
        ));
    };
    let new_rules = o.read("rules", Rules::parse)?;
    if new_rules.currency != old_rules.currency {
        return Err(root.key("rules").key("currency").err(
            ErrorCode::InvalidAmount,
            "the new rules must use the original currency",
        ));
    }
    let at2 = o.read("at", fields::instant)?;
    let mut coupons = cart.coupons.clone();
    if let Some(claimable) = o.read_opt("claimable", fields::ids)? {
        for id in claimable {
            // A coupon both held and claimable is simply held.
            if !coupons.contains(&id) {
                coupons.push(id);
            }
        }
        if coupons.len() > MAX_COUPONS {
            return Err(root
                .key("claimable")
                .too_many(MAX_COUPONS, "held and claimable coupons"));
        }
    }
    let refunded = o
        .read_opt("refunded", |v, p| read_refunded(v, p, &cart))?
        .unwrap_or_else(|| vec![0; cart.lines.len()]);
    Ok(Request {
        old_rules,
        cart,
        at,
        new_rules,
        at2,
        coupons,
        refunded,
    })
}

/// `refunded`: units per line (entries for one line add up), never more
/// than were bought.
fn read_refunded(value: &Value, path: &Path<'_>, cart: &Cart) -> Result<Vec<u32>, Error> {
    let mut refunded = vec![0u32; cart.lines.len()];
    for (j, rv) in fields::array(value, path)?.iter().enumerate() {
        let jp = path.index(j);
        let ro = Obj::new(rv, &jp, REFUNDED_FIELDS)?;
        let li = ro.read("line", |v, p| {
            let id = fields::id(v, p)?;
            cart.lines
                .iter()
                .position(|l| l.id == id)
                .ok_or_else(|| p.err(ErrorCode::InvalidId, format!("no line '{id}' in the cart")))
        })?;
        let q = ro.read("qty", |v, p| fields::qty(v, p, 0))?;
        let bought = cart.lines.get(li).map_or(0, |l| l.qty.get());
        let Some(slot) = refunded.get_mut(li) else {
            continue;
        };
        if slot.saturating_add(q.get()) > bought {
            return Err(jp.key("qty").err(
                ErrorCode::InvalidQuantity,
                "more units refunded than were bought",
            ));
        }
        *slot = slot.saturating_add(q.get());
    }
    Ok(refunded)
}

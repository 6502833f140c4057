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
use crate::quote::quote_at;
use crate::schema::shape;
use crate::values::{ClaimReason, Id, Instant, Money, Qty};
use crate::wire::document;

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
        /// The drop of the line's final under the new rules, for its units not
        /// refunded, rounded down to the cent.
        "amount" => amount: Money,
        /// `expired` when asked outside the protection window.
        "reason" => reason: Option<ClaimReason>,
    }
}

shape! {
    /// What `protect` takes (价保): the original order, new rules and a new time.
    const FIELDS, fn protect_input_shape = "ProtectInput" {
        /// The input the order was quoted with. Its cart must have `at`.
        "original" req Ref("QuoteInput"),
        /// The new rules, in the original currency.
        "rules" req Ref("Rules"),
        /// The new time. Claims hold from the original `at` for the original rules'
        /// `price_protection_days`.
        "at" req Timestamp,
        /// Coupon ids the buyer can claim at the new time, added to the held ones (领券也能价保).
        "claimable" opt array(Id),
        /// Units of a line already refunded, which are owed nothing. Entries for one line add
        /// up.
        "refunded" opt array(Ref("RefundedUnits")),
    }
}
shape! {
    /// Units of one line already refunded.
    const REFUNDED_FIELDS, fn refunded_shape = "RefundedUnits" {
        /// The line's id in the original cart.
        "line" req Id,
        /// How many of its units.
        "qty" req Count,
    }
}

/// A price-protection request, typed (`crate::protect`): the order (its
/// rules and cart, whose `at` is when it was priced), the rules in force
/// now and when the buyer asks, the coupons the buyer could claim now, and
/// the units already refunded.
///
/// ```
/// use manjian::{Instant, ProtectRequest, Rules};
/// let old: Rules = r#"{"currency": "CNY"}"#.parse()?;
/// let new: Rules = r#"{"currency": "CNY", "promotions": [{"id": "sale", "kind": "markdown",
///     "stage": "item", "scope": {"skus": ["tea"]}, "price": "25.00"}]}"#.parse()?;
/// let cart = old.cart_from_str(r#"{"at": "2026-11-01T10:00:00+08:00", "lines": [
///     {"id": "L1", "sku": "tea", "store": "s1", "unit_price": "30.00", "qty": 2}]}"#)?;
/// let asked: Instant = "2026-11-11T00:00:00+08:00".parse()?;
/// let owed = manjian::protect(&ProtectRequest::new(&old, &cart, &new, &asked))?;
/// assert_eq!(owed.total.to_string(), "10.00");
/// # Ok::<(), manjian::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ProtectRequest<'a> {
    /// The rules the order was priced under.
    pub original_rules: &'a Rules,
    /// The order's cart, read against `original_rules`; it must have `at`.
    pub original_cart: &'a Cart,
    /// The rules in force when the buyer asks.
    pub rules: &'a Rules,
    /// When the buyer asks.
    pub at: &'a Instant,
    /// Coupons the buyer could claim now (领券也能价保).
    pub claimable: &'a [Id],
    /// Units already refunded, per line (entries for one line add up).
    pub refunded: &'a [RefundedUnits],
}

impl<'a> ProtectRequest<'a> {
    /// A request for the order `original_cart` priced under
    /// `original_rules`, asked at `at` under `rules`, with nothing
    /// claimable and nothing refunded.
    pub fn new(
        original_rules: &'a Rules,
        original_cart: &'a Cart,
        rules: &'a Rules,
        at: &'a Instant,
    ) -> ProtectRequest<'a> {
        ProtectRequest {
            original_rules,
            original_cart,
            rules,
            at,
            claimable: &[],
            refunded: &[],
        }
    }
}

/// Units of a line refunded before a price-protection request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefundedUnits {
    /// The line's id in the original cart.
    pub line: Id,
    /// Units refunded.
    pub qty: Qty,
}

impl RefundedUnits {
    /// `qty` units of `line` refunded.
    pub fn new(line: Id, qty: Qty) -> RefundedUnits {
        RefundedUnits { line, qty }
    }
}

/// A checked price-protection request.
struct Request<'r> {
    old_rules: &'r Rules,
    cart: &'r Cart,
    at: Instant,
    new_rules: &'r Rules,
    at2: Instant,
    /// Held plus claimable coupons.
    coupons: Vec<Id>,
    /// Units refunded per line, in cart order.
    refunded: Vec<u32>,
}

/// Price protection for a typed request (`crate::protect`).
pub(crate) fn protect(req: &ProtectRequest<'_>) -> Result<Protection, Error> {
    let root = Path::ROOT;
    let at = original_at(req.original_cart, &root)?;
    same_currency(req.original_rules, req.rules, &root)?;
    let coupons = with_claimable(req.original_cart, req.claimable, &root)?;
    let list = root.key("refunded");
    let mut refunded = vec![0u32; req.original_cart.lines.len()];
    for (j, r) in req.refunded.iter().enumerate() {
        let jp = list.index(j);
        let li = line_of(req.original_cart, &r.line, &jp.key("line"))?;
        add_refunded(&mut refunded, req.original_cart, li, r.qty, &jp)?;
    }
    compute(&Request {
        old_rules: req.original_rules,
        cart: req.original_cart,
        at,
        new_rules: req.rules,
        at2: req.at.clone(),
        coupons,
        refunded,
    })
}

/// Read a price-protection request and compute it.
pub(crate) fn protect_value(value: &Value) -> Result<Protection, Error> {
    let root = Path::ROOT;
    let o = Obj::new(value, &root, FIELDS)?;
    let (old_rules, cart) = o.read("original", |v, op| {
        let oo = Obj::new(v, op, crate::input::QUOTE_FIELDS)?;
        let rules = oo.read("rules", Rules::parse)?;
        let cart = oo.read("cart", |v, p| Cart::parse(v, p, &rules))?;
        Ok((rules, cart))
    })?;
    let at = original_at(&cart, &root)?;
    let new_rules = o.read("rules", Rules::parse)?;
    same_currency(&old_rules, &new_rules, &root)?;
    let at2 = o.read("at", fields::instant)?;
    let claimable = o.read_opt("claimable", fields::ids)?.unwrap_or_default();
    let coupons = with_claimable(&cart, &claimable, &root)?;
    let refunded = o
        .read_opt("refunded", |v, p| read_refunded(v, p, &cart))?
        .unwrap_or_else(|| vec![0; cart.lines.len()]);
    compute(&Request {
        old_rules: &old_rules,
        cart: &cart,
        at,
        new_rules: &new_rules,
        at2,
        coupons,
        refunded,
    })
}

/// Each line's claim under a checked request.
fn compute(r: &Request<'_>) -> Result<Protection, Error> {
    let root = Path::ROOT;
    let cart_path = root.key("original");
    let cart_path = cart_path.key("cart");
    let old = quote_at(r.old_rules, r.cart, &cart_path)?;
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
        addresses: r.cart.addresses.clone(),
        lines: r.cart.lines.clone(),
        coupons: r.coupons.clone(),
        apply: Apply::Best,
        claimable: None,
        tenders: None,
    };
    // Its lines are the original cart's: their faults under the new rules
    // (a template those lack) are reported there.
    let new = quote_at(r.new_rules, &new_cart, &cart_path)?;
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

/// The original cart's `at`, which price protection needs.
fn original_at(cart: &Cart, root: &Path<'_>) -> Result<Instant, Error> {
    cart.at.clone().ok_or_else(|| {
        let op = root.key("original");
        let cp = op.key("cart");
        cp.key("at").err(
            ErrorCode::MissingField,
            "price protection needs the original cart's at",
        )
    })
}

/// The new rules use the original currency.
fn same_currency(old: &Rules, new: &Rules, root: &Path<'_>) -> Result<(), Error> {
    if new.currency != old.currency {
        return Err(root.key("rules").key("currency").err(
            ErrorCode::InvalidAmount,
            "the new rules must use the original currency",
        ));
    }
    Ok(())
}

/// The coupons held and claimable (a coupon both held and claimable is
/// simply held; the original cart's claimable coupons are held too), at
/// most `MAX_COUPONS` of them.
fn with_claimable(cart: &Cart, claimable: &[Id], root: &Path<'_>) -> Result<Vec<Id>, Error> {
    let mut coupons = cart.coupons.clone();
    for id in cart.claimable.iter().flatten().chain(claimable) {
        if !coupons.contains(id) {
            coupons.push(id.clone());
        }
    }
    if !claimable.is_empty() && coupons.len() > MAX_COUPONS {
        return Err(root
            .key("claimable")
            .too_many(MAX_COUPONS, "held and claimable coupons"));
    }
    Ok(coupons)
}

/// The index of the cart's line `id`.
fn line_of(cart: &Cart, id: &Id, path: &Path<'_>) -> Result<usize, Error> {
    cart.lines
        .iter()
        .position(|l| &l.id == id)
        .ok_or_else(|| path.err(ErrorCode::InvalidId, format!("no line '{id}' in the cart")))
}

/// Add `q` refunded units to line `li`, never more than were bought
/// (`path` is the entry's, the fault its `qty`'s).
fn add_refunded(
    refunded: &mut [u32],
    cart: &Cart,
    li: usize,
    q: Qty,
    path: &Path<'_>,
) -> Result<(), Error> {
    let bought = cart.lines.get(li).map_or(0, |l| l.qty.get());
    let Some(slot) = refunded.get_mut(li) else {
        return Ok(());
    };
    if slot.saturating_add(q.get()) > bought {
        return Err(path.key("qty").err(
            ErrorCode::InvalidQuantity,
            "more units refunded than were bought",
        ));
    }
    *slot = slot.saturating_add(q.get());
    Ok(())
}

/// `refunded`: units per line (entries for one line add up), never more
/// than were bought.
fn read_refunded(value: &Value, path: &Path<'_>, cart: &Cart) -> Result<Vec<u32>, Error> {
    let mut refunded = vec![0u32; cart.lines.len()];
    for (j, rv) in fields::array(value, path)?.iter().enumerate() {
        let jp = path.index(j);
        let ro = Obj::new(rv, &jp, REFUNDED_FIELDS)?;
        let li = ro.read("line", |v, p| line_of(cart, &fields::id(v, p)?, p))?;
        let q = ro.read("qty", |v, p| fields::qty(v, p, 0))?;
        add_refunded(&mut refunded, cart, li, q, &jp)?;
    }
    Ok(refunded)
}

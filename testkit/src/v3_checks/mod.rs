//! The version 3 invariants (contract sections 3 to 7 and 10), each
//! re-derived from the input documents, never read from the engine's
//! internals: a template group's fee from its template's rules, claimed
//! coupons, gifts at the tier that is met and no money changed by them,
//! and money never lost nor invented: each tender's shares sum to what it
//! paid (re-derived from its balance, limits and what is owed), no line,
//! fee, child order or refund with negative cash, settlement's cash plus
//! tenders equal to payable, and partial returns in any order giving each
//! tender back exactly its amount.
//!
//! The checks take JSON documents (the inputs may hold money as strings or
//! JSON numbers, as the contract allows), so the property tests and the
//! fuzz targets share them.

mod after;
mod freight;
mod gifts;
mod tenders;

pub use after::{check_refunds_in_kind, check_settlement_with_tenders};
pub use freight::{check_fees, first_undeliverable};
pub use gifts::{check_gifts, check_gifts_change_no_money};
pub use tenders::check_tenders;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};
use std::str::FromStr;

/// What one quote's checks covered, for the tests' minimum counts.
#[derive(Default, Debug, Clone, Copy)]
pub struct Covered {
    /// Shipping groups of template stores whose fee was re-derived.
    pub template_groups: u32,
    /// Carts with `claimable`.
    pub claimable: u32,
    /// Gift entries checked against their tier.
    pub gifts: u32,
    /// Tenders of the cart whose payment was re-derived.
    pub tenders: u32,
    /// Of those, the tenders that paid something.
    pub tenders_paid: u32,
}

impl Covered {
    /// The sum of two coverages.
    pub fn add(&mut self, other: Covered) {
        self.template_groups += other.template_groups;
        self.claimable += other.claimable;
        self.gifts += other.gifts;
        self.tenders += other.tenders;
        self.tenders_paid += other.tenders_paid;
    }
}

/// The quote-level version 3 invariants of `q`, the quote of `input`:
/// fees re-derived, `coupons.claim`, gifts, tenders. What they covered.
pub fn check_v3_invariants(input: &Value, q: &Value) -> Covered {
    let mut covered = Covered {
        template_groups: check_fees(input, q),
        ..Covered::default()
    };
    covered.claimable = check_claim(input, q);
    covered.gifts = check_gifts(input, q);
    let (tenders, paid) = check_tenders(input, q);
    covered.tenders = tenders;
    covered.tenders_paid = paid;
    covered
}

/// Every invariant of the quote `q` of `input` that money is kept by:
/// the quote-level ones, gifts changing no money, the quote's settlement
/// and refunds of every unit in random partial returns (`seed`).
pub fn check_money_kept(input: &Value, q: &Value, seed: u64) -> Covered {
    let covered = check_v3_invariants(input, q);
    check_gifts_change_no_money(input, q);
    let settle = manjian::Operation::Settle
        .str_to_string(&json!({ "quote": q }).to_string())
        .unwrap_or_else(|e| panic!("a quote the engine made settles: {e}"));
    let s: Value = serde_json::from_str(&settle).unwrap();
    check_settlement_with_tenders(q, &s);
    check_refunds_in_kind(q, &mut crate::Rng::new(seed));
    covered
}

/// `coupons.claim` (when the cart has `claimable`, even empty) lists the
/// applied coupons that were claimable, in application order; a claimable
/// coupon is never reported unused. 1 when the cart had `claimable`.
pub fn check_claim(input: &Value, q: &Value) -> u32 {
    let coupons = &q["coupons"];
    let Some(claimable) = input["cart"].get("claimable").filter(|c| !c.is_null()) else {
        assert!(
            coupons.get("claim").is_none(),
            "claim without claimable: {coupons}"
        );
        return 0;
    };
    let claimable = claimable.as_array().unwrap();
    let want: Vec<&Value> = coupons["applied"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|id| claimable.contains(id))
        .collect();
    let got: Vec<&Value> = coupons["claim"]
        .as_array()
        .unwrap_or_else(|| panic!("claim is present with claimable: {coupons}"))
        .iter()
        .collect();
    assert_eq!(
        got, want,
        "claim is the applied claimable coupons: {coupons}"
    );
    for u in coupons["unused"].as_array().unwrap() {
        assert!(
            !claimable.contains(&u["id"]),
            "a claimable coupon unused: {coupons}"
        );
    }
    1
}

/// A number of an input: money, a measure, a count or a quantity, written
/// as a string or a JSON number (read as the contract reads it: the
/// shortest form of the double).
pub fn num(v: &Value) -> Decimal {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a number: {other}"),
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .unwrap_or_else(|_| panic!("not a number: {text}"))
}

/// The optional number `key` of `v`.
fn opt_num(v: &Value, key: &str) -> Option<Decimal> {
    v.get(key).filter(|x| !x.is_null()).map(num)
}

/// The currency's scale, read from the quote's own amounts.
fn scale(q: &Value) -> u32 {
    num(&q["totals"]["list"]).scale()
}

/// Rounded down to the currency's scale (the contract's `floor_to_cent`).
fn floor_to(d: Decimal, scale: u32) -> Decimal {
    d.round_dp_with_strategy(scale, RoundingStrategy::ToNegativeInfinity)
}

/// Whether region `r` covers region `a` (section 2).
fn covers(r: &str, a: &str) -> bool {
    a == r || (a.starts_with(r) && a[r.len()..].starts_with('/'))
}

/// The ids of a scope list, when it is present.
fn list<'a>(scope: &'a Value, key: &str) -> Option<Vec<&'a Value>> {
    scope
        .get(key)
        .filter(|x| !x.is_null())
        .map(|l| l.as_array().unwrap().iter().collect())
}

/// Whether the input line `l` is in `scope` (section 2: every present
/// list matches; an empty list matches nothing).
fn in_scope(scope: Option<&Value>, l: &Value) -> bool {
    let Some(scope) = scope.filter(|s| !s.is_null()) else {
        return true;
    };
    let tags: Vec<&Value> = l
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().collect())
        .unwrap_or_default();
    let has = |key: &str, v: &Value| list(scope, key).is_none_or(|xs| xs.contains(&v));
    let sku_out = list(scope, "exclude_skus").is_some_and(|xs| xs.contains(&&l["sku"]));
    let tag_in = list(scope, "tags").is_none_or(|xs| tags.iter().any(|t| xs.contains(t)));
    let tag_out = list(scope, "exclude_tags").is_some_and(|xs| tags.iter().any(|t| xs.contains(t)));
    let category = l.get("category").unwrap_or(&Value::Null);
    has("stores", &l["store"])
        && has("skus", &l["sku"])
        && has("categories", category)
        && tag_in
        && !sku_out
        && !tag_out
}

/// Whether input line `l` is in the shipping group of quote entry `g`.
fn in_group(l: &Value, g: &Value) -> bool {
    let ship = |v: &Value| v.get("ship_to").filter(|s| !s.is_null()).cloned();
    l["store"] == g["store"] && ship(l) == ship(g)
}

/// The region of address `ship_to` of the cart, if both exist.
fn destination<'a>(input: &'a Value, ship_to: Option<&Value>) -> Option<&'a str> {
    let id = ship_to?.as_str()?;
    input["cart"]["buyer"]["addresses"][id]["region"].as_str()
}

//! What the fuzz targets check on every answer the engine gives: an
//! output is JSON with money as non-negative decimal strings at the
//! currency's scale; an error is one of the contract's codes.

use serde_json::Value;

pub mod extreme_v3;

/// The contract's error codes.
const CODES: &[&str] = &[
    "invalid_json",
    "missing_field",
    "unknown_field",
    "invalid_amount",
    "invalid_rate",
    "invalid_quantity",
    "invalid_time",
    "invalid_id",
    "duplicate_id",
    "invalid_promotion",
    "coupon_not_held",
    "slot_conflict",
    "limit_exceeded",
    "invalid_template",
    "invalid_tender",
    "undeliverable",
];

/// Check an operation's answer for the input it was given.
pub fn check_answer(answer: Result<String, manjian::Error>) -> Option<Value> {
    match answer {
        Ok(text) => {
            let v: Value = serde_json::from_str(&text).expect("output is JSON");
            check_money(&v, "");
            Some(v)
        }
        Err(e) => {
            // Every error has one of the contract's codes (section 8). The
            // path is free text: a key may itself contain dots.
            assert!(CODES.contains(&e.code.as_str()), "code {}", e.code.as_str());
            None
        }
    }
}

/// Every string that looks like money (digits, a point, digits) is at
/// most 2 decimals and not negative; no number in an output is a float.
fn check_money(v: &Value, key: &str) {
    match v {
        Value::Number(n) => assert!(n.is_u64(), "only integers (qty) are numbers: {key}={n}"),
        Value::String(s) if is_money_key(key) => {
            assert!(!s.starts_with('-'), "negative money {key}={s}");
            let d: rust_decimal::Decimal = s.parse().expect("money parses");
            assert!(d.scale() <= 2, "money scale {key}={s}");
        }
        Value::Array(items) => items.iter().for_each(|i| check_money(i, key)),
        Value::Object(m) => m.iter().for_each(|(k, v)| check_money(v, k)),
        _ => {}
    }
}

fn is_money_key(key: &str) -> bool {
    matches!(
        key,
        "list"
            | "final"
            | "amount"
            | "fee"
            | "discount"
            | "shipping"
            | "payable"
            | "deposit"
            | "deposit_paid"
            | "due"
            | "deposit_refund"
            | "add"
            | "extra_off"
            | "total"
            | "goods"
            | "receivable"
    )
}

/// A settlement's sums: the child orders' payables sum to the quote's
/// payable, and each store receives its payable plus what the platform and
/// the government funded, less the tenders it funded (contract section 7).
pub fn check_settlement(q: &Value, s: &Value) {
    use rust_decimal::Decimal;
    let dec = |v: &Value| -> Decimal { v.as_str().and_then(|s| s.parse().ok()).expect("money") };
    let mut payable = Decimal::ZERO;
    for o in s["orders"].as_array().expect("orders") {
        let f = &o["funded"];
        assert_eq!(
            dec(&o["payable"]),
            dec(&o["goods"]) + dec(&o["shipping"]),
            "order {o}"
        );
        // Version 3: the store bears the tenders it funds.
        let store_tenders = o.get("tenders").map_or(Decimal::ZERO, |t| dec(&t["store"]));
        assert_eq!(
            dec(&o["receivable"]),
            dec(&o["payable"]) + dec(&f["platform"]) + dec(&f["government"]) - store_tenders,
            "order {o}"
        );
        payable += dec(&o["payable"]);
    }
    assert_eq!(payable, dec(&q["totals"]["payable"]));
}

/// A quote's sums: each line's discounts explain its final, and the totals
/// add up (contract sections 3 and 5).
pub fn check_quote(q: &Value) {
    use rust_decimal::Decimal;
    let dec = |v: &Value| -> Decimal { v.as_str().and_then(|s| s.parse().ok()).expect("money") };
    let mut goods = Decimal::ZERO;
    let mut list = Decimal::ZERO;
    for l in q["lines"].as_array().expect("lines") {
        let off: Decimal = l["discounts"]
            .as_array()
            .expect("discounts")
            .iter()
            .map(|d| dec(&d["amount"]))
            .sum();
        assert_eq!(dec(&l["list"]) - off, dec(&l["final"]), "line {l}");
        goods += dec(&l["final"]);
        list += dec(&l["list"]);
    }
    let t = &q["totals"];
    assert_eq!(dec(&t["list"]), list);
    assert_eq!(dec(&t["payable"]), goods + dec(&t["shipping"]));
    assert!(dec(&t["due"]) <= dec(&t["payable"]));
}

/// The version 3 invariants and money kept (testkit's `v3_checks`) on the
/// quote `q` of the request text `input`: fees re-derived from templates,
/// claims, gifts, tenders, settlement and partial refunds in kind.
pub fn check_v3(input: &str, q: &Value) {
    let request: Value = serde_json::from_str(input).expect("a quoted request is JSON");
    testkit::v3_checks::check_money_kept(&request, q, input.len() as u64);
}

//! Gifts (满赠): given at the highest tier met, by every active gift
//! promotion with lines in scope, and changing no money (contract section
//! 3, step 2, sections 5 and 10).

use super::{in_scope, num};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// The quote's `gifts` are exactly those of the highest tier met of each
/// active gift promotion with lines in scope, in application order, each
/// tier's gifts as listed; the member is absent when none is given. The
/// number of gift entries checked.
pub fn check_gifts(input: &Value, q: &Value) -> u32 {
    let promos = input["rules"]["promotions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut given: Vec<&Value> = promos.iter().filter(|p| p["kind"] == "gift").collect();
    // Store stage order; a gift is never a coupon.
    given.sort_by_key(|p| {
        (
            p["priority"].as_i64().unwrap_or(0),
            p["id"].as_str().unwrap(),
        )
    });
    // Values compared as amounts: the input may write them in any form.
    let value = |v: &Value| json!(num(v).normalize().to_string());
    let mut want: Vec<Value> = Vec::new();
    for p in given {
        let Some(tier) = tier_met(input, q, &promos, p) else {
            continue;
        };
        for g in tier["gifts"].as_array().unwrap() {
            want.push(
                json!({ "promotion": p["id"], "store": p["scope"]["stores"][0],
                "sku": g["sku"], "qty": g["qty"], "value": value(&g["value"]) }),
            );
        }
    }
    let got: Vec<Value> = q.get("gifts").map_or(Vec::new(), |gs| {
        let gs = gs.as_array().unwrap();
        assert!(!gs.is_empty(), "gifts only when given: {q}");
        gs.iter()
            .map(|g| {
                let mut g = g.clone();
                g["value"] = value(&g["value"]);
                g
            })
            .collect()
    });
    assert_eq!(got, want, "gifts of the tiers met in {input}");
    got.len() as u32
}

/// The tier of gift promotion `p` that gives its gifts in quote `q`: the
/// highest met, when `p` is active and has lines in scope.
fn tier_met<'a>(input: &Value, q: &Value, promos: &[Value], p: &'a Value) -> Option<&'a Value> {
    if !active(input, p) {
        return None;
    }
    let excluded = |ql: &Value| {
        ql["discounts"].as_array().unwrap().iter().any(|d| {
            promos
                .iter()
                .any(|x| x["id"] == d["promotion"] && x["exclusive"] == true)
        })
    };
    let lines: Vec<(&Value, &Value)> = input["cart"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .zip(q["lines"].as_array().unwrap())
        .filter(|(l, ql)| in_scope(p.get("scope"), l) && !excluded(ql))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let count = p["basis"] == "count";
    let base: Decimal = lines
        .iter()
        .map(|(l, ql)| match (count, p["threshold_on"].as_str()) {
            (true, _) => num(&l["qty"]),
            (false, Some("list")) => num(&ql["list"]),
            // Entering the store stage: after the item stage (and presale).
            (false, _) => {
                let item: Decimal = ql["discounts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| d["stage"] == "item")
                    .map(|d| num(&d["amount"]))
                    .sum();
                num(&ql["list"]) - item
            }
        })
        .sum();
    p["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| num(&t["at"]) <= base)
        .max_by_key(|t| num(&t["at"]))
}

/// Whether promotion `p` is active: its window holds at the cart's `at`,
/// and the buyer has one of its `audience` tags (when it has one).
fn active(input: &Value, p: &Value) -> bool {
    let cart = &input["cart"];
    if let Some(w) = p.get("window").filter(|w| !w.is_null()) {
        let Some(at) = cart["at"].as_str() else {
            return false;
        };
        let at: manjian::Instant = at.parse().unwrap();
        let bound = |k: &str| {
            w.get(k)
                .and_then(Value::as_str)
                .map(|t| t.parse::<manjian::Instant>().unwrap())
        };
        if bound("from").is_some_and(|f| f > at) || bound("to").is_some_and(|t| at >= t) {
            return false;
        }
    }
    match p.get("audience").filter(|a| !a.is_null()) {
        None => true,
        Some(a) => {
            let tags = cart["buyer"]["tags"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            a.as_array().unwrap().iter().any(|t| tags.contains(t))
        }
    }
}

/// Gifts change no money: the quote without the gift promotions has the
/// same lines, promotions, shipping, coupons, tenders and totals, and the
/// same hints but the gift ones. Whether the rules had a gift promotion.
pub fn check_gifts_change_no_money(input: &Value, q: &Value) -> bool {
    let Some(promos) = input["rules"]["promotions"].as_array() else {
        return false;
    };
    if !promos.iter().any(|p| p["kind"] == "gift") {
        return false;
    }
    let mut without = input.clone();
    without["rules"]["promotions"] = json!(promos
        .iter()
        .filter(|p| p["kind"] != "gift")
        .collect::<Vec<_>>());
    let text = manjian::Operation::Quote
        .str_to_string(&without.to_string())
        .unwrap_or_else(|e| panic!("without its gifts a cart still prices: {e}"));
    let other: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "lines",
        "promotions",
        "shipping",
        "coupons",
        "tenders",
        "totals",
    ] {
        assert_eq!(q.get(key), other.get(key), "gifts changed {key} of {input}");
    }
    let hints = |v: &Value| -> Vec<Value> {
        v["hints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h.get("gifts").is_none())
            .cloned()
            .collect()
    };
    assert_eq!(
        hints(q),
        hints(&other),
        "gifts changed the hints of {input}"
    );
    true
}

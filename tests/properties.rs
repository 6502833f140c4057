#![cfg(not(target_arch = "wasm32"))]
//! Property tests over random valid carts (see tests/common): the
//! invariants a checkout team relies on, and `best` cross-checked against
//! brute force.

mod common;

use common::{quote_input, Rng, Shape};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

fn quote(input: &Value) -> Value {
    let text = serde_json::to_string(input).unwrap();
    let q = manjian::quote_json(&text).unwrap_or_else(|e| panic!("{e} for {text}"));
    serde_json::to_value(&q).unwrap()
}

fn dec(v: &Value) -> Decimal {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("money must be a string: {v}"));
    let d = Decimal::from_str(s).unwrap();
    assert_eq!(d.scale(), 2, "money {s} must have the currency's scale");
    assert!(d >= Decimal::ZERO, "money {s} must not be negative");
    d
}

/// The invariants every quote satisfies.
fn check_invariants(q: &Value) {
    let mut per_promo: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut list = Decimal::ZERO;
    let mut goods = Decimal::ZERO;
    for l in q["lines"].as_array().unwrap() {
        let (li, fi) = (dec(&l["list"]), dec(&l["final"]));
        assert!(fi <= li, "final above list in {l}");
        let mut off = Decimal::ZERO;
        for d in l["discounts"].as_array().unwrap() {
            let a = dec(&d["amount"]);
            assert!(a > Decimal::ZERO, "zero shares are left out: {l}");
            off += a;
            *per_promo
                .entry(d["promotion"].as_str().unwrap().to_owned())
                .or_default() += a;
        }
        assert_eq!(li - off, fi, "discounts explain the final of {l}");
        list += li;
        goods += fi;
    }
    for p in q["promotions"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        assert_eq!(
            per_promo.remove(id),
            Some(dec(&p["amount"])),
            "shares of {id} sum to its total"
        );
    }
    per_promo.remove("presale");
    assert!(
        per_promo.is_empty(),
        "every line discount belongs to a listed promotion: {per_promo:?}"
    );
    let t = &q["totals"];
    let shipping: Decimal = q["shipping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| dec(&s["fee"]))
        .sum();
    assert_eq!(dec(&t["list"]), list);
    assert_eq!(dec(&t["discount"]), list - goods);
    assert_eq!(dec(&t["shipping"]), shipping);
    assert_eq!(dec(&t["payable"]), goods + shipping);
    assert!(dec(&t["due"]) <= dec(&t["payable"]));
    for h in q["hints"].as_array().unwrap() {
        assert!(dec(&h["add"]) > Decimal::ZERO);
    }
}

/// Held coupon ids and their slots (known coupons only).
fn coupon_slots(input: &Value) -> Vec<(String, String)> {
    let rules = manjian::Rules::from_json(&input["rules"].to_string()).unwrap();
    input["cart"]["coupons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            let id = c.as_str().unwrap();
            let p = rules.promotion(id).filter(|p| p.coupon)?;
            Some((id.to_owned(), p.slot.clone()))
        })
        .collect()
}

/// Every explicit choice: subsets of known held coupons, one per slot.
fn all_choices(slots: &[(String, String)]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for mask in 0u32..(1 << slots.len()) {
        let set: Vec<&(String, String)> = slots
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, s)| s)
            .collect();
        let mut used: Vec<&str> = set.iter().map(|(_, s)| s.as_str()).collect();
        used.sort();
        let n = used.len();
        used.dedup();
        if used.len() == n {
            out.push(set.iter().map(|(id, _)| id.clone()).collect());
        }
    }
    out
}

fn with_apply(input: &Value, apply: Value) -> Value {
    let mut v = input.clone();
    v["cart"]["apply"] = apply;
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn quotes_satisfy_the_invariants(seed in any::<u64>()) {
        let input = quote_input(&mut Rng::new(seed), Shape::SMALL);
        let q = quote(&input);
        check_invariants(&q);
        // Deterministic: the same input gives the same digest.
        prop_assert_eq!(&q["digest"], &quote(&input)["digest"]);
        // The hand-written canonical JSON is what serde_json writes.
        let typed = manjian::quote_json(&input.to_string()).unwrap();
        prop_assert_eq!(typed.to_json(), serde_json::to_string(&typed).unwrap());
        // The one-serialization text path writes the same bytes.
        let text = manjian::Operation::Quote.run_json(&input.to_string()).unwrap();
        prop_assert_eq!(text, typed.to_json());
    }

    #[test]
    fn promotion_order_in_the_rules_does_not_matter(seed in any::<u64>()) {
        let input = quote_input(&mut Rng::new(seed), Shape::SMALL);
        let mut reordered = input.clone();
        let promos = reordered["rules"]["promotions"].as_array_mut().unwrap();
        promos.reverse();
        if promos.len() > 2 {
            let k = (seed % promos.len() as u64) as usize;
            promos.rotate_left(k);
        }
        prop_assert_eq!(quote(&input), quote(&reordered));
    }

    #[test]
    fn best_is_the_brute_force_optimum(seed in any::<u64>()) {
        let input = quote_input(&mut Rng::new(seed), Shape::SMALL);
        let best = quote(&input);
        check_invariants(&best);
        let best_pay = dec(&best["totals"]["payable"]);
        let slots = coupon_slots(&input);
        let mut optimum: Option<(Decimal, usize, Vec<String>)> = None;
        for choice in all_choices(&slots) {
            let q = quote(&with_apply(&input, json!(choice)));
            check_invariants(&q);
            prop_assert_eq!(&q["coupons"]["proven_best"], &json!(false));
            let pay = dec(&q["totals"]["payable"]);
            prop_assert!(best_pay <= pay, "best {} worse than {:?} at {}", best_pay, choice, pay);
            let mut ids = choice.clone();
            ids.sort();
            let key = (pay, ids.len(), ids);
            if optimum.as_ref().is_none_or(|o| key < *o) {
                optimum = Some(key);
            }
        }
        let (pay, _, ids) = optimum.unwrap();
        prop_assert_eq!(best_pay, pay);
        let mut applied: Vec<String> = best["coupons"]["applied"]
            .as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        applied.sort();
        prop_assert_eq!(applied, ids);
        prop_assert_eq!(&best["coupons"]["proven_best"], &json!(true));
    }

    #[test]
    fn an_unused_coupon_forced_in_never_lowers_payable(seed in any::<u64>()) {
        let input = quote_input(&mut Rng::new(seed), Shape::SMALL);
        let best = quote(&input);
        let best_pay = dec(&best["totals"]["payable"]);
        let slots = coupon_slots(&input);
        let applied: Vec<String> = best["coupons"]["applied"]
            .as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        for u in best["coupons"]["unused"].as_array().unwrap() {
            let id = u["id"].as_str().unwrap();
            let Some((_, slot)) = slots.iter().find(|(c, _)| c == id) else { continue };
            let mut forced: Vec<String> = applied
                .iter()
                .filter(|a| slots.iter().any(|(c, s)| c == *a && s != slot))
                .cloned()
                .collect();
            forced.push(id.to_owned());
            let q = quote(&with_apply(&input, json!(forced)));
            prop_assert!(dec(&q["totals"]["payable"]) >= best_pay);
        }
    }
}

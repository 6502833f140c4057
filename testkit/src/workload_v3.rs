//! What contract version 3 adds to the benchmark workloads, as a real 双11
//! cart carries it: freight templates by region in every other store
//! (piece templates, and weight templates for heavy goods), the buyer's
//! three addresses (上海, 杭州, 乌鲁木齐), coupons to claim (领券) beside
//! the held ones, and tenders (京豆, a platform 红包, a gift card).

use super::{money, Rng};
use serde_json::{json, Map, Value};

/// Add templates, addresses, claimable coupons and tenders to the
/// workload `w` named `name`.
pub(crate) fn add(name: &str, rng: &mut Rng, w: &mut Value) {
    let Some(stores) = w["rules"]["stores"].as_object_mut() else {
        return;
    };
    let templated = template_stores(stores);
    if let Some(lines) = w["cart"]["lines"].as_array_mut() {
        for (i, line) in lines.iter_mut().enumerate() {
            ship(rng, i, line, &templated);
        }
    }
    w["cart"]["buyer"] = json!({ "addresses": {
        "home": { "region": "上海/浦东新区" },
        "office": { "region": "浙江/杭州/西湖区" },
        "far": { "region": "新疆/乌鲁木齐/天山区" } } });
    claimable(name, w);
    tenders(w);
}

/// Every other store prices freight by templates instead of a flat fee;
/// one in four also has a weight template. Returns the stores' ids and
/// whether each has the weight template.
fn template_stores(stores: &mut Map<String, Value>) -> Vec<(String, bool)> {
    let mut templated = Vec::new();
    for (k, (id, store)) in stores.iter_mut().enumerate() {
        if k % 2 == 0 {
            continue;
        }
        let heavy = k % 4 == 3;
        let mut templates = json!({ "std": piece_template() });
        if heavy {
            templates["heavy"] = weight_template();
        }
        *store = json!({ "templates": templates });
        templated.push((id.clone(), heavy));
    }
    templated
}

/// 首件 8.00, 续件 2.00; 新疆/西藏 20.00 and 10.00; 江浙沪 free from
/// 99.00, and free from 5 pieces anywhere; no delivery abroad.
fn piece_template() -> Value {
    json!({ "by": "piece", "first": 1, "first_fee": money(800), "extra": 1, "extra_fee": money(200),
        "regions": [ { "regions": ["新疆", "西藏"], "first": 1, "first_fee": money(2000),
                       "extra": 1, "extra_fee": money(1000) } ],
        "free": [ { "regions": ["上海", "浙江", "江苏"], "amount": money(9900) }, { "qty": 5 } ],
        "no_delivery": ["海外", "港澳台"] })
}

/// 首重 1 kg 12.00, 续重 per 0.5 kg 3.00; 新疆/西藏 30.00 and 8.00; 江浙沪
/// free from 999.00.
fn weight_template() -> Value {
    json!({ "by": "weight", "first": "1", "first_fee": money(1200), "extra": "0.5", "extra_fee": money(300),
        "regions": [ { "regions": ["新疆", "西藏"], "first": "1", "first_fee": money(3000),
                       "extra": "0.5", "extra_fee": money(800) } ],
        "free": [ { "regions": ["上海", "浙江", "江苏"], "amount": money(99900) } ] })
}

/// A line's address (most go home, some to the office, one in five to
/// 乌鲁木齐, so that a store's lines go to several) and, in a template store, its template and weight.
fn ship(rng: &mut Rng, i: usize, line: &mut Value, templated: &[(String, bool)]) {
    line["ship_to"] = json!(["home", "home", "home", "office", "far"][(i / 3) % 5]);
    let store = line["store"].as_str().unwrap_or_default();
    let Some((_, heavy)) = templated.iter().find(|(id, _)| id == store) else {
        return;
    };
    if *heavy && i.is_multiple_of(3) {
        line["template"] = json!("heavy");
        line["weight"] = json!(format!("{}.{}", rng.range(1, 8), rng.range(0, 9)));
    } else {
        line["template"] = json!("std");
    }
}

/// Coupons to claim: `double11` offers five more (four store coupons and
/// a platform one); `huge`, whose 200 held coupons are the contract's
/// limit for held and claimable together, offers every tenth of them to
/// claim instead of holding it.
fn claimable(name: &str, w: &mut Value) {
    let mut claim: Vec<Value> = Vec::new();
    if name == "huge" {
        if let Some(held) = w["cart"]["coupons"].as_array_mut() {
            let mut k = 0;
            held.retain(|c| {
                k += 1;
                if k % 10 == 0 {
                    claim.push(c.clone());
                }
                k % 10 != 0
            });
        }
    } else if name == "double11" {
        let promotions = w["rules"]["promotions"].as_array_mut();
        let Some(promotions) = promotions else {
            return;
        };
        for s in 6..10 {
            let id = format!("claim-{s}");
            promotions.push(json!({ "id": id, "kind": "threshold_off", "stage": "store", "coupon": true,
                "scope": { "stores": [format!("store-{s}")] }, "tiers": [ { "at": money(15900), "off": money(1500) } ] }));
            claim.push(json!(id));
        }
        promotions.push(json!({ "id": "claim-plat", "kind": "threshold_off", "stage": "platform", "coupon": true,
            "slot": "claim", "tiers": [ { "at": money(60000), "off": money(6000) } ] }));
        claim.push(json!("claim-plat"));
    }
    if !claim.is_empty() {
        w["cart"]["claimable"] = Value::Array(claim);
    }
}

/// 京豆 (100 = 1.00, in steps of 1,000, at most half), a platform 红包 满
/// 300 可用 and a gift card that also pays shipping.
fn tenders(w: &mut Value) {
    w["rules"]["tenders"] = json!([
        { "id": "jd-bean", "kind": "points", "unit_value": "0.01", "step": 1000, "max_share": "0.5" },
        { "id": "hongbao", "kind": "credit", "at": money(30000) },
        { "id": "gift-card", "kind": "credit", "shipping": true, "funded_by": "buyer", "priority": 1 }
    ]);
    w["cart"]["tenders"] = json!([
        { "id": "jd-bean", "balance": 25000 },
        { "id": "hongbao", "balance": money(1000) },
        { "id": "gift-card", "balance": money(20000) }
    ]);
}

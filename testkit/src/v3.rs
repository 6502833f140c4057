//! The version 3 parts of generated carts (contract section 12): freight
//! templates by pieces and weight with regions, 指定条件包邮 and 不配送,
//! buyer addresses with regions, claimable coupons (领券), gift
//! promotions (满赠) and tenders (抵扣). They are added after the version 2
//! cart is drawn, so version 1 and 2 carts of a seed stay what they were
//! (the parity fixtures pin their digests).

use crate::{cents, Rng, CATS, SKUS, TAGS};
use serde_json::{json, Map, Value};

/// Destinations of the buyer's addresses; `海外` is where some templates
/// do not deliver, so now and then a cart is `undeliverable`.
const DESTINATIONS: &[&str] = &[
    "浙江/杭州/西湖",
    "浙江/宁波",
    "上海/浦东",
    "新疆/乌鲁木齐",
    "广东/深圳/南山",
    "浙江省/温州",
    "海外/东京",
];

/// Regions of template rules and `free` entries: areas at several depths,
/// and `浙江省`, which covers none of `浙江`'s destinations.
const RULE_REGIONS: &[&str] = &[
    "浙江",
    "浙江/杭州",
    "浙江/杭州/西湖",
    "新疆",
    "上海",
    "广东/深圳",
    "浙江省",
];

const NO_DELIVERY: &[&[&str]] = &[
    &["海外"],
    &["新疆/喀什"],
    &["海外/东京", "西藏"],
    &["西藏", "海外"],
    &[],
];

/// Weights of one unit (kilograms): exact decimals, one a JSON number.
const WEIGHTS: &[&str] = &["0.125", "0.5", "1", "2.75", "0.333", "10", "0.001"];

const GIFT_SKUS: &[&str] = &["mug", "赠品-杯", "tote", "sample"];

/// Add version 3 to `input`, a generated `{"rules", "cart"}` of `stores`
/// stores: each part with its own chance.
pub fn decorate(rng: &mut Rng, input: &mut Value, stores: u64) {
    if rng.chance(55) {
        templates(rng, input, stores);
    }
    if rng.chance(70) {
        addresses(rng, input);
    }
    if rng.chance(45) {
        gifts(rng, input, stores);
    }
    if rng.chance(45) {
        claimable(rng, input);
    }
    if rng.chance(55) {
        tenders(rng, input);
    }
}

/// A template rule's four values: pieces, or kilograms.
fn rule(rng: &mut Rng, weight: bool, into: &mut Map<String, Value>) {
    let amount = |rng: &mut Rng| -> Value {
        if weight {
            json!(*rng.pick(&["0.5", "1", "1.25", "2", "0.001", "3.5"]))
        } else {
            json!(rng.range(1, 3))
        }
    };
    into.insert("first".into(), amount(rng));
    into.insert("first_fee".into(), json!(cents(rng.range(0, 25) * 100)));
    into.insert("extra".into(), amount(rng));
    into.insert("extra_fee".into(), json!(cents(rng.range(0, 1200))));
}

fn regions(rng: &mut Rng) -> Value {
    let n = rng.range(0, 2) as usize;
    json!((0..n).map(|_| *rng.pick(RULE_REGIONS)).collect::<Vec<_>>())
}

/// One freight template: its default rule, maybe rules for regions,
/// conditions of free shipping and regions it does not deliver to.
pub fn template(rng: &mut Rng, weight: bool) -> Value {
    let mut t = Map::new();
    if weight {
        t.insert("by".into(), json!("weight"));
    } else if rng.chance(30) {
        t.insert("by".into(), json!("piece"));
    }
    rule(rng, weight, &mut t);
    if rng.chance(50) {
        let entries: Vec<Value> = (0..rng.range(1, 3))
            .map(|_| {
                let mut e = Map::new();
                e.insert("regions".into(), regions(rng));
                rule(rng, weight, &mut e);
                Value::Object(e)
            })
            .collect();
        t.insert("regions".into(), json!(entries));
    }
    if rng.chance(45) {
        let entries: Vec<Value> = (0..rng.range(1, 2)).map(|_| free_entry(rng)).collect();
        t.insert("free".into(), json!(entries));
    }
    if rng.chance(40) {
        t.insert("no_delivery".into(), json!(rng.pick(NO_DELIVERY)));
    }
    Value::Object(t)
}

/// A 指定条件包邮 entry: maybe regions, and an amount, a quantity or both.
fn free_entry(rng: &mut Rng) -> Value {
    let mut e = json!({});
    if rng.chance(50) {
        e["regions"] = regions(rng);
    }
    let (amount, qty) = match rng.range(0, 2) {
        0 => (true, false),
        1 => (false, true),
        _ => (true, true),
    };
    if amount {
        e["amount"] = json!(cents(rng.range(0, 40) * 1000));
    }
    if qty {
        e["qty"] = json!(rng.range(1, 5));
    }
    e
}

/// Some stores priced by templates (instead of a flat fee), and each of
/// their lines naming one, with a weight when it is by weight.
fn templates(rng: &mut Rng, input: &mut Value, stores: u64) {
    let mut chosen: Vec<(String, Vec<(String, bool)>)> = Vec::new();
    for s in 1..=stores {
        if !rng.chance(60) {
            continue;
        }
        let mut ts = Map::new();
        let mut ids = Vec::new();
        for k in 0..rng.range(1, 3) {
            let weight = rng.chance(40);
            let id = format!("t{k}");
            ts.insert(id.clone(), template(rng, weight));
            ids.push((id, weight));
        }
        let store = format!("s{s}");
        input["rules"]["stores"][&store] = json!({ "templates": ts });
        chosen.push((store, ids));
    }
    for l in input["cart"]["lines"].as_array_mut().unwrap() {
        let Some((_, ids)) = chosen.iter().find(|(s, _)| l["store"] == **s) else {
            continue;
        };
        let (id, weight) = rng.pick(ids);
        l["template"] = json!(id);
        // A weight is checked on a line by pieces too, then not used.
        if *weight || rng.chance(20) {
            l["weight"] = match rng.range(0, 9) {
                0 => json!(1.5),
                _ => json!(rng.pick(WEIGHTS)),
            };
        }
    }
}

/// The buyer's two addresses (every `ship_to` names one), each with a
/// region.
fn addresses(rng: &mut Rng, input: &mut Value) {
    let cart = &mut input["cart"];
    if cart.get("buyer").is_none() {
        cart["buyer"] = json!({});
    }
    // 海外 (undeliverable by some templates) seldom.
    let dest = |rng: &mut Rng| {
        let n = if rng.chance(70) {
            DESTINATIONS.len() - 1
        } else {
            DESTINATIONS.len()
        };
        DESTINATIONS[rng.range(0, n as u64 - 1) as usize]
    };
    cart["buyer"]["addresses"] = json!({
        "home": { "region": dest(rng) },
        "office": { "region": dest(rng) },
    });
}

/// One or two 满赠 promotions of a store: tiers of gifts on amounts or
/// counts, now and then judged on list prices, for an audience or in a
/// window.
pub fn gifts(rng: &mut Rng, input: &mut Value, stores: u64) {
    let promos = input["rules"]["promotions"].as_array_mut().unwrap();
    for n in 0..rng.range(1, 2) {
        let count = rng.chance(20);
        let mut scope = json!({ "stores": [format!("s{}", rng.range(1, stores))] });
        if rng.chance(20) {
            scope["categories"] = json!([rng.pick(CATS)]);
        }
        let tiers = crate::tiers(rng, count, |rng| {
            let gifts: Vec<Value> = (0..rng.range(1, 2))
                .map(|_| json!({ "sku": rng.pick(GIFT_SKUS), "qty": rng.range(1, 2), "value": cents(rng.range(0, 9900)) }))
                .collect();
            json!({ "gifts": gifts })
        });
        // Unique beside every generated id (`p…`, `v…`, earlier gifts).
        let id = format!("g{}-{n}", promos.len());
        let mut p = json!({ "id": id, "kind": "gift",
            "stage": "store", "scope": scope, "tiers": tiers });
        if count {
            p["basis"] = json!("count");
        }
        if rng.chance(20) {
            p["threshold_on"] = json!(rng.pick(&["list", "item"]));
        }
        if rng.chance(20) {
            p["priority"] = json!(rng.range(0, 2) as i64 - 1);
        }
        if rng.chance(10) {
            p["audience"] = json!([rng.pick(&["88vip", "new"])]);
        }
        if rng.chance(10) {
            p["window"] =
                json!({ "from": "2026-11-11T00:00:00+08:00", "to": "2026-11-12T00:00:00+08:00" });
        }
        promos.push(p);
    }
}

/// Some held coupons become claimable, and coupons the buyer does not
/// hold may be claimable too.
fn claimable(rng: &mut Rng, input: &mut Value) {
    let coupons: Vec<Value> = input["rules"]["promotions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["coupon"] == true)
        .map(|p| p["id"].clone())
        .collect();
    let held: Vec<Value> = input["cart"]["coupons"].as_array().unwrap().clone();
    let mut keep = Vec::new();
    let mut claim = Vec::new();
    for id in held {
        if coupons.contains(&id) && rng.chance(50) {
            claim.push(id);
        } else {
            keep.push(id);
        }
    }
    for id in coupons {
        if !keep.contains(&id) && !claim.contains(&id) && rng.chance(50) {
            claim.push(id);
        }
    }
    input["cart"]["coupons"] = json!(keep);
    input["cart"]["claimable"] = json!(claim);
}

/// Tenders of the rules (points and credit, with every option now and
/// then) and the buyer's balances of some of them.
fn tenders(rng: &mut Rng, input: &mut Value) {
    let names = ["积分", "京豆", "红包", "购物金", "gift-card", "trade-in"];
    let mut rules = Vec::new();
    let mut cart = Vec::new();
    for (k, name) in names.iter().enumerate() {
        if !rng.chance(45) {
            continue;
        }
        let points = k < 2;
        rules.push(tender_rule(rng, name, points));
        if rng.chance(85) {
            let balance = match points {
                true => json!(rng.range(0, 30_000)),
                false => json!(cents(rng.range(0, 60_000))),
            };
            let mut t = json!({ "id": name, "balance": balance });
            if rng.chance(30) {
                t["use"] = match points {
                    true => json!(rng.range(0, 10_000)),
                    false => json!(cents(rng.range(0, 20_000))),
                };
            }
            cart.push(t);
        }
    }
    input["rules"]["tenders"] = json!(rules);
    input["cart"]["tenders"] = json!(cart);
}

/// A tender of the rules.
fn tender_rule(rng: &mut Rng, id: &str, points: bool) -> Value {
    let mut t = json!({ "id": id, "kind": if points { "points" } else { "credit" } });
    if points {
        t["unit_value"] = json!(rng.pick(&["0.01", "0.1", "1.00", "0.05"]));
        if rng.chance(50) {
            t["step"] = json!(rng.pick(&[1, 10, 100, 1000]));
        }
        if rng.chance(30) {
            t["max_points"] = json!(rng.range(0, 5000));
        }
    }
    if rng.chance(30) {
        t["scope"] = match rng.range(0, 3) {
            0 => json!({ "categories": [rng.pick(CATS)] }),
            1 => json!({ "stores": ["s1"] }),
            2 => json!({ "skus": [rng.pick(SKUS), rng.pick(SKUS)] }),
            _ => json!({ "exclude_tags": [rng.pick(TAGS)] }),
        };
    }
    if rng.chance(40) {
        t["shipping"] = json!(true);
    }
    if rng.chance(25) {
        t["at"] = json!(cents(rng.range(0, 300) * 100));
    }
    if rng.chance(25) {
        t["max_share"] = json!(rng.pick(&["0.5", "0.2", "1", "0.05"]));
    }
    if rng.chance(70) {
        t["funded_by"] = json!(rng.pick(&["buyer", "store", "platform", "government"]));
    }
    if rng.chance(30) {
        t["priority"] = json!(rng.range(0, 2) as i64 - 1);
    }
    t
}

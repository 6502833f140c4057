//! A deterministic generator of valid random quote inputs, shared by the
//! property tests, the native/wasm parity fixture and the benchmarks.
//!
//! It is seeded (SplitMix64) rather than built from proptest strategies so
//! that the same seed gives the same cart natively and in wasm.

#![allow(dead_code)]

use serde_json::{json, Value};

/// SplitMix64: small, fast, and identical on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

fn cents(c: u64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// Shape of generated carts.
#[derive(Clone, Copy)]
pub struct Shape {
    pub stores: u64,
    pub max_lines: u64,
    pub max_promotions: u64,
    pub max_coupons: u64,
}

impl Shape {
    pub const SMALL: Shape = Shape {
        stores: 3,
        max_lines: 6,
        max_promotions: 8,
        max_coupons: 6,
    };
}

const SKUS: &[&str] = &["tea", "cup", "kettle", "rice", "coat", "socks"];
const CATS: &[&str] = &["food", "home", "apparel"];
const TAGS: &[&str] = &["green", "new", "百亿补贴"];

fn threshold_at(rng: &mut Rng, count: bool) -> Value {
    if count {
        json!(rng.range(1, 6))
    } else {
        json!(cents(rng.range(0, 60) * 1000))
    }
}

fn promotion(rng: &mut Rng, n: usize, stores: u64) -> Value {
    let id = format!("p{n}-{}", rng.range(0, 99));
    let stage = *rng.pick(&["item", "item", "store", "store", "cross_store", "platform"]);
    let mut p = json!({ "id": id, "stage": stage });
    let obj = p.as_object_mut().unwrap();
    if stage == "item" {
        obj.insert("kind".into(), json!("markdown"));
        match rng.range(0, 2) {
            0 => obj.insert("price".into(), json!(cents(rng.range(0, 30000)))),
            1 => obj.insert("off".into(), json!(cents(rng.range(1, 5000)))),
            _ => obj.insert("rate".into(), json!(format!("0.{:02}", rng.range(10, 99)))),
        };
        if rng.chance(30) {
            obj.insert("limit_qty".into(), json!(rng.range(1, 3)));
        }
        if rng.chance(80) {
            obj.insert("scope".into(), json!({ "skus": [rng.pick(SKUS)] }));
        }
    } else {
        let count = rng.chance(20);
        if count {
            obj.insert("basis".into(), json!("count"));
        }
        if rng.chance(60) {
            obj.insert("kind".into(), json!("threshold_off"));
            if rng.chance(30) {
                let at = if count {
                    json!(rng.range(1, 3))
                } else {
                    json!(cents(rng.range(50, 300) * 100))
                };
                let mut every = json!({ "at": at, "off": cents(rng.range(1, 50) * 100) });
                if rng.chance(40) {
                    every["cap"] = json!(cents(rng.range(1, 200) * 100));
                }
                obj.insert("every".into(), every);
            } else {
                let k = rng.range(1, 3);
                let mut ats = Vec::new();
                let tiers: Vec<Value> = (0..k)
                    .filter_map(|_| {
                        let at = threshold_at(rng, count);
                        if ats.contains(&at) {
                            return None;
                        }
                        ats.push(at.clone());
                        Some(json!({ "at": at, "off": cents(rng.range(1, 80) * 100) }))
                    })
                    .collect();
                obj.insert("tiers".into(), json!(tiers));
            }
        } else {
            obj.insert("kind".into(), json!("threshold_rate"));
            let k = rng.range(1, 3);
            let mut ats = Vec::new();
            let tiers: Vec<Value> = (0..k)
                .filter_map(|_| {
                    let at = threshold_at(rng, count);
                    if ats.contains(&at) {
                        return None;
                    }
                    ats.push(at.clone());
                    Some(json!({ "at": at, "rate": format!("0.{}", rng.range(5, 99)) }))
                })
                .collect();
            obj.insert("tiers".into(), json!(tiers));
            if rng.chance(40) {
                obj.insert("cap".into(), json!(cents(rng.range(1, 100) * 100)));
            }
        }
        if stage == "store" {
            let mut scope = json!({ "stores": [format!("s{}", rng.range(1, stores))] });
            if rng.chance(20) {
                scope["categories"] = json!([rng.pick(CATS)]);
            }
            obj.insert("scope".into(), scope);
        } else if rng.chance(40) {
            let scope = match rng.range(0, 3) {
                0 => json!({ "categories": [rng.pick(CATS)] }),
                1 => json!({ "tags": [rng.pick(TAGS)] }),
                2 => json!({ "exclude_skus": [rng.pick(SKUS)] }),
                _ => json!({ "stores": [format!("s{}", rng.range(1, stores))] }),
            };
            obj.insert("scope".into(), scope);
        }
        if rng.chance(45) {
            obj.insert("coupon".into(), json!(true));
            if rng.chance(15) {
                obj.insert("slot".into(), json!("shared"));
            }
        }
        if rng.chance(20) {
            let earlier: &[&str] = match stage {
                "store" => &["list"],
                "cross_store" => &["list", "item"],
                _ => &["list", "item", "store"],
            };
            obj.insert("threshold_on".into(), json!(rng.pick(earlier)));
        }
    }
    if rng.chance(20) {
        obj.insert("priority".into(), json!(rng.range(0, 2) as i64 - 1));
    }
    if rng.chance(10) {
        obj.insert(
            "window".into(),
            json!({ "from": "2026-11-11T00:00:00+08:00", "to": "2026-11-12T00:00:00+08:00" }),
        );
    }
    p
}

/// A valid `{"rules", "cart"}` input.
pub fn quote_input(rng: &mut Rng, shape: Shape) -> Value {
    let mut stores = serde_json::Map::new();
    for s in 1..=shape.stores {
        if rng.chance(70) {
            stores.insert(
                format!("s{s}"),
                json!({ "shipping": { "fee": cents(rng.range(0, 15) * 100), "free_over": cents(rng.range(0, 30) * 1000) } }),
            );
        }
    }
    let n_promos = rng.range(0, shape.max_promotions);
    let promotions: Vec<Value> = (0..n_promos)
        .map(|i| promotion(rng, i as usize, shape.stores))
        .collect();
    let n_lines = rng.range(1, shape.max_lines);
    let lines: Vec<Value> = (0..n_lines)
        .map(|i| {
            let price = if rng.chance(5) {
                0
            } else {
                rng.range(1, 40000)
            };
            let qty = rng.range(1, 4);
            let mut l = json!({
                "id": format!("L{i}"),
                "sku": rng.pick(SKUS),
                "store": format!("s{}", rng.range(1, shape.stores)),
                "unit_price": cents(price),
                "qty": qty,
            });
            if rng.chance(60) {
                l["category"] = json!(rng.pick(CATS));
            }
            if rng.chance(30) {
                l["tags"] = json!([rng.pick(TAGS)]);
            }
            if rng.chance(10) && price > 0 {
                let value = rng.range(0, price);
                let deposit = rng.range(0, value);
                l["presale"] = json!({ "deposit": cents(deposit), "deposit_value": cents(value) });
            }
            l
        })
        .collect();
    let mut coupons: Vec<String> = promotions
        .iter()
        .filter(|p| p.get("coupon").is_some() && rng.chance(80))
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .take(shape.max_coupons as usize)
        .collect();
    if rng.chance(10) {
        coupons.push("ghost".into());
    }
    let mut cart = json!({ "lines": lines, "coupons": coupons });
    if rng.chance(90) {
        cart["at"] = json!(*rng.pick(&["2026-11-11T20:05:00+08:00", "2026-11-13T10:00:00Z"]));
    }
    json!({ "rules": { "currency": "CNY", "stores": stores, "promotions": promotions }, "cart": cart })
}

//! The shared test helpers of manjian, for its tests, benchmarks, fuzz
//! targets and examples: a deterministic generator of valid random quote
//! inputs, the named workloads and hostile inputs, the invariants every
//! quote keeps, running the command; and the generator of the package's
//! TypeScript types and the OpenAPI description ([`generate`]).
//!
//! The carts are seeded (SplitMix64) rather than built from proptest
//! strategies so that the same seed gives the same cart natively and in
//! wasm.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

/// SplitMix64: small, fast, and identical on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    #[allow(clippy::should_implement_trait)] // an endless stream: SplitMix64's own name
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
    /// Percent of threshold promotions that are coupons.
    pub coupon_percent: u64,
    /// Whether carts use contract version 2 (buyers, addresses, multi-buys,
    /// exclusive promotions, subsidies, shipping promotions and coupons).
    /// Version 1 carts are generated exactly as before.
    pub v2: bool,
    /// Whether carts use contract version 3 too (templates, addresses with
    /// regions, claimable coupons, gifts, tenders: [`crate::v3`]), drawn after the
    /// version 2 cart, so that a seed's version 2 cart is unchanged.
    pub v3: bool,
}

impl Shape {
    pub const SMALL: Shape = Shape {
        stores: 3,
        max_lines: 6,
        max_promotions: 8,
        max_coupons: 6,
        coupon_percent: 45,
        v2: false,
        v3: false,
    };

    /// This shape with version 2 features.
    pub const fn v2(self) -> Shape {
        Shape { v2: true, ..self }
    }

    /// This shape with version 2 and version 3 features.
    pub const fn v3(self) -> Shape {
        Shape {
            v2: true,
            v3: true,
            ..self
        }
    }
}

const BUYER_TAGS: &[&str] = &["88vip", "new", "gov-appliance"];
const ADDRESSES: &[&str] = &["home", "office"];

/// A version 2 promotion: a multi-buy, a subsidy or a shipping promotion.
fn v2_promotion(rng: &mut Rng, n: usize, stores: u64, coupon_percent: u64) -> Value {
    let id = format!("v{n}-{}", rng.range(0, 99));
    let mut p = match rng.range(0, 2) {
        0 => {
            let mut p = json!({ "id": id, "kind": "multi_buy", "stage": "item",
                "buy": rng.range(1, 2), "get": rng.range(1, 2) });
            match rng.range(0, 2) {
                0 => p["price"] = json!(cents(rng.range(0, 3) * 1000)),
                1 => p["off"] = json!(cents(rng.range(1, 3000))),
                _ => p["rate"] = json!(format!("0.{}", rng.range(1, 9))),
            }
            if rng.chance(40) {
                p["per_sku"] = json!(true);
            }
            if rng.chance(30) {
                p["max_groups"] = json!(rng.range(1, 2));
            }
            if rng.chance(25) {
                p["exclusive"] = json!(true);
            }
            p
        }
        1 => {
            let mut p = json!({ "id": id, "kind": "subsidy", "stage": "subsidy",
                "rate": *rng.pick(&["0.85", "0.8", "0.9"]) });
            if rng.chance(60) {
                p["cap"] = json!(cents(rng.range(1, 30) * 100));
            }
            if rng.chance(50) {
                p["limit_qty"] = json!(rng.range(1, 3));
            }
            p
        }
        _ => {
            let mut p = json!({ "id": id, "kind": "shipping_off", "stage": "shipping" });
            if rng.chance(60) {
                p["off"] = json!(cents(rng.range(1, 12) * 100));
            }
            if rng.chance(40) {
                p["at"] = json!(cents(rng.range(0, 30) * 1000));
            }
            if rng.chance(coupon_percent) {
                p["coupon"] = json!(true);
                if rng.chance(15) {
                    p["slot"] = json!("shared");
                }
            }
            p
        }
    };
    if rng.chance(60) {
        let scope = match rng.range(0, 3) {
            0 => json!({ "skus": [rng.pick(SKUS), rng.pick(SKUS)] }),
            1 => json!({ "categories": [rng.pick(CATS)] }),
            2 => json!({ "stores": [format!("s{}", rng.range(1, stores))] }),
            _ => json!({ "exclude_tags": [rng.pick(TAGS)] }),
        };
        p["scope"] = scope;
    }
    p
}

/// Version 2 decorations of any promotion: an audience, `exclusive` on a
/// markdown, `exclude_tags`, a government funder.
fn v2_decorate(rng: &mut Rng, p: &mut Value) {
    if rng.chance(15) {
        let n = rng.range(0, 2) as usize;
        let tags: Vec<&str> = (0..n).map(|_| *rng.pick(BUYER_TAGS)).collect();
        p["audience"] = json!(tags);
    }
    if p["kind"] == "markdown" && rng.chance(25) {
        p["exclusive"] = json!(true);
    }
    if p["kind"] != "shipping_off" && rng.chance(10) {
        let scope = p
            .as_object_mut()
            .unwrap()
            .entry("scope")
            .or_insert_with(|| json!({}));
        scope["exclude_tags"] = json!([rng.pick(TAGS)]);
    }
    if rng.chance(5) {
        p["funded_by"] = json!("government");
    }
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

/// One to three tiers with distinct `at`, each completed by `rest`.
fn tiers(rng: &mut Rng, count: bool, rest: impl Fn(&mut Rng) -> Value) -> Value {
    let k = rng.range(1, 3);
    let mut ats = Vec::new();
    let mut out = Vec::new();
    for _ in 0..k {
        let at = threshold_at(rng, count);
        if ats.contains(&at) {
            continue;
        }
        ats.push(at.clone());
        let mut tier = rest(rng);
        tier["at"] = at;
        out.push(tier);
    }
    json!(out)
}

/// A promotion's members, as they are built.
type Members = serde_json::Map<String, Value>;

fn promotion(rng: &mut Rng, n: usize, stores: u64, coupon_percent: u64) -> Value {
    let id = format!("p{n}-{}", rng.range(0, 99));
    let stage = *rng.pick(&["item", "item", "store", "store", "cross_store", "platform"]);
    let mut p = json!({ "id": id, "stage": stage });
    let obj = p.as_object_mut().unwrap();
    if stage == "item" {
        markdown(rng, obj);
    } else {
        threshold(rng, obj, stage, stores, coupon_percent);
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

/// An item-stage markdown: a price, an amount off or a rate, maybe a limit
/// and a sku scope.
fn markdown(rng: &mut Rng, obj: &mut Members) {
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
}

/// A threshold promotion of a store, cross-store or platform `stage`: its
/// basis and amounts, its scope, maybe a coupon and an earlier threshold.
fn threshold(rng: &mut Rng, obj: &mut Members, stage: &str, stores: u64, coupon_percent: u64) {
    let count = rng.chance(20);
    if count {
        obj.insert("basis".into(), json!("count"));
    }
    threshold_amounts(rng, obj, count);
    threshold_scope(rng, obj, stage, stores);
    if rng.chance(coupon_percent) {
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

/// A threshold_off (every, or tiers) or a threshold_rate (tiers, maybe a
/// cap), on amounts or on a `count` of units.
fn threshold_amounts(rng: &mut Rng, obj: &mut Members, count: bool) {
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
            let tiers = tiers(
                rng,
                count,
                |rng| json!({ "off": cents(rng.range(1, 80) * 100) }),
            );
            obj.insert("tiers".into(), tiers);
        }
    } else {
        obj.insert("kind".into(), json!("threshold_rate"));
        let tiers = tiers(
            rng,
            count,
            |rng| json!({ "rate": format!("0.{}", rng.range(5, 99)) }),
        );
        obj.insert("tiers".into(), tiers);
        if rng.chance(40) {
            obj.insert("cap".into(), json!(cents(rng.range(1, 100) * 100)));
        }
    }
}

/// A store promotion's store (maybe with a category); now and then a scope
/// of another stage's.
fn threshold_scope(rng: &mut Rng, obj: &mut Members, stage: &str, stores: u64) {
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
        .map(|i| {
            if shape.v2 && rng.chance(35) {
                let mut p = v2_promotion(rng, i as usize, shape.stores, shape.coupon_percent);
                v2_decorate(rng, &mut p);
                return p;
            }
            let mut p = promotion(rng, i as usize, shape.stores, shape.coupon_percent);
            if shape.v2 {
                v2_decorate(rng, &mut p);
            }
            p
        })
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
            if shape.v2 && rng.chance(40) {
                l["ship_to"] = json!(rng.pick(ADDRESSES));
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
    if shape.v2 && rng.chance(70) {
        let n = rng.range(0, 2) as usize;
        let tags: Vec<&str> = (0..n).map(|_| *rng.pick(BUYER_TAGS)).collect();
        cart["buyer"] = json!({ "tags": tags });
    }
    let mut input = json!({ "rules": { "currency": "CNY", "stores": stores, "promotions": promotions }, "cart": cart });
    if shape.v3 {
        v3::decorate(rng, &mut input, shape.stores);
    }
    input
}

/// Shape of larger carts for the search cross-checks.
impl Shape {
    pub const MANY_COUPONS: Shape = Shape {
        stores: 4,
        max_lines: 9,
        max_promotions: 30,
        max_coupons: 12,
        coupon_percent: 75,
        v2: false,
        v3: false,
    };
    pub const LARGE: Shape = Shape {
        stores: 12,
        max_lines: 80,
        max_promotions: 70,
        max_coupons: 40,
        coupon_percent: 60,
        v2: false,
        v3: false,
    };
}

fn money(c: u64) -> Value {
    json!(cents(c))
}

/// The benchmark workloads (also checked for `proven_best` by the tests).
///
/// - `small`: 5 lines, 1 store, 3 promotions.
/// - `double11`: 40 lines, 10 stores (5 with freight templates), 31
///   promotions, 12 held coupons and 5 to claim.
/// - `huge`: 1,000 lines, 50 stores (25 with freight templates), 2,000
///   promotions, 180 held coupons and 20 to claim.
///
/// Each also has the buyer's three addresses and three tenders
/// (`workload_v3`).
pub fn workload(name: &str) -> Value {
    let mut rng = Rng::new(0x5EED_0000 + name.len() as u64);
    let (stores, lines, markdowns, store_coupons_per_store, global_coupons) = match name {
        "small" => (1u64, 5u64, 1u64, 1u64, 0u64),
        "double11" => (10, 40, 2, 0, 0),
        "huge" => (50, 1000, 1748, 3, 50),
        other => panic!("unknown workload {other}"),
    };
    let mut shipping = serde_json::Map::new();
    for s in 0..stores {
        shipping.insert(
            format!("store-{s}"),
            json!({ "shipping": { "fee": money(rng.range(0, 12) * 100), "free_over": money(rng.range(5, 20) * 1000) } }),
        );
    }
    let mut offers = Offers::default();
    workload_markdowns(&mut rng, markdowns, lines, &mut offers);
    // Store coupons per store (`double11` has eight of its own).
    let per_store = if name == "double11" {
        0
    } else {
        store_coupons_per_store
    };
    workload_store_offers(&mut rng, name, stores, per_store, &mut offers);
    if stores > 1 {
        workload_cross_store_and_platform(&mut offers);
    }
    workload_global_coupons(&mut rng, global_coupons, &mut offers);
    let Offers {
        promotions,
        coupons,
    } = offers;
    let cats = ["food", "home", "apparel", "digital"];
    let cart_lines: Vec<Value> = (0..lines)
        .map(|i| {
            json!({ "id": format!("L{i}"), "sku": format!("sku-{i}"), "store": format!("store-{}", i % stores),
                "category": cats[(i % 4) as usize], "unit_price": money(rng.range(5, 400) * 100 + rng.range(0, 99)),
                "qty": rng.range(1, 3) })
        })
        .collect();
    let mut w = json!({
        "rules": { "currency": "CNY", "stores": shipping, "promotions": promotions },
        "cart": { "at": "2026-11-11T20:05:00+08:00", "lines": cart_lines, "coupons": coupons, "apply": "best" }
    });
    workload_v3::add(name, &mut rng, &mut w);
    w
}

/// A workload's promotions and the coupons its cart holds, as they are built.
#[derive(Default)]
struct Offers {
    promotions: Vec<Value>,
    coupons: Vec<String>,
}

/// Markdowns on skus (直降, 秒杀 with 限购).
fn workload_markdowns(rng: &mut Rng, markdowns: u64, lines: u64, offers: &mut Offers) {
    for m in 0..markdowns {
        let sku = format!("sku-{}", m % (lines.max(1)));
        let mut p = json!({ "id": format!("md-{m}"), "kind": "markdown", "stage": "item", "scope": { "skus": [sku] } });
        match m % 3 {
            0 => p["rate"] = json!(format!("0.{}", rng.range(70, 95))),
            1 => p["off"] = money(rng.range(1, 30) * 100),
            _ => {
                p["price"] = money(rng.range(10, 200) * 100);
                p["limit_qty"] = json!(rng.range(1, 3));
            }
        }
        offers.promotions.push(p);
    }
}

/// A store 满减 per store, and `per_store` store coupons each (for
/// `double11`, 8 store coupons over 6 stores).
fn workload_store_offers(
    rng: &mut Rng,
    name: &str,
    stores: u64,
    per_store: u64,
    offers: &mut Offers,
) {
    let Offers {
        promotions,
        coupons,
    } = offers;
    // A store 满减 per store.
    for s in 0..stores {
        promotions.push(json!({ "id": format!("mj-{s}"), "kind": "threshold_off", "stage": "store",
            "scope": { "stores": [format!("store-{s}")] },
            "tiers": [ { "at": money(19900), "off": money(2000) }, { "at": money(39900), "off": money(5000) } ] }));
    }
    // Store coupons.
    for s in 0..stores {
        for k in 0..per_store {
            let id = format!("cp-{s}-{k}");
            let at = rng.range(1, 6) * 5000;
            promotions.push(json!({ "id": id, "kind": "threshold_off", "stage": "store", "coupon": true,
                "scope": { "stores": [format!("store-{s}")] }, "tiers": [ { "at": money(at), "off": money(at / 10) } ] }));
            coupons.push(id);
        }
    }
    if name == "double11" {
        // 8 store coupons over 6 stores (two stores hold two each).
        for (k, s) in [0u64, 1, 2, 3, 4, 5, 0, 1].iter().enumerate() {
            let id = format!("cp-{s}-{k}");
            let at = [9900u64, 19900, 29900][k % 3];
            promotions.push(json!({ "id": id, "kind": "threshold_off", "stage": "store", "coupon": true,
                "scope": { "stores": [format!("store-{s}")] }, "tiers": [ { "at": money(at), "off": money(at / 10 + 100) } ] }));
            coupons.push(id);
        }
    }
}

/// 跨店每满300减40 for everything, in a 双11 window; platform coupons in
/// one slot, an 88VIP coupon and a platform 满折.
fn workload_cross_store_and_platform(offers: &mut Offers) {
    let Offers {
        promotions,
        coupons,
    } = offers;
    promotions.push(
        json!({ "id": "xd-300-40", "kind": "threshold_off", "stage": "cross_store",
        "every": { "at": money(30000), "off": money(4000) },
        "window": { "from": "2026-11-11T00:00:00+08:00", "to": "2026-11-12T00:00:00+08:00" } }),
    );
    // Platform coupons in one slot, a category coupon, an 88VIP coupon.
    let plat = [(100000u64, 8000u64), (50000, 3000), (20000, 1000)];
    for (k, (at, off)) in plat.iter().enumerate() {
        let id = format!("plat-{k}");
        promotions.push(
            json!({ "id": id, "kind": "threshold_off", "stage": "platform", "coupon": true,
            "tiers": [ { "at": money(*at), "off": money(*off) } ] }),
        );
        coupons.push(id);
    }
    promotions.push(json!({ "id": "vip-5", "kind": "threshold_off", "stage": "platform", "coupon": true, "slot": "vip",
        "tiers": [ { "at": money(0), "off": money(500) } ] }));
    coupons.push("vip-5".into());
    // A platform 满折 that is not a coupon.
    promotions.push(json!({ "id": "plat-95", "kind": "threshold_rate", "stage": "platform",
        "scope": { "categories": ["food"] }, "tiers": [ { "at": money(20000), "rate": "0.95" } ], "cap": money(3000) }));
}

/// More global coupons in a few slots (category coupons and the like).
fn workload_global_coupons(rng: &mut Rng, global_coupons: u64, offers: &mut Offers) {
    for k in 0..global_coupons.saturating_sub(4) {
        let id = format!("g-{k}");
        let cat = ["food", "home", "apparel", "digital"][(k % 4) as usize];
        let at = rng.range(2, 20) * 5000;
        offers.promotions.push(
            json!({ "id": id, "kind": "threshold_off", "stage": "platform", "coupon": true,
            "slot": format!("cat-{}", k % 4), "scope": { "categories": [cat] },
            "tiers": [ { "at": money(at), "off": money(at / 20) } ] }),
        );
        offers.coupons.push(id);
    }
}

/// Counts of a workload: (lines, stores, promotions, held coupons).
pub fn workload_size(w: &Value) -> (usize, usize, usize, usize) {
    let stores: std::collections::BTreeSet<&str> = w["cart"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["store"].as_str().unwrap())
        .collect();
    (
        w["cart"]["lines"].as_array().unwrap().len(),
        stores.len(),
        w["rules"]["promotions"].as_array().unwrap().len(),
        w["cart"]["coupons"].as_array().unwrap().len(),
    )
}

/// The names of [`hostile`] inputs.
pub const HOSTILE: [&str; 5] = [
    "max_size",
    "many_store_slots",
    "one_store_200_slots",
    "long_tiers",
    "tight_every",
];

/// Inputs at the contract's limits built to be slow (section 8: "every
/// input within the limits is answered in bounded time"), for the limit
/// tests and the worst-case benchmark:
/// - `max_size`: 1,000 lines, 2,000 promotions, 200 held coupons in 200
///   slots of their own, all platform coupons;
/// - `many_store_slots`: 50 stores with four store-coupon slots each (200
///   coupons), a 跨店每满300减40 and 100 platform tiers;
/// - `one_store_200_slots`: 200 coupons of one store, each in its own slot
///   (2^200 ways to fill them);
/// - `long_tiers`: a cross-store promotion with 100,000 tiers beside 200
///   store coupons (3.6 MB of JSON);
/// - `tight_every`: like `many_store_slots` with 每满0.37减0.01, a
///   threshold that every coupon moves.
pub fn hostile(name: &str) -> Value {
    let mut rng = Rng::new(0x5EED ^ name.len() as u64);
    let stores = 50u64;
    let lines: Vec<Value> = (0..1000u64)
        .map(|i| {
            json!({"id": format!("L{i}"), "sku": format!("k{i}"),
                   "store": format!("s{}", i % stores),
                   "unit_price": cents(rng.range(100, 10_000)), "qty": 1})
        })
        .collect();
    let mut promos = hostile_promotions(name, &mut rng, stores);
    // Fill up to the limit with store promotions that never apply.
    let mut p = 0u64;
    while promos.len() < 2000 {
        promos.push(json!({
            "id": format!("p{p:04}"), "kind": "threshold_off", "stage": "store",
            "scope": {"stores": [format!("s{}", p % stores)]},
            "tiers": [{"at": cents(5_000_000 + p), "off": "1.00"}]}));
        p += 1;
    }
    let coupons: Vec<Value> = promos
        .iter()
        .filter(|p| p["coupon"] == true)
        .map(|p| p["id"].clone())
        .collect();
    json!({"rules": {"currency": "CNY", "promotions": promos},
           "cart": {"lines": lines, "coupons": coupons}})
}

/// The promotions that make the hostile input `name` slow, over `stores`
/// stores (before the filling ones).
fn hostile_promotions(name: &str, rng: &mut Rng, stores: u64) -> Vec<Value> {
    let mut promos: Vec<Value> = Vec::new();
    match name {
        "max_size" => {
            for c in 0..200u64 {
                promos.push(json!({
                    "id": format!("c{c:03}"), "kind": "threshold_off", "stage": "platform",
                    "coupon": true, "slot": format!("slot{c}"),
                    "tiers": [{"at": cents((1000 + c * 7) * 100), "off": cents((10 + c % 13) * 100)}]}));
            }
        }
        "many_store_slots" | "tight_every" => {
            hostile_store_coupons(rng, stores, 4, &mut promos);
            let every = if name == "tight_every" {
                json!({"at": "0.37", "off": "0.01"})
            } else {
                json!({"at": "300.00", "off": "40.00"})
            };
            promos.push(json!({"id": "xd", "kind": "threshold_off", "stage": "cross_store", "every": every}));
            let tiers: Vec<Value> = (1..=100u64)
                .map(|t| json!({"at": cents(t * 99_700), "off": cents(t * 5_000)}))
                .collect();
            promos.push(
                json!({"id": "pl", "kind": "threshold_off", "stage": "platform", "tiers": tiers}),
            );
        }
        "one_store_200_slots" => {
            for c in 0..200u64 {
                promos.push(json!({
                    "id": format!("c{c:03}"), "kind": "threshold_off", "stage": "store",
                    "coupon": true, "scope": {"stores": ["s0"]}, "slot": format!("x{c}"),
                    "tiers": [{"at": cents(rng.range(100, 2000) * 100), "off": cents(rng.range(1, 900))}]}));
            }
        }
        "long_tiers" => {
            hostile_store_coupons(rng, stores, 1, &mut promos);
            let tiers: Vec<Value> = (1..=100_000u64)
                .map(|t| json!({"at": cents(t * 100), "off": cents(t * 10)}))
                .collect();
            promos.push(
                json!({"id": "x", "kind": "threshold_off", "stage": "cross_store", "tiers": tiers}),
            );
        }
        other => panic!("unknown hostile input {other}"),
    }
    promos
}

/// Four store coupons in each of `stores` stores, in `slots` slots a store.
fn hostile_store_coupons(rng: &mut Rng, stores: u64, slots: u64, promos: &mut Vec<Value>) {
    for s in 0..stores {
        for k in 0..4 {
            promos.push(json!({
                "id": format!("c{s:02}-{k}"), "kind": "threshold_off", "stage": "store",
                "coupon": true, "scope": {"stores": [format!("s{s}")]},
                "slot": format!("st{s}-{}", k % slots),
                "tiers": [{"at": cents(rng.range(50, 500) * 100),
                           "off": cents(rng.range(100, 6000))}]}));
        }
    }
}

/// A money value of a quote: a string at scale 2, never negative.
pub fn dec(v: &Value) -> Decimal {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("money must be a string: {v}"));
    let d = Decimal::from_str(s).unwrap();
    assert_eq!(d.scale(), 2, "money {s} must have the currency's scale");
    assert!(d >= Decimal::ZERO, "money {s} must not be negative");
    d
}

/// The invariants every quote satisfies (contract sections 3 to 5):
/// money at the currency's scale and never negative, each line's
/// discounts explain its final, each promotion's shares (on lines, or on
/// shipping entries for a shipping promotion) sum to its total, no
/// shipping discount above the fee it came off, and the totals add up.
pub fn check_invariants(q: &Value) {
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
    let mut shipping = Decimal::ZERO;
    for s in q["shipping"].as_array().unwrap() {
        shipping += dec(&s["fee"]);
        if let Some(ds) = s.get("discounts") {
            assert!(
                !ds.as_array().unwrap().is_empty(),
                "discounts only when one applied: {s}"
            );
            for d in ds.as_array().unwrap() {
                let a = dec(&d["amount"]);
                assert!(
                    a > Decimal::ZERO,
                    "zero shipping discounts are left out: {s}"
                );
                *per_promo
                    .entry(d["promotion"].as_str().unwrap().to_owned())
                    .or_default() += a;
            }
        }
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
        "every discount belongs to a listed promotion: {per_promo:?}"
    );
    let t = &q["totals"];
    assert_eq!(dec(&t["list"]), list);
    assert_eq!(dec(&t["discount"]), list - goods);
    assert_eq!(dec(&t["shipping"]), shipping);
    assert_eq!(dec(&t["payable"]), goods + shipping);
    assert!(dec(&t["due"]) <= dec(&t["payable"]));
    for h in q["hints"].as_array().unwrap() {
        assert!(dec(&h["add"]) > Decimal::ZERO);
    }
}

/// The version 2 invariants of a quote of `input`: a subsidy never takes
/// more than its cap times the line's units nor more than the line's amount;
/// a line an exclusive promotion took money off has no store, cross-store or
/// platform share; no shipping group pays more than its store's fee nor
/// gets more off than that fee.
pub fn check_v2_invariants(input: &Value, q: &Value) {
    let promos = input["rules"]["promotions"].as_array().unwrap();
    let promo = |id: &str| promos.iter().find(|p| p["id"] == id);
    for l in q["lines"].as_array().unwrap() {
        let qty = Decimal::from(l["qty"].as_u64().unwrap());
        let mut exclusive = false;
        for d in l["discounts"].as_array().unwrap() {
            let Some(p) = promo(d["promotion"].as_str().unwrap()) else {
                continue;
            };
            let a = dec(&d["amount"]);
            if p["exclusive"] == true {
                exclusive = true;
            }
            if p["kind"] == "subsidy" {
                if let Some(cap) = p.get("cap") {
                    assert!(a <= dec(cap) * qty, "subsidy above cap x units: {l}");
                }
                assert!(a <= dec(&l["list"]), "subsidy above the line's amount: {l}");
            }
            if p["kind"] == "multi_buy" {
                // A group priced above what its units cost gives nothing:
                // a multi-buy never raises a unit.
                assert!(
                    a > Decimal::ZERO && a <= dec(&l["list"]),
                    "a multi-buy raised a unit or took more than the line: {l}"
                );
            }
            let stage = d["stage"].as_str().unwrap();
            if exclusive && matches!(stage, "store" | "cross_store" | "platform") {
                panic!("an exclusive line took a threshold share: {l}");
            }
        }
    }
    // 国补's limit_qty counts units across the cart: a subsidy's whole
    // amount is at most cap times limit_qty.
    for p in promos.iter().filter(|p| p["kind"] == "subsidy") {
        let (Some(cap), Some(limit)) = (p.get("cap"), p["limit_qty"].as_u64()) else {
            continue;
        };
        let total: Decimal = q["lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| l["discounts"].as_array().unwrap())
            .filter(|d| d["promotion"] == p["id"])
            .map(|d| dec(&d["amount"]))
            .sum();
        assert!(
            total <= dec(cap) * Decimal::from(limit),
            "subsidy {} above cap x limit_qty: {total}",
            p["id"]
        );
    }
    for s in q["shipping"].as_array().unwrap() {
        let store = &input["rules"]["stores"][s["store"].as_str().unwrap()];
        if store.get("templates").is_some() {
            // Version 3: `v3_checks::check_fees` re-derives template fees.
            continue;
        }
        let fee = store["shipping"].get("fee").map_or(Decimal::ZERO, dec);
        let off: Decimal = s.get("discounts").map_or(Decimal::ZERO, |ds| {
            ds.as_array()
                .unwrap()
                .iter()
                .map(|d| dec(&d["amount"]))
                .sum()
        });
        assert!(
            dec(&s["fee"]) + off <= fee,
            "a group's fee before discounts is its store's: {s}"
        );
    }
}

/// Run the `manjian` command `exe` (the test's `CARGO_BIN_EXE_manjian`)
/// with `args` and `input` on stdin; its output. The command may answer
/// (and exit) before reading all of a bad input, so a broken pipe while
/// writing is not a failure.
pub fn run_command(exe: &str, args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().expect("the command ends")
}
pub mod generate;
pub mod hostile_v3;
pub mod v3;
pub use hostile_v3::{hostile_v3, HOSTILE_V3};
pub mod v3_checks;
mod workload_v3;

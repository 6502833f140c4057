//! Version 3 inputs at the limits of contract section 8, for the limit
//! tests and the server under hostile load: 2,000 freight templates, 100
//! addresses with regions at the 64-character limit of an id, template
//! arrays of 1,000 entries, 20 tenders of 100, 100 gifts in a tier.

use crate::{cents, Rng};
use serde_json::{json, Map, Value};

/// The names of [`hostile_v3`] inputs.
pub const HOSTILE_V3: [&str; 3] = ["many_templates", "long_regions", "many_tenders"];

/// A region of `depth` segments, `id`'s path at the 64-character limit:
/// every prefix of it is an area that covers it.
fn long_region(id: u64, depth: usize) -> String {
    let head = format!("r{id:03}");
    let mut out = head.clone();
    while out.split('/').count() < depth && out.chars().count() + 3 <= 64 {
        out.push_str(&format!("/{}", (b'a' + (out.len() % 26) as u8) as char));
    }
    let pad = 64usize.saturating_sub(out.chars().count() + 1);
    if pad > 0 {
        out.push('/');
        out.push_str(&"z".repeat(pad));
    }
    out
}

/// The first `segments` segments of a region.
fn prefix(region: &str, segments: usize) -> String {
    region
        .split('/')
        .take(segments)
        .collect::<Vec<_>>()
        .join("/")
}

/// 100 addresses (the limit), each at a region at the length limit.
fn addresses() -> Map<String, Value> {
    (0..100u64)
        .map(|a| {
            (
                format!("a{a:02}"),
                json!({ "region": long_region(a % 20, 24) }),
            )
        })
        .collect()
}

/// A piece template with `entries` rules for regions (prefixes of the
/// long regions, at every depth), free entries and no-delivery regions.
fn template(rng: &mut Rng, entries: usize, per_entry: usize) -> Value {
    let rule = |rng: &mut Rng| {
        json!({ "first": rng.range(1, 3), "first_fee": cents(rng.range(0, 3000)),
                "extra": rng.range(1, 3), "extra_fee": cents(rng.range(0, 900)) })
    };
    let regions: Vec<Value> = (0..entries)
        .map(|e| {
            let list: Vec<String> = (0..per_entry)
                .map(|k| prefix(&long_region(((e + k) % 20) as u64, 24), 1 + (e + k) % 24))
                .collect();
            let mut r = rule(rng);
            r["regions"] = json!(list);
            r
        })
        .collect();
    let mut t = rule(rng);
    t["regions"] = json!(regions);
    t["free"] = json!((0..entries.min(1000))
        .map(
            |e| json!({ "regions": [prefix(&long_region((e % 20) as u64, 24), 3)],
                         "amount": cents(5_000_000 + e as u64), "qty": 99_999 })
        )
        .collect::<Vec<_>>());
    // Regions no address is in: nothing is undeliverable.
    t["no_delivery"] = json!((0..entries.min(1000))
        .map(|e| format!("海外/{e}"))
        .collect::<Vec<_>>());
    t
}

/// 1,000 lines over 50 stores, spread over the 100 addresses.
fn lines(rng: &mut Rng, templates_per_store: u64) -> Vec<Value> {
    (0..1000u64)
        .map(|i| {
            let category = ["food", "home"][(i % 2) as usize];
            json!({"id": format!("L{i}"), "sku": format!("k{}", i % 40), "store": format!("s{}", i % 50),
                   "ship_to": format!("a{:02}", i % 100), "category": category,
                   "unit_price": cents(rng.range(100, 10_000)), "qty": rng.range(1, 3),
                   "template": format!("t{}", (i / 50) % templates_per_store)})
        })
        .collect()
}

/// Version 3 inputs at the limits, built to be slow or large:
/// - `many_templates`: 2,000 templates (40 in each of 50 stores, the
///   limit), each with rules for regions, 1,000 lines over 100 addresses
///   at the region length limit (up to 5,000 shipping groups' parts);
/// - `long_regions`: one template per store, the first with 1,000 rules
///   for regions of 25 long regions each, 1,000 free entries and 1,000
///   no-delivery regions (the limit of each array);
/// - `many_tenders`: 100 tenders in the rules and 20 in the cart (the
///   limits) over 1,000 lines, 200 held and claimable coupons, and gifts
///   of 100 in a tier.
pub fn hostile_v3(name: &str) -> Value {
    let mut rng = Rng::new(0x3EED ^ name.len() as u64);
    let (templates_per_store, entries, per_entry) = match name {
        "many_templates" => (40, 4, 3),
        "long_regions" => (1, 1000, 25),
        "many_tenders" => (1, 2, 2),
        other => panic!("unknown hostile input {other}"),
    };
    let mut stores = Map::new();
    for s in 0..50u64 {
        let ts: Map<String, Value> = (0..templates_per_store)
            .map(|k| {
                // The long arrays once: the input stays within 4 MiB.
                let (e, p) = if s == 0 && k == 0 {
                    (entries, per_entry)
                } else {
                    (entries.min(4), per_entry.min(3))
                };
                (format!("t{k}"), template(&mut rng, e, p))
            })
            .collect();
        stores.insert(format!("s{s}"), json!({ "templates": ts }));
    }
    let lines = lines(&mut rng, templates_per_store);
    let mut input = json!({"rules": {"currency": "CNY", "stores": stores, "promotions": []},
                           "cart": {"lines": lines, "coupons": [], "buyer": {"addresses": addresses()}}});
    if name == "many_tenders" {
        tenders_coupons_and_gifts(&mut rng, &mut input);
    }
    input
}

/// 100 tenders (20 in the cart), 200 coupons held or claimable, and a gift
/// of 100 gifts a tier in every store.
fn tenders_coupons_and_gifts(rng: &mut Rng, input: &mut Value) {
    let tenders: Vec<Value> = (0..100u64)
        .map(|t| {
            let kind = ["points", "credit"][(t % 2) as usize];
            let category = ["food", "home"][(t % 2) as usize];
            let mut v = json!({"id": format!("T{t:02}"), "kind": kind,
                               "priority": (t % 7) as i64 - 3, "shipping": t % 3 == 0,
                               "scope": {"categories": [category]}});
            if t % 2 == 0 {
                v["unit_value"] = json!(["0.01", "0.10", "1.00"][(t % 3) as usize]);
                v["step"] = json!([1, 100, 1000][(t % 3) as usize]);
            }
            if t % 5 == 0 {
                v["max_share"] = json!("0.05");
            }
            v
        })
        .collect();
    let held: Vec<Value> = (0..20u64)
        .map(|t| match t % 2 {
            0 => json!({"id": format!("T{:02}", t * 5), "balance": rng.range(0, 1_000_000)}),
            _ => json!({"id": format!("T{:02}", t * 5), "balance": cents(rng.range(0, 500_000))}),
        })
        .collect();
    let mut promos: Vec<Value> = (0..200u64)
        .map(|c| json!({"id": format!("c{c:03}"), "kind": "threshold_off", "stage": "platform", "coupon": true,
                        "slot": format!("x{}", c % 50), "tiers": [{"at": cents(rng.range(100, 5000) * 100), "off": cents(rng.range(1, 900))}]}))
        .collect();
    for s in 0..50u64 {
        let gifts: Vec<Value> = (0..100u64)
            .map(|g| json!({"sku": format!("gift{g}"), "qty": 1, "value": cents(g)}))
            .collect();
        promos.push(json!({"id": format!("gift-s{s}"), "kind": "gift", "stage": "store",
                           "scope": {"stores": [format!("s{s}")]}, "tiers": [{"at": "0.00", "gifts": gifts}]}));
    }
    let ids: Vec<Value> = promos.iter().take(200).map(|p| p["id"].clone()).collect();
    input["rules"]["tenders"] = json!(tenders);
    input["rules"]["promotions"] = json!(promos);
    input["cart"]["tenders"] = json!(held);
    input["cart"]["coupons"] = json!(ids[..100].to_vec());
    input["cart"]["claimable"] = json!(ids[100..].to_vec());
}

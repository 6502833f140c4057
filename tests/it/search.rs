//! The best-coupon search against brute force: digest for digest on
//! thousands of random carts with up to 12 held coupons; on large carts,
//! never worse than a greedy pick or than any single-coupon change of its
//! answer; and proven optimal on every benchmark workload.

use serde_json::{json, Value};
use testkit::v3_checks::first_undeliverable;
use testkit::{quote_input, workload, workload_size, Rng, Shape};

fn parse(input: &Value) -> (manjian::Rules, manjian::Cart) {
    let rules = input["rules"]
        .to_string()
        .parse::<manjian::Rules>()
        .unwrap();
    let cart = rules.cart_from_str(&input["cart"].to_string()).unwrap();
    (rules, cart)
}

#[test]
fn search_equals_brute_force_digest_for_digest() {
    brute_force(Shape::MANY_COUPONS, 0xB0B);
}

/// The same with every version 2 feature: buyers and audiences, exclusive
/// markdowns and multi-buys, subsidies after the platform stage (a cap can
/// absorb a coupon), shipping groups per address, shipping promotions and
/// 运费券 in the search.
#[test]
fn search_equals_brute_force_with_version_2() {
    brute_force(Shape::MANY_COUPONS.v2(), 0x2B0B);
}

/// The search's quote, checked digest for digest against trying every
/// choice, and proven best.
fn search_is_exhaustive(rules: &manjian::Rules, cart: &manjian::Cart, seed: u64) -> manjian::Quote {
    let fast = manjian::quote(rules, cart).unwrap();
    let slow = manjian::testing::quote_exhaustive(rules, cart).unwrap();
    assert_eq!(
        fast.digest,
        slow.digest,
        "seed {seed}:\n{}\n{}",
        fast.to_json(),
        slow.to_json()
    );
    assert!(fast.coupons.proven_best);
    fast
}

fn brute_force(shape: Shape, salt: u64) {
    let mut coupons_seen = 0;
    let mut max_coupons = 0;
    for seed in 0..10_000u64 {
        let input = quote_input(&mut Rng::new(seed ^ salt), shape);
        let (rules, cart) = parse(&input);
        search_is_exhaustive(&rules, &cart, seed);
        coupons_seen += cart.held_coupons().len();
        max_coupons = max_coupons.max(cart.held_coupons().len());
    }
    assert!(
        coupons_seen > 10_000 * 5,
        "carts hold coupons: {coupons_seen}"
    );
    assert!(
        max_coupons >= 10,
        "some carts hold many coupons: {max_coupons}"
    );
}

/// The payable of `input`'s cart with exactly the coupons `apply`.
fn payable(input: &Value, apply: Vec<String>) -> rust_decimal::Decimal {
    let mut input = input.clone();
    input["cart"]["apply"] = json!(apply);
    manjian::quote_from_str(&input.to_string())
        .unwrap()
        .totals
        .payable
        .decimal()
}

/// Known coupon ids held, with their slots.
fn held(rules: &manjian::Rules, cart: &manjian::Cart) -> Vec<(String, String)> {
    cart.held_coupons()
        .iter()
        .filter_map(|id| {
            let slot = rules.coupon_slot(id.as_str())?;
            Some((id.to_string(), slot.to_owned()))
        })
        .collect()
}

#[test]
fn on_large_carts_best_beats_greedy_and_every_single_change() {
    // Single changes checked: coupons added, coupons dropped.
    let (mut added, mut dropped) = (0, 0);
    for seed in 0..25u64 {
        let input = quote_input(&mut Rng::new(seed + 77), Shape::LARGE);
        let (rules, cart) = parse(&input);
        let best = manjian::quote(&rules, &cart).unwrap();
        assert!(best.coupons.proven_best, "seed {seed}");
        let best_pay = best.totals.payable.decimal();
        let slots = held(&rules, &cart);
        let applied: Vec<String> = best.coupons.applied.iter().map(|i| i.to_string()).collect();
        // Every single change: add one coupon (replacing its slot-mate), or drop one.
        for (id, slot) in &slots {
            let mut with: Vec<String> = applied
                .iter()
                .filter(|a| slots.iter().any(|(c, s)| c == *a && s != slot))
                .cloned()
                .collect();
            if !applied.contains(id) {
                with.push(id.clone());
                assert!(
                    payable(&input, with) >= best_pay,
                    "seed {seed}: adding {id}"
                );
                added += 1;
            } else {
                let without: Vec<String> = applied.iter().filter(|a| *a != id).cloned().collect();
                assert!(
                    payable(&input, without) >= best_pay,
                    "seed {seed}: dropping {id}"
                );
                dropped += 1;
            }
        }
        // Greedy: add the coupon that lowers payable most, while one does.
        let mut chosen: Vec<String> = Vec::new();
        let mut current = payable(&input, vec![]);
        loop {
            let mut step: Option<(rust_decimal::Decimal, String)> = None;
            for (id, slot) in &slots {
                if chosen
                    .iter()
                    .any(|c| slots.iter().any(|(x, s)| x == c && s == slot))
                {
                    continue;
                }
                let mut with = chosen.clone();
                with.push(id.clone());
                let p = payable(&input, with);
                if p < current && step.as_ref().is_none_or(|(b, _)| p < *b) {
                    step = Some((p, id.clone()));
                }
            }
            let Some((p, id)) = step else { break };
            chosen.push(id);
            current = p;
        }
        assert!(
            best_pay <= current,
            "seed {seed}: greedy {current} beats best {best_pay}"
        );
    }
    // The 25 carts hold 266 known coupons: 181 single changes add one,
    // 85 drop one. Half of each, so that a change of the generator that
    // leaves few coupons to try does not pass unnoticed.
    assert!(
        added >= 90 && dropped >= 40,
        "too few single changes checked: {added} added, {dropped} dropped"
    );
}

#[test]
fn every_benchmark_workload_is_proven_best() {
    for name in ["small", "double11", "huge"] {
        let w = workload(name);
        let (lines, stores, promotions, coupons) = workload_size(&w);
        let claimable = w["cart"]["claimable"].as_array().map_or(0, Vec::len);
        let templated = w["rules"]["stores"]
            .as_object()
            .unwrap()
            .values()
            .filter(|s| s.get("templates").is_some())
            .count();
        match name {
            "small" => assert_eq!((lines, stores, promotions), (5, 1, 3)),
            "double11" => assert_eq!(
                (lines, stores, coupons, claimable, templated),
                (40, 10, 12, 5, 5)
            ),
            _ => assert_eq!(
                (lines, stores, promotions, coupons, claimable, templated),
                (1000, 50, 2000, 180, 20, 25)
            ),
        }
        let (rules, cart) = parse(&w);
        let q = manjian::quote(&rules, &cart).unwrap();
        assert!(
            q.coupons.proven_best,
            "{name} is proven optimal within the budget"
        );
        assert!(
            !q.coupons.applied.is_empty() || name == "small",
            "{name} applies coupons"
        );
        // The search claims coupons where they pay, and the tenders pay.
        let claimed = q.coupons.claim.as_ref().map_or(0, Vec::len);
        assert!(claimed > 0 || name == "small", "{name} claims coupons");
        assert!(
            q.totals.tenders.is_some_and(|t| !t.is_zero()),
            "{name}: the tenders pay"
        );
    }
}

/// Version 3: claimable coupons (领券) are searched with the held ones. Some
/// held coupons become claimable, and a few coupons get a claimable twin
/// (the same promotion under another id, in the same slot), so that the
/// fewest-claimable rule decides between equal sets.
#[test]
fn search_equals_brute_force_with_claimable_coupons() {
    let mut claimed_seen = 0;
    for seed in 0..3_000u64 {
        let mut input = quote_input(&mut Rng::new(seed ^ 0x3C1A), Shape::MANY_COUPONS.v2());
        with_claimable(&mut input, seed);
        let (rules, cart) = parse(&input);
        let fast = search_is_exhaustive(&rules, &cart, seed);
        claimed_seen += fast.coupons.claim.as_ref().map_or(0, Vec::len);
    }
    assert!(
        claimed_seen > 300,
        "claimable coupons applied: {claimed_seen}"
    );
}

/// Version 3: gifts (满赠) judged in the store stage beside the coupons,
/// with claimable coupons (and their twins) and every other version 3
/// feature (templates, whose fees a 运费券 can take off; tenders, which
/// pay after the choice). A gift changes no amount, so the search must
/// choose as it would without it, and brute force agrees digest for
/// digest, gifts and gift hints included.
#[test]
fn search_equals_brute_force_with_gifts_and_claimable_coupons() {
    let (mut gifts_seen, mut claimed_seen, mut refused) = (0, 0, 0);
    for seed in 0..3_000u64 {
        let mut rng = Rng::new(seed ^ 0x61F7);
        let mut input = quote_input(&mut rng, Shape::MANY_COUPONS.v3());
        testkit::v3::gifts(&mut rng, &mut input, Shape::MANY_COUPONS.stores);
        with_claimable(&mut input, seed);
        if first_undeliverable(&input).is_some() {
            refused += 1;
            continue;
        }
        let (rules, cart) = parse(&input);
        let fast = search_is_exhaustive(&rules, &cart, seed);
        gifts_seen += fast.gifts.as_ref().map_or(0, Vec::len);
        claimed_seen += fast.coupons.claim.as_ref().map_or(0, Vec::len);
    }
    // Measured: 3,015 gifts given, 1,816 claimable coupons applied, 15
    // carts undeliverable.
    assert!(
        gifts_seen > 1_500 && claimed_seen > 900 && refused < 150,
        "gifts given: {gifts_seen}, claimable applied: {claimed_seen}, undeliverable: {refused}"
    );
}

/// Move every other known held coupon to `claimable`, and give up to
/// three held coupons a claimable twin.
fn with_claimable(input: &mut Value, seed: u64) {
    let promotions = input["rules"]["promotions"].as_array().unwrap().clone();
    let coupon_ids: Vec<String> = promotions
        .iter()
        .filter(|p| p["coupon"] == json!(true))
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    let held: Vec<String> = input["cart"]["coupons"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let mut keep = Vec::new();
    let mut claimable = Vec::new();
    let mut twins = Vec::new();
    for (k, id) in held.into_iter().enumerate() {
        let known = coupon_ids.contains(&id);
        if known && (k as u64 + seed) % 2 == 0 {
            claimable.push(id);
        } else {
            if known && twins.len() < 3 {
                twins.push(id.clone());
            }
            keep.push(id);
        }
    }
    let list = input["rules"]["promotions"].as_array_mut().unwrap();
    for id in &twins {
        let p = promotions.iter().find(|p| p["id"] == json!(id)).unwrap();
        let mut twin = p.clone();
        let slot = manjian_slot(p);
        twin["id"] = json!(format!("{id}~claim"));
        twin["slot"] = json!(slot);
        list.push(twin);
        claimable.push(format!("{id}~claim"));
    }
    if let Some(apply) = input["cart"]["apply"].as_array_mut() {
        // An explicit apply may name claimable coupons too.
        apply.retain(|v| keep.iter().chain(&claimable).any(|c| v == &json!(c)));
    }
    input["cart"]["coupons"] = json!(keep);
    input["cart"]["claimable"] = json!(claimable);
}

/// A promotion's slot, with the contract's default.
fn manjian_slot(p: &Value) -> String {
    if let Some(s) = p["slot"].as_str() {
        return s.to_owned();
    }
    let stage = p["stage"].as_str().unwrap();
    if stage == "store" {
        format!("store:{}", p["scope"]["stores"][0].as_str().unwrap())
    } else {
        stage.to_owned()
    }
}

/// Version 3: freight templates. Every store prices freight by two
/// templates (pieces and weight), each with free conditions by amount near
/// what its lines cost (so the coupons decide whether a part ships free),
/// and the buyer's addresses have regions; the search's bound counts only
/// the parts that cannot ship free, and must still find the best set.
#[test]
fn search_equals_brute_force_with_freight_templates() {
    let mut charged = 0;
    for seed in 0..3_000u64 {
        let mut input = quote_input(&mut Rng::new(seed ^ 0x7E3F), Shape::MANY_COUPONS.v2());
        with_templates(&mut input, &mut Rng::new(seed));
        let (rules, cart) = parse(&input);
        let fast = search_is_exhaustive(&rules, &cart, seed);
        charged += fast.shipping.iter().filter(|s| !s.fee.is_zero()).count();
    }
    assert!(charged > 1_000, "template fees charged: {charged}");
}

/// Replace every store's flat fee by a piece and a weight template, give
/// each line one of them (and a weight), and the addresses regions.
fn with_templates(input: &mut Value, rng: &mut Rng) {
    let cents = |c: u64| json!(format!("{}.{:02}", c / 100, c % 100));
    let stores: Vec<String> = input["rules"]["stores"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for id in &stores {
        let free_at = cents(rng.range(50, 400) * 100);
        input["rules"]["stores"][id] = json!({ "templates": {
            "piece": { "first": 1, "first_fee": cents(rng.range(0, 12) * 100), "extra": 1,
                "extra_fee": cents(rng.range(0, 5) * 100),
                "regions": [ { "regions": ["新疆"], "first": 2, "first_fee": cents(2000), "extra": 1, "extra_fee": cents(800) } ],
                "free": [ { "regions": ["浙江", "上海"], "amount": free_at }, { "qty": 6 } ] },
            "weight": { "by": "weight", "first": "1", "first_fee": cents(rng.range(5, 15) * 100), "extra": "0.5",
                "extra_fee": cents(rng.range(1, 4) * 100),
                "free": [ { "amount": cents(rng.range(100, 600) * 100) } ] } } });
    }
    let regions = ["浙江/杭州", "上海", "新疆/乌鲁木齐", "江苏"];
    let mut addresses = serde_json::Map::new();
    for line in input["cart"]["lines"].as_array_mut().unwrap() {
        if let Some(to) = line["ship_to"].as_str() {
            let region = regions[to.len() % regions.len()];
            addresses.insert(to.to_owned(), json!({ "region": region }));
        }
        if !stores.iter().any(|s| line["store"] == json!(s)) {
            continue;
        }
        if rng.chance(50) {
            line["template"] = json!("piece");
        } else {
            line["template"] = json!("weight");
            line["weight"] = json!(format!("{}.{}", rng.range(0, 6), rng.range(1, 9)));
        }
    }
    if !addresses.is_empty() {
        let buyer = input["cart"]
            .as_object_mut()
            .unwrap()
            .entry("buyer")
            .or_insert(json!({}));
        buyer["addresses"] = Value::Object(addresses);
    }
}

/// A store whose lines ship to several addresses has a shipping group per
/// address, each with part of the store's goods: here every store's
/// `free_over` sits near what one address's lines cost, and its store
/// coupons decide whether that group ships free. The bound knows each
/// group's goods by the options of its store (decided or still open).
#[test]
fn search_equals_brute_force_with_stores_split_over_addresses() {
    let mut paid = 0;
    for seed in 0..3_000u64 {
        let mut input = quote_input(&mut Rng::new(seed ^ 0x5A17), Shape::MANY_COUPONS.v2());
        split_over_addresses(&mut input, &mut Rng::new(seed));
        let (rules, cart) = parse(&input);
        let fast = search_is_exhaustive(&rules, &cart, seed);
        paid += fast.shipping.iter().filter(|s| !s.fee.is_zero()).count();
    }
    assert!(paid > 1_000, "fees paid: {paid}");
}

/// Ship each line to one of three addresses, and set each store's
/// `free_over` near what its lines to its first address list at.
fn split_over_addresses(input: &mut Value, rng: &mut Rng) {
    let addresses = ["home", "office", "parents"];
    let mut first: std::collections::BTreeMap<String, (String, u64)> = Default::default();
    for line in input["cart"]["lines"].as_array_mut().unwrap() {
        let to = *rng.pick(&addresses);
        line["ship_to"] = json!(to);
        let store = line["store"].as_str().unwrap().to_owned();
        let cents: u64 = line["unit_price"]
            .as_str()
            .unwrap()
            .replace('.', "")
            .parse()
            .unwrap();
        let list = cents * line["qty"].as_u64().unwrap();
        let e = first.entry(store).or_insert((to.to_owned(), 0));
        if e.0 == to {
            e.1 += list;
        }
    }
    if let Some(buyer) = input["cart"]["buyer"].as_object_mut() {
        buyer.remove("addresses");
    }
    for (store, (_, list)) in first {
        let at = list * rng.range(60, 110) / 100;
        input["rules"]["stores"][&store] = json!({ "shipping": {
            "fee": format!("{}.00", rng.range(5, 60)),
            "free_over": format!("{}.{:02}", at / 100, at % 100) } });
    }
}

//! The version 3 parts of the `extreme_quote` target's requests, built
//! from the fuzzer's bytes and valid by construction: freight templates
//! by pieces and by weight with measures of 0.001 and 100000, fees of 0
//! and 10^12, rules for regions at the 64-character limit of a region
//! and up to 1,000 entries in a template's arrays, 指定条件包邮, 不配送;
//! addresses; gifts with tiers on amounts or counts; claimable coupons;
//! and up to 20 tenders (points and credit, with every option at its
//! extremes).

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

/// Money at its extremes: 0, a cent, 10^12, or any amount up to it.
#[derive(Arbitrary, Debug)]
pub enum Fee {
    Zero,
    Cent,
    Max,
    Cents(u64),
}

impl Fee {
    fn cents(&self) -> u64 {
        match self {
            Fee::Zero => 0,
            Fee::Cent => 1,
            Fee::Max => 100_000_000_000_000,
            Fee::Cents(c) => c % 100_000_000_000_001,
        }
    }

    fn text(&self) -> String {
        let c = self.cents();
        format!("{}.{:02}", c / 100, c % 100)
    }
}

/// A measure in kilograms: 0.001 to 100000, with up to 3 decimals.
#[derive(Arbitrary, Debug)]
pub enum Measure {
    Min,
    Max,
    Thousandths(u32),
}

impl Measure {
    fn text(&self) -> String {
        let t = match self {
            Measure::Min => 1,
            Measure::Max => 100_000_000,
            Measure::Thousandths(n) => n % 100_000_000 + 1,
        };
        format!("{}.{:03}", t / 1000, t % 1000)
    }
}

/// A template rule: first and extra (pieces or a measure) and their fees.
#[derive(Arbitrary, Debug)]
pub struct RuleSpec {
    first: Measure,
    first_fee: Fee,
    extra: Measure,
    extra_fee: Fee,
}

/// A 指定条件包邮 entry: regions, amount, quantity (one of the two at
/// least).
type FreeSpec = (Option<Vec<u8>>, Option<Fee>, Option<u16>);

/// A freight template of a store: its rule, rules for regions, free
/// entries and regions it does not deliver to.
#[derive(Arbitrary, Debug)]
pub struct TemplateSpec {
    store: u8,
    by_weight: bool,
    rule: RuleSpec,
    regions: Vec<(Vec<u8>, RuleSpec)>,
    free: Vec<FreeSpec>,
    no_delivery: Option<Vec<u8>>,
}

/// A 满赠 promotion of a store, on amounts or counts.
#[derive(Arbitrary, Debug)]
pub struct GiftSpec {
    store: u8,
    count: bool,
    /// at, gift sku, qty, value.
    tiers: Vec<(Fee, u8, u16, Fee)>,
}

/// A tender of the rules and the buyer's balance of it.
#[derive(Arbitrary, Debug)]
pub struct TenderSpec {
    points: bool,
    unit_value: Fee,
    step: Option<u16>,
    max_points: Option<u64>,
    scope_store: Option<u8>,
    shipping: bool,
    at: Option<Fee>,
    max_share: Option<u16>,
    funder: u8,
    priority: i8,
    balance: u64,
    wanted: Option<u64>,
}

/// The version 3 parts of an extreme request (all empty: a version 2
/// request). Tenders first: arbitrary gives the first fields the
/// fuzzer's bytes before the later ones.
#[derive(Arbitrary, Debug)]
pub struct V3Spec {
    tenders: Vec<TenderSpec>,
    templates: Vec<TemplateSpec>,
    /// The regions of the addresses `a0`, `a1`, `a2`.
    addresses: Option<[u8; 3]>,
    gifts: Vec<GiftSpec>,
    claimable: bool,
    /// The lines' unit weights, cycled.
    weights: Vec<Measure>,
    /// Repeat each template's `regions` entries up to this many (at most
    /// 1,000, the limit of a template's arrays).
    grow_regions: u16,
}

/// 32 segments, 63 characters: a region at the length limit of an id.
const LONG: &str = "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3/4/5";

/// The regions of rules, free entries, no_delivery and addresses.
fn region(k: u8) -> &'static str {
    const POOL: &[&str] = &[
        "浙江",
        "浙江/杭州",
        "浙江/杭州/西湖",
        "海外",
        LONG,
        "a/b/c",
        "a",
    ];
    POOL[usize::from(k) % POOL.len()]
}

fn regions(ks: &[u8]) -> Value {
    json!(ks.iter().take(8).map(|k| region(*k)).collect::<Vec<_>>())
}

fn rule(r: &RuleSpec, weight: bool, into: &mut Map<String, Value>) {
    let amount = |m: &Measure| -> Value {
        match (weight, m) {
            (true, m) => json!(m.text()),
            (false, Measure::Max) => json!(99_999),
            (false, Measure::Min) => json!(1),
            (false, Measure::Thousandths(n)) => json!(n % 99_999 + 1),
        }
    };
    into.insert("first".into(), amount(&r.first));
    into.insert("first_fee".into(), json!(r.first_fee.text()));
    into.insert("extra".into(), amount(&r.extra));
    into.insert("extra_fee".into(), json!(r.extra_fee.text()));
}

fn template(t: &TemplateSpec, grow: usize) -> Value {
    let mut out = Map::new();
    if t.by_weight {
        out.insert("by".into(), json!("weight"));
    }
    rule(&t.rule, t.by_weight, &mut out);
    if !t.regions.is_empty() {
        let n = grow.min(1000).max(t.regions.len().min(1000));
        let entries: Vec<Value> = (0..n)
            .map(|i| {
                let (ks, r) = &t.regions[i % t.regions.len()];
                let mut e = Map::new();
                e.insert("regions".into(), regions(ks));
                rule(r, t.by_weight, &mut e);
                Value::Object(e)
            })
            .collect();
        out.insert("regions".into(), json!(entries));
    }
    let free: Vec<Value> = t
        .free
        .iter()
        .take(16)
        .map(|(ks, amount, qty)| {
            let mut e = json!({});
            if let Some(ks) = ks {
                e["regions"] = regions(ks);
            }
            if let Some(a) = amount {
                e["amount"] = json!(a.text());
            }
            if qty.is_some() || amount.is_none() {
                e["qty"] = json!(u32::from(qty.unwrap_or(0)) % 99_999 + 1);
            }
            e
        })
        .collect();
    if !free.is_empty() {
        out.insert("free".into(), json!(free));
    }
    if let Some(ks) = &t.no_delivery {
        out.insert("no_delivery".into(), regions(ks));
    }
    Value::Object(out)
}

/// Add the version 3 parts of `spec` to `request`, an extreme request of
/// stores `s0`..`s5`, addresses `a0`..`a2`, and coupons.
pub fn add(spec: &V3Spec, request: &mut Value) {
    add_templates(spec, request);
    if let Some(ks) = spec.addresses {
        let addresses: Map<String, Value> = ks
            .iter()
            .enumerate()
            .map(|(i, k)| (format!("a{i}"), json!({ "region": region(*k) })))
            .collect();
        request["cart"]["buyer"]["addresses"] = Value::Object(addresses);
    }
    add_gifts(spec, request);
    if spec.claimable {
        // Every other held coupon becomes claimable.
        let held: Vec<Value> = request["cart"]["coupons"].as_array().unwrap().clone();
        let claim: Vec<&Value> = held.iter().step_by(2).collect();
        let keep: Vec<&Value> = held.iter().skip(1).step_by(2).collect();
        request["cart"]["coupons"] = json!(keep);
        request["cart"]["claimable"] = json!(claim);
    }
    add_tenders(spec, request);
}

fn add_templates(spec: &V3Spec, request: &mut Value) {
    // Each store's templates: (id, by weight).
    let mut by_store: Vec<Vec<(String, bool)>> = vec![Vec::new(); 6];
    let stores = request["rules"]["stores"].as_object_mut().unwrap();
    let n = spec.templates.len().min(64);
    // Long `regions` arrays for few templates: within the 4 MiB input.
    let grow = usize::from(spec.grow_regions) / n.max(1);
    for (k, t) in spec.templates.iter().take(n).enumerate() {
        let s = usize::from(t.store % 6);
        let id = format!("t{k}");
        let store = stores.entry(format!("s{s}")).or_insert_with(|| json!({}));
        if store.get("templates").is_none() {
            *store = json!({ "templates": {} });
        }
        store["templates"][&id] = template(t, grow);
        by_store[s].push((id, t.by_weight));
    }
    let lines = request["cart"]["lines"].as_array_mut().unwrap();
    for (i, l) in lines.iter_mut().enumerate() {
        let s: usize = l["store"].as_str().unwrap()[1..].parse().unwrap();
        let ts = &by_store[s];
        if ts.is_empty() {
            continue;
        }
        let (id, weight) = &ts[i % ts.len()];
        l["template"] = json!(id);
        if *weight || !spec.weights.is_empty() {
            let w = spec.weights.get(i % spec.weights.len().max(1));
            l["weight"] = json!(w.map_or("1.000".into(), Measure::text));
        }
    }
}

fn add_gifts(spec: &V3Spec, request: &mut Value) {
    let promos = request["rules"]["promotions"].as_array_mut().unwrap();
    for (k, g) in spec.gifts.iter().take(8).enumerate() {
        if promos.len() >= 2000 {
            break;
        }
        let mut tiers: Vec<Value> = Vec::new();
        for (at, sku, qty, value) in g.tiers.iter().take(16) {
            let at = match g.count {
                true => json!(at.cents() % 99_999 + 1),
                false => json!(at.text()),
            };
            if tiers.iter().all(|t| t["at"] != at) {
                let gift = json!({ "sku": format!("gift{}", sku % 4), "qty": u32::from(*qty) % 99_999 + 1, "value": value.text() });
                tiers.push(json!({ "at": at, "gifts": [gift] }));
            }
        }
        if tiers.is_empty() {
            continue;
        }
        let mut p = json!({ "id": format!("gift{k}"), "kind": "gift", "stage": "store",
            "scope": { "stores": [format!("s{}", g.store % 6)] }, "tiers": tiers });
        if g.count {
            p["basis"] = json!("count");
        }
        promos.push(p);
    }
}

fn add_tenders(spec: &V3Spec, request: &mut Value) {
    let mut rules = Vec::new();
    let mut held = Vec::new();
    for (k, t) in spec.tenders.iter().take(20).enumerate() {
        let id = format!("T{k}");
        let funder = ["buyer", "store", "platform", "government"][usize::from(t.funder % 4)];
        let mut r = json!({ "id": id, "kind": if t.points { "points" } else { "credit" },
            "funded_by": funder,
            "priority": t.priority, "shipping": t.shipping });
        let count = |n: u64| json!(n % 1_000_000_000_001);
        if t.points {
            r["unit_value"] = json!(Fee::Cents(t.unit_value.cents().max(1)).text());
            if let Some(s) = t.step {
                r["step"] = json!(u32::from(s) % 99_999 + 1);
            }
            if let Some(m) = t.max_points {
                r["max_points"] = count(m);
            }
        }
        if let Some(s) = t.scope_store {
            r["scope"] = json!({ "stores": [format!("s{}", s % 6)] });
        }
        if let Some(a) = &t.at {
            r["at"] = json!(a.text());
        }
        if let Some(s) = t.max_share {
            let n = u32::from(s) % 10_000 + 1;
            r["max_share"] = json!(if n == 10_000 {
                "1".into()
            } else {
                format!("0.{n:04}")
            });
        }
        let amount = |n: u64| match t.points {
            true => count(n),
            false => json!(Fee::Cents(n).text()),
        };
        let mut h = json!({ "id": id, "balance": amount(t.balance) });
        if let Some(u) = t.wanted {
            h["use"] = amount(u);
        }
        rules.push(r);
        held.push(h);
    }
    if !spec.tenders.is_empty() {
        request["rules"]["tenders"] = json!(rules);
        request["cart"]["tenders"] = json!(held);
    }
}

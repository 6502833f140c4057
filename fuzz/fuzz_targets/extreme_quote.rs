//! Structure-aware: valid but extreme quote requests, built from the
//! fuzzer's bytes: amounts 0, 0.01 and 1000000000000, rates 0.0001 and 1,
//! quantities 99999, up to 1,000 lines and 2,000 promotions, up to 200
//! coupons in one slot, windows opening or closing at exactly the cart's
//! instant, deposits equal to the price; and version 2: buyers and
//! audiences, addresses, exclusive markdowns, multi-buys of 99,999 units,
//! subsidies, shipping promotions and 运费券; and version 3
//! (`manjian_fuzz::extreme_v3`): freight templates, addresses with
//! regions at the length limit, gifts, claimable coupons and tenders.
//! Every such request is valid, so the engine must answer it (never an
//! error but `undeliverable` for a line its template does not deliver,
//! never a panic), the answer's money and sums and the version 2 and 3
//! invariants must hold, and the quote must settle and refund in kind.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

// The version 2 invariants the property tests hold every quote to
// (exclusive lines, subsidy caps, multi-buys, shipping discounts).

const AT: &str = "2026-11-11T20:00:00+08:00";

#[derive(Arbitrary, Debug)]
enum Amount {
    Zero,
    Cent,
    Max,
    Cents(u64),
}

impl Amount {
    fn cents(&self) -> u64 {
        match self {
            Amount::Zero => 0,
            Amount::Cent => 1,
            Amount::Max => 100_000_000_000_000,
            Amount::Cents(c) => c % 100_000_000_000_001,
        }
    }
}

fn money(c: u64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

#[derive(Arbitrary, Debug)]
enum Qty {
    One,
    Max,
    Some(u16),
}

impl Qty {
    fn get(&self) -> u64 {
        match self {
            Qty::One => 1,
            Qty::Max => 99_999,
            Qty::Some(n) => u64::from(*n) % 99_999 + 1,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum RateSpec {
    Min,
    One,
    Some(u16),
}

impl RateSpec {
    fn text(&self) -> String {
        let r = match self {
            RateSpec::Min => 1,
            RateSpec::One => 10_000,
            RateSpec::Some(n) => u32::from(*n % 10_000) + 1,
        };
        if r == 10_000 {
            "1".into()
        } else {
            format!("0.{r:04}")
        }
    }
}

#[derive(Arbitrary, Debug)]
struct LineSpec {
    price: Amount,
    qty: Qty,
    store: u8,
    sku: u8,
    category: Option<u8>,
    tag: Option<u8>,
    /// Presale: deposit and deposit value as shares of the price (per 255);
    /// `true` makes both equal to the price.
    presale: Option<(u8, u8, bool)>,
    /// One of three addresses.
    ship_to: Option<u8>,
}

#[derive(Arbitrary, Debug)]
enum Effect {
    Price(Amount),
    Off(Amount),
    Rate(RateSpec),
    Tiers(Vec<(Amount, Amount)>),
    Every(Amount, Amount, Option<Amount>),
    RateTiers(Vec<(Amount, RateSpec)>, Option<Amount>),
    /// buy, get, per_sku, max_groups, what the discounted units get.
    MultiBuy(Qty, Qty, bool, Option<Qty>, Box<Effect>),
    /// rate, cap, limit_qty.
    Subsidy(RateSpec, Option<Amount>, Option<Qty>),
    /// off, at.
    ShippingOff(Option<Amount>, Option<Amount>),
}

#[derive(Arbitrary, Debug)]
enum Window {
    FromNow,
    ToNow,
    Around,
    Past,
}

#[derive(Arbitrary, Debug)]
struct PromoSpec {
    effect: Effect,
    stage: u8,
    count_basis: bool,
    store: u8,
    skus: Option<Vec<u8>>,
    category: Option<u8>,
    tag: Option<u8>,
    exclude: Option<u8>,
    coupon: bool,
    slot: Option<u8>,
    priority: i8,
    window: Option<Window>,
    threshold_on: Option<u8>,
    limit_qty: Option<u16>,
    audience: Option<Vec<u8>>,
    exclusive: bool,
    exclude_tag: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Doc {
    /// Version 3: templates, addresses, gifts, claimable coupons, tenders.
    /// First, so that it gets the fuzzer's bytes before the lines and
    /// promotions take them all.
    v3: manjian_fuzz::extreme_v3::V3Spec,
    lines: Vec<LineSpec>,
    promos: Vec<PromoSpec>,
    /// Repeat the lines up to this many (at most 1,000).
    grow_lines: u16,
    /// Repeat the promotions up to this many (at most 2,000).
    grow_promos: u16,
    /// Coupons added to one shared slot (at most 200 held in all).
    one_slot: u8,
    stores_with_shipping: Vec<(u8, Amount, Option<Amount>)>,
    explicit: bool,
    buyer: Option<Vec<u8>>,
}

/// At most 50 tiers with distinct `at` (a repeated `at` is invalid), each
/// `{"at": at, key: value}`; one tier `fallback` at `zero` if none.
fn distinct_tiers(
    tiers: impl Iterator<Item = (Value, (&'static str, Value))>,
    fallback: (&'static str, Value),
    zero: Value,
) -> Value {
    let mut out: Vec<Value> = Vec::new();
    for (at, (key, value)) in tiers.take(50) {
        if !out.iter().any(|t| t["at"] == at) {
            out.push(json!({"at": at, key: value}));
        }
    }
    if out.is_empty() {
        out.push(json!({"at": zero, fallback.0: fallback.1}));
    }
    json!(out)
}

fn build(doc: &Doc) -> Value {
    let n_lines = (doc.grow_lines as usize % 1001)
        .max(doc.lines.len().min(1000))
        .max(1);
    let lines: Vec<Value> = (0..n_lines)
        .map(|i| {
            let l = doc.lines.get(i % doc.lines.len().max(1));
            let (price, qty) = l.map_or((100, 1), |l| (l.price.cents(), l.qty.get()));
            let mut v = json!({"id": format!("L{i}"), "sku": format!("k{}", l.map_or(0, |l| l.sku % 8)),
                               "store": format!("s{}", l.map_or(0, |l| l.store % 6)),
                               "unit_price": money(price), "qty": qty});
            if let Some(l) = l {
                if let Some(c) = l.category {
                    v["category"] = json!(format!("c{}", c % 4));
                }
                if let Some(t) = l.tag {
                    v["tags"] = json!([format!("t{}", t % 4)]);
                }
                if let Some((d, dv, equal)) = l.presale {
                    let (dep, val) = if equal {
                        (price, price)
                    } else {
                        let val = price / 255 * u64::from(dv.max(d));
                        (price / 255 * u64::from(d.min(dv)), val)
                    };
                    v["presale"] = json!({"deposit": money(dep), "deposit_value": money(val)});
                }
                if let Some(a) = l.ship_to {
                    v["ship_to"] = json!(format!("a{}", a % 3));
                }
            }
            v
        })
        .collect();

    let n_promos = (doc.grow_promos as usize % 2001).max(doc.promos.len().min(2000));
    let mut promos: Vec<Value> = Vec::new();
    let mut coupons: Vec<String> = Vec::new();
    for i in 0..n_promos {
        let Some(p) = doc.promos.get(i % doc.promos.len().max(1)) else {
            break;
        };
        let id = format!("p{i}");
        let markdown = matches!(
            p.effect,
            Effect::Price(_) | Effect::Off(_) | Effect::Rate(_)
        );
        let stage = match p.effect {
            Effect::Price(_) | Effect::Off(_) | Effect::Rate(_) | Effect::MultiBuy(..) => "item",
            Effect::Subsidy(..) => "subsidy",
            Effect::ShippingOff(..) => "shipping",
            _ => ["store", "cross_store", "platform"][usize::from(p.stage % 3)],
        };
        let threshold = !matches!(stage, "item" | "subsidy" | "shipping");
        let mut v = json!({"id": id, "stage": stage, "priority": p.priority});
        let count = p.count_basis && threshold;
        let at = |a: &Amount| -> Value {
            if count {
                // A count is a quantity: 1 to 99999.
                json!(a.cents() % 99_999 + 1)
            } else {
                json!(money(a.cents()))
            }
        };
        match &p.effect {
            Effect::Price(a) => {
                v["kind"] = json!("markdown");
                v["price"] = json!(money(a.cents()));
            }
            Effect::Off(a) => {
                v["kind"] = json!("markdown");
                v["off"] = json!(money(a.cents()));
            }
            Effect::Rate(r) => {
                v["kind"] = json!("markdown");
                v["rate"] = json!(r.text());
            }
            Effect::Tiers(tiers) => {
                v["kind"] = json!("threshold_off");
                let rest = tiers
                    .iter()
                    .map(|(a, o)| (at(a), ("off", json!(money(o.cents())))));
                v["tiers"] = distinct_tiers(rest, ("off", json!("1.00")), at(&Amount::Zero));
            }
            Effect::Every(a, o, cap) => {
                v["kind"] = json!("threshold_off");
                let step = match at(a) {
                    Value::String(s) if s == "0.00" => json!("0.01"),
                    other => other,
                };
                let mut e = json!({"at": step, "off": money(o.cents())});
                if let Some(c) = cap {
                    e["cap"] = json!(money(c.cents()));
                }
                v["every"] = e;
            }
            Effect::RateTiers(tiers, cap) => {
                v["kind"] = json!("threshold_rate");
                let rest = tiers
                    .iter()
                    .map(|(a, r)| (at(a), ("rate", json!(r.text()))));
                v["tiers"] = distinct_tiers(rest, ("rate", json!("0.9")), at(&Amount::Zero));
                if let Some(c) = cap {
                    v["cap"] = json!(money(c.cents()));
                }
            }
            Effect::MultiBuy(buy, get, per_sku, max_groups, sale) => {
                v["kind"] = json!("multi_buy");
                v["buy"] = json!(buy.get() % 5 + 1);
                v["get"] = json!(get.get() % 5 + 1);
                v["per_sku"] = json!(per_sku);
                if let Some(g) = max_groups {
                    v["max_groups"] = json!(g.get());
                }
                match sale.as_ref() {
                    Effect::Price(a) => v["price"] = json!(money(a.cents())),
                    Effect::Off(a) => v["off"] = json!(money(a.cents())),
                    Effect::Rate(r) => v["rate"] = json!(r.text()),
                    _ => v["price"] = json!("0"),
                }
                if p.exclusive {
                    v["exclusive"] = json!(true);
                }
            }
            Effect::Subsidy(rate, cap, limit) => {
                v["kind"] = json!("subsidy");
                v["rate"] = json!(rate.text());
                if let Some(c) = cap {
                    v["cap"] = json!(money(c.cents()));
                }
                if let Some(q) = limit {
                    v["limit_qty"] = json!(q.get());
                }
            }
            Effect::ShippingOff(off, at) => {
                v["kind"] = json!("shipping_off");
                if let Some(o) = off {
                    v["off"] = json!(money(o.cents()));
                }
                if let Some(a) = at {
                    v["at"] = json!(money(a.cents()));
                }
            }
        }
        if let Some(tags) = &p.audience {
            let list: Vec<String> = tags.iter().take(4).map(|t| format!("b{}", t % 4)).collect();
            v["audience"] = json!(list);
        }
        if count {
            v["basis"] = json!("count");
        }
        let mut scope = serde_json::Map::new();
        if stage == "store" {
            scope.insert("stores".into(), json!([format!("s{}", p.store % 6)]));
        }
        if let Some(skus) = &p.skus {
            let list: Vec<String> = skus.iter().take(8).map(|s| format!("k{}", s % 8)).collect();
            scope.insert("skus".into(), json!(list));
        }
        if let Some(c) = p.category {
            scope.insert("categories".into(), json!([format!("c{}", c % 4)]));
        }
        if let Some(t) = p.tag {
            scope.insert("tags".into(), json!([format!("t{}", t % 4)]));
        }
        if let Some(x) = p.exclude {
            scope.insert("exclude_skus".into(), json!([format!("k{}", x % 8)]));
        }
        if let Some(t) = p.exclude_tag {
            scope.insert("exclude_tags".into(), json!([format!("t{}", t % 4)]));
        }
        if !scope.is_empty() {
            v["scope"] = Value::Object(scope);
        }
        if markdown {
            if let Some(n) = p.limit_qty {
                v["limit_qty"] = json!(u64::from(n) % 99_999 + 1);
            }
            if p.exclusive {
                v["exclusive"] = json!(true);
            }
        } else if stage == "shipping" {
            if p.coupon {
                v["coupon"] = json!(true);
                if coupons.len() < 200 {
                    coupons.push(format!("p{i}"));
                }
            }
        } else if threshold {
            if let Some(on) = p.threshold_on {
                let earlier: &[&str] = match stage {
                    "store" => &["list", "item"],
                    "cross_store" => &["list", "item", "store"],
                    _ => &["list", "item", "store", "cross_store"],
                };
                v["threshold_on"] = json!(earlier[usize::from(on) % earlier.len()]);
            }
            if p.coupon {
                v["coupon"] = json!(true);
                if let Some(s) = p.slot {
                    v["slot"] = json!(format!("slot{}", s % 4));
                }
                if coupons.len() < 200 {
                    coupons.push(format!("p{i}"));
                }
            }
        }
        if let Some(w) = &p.window {
            v["window"] = match w {
                Window::FromNow => json!({"from": AT}),
                Window::ToNow => json!({"to": AT}),
                Window::Around => {
                    json!({"from": "2026-11-11T11:59:59Z", "to": "2026-11-11T12:00:00.001Z"})
                }
                Window::Past => {
                    json!({"from": "2020-01-01T00:00:00Z", "to": "2026-11-11T12:00:00Z"})
                }
            };
        }
        promos.push(v);
    }
    // Many coupons in one slot.
    for k in 0..usize::from(doc.one_slot) {
        if promos.len() >= 2000 || coupons.len() >= 200 {
            break;
        }
        let id = format!("one{k}");
        promos.push(json!({"id": id, "kind": "threshold_off", "stage": "platform", "coupon": true,
                           "slot": "one", "tiers": [{"at": money(k as u64 * 1000), "off": money(k as u64 * 7 + 1)}]}));
        coupons.push(id);
    }
    let mut stores = serde_json::Map::new();
    for (s, fee, free) in doc.stores_with_shipping.iter().take(6) {
        let mut sh = json!({"fee": money(fee.cents())});
        if let Some(f) = free {
            sh["free_over"] = json!(money(f.cents()));
        }
        stores.insert(format!("s{}", s % 6), json!({"shipping": sh}));
    }
    let mut cart = json!({"at": AT, "lines": lines, "coupons": coupons});
    if let Some(tags) = &doc.buyer {
        let list: Vec<String> = tags.iter().take(4).map(|t| format!("b{}", t % 4)).collect();
        cart["buyer"] = json!({"tags": list});
    }
    if doc.explicit {
        // One coupon per slot, in id order: a valid explicit choice.
        let mut slots: Vec<String> = Vec::new();
        let mut apply = Vec::new();
        for p in &promos {
            if p["coupon"] != true {
                continue;
            }
            let slot = p["slot"].as_str().map(str::to_owned).unwrap_or_else(|| {
                match p["stage"].as_str() {
                    Some("store") => {
                        format!("store:{}", p["scope"]["stores"][0].as_str().unwrap_or(""))
                    }
                    Some(s) => s.to_owned(),
                    None => String::new(),
                }
            });
            if !slots.contains(&slot) && coupons.iter().any(|c| p["id"] == *c) {
                slots.push(slot);
                apply.push(p["id"].clone());
            }
        }
        cart["apply"] = json!(apply);
    }
    json!({"rules": {"currency": "CNY", "stores": stores, "promotions": promos}, "cart": cart})
}

fuzz_target!(|doc: Doc| {
    let mut request = build(&doc);
    manjian_fuzz::extreme_v3::add(&doc.v3, &mut request);
    let input = request.to_string();
    if input.len() > manjian::MAX_INPUT_BYTES {
        return;
    }
    let answer = manjian::Operation::Quote.str_to_string(&input);
    let q = match answer {
        Ok(text) => manjian_fuzz::check_answer(Ok(text)).expect("answer"),
        // The one refusal of a valid request: a line its template does
        // not deliver, the first in cart order.
        Err(e) if e.code.as_str() == "undeliverable" => {
            let line = testkit::v3_checks::first_undeliverable(&request);
            assert_eq!(
                Some(e.path),
                line.map(|i| format!("cart.lines[{i}].ship_to"))
            );
            return;
        }
        Err(e) => panic!("a valid request was rejected: {e}\n{input}"),
    };
    manjian_fuzz::check_quote(&q);
    testkit::check_v2_invariants(&request, &q);
    // A valid quote always settles, and its child orders add up.
    let settle = manjian::Operation::Settle.str_to_string(&json!({ "quote": q }).to_string());
    let s = manjian_fuzz::check_answer(settle).expect("a quote settles");
    manjian_fuzz::check_settlement(&q, &s);
    testkit::v3_checks::check_money_kept(&request, &q, input.len() as u64);
});

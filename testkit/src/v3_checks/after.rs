//! After the order (contract section 7): settlement's cash and tenders
//! per child order, and refunds that give each tender back in kind.

use super::{in_group, num};
use crate::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const FUNDERS: [&str; 4] = ["buyer", "store", "platform", "government"];

/// Each tender's share on a quote line or shipping entry, by tender id.
fn shares(v: &Value) -> BTreeMap<String, Decimal> {
    let mut out = BTreeMap::new();
    for t in v
        .get("tenders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        *out.entry(t["tender"].as_str().unwrap().to_owned())
            .or_default() += num(&t["amount"]);
    }
    out
}

/// A quote tender's funder.
fn funder<'a>(q: &'a Value, id: &str) -> &'a str {
    let t = q["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id);
    t.unwrap_or_else(|| panic!("tender {id} is listed"))
        .get("funded_by")
        .and_then(Value::as_str)
        .unwrap()
}

/// A child order's tender shares (its lines' and its group's), summed
/// by each tender's funder.
fn order_tenders<'a>(q: &Value, o: &Value) -> BTreeMap<&'a str, Decimal> {
    let mut want: BTreeMap<&str, Decimal> = FUNDERS.iter().map(|f| (*f, Decimal::ZERO)).collect();
    let ids = o["lines"].as_array().unwrap();
    let lines = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| ids.contains(&l["id"]));
    let group = q["shipping"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| in_group(o, g));
    for v in lines.chain(group) {
        for (id, a) in shares(v) {
            let f = FUNDERS.iter().find(|f| **f == funder(q, &id)).unwrap();
            *want.get_mut(f).unwrap() += a;
        }
    }
    want
}

/// Settlement with tenders: each child order's tenders by funder are its
/// lines' and its group's shares, none negative; its cash plus tenders is
/// its payable, never negative; the store bears what it funds; the total
/// sums the orders and its tenders are the quote's. Without tenders, no
/// `tenders` nor `cash` anywhere.
pub fn check_settlement_with_tenders(q: &Value, s: &Value) {
    let orders = s["orders"].as_array().unwrap();
    if q.get("tenders").is_none() {
        for o in orders.iter().chain([&s["total"]]) {
            assert!(o.get("tenders").is_none() && o.get("cash").is_none(), "{o}");
        }
        return;
    }
    let mut sum: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut cash = Decimal::ZERO;
    for o in orders {
        let want = order_tenders(q, o);
        let mut paid = Decimal::ZERO;
        for f in FUNDERS {
            let got = num(&o["tenders"][f]);
            assert_eq!(got, want[f], "tenders of {f} in child order {o}");
            *sum.entry(f).or_default() += got;
            paid += got;
        }
        let payable = num(&o["payable"]);
        assert_eq!(
            num(&o["cash"]),
            payable - paid,
            "cash plus tenders is payable: {o}"
        );
        assert!(num(&o["cash"]) >= Decimal::ZERO, "negative cash: {o}");
        let funded = &o["funded"];
        let receivable = payable + num(&funded["platform"]) + num(&funded["government"])
            - num(&o["tenders"]["store"]);
        assert_eq!(
            num(&o["receivable"]),
            receivable,
            "the store bears its tenders: {o}"
        );
        cash += num(&o["cash"]);
    }
    let total = &s["total"];
    for f in FUNDERS {
        let quoted: Decimal = q["tenders"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["funded_by"] == f)
            .map(|t| num(&t["amount"]))
            .sum();
        assert_eq!(
            num(&total["tenders"][f]),
            sum.get(f).copied().unwrap_or_default(),
            "total of {f}: {s}"
        );
        assert_eq!(
            num(&total["tenders"][f]),
            quoted,
            "settled tenders of {f} are the quote's: {s}"
        );
    }
    assert_eq!(num(&total["cash"]), cash, "total cash: {s}");
    assert_eq!(
        cash,
        num(&q["totals"]["payable"]) - num(&q["totals"]["tenders"])
    );
}

/// Sums over a sequence of refunds.
#[derive(Default)]
struct Returned {
    total: Decimal,
    cash: Decimal,
    /// By tender: amount and points given back.
    tenders: BTreeMap<String, (Decimal, Decimal)>,
    /// By (line, tender): what came back in kind.
    lines: BTreeMap<(String, String), Decimal>,
}

/// Returning every unit of every line in random partial returns (some
/// units of some lines per request, every request stating the earlier
/// returns of every line, in a shuffled order) refunds exactly `payable`;
/// each tender gets back exactly what it paid, each line's share in kind,
/// each refunded fee its group's shares whole, and no more points than
/// were used; the cash refunded is payable less the tenders, and no
/// request's cash is negative. The number of requests.
pub fn check_refunds_in_kind(q: &Value, rng: &mut Rng) -> u32 {
    let lines = q["lines"].as_array().unwrap();
    let mut returned: Vec<u64> = vec![0; lines.len()];
    let mut sums = Returned::default();
    let rounds = rng.range(1, 4);
    for round in 1..=rounds {
        let mut order: Vec<usize> = (0..lines.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.range(0, i as u64) as usize);
        }
        let returns: Vec<Value> = order
            .iter()
            .map(|&i| {
                let left = lines[i]["qty"].as_u64().unwrap() - returned[i];
                let k = match round == rounds {
                    true => left,
                    false if rng.chance(50) => rng.range(0, left),
                    false => 0,
                };
                let r = json!({ "line": lines[i]["id"], "qty": k, "returned_before": returned[i] });
                returned[i] += k;
                r
            })
            .collect();
        let text = manjian::Operation::Refund
            .str_to_string(&json!({ "quote": q, "returns": returns }).to_string())
            .unwrap_or_else(|e| panic!("a valid return is refunded: {e}"));
        let r: Value = serde_json::from_str(&text).unwrap();
        one_refund(q, &r, &mut sums);
    }
    check_returned(q, &sums);
    rounds as u32
}

/// One refund document: in kind, with its cash and points.
fn one_refund(q: &Value, r: &Value, sums: &mut Returned) {
    let total = num(&r["total"]);
    sums.total += total;
    let Some(quoted) = q.get("tenders").and_then(Value::as_array) else {
        assert!(r.get("tenders").is_none() && r.get("cash").is_none(), "{r}");
        return;
    };
    let mut parts: BTreeMap<String, Decimal> = BTreeMap::new();
    for l in r["lines"].as_array().unwrap() {
        let mine = shares(l);
        assert!(
            mine.values().sum::<Decimal>() <= num(&l["amount"]),
            "a line gives back more in kind than it refunds: {l}"
        );
        for (id, a) in mine {
            *parts.entry(id.clone()).or_default() += a;
            *sums
                .lines
                .entry((l["line"].as_str().unwrap().to_owned(), id))
                .or_default() += a;
        }
    }
    for f in r["shipping"].as_array().unwrap() {
        let group = q["shipping"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| in_group(f, g))
            .unwrap();
        assert_eq!(
            num(&f["amount"]),
            num(&group["fee"]),
            "a fee is refunded whole: {f}"
        );
        assert_eq!(
            shares(f),
            shares(group),
            "a refunded fee gives back its group's shares: {f}"
        );
        for (id, a) in shares(f) {
            *parts.entry(id).or_default() += a;
        }
    }
    let paid: Vec<&Value> = quoted
        .iter()
        .filter(|t| !num(&t["amount"]).is_zero())
        .collect();
    let listed = r["tenders"].as_array().unwrap();
    assert_eq!(
        listed.len(),
        paid.len(),
        "one entry per tender that paid: {r}"
    );
    let mut in_kind = Decimal::ZERO;
    for (t, e) in paid.iter().zip(listed) {
        let id = t["id"].as_str().unwrap();
        assert_eq!(e["tender"], t["id"], "in the quote's order: {r}");
        let amount = num(&e["amount"]);
        assert_eq!(
            amount,
            parts.get(id).copied().unwrap_or_default(),
            "tender {id} of {r}"
        );
        let back = sums.tenders.entry(id.to_owned()).or_default();
        back.0 += amount;
        if t["kind"] == "points" {
            let points = (amount * num(&t["points"]) / num(&t["amount"])).floor();
            assert_eq!(num(&e["points"]), points, "points given back whole: {r}");
            back.1 += points;
        }
        in_kind += amount;
    }
    assert_eq!(num(&r["cash"]), total - in_kind, "cash is the rest: {r}");
    assert!(num(&r["cash"]) >= Decimal::ZERO, "negative cash: {r}");
    sums.cash += num(&r["cash"]);
}

/// Everything returned: payable back, each tender's amount and each
/// line's shares in kind exactly, no more points than used.
fn check_returned(q: &Value, sums: &Returned) {
    let t = &q["totals"];
    assert_eq!(
        sums.total,
        num(&t["payable"]),
        "everything returned refunds payable: {q}"
    );
    let Some(quoted) = q.get("tenders").and_then(Value::as_array) else {
        return;
    };
    assert_eq!(
        sums.cash,
        num(&t["payable"]) - num(&t["tenders"]),
        "cash back: {q}"
    );
    for tender in quoted {
        let id = tender["id"].as_str().unwrap();
        let (amount, points) = sums.tenders.get(id).copied().unwrap_or_default();
        assert_eq!(
            amount,
            num(&tender["amount"]),
            "tender {id} gets back what it paid: {q}"
        );
        if tender["kind"] == "points" {
            assert!(
                points <= num(&tender["points"]),
                "more points back than used: {q}"
            );
        }
    }
    for l in q["lines"].as_array().unwrap() {
        for (id, a) in shares(l) {
            let back = sums
                .lines
                .get(&(l["id"].as_str().unwrap().to_owned(), id.clone()))
                .copied()
                .unwrap_or_default();
            assert_eq!(back, a, "line {} gives back its share of {id}", l["id"]);
        }
    }
}

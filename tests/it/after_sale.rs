//! The typed after-sale entry points (`refund`, `protect`, `settle`) give
//! exactly what their text twins give: for every quote vector that prices,
//! the typed call and the `*_from_str` call of the same request are the
//! same document, or the same error at the same path; and a quote whose
//! public members a caller changed is refused as its text would be.

use manjian::{
    Id, Instant, Money, ProtectRequest, Qty, Quote, RefundedUnits, Return, Rules, MAX_QTY,
};
use serde_json::{json, Value};
use std::path::Path;

/// The quote vectors' inputs that price: (rules text, cart text).
fn priced_inputs() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/quote");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if case["expected"].get("error").is_none() {
            let input = &case["input"];
            out.push((input["rules"].to_string(), input["cart"].to_string()));
        }
    }
    assert!(out.len() >= 60, "only {} priced quote vectors", out.len());
    out
}

/// A result as text: the document, or the error's code and path.
fn text<D: manjian::Document>(r: Result<D, manjian::Error>) -> String {
    match r {
        Ok(doc) => manjian::to_string(&doc),
        Err(e) => format!("error {} at {}", e.code, e.path),
    }
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn qty(n: u32) -> Qty {
    Qty::new(n).unwrap()
}

#[test]
fn typed_settle_and_refund_equal_their_text_twins() {
    for (rules, cart) in priced_inputs() {
        let rules: Rules = rules.parse().unwrap();
        let quote = manjian::quote(&rules, &rules.cart_from_str(&cart).unwrap()).unwrap();
        let doc = manjian::to_string(&quote);
        let settled = manjian::settle_from_str(&format!("{{\"quote\":{doc}}}"));
        assert_eq!(text(manjian::settle(&quote)), text(settled));
        // Every line returned in two steps, then a line that is not there,
        // then one unit too many.
        let lines: Vec<(String, u32)> = quote
            .lines
            .iter()
            .map(|l| (l.id.to_string(), l.qty.get()))
            .collect();
        let attempts: [Vec<(String, u32, u32)>; 3] = [
            lines.iter().map(|(l, q)| (l.clone(), q / 2, 0)).collect(),
            vec![("no-such-line".into(), 1, 0)],
            lines
                .iter()
                .map(|(l, q)| (l.clone(), (q + 1).min(MAX_QTY), 0))
                .collect(),
        ];
        for returns in attempts {
            let typed: Vec<Return> = returns
                .iter()
                .map(|(l, q, b)| Return::new(id(l), qty(*q), qty(*b)))
                .collect();
            let wire: Vec<Value> = returns
                .iter()
                .map(|(l, q, b)| json!({"line": l, "qty": q, "returned_before": b}))
                .collect();
            let request = format!("{{\"quote\":{doc},\"returns\":{}}}", json!(wire));
            assert_eq!(
                text(manjian::refund(&quote, &typed)),
                text(manjian::refund_from_str(&request))
            );
        }
    }
}

#[test]
fn typed_protect_equals_its_text_twin() {
    let mut checked = 0;
    for (rules_text, cart_text) in priced_inputs() {
        let cart_json: Value = serde_json::from_str(&cart_text).unwrap();
        let Some(at) = cart_json["at"].as_str() else {
            continue;
        };
        let rules: Rules = rules_text.parse().unwrap();
        let cart = rules.cart_from_str(&cart_text).unwrap();
        let asked: Instant = at.parse().unwrap();
        let first = &cart_json["lines"][0]["id"];
        let refunded = [RefundedUnits::new(id(first.as_str().unwrap()), qty(1))];
        let claimable = [id("claim-me")];
        let mut request = ProtectRequest::new(&rules, &cart, &rules, &asked);
        request.claimable = &claimable;
        request.refunded = &refunded;
        let wire = json!({
            "original": {"rules": serde_json::from_str::<Value>(&rules_text).unwrap(), "cart": cart_json},
            "rules": serde_json::from_str::<Value>(&rules_text).unwrap(),
            "at": at, "claimable": ["claim-me"], "refunded": [{"line": first, "qty": 1}],
        });
        assert_eq!(
            text(manjian::protect(&request)),
            text(manjian::protect_from_str(&wire.to_string()))
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} vectors have a cart with at");
}

/// One edit of a quote, made to the typed value and to its text alike.
type Edit = (fn(&mut Quote), fn(&mut Value));

#[test]
fn an_edited_quote_is_refused_as_its_text_is() {
    let input = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/quote/68-double11-v2-everything.json"),
    )
    .unwrap();
    let input: Value = serde_json::from_str(&input).unwrap();
    let quote = manjian::quote_from_str(&input["input"].to_string()).unwrap();
    let edits: [Edit; 7] = [
        (
            |q| q.currency = "JPY".into(),
            |v| v["currency"] = json!("JPY"),
        ),
        (
            |q| q.currency = "yen".into(),
            |v| v["currency"] = json!("yen"),
        ),
        (
            |q| q.lines[0].qty = Qty::new(0).unwrap(),
            |v| v["lines"][0]["qty"] = json!(0),
        ),
        (
            |q| q.lines[0].final_amount = Money::from_minor(-1, 2),
            |v| v["lines"][0]["final"] = json!("-0.01"),
        ),
        (
            |q| q.lines[1].list = Money::from_minor(10i128.pow(22), 2),
            |v| v["lines"][1]["list"] = json!("100000000000000000000.00"),
        ),
        (
            |q| q.lines[1].id = q.lines[0].id.clone(),
            |v| v["lines"][1]["id"] = v["lines"][0]["id"].clone(),
        ),
        (
            |q| q.shipping[0].fee = Money::from_minor(5, 3),
            |v| v["shipping"][0]["fee"] = json!("0.005"),
        ),
    ];
    for (i, (typed, wire)) in edits.iter().enumerate() {
        let mut q = quote.clone();
        typed(&mut q);
        let mut v: Value = serde_json::from_str(&manjian::to_string(&quote)).unwrap();
        wire(&mut v);
        let settled = text(manjian::settle(&q));
        assert!(settled.starts_with("error"), "edit {i}: {settled}");
        let request = json!({"quote": v});
        assert_eq!(
            settled,
            text(manjian::settle_from_str(&request.to_string())),
            "edit {i}"
        );
        let returns = [Return::new(q.lines[0].id.clone(), qty(1), qty(0))];
        let request = json!({"quote": v, "returns": [{"line": q.lines[0].id.as_str(), "qty": 1}]});
        assert_eq!(
            text(manjian::refund(&q, &returns)),
            text(manjian::refund_from_str(&request.to_string())),
            "edit {i}"
        );
    }
}

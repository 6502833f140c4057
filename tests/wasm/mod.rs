//! Tests of the JavaScript API from inside wasm: the same suite runs in
//! Node (tests/wasm_node.rs) and in headless Chromium
//! (tests/wasm_browser.rs). Inputs cross into the engine as JS objects
//! built by `JSON.parse`, exactly as a storefront passes them.

#![allow(dead_code)]

pub mod cases;

use js_sys::{Reflect, JSON};
use testkit::{quote_input, Rng, Shape};
use wasm_bindgen::{JsCast, JsValue};

fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test input is JSON")
}

fn to_json(v: &JsValue) -> serde_json::Value {
    let text: String = JSON::stringify(v).expect("stringify").into();
    serde_json::from_str(&text).expect("output is JSON")
}

/// Run one op through the JS API; Ok(output) or Err((code, path)).
fn call(op: &str, input: &str) -> Result<serde_json::Value, (String, String)> {
    call_js(op, js(input))
}

/// [`call`] with a JS value built by the test.
fn call_js(op: &str, v: JsValue) -> Result<serde_json::Value, (String, String)> {
    let out = match op {
        "quote" => manjian::wasm::quote(v.unchecked_into()).map(JsValue::from),
        "refund" => manjian::wasm::refund(v.unchecked_into()).map(JsValue::from),
        "protect" => manjian::wasm::protect(v.unchecked_into()).map(JsValue::from),
        "settle" => manjian::wasm::settle(v.unchecked_into()).map(JsValue::from),
        other => panic!("unknown op {other}"),
    };
    match out {
        Ok(v) => Ok(to_json(&v)),
        Err(e) => {
            assert!(
                e.is_instance_of::<js_sys::Error>(),
                "errors are thrown as Error objects"
            );
            let get = |k: &str| {
                Reflect::get(&e, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_else(|| panic!("thrown error has no string '{k}'"))
            };
            Err((get("code"), get("path")))
        }
    }
}

/// Every public vector through the JS API.
pub fn public_vectors() {
    let mut failures = Vec::new();
    for (name, text) in cases::CASES {
        let case: serde_json::Value = serde_json::from_str(text).unwrap();
        let op = case.get("op").and_then(|o| o.as_str()).unwrap_or("quote");
        let input = serde_json::to_string(&case["input"]).unwrap();
        let expected = &case["expected"];
        match (call(op, &input), expected.get("error")) {
            (Ok(out), None) if &out == expected => {}
            (Err((code, path)), Some(err)) if err["code"] == code && err["path"] == path => {}
            (got, _) => failures.push(format!("{name}: got {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases::CASES.len() >= 171);
}

/// The generated carts of tests/fixtures/parity.json (version 1) and
/// parity-v2.json (every version 2 feature) give the native digests in
/// wasm too.
pub fn parity_with_native() {
    for (text, shape) in [
        (include_str!("../fixtures/parity.json"), Shape::SMALL),
        (
            include_str!("../fixtures/parity-v2.json"),
            Shape::SMALL.v2(),
        ),
    ] {
        let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
        let items = fixture.as_array().unwrap();
        assert!(items.len() >= 300);
        for item in items {
            let seed = item["seed"].as_u64().unwrap();
            let input = quote_input(&mut Rng::new(seed), shape);
            let out = call("quote", &input.to_string()).expect("generated carts are valid");
            assert_eq!(out["digest"], item["digest"], "seed {seed}");
            // The JSON-text entry point agrees with the object one.
            let text = manjian::wasm::quote_json(&input.to_string()).unwrap();
            let q: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(q["digest"], item["digest"]);
        }
    }
}

/// `Engine` reuse gives the same quotes as one-shot `quote`, and its
/// errors carry cart paths.
pub fn engine_reuse() {
    let mut rng = Rng::new(7);
    for _ in 0..50 {
        let input = quote_input(&mut rng, Shape::SMALL);
        let engine = manjian::wasm::Engine::new(js(&input["rules"].to_string()).unchecked_into())
            .expect("valid rules");
        let once = call("quote", &input.to_string()).unwrap();
        for _ in 0..2 {
            let q = engine
                .quote(js(&input["cart"].to_string()).unchecked_into())
                .unwrap();
            assert_eq!(to_json(&q.into()), once);
        }
    }
    let engine = manjian::wasm::Engine::new(js(r#"{"currency":"CNY"}"#).unchecked_into()).unwrap();
    let err = engine
        .quote(
            js(r#"{"lines":[{"id":"L1","sku":"a","store":"s","unit_price":"1.005","qty":1}]}"#)
                .unchecked_into(),
        )
        .err()
        .expect("3 decimals are invalid");
    let code = Reflect::get(&err, &"code".into())
        .unwrap()
        .as_string()
        .unwrap();
    let path = Reflect::get(&err, &"path".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("invalid_amount", "cart.lines[0].unit_price")
    );
    let err =
        manjian::wasm::Engine::new(js(r#"{"currency":"CNY","promotions":{}}"#).unchecked_into())
            .err()
            .unwrap();
    let path = Reflect::get(&err, &"path".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(path, "rules.promotions");
}

/// JS numbers follow the contract: 9.9 is fine, 12.345 is not, and a
/// quantity must be an integer.
pub fn js_numbers() {
    let doc = |price: &str, qty: &str| {
        format!(
            r#"{{"rules":{{"currency":"CNY"}},"cart":{{"lines":[{{"id":"L","sku":"a","store":"s","unit_price":{price},"qty":{qty}}}]}}}}"#
        )
    };
    let q = call("quote", &doc("9.9", "2")).unwrap();
    assert_eq!(q["totals"]["payable"], "19.80");
    assert_eq!(
        call("quote", &doc("0.1", "3")).unwrap()["totals"]["payable"],
        "0.30"
    );
    assert_eq!(
        call("quote", &doc("12.345", "1")).unwrap_err(),
        (
            "invalid_amount".to_owned(),
            "cart.lines[0].unit_price".to_owned()
        )
    );
    assert_eq!(
        call("quote", &doc("1", "1.5")).unwrap_err(),
        (
            "invalid_quantity".to_owned(),
            "cart.lines[0].qty".to_owned()
        )
    );
    // Not a JSON-like value at all: a thrown invalid_json, never a crash.
    let err =
        manjian::wasm::quote(JsValue::from(js_sys::Function::new_no_args("")).unchecked_into());
    assert!(err.is_err());
    let err = manjian::wasm::quote(JsValue::UNDEFINED.unchecked_into());
    assert!(err.is_err());
    // Numbers JSON cannot write are rejected at their path, never read as
    // absent.
    let with_price = |price: JsValue| {
        let v = js(&doc("1", "1"));
        let line = Reflect::get(&v, &"cart".into())
            .and_then(|c| Reflect::get(&c, &"lines".into()))
            .and_then(|l| Reflect::get(&l, &0.into()))
            .unwrap();
        Reflect::set(&line, &"unit_price".into(), &price).unwrap();
        v
    };
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            call_js("quote", with_price(JsValue::from_f64(bad))).unwrap_err(),
            (
                "invalid_amount".to_owned(),
                "cart.lines[0].unit_price".to_owned()
            ),
            "{bad}"
        );
    }
    // A bigint or a cycle: JSON.stringify refuses, the engine says
    // invalid_json.
    let big = with_price(JsValue::bigint_from_str("5"));
    assert_eq!(call_js("quote", big).unwrap_err().0, "invalid_json");
    let cyclic = js(&doc("1", "1"));
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(call_js("quote", cyclic).unwrap_err().0, "invalid_json");
}

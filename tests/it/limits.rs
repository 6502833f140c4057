//! The contract's limits (section 8): inputs at every limit are answered
//! (the hostile ones, built to be slow, included: their time is recorded
//! by the `limits` benchmark, not asserted here), and one past any limit
//! is `limit_exceeded` with its path. Malformed and oversized JSON gets
//! the error document through the library and the command.

use serde_json::{json, Value};
use testkit::{check_invariants, hostile, HOSTILE};

fn quote_text(input: &str) -> Result<Value, (String, String)> {
    manjian::Operation::Quote
        .str_to_string(input)
        .map(|t| serde_json::from_str(&t).unwrap())
        .map_err(|e| (e.code.as_str().to_owned(), e.path))
}

fn quote(input: &Value) -> Result<Value, (String, String)> {
    quote_text(&input.to_string())
}

fn e(code: &str, path: &str) -> Result<Value, (String, String)> {
    Err((code.to_owned(), path.to_owned()))
}

/// `n` plain lines.
fn lines(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("L{i}"), "sku": "a", "store": "s", "unit_price": "1.00", "qty": 1}))
        .collect()
}

fn markdowns(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("m{i}"), "kind": "markdown", "stage": "item", "off": "0.01"}))
        .collect()
}

fn store_coupons(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("c{i}"), "kind": "threshold_off", "stage": "platform",
                        "coupon": true, "slot": format!("x{i}"), "tiers": [{"at": "0.00", "off": "0.01"}]}))
        .collect()
}

#[test]
fn hostile_inputs_at_the_limits_are_answered() {
    for name in HOSTILE {
        let input = hostile(name);
        let text = input.to_string();
        assert!(
            text.len() <= manjian::MAX_INPUT_BYTES,
            "{name} is within 4 MiB"
        );
        assert_eq!(input["cart"]["lines"].as_array().unwrap().len(), 1000);
        assert_eq!(input["rules"]["promotions"].as_array().unwrap().len(), 2000);
        assert_eq!(input["cart"]["coupons"].as_array().unwrap().len(), 200);
        let q = quote_text(&text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        check_invariants(&q);
        assert!(q["coupons"]["proven_best"].is_boolean());
    }
}

#[test]
fn at_each_limit_accepted_one_past_rejected_with_its_path() {
    let doc = |n_lines: usize, promos: Vec<Value>, coupons: Vec<Value>| {
        json!({"rules": {"currency": "CNY", "promotions": promos},
               "cart": {"lines": lines(n_lines), "coupons": coupons}})
    };
    // Lines.
    assert!(quote(&doc(1000, vec![], vec![])).is_ok());
    assert_eq!(
        quote(&doc(1001, vec![], vec![])),
        e("limit_exceeded", "cart.lines")
    );
    // Promotions.
    assert!(quote(&doc(1, markdowns(2000), vec![])).is_ok());
    assert_eq!(
        quote(&doc(1, markdowns(2001), vec![])),
        e("limit_exceeded", "rules.promotions")
    );
    // Held coupons (known or not).
    let ids = |n: usize| (0..n).map(|i| json!(format!("c{i}"))).collect::<Vec<_>>();
    let q = quote(&doc(3, store_coupons(200), ids(200))).unwrap();
    assert_eq!(q["coupons"]["applied"].as_array().unwrap().len(), 200);
    assert_eq!(
        quote(&doc(3, store_coupons(201), ids(201))),
        e("limit_exceeded", "cart.coupons")
    );
    // Input size: exactly 4 MiB is read, one byte more is not.
    let small = doc(1, vec![], vec![]).to_string();
    let pad = |n: usize| format!("{small}{}", " ".repeat(n - small.len()));
    assert!(quote_text(&pad(manjian::MAX_INPUT_BYTES)).is_ok());
    assert_eq!(
        quote_text(&pad(manjian::MAX_INPUT_BYTES + 1)),
        e("limit_exceeded", "")
    );
}

#[test]
fn malformed_json_gets_the_error_document() {
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    assert_eq!(quote_text(&deep).unwrap_err().0, "invalid_json");
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert_eq!(quote_text(&deep_obj).unwrap_err().0, "invalid_json");
    // A 3 MB id: invalid_id at its path, not a crash or a slow quote.
    let long = "x".repeat(3_000_000);
    let mut input = json!({"rules": {"currency": "CNY"}, "cart": {"lines": lines(1)}});
    input["cart"]["lines"][0]["id"] = json!(long);
    assert_eq!(quote(&input), e("invalid_id", "cart.lines[0].id"));
    // Duplicate keys, deep inside.
    let dup = r#"{"rules":{"currency":"CNY"},"cart":{"lines":[{"id":"L","sku":"a","store":"s","unit_price":"1.00","qty":1,"qty":2}]}}"#;
    assert_eq!(quote_text(dup), e("invalid_json", "cart.lines[0].qty"));
    // Numbers beyond every range, and a lone surrogate.
    for text in [
        r#"{"rules":{"currency":"CNY"},"cart":{"lines":[{"id":"L","sku":"a","store":"s","unit_price":1e400,"qty":1}]}}"#,
        r#"{"rules":{"currency":"CNY"},"cart":{"lines":[{"id":"\ud800","sku":"a","store":"s","unit_price":"1","qty":1}]}}"#,
    ] {
        assert_eq!(quote_text(text).unwrap_err().0, "invalid_json", "{text}");
    }
    // Quantities and money past their limits.
    let mut input = json!({"rules": {"currency": "CNY"}, "cart": {"lines": lines(1)}});
    input["cart"]["lines"][0]["qty"] = json!(100_000);
    assert_eq!(quote(&input), e("invalid_quantity", "cart.lines[0].qty"));
    input["cart"]["lines"][0]["qty"] = json!(99_999);
    input["cart"]["lines"][0]["unit_price"] = json!("1000000000000.01");
    assert_eq!(
        quote(&input),
        e("invalid_amount", "cart.lines[0].unit_price")
    );
    // At the limits the totals stay exact: 1,000 lines of 99,999 units at
    // the largest price.
    let mut input = json!({"rules": {"currency": "CNY"}, "cart": {"lines": lines(1000)}});
    for l in input["cart"]["lines"].as_array_mut().unwrap() {
        l["qty"] = json!(99_999);
        l["unit_price"] = json!("1000000000000.00");
    }
    let q = quote(&input).unwrap();
    assert_eq!(q["totals"]["payable"], "99999000000000000000.00");
    check_invariants(&q);
}

#[test]
fn the_command_answers_hostile_bytes_with_the_error_document() {
    let exe = env!("CARGO_BIN_EXE_manjian");
    let run = |op: &str, input: &[u8]| testkit::run_command(exe, &[op], input);
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("quote", deep.clone().into_bytes(), "invalid_json"),
        ("refund", deep.into_bytes(), "invalid_json"),
        (
            "protect",
            b"{\"original\":{\"rules\":1,\"rules\":2}}".to_vec(),
            "invalid_json",
        ),
        ("quote", b"\xef\xbb\xbf{}".to_vec(), "invalid_json"),
        ("quote", vec![0xc3, 0x28], "invalid_json"),
        ("refund", vec![b'['; 5 * 1024 * 1024], "limit_exceeded"),
        ("quote", b"".to_vec(), "invalid_json"),
    ];
    for (op, input, code) in cases {
        let out = run(op, &input);
        assert_eq!(out.status.code(), Some(1), "{op} {code}");
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["error"]["code"], code, "{op}: {doc}");
        assert!(
            out.stderr.is_empty(),
            "nothing on stderr: {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

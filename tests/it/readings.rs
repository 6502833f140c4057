//! The readings of the contract chosen in docs/CONTRACT-NOTES.md, and
//! stage-level behaviour not pinned by the public vectors.

use serde_json::{json, Value};

fn quote(input: Value) -> Value {
    let q = manjian::quote_from_str(&input.to_string()).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(q).unwrap()
}

fn err(op: manjian::Operation, input: Value) -> (String, String) {
    let e = op
        .str_to_string(&input.to_string())
        .expect_err("must be invalid");
    (e.code.as_str().to_owned(), e.path)
}

fn quote_err(input: Value) -> (String, String) {
    err(manjian::Operation::Quote, input)
}

fn e(code: &str, path: &str) -> (String, String) {
    (code.to_owned(), path.to_owned())
}

fn line(id: &str, sku: &str, store: &str, price: &str, qty: u32) -> Value {
    json!({ "id": id, "sku": sku, "store": store, "unit_price": price, "qty": qty })
}

fn cart(lines: Vec<Value>) -> Value {
    json!({ "at": "2026-11-11T20:05:00+08:00", "lines": lines })
}

fn with_promos(promos: Value, lines: Vec<Value>) -> Value {
    json!({ "rules": { "currency": "CNY", "promotions": promos }, "cart": cart(lines) })
}

/// One line of ten yuan.
fn one_line() -> Vec<Value> {
    vec![line("L1", "a", "s1", "10.00", 1)]
}

#[test]
fn input_readings() {
    currency_lines_and_apply();
    tiers_and_stores();
    duplicate_keys();
    fields_of_other_kinds();
    // Too many promotions.
    let many: Vec<Value> = (0..2001)
        .map(|i| json!({ "id": format!("m{i}"), "kind": "markdown", "stage": "item", "off": "1" }))
        .collect();
    assert_eq!(
        quote_err(with_promos(json!(many), one_line())),
        e("limit_exceeded", "rules.promotions")
    );
}

/// The currency's form, an empty cart, and `apply`.
fn currency_lines_and_apply() {
    assert_eq!(
        quote_err(json!({ "rules": { "currency": "cny" }, "cart": cart(one_line()) })),
        e("invalid_amount", "rules.currency")
    );
    assert_eq!(
        quote_err(json!({ "rules": { "currency": 156 }, "cart": cart(one_line()) })),
        e("invalid_json", "rules.currency")
    );
    // Promotions may be absent; lines may be empty.
    let q = quote(json!({ "rules": { "currency": "CNY" }, "cart": { "lines": [] } }));
    assert_eq!(q["totals"]["payable"], "0.00");
    assert_eq!(
        quote_err(
            json!({ "rules": { "currency": "CNY" }, "cart": { "lines": one_line(), "apply": "all" } })
        ),
        e("invalid_json", "cart.apply")
    );
}

/// An `every` at 0, tiers empty or at one amount twice, a store named twice.
fn tiers_and_stores() {
    let every0 = json!([{ "id": "e", "kind": "threshold_off", "stage": "platform", "every": { "at": "0", "off": "1" } }]);
    assert_eq!(
        quote_err(with_promos(every0, one_line())),
        e("invalid_promotion", "rules.promotions[0].every.at")
    );
    let every0c = json!([{ "id": "e", "kind": "threshold_off", "stage": "platform", "basis": "count", "every": { "at": 0, "off": "1" } }]);
    assert_eq!(
        quote_err(with_promos(every0c, one_line())),
        e("invalid_quantity", "rules.promotions[0].every.at")
    );
    let empty = json!([{ "id": "t", "kind": "threshold_rate", "stage": "platform", "tiers": [] }]);
    assert_eq!(
        quote_err(with_promos(empty, one_line())),
        e("invalid_promotion", "rules.promotions[0].tiers")
    );
    let dup = json!([{ "id": "t", "kind": "threshold_off", "stage": "platform",
        "tiers": [{ "at": "100", "off": "5" }, { "at": "100.00", "off": "8" }] }]);
    assert_eq!(
        quote_err(with_promos(dup, one_line())),
        e("invalid_promotion", "rules.promotions[0].tiers[1].at")
    );
    // A store named twice is one store.
    let twice = json!([{ "id": "t", "kind": "threshold_off", "stage": "store", "scope": { "stores": ["s1", "s1"] },
        "tiers": [{ "at": "5", "off": "1" }] }]);
    assert_eq!(
        quote(with_promos(twice, one_line()))["totals"]["payable"],
        "9.00"
    );
}

/// Duplicate keys, at their path.
fn duplicate_keys() {
    let text = r#"{"rules":{"currency":"CNY"},"cart":{"lines":[{"id":"L1","sku":"a","store":"s","unit_price":"1","qty":1,"qty":2}]}}"#;
    let er = manjian::quote_from_str(text).unwrap_err();
    assert_eq!(
        (er.code.as_str(), er.path.as_str()),
        ("invalid_json", "cart.lines[0].qty")
    );
}

/// Fields of other kinds, and kind-specific rules.
fn fields_of_other_kinds() {
    let cap = json!([{ "id": "t", "kind": "threshold_off", "stage": "platform", "cap": "1", "tiers": [{ "at": "5", "off": "1" }] }]);
    assert_eq!(
        quote_err(with_promos(cap, one_line())),
        e("unknown_field", "rules.promotions[0].cap")
    );
    let two = json!([{ "id": "m", "kind": "markdown", "stage": "item", "price": "1", "off": "1" }]);
    assert_eq!(
        quote_err(with_promos(two, one_line())),
        e("invalid_promotion", "rules.promotions[0]")
    );
    let on = json!([{ "id": "m", "kind": "markdown", "stage": "item", "price": "1", "threshold_on": "list" }]);
    assert_eq!(
        quote_err(with_promos(on, one_line())),
        e("invalid_promotion", "rules.promotions[0].threshold_on")
    );
    let prio =
        json!([{ "id": "m", "kind": "markdown", "stage": "item", "price": "1", "priority": 1.5 }]);
    assert_eq!(
        quote_err(with_promos(prio, one_line())),
        e("invalid_promotion", "rules.promotions[0].priority")
    );
    let days = json!({ "rules": { "currency": "CNY", "price_protection_days": 36501 }, "cart": cart(one_line()) });
    assert_eq!(
        quote_err(days),
        e("invalid_time", "rules.price_protection_days")
    );
}

#[test]
fn item_stage_markdowns_limits_and_presale() {
    // limit_qty counts per sku: two lines of one sku share the allowance,
    // a line of another sku has its own.
    let promos = json!([{ "id": "ms", "kind": "markdown", "stage": "item", "price": "1.00", "limit_qty": 3 }]);
    let q = quote(with_promos(
        promos,
        vec![
            line("L1", "a", "s1", "10.00", 2),
            line("L2", "a", "s1", "10.00", 2),
            line("L3", "b", "s1", "10.00", 5),
        ],
    ));
    let finals: Vec<&str> = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["final"].as_str().unwrap())
        .collect();
    assert_eq!(finals, ["2.00", "11.00", "23.00"]);
    // A markdown above the list price takes nothing and is not listed.
    let promos = json!([{ "id": "up", "kind": "markdown", "stage": "item", "price": "12.00" }]);
    let q = quote(with_promos(promos, vec![line("L1", "a", "s1", "10.00", 1)]));
    assert_eq!(q["promotions"], json!([]));
    // Off larger than the price: the sale price is 0, never negative.
    let promos = json!([{ "id": "big", "kind": "markdown", "stage": "item", "off": "15.00" }]);
    let q = quote(with_promos(promos, vec![line("L1", "a", "s1", "10.00", 2)]));
    assert_eq!(q["lines"][0]["final"], "0.00");
    // Deposit equal to the price: no expansion possible.
    let mut l = line("L1", "a", "s1", "10.00", 1);
    l["presale"] = json!({ "deposit": "10.00", "deposit_value": "10.00" });
    let q = quote(with_promos(json!([]), vec![l]));
    assert_eq!(q["totals"]["due"], "0.00");
    assert_eq!(q["lines"][0]["deposit"], "10.00");
}

#[test]
fn hints_only_for_the_next_tier() {
    // Next tier (200) gives no more than now (100 -> 10); 300 would, but is
    // not the next tier.
    let promos = json!([{ "id": "t", "kind": "threshold_off", "stage": "platform",
        "tiers": [{ "at": "100", "off": "10" }, { "at": "200", "off": "10" }, { "at": "300", "off": "30" }] }]);
    let q = quote(with_promos(
        promos,
        vec![line("L1", "a", "s1", "150.00", 1)],
    ));
    assert_eq!(q["hints"], json!([]));
    // Count basis gives no hints; an every without cap always hints.
    let promos = json!([
        { "id": "c", "kind": "threshold_off", "stage": "store", "basis": "count", "scope": { "stores": ["s1"] },
          "tiers": [{ "at": 3, "off": "5" }] },
        { "id": "e", "kind": "threshold_off", "stage": "platform", "every": { "at": "100", "off": "10" } }
    ]);
    let q = quote(with_promos(
        promos,
        vec![line("L1", "a", "s1", "150.00", 1)],
    ));
    assert_eq!(
        q["hints"],
        json!([{ "promotion": "e", "add": "50.00", "extra_off": "10.00" }])
    );
}

#[test]
fn explicit_apply_errors_and_reasons() {
    let promos = json!([
        { "id": "a", "kind": "threshold_off", "stage": "platform", "coupon": true, "tiers": [{ "at": "0", "off": "1" }],
          "window": { "to": "2026-01-01T00:00:00Z" } },
        { "id": "b", "kind": "threshold_off", "stage": "platform", "coupon": true, "tiers": [{ "at": "0", "off": "2" }] },
        { "id": "c", "kind": "threshold_off", "stage": "store", "coupon": true, "scope": { "stores": ["s9"] },
          "tiers": [{ "at": "0", "off": "2" }] }
    ]);
    let mut input = with_promos(promos, vec![line("L1", "a", "s1", "10.00", 1)]);
    input["cart"]["coupons"] = json!(["a", "b", "c", "zz"]);
    // An inactive coupon still conflicts with its slot-mate.
    input["cart"]["apply"] = json!(["a", "b"]);
    assert_eq!(
        quote_err(input.clone()),
        e("slot_conflict", "cart.apply[1]")
    );
    input["cart"]["apply"] = json!(["b", "b"]);
    assert_eq!(quote_err(input.clone()), e("duplicate_id", "cart.apply[1]"));
    input["cart"]["apply"] = json!(["c", "a", "zz"]);
    let q = quote(input.clone());
    assert_eq!(
        q["coupons"]["unused"],
        json!([{ "id": "a", "reason": "inactive" }, { "id": "b", "reason": "not_chosen" },
               { "id": "c", "reason": "no_lines_in_scope" }, { "id": "zz", "reason": "unknown_coupon" }])
    );
    assert_eq!(q["coupons"]["proven_best"], false);
    input["cart"]["apply"] = json!("best");
    let q = quote(input);
    assert_eq!(q["coupons"]["applied"], json!(["b"]));
    assert_eq!(q["coupons"]["proven_best"], true);
}

fn refund_quote() -> Value {
    let input = json!({ "rules": { "currency": "CNY", "stores": {
            "s1": { "shipping": { "fee": "10.00" } }, "s2": { "shipping": { "fee": "8.00" } } } },
        "cart": { "lines": [line("L1", "a", "s1", "10.00", 2), line("L2", "b", "s2", "5.00", 1)] } });
    quote(input)
}

#[test]
fn refund_readings() {
    let q = refund_quote();
    let run = |returns: Value| {
        let out = manjian::refund_from_str(&json!({ "quote": q, "returns": returns }).to_string())
            .unwrap();
        serde_json::to_value(out).unwrap()
    };
    // s1 was completed by an earlier return stated with qty 0; this request
    // returns a unit of s2 only: s2's fee is refunded, s1's is not again.
    let r =
        run(json!([{ "line": "L1", "qty": 0, "returned_before": 2 }, { "line": "L2", "qty": 1 }]));
    assert_eq!(r["shipping"], json!([{ "store": "s2", "amount": "8.00" }]));
    assert_eq!(r["total"], "13.00");
    let bad = |returns: Value| {
        err(
            manjian::Operation::Refund,
            json!({ "quote": q, "returns": returns }),
        )
    };
    assert_eq!(
        bad(json!([{ "line": "L1", "qty": 0, "returned_before": 3 }])),
        e("invalid_quantity", "returns[0].returned_before")
    );
    assert_eq!(
        bad(json!([{ "line": "L1", "qty": 1 }, { "line": "L1", "qty": 1 }])),
        e("duplicate_id", "returns[1].line")
    );
    assert_eq!(
        bad(json!([{ "line": "L9", "qty": 1 }])),
        e("invalid_id", "returns[0].line")
    );
    // Returning everything refunds exactly payable.
    let all = run(json!([{ "line": "L1", "qty": 2 }, { "line": "L2", "qty": 1 }]));
    assert_eq!(all["total"], q["totals"]["payable"]);
}

#[test]
fn protect_readings() {
    let original = json!({ "rules": { "currency": "CNY" }, "cart": {
        "at": "2026-11-11T20:00:00+08:00", "lines": [line("L1", "a", "s1", "10.00", 2)], "coupons": ["x"] } });
    let new_rules = json!({ "currency": "CNY", "promotions": [
        { "id": "x", "kind": "threshold_off", "stage": "platform", "coupon": true, "tiers": [{ "at": "0", "off": "3" }] }] });
    let run = |extra: Value| {
        let mut doc =
            json!({ "original": original, "rules": new_rules, "at": "2026-11-12T00:00:00+08:00" });
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        manjian::protect_from_str(&doc.to_string())
            .map(|p| serde_json::to_value(p).unwrap())
            .map_err(|e| (e.code.as_str().to_owned(), e.path))
    };
    // Held coupon x now exists; claiming it again is no error.
    assert_eq!(run(json!({ "claimable": ["x"] })).unwrap()["total"], "3.00");
    assert_eq!(
        run(json!({ "at": "2026-11-10T00:00:00+08:00" })).unwrap()["lines"][0]["reason"],
        "expired"
    );
    assert_eq!(
        run(json!({ "refunded": [{ "line": "L1", "qty": 1 }] })).unwrap()["total"],
        "1.50"
    );
    assert_eq!(
        run(json!({ "refunded": [{ "line": "L1", "qty": 1 }, { "line": "L1", "qty": 2 }] }))
            .unwrap_err(),
        e("invalid_quantity", "refunded[1].qty")
    );
    assert_eq!(
        run(json!({ "rules": { "currency": "USD" } })).unwrap_err(),
        e("invalid_amount", "rules.currency")
    );
    // Errors in the original are reported under original.
    let mut bad = original.clone();
    bad["cart"]["apply"] = json!(["y"]);
    let doc = json!({ "original": bad, "rules": new_rules, "at": "2026-11-12T00:00:00+08:00" });
    assert_eq!(
        err(manjian::Operation::Protect, doc),
        e("coupon_not_held", "original.cart.apply[0]")
    );
    let mut no_at = original.clone();
    no_at["cart"].as_object_mut().unwrap().remove("at");
    let doc = json!({ "original": no_at, "rules": new_rules, "at": "2026-11-12T00:00:00+08:00" });
    assert_eq!(
        err(manjian::Operation::Protect, doc),
        e("missing_field", "original.cart.at")
    );
}

/// One promotion of each version 2 kind, and of two version 1 kinds, each
/// valid, for the validation rules to break.
struct Kinds {
    mb: Value,
    sub: Value,
    ship: Value,
    thr: Value,
    md: Value,
}

impl Kinds {
    fn new() -> Kinds {
        Kinds {
            mb: json!({ "id": "m", "kind": "multi_buy", "stage": "item", "buy": 1, "get": 1, "rate": "0.5" }),
            sub: json!({ "id": "g", "kind": "subsidy", "stage": "subsidy", "rate": "0.85" }),
            ship: json!({ "id": "s", "kind": "shipping_off", "stage": "shipping" }),
            thr: json!({ "id": "t", "kind": "threshold_off", "stage": "platform", "tiers": [{ "at": "1", "off": "1" }] }),
            md: json!({ "id": "d", "kind": "markdown", "stage": "item", "off": "1" }),
        }
    }
}

/// A promotion, the code it is rejected with, and the path.
type Rejected = (Value, &'static str, String);

/// A quote of one line under the promotion `p`.
fn v2_base(p: Value) -> Value {
    with_promos(json!([p]), vec![line("L1", "a", "s1", "10.00", 1)])
}

/// `p` with member `k` set to `v`.
fn with_member(p: &Value, k: &str, v: Value) -> Value {
    let mut p = p.clone();
    p[k] = v;
    p
}

/// `p` without member `k`.
fn without_member(p: &Value, k: &str) -> Value {
    let mut p = p.clone();
    p.as_object_mut().unwrap().remove(k);
    p
}

/// The path of the only promotion's `field`.
fn at(field: &str) -> String {
    format!("rules.promotions[0].{field}")
}

/// The promotion `p` with member `k` set to `v`, rejected with `code` at `k`.
fn bad(p: &Value, k: &str, v: Value, code: &'static str) -> Rejected {
    (with_member(p, k, v), code, at(k))
}

/// Every version 2 validation rule of section 8, each with its code and
/// path: a kind on the wrong stage, coupons where none may be, fields of
/// another kind, the multi-buy's, subsidy's and shipping promotion's own
/// fields, and the buyer and address documents.
#[test]
fn version_2_validation_rules() {
    let kinds = Kinds::new();
    let cases = [
        wrong_stages_and_coupons(&kinds),
        fields_of_another_kind(&kinds),
        own_fields(&kinds),
    ]
    .concat();
    for (p, code, path) in cases {
        assert_eq!(quote_err(v2_base(p.clone())), e(code, &path), "{p}");
    }
    buyer_and_address(&kinds.md);
}

/// A kind with the wrong stage, and coupon: true where none may be.
fn wrong_stages_and_coupons(k: &Kinds) -> Vec<Rejected> {
    let Kinds {
        mb,
        sub,
        ship,
        thr,
        md,
    } = k;
    vec![
        // A kind with the wrong stage.
        bad(mb, "stage", json!("store"), "invalid_promotion"),
        bad(sub, "stage", json!("platform"), "invalid_promotion"),
        bad(ship, "stage", json!("platform"), "invalid_promotion"),
        bad(thr, "stage", json!("shipping"), "invalid_promotion"),
        bad(md, "stage", json!("subsidy"), "invalid_promotion"),
        // coupon: true where none may be.
        bad(mb, "coupon", json!(true), "invalid_promotion"),
        bad(sub, "coupon", json!(true), "invalid_promotion"),
    ]
}

/// Fields of another kind, and threshold_on where there is no threshold.
fn fields_of_another_kind(k: &Kinds) -> Vec<Rejected> {
    let Kinds {
        mb,
        sub,
        ship,
        thr,
        md,
    } = k;
    vec![
        // Fields of another kind.
        bad(thr, "exclusive", json!(true), "unknown_field"),
        bad(sub, "exclusive", json!(true), "unknown_field"),
        bad(md, "buy", json!(1), "unknown_field"),
        bad(thr, "per_sku", json!(true), "unknown_field"),
        bad(ship, "max_groups", json!(1), "unknown_field"),
        bad(mb, "limit_qty", json!(1), "unknown_field"),
        bad(thr, "limit_qty", json!(1), "unknown_field"),
        bad(ship, "cap", json!("1"), "unknown_field"),
        bad(md, "cap", json!("1"), "unknown_field"),
        bad(thr, "rate", json!("0.5"), "unknown_field"),
        bad(ship, "rate", json!("0.5"), "unknown_field"),
        bad(sub, "price", json!("1"), "unknown_field"),
        bad(thr, "price", json!("1"), "unknown_field"),
        bad(sub, "off", json!("1"), "unknown_field"),
        (
            json!({ "id": "r", "kind": "threshold_rate", "stage": "platform",
                    "tiers": [{ "at": "1", "rate": "0.9" }], "off": "1" }),
            "unknown_field",
            at("off"),
        ),
        bad(thr, "at", json!("1"), "unknown_field"),
        bad(ship, "tiers", json!([]), "unknown_field"),
        bad(sub, "every", json!({}), "unknown_field"),
        bad(mb, "basis", json!("count"), "unknown_field"),
        // threshold_on where there is no threshold.
        bad(mb, "threshold_on", json!("list"), "invalid_promotion"),
        bad(sub, "threshold_on", json!("list"), "invalid_promotion"),
        bad(ship, "threshold_on", json!("list"), "invalid_promotion"),
    ]
}

/// The multi-buy's, the subsidy's and the shipping promotion's own fields,
/// audiences and exclude_tags.
fn own_fields(k: &Kinds) -> Vec<Rejected> {
    let Kinds {
        mb, sub, ship, md, ..
    } = k;
    vec![
        // The multi-buy's own fields.
        (without_member(mb, "buy"), "missing_field", at("buy")),
        bad(mb, "get", json!(0), "invalid_quantity"),
        bad(mb, "max_groups", json!(1.5), "invalid_quantity"),
        (
            without_member(mb, "rate"),
            "invalid_promotion",
            "rules.promotions[0]".to_owned(),
        ),
        (
            with_member(mb, "off", json!("1")),
            "invalid_promotion",
            "rules.promotions[0]".to_owned(),
        ),
        bad(mb, "per_sku", json!(1), "invalid_json"),
        bad(mb, "exclusive", json!("yes"), "invalid_json"),
        // The subsidy's and the shipping promotion's.
        (without_member(sub, "rate"), "missing_field", at("rate")),
        bad(sub, "cap", json!("1.005"), "invalid_amount"),
        bad(sub, "limit_qty", json!(0), "invalid_quantity"),
        bad(ship, "off", json!("-1"), "invalid_amount"),
        bad(ship, "at", json!("x"), "invalid_amount"),
        // Audiences and exclude_tags are arrays of ids.
        bad(md, "audience", json!("88vip"), "invalid_json"),
        (
            with_member(md, "audience", json!([""])),
            "invalid_id",
            "rules.promotions[0].audience[0]".to_owned(),
        ),
        (
            with_member(md, "scope", json!({ "exclude_tags": "x" })),
            "invalid_json",
            "rules.promotions[0].scope.exclude_tags".to_owned(),
        ),
        (
            with_member(md, "scope", json!({ "exclude_tags": ["ok", ""] })),
            "invalid_id",
            "rules.promotions[0].scope.exclude_tags[1]".to_owned(),
        ),
        bad(md, "funded_by", json!("gov"), "invalid_promotion"),
    ]
}

/// The buyer and the address, on a cart under the markdown `md`.
fn buyer_and_address(md: &Value) {
    let mut doc = v2_base(md.clone());
    for (buyer, code, path) in [
        (json!("88vip"), "invalid_json", "cart.buyer"),
        (json!({ "tag": [] }), "unknown_field", "cart.buyer.tag"),
        (
            json!({ "tags": "88vip" }),
            "invalid_json",
            "cart.buyer.tags",
        ),
        (
            json!({ "tags": ["p".repeat(65)] }),
            "invalid_id",
            "cart.buyer.tags[0]",
        ),
    ] {
        doc["cart"]["buyer"] = buyer;
        assert_eq!(quote_err(doc.clone()), e(code, path));
    }
    let mut doc = v2_base(md.clone());
    doc["cart"]["lines"][0]["ship_to"] = json!(7);
    assert_eq!(quote_err(doc), e("invalid_id", "cart.lines[0].ship_to"));
}

/// The version 2 readings of docs/CONTRACT-NOTES.md that the public
/// vectors do not pin.
#[test]
fn version_2_readings() {
    let rules = |promos: Value| {
        json!({ "currency": "CNY", "promotions": promos,
        "stores": { "s1": { "shipping": { "fee": "10.00" } } } })
    };
    // A coupon outside its window is `inactive` whoever the buyer is; an
    // eligible one in its window that cannot apply is not.
    let promos = json!([
        { "id": "vip", "kind": "threshold_off", "stage": "platform", "coupon": true, "audience": ["88vip"],
          "window": { "to": "2026-01-01T00:00:00Z" }, "tiers": [{ "at": "1", "off": "1" }] },
        { "id": "ship", "kind": "shipping_off", "stage": "shipping", "coupon": true, "scope": { "skus": ["b"] } }
    ]);
    let mut input =
        json!({ "rules": rules(promos), "cart": cart(vec![line("L1", "a", "s1", "10.00", 1)]) });
    input["cart"]["coupons"] = json!(["vip", "ship"]);
    let q = quote(input);
    assert_eq!(
        q["coupons"]["unused"],
        json!([
            { "id": "vip", "reason": "inactive" },
            { "id": "ship", "reason": "no_lines_in_scope" }
        ])
    );
    // An exclusive markdown's line is no line in scope of a threshold
    // coupon, but still takes shipping promotions.
    let promos = json!([
        { "id": "md", "kind": "markdown", "stage": "item", "off": "1.00", "exclusive": true },
        { "id": "cp", "kind": "threshold_off", "stage": "platform", "coupon": true, "tiers": [{ "at": "1", "off": "1" }] },
        { "id": "free", "kind": "shipping_off", "stage": "shipping" }
    ]);
    let mut input =
        json!({ "rules": rules(promos), "cart": cart(vec![line("L1", "a", "s1", "10.00", 1)]) });
    input["cart"]["coupons"] = json!(["cp"]);
    let q = quote(input);
    assert_eq!(
        q["coupons"]["unused"],
        json!([{ "id": "cp", "reason": "no_lines_in_scope" }])
    );
    assert_eq!(
        q["shipping"],
        json!([{ "store": "s1", "fee": "0.00",
        "discounts": [{ "promotion": "free", "amount": "10.00" }] }])
    );
    // Settlement: `presale` is the store's on a line, and no promotion of
    // a shipping discount.
    let mut lines = vec![line("L1", "a", "s1", "100.00", 1)];
    lines[0]["presale"] = json!({ "deposit": "10.00", "deposit_value": "20.00" });
    let q = quote(json!({ "rules": rules(json!([])), "cart": cart(lines) }));
    let s = manjian::settle_from_str(&json!({ "quote": q }).to_string()).unwrap();
    assert_eq!(s.orders[0].funded.store.to_string(), "10.00");
    assert_eq!(s.orders[0].receivable.to_string(), "100.00");
    let mut bad = q.clone();
    bad["shipping"][0]["discounts"] = json!([{ "promotion": "presale", "amount": "1.00" }]);
    assert_eq!(
        err(manjian::Operation::Settle, json!({ "quote": bad })),
        e("invalid_id", "quote.shipping[0].discounts[0].promotion")
    );
    // The typed door settles the typed quote the same way.
    let typed = manjian::quote_from_str(
        &json!({ "rules": rules(json!([])), "cart": cart(vec![line("L1", "a", "s1", "5.00", 2)]) })
            .to_string(),
    )
    .unwrap();
    let settled = manjian::settle(&typed).unwrap();
    assert_eq!(settled.total.payable, typed.totals.payable);
}

/// Version 3: a repeated claimable entry is reported before an unknown
/// one; the 领券 vectors' errors on a cart without templates or tenders;
/// gift hints at their place in the store stage's order.
#[test]
fn claimable_and_gift_readings() {
    let promos = json!([
        { "id": "s1-50-5", "kind": "threshold_off", "stage": "store", "priority": 1,
          "scope": { "stores": ["s1"] }, "tiers": [{ "at": "50.00", "off": "5.00" }] },
        { "id": "g1", "kind": "gift", "stage": "store", "scope": { "stores": ["s1"] },
          "tiers": [{ "at": "5.00", "gifts": [{ "sku": "bag", "qty": 1, "value": "9.00" }] },
                    { "at": "30.00", "gifts": [{ "sku": "mug", "qty": 2, "value": "39.00" }] }] },
        { "id": "plat-c", "kind": "threshold_off", "stage": "platform", "coupon": true,
          "tiers": [{ "at": "5.00", "off": "1.00" }, { "at": "40.00", "off": "4.00" }] },
    ]);
    let mut input = with_promos(promos.clone(), one_line());
    input["cart"]["claimable"] = json!(["nope", "plat-c", "plat-c"]);
    assert_eq!(
        quote_err(input.clone()),
        e("duplicate_id", "cart.claimable[2]")
    );
    input["cart"]["claimable"] = json!(["nope", "plat-c"]);
    assert_eq!(
        quote_err(input.clone()),
        e("invalid_id", "cart.claimable[0]")
    );
    input["cart"]["claimable"] = json!(["g1"]);
    assert_eq!(
        quote_err(input.clone()),
        e("invalid_id", "cart.claimable[0]")
    );
    input["cart"]["claimable"] = json!(["plat-c"]);
    input["cart"]["apply"] = json!(["plat-c", "s1-50-5"]);
    assert_eq!(
        quote_err(input.clone()),
        e("coupon_not_held", "cart.apply[1]")
    );
    input["cart"]["apply"] = json!("best");
    let q = quote(input);
    assert_eq!(q["coupons"]["applied"], json!(["plat-c"]));
    assert_eq!(q["coupons"]["claim"], json!(["plat-c"]));
    assert_eq!(q["coupons"]["unused"], json!([]));
    assert_eq!(
        q["gifts"],
        json!([{ "promotion": "g1", "store": "s1", "sku": "bag", "qty": 1, "value": "9.00" }])
    );
    // g1 (priority 0) before s1-50-5 (priority 1), both before plat-c.
    let order: Vec<&str> = q["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["promotion"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["g1", "s1-50-5", "plat-c"]);
    assert_eq!(q["hints"][0]["add"], json!("20.00"));
    // A cart without claimable has no coupons.claim, and no gifts without one given.
    let plain = quote(with_promos(promos, vec![line("L1", "a", "s2", "10.00", 1)]));
    assert!(plain["coupons"].get("claim").is_none());
    assert!(plain.get("gifts").is_none());
}

/// Version 3: a gift promotion's validation (the public vectors' faults on
/// rules without templates or tenders).
#[test]
fn gift_validation() {
    let gift = || {
        json!({ "id": "g", "kind": "gift", "stage": "store", "scope": { "stores": ["s1"] },
                "tiers": [{ "at": "10.00", "gifts": [{ "sku": "bag", "qty": 1, "value": "9.00" }] }] })
    };
    let check = |edit: &dyn Fn(&mut Value), code: &str, path: &str| {
        let mut g = gift();
        edit(&mut g);
        let input = with_promos(json!([g]), one_line());
        assert_eq!(quote_err(input), e(code, path), "{path}");
    };
    let p = "rules.promotions[0]";
    check(
        &|g| g["stage"] = json!("platform"),
        "invalid_promotion",
        &format!("{p}.stage"),
    );
    check(
        &|g| g["coupon"] = json!(true),
        "invalid_promotion",
        &format!("{p}.coupon"),
    );
    check(
        &|g| {
            g.as_object_mut().unwrap().remove("tiers");
        },
        "missing_field",
        &format!("{p}.tiers"),
    );
    check(
        &|g| g["tiers"][0]["gifts"] = json!([]),
        "invalid_promotion",
        &format!("{p}.tiers[0].gifts"),
    );
    check(
        &|g| g["tiers"][0]["off"] = json!("1.00"),
        "unknown_field",
        &format!("{p}.tiers[0].off"),
    );
    check(
        &|g| g["every"] = json!({ "at": "1", "off": "1" }),
        "unknown_field",
        &format!("{p}.every"),
    );
    check(
        &|g| g["threshold_on"] = json!("store"),
        "invalid_promotion",
        &format!("{p}.threshold_on"),
    );
    check(
        &|g| g["tiers"][0]["gifts"][0]["qty"] = json!(0),
        "invalid_quantity",
        &format!("{p}.tiers[0].gifts[0].qty"),
    );
    check(
        &|g| {
            g["tiers"][0]["gifts"] = json!(vec![json!({ "sku": "b", "qty": 1, "value": "1" }); 101])
        },
        "limit_exceeded",
        &format!("{p}.tiers[0].gifts"),
    );
    // threshold_on "list" is allowed, and a gift's base ignores store promotions.
    let mut g = gift();
    g["threshold_on"] = json!("list");
    let q = quote(with_promos(json!([g]), one_line()));
    assert_eq!(q["gifts"][0]["sku"], json!("bag"));
}

//! The reference server over real HTTP on loopback: every public vector
//! through `POST /api/...` answers what the command prints; bad input gets
//! the error document with 400 or 413; the server stays up; files are
//! served with the right types.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

/// A server on a free loopback port, serving a temporary www folder, with
/// `shop` for its orders.
fn start(name: &str, shop: Option<manjian::server::Shop>) -> SocketAddr {
    let www = std::env::temp_dir().join(format!("manjian-www-{name}-{}", std::process::id()));
    std::fs::create_dir_all(www.join("pkg")).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(www.join("pkg/m.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let shop = shop.map(std::sync::Arc::new);
            let site = manjian::server::Site { www, shop };
            manjian::server::serve(listener, site).await.unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(10)).unwrap()
}

/// The contract's section 2 example: its input and `manjian quote`'s output.
fn example() -> (serde_json::Value, String) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/quote/40-spec-example.json");
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let input = case["input"].clone();
    let quote = manjian::Operation::Quote
        .str_to_string(&input.to_string())
        .unwrap();
    (input, quote)
}

/// A catalogue of the example cart's products: each line's terms by sku,
/// and the cart's time as the shop's clock.
fn catalogue(input: &serde_json::Value) -> serde_json::Value {
    let products: Vec<serde_json::Value> = input["cart"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let mut p = l.clone();
            let o = p.as_object_mut().unwrap();
            o.remove("id");
            o.remove("qty");
            o.insert("name".into(), serde_json::json!("the page's, ignored"));
            p
        })
        .collect();
    serde_json::json!({ "title": "ignored", "products": products, "now": input["cart"]["at"] })
}

/// One server for the whole test binary, pricing orders as a shop of the
/// section 2 example's rules and products sells them.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (input, _) = example();
        let shop =
            manjian::server::Shop::new(&input["rules"].to_string(), &catalogue(&input).to_string())
                .unwrap();
        start("shop", Some(shop))
    })
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

/// A raw HTTP/1.1 request (so that malformed and oversized bodies can be
/// sent exactly as a hostile client would).
fn request(method: &str, path: &str, body: &[u8]) -> Reply {
    request_to(server(), method, path, body)
}

fn request_to(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) and close before reading a huge body.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Reply {
        status,
        content_type,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

fn error_of(r: &Reply) -> (String, String) {
    let v: serde_json::Value =
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body));
    (
        v["error"]["code"].as_str().unwrap().to_owned(),
        v["error"]["path"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn every_public_vector_through_http_equals_the_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut n = 0;
    for dir in ["quote", "errors", "refund", "protect", "settle"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let case: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap())
                    .unwrap();
            let op = case.get("op").and_then(|o| o.as_str()).unwrap_or("quote");
            let input = case["input"].to_string();
            let local = manjian::Operation::from_name(op)
                .unwrap()
                .str_to_string(&input);
            let r = request("POST", &format!("/api/{op}"), input.as_bytes());
            assert!(
                r.content_type.starts_with("application/json"),
                "{}",
                r.content_type
            );
            match local {
                Ok(doc) => {
                    assert_eq!(r.status, 200, "{}", r.body);
                    assert_eq!(r.body, doc);
                }
                Err(e) => {
                    assert_eq!(r.status, 400, "{}", r.body);
                    assert_eq!(r.body, e.to_document());
                }
            }
            n += 1;
        }
    }
    assert!(n >= 171);
}

#[test]
fn bad_requests_get_the_error_document_and_the_server_stays_up() {
    let r = request("POST", "/api/quote", b"{\"rules\":");
    assert_eq!(
        (r.status, error_of(&r)),
        (400, ("invalid_json".into(), "".into()))
    );
    let r = request(
        "POST",
        "/api/quote",
        br#"{"rules":{"currency":"CNY"},"cart":{"lines":[]},"extra":1}"#,
    );
    assert_eq!(
        (r.status, error_of(&r)),
        (400, ("unknown_field".into(), "extra".into()))
    );
    let r = request("POST", "/api/refund", b"\"\xff\"");
    assert_eq!((r.status, error_of(&r).0.as_str()), (400, "invalid_json"));
    let big = vec![b' '; manjian::MAX_INPUT_BYTES + 1];
    let r = request("POST", "/api/quote", &big);
    assert_eq!((r.status, error_of(&r).0.as_str()), (413, "limit_exceeded"));
    // Exactly 4 MiB is read (and is then judged as JSON).
    let mut edge = vec![b' '; manjian::MAX_INPUT_BYTES - 2];
    edge.extend_from_slice(b"{}");
    let r = request("POST", "/api/quote", &edge);
    assert_eq!(
        (r.status, error_of(&r)),
        (400, ("missing_field".into(), "rules".into()))
    );
    let r = request("GET", "/api/quote", b"");
    assert_eq!(r.status, 405);
    // Still serving.
    let ok = request(
        "POST",
        "/api/quote",
        br#"{"rules":{"currency":"CNY"},"cart":{"lines":[]}}"#,
    );
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("\"payable\":\"0.00\""));
}

#[test]
fn serves_the_page_and_wasm_with_their_types() {
    let r = request("GET", "/", b"");
    assert_eq!(r.status, 200);
    assert!(
        r.content_type.starts_with("text/html"),
        "{}",
        r.content_type
    );
    let r = request("GET", "/pkg/m.wasm", b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/wasm");
    assert_eq!(request("GET", "/nope.js", b"").status, 404);
}

/// POST an order document to the shop's server.
fn order(body: serde_json::Value) -> Reply {
    request("POST", "/api/order", body.to_string().as_bytes())
}

/// The section 2 example's cart and the digest of its quote.
fn example_order() -> (serde_json::Value, String, String) {
    let (input, quote) = example();
    let digest: serde_json::Value = serde_json::from_str(&quote).unwrap();
    let digest = digest["digest"].as_str().unwrap().to_owned();
    (input, quote, digest)
}

#[test]
fn an_order_is_accepted_only_with_the_servers_digest() {
    let (input, quote, digest) = example_order();
    let ok = order(serde_json::json!({ "cart": input["cart"], "digest": digest }));
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body, format!("{{\"accepted\":true,\"quote\":{quote}}}"));
    // The digest the page showed is not the server's: refused, with the
    // server's own quote.
    let tampered = format!("sha256:{}", "0".repeat(64));
    let refused = order(serde_json::json!({ "cart": input["cart"], "digest": tampered }));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(
        refused.body,
        format!("{{\"accepted\":false,\"quote\":{quote}}}")
    );
    // The client's rules are never read: an order carrying them is refused
    // as an unknown member.
    let r = order(
        serde_json::json!({ "rules": input["rules"], "cart": input["cart"], "digest": digest }),
    );
    assert_eq!(
        (r.status, error_of(&r)),
        (400, ("unknown_field".into(), "rules".into()))
    );
    let r = order(serde_json::json!({ "cart": input["cart"] }));
    assert_eq!(
        (r.status, error_of(&r)),
        (400, ("missing_field".into(), "digest".into()))
    );
}

#[test]
fn the_shops_catalogue_not_the_page_sets_prices_and_products() {
    let (input, quote, digest) = example_order();
    // The client's prices, deposits and time are not the shop's: a page
    // that lowered a price and priced its own cart under the public rules
    // gets its digest refused, and the shop's quote.
    let mut cheap = input.clone();
    cheap["cart"]["lines"][0]["unit_price"] = serde_json::json!("1999.00");
    cheap["cart"]["lines"][0]["presale"]["deposit"] = serde_json::json!("0.01");
    cheap["cart"]["at"] = serde_json::json!("2026-01-01T00:00:00Z");
    let own: serde_json::Value = serde_json::from_str(
        &manjian::Operation::Quote
            .str_to_string(&cheap.to_string())
            .unwrap(),
    )
    .unwrap();
    assert_ne!(own["digest"].as_str(), Some(digest.as_str()));
    let r = order(serde_json::json!({ "cart": cheap["cart"], "digest": own["digest"] }));
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body, format!("{{\"accepted\":false,\"quote\":{quote}}}"));
    // A sku the shop does not sell, and a quantity no cart may have.
    for (field, value, code, path) in [
        (
            "sku",
            serde_json::json!("counterfeit"),
            "invalid_id",
            "cart.lines[0].sku",
        ),
        (
            "qty",
            serde_json::json!(0),
            "invalid_quantity",
            "cart.lines[0].qty",
        ),
    ] {
        let mut cart = input["cart"].clone();
        cart["lines"][0][field] = value;
        let r = order(serde_json::json!({ "cart": cart, "digest": digest }));
        assert_eq!((r.status, error_of(&r)), (400, (code.into(), path.into())));
    }
}

/// A shop whose store charges by freight templates (a piece template and
/// a weight one), selling the products of a public vector's cart.
fn template_shop() -> (SocketAddr, serde_json::Value) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/quote/76-template-piece-and-weight-in-one-store.json");
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let input = case["input"].clone();
    let shop =
        manjian::server::Shop::new(&input["rules"].to_string(), &catalogue(&input).to_string())
            .unwrap();
    (start("templates", Some(shop)), input)
}

#[test]
fn the_shops_catalogue_sets_each_products_template_and_weight() {
    let (addr, input) = template_shop();
    let quote = manjian::Operation::Quote
        .str_to_string(&input.to_string())
        .unwrap();
    let honest: serde_json::Value = serde_json::from_str(&quote).unwrap();
    let send = |cart: &serde_json::Value, digest: &serde_json::Value| {
        let body = serde_json::json!({ "cart": cart, "digest": digest }).to_string();
        request_to(addr, "POST", "/api/order", body.as_bytes())
    };
    // A page that ships the 2.5 kg sack under the cheap piece template, or
    // as a lighter one, and prices its own cart: its freight is lower, its
    // digest is refused, and the shop's quote charges the real freight.
    for (field, value) in [
        ("template", serde_json::json!("small")),
        ("weight", serde_json::json!("0.5")),
    ] {
        let mut cheap = input.clone();
        cheap["cart"]["lines"][1][field] = value;
        let own: serde_json::Value = serde_json::from_str(
            &manjian::Operation::Quote
                .str_to_string(&cheap.to_string())
                .unwrap(),
        )
        .unwrap();
        assert!(
            own["totals"]["shipping"] != honest["totals"]["shipping"],
            "{field}: {own}"
        );
        let r = send(&cheap["cart"], &own["digest"]);
        assert_eq!(r.status, 409, "{field}: {}", r.body);
        assert_eq!(r.body, format!("{{\"accepted\":false,\"quote\":{quote}}}"));
    }
    // A page that sends no template or weight at all gets them from the
    // catalogue: the honest digest is accepted.
    let mut bare = input["cart"].clone();
    for line in bare["lines"].as_array_mut().unwrap() {
        let o = line.as_object_mut().unwrap();
        o.remove("template");
        o.remove("weight");
    }
    let r = send(&bare, &honest["digest"]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, format!("{{\"accepted\":true,\"quote\":{quote}}}"));
}

/// The section 2 example's rules with the tenders (抵扣) its shop offers:
/// 京豆-like points (steps of 1000, at most half of what they pay for)
/// and a gift card that may pay shipping.
fn tender_rules() -> serde_json::Value {
    let (input, _) = example();
    let mut rules = input["rules"].clone();
    rules["tenders"] = serde_json::json!([
        { "id": "beans", "kind": "points", "unit_value": "0.01", "step": 1000, "max_share": "0.5" },
        { "id": "card", "kind": "credit", "shipping": true, "funded_by": "buyer", "priority": 1 }
    ]);
    rules
}

/// The digest of the quote of `cart` under `rules`.
fn digest_of(rules: &serde_json::Value, cart: &serde_json::Value) -> String {
    let input = serde_json::json!({ "rules": rules, "cart": cart });
    let quote = manjian::Operation::Quote
        .str_to_string(&input.to_string())
        .unwrap();
    let quote: serde_json::Value = serde_json::from_str(&quote).unwrap();
    quote["digest"].as_str().unwrap().to_owned()
}

#[test]
fn an_order_pays_with_the_shops_tenders_never_the_clients() {
    let (input, _) = example();
    let rules = tender_rules();
    let shop =
        manjian::server::Shop::new(&rules.to_string(), &catalogue(&input).to_string()).unwrap();
    let addr = start("tenders", Some(shop));
    let send = |cart: &serde_json::Value, digest: &str| {
        let body = serde_json::json!({ "cart": cart, "digest": digest }).to_string();
        request_to(addr, "POST", "/api/order", body.as_bytes())
    };
    // The cart names the tenders it pays with, its balances and `use`.
    let mut cart = input["cart"].clone();
    cart["tenders"] = serde_json::json!([
        { "id": "beans", "balance": 500000 },
        { "id": "card", "balance": "50.00", "use": "20.00" }
    ]);
    let digest = digest_of(&rules, &cart);
    let ok = send(&cart, &digest);
    assert_eq!(ok.status, 200, "{}", ok.body);
    let answer: serde_json::Value = serde_json::from_str(&ok.body).unwrap();
    assert_eq!(answer["quote"]["tenders"][0]["points"], 111000);
    // A page that priced the cart under a tender of its own making (no
    // cap, points one by one) is refused, with the shop's quote.
    let mut generous = rules.clone();
    generous["tenders"][0]["max_share"] = serde_json::json!("1");
    generous["tenders"][0]["step"] = serde_json::json!(1);
    let own = digest_of(&generous, &cart);
    assert_ne!(own, digest);
    let r = send(&cart, &own);
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        r.body.replace("\"accepted\":false", "\"accepted\":true"),
        ok.body
    );
    // A cart cannot define a tender: a member of a tender's definition is
    // an unknown member of the cart's, and a tender the shop does not
    // offer is an invalid id.
    for (field, value) in [
        ("max_share", serde_json::json!("1")),
        ("unit_value", serde_json::json!("1.00")),
        ("step", serde_json::json!(1)),
        ("funded_by", serde_json::json!("store")),
        ("kind", serde_json::json!("credit")),
    ] {
        let mut bad = cart.clone();
        bad["tenders"][0][field] = value;
        let r = send(&bad, &digest);
        let path = format!("cart.tenders[0].{field}");
        assert_eq!(
            (r.status, error_of(&r)),
            (400, ("unknown_field".into(), path))
        );
    }
    let mut bad = cart.clone();
    bad["tenders"][0]["id"] = serde_json::json!("free-money");
    let r = send(&bad, &digest);
    assert_eq!(
        (r.status, error_of(&r)),
        (400, ("invalid_id".into(), "cart.tenders[0].id".into()))
    );
}

#[test]
fn a_server_without_rules_takes_no_orders() {
    let addr = start("bare", None);
    let (input, _) = example();
    let body = serde_json::json!({ "cart": input["cart"], "digest": "sha256:0" }).to_string();
    let r = request_to(addr, "POST", "/api/order", body.as_bytes());
    assert_eq!((r.status, error_of(&r).0.as_str()), (503, "unavailable"));
    // Everything else is served.
    let q = request_to(addr, "POST", "/api/quote", input.to_string().as_bytes());
    assert_eq!(q.status, 200);
}

#[test]
fn a_shop_with_a_faulty_catalogue_is_refused_at_start() {
    let (input, _) = example();
    let mut cat = catalogue(&input);
    cat["products"][0]["unit_price"] = serde_json::json!("12.345");
    let e = manjian::server::Shop::new(&input["rules"].to_string(), &cat.to_string()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("invalid_amount", "products[0].unit_price")
    );
    assert!(e.message.starts_with("the catalogue"), "{}", e.message);
    let e = manjian::server::Shop::new(&input["rules"].to_string(), "{}").unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("missing_field", "products")
    );
}

/// A product of a store that prices freight by templates must name one of
/// its templates: the shop is refused at start, never a shopper's order.
#[test]
fn a_shop_whose_product_lacks_its_freight_template_is_refused_at_start() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/quote/76-template-piece-and-weight-in-one-store.json");
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let input = &case["input"];
    let mut cat = catalogue(input);
    cat["products"][1]
        .as_object_mut()
        .unwrap()
        .remove("template");
    let e = manjian::server::Shop::new(&input["rules"].to_string(), &cat.to_string()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("missing_field", "products[1].template")
    );
    cat["products"][1]["template"] = serde_json::json!("no-such-template");
    let e = manjian::server::Shop::new(&input["rules"].to_string(), &cat.to_string()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("invalid_id", "products[1].template")
    );
}

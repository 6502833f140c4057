#![cfg(not(target_arch = "wasm32"))]
//! The HTTP API's description (`src/doors/openapi.json`, served at
//! `/api/openapi.json`) agrees with the engine: every enumeration's names
//! and every document's members (with which the engine may leave out, for
//! output documents) come from the Rust lists the engine reads and writes
//! with, as for the TypeScript types; every operation the server routes is
//! described, with its input and output documents and the error document
//! for each error status. (The e2e tests validate live answers against it.)

use serde_json::Value;
use std::collections::BTreeSet;

fn openapi() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/doors/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["components"]["schemas"]
        .get(name)
        .unwrap_or_else(|| panic!("openapi.json has no components.schemas.{name}"))
}

/// The property names of a schema, and those it requires.
fn members(s: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let props = s["properties"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let required = s["required"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    (props, required)
}

/// `v`, or what its `$ref` (a pointer into this document) names.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{r} names nothing")),
        None => v,
    }
}

#[test]
fn every_enumeration_has_the_engines_names() {
    let doc = openapi();
    for (name, names) in manjian::testing::enums() {
        let listed: BTreeSet<&str> = schema(&doc, name)["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has no enum"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let rust: BTreeSet<&str> = names.into_iter().collect();
        assert_eq!(listed, rust, "the names of {name}");
    }
}

#[test]
fn every_document_has_the_engines_members() {
    let doc = openapi();
    for (name, fields) in manjian::testing::documents() {
        let s = schema(&doc, name);
        let (props, required) = members(s);
        let rust: BTreeSet<String> = fields.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(props, rust, "the members of {name}");
        assert_eq!(
            s["additionalProperties"],
            Value::Bool(false),
            "{name} takes no other member (the engine's unknown_field)"
        );
        // Output documents: a member is required exactly when the engine
        // always writes it. (Input members' requiredness is the parser's.)
        if fields.iter().any(|(_, optional)| !optional) {
            let always: BTreeSet<String> = fields
                .iter()
                .filter(|(_, optional)| !optional)
                .map(|(k, _)| k.to_string())
                .collect();
            assert_eq!(required, always, "which members of {name} are required");
        }
    }
}

#[test]
fn every_route_is_described_with_its_documents() {
    let doc = openapi();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let routes = [
        ("/api/quote", "QuoteInput", "Quote"),
        ("/api/refund", "RefundInput", "Refund"),
        ("/api/protect", "ProtectInput", "Protection"),
        ("/api/settle", "SettleInput", "Settlement"),
        ("/api/order", "OrderRequest", "OrderAnswer"),
    ];
    let reference = |name: &str| Value::String(format!("#/components/schemas/{name}"));
    for (path, input, output) in routes {
        let op = &doc["paths"][path]["post"];
        let body = &op["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(body, &reference(input), "{path}'s request body");
        let ok = &op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(ok, &reference(output), "{path}'s answer");
        if path == "/api/order" {
            let refused = &op["responses"]["409"]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(refused, &reference(output), "{path} 409");
        }
        for status in ["400", "408", "413", "500", "503"] {
            let err = &resolve(&doc, &op["responses"][status])["content"]["application/json"]
                ["schema"]["$ref"];
            assert_eq!(err, &reference("Error"), "{path} {status}");
        }
    }
    let own = &doc["paths"]["/api/openapi.json"]["get"]["responses"]["200"];
    assert!(own["content"]["application/json"].is_object());
    let described: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let served: BTreeSet<&str> = routes
        .iter()
        .map(|(p, _, _)| *p)
        .chain(["/api/openapi.json"])
        .collect();
    assert_eq!(described, served, "the paths described are the ones served");
}

#[test]
fn the_check_itself_sees_a_wrong_member() {
    let mut doc = openapi();
    let props = doc["components"]["schemas"]["ShippingFee"]["properties"]
        .as_object_mut()
        .unwrap();
    let fee = props.remove("fee").unwrap();
    props.insert("fees".into(), fee);
    let (props, _) = members(schema(&doc, "ShippingFee"));
    assert!(props.contains("fees") && !props.contains("fee"));
}

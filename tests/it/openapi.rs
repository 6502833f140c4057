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

type Documents = Vec<(&'static str, Vec<(&'static str, bool)>)>;

/// Where the schemas of `doc` differ from the engine's `documents`: a
/// member more or less, another member required, other members allowed.
fn mismatches(doc: &Value, documents: Documents) -> Vec<String> {
    let mut out = Vec::new();
    for (name, fields) in documents {
        let Some(s) = doc["components"]["schemas"].get(name) else {
            out.push(format!("no schema {name}"));
            continue;
        };
        let (props, required) = members(s);
        let rust: BTreeSet<String> = fields.iter().map(|(k, _)| k.to_string()).collect();
        if props != rust {
            out.push(format!("{name}: members {props:?}, the engine's {rust:?}"));
        }
        if s["additionalProperties"] != Value::Bool(false) {
            out.push(format!(
                "{name} takes other members (the engine's unknown_field)"
            ));
        }
        // Output documents: a member is required exactly when the engine
        // always writes it. (Input members' requiredness is the parser's.)
        if fields.iter().any(|(_, optional)| !optional) {
            let always: BTreeSet<String> = fields
                .iter()
                .filter(|(_, optional)| !optional)
                .map(|(k, _)| k.to_string())
                .collect();
            if required != always {
                out.push(format!(
                    "{name}: requires {required:?}, the engine always writes {always:?}"
                ));
            }
        }
    }
    out
}

/// The engine's documents and the reference server's own.
fn all_documents() -> Documents {
    let mut all = manjian::testing::documents();
    #[cfg(feature = "server")]
    all.extend(manjian::testing::server_documents());
    all
}

#[test]
fn every_document_has_the_engines_members() {
    assert_eq!(
        mismatches(&openapi(), all_documents()),
        Vec::<String>::new()
    );
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
    let described: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let listed: BTreeSet<String> = routes
        .iter()
        .map(|(p, _, _)| p.to_string())
        .chain(["/api/openapi.json".to_owned()])
        .collect();
    assert_eq!(described, listed, "every path described is checked here");
    #[cfg(feature = "server")]
    {
        let served: BTreeSet<String> = manjian::server::api_paths().into_iter().collect();
        assert_eq!(
            described, served,
            "the paths described are the ones the router serves"
        );
    }
}

#[test]
fn the_check_itself_sees_a_wrong_member() {
    let mut doc = openapi();
    let props = doc["components"]["schemas"]["ShippingFee"]["properties"]
        .as_object_mut()
        .unwrap();
    let fee = props.remove("fee").unwrap();
    props.insert("fees".into(), fee);
    doc["components"]["schemas"]["Totals"]["required"] = serde_json::json!(["list"]);
    let found = mismatches(&doc, all_documents());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("ShippingFee: members")
            || found[1].starts_with("ShippingFee: members")
    );
    assert!(found.iter().any(|m| m.starts_with("Totals: requires")));
}

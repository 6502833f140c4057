//! The HTTP API's description (`src/doors/openapi.json`, served at
//! `/api/openapi.json`): generated from the engine's declarations of its
//! documents (the committed file is what the generator writes), and every
//! operation the server routes is described, with its input and output
//! documents and the error document for each error status. (The e2e tests
//! validate live answers against it, and check that it rejects a wrong
//! one.)

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn doors() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/doors")
}

fn openapi() -> Value {
    serde_json::from_str(&std::fs::read_to_string(doors().join("openapi.json")).unwrap()).unwrap()
}

/// A `$ref` to a response, resolved.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            &doc["components"]["responses"][name]
        }
        None => v,
    }
}

#[test]
fn the_committed_description_is_the_generated_one() {
    let paths = std::fs::read_to_string(doors().join("openapi-paths.json")).unwrap();
    let generated = testkit::generate::openapi(&paths);
    let committed = std::fs::read_to_string(doors().join("openapi.json")).unwrap();
    assert!(
        committed == generated,
        "src/doors/openapi.json is not what the generator writes: run scripts/generate.sh"
    );
}

#[test]
fn every_document_and_enumeration_is_described() {
    let doc = openapi();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let shapes = manjian::testing::shapes();
    // A base (the promotions' common members) is written into each shape
    // that extends it, not on its own.
    let bases: Vec<&str> = shapes.iter().filter_map(|s| s.extends).collect();
    for s in shapes.iter().filter(|s| !bases.contains(&s.name)) {
        let base = shapes.iter().find(|b| Some(b.name) == s.extends);
        let described = &schemas[s.name];
        let members: BTreeSet<&str> = described["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let own = s.members.iter();
        let inherited = base.into_iter().flat_map(|b| b.members.iter());
        assert!(
            own.chain(inherited).all(|m| members.contains(m.name)),
            "{}",
            s.name
        );
    }
    for e in manjian::testing::enums() {
        let values: Vec<&str> = e.values.iter().map(|(v, _)| *v).collect();
        assert_eq!(
            schemas[e.name]["enum"],
            serde_json::json!(values),
            "{}",
            e.name
        );
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
fn the_error_document_is_described_as_written() {
    let err = manjian::quote_from_str("{}").unwrap_err();
    let doc: Value = serde_json::from_str(&err.to_document()).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let shape = |name: &str| {
        let all = manjian::testing::shapes()
            .into_iter()
            .chain(manjian::testing::server_shapes());
        let s = all.into_iter().find(|s| s.name == name).unwrap();
        let names: Vec<String> = s.members.iter().map(|m| m.name.to_owned()).collect();
        names
    };
    assert_eq!(keys(&doc), shape("Error"));
    assert_eq!(keys(&doc["error"]), shape("ManjianError"));
}

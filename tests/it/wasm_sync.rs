//! Native checks that keep the wasm suites honest: the wasm case list
//! names every public vector, and the parity fixture holds the native
//! digests of the generated carts (the wasm suites check the same digests,
//! so native and wasm agree cart for cart).

use std::path::Path;
use testkit::{quote_input, Rng, Shape};

const PARITY_CARTS: u64 = 300;

#[test]
fn wasm_case_list_names_every_public_vector() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let list = std::fs::read_to_string(root.join("wasm/cases.rs")).unwrap();
    let mut missing = Vec::new();
    let mut vectors = 0;
    for dir in ["quote", "errors", "refund", "protect", "settle"] {
        for entry in std::fs::read_dir(root.join("cases").join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let include = format!("include_str!(\"../cases/{dir}/{name}\")");
            vectors += usize::from(name.ends_with(".json"));
            if name.ends_with(".json") && !list.contains(&include) {
                missing.push(format!("    (\"{dir}/{name}\", {include}),"));
            }
        }
    }
    assert!(
        vectors >= 171,
        "expected the public vectors in tests/cases, found {vectors}"
    );
    assert!(
        missing.is_empty(),
        "add to tests/wasm/cases.rs:\n{}",
        missing.join("\n")
    );
}

#[test]
fn parity_fixture_holds_the_native_digests() {
    parity_fixture("parity.json", Shape::SMALL);
}

/// The same for carts with every version 2 feature.
#[test]
fn parity_fixture_v2_holds_the_native_digests() {
    parity_fixture("parity-v2.json", Shape::SMALL.v2());
}

fn parity_fixture(name: &str, shape: Shape) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut items = Vec::new();
    for seed in 0..PARITY_CARTS {
        let seed = seed * 7919 + 1;
        let input = quote_input(&mut Rng::new(seed), shape);
        let q = manjian::quote_from_str(&input.to_string()).unwrap();
        items.push(serde_json::json!({ "digest": q.digest, "seed": seed }));
    }
    let current = serde_json::to_string_pretty(&items).unwrap() + "\n";
    if std::env::var_os("UPDATE_PARITY").is_some() {
        std::fs::write(&path, &current).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == current,
        "tests/fixtures/{name} is stale: run UPDATE_PARITY=1 cargo test --test it wasm_sync, \
         and make sure the change of quotes was intended"
    );
}

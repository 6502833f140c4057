//! The public conformance vectors (tests/cases, copied from the contract's
//! shared cases): every case through the library and through the
//! `manjian` command, whole output documents compared, digest included.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut out = Vec::new();
    for dir in ["quote", "errors", "refund", "protect", "settle"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("tests/cases/{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    assert!(
        out.len() >= 171,
        "expected the public vectors, found {}",
        out.len()
    );
    out
}

struct Case {
    name: String,
    op: manjian::Operation,
    input: String,
    expected: serde_json::Value,
}

fn load(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let op = v.get("op").and_then(|o| o.as_str()).unwrap_or("quote");
    Case {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        op: manjian::Operation::from_name(op).unwrap(),
        input: serde_json::to_string(&v["input"]).unwrap(),
        expected: v["expected"].clone(),
    }
}

/// Compare an output (or error document) with the expected document: the
/// whole document for results, code and path for errors.
fn check(case: &Case, output: &str) -> Result<(), String> {
    let actual: serde_json::Value = serde_json::from_str(output)
        .map_err(|e| format!("{}: output is not JSON: {e}", case.name))?;
    if let Some(err) = case.expected.get("error") {
        let got = actual
            .get("error")
            .ok_or_else(|| format!("{}: expected error {err}, got {actual}", case.name))?;
        if got["code"] != err["code"] || got["path"] != err["path"] {
            return Err(format!("{}: expected error {err}, got {got}", case.name));
        }
        return Ok(());
    }
    if actual != case.expected {
        return Err(format!(
            "{}:\n expected {}\n      got {}",
            case.name, case.expected, actual
        ));
    }
    Ok(())
}

/// Run every case through `run`, which answers the output (or error)
/// document, or a failure message of its own.
fn every_case(run: impl Fn(&Case) -> Result<String, String>) {
    let mut failures = Vec::new();
    for path in cases() {
        let case = load(&path);
        match run(&case).and_then(|out| check(&case, &out)) {
            Ok(()) => {}
            Err(msg) => failures.push(msg),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_public_vector_through_the_library() {
    every_case(|case| {
        Ok(match case.op.str_to_string(&case.input) {
            Ok(doc) => doc,
            Err(e) => e.to_document(),
        })
    });
}

#[test]
fn every_public_vector_through_the_command() {
    let exe = env!("CARGO_BIN_EXE_manjian");
    every_case(|case| {
        let out = testkit::run_command(exe, &[case.op.as_str()], case.input.as_bytes());
        let want = if case.expected.get("error").is_some() {
            1
        } else {
            0
        };
        if out.status.code() != Some(want) {
            return Err(format!(
                "{}: exit status {:?}, want {want}",
                case.name,
                out.status.code()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    });
}

#[test]
fn the_contract_example_quote_from_a_file_argument() {
    let exe = env!("CARGO_BIN_EXE_manjian");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spec-example.json");
    let out = Command::new(exe).arg("quote").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let q: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Section 5 of the contract, printed there (all but the digest).
    assert_eq!(q["totals"]["payable"], "2339.00");
    assert_eq!(q["totals"]["due"], "2239.00");
    assert_eq!(q["lines"][0]["discounts"][2]["amount"], "360.00");
    assert_eq!(q["hints"][0]["add"], "221.00");
    assert_eq!(
        q["coupons"]["applied"],
        serde_json::json!(["s1-200-20", "plat-1000-80"])
    );
    assert!(q["digest"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn command_errors_and_usage() {
    let exe = env!("CARGO_BIN_EXE_manjian");
    let run = |args: &[&str], input: &[u8]| testkit::run_command(exe, args, input);
    // Not JSON, invalid UTF-8, and over 4 MiB: error documents, status 1.
    for (input, code) in [
        (b"{".to_vec(), "invalid_json"),
        (vec![b'"', 0xff, b'"'], "invalid_json"),
        (vec![b' '; manjian::MAX_INPUT_BYTES + 1], "limit_exceeded"),
    ] {
        let out = run(&["quote", "-"], &input);
        assert_eq!(out.status.code(), Some(1));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["error"]["code"], code);
    }
    // Unknown operation: usage on stderr, status 2.
    let out = run(&["price"], b"{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
}

// The engine's values cross threads: a server keeps one `Rules` per
// catalogue and prices from many threads. Checked when this file compiles
// (a type that stops being `Send + Sync` breaks the build), so it cannot
// pass without checking.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<manjian::Rules>();
    shared::<manjian::Cart>();
    shared::<manjian::Quote>();
    shared::<manjian::Error>();
    shared::<manjian::ErrorCode>();
    shared::<manjian::Operation>();
    shared::<manjian::Refund>();
    shared::<manjian::Return>();
    shared::<manjian::Protection>();
    shared::<manjian::ProtectRequest<'static>>();
    shared::<manjian::Settlement>();
    #[cfg(feature = "server")]
    shared::<manjian::server::Shop>();
};

//! The package's TypeScript types (`src/doors/manjian.d.ts`) agree with
//! the engine: every enumeration's names, and every document's members
//! (with which may be absent, for output documents), come from the Rust
//! lists the engine itself reads and writes with.

use std::collections::BTreeMap;

fn types() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/doors/manjian.d.ts");
    std::fs::read_to_string(path).unwrap()
}

/// `export type Name = "a" | "b" ...;` unions of string literals.
fn unions(ts: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for chunk in ts.split("export type ").skip(1) {
        let Some((name, rest)) = chunk.split_once('=') else {
            continue;
        };
        let body = rest.split(';').next().unwrap();
        let body: String = body
            .lines()
            .map(|l| l.split("//").next().unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        let names: Vec<String> = body
            .split('|')
            .map(str::trim)
            .filter(|s| s.starts_with('"') && s.ends_with('"'))
            .map(|s| s.trim_matches('"').to_owned())
            .collect();
        if !names.is_empty() {
            out.insert(name.trim().to_owned(), names);
        }
    }
    out
}

/// An interface's members: name, and whether optional.
type Members = Vec<(String, bool)>;

/// `interface Name [extends Base] { key?: T; ... }`: each interface's
/// top-level members, its base's included.
fn interfaces(ts: &str) -> BTreeMap<String, Members> {
    let mut raw: BTreeMap<String, (Option<String>, Members)> = BTreeMap::new();
    let mut rest = ts;
    while let Some(at) = rest.find("interface ") {
        rest = &rest[at + "interface ".len()..];
        let open = rest.find('{').unwrap();
        let head: Vec<&str> = rest[..open].split_whitespace().collect();
        let name = head[0].to_owned();
        let base = head
            .iter()
            .position(|w| *w == "extends")
            .map(|i| head[i + 1].to_owned());
        // The body up to the matching brace; members at depth 1.
        let mut depth = 0;
        let mut member = String::new();
        let mut members = Vec::new();
        let mut end = open;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' | '(' | '[' | '<' => depth += 1,
                '}' | ')' | ']' | '>' => depth -= 1,
                _ => {}
            }
            if depth == 1 && c != '{' {
                member.push(c);
            }
            if depth == 1 && (c == ';' || c == '\n') || depth == 0 {
                let m = member.trim().trim_end_matches(';').to_owned();
                let m = m.split("*/").last().unwrap().trim().to_owned();
                if let Some((key, _)) = m.split_once(':') {
                    let key = key.trim();
                    if !key.starts_with("/*") && !key.starts_with("//") && !key.is_empty() {
                        let optional = key.ends_with('?');
                        members.push((key.trim_end_matches('?').to_owned(), optional));
                    }
                }
                member.clear();
            }
            if depth == 0 {
                end = open + i;
                break;
            }
        }
        raw.insert(name, (base, members));
        rest = &rest[end..];
    }
    let mut out = BTreeMap::new();
    for (name, (base, members)) in &raw {
        let mut all = base
            .as_ref()
            .and_then(|b| raw.get(b))
            .map(|(_, m)| m.clone())
            .unwrap_or_default();
        for m in members {
            all.retain(|(k, _)| k != &m.0);
            all.push(m.clone());
        }
        out.insert(name.clone(), all);
    }
    out
}

#[test]
fn every_enumeration_has_the_engines_names() {
    let unions = unions(&types());
    for (name, names) in manjian::testing::enums() {
        let ts = unions
            .get(name)
            .unwrap_or_else(|| panic!("manjian.d.ts has no `export type {name}`"));
        let mut ts = ts.clone();
        let mut rust: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        ts.sort();
        rust.sort();
        assert_eq!(ts, rust, "the names of {name}");
    }
}

#[test]
fn every_document_has_the_engines_members() {
    let interfaces = interfaces(&types());
    for (name, fields) in manjian::testing::documents() {
        let ts = interfaces
            .get(name)
            .unwrap_or_else(|| panic!("manjian.d.ts has no `interface {name}`"));
        let mut ts_keys: Vec<&str> = ts.iter().map(|(k, _)| k.as_str()).collect();
        let mut rust_keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        ts_keys.sort();
        rust_keys.sort();
        assert_eq!(ts_keys, rust_keys, "the members of {name}");
        // Output documents: a member is optional exactly when the engine
        // may leave it out. (Input members' requiredness is the parser's.)
        if fields.iter().any(|(_, optional)| !optional) {
            for (key, optional) in &fields {
                let (_, ts_optional) = ts.iter().find(|(k, _)| k == key).unwrap();
                assert_eq!(ts_optional, optional, "whether {name}.{key} may be absent");
            }
        }
    }
}

#[test]
fn the_check_itself_sees_a_wrong_member() {
    let ts = types();
    let at = ts.find("export interface ShippingFee {").unwrap();
    let (before, after) = ts.split_at(at);
    let broken = format!(
        "{before}{}",
        after.replacen("  fee: Money;", "  fees: Money;", 1)
    );
    let interfaces = interfaces(&broken);
    let fee = &interfaces["ShippingFee"];
    assert!(fee.iter().any(|(k, _)| k == "fees"));
    assert!(!fee.iter().any(|(k, _)| k == "fee"));
    let unions = unions(&types().replace("\"cross_store\" | \"platform\" |", "\"platform\" |"));
    assert!(!unions["Stage"].contains(&"cross_store".to_owned()));
}

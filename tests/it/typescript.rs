//! The package's TypeScript types (`src/doors/manjian.d.ts`): generated
//! from the engine's declarations of its documents, so the committed file
//! must be what the generator writes. (The npm tests compile code against
//! them with `tsc --strict`, including code they must reject.)

use std::path::Path;

#[test]
fn the_committed_types_are_the_generated_ones() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/doors/manjian.d.ts");
    let committed = std::fs::read_to_string(path).unwrap();
    assert!(
        committed == testkit::generate::typescript(),
        "src/doors/manjian.d.ts is not what the generator writes: run scripts/generate.sh"
    );
}

#[test]
fn every_enumeration_and_member_is_typed() {
    let ts = testkit::generate::typescript();
    for e in manjian::testing::enums() {
        let values: Vec<String> = e.values.iter().map(|(v, _)| format!("\"{v}\"")).collect();
        let line = format!("export type {} = {};", e.name, values.join(" | "));
        assert!(ts.contains(&line), "{line}");
    }
    for s in manjian::testing::shapes() {
        let body = ts
            .split(&format!("export interface {} ", s.name))
            .nth(1)
            .unwrap_or_else(|| panic!("no interface {}", s.name));
        let body = body.split("\n}\n").next().unwrap();
        for m in &s.members {
            let opt = if m.required { "" } else { "?" };
            assert!(
                body.contains(&format!("  {}{opt}: ", m.name)),
                "{}.{}",
                s.name,
                m.name
            );
        }
    }
}

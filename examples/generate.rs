//! Write the generated TypeScript types (`src/doors/manjian.d.ts`) and
//! OpenAPI description (`src/doors/openapi.json`) from the engine's
//! declarations of its documents: `scripts/generate.sh` runs it.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let doors = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/doors");
    std::fs::write(doors.join("manjian.d.ts"), testkit::generate::typescript())?;
    let paths = std::fs::read_to_string(doors.join("openapi-paths.json"))?;
    std::fs::write(
        doors.join("openapi.json"),
        testkit::generate::openapi(&paths),
    )?;
    println!("wrote src/doors/manjian.d.ts and src/doors/openapi.json");
    Ok(())
}

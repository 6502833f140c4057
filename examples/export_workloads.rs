//! Writes the benchmark workloads (`small`, `double11`, `huge`, and the
//! hostile inputs at the limits as `hostile-<name>.json`) as JSON input
//! documents into the folder given (default `target/workloads`),
//! for the JavaScript benchmarks in `bench/`.
//!
//!     cargo run --release --example export_workloads -- target/workloads

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/workloads".to_owned());
    std::fs::create_dir_all(&dir)?;
    for name in ["small", "double11", "huge"] {
        let w = testkit::workload(name);
        let path = std::path::Path::new(&dir).join(format!("{name}.json"));
        std::fs::write(&path, w.to_string())?;
        println!("{}", path.display());
    }
    // The hostile inputs of the limit tests, for profiling.
    for name in testkit::HOSTILE {
        let path = std::path::Path::new(&dir).join(format!("hostile-{name}.json"));
        std::fs::write(&path, testkit::hostile(name).to_string())?;
        println!("{}", path.display());
    }
    Ok(())
}

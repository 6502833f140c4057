//! Runs one workload's quote in a loop, for a profiler, and prints the
//! time per quote: `cargo run --release --example profile_workload --
//! FILE N` for a `{rules, cart}` file, or a named workload (`small`,
//! `double11`, `huge`) instead of the file.

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "double11".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    // A `{rules, cart}` file, or a named workload.
    let input: serde_json::Value = if std::path::Path::new(&name).is_file() {
        serde_json::from_str(&std::fs::read_to_string(&name).expect("read")).expect("JSON")
    } else {
        testkit::workload(&name)
    };
    let rules = input["rules"]
        .to_string()
        .parse::<manjian::Rules>()
        .expect("rules");
    let cart = rules
        .cart_from_str(&input["cart"].to_string())
        .expect("cart");
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes = manjian::testing::quote_to_string(&rules, &cart)
            .expect("quote")
            .len();
    }
    let per = start.elapsed() / n as u32;
    println!("{name}: {per:?} per quote, {bytes} bytes of JSON");
}

//! Native quote latency for the named workloads (see bench/README.md):
//! `small` (5 lines), `double11` (40 lines, 10 stores, 12 held coupons and
//! 5 to claim, best), `huge` (1,000 lines, 50 stores, 2,000 promotions,
//! 180 held coupons and 20 to claim, best); each with freight templates,
//! addresses and tenders since contract version 3. `quote` prices a pre-parsed cart under pre-parsed rules
//! (an `Engine`, as a server or page keeps one); `json` is the whole trip
//! from input text to quote text. Throughput for `double11` is reported in
//! quotes per second (one core: criterion runs one thread). `floor` is
//! what every quote of the workload costs beyond pricing, whatever the
//! engine: its own quote text written and hashed (SHA-256), from a quote
//! priced once. `limits`
//! times the hostile inputs at the contract's limits (the worst cases).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

fn workloads(c: &mut Criterion) {
    for name in ["small", "double11", "huge"] {
        let input = testkit::workload(name);
        let text = input.to_string();
        let rules = input["rules"]
            .to_string()
            .parse::<manjian::Rules>()
            .unwrap();
        let cart = rules.cart_from_str(&input["cart"].to_string()).unwrap();
        let q = manjian::quote(&rules, &cart).unwrap();
        assert!(q.coupons.proven_best, "{name} must be proven best");

        let mut g = c.benchmark_group(name);
        if name == "huge" {
            g.sample_size(20).measurement_time(Duration::from_secs(10));
        }
        g.throughput(Throughput::Elements(1));
        g.bench_function("quote", |b| {
            b.iter(|| manjian::quote(black_box(&rules), black_box(&cart)).unwrap())
        });
        let bare = manjian::testing::bare(&q);
        assert_eq!(manjian::testing::floor(&bare), manjian::to_string(&q));
        g.bench_function("floor", |b| {
            b.iter(|| manjian::testing::floor(black_box(&bare)))
        });
        g.bench_function("json", |b| {
            b.iter(|| {
                manjian::Operation::Quote
                    .str_to_string(black_box(&text))
                    .unwrap()
            })
        });
        g.finish();
    }
}

/// The worst cases the limit tests know (`testkit`'s `hostile`
/// inputs: 1,000 lines, 2,000 promotions, 200 held coupons each, built to
/// be slow), from input text to quote text: the bounded time of section 8.
fn limits(c: &mut Criterion) {
    let mut g = c.benchmark_group("limits");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for name in testkit::HOSTILE {
        let text = testkit::hostile(name).to_string();
        g.bench_function(name, |b| {
            b.iter(|| {
                manjian::Operation::Quote
                    .str_to_string(black_box(&text))
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, workloads, limits);
criterion_main!(benches);

//! The integration tests: one binary (one link step), a module per
//! behaviour a user relies on. The shared helpers (random carts, named
//! workloads, invariants, running the command) are the `testkit` crate.
#![cfg(not(target_arch = "wasm32"))]

mod after_sale;
mod conformance;
mod fuzz_regressions;
mod limits;
#[cfg(feature = "server")]
mod load;
mod openapi;
mod oracle;
mod properties;
mod readings;
mod search;
#[cfg(feature = "server")]
mod server;
mod typescript;
mod v3;
mod wasm_sync;

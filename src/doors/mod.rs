//! The doors to the engine besides the Rust library: JavaScript
//! ([`wasm`], wasm32 only) and HTTP ([`server`], feature `server`). The
//! command is `src/bin/manjian.rs`. Each only converts and calls the
//! operations of `crate::operation::Operation`.

pub(crate) mod documents;
#[cfg(feature = "server")]
pub(crate) mod order;
#[cfg(feature = "server")]
pub mod server;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

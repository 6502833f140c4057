//! # manjian — exact checkout pricing
//!
//! `manjian` computes a checkout quote — 满减 and 每满减 threshold
//! reductions, 跨店满减 cross-store events, store and platform coupons,
//! markdowns with 限购, presale deposit expansion (定金膨胀) and free-shipping
//! thresholds — exactly as the pricing contract (`PRICING.md`) says, to the
//! cent. The same code runs natively (this library, the `manjian` command,
//! the reference server) and in the browser as WebAssembly, so a cart page
//! and the server that charges always agree; their quotes carry a digest
//! to prove it.
//!
//! The core is pure: documents in, quote out, no I/O, no clock, no global
//! state. Money is `rust_decimal` throughout; no float takes part in any
//! computation. Nothing in the library may panic — a panic in wasm kills
//! the module in the shopper's page — so clippy denies `unwrap`, `expect`,
//! `panic!`, `unreachable!` and indexing outside tests; lookups use `get`,
//! and money arithmetic saturates far beyond what the contract's limits
//! allow.
//!
//! ```
//! let input = r#"{
//!   "rules": {"currency": "CNY", "promotions": [
//!     {"id": "mj-100-10", "kind": "threshold_off", "stage": "store",
//!      "scope": {"stores": ["s1"]}, "tiers": [{"at": "100.00", "off": "10.00"}]}]},
//!   "cart": {"lines": [
//!     {"id": "L1", "sku": "tea", "store": "s1", "unit_price": "120.00", "qty": 1}]}
//! }"#;
//! let quote = manjian::quote_json(input).unwrap();
//! assert_eq!(quote.totals.payable.to_string(), "110.00");
//!
//! let err = manjian::quote_json(r#"{"rules": {}, "cart": {"lines": []}}"#).unwrap_err();
//! assert_eq!(err.code.as_str(), "missing_field");
//! assert_eq!(err.path, "rules.currency");
//! ```
//!
//! Module map (one idea each): [`money`] (money, rates, quantities,
//! rounding), [`time`] (timestamps and windows), [`ids`], [`json`] (the
//! input tree), [`rules`] and [`cart`] (the input documents), [`scope`]
//! (which lines a promotion covers), [`stages`] (item stage, threshold
//! kinds), `pricing` (the pipeline and shipping), [`allocation`] (分摊),
//! `best` (best coupons), [`quote`](mod@quote) (assembly, hints, reasons),
//! [`digest`], [`refund`], [`protect`], [`error`].

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::arithmetic_side_effects
    )
)]
#![warn(missing_docs)]

pub mod allocation;
mod best;
pub mod cart;
pub mod digest;
pub mod error;
pub mod ids;
pub mod json;
pub mod money;
mod pricing;
pub mod protect;
pub mod quote;
pub mod refund;
pub mod rules;
pub mod scope;
pub mod stages;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(feature = "server")]
pub mod server;

pub use best::BUDGET as BEST_SEARCH_BUDGET;
pub use cart::Cart;
pub use error::{Error, ErrorCode};
pub use ids::Id;
pub use money::Money;
pub use protect::Protection;
pub use quote::{quote, quote_exhaustive, quote_text, Quote};
pub use refund::Refund;
pub use rules::Rules;

use error::Path;
use json::{Obj, Value};

/// The largest JSON input the engine accepts (4 MiB).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Parse JSON input text, enforcing the 4 MiB limit.
pub fn parse_input(text: &str) -> Result<Value, Error> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "",
            "input larger than 4 MiB",
        ));
    }
    json::parse(text)
}

/// The rules and the cart of a `{"rules": ..., "cart": ...}` document.
fn quote_input(input: &Value) -> Result<(Rules, Cart), Error> {
    let root = Path::ROOT;
    let o = Obj::new(input, &root, &["rules", "cart"])?;
    let rules = Rules::parse(o.req("rules")?, &root.key("rules"))?;
    let cart = Cart::parse(o.req("cart")?, &root.key("cart"), rules.currency.scale())?;
    Ok((rules, cart))
}

/// Quote a `{"rules": ..., "cart": ...}` document.
pub fn quote_value(input: &Value) -> Result<Quote, Error> {
    let (rules, cart) = quote_input(input)?;
    quote(&rules, &cart)
}

/// Quote a `{"rules": ..., "cart": ...}` JSON text.
pub fn quote_json(input: &str) -> Result<Quote, Error> {
    quote_value(&parse_input(input)?)
}

/// Quote a `{"rules": ..., "cart": ...}` document to compact JSON text
/// (the same text as `quote_value(input)?.to_json()`, serialized once).
pub fn quote_value_text(input: &Value) -> Result<String, Error> {
    let (rules, cart) = quote_input(input)?;
    quote_text(&rules, &cart)
}

/// Refund a `{"quote": ..., "returns": [...]}` document.
pub fn refund_value(input: &Value) -> Result<Refund, Error> {
    refund::refund_value(input)
}

/// Refund a `{"quote": ..., "returns": [...]}` JSON text.
pub fn refund_json(input: &str) -> Result<Refund, Error> {
    refund_value(&parse_input(input)?)
}

/// Price protection for a `{"original", "rules", "at", "claimable",
/// "refunded"}` document.
pub fn protect_value(input: &Value) -> Result<Protection, Error> {
    protect::protect_value(input)
}

/// Price protection for a JSON text.
pub fn protect_json(input: &str) -> Result<Protection, Error> {
    protect_value(&parse_input(input)?)
}

/// The three operations behind every door.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// `quote`: rules and cart in, quote out.
    Quote,
    /// `refund`: quote and returns in, refund out.
    Refund,
    /// `protect`: original order, new rules and time in, claims out.
    Protect,
}

impl Operation {
    /// The operation of this name (`quote`, `refund`, `protect`).
    pub fn from_name(name: &str) -> Option<Operation> {
        match name {
            "quote" => Some(Operation::Quote),
            "refund" => Some(Operation::Refund),
            "protect" => Some(Operation::Protect),
            _ => None,
        }
    }

    /// Run on JSON text; the output document as compact JSON, or the error.
    pub fn run_json(self, input: &str) -> Result<String, Error> {
        self.run_json_with(input, false)
    }

    /// Run on JSON text; the output document as JSON (indented when
    /// `pretty`), or the error.
    pub fn run_json_with(self, input: &str, pretty: bool) -> Result<String, Error> {
        fn write<T: serde::Serialize>(v: &T, pretty: bool) -> serde_json::Result<String> {
            if pretty {
                serde_json::to_string_pretty(v)
            } else {
                serde_json::to_string(v)
            }
        }
        let out = match self {
            Operation::Quote if !pretty => Ok(quote_value_text(&parse_input(input)?)?),
            Operation::Quote => write(&quote_json(input)?, pretty),
            Operation::Refund => write(&refund_json(input)?, pretty),
            Operation::Protect => write(&protect_json(input)?, pretty),
        };
        out.map_err(|e| {
            Error::new(
                ErrorCode::InvalidJson,
                "",
                format!("cannot write output: {e}"),
            )
        })
    }
}

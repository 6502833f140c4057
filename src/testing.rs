//! What tests, benchmarks and fuzzing need and users must not touch: the
//! cargo feature `testing` (which the test helpers' crate, `testkit/`,
//! turns on) opens it; no build of the package has it.

pub use crate::input::json::{parse as parse_json, Number, Value};

/// [`crate::quote`] with `apply: "best"` answered by trying every
/// choice of coupons through the whole pipeline: slow, obviously
/// right, and the reference the search is tested against.
pub fn quote_exhaustive(
    rules: &crate::Rules,
    cart: &crate::Cart,
) -> Result<crate::Quote, crate::Error> {
    crate::quote::quote_exhaustive(rules, cart)
}

/// The quote as compact JSON text, serialized once (what the doors
/// send).
pub fn quote_to_string(rules: &crate::Rules, cart: &crate::Cart) -> Result<String, crate::Error> {
    crate::quote::quote_to_string(rules, cart)
}

/// A quote without its digest, as the pipeline hands it to the writer.
pub fn bare(quote: &crate::Quote) -> crate::Quote {
    crate::quote::bare(quote)
}

/// The floor of a quote (see `bench/README.md`): a [`bare`] quote's
/// text written, hashed and sealed with its digest, as the doors do;
/// `floor(&bare(&q))` equals `to_string(&q)`.
pub fn floor(bare: &crate::Quote) -> String {
    crate::quote::written(bare)
}

/// The document shapes and enumerations the TypeScript types and the
/// OpenAPI description are generated from (`testkit`'s generator).
pub use crate::schema::{all as shapes, enums, unions, Enumeration, Member, Shape, Ty};

/// The reference server's own documents (`POST /api/order`).
pub use crate::schema::server as server_shapes;

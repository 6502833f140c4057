//! Order submit at the reference server (`POST /api/order`): the trust
//! model of the checkout (SECURITY.md) as a route. The page sends the cart
//! it priced and the digest of the quote it showed; the server prices the
//! cart under its own rules (`manjian serve --rules FILE`, never the
//! client's) and accepts the order only when the digests are equal, that
//! is when the shopper saw exactly what will be charged.

use crate::error::{Error, Path};
use crate::input::fields::{string, Obj};
use crate::input::read_text;
use crate::Rules;

/// The members of an order request: `{"cart": ..., "digest": "sha256:..."}`.
pub(crate) const FIELDS: &[&str] = &["cart", "digest"];

/// The server's answer to an order.
pub(crate) struct Verdict {
    /// The digests are equal.
    pub accepted: bool,
    /// `{"accepted": ..., "quote": ...}` with the server's own quote.
    pub text: String,
}

/// Price the order request `body` under `rules` and compare digests.
pub(crate) fn check(rules: &Rules, body: &str) -> Result<Verdict, Error> {
    let value = read_text(body)?;
    let root = Path::ROOT;
    let o = Obj::new(&value, &root, FIELDS)?;
    let cart = o.read("cart", |v, _| rules.cart_from_value(v))?;
    let shown = o.read("digest", |v, p| string(v, p, "digest").map(str::to_owned))?;
    let quote = crate::quote(rules, &cart)?;
    let accepted = quote.digest.as_str() == shown;
    let text = format!(
        "{{\"accepted\":{accepted},\"quote\":{}}}",
        crate::to_string(&quote)
    );
    Ok(Verdict { accepted, text })
}

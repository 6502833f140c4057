//! The pipeline driver: input to stages to search to [`Quote`]. A cart is
//! priced by the stages of `crate::pricing` under the coupons the best
//! search of `crate::search` chooses, then assembled into its quote
//! (`crate::output`) and sealed with its digest (`crate::wire`). Every door
//! and every after-sale operation that re-prices comes through here.

use crate::error::{Error, Path};
use crate::input::cart::Cart;
use crate::input::rules::Rules;
use crate::output::assemble;
use crate::output::document::{Digest, Quote};
use crate::pricing::Context;
use crate::search::{self, Candidates, Strategy};
use crate::wire::{digest, ToJson};

/// Price `cart` under `rules` (contract sections 3 to 6), with `apply:
/// "best"` answered by `strategy`; the cart's errors are reported under
/// `cart_path`. The digest is left empty.
fn price(
    rules: &Rules,
    cart: &Cart,
    cart_path: &Path<'_>,
    strategy: Strategy,
) -> Result<Quote, Error> {
    crate::pricing::shipping::check_templates(rules, cart, cart_path)?;
    let candidates = Candidates::of(rules, cart, cart_path)?;
    let ctx = Context::new(rules, cart, &candidates.coupons)?;
    let choice = search::choose(&ctx, &candidates, strategy)?;
    let run = ctx.run(|p| choice.coupons.iter().any(|c| c.ix == p))?;
    Ok(assemble::assemble(&ctx, &run, choice.proven)?)
}

/// The quote of `cart` under `rules`, digest included; the cart's errors
/// are reported under `cart_path`.
pub(crate) fn quote_at(rules: &Rules, cart: &Cart, cart_path: &Path<'_>) -> Result<Quote, Error> {
    let mut quote = price(rules, cart, cart_path, search::search)?;
    quote.digest = quote.compute_digest();
    Ok(quote)
}

/// The quote answered by trying every choice of coupons (the reference of
/// the search's tests).
#[cfg(any(test, feature = "testing"))]
pub(crate) fn quote_exhaustive(rules: &Rules, cart: &Cart) -> Result<Quote, Error> {
    let mut quote = price(rules, cart, &Path::ROOT.key("cart"), search::exhaustive)?;
    quote.digest = quote.compute_digest();
    Ok(quote)
}

/// The quote as compact JSON text, serialized once: the digest is of the
/// canonical text, which is the output without its last member, so the
/// output is that text with `digest` appended.
pub(crate) fn quote_to_string(rules: &Rules, cart: &Cart) -> Result<String, Error> {
    let quote = price(rules, cart, &Path::ROOT.key("cart"), search::search)?;
    Ok(written(&quote))
}

/// `quote` without its digest, for [`written`] (benchmarks: the floor).
#[cfg(any(feature = "testing", feature = "bench"))]
pub(crate) fn bare(quote: &Quote) -> Quote {
    let mut bare = quote.clone();
    bare.digest = Digest::default();
    bare
}

/// A priced quote (its digest empty) as compact JSON text with its digest:
/// written once, hashed, the digest appended. What every quote costs
/// beyond pricing, whatever the engine: the floor the benchmarks measure.
pub(crate) fn written(quote: &Quote) -> String {
    let mut text = String::with_capacity(quote.lines.len().saturating_add(1).saturating_mul(512));
    ToJson::to_json(quote, &mut text);
    let digest = Digest(digest::of(&text));
    if text.ends_with('}') {
        text.pop();
        text.push_str(",\"digest\":");
        digest.to_json(&mut text);
        text.push('}');
    }
    text
}

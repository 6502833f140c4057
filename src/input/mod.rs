//! Input documents (contract section 2): JSON text is read into a tree
//! ([`json`]), then each document is checked once, field by field
//! ([`fields`]), into typed values: the rules with their promotions and
//! stores, the cart with its lines and coupons. Every fault is reported
//! with the contract's code at the exact path of the offending value.

pub(crate) mod cart;
pub(crate) mod fields;
pub(crate) mod json;
mod number;
pub(crate) mod promotion;
pub(crate) mod rules;
pub(crate) mod scope;
pub(crate) mod template;
pub(crate) mod tender;

use crate::error::{Error, Path};
use crate::schema::shape;
use cart::Cart;
use fields::Obj;
pub(crate) use json::read_text;
use json::Value;
use rules::Rules;

shape! {
    /// What `quote` takes: the rules and the cart.
    const QUOTE_FIELDS, fn quote_input_shape = "QuoteInput" {
        /// The catalogue of promotions, owned by the server.
        "rules" req Ref("Rules"),
        /// The buyer's cart.
        "cart" req Ref("Cart"),
    }
}

/// The rules and the cart of a `{"rules": ..., "cart": ...}` document.
pub(crate) fn quote_input(input: &Value) -> Result<(Rules, Cart), Error> {
    let root = Path::ROOT;
    let o = Obj::new(input, &root, QUOTE_FIELDS)?;
    let rules = o.read("rules", Rules::parse)?;
    let cart = o.read("cart", |v, p| Cart::parse(v, p, &rules))?;
    Ok((rules, cart))
}

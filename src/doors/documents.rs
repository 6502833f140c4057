//! The HTTP door's own documents (`POST /api/order`), declared outside
//! the server's feature so that the generated OpenAPI description sees
//! them in any build.
// (Without the server, nothing reads the lists; the answer is written by
// `order.rs` in one `format!`, so nothing reads `ANSWER_FIELDS`.)
#![allow(dead_code)]

use crate::schema::shape;

shape! {
    /// An order as the checkout page submits it: the cart it priced and the
    /// digest of the quote it showed. The server prices the cart as its
    /// shop sells it (`manjian serve --rules FILE --catalogue FILE`): its
    /// own rules, each line's store, category, tags, unit price and presale
    /// deposit from its catalogue by sku, and its clock; never the
    /// client's.
    const FIELDS, fn request_shape = "OrderRequest" {
        /// The cart, as the page priced it.
        "cart" req Ref("Cart"),
        /// The digest of the quote the shopper saw (`sha256:` and 64 hex
        /// digits; any other string is simply not the server's digest).
        "digest" req Text,
    }
}

shape! {
    /// The server's verdict on an order, with its own quote of the cart.
    const ANSWER_FIELDS, fn answer_shape = "OrderAnswer" {
        /// The digest the page showed is the server's: the shopper saw
        /// exactly what will be charged.
        "accepted" req Bool,
        /// The server's quote of the cart.
        "quote" req Ref("Quote"),
    }
}

/// The error document of every HTTP answer that is not a success, as
/// `Error::to_document` writes it.
#[cfg(feature = "testing")]
pub(crate) fn error_document_shape() -> crate::schema::Shape {
    crate::schema::Shape {
        name: "Error",
        doc: "The error document: no partial result is ever returned.".into(),
        extends: None,
        thrown: false,
        exactly_one: Vec::new(),
        members: vec![crate::schema::Member {
            name: "error",
            ty: crate::schema::Ty::Ref("ManjianError"),
            required: true,
            doc: String::new(),
        }],
    }
}

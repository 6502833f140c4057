//! After the order (contract section 7): refunds of returned units
//! ([`refund`]) and price protection ([`protect`]), both reading what the
//! quote fixed (every line's `final`, every fee).

pub(crate) mod protect;
pub(crate) mod quote_doc;
pub(crate) mod refund;

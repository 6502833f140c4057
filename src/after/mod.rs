//! After the order (contract section 7): refunds of returned units
//! ([`refund`]), price protection ([`protect`]) and settlement per child
//! order ([`settle`]), all reading what the quote fixed (every line's
//! `final`, every fee, every discount's funder; see [`quote_doc`]).

pub(crate) mod protect;
pub(crate) mod quote_doc;
pub(crate) mod refund;
pub(crate) mod settle;
pub(crate) mod tender_doc;

//! The operations behind every door (contract section 9), from an input
//! document's text to the output document's text: what the command, the
//! HTTP server and the JavaScript functions run.

use crate::after::{protect, refund, settle};
use crate::error::{Error, MAX_INPUT_BYTES};
use crate::input::{self, json::Value};
use crate::quote::quote_to_string;
use crate::values::names::wire_enum;
use crate::wire::documents;
use crate::wire::{pretty, ToJson};

documents!(
    crate::output::document::Quote,
    refund::Refund,
    protect::Protection,
    settle::Settlement
);

wire_enum! {
    /// The operations, by their names in the command and the HTTP paths.
    pub enum Operation {
        /// `quote`: rules and cart in, quote out.
        Quote = "quote",
        /// `refund`: quote and returns in, refund out.
        Refund = "refund",
        /// `protect`: original order, new rules and time in, claims out.
        Protect = "protect",
        /// `settle`: quote in, child orders and what each store receives
        /// out.
        Settle = "settle",
    }
}

impl Operation {
    /// The output document (compact canonical JSON) for the input document
    /// `input`, or the error.
    pub fn str_to_string(self, input: &str) -> Result<String, Error> {
        self.value_to_string(&input::read_text(input)?)
    }

    /// [`Operation::str_to_string`] on bytes, which must be at most 4 MiB
    /// of UTF-8.
    pub fn slice_to_string(self, input: &[u8]) -> Result<String, Error> {
        self.str_to_string(utf8(input)?)
    }

    /// [`Operation::slice_to_string`], indented for people.
    pub fn slice_to_string_pretty(self, input: &[u8]) -> Result<String, Error> {
        self.slice_to_string(input).map(|t| pretty::indent(&t))
    }

    /// The output document for an input document already read.
    pub(crate) fn value_to_string(self, input: &Value) -> Result<String, Error> {
        match self {
            Operation::Quote => {
                let (rules, cart) = input::quote_input(input)?;
                quote_to_string(&rules, &cart)
            }
            Operation::Refund => Ok(to_text(&refund::refund_value(input)?)),
            Operation::Protect => Ok(to_text(&protect::protect_value(input)?)),
            Operation::Settle => Ok(to_text(&settle::settle_value(input)?)),
        }
    }
}

/// `input` as text: at most 4 MiB, UTF-8.
fn utf8(input: &[u8]) -> Result<&str, Error> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(Error::too_large());
    }
    std::str::from_utf8(input).map_err(Error::not_utf8)
}

/// A document as compact canonical JSON.
pub(crate) fn to_text(doc: &impl ToJson) -> String {
    let mut out = String::new();
    doc.to_json(&mut out);
    out
}

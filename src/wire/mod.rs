//! The wire: how every document the engine writes looks as text. The
//! canonical JSON writer ([`canonical`]: keys in the contract's order, no
//! whitespace, money as strings), the digest of a canonical text
//! ([`digest`]) and indentation for people ([`pretty`]). Used by every
//! floor above it (ids, money, errors, quotes, after-sale documents), so it
//! is the ground floor, below the typed values, and knows none of the
//! documents.

pub(crate) mod canonical;
pub(crate) mod digest;
pub(crate) mod pretty;

pub(crate) use canonical::{document, write_str, Object, ToJson};

/// An output document of the engine: a quote, refund, price protection or
/// settlement (`crate::to_string` writes any of them).
pub trait Document: serde::Serialize + sealed::Sealed {}

pub(crate) mod sealed {
    /// Only the engine's documents are documents.
    pub trait Sealed {
        /// Append the canonical JSON.
        fn write_json(&self, out: &mut String);
    }
}

/// Make the output types named documents (`Document`), written by their
/// canonical writer.
macro_rules! documents {
    ($($t:ty),*) => {
        $(
            impl $crate::wire::sealed::Sealed for $t {
                fn write_json(&self, out: &mut String) {
                    $crate::wire::ToJson::to_json(self, out);
                }
            }
            impl $crate::wire::Document for $t {}
        )*
    };
}
pub(crate) use documents;

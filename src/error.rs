//! The contract's error document (section 8), and the one place errors are
//! built.
//!
//! Every door (Rust, JavaScript, command, HTTP) reports invalid input the
//! same way: a machine-readable `code`, a `path` that points at the offending
//! value in the contract's `a.b[2].c` form, and a human `message`. Parsing
//! builds paths lazily through [`Path`], so a valid document never pays for
//! formatting paths it does not need.
//!
//! Three codes are not the contract's and never describe the input:
//! `internal_error` (the engine broke one of its own invariants),
//! `unavailable` (the server is shutting down) and `request_timeout` (the
//! request did not arrive in time). [`ErrorCode::is_input_error`] tells the
//! two families apart; the server answers the first with 4xx, the others
//! with 5xx or 408.

use crate::values::names::wire_enum;
use crate::values::Broken;
use crate::wire::Object;
use std::fmt;

wire_enum! {
    /// The error codes of the contract (section 8), and the three codes of
    /// failures that are not the input's fault.
    pub enum ErrorCode {
        /// Not JSON, or a value of the wrong JSON type where an object,
        /// array, boolean or plain string was expected; also duplicate
        /// object keys.
        InvalidJson = "invalid_json",
        /// A required field is absent (or `null`).
        MissingField = "missing_field",
        /// A field the contract does not define at that place.
        UnknownField = "unknown_field",
        /// A money value that is malformed, negative, too precise or too
        /// large.
        InvalidAmount = "invalid_amount",
        /// A rate outside `0 < rate <= 1` or with more than 4 decimals.
        InvalidRate = "invalid_rate",
        /// A quantity that is not an integer in range.
        InvalidQuantity = "invalid_quantity",
        /// A timestamp that is not strict RFC 3339, or a bad protection
        /// period.
        InvalidTime = "invalid_time",
        /// An id that is empty, longer than 64 characters, or not a string.
        InvalidId = "invalid_id",
        /// An id used twice where ids must be unique.
        DuplicateId = "duplicate_id",
        /// A promotion that breaks a rule of its kind or stage.
        InvalidPromotion = "invalid_promotion",
        /// `apply` names a coupon the buyer does not hold.
        CouponNotHeld = "coupon_not_held",
        /// `apply` names two coupons of one slot.
        SlotConflict = "slot_conflict",
        /// An input past one of the contract's limits.
        LimitExceeded = "limit_exceeded",
        /// A freight template that breaks a rule of templates (version 3).
        InvalidTemplate = "invalid_template",
        /// A tender that breaks a rule of tenders (version 3).
        InvalidTender = "invalid_tender",
        /// A line ships to a region its template does not deliver to
        /// (version 3).
        Undeliverable = "undeliverable",
        /// Not the input's fault: the engine broke one of its own
        /// invariants (a bug, reported instead of a wrong amount).
        Internal = "internal_error",
        /// Not the input's fault: the server cannot take the work now (it is
        /// shutting down) or at all (the reference server takes no orders
        /// without a shop).
        Unavailable = "unavailable",
        /// The request did not arrive in time (the input was never read).
        RequestTimeout = "request_timeout",
    }
}

impl ErrorCode {
    /// Whether the error describes the input (a contract code), as opposed
    /// to a failure of the engine or the server.
    pub fn is_input_error(self) -> bool {
        !matches!(
            self,
            ErrorCode::Internal | ErrorCode::Unavailable | ErrorCode::RequestTimeout
        )
    }
}

/// An invalid input: what is wrong (`code`), where (`path`), and why.
///
/// Serializes as the inner object of the error document; use
/// [`Error::to_document`] for the whole `{"error": ...}` document.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    /// The error code.
    pub code: ErrorCode,
    /// Where the offending value is, e.g. `cart.lines[2].unit_price`;
    /// empty for the document as a whole.
    pub path: String,
    /// A human-readable explanation (not part of the contract).
    pub message: String,
}

/// The largest JSON input the engine accepts (4 MiB).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

impl Error {
    /// An error with the given code, path and message.
    pub(crate) fn new(
        code: ErrorCode,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error {
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The input is larger than [`MAX_INPUT_BYTES`].
    pub(crate) fn too_large() -> Error {
        let mib = MAX_INPUT_BYTES >> 20;
        Error::new(
            ErrorCode::LimitExceeded,
            "",
            format!("input larger than {mib} MiB"),
        )
    }

    /// The input is not UTF-8 text.
    pub(crate) fn not_utf8(why: impl fmt::Display) -> Error {
        Error::new(
            ErrorCode::InvalidJson,
            "",
            format!("input is not UTF-8: {why}"),
        )
    }

    /// The input is not a JSON document at all (what a host could not
    /// turn into text).
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn not_json(why: impl fmt::Display) -> Error {
        Error::new(
            ErrorCode::InvalidJson,
            "",
            format!("not a JSON document: {why}"),
        )
    }

    /// A request body that broke off or was framed wrongly (HTTP): the
    /// request's fault, though no document was there to read.
    #[cfg(feature = "server")]
    pub(crate) fn unreadable_body(why: impl fmt::Display) -> Error {
        Error::new(
            ErrorCode::InvalidJson,
            "",
            format!("the request body could not be read: {why}"),
        )
    }

    /// A failure of the engine itself, never the input's fault.
    pub(crate) fn internal(why: impl fmt::Display) -> Error {
        Error::new(ErrorCode::Internal, "", format!("internal error: {why}"))
    }

    /// The server is shutting down.
    #[cfg(feature = "server")]
    pub(crate) fn unavailable() -> Error {
        Error::unavailable_because("the server is shutting down; try again")
    }

    /// The server cannot do this now or at all, for `why`: never the
    /// input's fault.
    #[cfg(feature = "server")]
    pub(crate) fn unavailable_because(why: impl Into<String>) -> Error {
        Error::new(ErrorCode::Unavailable, "", why)
    }

    /// The request did not arrive within `secs` seconds.
    #[cfg(feature = "server")]
    pub(crate) fn request_timeout(secs: u64) -> Error {
        Error::new(
            ErrorCode::RequestTimeout,
            "",
            format!("the request did not arrive within {secs} s"),
        )
    }

    /// The contract's error document as compact JSON:
    /// `{"error":{"code":...,"path":...,"message":...}}`.
    pub fn to_document(&self) -> String {
        let mut out = String::from("{\"error\":");
        Object::new(&mut out)
            .field("code", &self.code)
            .field("path", self.path.as_str())
            .field("message", self.message.as_str())
            .end();
        out.push('}');
        out
    }
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 3)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

impl From<Broken> for Error {
    fn from(b: Broken) -> Error {
        Error::internal(b.0)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} at {}: {}", self.code, self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// A location in an input document, kept as a chain of borrowed segments
/// and rendered to the contract's `a.b[2].c` form only when an error is
/// reported.
#[derive(Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The document itself (renders as the empty string).
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        seg: Seg::Root,
    };

    /// The member `key` of the object at this path.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Key(key),
        }
    }

    /// The element `i` of the array at this path.
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    /// The path in the contract's notation.
    pub(crate) fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            segs.push(p.seg);
            at = p.parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            match seg {
                Seg::Root => {}
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// An error at this path.
    pub(crate) fn err(&self, code: ErrorCode, message: impl Into<String>) -> Error {
        Error::new(code, self.render(), message)
    }

    /// `limit_exceeded` here: more than `max` of `what`.
    pub(crate) fn too_many(&self, max: usize, what: &str) -> Error {
        self.err(ErrorCode::LimitExceeded, format!("more than {max} {what}"))
    }

    /// `unknown_field` for the member `key` of the object here.
    pub(crate) fn unknown_field(&self, key: &str) -> Error {
        self.key(key)
            .err(ErrorCode::UnknownField, format!("unknown field '{key}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_in_contract_form() {
        let root = Path::ROOT;
        let cart = root.key("cart");
        let lines = cart.key("lines");
        let line = lines.index(2);
        let price = line.key("unit_price");
        assert_eq!(price.render(), "cart.lines[2].unit_price");
        let returns = root.key("returns");
        assert_eq!(returns.index(0).render(), "returns[0]");
        assert_eq!(root.render(), "");
    }

    #[test]
    fn error_document_shape() {
        let e = Error::new(ErrorCode::InvalidAmount, "cart.lines[0].unit_price", "bad");
        assert_eq!(
            e.to_document(),
            r#"{"error":{"code":"invalid_amount","path":"cart.lines[0].unit_price","message":"bad"}}"#
        );
        assert!(ErrorCode::InvalidJson.is_input_error());
        assert!(!Error::internal("x").code.is_input_error());
    }
}

//! The contract's error document (section 8) and the one place it is built.
//!
//! Every door (Rust, JavaScript, command, HTTP) reports invalid input the
//! same way: a machine-readable `code`, a `path` that points at the offending
//! value in the contract's `a.b[2].c` form, and a human `message`. Parsing
//! builds paths lazily through [`Path`], so a valid document never pays for
//! formatting paths it does not need.

use serde::Serialize;
use std::fmt;

/// The error codes of the contract, section 8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or a value of the wrong JSON type where an object, array,
    /// boolean or plain string was expected; also duplicate object keys.
    InvalidJson,
    /// A required field is absent (or `null`).
    MissingField,
    /// A field the contract does not define at that place.
    UnknownField,
    /// A money value that is malformed, negative, too precise or too large.
    InvalidAmount,
    /// A rate outside `0 < rate <= 1` or with more than 4 decimals.
    InvalidRate,
    /// A quantity that is not an integer in range.
    InvalidQuantity,
    /// A timestamp that is not strict RFC 3339, or a bad protection period.
    InvalidTime,
    /// An id that is empty, longer than 64 characters, or not a string.
    InvalidId,
    /// An id used twice where ids must be unique.
    DuplicateId,
    /// A promotion that breaks a rule of its kind or stage.
    InvalidPromotion,
    /// `apply` names a coupon the buyer does not hold.
    CouponNotHeld,
    /// `apply` names two coupons of one slot.
    SlotConflict,
    /// An input past one of the contract's limits.
    LimitExceeded,
}

impl ErrorCode {
    /// The code as written in the error document.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::InvalidAmount => "invalid_amount",
            ErrorCode::InvalidRate => "invalid_rate",
            ErrorCode::InvalidQuantity => "invalid_quantity",
            ErrorCode::InvalidTime => "invalid_time",
            ErrorCode::InvalidId => "invalid_id",
            ErrorCode::DuplicateId => "duplicate_id",
            ErrorCode::InvalidPromotion => "invalid_promotion",
            ErrorCode::CouponNotHeld => "coupon_not_held",
            ErrorCode::SlotConflict => "slot_conflict",
            ErrorCode::LimitExceeded => "limit_exceeded",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An invalid input: what is wrong (`code`), where (`path`), and why.
///
/// Serializes as the inner object of the error document; use
/// [`Error::to_document`] for the whole `{"error": ...}` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Error {
    /// The contract's error code.
    pub code: ErrorCode,
    /// Where the offending value is, e.g. `cart.lines[2].unit_price`;
    /// empty for the document as a whole.
    pub path: String,
    /// A human-readable explanation (not part of the contract).
    pub message: String,
}

impl Error {
    /// An error with the given code, path and message.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The contract's error document as compact JSON:
    /// `{"error":{"code":...,"path":...,"message":...}}`.
    pub fn to_document(&self) -> String {
        use crate::digest::Object;
        let mut out = String::from("{\"error\":");
        Object::new(&mut out)
            .field("code", &self.code.as_str())
            .field("path", &self.path)
            .field("message", &self.message)
            .end();
        out.push('}');
        out
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
    }
}

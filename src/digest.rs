//! The canonical JSON of a quote and its digest (contract section 5):
//! `sha256:` and the lowercase hex SHA-256 of the canonical JSON of the
//! quote without `digest`.
//!
//! Canonical JSON: keys in the contract's order, no whitespace, non-ASCII
//! characters as raw UTF-8, only `"`, `\` and control characters escaped
//! (the short forms `\b \f \n \r \t`, else `\u00xx` in lower-case hex),
//! money as strings. It is written by hand rather than through
//! `serde_json`: the digest is on every quote's path, the writer is a few
//! dozen lines, and the WebAssembly module then needs no JSON serializer.
//! A test checks that it agrees byte for byte with `serde_json`.

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of `canonical` (UTF-8 bytes).
pub fn of(canonical: &str) -> String {
    let hash = Sha256::digest(canonical.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push(hex(b >> 4));
        out.push(hex(b & 0xf));
    }
    out
}

/// The lower-case hex digit of a nibble.
fn hex(nibble: u8) -> char {
    char::from_digit(u32::from(nibble & 0xf), 16).unwrap_or('0')
}

/// A value that writes itself as canonical JSON.
pub(crate) trait ToJson {
    fn to_json(&self, out: &mut String);
}

/// Write `s` as a JSON string.
pub(crate) fn write_str(out: &mut String, s: &str) {
    // Most strings (ids, codes) need no escaping: one copy.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(s.len().saturating_add(2));
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => Some(""),
            _ => None,
        };
        let Some(esc) = esc else { continue };
        out.push_str(s.get(start..i).unwrap_or(""));
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(hex(b >> 4));
            out.push(hex(b & 0xf));
        } else {
            out.push_str(esc);
        }
        start = i.saturating_add(1);
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push('"');
}

impl ToJson for &str {
    fn to_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for String {
    fn to_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for bool {
    fn to_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for u32 {
    fn to_json(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.to_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, out: &mut String) {
        self.as_slice().to_json(out);
    }
}

impl ToJson for crate::money::Money {
    fn to_json(&self, out: &mut String) {
        out.push('"');
        self.write_plain(out);
        out.push('"');
    }
}

impl ToJson for crate::money::Rate {
    fn to_json(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "\"{self}\"");
    }
}

impl ToJson for crate::ids::Id {
    fn to_json(&self, out: &mut String) {
        write_str(out, self.as_str());
    }
}

impl ToJson for crate::rules::Stage {
    fn to_json(&self, out: &mut String) {
        write_str(out, self.as_str());
    }
}

impl ToJson for crate::rules::Funder {
    fn to_json(&self, out: &mut String) {
        write_str(out, self.as_str());
    }
}

/// Writes an object's members in the order given.
pub(crate) struct Object<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Object<'o> {
    /// Open an object.
    pub(crate) fn new(out: &'o mut String) -> Object<'o> {
        out.push('{');
        Object { out, first: true }
    }

    /// A member.
    pub(crate) fn field(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        // Keys are the contract's field names: plain ASCII, never escaped.
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        value.to_json(self.out);
        self
    }

    /// A member written only when present.
    pub(crate) fn optional(&mut self, key: &str, value: Option<&dyn ToJson>) -> &mut Self {
        if let Some(v) = value {
            self.field(key, v);
        }
        self
    }

    /// Close the object.
    pub(crate) fn end(&mut self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        assert_eq!(
            of("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn strings_escape_like_serde_json() {
        for s in [
            "plain",
            "满100减10",
            "quote\" back\\ slash",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f} end",
            "",
            "emoji 🧧",
        ] {
            let mut out = String::new();
            write_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }
}

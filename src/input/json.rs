//! The JSON reader: text to a tree that keeps what validation needs and
//! `serde_json::Value` throws away, the order of object members and
//! duplicate keys.
//!
//! Documents are first read into [`Value`] (from text by [`parse`]; the
//! WebAssembly door turns JavaScript objects into text with the host's
//! `JSON.stringify` first), then checked field by field into typed values
//! by `super::fields`, which reports unknown fields, duplicate keys and
//! missing fields at their exact paths. Numbers keep their JSON form
//! (integer or double); they are turned into decimals when read as money or
//! rates, and never computed on.

use crate::error::{Error, ErrorCode, MAX_INPUT_BYTES};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON number as the parser saw it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A JSON integer (no fraction, no exponent) that fits in 128 bits.
    Int(i128),
    /// Any other number, as the nearest double.
    Float(f64),
}

/// A JSON value with object members in document order, duplicates kept.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, which the contract reads as "absent".
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A short name of the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// The deepest nesting of arrays and objects accepted: 127 levels, as in
/// `serde_json`.
pub const MAX_DEPTH: usize = 127;

/// Read JSON input text into its tree, enforcing the 4 MiB limit.
pub(crate) fn read_text(text: &str) -> Result<Value, Error> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::too_large());
    }
    parse(text)
}

/// Parse JSON text (RFC 8259) into a [`Value`]; any syntax error, or
/// nesting deeper than `MAX_DEPTH` (127), is `invalid_json` at the document.
///
/// A small hand-written reader rather than `serde_json`: the WebAssembly
/// module reads every document through it (JavaScript objects arrive as
/// `JSON.stringify` text, one crossing instead of one per value), so it
/// must be small and fast. It reads exactly what `serde_json` reads, into
/// the same values: integers that fit 64 bits are [`Number::Int`], every
/// other number the nearest double; a test and a fuzz target hold the two
/// readers to that.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    let v = r.value(0).and_then(|v| {
        r.ws();
        if r.i < r.s.len() {
            Err("trailing characters")
        } else {
            Ok(v)
        }
    });
    v.map_err(|why| {
        Error::new(
            ErrorCode::InvalidJson,
            "",
            format!("not valid JSON: {why} at byte {}", r.i),
        )
    })
}

/// A cursor over JSON text.
struct Reader<'t> {
    s: &'t [u8],
    i: usize,
}

type Read<T> = Result<T, &'static str>;

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Move the cursor on by `n` bytes (never past `usize::MAX`: the text
    /// is at most 4 MiB anyway).
    fn bump(&mut self, n: usize) {
        self.i = self.i.saturating_add(n);
    }

    /// The `n` bytes at the cursor, if there are that many.
    fn ahead(&self, n: usize) -> Option<&[u8]> {
        self.s.get(self.i..self.i.saturating_add(n))
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump(1);
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Read<Value> {
        if self.ahead(word.len()) == Some(word) {
            self.bump(word.len());
            Ok(v)
        } else {
            Err("expected a value")
        }
    }

    fn value(&mut self, depth: usize) -> Read<Value> {
        self.ws();
        match self.peek() {
            None => Err("unexpected end of input"),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => {
                let mut items = Vec::new();
                self.sequence(depth, b']', |r, inner| {
                    items.push(r.value(inner)?);
                    Ok(())
                })?;
                Ok(Value::Array(items))
            }
            Some(b'{') => {
                let mut members = Vec::new();
                self.sequence(depth, b'}', |r, inner| {
                    r.ws();
                    if r.peek() != Some(b'"') {
                        return Err("expected a key");
                    }
                    let k = r.string()?;
                    r.ws();
                    if r.peek() != Some(b':') {
                        return Err("expected ':'");
                    }
                    r.bump(1);
                    members.push((k, r.value(inner)?));
                    Ok(())
                })?;
                Ok(Value::Object(members))
            }
            Some(_) => Err("expected a value"),
        }
    }

    /// The items of an array or object (the cursor is on its opening
    /// bracket) up to `close`, separated by commas, each read by `item` at
    /// the next depth.
    fn sequence(
        &mut self,
        depth: usize,
        close: u8,
        mut item: impl FnMut(&mut Self, usize) -> Read<()>,
    ) -> Read<()> {
        if depth >= MAX_DEPTH {
            return Err("nested too deeply");
        }
        self.bump(1);
        self.ws();
        if self.peek() == Some(close) {
            self.bump(1);
            return Ok(());
        }
        loop {
            item(self, depth.saturating_add(1))?;
            self.ws();
            match self.peek() {
                Some(b',') => self.bump(1),
                Some(c) if c == close => {
                    self.bump(1);
                    return Ok(());
                }
                _ => return Err("expected ',' or a closing bracket"),
            }
        }
    }

    /// A string; the cursor is on the opening quote.
    fn string(&mut self) -> Read<String> {
        self.bump(1);
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control
            // character in one go (the text is UTF-8, and these are ASCII,
            // so the run is whole characters).
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump(1);
            }
            let run = self.s.get(start..self.i).unwrap_or(&[]);
            out.push_str(std::str::from_utf8(run).map_err(|_| "invalid UTF-8")?);
            match self.peek() {
                None => return Err("unterminated string"),
                Some(b'"') => {
                    self.bump(1);
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump(1);
                    let esc = self.peek().ok_or("unterminated string")?;
                    self.bump(1);
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err("invalid escape"),
                    }
                }
                Some(_) => return Err("control character in string"),
            }
        }
    }

    fn hex4(&mut self) -> Read<u32> {
        let digits = self.ahead(4).ok_or("invalid \\u escape")?;
        let text = std::str::from_utf8(digits).map_err(|_| "invalid \\u escape")?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("invalid \\u escape");
        }
        let code = u32::from_str_radix(text, 16).map_err(|_| "invalid \\u escape");
        self.bump(4);
        code
    }

    /// The character of a `\\uXXXX` escape (the cursor is after `u`),
    /// joining a surrogate pair; a lone surrogate is an error, as in
    /// `serde_json`.
    fn unicode_escape(&mut self) -> Read<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if self.ahead(2) != Some(b"\\u") {
                    return Err("lone leading surrogate");
                }
                self.bump(2);
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err("lone leading surrogate");
                }
                // In range: 0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF.
                0x10000u32
                    .wrapping_add(hi.wrapping_sub(0xD800).wrapping_shl(10))
                    .wrapping_add(lo.wrapping_sub(0xDC00))
            }
            0xDC00..=0xDFFF => return Err("lone trailing surrogate"),
            c => c,
        };
        char::from_u32(code).ok_or("invalid \\u escape")
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Read<Number> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.bump(1);
        }
        match self.peek() {
            Some(b'0') => self.bump(1),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err("invalid number"),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.bump(1);
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err("invalid number");
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.bump(1);
            if let Some(b'+' | b'-') = self.peek() {
                self.bump(1);
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err("invalid number");
            }
            self.digits();
        }
        let text = self
            .s
            .get(start..self.i)
            .and_then(|t| std::str::from_utf8(t).ok())
            .ok_or("invalid number")?;
        if integer {
            // serde_json's integers: u64, or i64 when negative.
            let fits = if text == "-0" {
                // serde_json reads minus zero as the double -0.0.
                None
            } else if text.starts_with('-') {
                text.parse::<i64>().ok().map(i128::from)
            } else {
                text.parse::<u64>().ok().map(i128::from)
            };
            if let Some(n) = fits {
                return Ok(Number::Int(n));
            }
        }
        super::number::parse_double(text)
            .map(Number::Float)
            .ok_or("number out of range")
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump(1);
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(Number::Int(i128::from(n))))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(Number::Int(i128::from(n))))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Value, E> {
        Ok(Value::Number(Number::Int(n)))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Value, E> {
        Ok(match i128::try_from(n) {
            Ok(i) => Value::Number(Number::Int(i)),
            // Beyond every limit of the contract anyway; keep it a number
            // so that it is judged (and rejected) where it stands.
            Err(_) => Value::Number(Number::Int(i128::MAX)),
        })
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(Number::Float(n)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value()?;
            out.push((k, v));
        }
        Ok(Value::Object(out))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(E::custom("bytes are not JSON"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_duplicates() {
        let v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        let Value::Object(m) = &v else { panic!() };
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn numbers_keep_their_form() {
        assert_eq!(parse("2").unwrap(), Value::Number(Number::Int(2)));
        assert_eq!(parse("2.0").unwrap(), Value::Number(Number::Float(2.0)));
        assert_eq!(parse("-3").unwrap(), Value::Number(Number::Int(-3)));
    }

    /// `serde_json`'s reading of a text, through the same `Deserialize`.
    fn serde(text: &str) -> Option<Value> {
        serde_json::from_str::<Value>(text).ok()
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let cases = [
            "0",
            "-0",
            "1",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "-0.0",
            "1e2",
            "1E+2",
            "1e-2",
            "0.1",
            "2.675",
            "123456789012345678901234567890",
            "1e308",
            "1e309",
            "-1e400",
            "4.9e-324",
            "1e-400",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "[]",
            "[1,]",
            "[,1]",
            "{}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":1,\"a\":2}",
            "{1:2}",
            "\"\\u00e9\\ud83e\\udde7\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\nb\"",
            "\"tab\\t/\\/\"",
            "\"满300减40\"",
            " true ",
            "nul",
            "null x",
            "[true,false,null]",
            "\"\u{7f}\"",
            "",
            "   ",
            "[1 2]",
            "{\"a\":[{\"b\":{}}]}",
            "\"unterminated",
            "1.0e+0",
            "-01",
            "-1.5e-7",
            "[-]",
            "9007199254740993",
            "0.30000000000000004",
        ];
        for text in cases {
            assert_eq!(parse(text).ok(), serde(text), "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_invalid_json_not_a_crash() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidJson);
        let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&at_limit).is_ok());
        assert_eq!(serde(&at_limit).is_some(), parse(&at_limit).is_ok());
        let past = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&past).is_err());
        assert!(serde(&past).is_none());
    }
}

//! A JSON tree that keeps what validation needs and `serde_json::Value`
//! throws away: the order of object members and duplicate keys.
//!
//! Documents are first read into [`Value`] (from text by `serde_json`, from
//! JavaScript objects by `serde-wasm-bindgen`, both through the same
//! `Deserialize` impl), then checked field by field into typed values with
//! [`Obj`], which reports unknown fields, duplicate keys and missing fields
//! at their exact paths. Numbers keep their JSON form (integer or double);
//! they are turned into decimals by [`crate::money`] and never computed on.

use crate::error::{Error, ErrorCode, Path};
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

/// Parse JSON text into a [`Value`]; any syntax error, or nesting deeper
/// than `serde_json`'s limit of 128, is `invalid_json` at the document.
pub fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, "", format!("not valid JSON: {e}")))
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

/// One object of an input document, checked for unknown and duplicate
/// keys once, then read field by field. `null` members count as absent.
pub(crate) struct Obj<'v, 'p> {
    members: &'v [(String, Value)],
    /// Where this object is, for the errors of its fields.
    pub(crate) path: &'p Path<'p>,
}

impl<'v, 'p> Obj<'v, 'p> {
    /// Check that `value` is an object whose keys are all in `allowed` and
    /// appear once each.
    pub(crate) fn new(
        value: &'v Value,
        path: &'p Path<'p>,
        allowed: &[&str],
    ) -> Result<Obj<'v, 'p>, Error> {
        let obj = Obj::any_keys(value, path)?;
        for (k, _) in obj.members {
            if !allowed.contains(&k.as_str()) {
                return Err(path
                    .key(k)
                    .err(ErrorCode::UnknownField, format!("unknown field '{k}'")));
            }
        }
        Ok(obj)
    }

    /// Check that `value` is an object with no duplicate keys, whatever its
    /// keys are (maps such as `rules.stores`).
    pub(crate) fn any_keys(value: &'v Value, path: &'p Path<'p>) -> Result<Obj<'v, 'p>, Error> {
        let Value::Object(members) = value else {
            return Err(path.err(
                ErrorCode::InvalidJson,
                format!("expected an object, found {}", value.type_name()),
            ));
        };
        if members.len() <= 16 {
            for (i, (k, _)) in members.iter().enumerate() {
                if members
                    .get(..i)
                    .unwrap_or(&[])
                    .iter()
                    .any(|(k2, _)| k2 == k)
                {
                    return Err(duplicate_key(path, k));
                }
            }
        } else {
            let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            if let Some(w) = keys.windows(2).find(|w| w.first() == w.get(1)) {
                return Err(duplicate_key(path, w.first().copied().unwrap_or("")));
            }
        }
        Ok(Obj { members, path })
    }

    /// The members in document order.
    pub(crate) fn members(&self) -> &'v [(String, Value)] {
        self.members
    }

    /// The field `key`, if present and not `null`.
    pub(crate) fn get(&self, key: &str) -> Option<&'v Value> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Value::Null))
    }

    /// The field `key`, or `missing_field`.
    pub(crate) fn req(&self, key: &str) -> Result<&'v Value, Error> {
        self.get(key).ok_or_else(|| {
            self.path
                .key(key)
                .err(ErrorCode::MissingField, format!("missing field '{key}'"))
        })
    }

    /// Whether the field is present (and not `null`).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

fn duplicate_key(path: &Path<'_>, k: &str) -> Error {
    path.key(k)
        .err(ErrorCode::InvalidJson, format!("duplicate key '{k}'"))
}

/// The array at `path`, or `invalid_json`.
pub(crate) fn array<'v>(value: &'v Value, path: &Path<'_>) -> Result<&'v [Value], Error> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(path.err(
            ErrorCode::InvalidJson,
            format!("expected an array, found {}", other.type_name()),
        )),
    }
}

/// The plain string at `path` (a `kind`, `stage`, ...), or `invalid_json`.
pub(crate) fn string<'v>(value: &'v Value, path: &Path<'_>, what: &str) -> Result<&'v str, Error> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(path.err(
            ErrorCode::InvalidJson,
            format!("{what} must be a string, found {}", other.type_name()),
        )),
    }
}

/// The boolean at `path`, or `invalid_json`.
pub(crate) fn boolean(value: &Value, path: &Path<'_>, what: &str) -> Result<bool, Error> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(path.err(
            ErrorCode::InvalidJson,
            format!("{what} must be a boolean, found {}", other.type_name()),
        )),
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
        let root = Path::ROOT;
        let e = Obj::new(&v, &root, &["a", "b"]).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidJson);
        assert_eq!(e.path, "b");
    }

    #[test]
    fn numbers_keep_their_form() {
        assert_eq!(parse("2").unwrap(), Value::Number(Number::Int(2)));
        assert_eq!(parse("2.0").unwrap(), Value::Number(Number::Float(2.0)));
        assert_eq!(parse("-3").unwrap(), Value::Number(Number::Int(-3)));
    }

    #[test]
    fn null_is_absent_and_unknown_fields_are_named() {
        let v = parse(r#"{"qty":null,"x":1}"#).unwrap();
        let root = Path::ROOT;
        let e = Obj::new(&v, &root, &["qty"]).err().unwrap();
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::UnknownField, "x"));
        let v = parse(r#"{"qty":null}"#).unwrap();
        let o = Obj::new(&v, &root, &["qty"]).unwrap();
        let e = o.req("qty").err().unwrap();
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::MissingField, "qty"));
    }

    #[test]
    fn deep_nesting_is_invalid_json_not_a_crash() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidJson);
    }
}

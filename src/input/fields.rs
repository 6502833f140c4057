//! Reading the JSON tree into typed values, with the contract's error at
//! the exact path of every fault (section 8): [`Obj`] checks an object's
//! keys once and reads it field by field; the functions here read one
//! value each (money, rate, quantity, id, timestamp, ...).
//!
//! A value of the wrong JSON type gets the code of what was expected there
//! (`invalid_amount` for money, `invalid_quantity` for a quantity, ...;
//! `invalid_json` where an object, array, boolean or string was expected),
//! and `null` counts as absent.

use super::json::{Number, Value};
use crate::error::{Error, ErrorCode, Path};
use crate::schema::shape;
use crate::values::sort;
use crate::values::{
    Currency, Id, Instant, Money, Qty, Rate, Window, MAX_AMOUNT, MAX_QTY, MAX_QUOTED,
};

shape! {
    /// When a promotion is active: from `from` (inclusive) until `to` (exclusive). Any window,
    /// even an empty one, needs the cart's `at`.
    const WINDOW_FIELDS, fn window_shape = "Window" {
        /// Start, inclusive. Absent: no start.
        "from" opt Timestamp,
        /// End, exclusive. Absent: no end.
        "to" opt Timestamp,
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
        obj.only(allowed)?;
        Ok(obj)
    }

    /// Check that every key is in `allowed`.
    pub(crate) fn only(&self, allowed: &[&str]) -> Result<(), Error> {
        match self
            .members
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            Some((k, _)) => Err(self.path.unknown_field(k)),
            None => Ok(()),
        }
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
        if let Some(k) = first_duplicate(members) {
            return Err(path
                .key(k)
                .err(ErrorCode::InvalidJson, format!("duplicate key '{k}'")));
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

    /// The field `key` read by `read` at its path, or `missing_field`.
    pub(crate) fn read<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'v Value, &Path<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let v = self.req(key)?;
        read(v, &self.path.key(key))
    }

    /// The field `key` read by `read` at its path, if present.
    pub(crate) fn read_opt<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'v Value, &Path<'_>) -> Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        self.get(key)
            .map(|v| read(v, &self.path.key(key)))
            .transpose()
    }
}

/// The first key that appears twice, found without a quadratic scan on
/// large objects.
fn first_duplicate(members: &[(String, Value)]) -> Option<&str> {
    if members.len() <= 16 {
        return members
            .iter()
            .enumerate()
            .find(|(i, (k, _))| {
                members
                    .get(..*i)
                    .unwrap_or(&[])
                    .iter()
                    .any(|(k2, _)| k2 == k)
            })
            .map(|(_, (k, _))| k.as_str());
    }
    let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    sort(&mut keys);
    keys.windows(2)
        .find(|w| w.first() == w.get(1))
        .and_then(|w| w.first().copied())
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

/// The array at `path` with at most `max` items (`limit_exceeded` past
/// it, naming `what`).
pub(crate) fn array_at_most<'v>(
    value: &'v Value,
    path: &Path<'_>,
    max: usize,
    what: &str,
) -> Result<&'v [Value], Error> {
    let items = array(value, path)?;
    if items.len() > max {
        return Err(path.too_many(max, what));
    }
    Ok(items)
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

/// A name from a fixed list (`kind`, `stage`, `basis`, ...): a non-string
/// is `invalid_json`, an unknown string `invalid_promotion`.
pub(crate) fn name<T>(
    value: &Value,
    path: &Path<'_>,
    what: &str,
    from_name: fn(&str) -> Option<T>,
) -> Result<T, Error> {
    let s = string(value, path, what)?;
    from_name(s)
        .ok_or_else(|| path.err(ErrorCode::InvalidPromotion, format!("unknown {what} '{s}'")))
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

/// An id (`invalid_id` for anything else).
pub(crate) fn id(value: &Value, path: &Path<'_>) -> Result<Id, Error> {
    match value {
        Value::String(s) => key_id(s, path),
        _ => Err(path.err(
            ErrorCode::InvalidId,
            "an id is a non-empty string of at most 64 characters",
        )),
    }
}

/// An array of ids (`invalid_json` if not an array).
pub(crate) fn ids(value: &Value, path: &Path<'_>) -> Result<Vec<Id>, Error> {
    array(value, path)?
        .iter()
        .enumerate()
        .map(|(i, v)| id(v, &path.index(i)))
        .collect()
}

/// An array of ids as a set: sorted and deduplicated, so that membership
/// is a binary search.
pub(crate) fn id_set(value: &Value, path: &Path<'_>) -> Result<Vec<Id>, Error> {
    let mut list = ids(value, path)?;
    sort(&mut list);
    list.dedup();
    Ok(list)
}

/// The rules' currency: a 3-letter upper-case code (`invalid_amount`, as
/// it decides how every amount is read).
pub(crate) fn currency(value: &Value, path: &Path<'_>) -> Result<Currency, Error> {
    let Value::String(code) = value else {
        return Err(path.err(ErrorCode::InvalidJson, "currency must be a string"));
    };
    currency_of(code, path)
}

/// The currency of a code at `path`.
pub(crate) fn currency_of(code: &str, path: &Path<'_>) -> Result<Currency, Error> {
    Currency::from_code(code).ok_or_else(|| {
        path.err(
            ErrorCode::InvalidAmount,
            format!("currency '{code}' is not a 3-letter ISO 4217 code"),
        )
    })
}

/// A money value of an input (string or JSON number) at `scale`: at most
/// the contract's 1000000000000.
pub(crate) fn money(value: &Value, path: &Path<'_>, scale: u32) -> Result<Money, Error> {
    money_at_most(value, path, scale, i128::from(MAX_AMOUNT))
}

/// A money value of a quote read back (a line's or the quote's total may
/// exceed what an input may hold): at most [`MAX_QUOTED`].
pub(crate) fn quoted_money(value: &Value, path: &Path<'_>, scale: u32) -> Result<Money, Error> {
    money_at_most(value, path, scale, MAX_QUOTED)
}

fn money_at_most(value: &Value, path: &Path<'_>, scale: u32, max: i128) -> Result<Money, Error> {
    decimal_text(value)
        .and_then(|text| Money::from_text(&text, scale, max))
        .map_err(|m| path.err(ErrorCode::InvalidAmount, m))
}

/// A measure (kilograms; string or JSON number): at most 3 decimals,
/// above 0, at most 100000 (`invalid_quantity`).
pub(crate) fn measure(value: &Value, path: &Path<'_>) -> Result<rust_decimal::Decimal, Error> {
    decimal_text(value)
        .and_then(|text| Money::from_text(&text, 3, 100_000))
        .and_then(|m| match m.is_zero() {
            true => Err("a measure must be above 0".to_owned()),
            false => Ok(m.decimal().normalize()),
        })
        .map_err(|m| path.err(ErrorCode::InvalidQuantity, m))
}

/// A rate (string or JSON number).
pub(crate) fn rate(value: &Value, path: &Path<'_>) -> Result<Rate, Error> {
    decimal_text(value)
        .and_then(|text| Rate::from_text(&text))
        .map_err(|m| path.err(ErrorCode::InvalidRate, m))
}

/// A quantity: a JSON integer in `min..=99999`.
pub(crate) fn qty(value: &Value, path: &Path<'_>, min: u32) -> Result<Qty, Error> {
    let in_range = match value {
        Value::Number(Number::Int(n)) if *n >= i128::from(min) => {
            u32::try_from(*n).ok().and_then(Qty::new)
        }
        Value::Number(Number::Int(_)) => None,
        _ => return Err(path.err(ErrorCode::InvalidQuantity, "quantity must be an integer")),
    };
    in_range.ok_or_else(|| qty_out_of_range(path, min))
}

/// A quantity below `min` or above the limit.
pub(crate) fn qty_out_of_range(path: &Path<'_>, min: u32) -> Error {
    path.err(
        ErrorCode::InvalidQuantity,
        format!("quantity must be in {min}..{MAX_QTY}"),
    )
}

/// A timestamp (`invalid_time` on any fault).
pub(crate) fn instant(value: &Value, path: &Path<'_>) -> Result<Instant, Error> {
    let Value::String(s) = value else {
        return Err(path.err(ErrorCode::InvalidTime, "a timestamp must be a string"));
    };
    Instant::from_text(s).map_err(|m| path.err(ErrorCode::InvalidTime, m))
}

impl std::str::FromStr for Instant {
    type Err = Error;

    /// Read an RFC 3339 timestamp as the contract writes them (section 1),
    /// strictly: else `invalid_time`, its message saying what is wrong.
    fn from_str(s: &str) -> Result<Instant, Error> {
        Instant::from_text(s).map_err(|why| Path::ROOT.err(ErrorCode::InvalidTime, why))
    }
}

/// An object key that names something (a store, template, address),
/// checked like an id at `path`, the member's own path.
pub(crate) fn key_id(key: &str, path: &Path<'_>) -> Result<Id, Error> {
    Id::new(key).ok_or_else(|| {
        path.err(
            ErrorCode::InvalidId,
            "an id is a non-empty string of at most 64 characters",
        )
    })
}

/// A window `{"from"?, "to"?}`.
pub(crate) fn window(value: &Value, path: &Path<'_>) -> Result<Window, Error> {
    let o = Obj::new(value, path, WINDOW_FIELDS)?;
    Ok(Window {
        from: o.read_opt("from", instant)?,
        to: o.read_opt("to", instant)?,
    })
}

/// The decimal text of a money or rate value: a string as written, or a
/// JSON number in its shortest round-trip form (JavaScript's `String(n)`).
fn decimal_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(Number::Int(n)) => Ok(n.to_string()),
        Value::Number(Number::Float(f)) => {
            if !f.is_finite() {
                Err("not a finite number".to_owned())
            } else if *f == 0.0 {
                // -0 prints as "0" in JavaScript.
                Ok("0".to_owned())
            } else {
                // The shortest digits that round-trip, like JavaScript;
                // every value for which the forms could differ (>= 1e21,
                // < 1e-6) is out of range or too precise either way.
                Ok(super::number::shortest(*f))
            }
        }
        other => Err(format!(
            "expected a decimal string, found {}",
            other.type_name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::json::parse;
    use super::*;

    fn money_of(json: &str, scale: u32) -> Result<String, ErrorCode> {
        let v = parse(json).unwrap();
        money(&v, &Path::ROOT, scale)
            .map(|m| m.to_string())
            .map_err(|e| e.code)
    }

    #[test]
    fn money_from_strings_and_numbers() {
        assert_eq!(money_of(r#""299.00""#, 2), Ok("299.00".into()));
        assert_eq!(money_of("9.9", 2), Ok("9.90".into()));
        assert_eq!(money_of("299", 2), Ok("299.00".into()));
        assert_eq!(money_of("980.0", 0), Ok("980".into()));
        for bad in ["12.345", "true", "-1", "null", r#""1.500""#] {
            assert_eq!(money_of(bad, 2), Err(ErrorCode::InvalidAmount), "{bad}");
        }
        assert_eq!(money_of(&"9".repeat(300), 2), Err(ErrorCode::InvalidAmount));
    }

    #[test]
    fn rates_from_strings_and_numbers() {
        let r = |j: &str| rate(&parse(j).unwrap(), &Path::ROOT).map_err(|e| e.code);
        assert!(r("0.85").is_ok());
        assert!(r(r#""0.90""#).is_ok());
        for bad in [r#""0""#, "0.12345", "null", "true"] {
            assert_eq!(r(bad), Err(ErrorCode::InvalidRate), "{bad}");
        }
    }

    #[test]
    fn quantities() {
        let q = |j: &str| qty(&parse(j).unwrap(), &Path::ROOT, 1).map(Qty::get);
        assert_eq!(q("1").ok(), Some(1));
        assert_eq!(q("99999").ok(), Some(99999));
        for bad in ["0", "100000", "2.0", r#""2""#, "-1", "1e2"] {
            assert_eq!(
                q(bad).map_err(|e| e.code),
                Err(ErrorCode::InvalidQuantity),
                "{bad}"
            );
        }
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
        let v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        let e = Obj::new(&v, &root, &["a", "b"]).err().unwrap();
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidJson, "b"));
    }
}

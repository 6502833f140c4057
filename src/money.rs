//! Money, rates and quantities (contract section 1), parsed once into typed
//! values so that the computation never meets an invalid one.
//!
//! Money is a `rust_decimal::Decimal` held at the currency's scale (2, or 0
//! for the zero-decimal currencies), so that it prints with exactly `scale`
//! decimals. The only operation that makes fractions of a cent is a rate,
//! rounded half away from zero (四舍五入) by [`Money::times_rate`].
//! Allocation needs exact integer ratios, which it takes on the minor units
//! ([`Money::minor`]).
//!
//! JSON numbers are accepted where the contract accepts them: a number is
//! judged by the shortest decimal form of the nearest double (JavaScript's
//! `String(n)`), then read like a string. That is a parse, not a
//! computation: no float ever takes part in arithmetic.

use crate::error::{Error, ErrorCode, Path};
use crate::json::{Number, Value};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
use std::fmt;

/// The largest money value the contract accepts in an input.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The largest quantity the contract accepts.
pub const MAX_QTY: u32 = 99_999;

/// ISO 4217 zero-decimal currencies (scale 0); every other code has scale 2.
const ZERO_DECIMAL: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];

/// A currency: its ISO code and the number of decimals its money has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Currency {
    code: String,
    scale: u32,
}

impl Currency {
    /// Parse a 3-letter upper-case ISO 4217 code.
    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Currency, Error> {
        let Value::String(code) = value else {
            return Err(path.err(ErrorCode::InvalidJson, "currency must be a string"));
        };
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(path.err(
                ErrorCode::InvalidAmount,
                format!("currency '{code}' is not a 3-letter ISO 4217 code"),
            ));
        }
        let scale = if ZERO_DECIMAL.contains(&code.as_str()) {
            0
        } else {
            2
        };
        Ok(Currency {
            code: code.clone(),
            scale,
        })
    }

    /// The ISO code, e.g. `CNY`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Decimals of this currency's money: 2, or 0 for JPY, KRW, ...
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// Zero at this currency's scale (`0.00`, or `0`).
    pub fn zero(&self) -> Money {
        Money::zero(self.scale)
    }
}

/// An exact amount of money at its currency's scale, never negative in a
/// quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Zero with `scale` decimals.
    pub fn zero(scale: u32) -> Money {
        Money(Decimal::new(0, scale))
    }

    /// The amount `minor / 10^scale`, e.g. `from_minor(1999, 2)` is 19.99.
    pub fn from_minor(minor: i128, scale: u32) -> Money {
        Money(Decimal::try_from_i128_with_scale(minor, scale).unwrap_or(Decimal::MAX))
    }

    /// The amount in minor units (cents for scale 2).
    pub fn minor(self) -> i128 {
        self.0.mantissa()
    }

    /// The decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Number of decimals.
    pub fn scale(self) -> u32 {
        self.0.scale()
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `self + other`. Inputs are bounded by the contract's limits, so the
    /// sum stays far inside `Decimal`'s range; saturating keeps that a
    /// non-panicking fact rather than a hope.
    #[must_use]
    pub fn plus(self, other: Money) -> Money {
        self.on_minor(other, i128::checked_add)
            .unwrap_or_else(|| Money::at_scale(self.0.saturating_add(other.0), self.0.scale()))
    }

    /// `self - other` (see [`Money::plus`] on range).
    #[must_use]
    pub fn minus(self, other: Money) -> Money {
        self.on_minor(other, i128::checked_sub)
            .unwrap_or_else(|| Money::at_scale(self.0.saturating_sub(other.0), self.0.scale()))
    }

    /// `op` on the minor units when both amounts have the same scale (they
    /// always do within one currency) and the result fits `Decimal`: integer
    /// arithmetic instead of `Decimal`'s general, scale-aligning path.
    fn on_minor(self, other: Money, op: fn(i128, i128) -> Option<i128>) -> Option<Money> {
        let scale = self.0.scale();
        if other.0.scale() != scale {
            return None;
        }
        let m = op(self.0.mantissa(), other.0.mantissa())?;
        Decimal::try_from_i128_with_scale(m, scale).ok().map(Money)
    }

    /// `self * n` for a count of units.
    #[must_use]
    pub fn times(self, n: u32) -> Money {
        Money::at_scale(self.0.saturating_mul(Decimal::from(n)), self.0.scale())
    }

    /// `d` written with exactly `scale` decimals: `rust_decimal` drops the
    /// scale of some zero results (`0.00 * 1` is `0`), and money must
    /// always print with its currency's decimals.
    fn at_scale(mut d: Decimal, scale: u32) -> Money {
        if d.scale() != scale {
            d.rescale(scale);
        }
        Money(d)
    }

    /// `self * rate`, rounded to the scale half away from zero (四舍五入).
    #[must_use]
    pub fn times_rate(self, rate: Rate) -> Money {
        self.scaled_by(rate.0)
    }

    /// `self * (1 - rate)`, rounded half away from zero: what a rate takes
    /// off.
    #[must_use]
    pub fn off_by_rate(self, rate: Rate) -> Money {
        self.scaled_by(Decimal::ONE.saturating_sub(rate.0))
    }

    fn scaled_by(self, factor: Decimal) -> Money {
        let scale = self.0.scale();
        let mut d = self
            .0
            .saturating_mul(factor)
            .round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
        d.rescale(scale);
        Money(d)
    }

    /// The smaller of two amounts.
    #[must_use]
    pub fn min_of(self, other: Money) -> Money {
        if other < self {
            other
        } else {
            self
        }
    }

    /// The larger of two amounts.
    #[must_use]
    pub fn max_of(self, other: Money) -> Money {
        if other > self {
            other
        } else {
            self
        }
    }

    /// Parse a money value (string or JSON number) at `scale`.
    pub(crate) fn parse(value: &Value, path: &Path<'_>, scale: u32) -> Result<Money, Error> {
        let text = decimal_text(value).map_err(|m| path.err(ErrorCode::InvalidAmount, m))?;
        let (d, decimals) = read_plain_decimal(&text).ok_or_else(|| {
            path.err(
                ErrorCode::InvalidAmount,
                format!("malformed amount '{text}'"),
            )
        })?;
        if decimals > scale {
            return Err(path.err(
                ErrorCode::InvalidAmount,
                "more decimals than the currency's scale",
            ));
        }
        if d > Decimal::from(MAX_AMOUNT) {
            return Err(path.err(ErrorCode::InvalidAmount, "amount above 1000000000000"));
        }
        let mut d = d;
        d.rescale(scale);
        Ok(Money(d))
    }
}

impl Money {
    /// Append the amount as written in documents (`-`? digits, then exactly
    /// `scale` decimals) without going through `core::fmt`: quotes are
    /// written on every request, and this is most of their cost.
    pub(crate) fn write_plain(&self, out: &mut String) {
        let scale = self.0.scale() as usize;
        let m = self.0.mantissa();
        let Ok(mut n) = u64::try_from(m.unsigned_abs()) else {
            // Beyond 64 bits (above 1.8·10^17 at scale 2, only near the
            // contract's limits): `Decimal`'s own formatting, which writes
            // the scale's decimals. 128-bit division is a library call, so
            // the common case stays on 64 bits.
            out.push_str(&self.0.to_string());
            return;
        };
        if m < 0 {
            out.push('-');
        }
        // Digits, least significant first; at least one before the point.
        let mut digits = [b'0'; 40];
        let mut len = 0;
        while (n > 0 || len <= scale) && len < digits.len() {
            if let Some(d) = digits.get_mut(len) {
                *d = digit(n % 10);
            }
            n /= 10;
            len = len.saturating_add(1);
        }
        // Most significant first, with the point; ASCII only.
        let mut text = [b'0'; 41];
        let mut w = 0;
        for i in (0..len).rev() {
            if scale > 0 && i.saturating_add(1) == scale {
                if let Some(t) = text.get_mut(w) {
                    *t = b'.';
                }
                w = w.saturating_add(1);
            }
            if let Some(t) = text.get_mut(w) {
                *t = digits.get(i).copied().unwrap_or(b'0');
            }
            w = w.saturating_add(1);
        }
        out.push_str(std::str::from_utf8(text.get(..w).unwrap_or(b"")).unwrap_or(""));
    }
}

/// The ASCII digit of `d` (0 to 9).
fn digit(d: u64) -> u8 {
    b'0'.saturating_add(u8::try_from(d).unwrap_or(0))
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The share of a price that is still paid (8.5折 is `0.85`):
/// `0 < rate <= 1`, at most 4 decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

impl Rate {
    /// The decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// The rate 1 (nothing off).
    pub const ONE: Rate = Rate(Decimal::ONE);

    /// Parse a rate (string or JSON number).
    pub(crate) fn parse(value: &Value, path: &Path<'_>) -> Result<Rate, Error> {
        let text = decimal_text(value).map_err(|m| path.err(ErrorCode::InvalidRate, m))?;
        let (d, decimals) = read_plain_decimal(&text)
            .ok_or_else(|| path.err(ErrorCode::InvalidRate, format!("malformed rate '{text}'")))?;
        if decimals > 4 {
            return Err(path.err(ErrorCode::InvalidRate, "more than 4 decimals"));
        }
        if d.is_zero() || d > Decimal::ONE {
            return Err(path.err(ErrorCode::InvalidRate, "rate must be in (0, 1]"));
        }
        Ok(Rate(d.normalize()))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl Serialize for Rate {
    /// Shortest form: `0.9`, not `0.90`; `1`, not `1.0000`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

/// A number of units, 1 to 99999 (or 0 where the contract allows it).
pub type Qty = u32;

/// Parse a quantity: a JSON integer in `min..=99999`.
pub(crate) fn parse_qty(value: &Value, path: &Path<'_>, min: u32) -> Result<Qty, Error> {
    match value {
        Value::Number(Number::Int(n)) => {
            if *n >= i128::from(min) && *n <= i128::from(MAX_QTY) {
                // In range, so the conversion is exact.
                Ok(u32::try_from(*n).unwrap_or(MAX_QTY))
            } else {
                Err(path.err(
                    ErrorCode::InvalidQuantity,
                    format!("quantity must be in {min}..99999"),
                ))
            }
        }
        _ => Err(path.err(ErrorCode::InvalidQuantity, "quantity must be an integer")),
    }
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
                // Rust prints the shortest digits that round-trip, like
                // JavaScript, without an exponent; every value for which the
                // two forms differ (>= 1e21, < 1e-6) is out of range or too
                // precise either way.
                Ok(format!("{f}"))
            }
        }
        other => Err(format!(
            "expected a decimal string, found {}",
            other.type_name()
        )),
    }
}

/// Read `digits[.digits]` (no sign, no exponent, no spaces) exactly.
/// Returns the value and the number of decimals as written, or `None` if
/// the text is not of that form. Values too long for `Decimal` are
/// reported as the largest decimal, which every caller rejects.
fn read_plain_decimal(text: &str) -> Option<(Decimal, u32)> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let frac = frac.unwrap_or("");
    let decimals = u32::try_from(frac.len()).unwrap_or(u32::MAX);
    let int = int.trim_start_matches('0');
    // More than 28 significant places cannot be a valid amount or rate:
    // it is either above the limit or has too many decimals.
    if int.len() > 20 || frac.len() > 20 {
        let big = if int.len() > 20 {
            Decimal::MAX
        } else {
            Decimal::ZERO
        };
        return Some((big, decimals));
    }
    let mut mantissa: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        // At most 40 digits were let through: far inside i128.
        mantissa = mantissa
            .saturating_mul(10)
            .saturating_add(i128::from(b.wrapping_sub(b'0')));
    }
    let d = Decimal::try_from_i128_with_scale(mantissa, decimals).ok()?;
    Some((d, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn money(json: &str, scale: u32) -> Result<String, ErrorCode> {
        let v = parse(json).unwrap();
        Money::parse(&v, &Path::ROOT, scale)
            .map(|m| m.to_string())
            .map_err(|e| e.code)
    }

    #[test]
    fn money_forms() {
        assert_eq!(money(r#""299.00""#, 2), Ok("299.00".into()));
        assert_eq!(money(r#""299""#, 2), Ok("299.00".into()));
        assert_eq!(money(r#""0.5""#, 2), Ok("0.50".into()));
        assert_eq!(money("9.9", 2), Ok("9.90".into()));
        assert_eq!(money("299", 2), Ok("299.00".into()));
        assert_eq!(money("980.0", 0), Ok("980".into()));
        assert_eq!(
            money(r#""1000000000000""#, 2),
            Ok("1000000000000.00".into())
        );
        for bad in [
            r#""1.500""#,
            r#""-5.00""#,
            r#""1e3""#,
            r#"" 1""#,
            r#""+1""#,
            r#""1.""#,
            r#"".5""#,
            r#""""#,
            "12.345",
            r#""1000000000000.01""#,
            "true",
            "-1",
            r#""0x10""#,
        ] {
            assert_eq!(money(bad, 2), Err(ErrorCode::InvalidAmount), "{bad}");
        }
        assert_eq!(money(r#""980.5""#, 0), Err(ErrorCode::InvalidAmount));
        assert_eq!(money(&"9".repeat(300), 2), Err(ErrorCode::InvalidAmount));
        assert_eq!(
            money(&format!("\"{}\"", "9".repeat(400)), 2),
            Err(ErrorCode::InvalidAmount)
        );
    }

    #[test]
    fn plain_writing_matches_display() {
        for (minor, scale) in [
            (0, 2),
            (5, 2),
            (99, 2),
            (100, 2),
            (123456, 2),
            (7, 0),
            (0, 0),
            (-150, 2),
            (100_000_000_000_000, 2),
        ] {
            let m = Money::from_minor(minor, scale);
            let mut out = String::new();
            m.write_plain(&mut out);
            assert_eq!(out, m.to_string(), "{minor} {scale}");
        }
    }

    #[test]
    fn rates() {
        let r = |j: &str| {
            Rate::parse(&parse(j).unwrap(), &Path::ROOT)
                .map(|r| serde_json::to_string(&r).unwrap())
                .map_err(|e| e.code)
        };
        assert_eq!(r(r#""0.90""#), Ok(r#""0.9""#.into()));
        assert_eq!(r("1"), Ok(r#""1""#.into()));
        assert_eq!(r("0.85"), Ok(r#""0.85""#.into()));
        assert_eq!(r(r#""0.0001""#), Ok(r#""0.0001""#.into()));
        for bad in [
            r#""0""#,
            r#""1.2""#,
            r#""0.12345""#,
            "0.12345",
            r#""-0.5""#,
            "null",
        ] {
            assert_eq!(r(bad), Err(ErrorCode::InvalidRate), "{bad}");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let m = Money::from_minor(3333, 2);
        let half = Rate(Decimal::new(5, 1));
        assert_eq!(m.times_rate(half).to_string(), "16.67");
        let m = Money::from_minor(2890, 2);
        let r95 = Rate(Decimal::new(95, 2));
        assert_eq!(m.off_by_rate(r95).to_string(), "1.45");
        let yen = Money::from_minor(333, 0);
        assert_eq!(yen.times_rate(Rate(Decimal::new(85, 2))).to_string(), "283");
    }

    #[test]
    fn quantities() {
        let q = |j: &str| parse_qty(&parse(j).unwrap(), &Path::ROOT, 1).map_err(|e| e.code);
        assert_eq!(q("1"), Ok(1));
        assert_eq!(q("99999"), Ok(99999));
        for bad in ["0", "100000", "2.0", r#""2""#, "-1", "1e2"] {
            assert_eq!(q(bad), Err(ErrorCode::InvalidQuantity), "{bad}");
        }
    }
}

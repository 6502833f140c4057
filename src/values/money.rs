//! Money, currencies, rates and quantities (contract section 1).
//!
//! Money is a `rust_decimal::Decimal` held at the currency's scale (2, or 0
//! for the zero-decimal currencies), so that it prints with exactly `scale`
//! decimals. The only operation that makes fractions of a cent is a rate,
//! rounded half away from zero (四舍五入) by [`Money::times_rate`].
//! Allocation needs exact integer ratios, which it takes on the minor units
//! ([`Money::minor`]).
//!
//! Values are read from decimal text here; which JSON values may carry
//! that text is the input layer's business (`crate::input::fields`).

use crate::wire::ToJson;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
use std::fmt;

/// The largest money value the contract accepts in an input.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The largest amount a quote can hold: a line of the largest unit price
/// and quantity, times the most lines. What after-sale operations accept
/// in the quote documents they read back.
pub const MAX_QUOTED: i128 = 1_000_000_000_000 * 99_999 * 1000;
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
    /// The currency of a 3-letter upper-case ISO 4217 code.
    pub fn from_code(code: &str) -> Option<Currency> {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let scale = if ZERO_DECIMAL.contains(&code) { 0 } else { 2 };
        Some(Currency {
            code: code.to_owned(),
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

    /// Read money written `digits[.digits]` at `scale`, at most `max`;
    /// the message says what is wrong.
    pub(crate) fn from_text(text: &str, scale: u32, max: i128) -> Result<Money, String> {
        let (d, decimals) =
            read_plain_decimal(text).ok_or_else(|| format!("malformed amount '{text}'"))?;
        Money::within(d, decimals, scale, max)
    }

    /// An amount a caller holds (a typed quote's), checked as
    /// [`Money::from_text`] checks its text: not negative, at most `scale`
    /// decimals, at most `max`.
    pub(crate) fn checked(self, scale: u32, max: i128) -> Result<Money, String> {
        if self.0.is_sign_negative() && !self.0.is_zero() {
            return Err(format!("malformed amount '{self}'"));
        }
        Money::within(self.0, self.0.scale(), scale, max)
    }

    /// `d`, written with `decimals` decimals, as an amount at `scale`.
    fn within(d: Decimal, decimals: u32, scale: u32, max: i128) -> Result<Money, String> {
        if decimals > scale {
            return Err("more decimals than the currency's scale".to_owned());
        }
        if d > Decimal::from(max) {
            return Err(format!("amount above {max}"));
        }
        Ok(Money::at_scale(d, scale))
    }

    /// Append the amount as written in documents (`-`? digits, then exactly
    /// `scale` decimals) without going through `core::fmt`: quotes are
    /// written on every request, and this is most of their cost.
    pub(crate) fn write_plain(&self, out: &mut String) {
        let scale = self.0.scale() as usize;
        let m = self.0.mantissa();
        if m < 0 {
            out.push('-');
        }
        // Digits, least significant first; at least one before the point.
        // 64-bit division while the value fits (128-bit division is a
        // library call, and emulated on wasm32): always, but near the
        // contract's limits.
        let mut digits = [b'0'; 40];
        let mut len = 0;
        let mut rest = m.unsigned_abs();
        while (rest > 0 || len <= scale) && len < digits.len() {
            let d = match u64::try_from(rest) {
                Ok(small) => {
                    rest = u128::from(small / 10);
                    small % 10
                }
                Err(_) => {
                    let d = u64::try_from(rest % 10).unwrap_or(0);
                    rest /= 10;
                    d
                }
            };
            if let Some(slot) = digits.get_mut(len) {
                *slot = b'0'.saturating_add(u8::try_from(d).unwrap_or(0));
            }
            len = len.saturating_add(1);
        }
        // Most significant first, with the point; ASCII only, pushed at
        // once.
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

impl ToJson for Money {
    fn to_json(&self, out: &mut String) {
        out.push('"');
        self.write_plain(out);
        out.push('"');
    }
}

/// The share of a price that is still paid (8.5折 is `0.85`):
/// `0 < rate <= 1`, at most 4 decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

impl Rate {
    /// The rate 1 (nothing off).
    pub const ONE: Rate = Rate(Decimal::ONE);

    /// The decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// The rate in ten-thousandths (0.85 is 8500): exact, as a rate has at
    /// most 4 decimals.
    pub(crate) fn per_10000(self) -> i128 {
        let scale = self.0.scale().min(4);
        let factor = 10i128.saturating_pow(4u32.saturating_sub(scale));
        self.0.mantissa().saturating_mul(factor)
    }

    /// Read a rate written `digits[.digits]`; the message says what is
    /// wrong.
    pub(crate) fn from_text(text: &str) -> Result<Rate, String> {
        let (d, decimals) =
            read_plain_decimal(text).ok_or_else(|| format!("malformed rate '{text}'"))?;
        if decimals > 4 {
            return Err("more than 4 decimals".to_owned());
        }
        if d.is_zero() || d > Decimal::ONE {
            return Err("rate must be in (0, 1]".to_owned());
        }
        Ok(Rate(d.normalize()))
    }
}

impl fmt::Display for Rate {
    /// Shortest form: `0.9`, not `0.90`; `1`, not `1.0000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl ToJson for Rate {
    fn to_json(&self, out: &mut String) {
        // At most 4 decimals of a value in (0, 1]: `1`, or `0.` and the
        // significant decimals, written without `core::fmt`.
        let d = self.0.normalize();
        let scale = d.scale() as usize;
        let mut text = String::with_capacity(8);
        if scale == 0 {
            text.push('1');
        } else {
            let mut n = d.mantissa().unsigned_abs();
            let mut digits = [b'0'; 4];
            for i in (0..scale.min(4)).rev() {
                if let Some(slot) = digits.get_mut(i) {
                    *slot = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
                }
                n /= 10;
            }
            text.push_str("0.");
            for b in digits.iter().take(scale) {
                text.push(char::from(*b));
            }
        }
        text.to_json(out);
    }
}

/// A number of units as the contract counts them: at most 99999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Qty(u32);

impl Qty {
    /// The quantity `n`, if at most [`MAX_QTY`].
    pub fn new(n: u32) -> Option<Qty> {
        (n <= MAX_QTY).then_some(Qty(n))
    }

    /// The number of units.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl ToJson for Qty {
    fn to_json(&self, out: &mut String) {
        self.0.to_json(out);
    }
}

impl fmt::Display for Qty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
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

    fn money(text: &str, scale: u32) -> Result<String, String> {
        Money::from_text(text, scale, i128::from(MAX_AMOUNT)).map(|m| m.to_string())
    }

    #[test]
    fn money_forms() {
        assert_eq!(money("299.00", 2), Ok("299.00".into()));
        assert_eq!(money("299", 2), Ok("299.00".into()));
        assert_eq!(money("0.5", 2), Ok("0.50".into()));
        assert_eq!(money("980.0", 0).ok(), None);
        assert_eq!(money("980", 0), Ok("980".into()));
        assert_eq!(money("1000000000000", 2), Ok("1000000000000.00".into()));
        for bad in [
            "1.500",
            "-5.00",
            "1e3",
            " 1",
            "+1",
            "1.",
            ".5",
            "",
            "1000000000000.01",
            "0x10",
        ] {
            assert!(money(bad, 2).is_err(), "{bad}");
        }
        assert!(money(&"9".repeat(400), 2).is_err());
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
            (9_999_900_000_000_000_000_000, 2),
            (i128::from(u64::MAX) * 1000 + 7, 2),
            (-(i128::from(u64::MAX) * 10), 0),
        ] {
            let m = Money::from_minor(minor, scale);
            let mut out = String::new();
            m.write_plain(&mut out);
            assert_eq!(out, m.to_string(), "{minor} {scale}");
        }
    }

    #[test]
    fn rates() {
        let r = |t: &str| {
            Rate::from_text(t).map(|r| {
                let mut out = String::new();
                r.to_json(&mut out);
                assert_eq!(out, serde_json::to_string(&r).unwrap());
                out
            })
        };
        assert_eq!(r("0.90"), Ok(r#""0.9""#.into()));
        assert_eq!(r("1"), Ok(r#""1""#.into()));
        assert_eq!(r("1.0000"), Ok(r#""1""#.into()));
        assert_eq!(r("0.85"), Ok(r#""0.85""#.into()));
        assert_eq!(r("0.0001"), Ok(r#""0.0001""#.into()));
        assert_eq!(r("0.0500"), Ok(r#""0.05""#.into()));
        assert_eq!(Rate::from_text("0.85").unwrap().per_10000(), 8500);
        assert_eq!(Rate::from_text("1").unwrap().per_10000(), 10000);
        assert_eq!(Rate::from_text("0.0001").unwrap().per_10000(), 1);
        for bad in ["0", "1.2", "0.12345", "-0.5", ""] {
            assert!(r(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let m = Money::from_minor(3333, 2);
        let half = Rate::from_text("0.5").unwrap();
        assert_eq!(m.times_rate(half).to_string(), "16.67");
        let m = Money::from_minor(2890, 2);
        let r95 = Rate::from_text("0.95").unwrap();
        assert_eq!(m.off_by_rate(r95).to_string(), "1.45");
        let yen = Money::from_minor(333, 0);
        let r85 = Rate::from_text("0.85").unwrap();
        assert_eq!(yen.times_rate(r85).to_string(), "283");
    }
}

/// The most points a tender's balance, `use` or `max_points` may be.
pub const MAX_POINTS: u64 = 1_000_000_000_000;

/// A number of points (积分, 京豆): an integer from 0 to [`MAX_POINTS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub u64);

impl Points {
    /// The count.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl ToJson for Points {
    fn to_json(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

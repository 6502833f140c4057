//! Strict RFC 3339 timestamps and promotion windows (contract section 1).
//!
//! The engine never reads a clock: the cart's `at` is the only "now". A
//! timestamp is kept as an exact instant (seconds since the Unix epoch plus
//! the fractional digits as written), so that windows compare exactly
//! whatever offset each end was written in.

use std::cmp::Ordering;

/// An exact instant: an RFC 3339 timestamp as the contract reads it
/// (`"2026-11-11T20:00:00+08:00"`), compared exactly whatever its offset.
/// `text.parse::<Instant>()` reads one (`crate::input` says how).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instant {
    secs: i64,
    /// Fractional-second digits with trailing zeros removed; comparing
    /// such digit strings lexicographically compares the fractions.
    frac: String,
}

impl Ord for Instant {
    fn cmp(&self, other: &Self) -> Ordering {
        self.secs
            .cmp(&other.secs)
            .then_with(|| self.frac.as_str().cmp(other.frac.as_str()))
    }
}

impl PartialOrd for Instant {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Instant {
    /// This instant moved `secs` seconds later.
    pub fn plus_seconds(&self, secs: i64) -> Instant {
        Instant {
            secs: self.secs.saturating_add(secs),
            frac: self.frac.clone(),
        }
    }

    /// Read `YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)`, strictly; the
    /// message says what is wrong.
    pub(crate) fn from_text(s: &str) -> Result<Instant, String> {
        parse_rfc3339(s)
    }
}

/// A promotion's window: holds at `at` when `from <= at < to`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Window {
    /// Inclusive start, if any.
    pub from: Option<Instant>,
    /// Exclusive end, if any.
    pub to: Option<Instant>,
}

impl Window {
    /// Whether the window holds at `at`. Any window needs an `at`.
    pub fn holds(&self, at: Option<&Instant>) -> bool {
        let Some(at) = at else { return false };
        self.from.as_ref().is_none_or(|f| f <= at) && self.to.as_ref().is_none_or(|t| at < t)
    }
}

fn digits(b: &[u8], from: usize, n: usize) -> Result<i64, String> {
    let mut v: i64 = 0;
    for i in from..from.saturating_add(n) {
        match b.get(i) {
            // At most 4 digits: far inside i64.
            Some(c) if c.is_ascii_digit() => {
                v = v
                    .saturating_mul(10)
                    .saturating_add(i64::from(c.wrapping_sub(b'0')))
            }
            _ => return Err("malformed".to_owned()),
        }
    }
    Ok(v)
}

fn expect(b: &[u8], i: usize, c: u8) -> Result<(), String> {
    if b.get(i) == Some(&c) {
        Ok(())
    } else {
        Err("malformed".to_owned())
    }
}

fn is_leap(y: i64) -> bool {
    (y.rem_euclid(4) == 0 && y.rem_euclid(100) != 0) || y.rem_euclid(400) == 0
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    // Howard Hinnant's algorithm. Years have 4 digits, so every value here
    // is small; saturating operations only make that a checked fact.
    let y = if m <= 2 { y.saturating_sub(1) } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = m.saturating_add(9).rem_euclid(12);
    let doy = mp
        .saturating_mul(153)
        .saturating_add(2)
        .div_euclid(5)
        .saturating_add(d)
        .saturating_sub(1);
    let doe = yoe
        .saturating_mul(365)
        .saturating_add(yoe.div_euclid(4))
        .saturating_sub(yoe.div_euclid(100))
        .saturating_add(doy);
    era.saturating_mul(146_097)
        .saturating_add(doe)
        .saturating_sub(719_468)
}

/// A timestamp's fields as written, before their ranges are checked.
struct Written {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    /// Fractional-second digits, trailing zeros removed.
    frac: String,
    /// The offset from UTC in seconds.
    offset: i64,
}

/// The fields of `YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)`, or why the
/// text does not have that shape.
fn read_fields(s: &str) -> Result<Written, String> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)?;
    expect(b, 4, b'-')?;
    let month = digits(b, 5, 2)?;
    expect(b, 7, b'-')?;
    let day = digits(b, 8, 2)?;
    expect(b, 10, b'T')?;
    let hour = digits(b, 11, 2)?;
    expect(b, 13, b':')?;
    let minute = digits(b, 14, 2)?;
    expect(b, 16, b':')?;
    let second = digits(b, 17, 2)?;
    let mut i = 19;
    let mut frac = String::new();
    if b.get(i) == Some(&b'.') {
        i = i.saturating_add(1);
        let start = i;
        while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i = i.saturating_add(1);
        }
        if i == start {
            return Err("malformed".to_owned());
        }
        frac = s
            .get(start..i)
            .unwrap_or("")
            .trim_end_matches('0')
            .to_owned();
    }
    let offset = read_offset(b, i)?;
    Ok(Written {
        year,
        month,
        day,
        hour,
        minute,
        second,
        frac,
        offset,
    })
}

/// The offset at byte `i`, which must end the text: `Z`, `+hh:mm` or
/// `-hh:mm`, in seconds.
fn read_offset(b: &[u8], i: usize) -> Result<i64, String> {
    match b.get(i) {
        Some(b'Z') if i.saturating_add(1) == b.len() => Ok(0),
        Some(&sign @ (b'+' | b'-')) if i.saturating_add(6) == b.len() => {
            let oh = digits(b, i.saturating_add(1), 2)?;
            expect(b, i.saturating_add(3), b':')?;
            let om = digits(b, i.saturating_add(4), 2)?;
            if oh > 23 || om > 59 {
                return Err("bad offset".to_owned());
            }
            let off = oh
                .saturating_mul(3600)
                .saturating_add(om.saturating_mul(60));
            Ok(if sign == b'-' {
                off.saturating_neg()
            } else {
                off
            })
        }
        _ => Err("malformed".to_owned()),
    }
}

/// Parse `YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)`, strictly.
fn parse_rfc3339(s: &str) -> Result<Instant, String> {
    let w = read_fields(s).map_err(|_| format!("malformed RFC 3339 timestamp '{s}'"))?;
    if !(1..=12).contains(&w.month) {
        return Err("bad month".to_owned());
    }
    let month_days = match w.month {
        2 if is_leap(w.year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if w.day < 1 || w.day > month_days {
        return Err("bad day".to_owned());
    }
    if w.hour > 23 || w.minute > 59 || w.second > 59 {
        return Err("bad time of day (leap seconds are not accepted)".to_owned());
    }
    let secs = days_from_civil(w.year, w.month, w.day)
        .saturating_mul(86_400)
        .saturating_add(w.hour.saturating_mul(3600))
        .saturating_add(w.minute.saturating_mul(60))
        .saturating_add(w.second)
        .saturating_sub(w.offset);
    Ok(Instant { secs, frac: w.frac })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Instant {
        parse_rfc3339(s).unwrap()
    }

    #[test]
    fn offsets_name_the_same_instant() {
        assert_eq!(t("2026-11-11T20:00:00+08:00"), t("2026-11-11T12:00:00Z"));
        assert_eq!(t("2026-12-01T01:59:59Z"), t("2026-12-01T09:59:59+08:00"));
        assert_eq!(t("1970-01-01T00:00:00Z").secs, 0);
        assert_eq!(t("2000-03-01T00:00:00Z").secs, 951_868_800);
        assert!(t("2026-11-11T20:00:00.5+08:00") > t("2026-11-11T20:00:00.45+08:00"));
        assert_eq!(t("2026-11-11T20:00:00.50Z"), t("2026-11-11T20:00:00.5Z"));
        assert!(t("2026-11-11T20:00:00.000001Z") > t("2026-11-11T20:00:00Z"));
    }

    #[test]
    fn strictness() {
        for bad in [
            "2026-11-11T20:00:00",
            "2026-11-11 20:00:00Z",
            "2026-11-11t20:00:00Z",
            "2026-02-30T10:00:00+08:00",
            "2026-13-01T10:00:00Z",
            "2026-11-11T24:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-11-11T20:00:00.Z",
            "2026-11-11T20:00:00+8:00",
            "2026-11-11T20:00:00+08:00 ",
            "11/11/2026 20:00",
            "",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
        assert!(parse_rfc3339("2028-02-29T00:00:00Z").is_ok());
        assert!(parse_rfc3339("2100-02-29T00:00:00Z").is_err());
    }

    #[test]
    fn windows() {
        let w = Window {
            from: Some(t("2026-11-11T20:00:00+08:00")),
            to: Some(t("2026-11-12T00:00:00+08:00")),
        };
        assert!(w.holds(Some(&t("2026-11-11T12:00:00Z"))));
        assert!(!w.holds(Some(&t("2026-11-12T00:00:00+08:00"))));
        assert!(!w.holds(None));
        assert!(!Window::default().holds(None));
        assert!(Window::default().holds(Some(&t("2026-11-12T00:00:00+08:00"))));
    }
}

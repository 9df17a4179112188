//! Dates and times at the precision the source gives: a year, a month, a day, or a moment to the
//! second, written as the matching ISO 8601 prefix (`1987`, `1987-05`, `1987-05-14`,
//! `1987-05-14T10:20:30`).

use std::fmt;

use time::{Month, PrimitiveDateTime, Time, UtcOffset};

/// A date known to a year, a month, a day, or a second. `day` is only set with `month`, and
/// `time` only with `day`. Years run from 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// Hour, minute, second; in UTC when the source gave an offset, otherwise as written.
    pub time: Option<(u8, u8, u8)>,
}

impl PartialDate {
    /// The ISO 8601 prefix at the date's precision: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM:SS`. Written digit by digit: every date value of an ingest passes here,
    /// and through `write!` it was about 3 % of all CPU in a profile of the ingest's floor
    /// (`bench/floor.sh`, reading and mapping only).
    pub fn iso(&self) -> String {
        fn two(out: &mut String, sep: char, n: u8) {
            out.push(sep);
            out.push(char::from(b'0' + n / 10 % 10));
            out.push(char::from(b'0' + n % 10));
        }
        let mut out = String::with_capacity(19);
        let y = self.year.clamp(0, 9999) as u16;
        for d in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            out.push(char::from(b'0' + d as u8));
        }
        let Some(month) = self.month else { return out };
        two(&mut out, '-', month);
        let Some(day) = self.day else { return out };
        two(&mut out, '-', day);
        if let Some((h, m, s)) = self.time {
            two(&mut out, 'T', h);
            two(&mut out, ':', m);
            two(&mut out, ':', s);
        }
        out
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// Reads a date in one of the forms found in Swedish and international sources:
///
/// - ISO 8601 prefixes: `1987`, `1987-05`, `1987-05-14`, `1987-5-4`, also with `/` or `.`
///   between the parts (`1987/05/14`), and a time after `T` or a space:
///   `1987-05-14T10:20`, `1987-05-14 10:20:30.5`, with an optional offset (`Z`, `UTC`, `+02:00`,
///   `+0200`, `-05`) that is applied to give UTC; fractions of a second are dropped;
/// - ISO basic form `19870514`;
/// - European day-first forms `14.05.1987`, `14/05/1987`, `14-5-1987` (optionally with a time);
/// - month names in English or Swedish, full or abbreviated, any case: `14 maj 1987`,
///   `den 14:e maj 1987`, `14 May 1987`, `14th of May 1987`, `May 14, 1987`, `maj 1987`.
///
/// Calendars are checked (no 30 February; leap years). Two-digit years, US month-first numeric
/// forms and weekday names are not read: they are ambiguous or rare, and a wrong date is worse
/// than a flagged one.
pub fn parse_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    match lead {
        4 => year_first(b),
        8 if b.len() == 8 => ymd(num(&b[0..4]), num(&b[4..6]), num(&b[6..8])),
        1 | 2 if b.get(lead).is_some_and(|c| matches!(c, b'.' | b'/' | b'-')) => day_first(b),
        _ => words(s),
    }
}

/// The normalised form of a date value, `None` when it is not one.
pub(crate) fn normalise(s: &str) -> Option<String> {
    parse_date(s).as_ref().map(PartialDate::iso)
}

/// `YYYY[-M[M][-D[D][time]]]`, with `-`, `/` or `.` as the separator.
fn year_first(b: &[u8]) -> Option<PartialDate> {
    let mut c = Cursor { b, pos: 0 };
    let year = c.digits(4, 4)?;
    if c.at_end() {
        return date(year, None, None);
    }
    let sep = c.one_of(b"-/.")?;
    let month = c.digits(1, 2)?;
    if c.at_end() {
        return date(year, Some(month), None);
    }
    c.expect(sep)?;
    let day = c.digits(1, 2)?;
    with_time(ymd(year, month, day)?, &b[c.pos..])
}

/// `D[D].M[M].YYYY[time]`, with `.`, `/` or `-` as the separator.
fn day_first(b: &[u8]) -> Option<PartialDate> {
    let mut c = Cursor { b, pos: 0 };
    let day = c.digits(1, 2)?;
    let sep = c.one_of(b"./-")?;
    let month = c.digits(1, 2)?;
    c.expect(sep)?;
    let year = c.digits(4, 4)?;
    with_time(ymd(year, month, day)?, &b[c.pos..])
}

/// Dates with month names: `14 maj 1987`, `May 14, 1987`, `maj 1987`.
fn words(s: &str) -> Option<PartialDate> {
    #[derive(Clone, Copy)]
    enum Tok {
        /// A number and how many digits it had.
        Num(u32, usize),
        Month(u32),
    }
    let mut toks = [Tok::Num(0, 0); 3];
    let mut n = 0;
    for word in s.split(|c: char| c.is_whitespace() || c == ',') {
        let word = word.strip_suffix('.').unwrap_or(word);
        if word.is_empty()
            || ["den", "the", "of"]
                .iter()
                .any(|w| word.eq_ignore_ascii_case(w))
        {
            continue;
        }
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let tok = if digits > 0 {
            let suffix = &word[digits..];
            let ordinal = ["st", "nd", "rd", "th", ":e", ":a"]
                .iter()
                .any(|o| suffix.eq_ignore_ascii_case(o));
            if !(suffix.is_empty() || (ordinal && digits <= 2)) || digits > 4 {
                return None;
            }
            Tok::Num(num(&word.as_bytes()[..digits]), digits)
        } else {
            Tok::Month(month_number(word)?)
        };
        *toks.get_mut(n)? = tok;
        n += 1;
    }
    match &toks[..n] {
        [Tok::Num(d, 1..=2), Tok::Month(m), Tok::Num(y, 4)]
        | [Tok::Month(m), Tok::Num(d, 1..=2), Tok::Num(y, 4)] => ymd(*y, *m, *d),
        [Tok::Month(m), Tok::Num(y, 4)] => date(*y, Some(*m), None),
        _ => None,
    }
}

/// English and Swedish month names and their usual abbreviations.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [(&str, u32); 33] = [
        ("january", 1),
        ("januari", 1),
        ("jan", 1),
        ("february", 2),
        ("februari", 2),
        ("feb", 2),
        ("march", 3),
        ("mars", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("maj", 5),
        ("june", 6),
        ("juni", 6),
        ("jun", 6),
        ("july", 7),
        ("juli", 7),
        ("jul", 7),
        ("august", 8),
        ("augusti", 8),
        ("aug", 8),
        ("september", 9),
        ("sept", 9),
        ("sep", 9),
        ("october", 10),
        ("oktober", 10),
        ("oct", 10),
        ("okt", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
    ];
    MONTHS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|&(_, m)| m)
}

/// Adds the time of day that may follow a full date: `T`, `t` or a space, then `HH:MM`,
/// optionally `:SS` and a fraction, then optionally (after a space) `Z`, `UTC`, `GMT` or an
/// offset `±HH`, `±HHMM`, `±HH:MM`.
fn with_time(date: PartialDate, rest: &[u8]) -> Option<PartialDate> {
    if rest.is_empty() {
        return Some(date);
    }
    let mut c = Cursor { b: rest, pos: 0 };
    c.one_of(b"Tt ")?;
    let hour = c.digits(2, 2)?;
    c.expect(b':')?;
    let minute = c.digits(2, 2)?;
    let mut second = 0;
    if c.peek() == Some(b':') {
        c.pos += 1;
        second = c.digits(2, 2)?;
        if matches!(c.peek(), Some(b'.' | b',')) {
            c.pos += 1;
            c.digits(1, 9)?;
        }
    }
    let time = Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    let offset = offset(&rest[c.pos..])?;
    let month = Month::try_from(date.month?).ok()?;
    let day = time::Date::from_calendar_date(date.year, month, date.day?).ok()?;
    let at = PrimitiveDateTime::new(day, time)
        .assume_offset(offset)
        .checked_to_offset(UtcOffset::UTC)?;
    let year = at.year();
    (1..=9999).contains(&year).then_some(PartialDate {
        year,
        month: Some(u8::from(at.month())),
        day: Some(at.day()),
        time: Some((at.hour(), at.minute(), at.second())),
    })
}

/// The UTC offset at the end of a time; no offset reads as UTC (the time is kept as written).
fn offset(b: &[u8]) -> Option<UtcOffset> {
    let b = b.strip_prefix(b" ").unwrap_or(b);
    match b {
        b"" | b"Z" | b"z" | b"UTC" | b"GMT" => return Some(UtcOffset::UTC),
        _ => {}
    }
    let (&sign, rest) = b.split_first()?;
    let (hours, minutes) = match rest {
        [h1, h2] => ([*h1, *h2], [b'0', b'0']),
        [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => ([*h1, *h2], [*m1, *m2]),
        _ => return None,
    };
    if !matches!(sign, b'+' | b'-') || !hours.iter().chain(&minutes).all(u8::is_ascii_digit) {
        return None;
    }
    let (hours, minutes) = (num(&hours), num(&minutes));
    if hours > 18 || minutes > 59 {
        return None;
    }
    let (h, m) = (i8::try_from(hours).ok()?, i8::try_from(minutes).ok()?);
    if sign == b'-' {
        UtcOffset::from_hms(-h, -m, 0)
    } else {
        UtcOffset::from_hms(h, m, 0)
    }
    .ok()
}

fn date(year: u32, month: Option<u32>, day: Option<u32>) -> Option<PartialDate> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return None;
    }
    if let (Some(m), Some(d)) = (month, day)
        && !(1..=days_in_month(year, m)).contains(&d)
    {
        return None;
    }
    Some(PartialDate {
        year: i32::try_from(year).ok()?,
        month: month.map(|m| m as u8),
        day: day.map(|d| d as u8),
        time: None,
    })
}

fn ymd(year: u32, month: u32, day: u32) -> Option<PartialDate> {
    date(year, Some(month), Some(day))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// The value of a short run of ASCII digits (callers bound its length).
fn num(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// A run of `min..=max` ASCII digits, as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let run = self.b[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if run < min || run > max {
            return None;
        }
        let n = num(&self.b[self.pos..self.pos + run]);
        self.pos += run;
        Some(n)
    }

    fn one_of(&mut self, set: &[u8]) -> Option<u8> {
        let c = self.peek().filter(|c| set.contains(c))?;
        self.pos += 1;
        Some(c)
    }

    fn expect(&mut self, want: u8) -> Option<()> {
        self.one_of(&[want]).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(
            parse_date(input).map(|d| d.to_string()).as_deref(),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn iso_prefixes() {
        check("1987", Some("1987"));
        check("1987-05", Some("1987-05"));
        check("1987-05-14", Some("1987-05-14"));
        check("1987-5-4", Some("1987-05-04"));
        check("1987/05/14", Some("1987-05-14"));
        check("1987.05.14", Some("1987-05-14"));
        check("19870514", Some("1987-05-14"));
        check(" 1987-05-14 ", Some("1987-05-14"));
    }

    #[test]
    fn times() {
        check("1987-05-14T10:20:30", Some("1987-05-14T10:20:30"));
        check("1987-05-14 10:20", Some("1987-05-14T10:20:00"));
        check("1987-05-14T10:20:30Z", Some("1987-05-14T10:20:30"));
        check("1987-05-14T10:20:30.123456Z", Some("1987-05-14T10:20:30"));
        check("1987-05-14T10:20:30+02:00", Some("1987-05-14T08:20:30"));
        check("1987-05-14T10:20:30+0200", Some("1987-05-14T08:20:30"));
        check("1987-05-14T23:30:00-02", Some("1987-05-15T01:30:00"));
        check("1999-12-31T23:30:00-01:00", Some("2000-01-01T00:30:00"));
        check("1987-05-14 10:20:30 UTC", Some("1987-05-14T10:20:30"));
        check("14.05.1987 10:20", Some("1987-05-14T10:20:00"));
        check("0001-01-01T00:30:00+01:00", None);
        check("1987-05-14T24:00:00", None);
        check("1987-05-14T10:60", None);
        check("1987-05-14T10:20:61", None);
        check("1987-05-14T", None);
        check("1987-05-14T10", None);
        check("1987-05-14T10:20+25:00", None);
        check("1987-05-14T10:20 CET", None);
        check("1987-05T10:20", None);
    }

    #[test]
    fn day_first() {
        check("14.05.1987", Some("1987-05-14"));
        check("14/05/1987", Some("1987-05-14"));
        check("4-5-1987", Some("1987-05-04"));
        check("31.12.1999", Some("1999-12-31"));
        check("14.05/1987", None);
        check("14.05.87", None);
        check("05/14/1987", None);
    }

    #[test]
    fn month_names() {
        check("14 maj 1987", Some("1987-05-14"));
        check("den 14:e maj 1987", Some("1987-05-14"));
        check("1 Januari 2020", Some("2020-01-01"));
        check("14 May 1987", Some("1987-05-14"));
        check("14th of May 1987", Some("1987-05-14"));
        check("May 14, 1987", Some("1987-05-14"));
        check("Sept. 3, 2001", Some("2001-09-03"));
        check("3 okt. 2001", Some("2001-10-03"));
        check("MARS 2020", Some("2020-03"));
        check("maj 1987", Some("1987-05"));
        check("30 februari 2023", None);
        check("14 Mayo 1987", None);
        check("14 maj", None);
        check("maj 14 1987 extra", None);
        check("14 15 maj 1987", None);
        check("123rd May 1987", None);
    }

    #[test]
    fn calendar_is_checked() {
        check("2023-02-30", None);
        check("2023-02-29", None);
        check("2024-02-29", Some("2024-02-29"));
        check("2000-02-29", Some("2000-02-29"));
        check("1900-02-29", None);
        check("2023-04-31", None);
        check("2023-13-01", None);
        check("2023-00-10", None);
        check("2023-01-00", None);
        check("0000", None);
        check("20230230", None);
    }

    #[test]
    fn not_dates() {
        for s in [
            "",
            "abc",
            "87",
            "198",
            "19870",
            "1987-",
            "1987-05-",
            "1987--05",
            "1987-05-14-",
            "1987-005-14",
            "12345678901",
            "1987 05 14",
            "+1987",
            "1987-05-14T10:20:30.",
            "ett två tre",
            "👍 1987",
        ] {
            check(s, None);
        }
        check(&"1".repeat(10_000), None);
    }

    #[test]
    fn display_pads() {
        let d = PartialDate {
            year: 33,
            month: Some(1),
            day: Some(2),
            time: Some((3, 4, 5)),
        };
        assert_eq!(d.to_string(), "0033-01-02T03:04:05");
        let d = PartialDate {
            year: 33,
            month: None,
            day: Some(2),
            time: None,
        };
        assert_eq!(d.to_string(), "0033");
    }

    proptest! {
        #[test]
        fn valid_dates_round_trip(y in 1u32..=9999, m in 1u32..=12, d in 1u32..=31, h in 0u8..24, mi in 0u8..60, s in 0u8..60) {
            let valid = d <= days_in_month(y, m);
            let iso = format!("{y:04}-{m:02}-{d:02}");
            let parsed = parse_date(&iso);
            prop_assert_eq!(parsed.is_some(), valid);
            if valid {
                prop_assert_eq!(parsed.unwrap().to_string(), iso.clone());
                for other in [format!("{d}.{m}.{y:04}"), format!("{d:02}/{m:02}/{y:04}"), format!("{y:04}{m:02}{d:02}")] {
                    prop_assert_eq!(normalise(&other), Some(iso.clone()));
                }
                let full = format!("{iso}T{h:02}:{mi:02}:{s:02}");
                prop_assert_eq!(normalise(&full), Some(full.clone()));
            }
        }

        #[test]
        fn never_panics(s in any::<String>()) {
            if let Some(d) = parse_date(&s) {
                prop_assert_eq!(parse_date(&d.to_string()), Some(d));
            }
        }
    }
}

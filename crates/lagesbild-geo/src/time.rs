//! Times as seconds since 1970-01-01 (the local wall clock as written, no time zone), read from
//! ISO dates and date-times and from Swedish day-first dates; calendar steps (days, weeks
//! starting on Monday, months) for series and space-time cubes.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn date(y: i64, m: i64, d: i64) -> Option<i64> {
    let (m, d) = (u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Seconds since 1970 of `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (also with a space, a trailing
/// `Z` or fractional seconds), `YYYY-MM` (the first of the month) or `DD.MM.YYYY`.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    let (day_part, clock) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let days = if day_part.contains('.') {
        let mut it = day_part.split('.');
        let (d, m, y) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
        if it.next().is_some() {
            return None;
        }
        date(y, m, d)?
    } else {
        let mut it = day_part.split('-');
        let y = it.next().filter(|y| y.len() == 4).and_then(num)?;
        let m = num(it.next()?)?;
        let d = match it.next() {
            Some(d) => num(d)?,
            None => 1,
        };
        if it.next().is_some() {
            return None;
        }
        date(y, m, d)?
    };
    let mut secs = days * 86_400;
    if let Some(c) = clock {
        let c = c.trim_end_matches('Z');
        let c = c.split('.').next().unwrap_or(c);
        let mut it = c.split(':');
        let h = num(it.next()?)?;
        let mi = num(it.next()?)?;
        let se = it.next().map(num).unwrap_or(Some(0))?;
        if h > 23 || mi > 59 || se > 60 || it.next().is_some() {
            return None;
        }
        secs += h * 3600 + mi * 60 + se;
    }
    Some(secs)
}

/// `YYYY-MM-DD` of a time.
pub fn format_date(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// A calendar step: a number of days, ISO weeks (from Monday) or calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl Step {
    /// `day`, `week`, `month`, or `Nd`, `Nw`, `Nm` (e.g. `14d`, `3m`).
    pub fn parse(s: &str) -> Option<Step> {
        match s.trim() {
            "day" | "daily" => Some(Step::Days(1)),
            "week" | "weekly" => Some(Step::Weeks(1)),
            "month" | "monthly" => Some(Step::Months(1)),
            s if s.len() > 1 => {
                let (n, unit) = s.split_at(s.len() - 1);
                let n: u32 = n.parse().ok().filter(|&n| n > 0)?;
                match unit {
                    "d" => Some(Step::Days(n)),
                    "w" => Some(Step::Weeks(n)),
                    "m" => Some(Step::Months(n)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The start of the step that holds `secs` when steps are counted from the step that
    /// holds `origin` (weeks start on Monday, months on the first).
    pub fn floor(self, secs: i64) -> i64 {
        let day = secs.div_euclid(86_400);
        match self {
            Step::Days(_) => day * 86_400,
            Step::Weeks(_) => (day - (day + 3).rem_euclid(7)) * 86_400,
            Step::Months(_) => {
                let (y, m, _) = civil_from_days(day);
                days_from_civil(y, m, 1) * 86_400
            }
        }
    }

    /// The index of the step holding `secs`, counting from the step that holds `origin`.
    pub fn index(self, origin: i64, secs: i64) -> i64 {
        let (o, t) = (self.floor(origin), self.floor(secs));
        match self {
            Step::Days(n) => (t - o).div_euclid(86_400 * i64::from(n)),
            Step::Weeks(n) => (t - o).div_euclid(7 * 86_400 * i64::from(n)),
            Step::Months(n) => {
                let (y0, m0, _) = civil_from_days(o.div_euclid(86_400));
                let (y1, m1, _) = civil_from_days(t.div_euclid(86_400));
                ((y1 - y0) * 12 + i64::from(m1) - i64::from(m0)).div_euclid(i64::from(n))
            }
        }
    }

    /// The start of step `k` counted from the step that holds `origin`.
    pub fn start(self, origin: i64, k: i64) -> i64 {
        let o = self.floor(origin);
        match self {
            Step::Days(n) => o + k * i64::from(n) * 86_400,
            Step::Weeks(n) => o + k * i64::from(n) * 7 * 86_400,
            Step::Months(n) => {
                let (y, m, _) = civil_from_days(o.div_euclid(86_400));
                let total = y * 12 + i64::from(m) - 1 + k * i64::from(n);
                days_from_civil(total.div_euclid(12), (total.rem_euclid(12) + 1) as u32, 1) * 86_400
            }
        }
    }

    /// How many steps make a year (for seasonal baselines), if a whole number do.
    pub fn per_year(self) -> Option<usize> {
        match self {
            Step::Weeks(1) => Some(52),
            Step::Months(n) if 12 % n == 0 => Some((12 / n) as usize),
            Step::Days(1) => Some(365),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("1970-01-02T01:00"), Some(86_400 + 3600));
        assert_eq!(
            parse("2026-01-06T14:02:00"),
            parse("06.01.2026").map(|d| d + 50_520)
        );
        assert_eq!(parse("2026-02"), parse("2026-02-01"));
        assert_eq!(parse("2026-02-30"), None);
        assert_eq!(parse("2026-13-01"), None);
        assert_eq!(parse("yesterday"), None);
        assert_eq!(format_date(parse("2024-02-29").unwrap()), "2024-02-29");
        for d in -800_000..800_000i64 {
            if d % 997 == 0 {
                let (y, m, dd) = civil_from_days(d);
                assert_eq!(days_from_civil(y, m, dd), d);
            }
        }
    }

    #[test]
    fn steps() {
        let t = parse("2026-01-07").unwrap(); // a Wednesday
        assert_eq!(format_date(Step::Weeks(1).floor(t)), "2026-01-05");
        assert_eq!(Step::Months(1).index(t, parse("2027-03-31").unwrap()), 14);
        assert_eq!(format_date(Step::Months(1).start(t, 14)), "2027-03-01");
        assert_eq!(Step::Weeks(1).index(t, parse("2026-01-12").unwrap()), 1);
        assert_eq!(Step::parse("14d"), Some(Step::Days(14)));
        assert_eq!(Step::parse("x"), None);
    }
}

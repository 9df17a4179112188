//! Decimal numbers as written in Swedish and international sources (`1 200,50`, `1.200,50`,
//! `1,200.50`, `-3,5`), normalised to a plain decimal without thousands separators (`1200.5`).
//! The digits are kept exactly: no floating point, no rounding, any size.

/// A decimal number read from text. `int` has no leading zeros (`"0"` for none), `frac` no
/// trailing zeros (empty for an integer); both are ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub negative: bool,
    pub int: String,
    pub frac: String,
}

impl Decimal {
    pub fn is_zero(&self) -> bool {
        self.int == "0" && self.frac.is_empty()
    }

    /// `[-]int[.frac]`, the fraction padded with zeros to at least `min_frac` digits. Zero has no
    /// sign.
    pub fn format(&self, min_frac: usize) -> String {
        let mut out = String::with_capacity(self.int.len() + self.frac.len().max(min_frac) + 2);
        if self.negative && !self.is_zero() {
            out.push('-');
        }
        out.push_str(&self.int);
        if !self.frac.is_empty() || min_frac > 0 {
            out.push('.');
            out.push_str(&self.frac);
            for _ in self.frac.len()..min_frac {
                out.push('0');
            }
        }
        out
    }
}

/// Reads a decimal number: an optional sign (`-`, `+`, `−`), digits, at most one decimal
/// separator and thousands separators in groups of three.
///
/// - With both `.` and `,`, the last one is the decimal separator and the other groups
///   thousands (`1.200,50`, `1,200.50`).
/// - With only one kind, once, it is the decimal separator: `1,5` (Swedish) and `1.5` both read
///   1.5, and so do `1,200` and `1.200` (1.2: in Swedish sources the comma is the decimal
///   separator, and a lone dot is one everywhere else).
/// - With only one kind, several times, it groups thousands (`1.200.000`, `1,200,000`).
/// - Spaces group thousands (`1 200 000,50`) and may not be mixed with another grouping.
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let (negative, body) = if let Some(rest) = s.strip_prefix(['-', '−']) {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    };
    let (mut dots, mut commas, mut spaces) = (0usize, 0usize, 0usize);
    let (mut last_dot, mut last_comma) = (0usize, 0usize);
    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' => {}
            '.' => (dots, last_dot) = (dots + 1, i),
            ',' => (commas, last_comma) = (commas + 1, i),
            ' ' => spaces += 1,
            _ => return None,
        }
    }
    let decimal = if dots > 0 && commas > 0 {
        let (sep, count) = if last_dot > last_comma {
            ('.', dots)
        } else {
            (',', commas)
        };
        if count != 1 {
            return None;
        }
        Some(sep)
    } else if dots == 1 {
        Some('.')
    } else if commas == 1 {
        Some(',')
    } else {
        None
    };
    let punct_group = if dots > 0 && decimal != Some('.') {
        Some('.')
    } else if commas > 0 && decimal != Some(',') {
        Some(',')
    } else {
        None
    };
    let group = match (punct_group, spaces > 0) {
        (Some(_), true) => return None,
        (Some(g), false) => Some(g),
        (None, true) => Some(' '),
        (None, false) => None,
    };
    let (int_part, frac_part) = match decimal {
        Some(sep) => {
            let (i, f) = body.split_once(sep)?;
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (i, f)
        }
        None => (body, ""),
    };
    let mut int = String::with_capacity(int_part.len());
    match group {
        Some(g) => {
            for (n, chunk) in int_part.split(g).enumerate() {
                let ok_len = if n == 0 {
                    (1..=3).contains(&chunk.len())
                } else {
                    chunk.len() == 3
                };
                if !ok_len || !chunk.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                int.push_str(chunk);
            }
        }
        None => {
            if !int_part.bytes().all(|b| b.is_ascii_digit())
                || (int_part.is_empty() && frac_part.is_empty())
            {
                return None;
            }
            int.push_str(int_part);
        }
    }
    let zeros = int.bytes().take_while(|&b| b == b'0').count();
    int.drain(..zeros);
    if int.is_empty() {
        int.push('0');
    }
    let frac = frac_part.trim_end_matches('0').to_owned();
    Some(Decimal {
        negative,
        int,
        frac,
    })
}

/// The normalised form of a number value, `None` when it is not one.
pub(crate) fn normalise(s: &str) -> Option<String> {
    parse_decimal(s).map(|d| d.format(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn numbers() {
        check("0", Some("0"));
        check("42", Some("42"));
        check("007", Some("7"));
        check("-0", Some("0"));
        check("-0,00", Some("0"));
        check("+5", Some("5"));
        check("−3,5", Some("-3.5"));
        check("3,50", Some("3.5"));
        check("3.50", Some("3.5"));
        check(".5", Some("0.5"));
        check("1 200", Some("1200"));
        check("1 200 000,75", Some("1200000.75"));
        check("1.200,50", Some("1200.5"));
        check("1,200.50", Some("1200.5"));
        check("1.200.000", Some("1200000"));
        check("1,200,000", Some("1200000"));
        check("1,200", Some("1.2"));
        check("1.200", Some("1.2"));
        check("1 200.000", Some("1200"));
        check(
            "12345678901234567890.123456789",
            Some("12345678901234567890.123456789"),
        );
    }

    #[test]
    fn not_numbers() {
        for s in [
            "",
            "-",
            "+",
            ".",
            ",",
            "5.",
            "5,",
            "1..2",
            "1.2.3,4,5",
            "1,2,3.4.5",
            "12 34",
            "1 2000",
            "1.20.000",
            "1,200,00",
            "1e5",
            "0x1f",
            "12 apples",
            "NaN",
            "inf",
            "--5",
            "5-",
            "½",
            "١٢٣",
            "1_000",
        ] {
            check(s, None);
        }
    }

    proptest! {
        #[test]
        fn formatted_integers_read_back(n in any::<i64>(), frac in "[0-9]{0,6}") {
            let plain = if frac.is_empty() { n.to_string() } else { format!("{n}.{frac}") };
            let want = normalise(&plain).unwrap();
            // Thousands grouping with spaces (and a Swedish decimal comma) does not change it.
            let digits = n.unsigned_abs().to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(' ');
                }
                grouped.push(c);
            }
            let sign = if n < 0 { "-" } else { "" };
            let swedish = if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped},{frac}") };
            prop_assert_eq!(normalise(&swedish), Some(want.clone()));
            prop_assert_eq!(normalise(&want), Some(want.clone()));
        }
    }
}

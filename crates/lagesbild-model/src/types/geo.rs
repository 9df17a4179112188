//! Geographic points in decimal degrees (WGS 84), normalised to `"lat,lon"` with six decimals
//! (about 0.1 m): `59.3293 18.0686` → `59.329300,18.068600`.

/// Reads a point as latitude and longitude in decimal degrees.
///
/// Accepted: `lat,lon`, `lat, lon`, `lat lon`, `lat;lon`, each number optionally signed and
/// followed by `°`; hemisphere letters before or after each number (`59.33N 18.07E`,
/// `N 59.33, E 18.07`, `33.9S 18.4E`; also Swedish `Ö` and `V` for east and west), in which
/// case the order may also be longitude first; Swedish decimal commas when the two numbers are
/// separated by a space and no dot is used (`59,3293 18,0686`). Latitude must lie within ±90,
/// longitude within ±180. Degrees-minutes-seconds notation is not read.
pub fn parse_geo(s: &str) -> Option<(f64, f64)> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    let swapped;
    let s = if !s.contains('.') && s.contains(char::is_whitespace) && s.matches(',').count() == 2 {
        swapped = s.replace(',', ".");
        swapped.as_str()
    } else {
        s
    };
    let mut p = Parser { s, pos: 0 };
    let first = p.coordinate()?;
    let separated = p.separator();
    if !separated && first.hemisphere.is_none() {
        return None;
    }
    let second = p.coordinate()?;
    p.skip_spaces();
    if p.pos != s.len() {
        return None;
    }
    let (lat, lon) = match (first.hemisphere, second.hemisphere) {
        (None, None) => (first.value, second.value),
        (Some(a), Some(b)) => match (a.is_latitude(), b.is_latitude()) {
            (true, false) => (first.signed(), second.signed()),
            (false, true) => (second.signed(), first.signed()),
            _ => return None,
        },
        _ => return None,
    };
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// The normalised form of a geo value, `None` when it is not one.
pub(crate) fn normalise(s: &str) -> Option<String> {
    let (lat, lon) = parse_geo(s)?;
    Some(format!("{:.6},{:.6}", six_decimals(lat), six_decimals(lon)))
}

/// `x` rounded to six decimals, without a negative zero.
fn six_decimals(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Hemisphere {
    North,
    South,
    East,
    West,
}

impl Hemisphere {
    fn from_char(c: char) -> Option<Self> {
        Some(match c {
            'N' | 'n' => Hemisphere::North,
            'S' | 's' => Hemisphere::South,
            'E' | 'e' | 'Ö' | 'ö' | 'O' | 'o' => Hemisphere::East,
            'W' | 'w' | 'V' | 'v' => Hemisphere::West,
            _ => return None,
        })
    }

    fn is_latitude(self) -> bool {
        matches!(self, Hemisphere::North | Hemisphere::South)
    }
}

struct Coordinate {
    value: f64,
    hemisphere: Option<Hemisphere>,
}

impl Coordinate {
    fn signed(&self) -> f64 {
        match self.hemisphere {
            Some(Hemisphere::South | Hemisphere::West) => -self.value,
            _ => self.value,
        }
    }
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn hemisphere(&mut self) -> Option<Hemisphere> {
        let h = Hemisphere::from_char(self.peek()?)?;
        self.bump();
        Some(h)
    }

    /// `[H] [±]digits[.digits][°] [H]`, with optional spaces around the letter.
    fn coordinate(&mut self) -> Option<Coordinate> {
        self.skip_spaces();
        let before = self.hemisphere();
        self.skip_spaces();
        let negative = matches!(self.peek(), Some('-' | '−'));
        if matches!(self.peek(), Some('-' | '−' | '+')) {
            self.bump();
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.bump();
        }
        let number = &self.s[start..self.pos];
        if !number.bytes().any(|b| b.is_ascii_digit()) || number.matches('.').count() > 1 {
            return None;
        }
        let magnitude: f64 = number.parse().ok()?;
        if self.peek() == Some('°') {
            self.bump();
        }
        let after = if before.is_none() {
            let mark = self.pos;
            self.skip_spaces();
            let h = self.hemisphere();
            // A letter must end the coordinate: `N` yes, the start of `North` no.
            if h.is_some() && self.peek().is_some_and(char::is_alphabetic) {
                return None;
            }
            if h.is_none() {
                self.pos = mark;
            }
            h
        } else {
            None
        };
        let hemisphere = before.or(after);
        if negative && hemisphere.is_some() {
            return None;
        }
        Some(Coordinate {
            value: if negative { -magnitude } else { magnitude },
            hemisphere,
        })
    }

    /// Spaces and at most one `,` or `;` between the two coordinates; whether there was any.
    fn separator(&mut self) -> bool {
        let start = self.pos;
        self.skip_spaces();
        if matches!(self.peek(), Some(',' | ';')) {
            self.bump();
        }
        self.skip_spaces();
        self.pos != start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn points() {
        check("59.3293,18.0686", Some("59.329300,18.068600"));
        check("59.3293, 18.0686", Some("59.329300,18.068600"));
        check("59.3293 18.0686", Some("59.329300,18.068600"));
        check("59.3293;18.0686", Some("59.329300,18.068600"));
        check("59,3293 18,0686", Some("59.329300,18.068600"));
        check("-33.9249, 18.4241", Some("-33.924900,18.424100"));
        check("+59.3293 +18.0686", Some("59.329300,18.068600"));
        check("59.3293N 18.0686E", Some("59.329300,18.068600"));
        check("59.3293° N, 18.0686° E", Some("59.329300,18.068600"));
        check("N 59.3293, E 18.0686", Some("59.329300,18.068600"));
        check("33.9249S 18.4241E", Some("-33.924900,18.424100"));
        check("18.0686E 59.3293N", Some("59.329300,18.068600"));
        check("40.7128N 74.0060W", Some("40.712800,-74.006000"));
        check("59.3293N18.0686E", Some("59.329300,18.068600"));
        check("59.3293 N 18.0686 Ö", Some("59.329300,18.068600"));
        check("90,180", Some("90.000000,180.000000"));
        check("-90,-180", Some("-90.000000,-180.000000"));
        check("0,0", Some("0.000000,0.000000"));
        check("-0.0000001,0.0000004", Some("0.000000,0.000000"));
        check("59.12345678,18.1234565", Some("59.123457,18.123457"));
    }

    #[test]
    fn not_points() {
        for s in [
            "",
            "59.3293",
            "91,10",
            "-90.1,0",
            "10,181",
            "10,-180.5",
            "59.3293 18.0686 12",
            "abc",
            "59.3.2,18",
            "59.3293N 18.0686N",
            "59.3293E 18.0686W",
            "59.3293N 18.0686",
            "-59.3S 18E",
            "59.3293,,18.0686",
            "nan,nan",
            "inf,0",
            "1e3,4",
            "59°19'45\"N 18°04'07\"E",
            "North 59, East 18",
            ".,.",
            "59.3 18.0x",
        ] {
            check(s, None);
        }
    }

    proptest! {
        #[test]
        fn normalised_points_read_back(lat in -90.0f64..=90.0, lon in -180.0f64..=180.0) {
            let once = normalise(&format!("{lat} {lon}")).unwrap();
            prop_assert_eq!(normalise(&once), Some(once.clone()));
            let (a, b) = parse_geo(&once).unwrap();
            prop_assert!((a - lat).abs() <= 5e-7 && (b - lon).abs() <= 5e-7);
        }
    }
}

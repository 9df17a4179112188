//! Dates written in a declared format (a mapping's `format: "%d.%m.%Y"`), turned into ISO 8601.
//! Supports `%Y %y %m %d %H %M %S %b %B %%` and literal characters, as FtM mappings use them.

/// Parses `s` with `fmt` and returns the ISO form at the precision the format gives, or `None`.
pub fn parse(s: &str, fmt: &str) -> Option<String> {
    let (mut y, mut mo, mut d, mut h, mut mi, mut se) = (None, None, None, None, None, None);
    let mut input = s.trim();
    let mut f = fmt.chars();
    while let Some(c) = f.next() {
        if c != '%' {
            input = input.strip_prefix(c)?;
            continue;
        }
        let spec = f.next()?;
        match spec {
            'Y' => (y, input) = take_num(input, 4, 4)?,
            'y' => {
                let (v, rest) = take_num(input, 2, 2)?;
                let v = v?;
                // the POSIX pivot: 69–99 → 1900s, 00–68 → 2000s
                y = Some(if v >= 69 { 1900 + v } else { 2000 + v });
                input = rest;
            }
            'm' => (mo, input) = take_num(input, 1, 2)?,
            'd' => (d, input) = take_num(input, 1, 2)?,
            'H' => (h, input) = take_num(input, 1, 2)?,
            'M' => (mi, input) = take_num(input, 1, 2)?,
            'S' => (se, input) = take_num(input, 1, 2)?,
            'b' | 'B' => {
                let end = input
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(input.len());
                let m = month(&input[..end])?;
                mo = Some(m);
                input = &input[end..];
            }
            '%' => input = input.strip_prefix('%')?,
            _ => return None,
        }
    }
    if !input.is_empty() {
        return None;
    }
    let y = y?;
    let mut out = format!("{y:04}");
    if let Some(m) = mo {
        out.push_str(&format!("-{m:02}"));
        if let Some(d) = d {
            out.push_str(&format!("-{d:02}"));
            if let Some(h) = h {
                out.push_str(&format!(
                    "T{h:02}:{:02}:{:02}",
                    mi.unwrap_or(0),
                    se.unwrap_or(0)
                ));
            }
        }
    }
    // the calendar check is the date type's
    lagesbild_model::types::parse_date(&out).map(|d| d.to_string())
}

/// Takes `min..=max` ASCII digits; the value is `None` only when it overflows.
fn take_num(input: &str, min: usize, max: usize) -> Option<(Option<u32>, &str)> {
    let n = input
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if n < min {
        return None;
    }
    Some((input[..n].parse().ok(), &input[n..]))
}

fn month(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let prefix: String = n.chars().take(3).collect();
    Some(match prefix.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" | "maj" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" | "okt" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn formats() {
        for (s, f, out) in [
            ("14.05.1987", "%d.%m.%Y", Some("1987-05-14")),
            ("5/4/87", "%d/%m/%y", Some("1987-04-05")),
            ("03/01/21", "%d/%m/%y", Some("2021-01-03")),
            ("14 maj 1987", "%d %b %Y", Some("1987-05-14")),
            (
                "2024-03-01 13:05",
                "%Y-%m-%d %H:%M",
                Some("2024-03-01T13:05:00"),
            ),
            ("1987", "%Y", Some("1987")),
            ("30.02.1987", "%d.%m.%Y", None),
            ("14.05.1987x", "%d.%m.%Y", None),
            ("", "%Y", None),
        ] {
            assert_eq!(parse(s, f).as_deref(), out, "{s} with {f}");
        }
    }
}

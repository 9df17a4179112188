//! Printing results: JSON for pipes, plain aligned text for people.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

/// Writes `value` as pretty JSON to stdout.
pub fn json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Marks the byte ranges of `text` with `[` `]` (plain text stays plain in pipes and files).
pub fn highlight(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 2);
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push('[');
        out.push_str(&text[s..e]);
        out.push(']');
        at = e;
    }
    out.push_str(&text[at..]);
    out.replace('\n', " ⏎ ")
}

/// Thousands separated by a thin space, as in Swedish typesetting.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_and_counts() {
        assert_eq!(highlight("köpa koks nu", &[(6, 10)]), "köpa [koks] nu");
        assert_eq!(highlight("a\nb", &[(9, 12)]), "a ⏎ b");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(count(999), "999");
    }
}

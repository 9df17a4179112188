//! The cleaning every value goes through before its type's normaliser: control and invisible
//! format characters stripped, whitespace collapsed, trimmed, Unicode NFC.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// How whitespace is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// One line: every run of whitespace (newlines and tabs included) becomes one space.
    Line,
    /// Free text: newlines (`\r\n` and `\r` read as `\n`) and tabs are kept, runs of other
    /// whitespace become one space, spaces at line ends are dropped.
    Multiline,
    /// JSON: whitespace outside string literals is collapsed as in `Line`; string literals are
    /// kept as they are, except that control characters in them (invalid in JSON anyway) are
    /// dropped.
    Json,
}

/// Cleans `raw`; `None` when nothing but whitespace and invisible characters is left.
pub(crate) fn clean(raw: &str, mode: Mode) -> Option<String> {
    // Most values of registers are printable ASCII with single spaces inside: clean already, in
    // every mode (`clean_chars` would copy them as they are).
    let b = raw.as_bytes();
    if b.first().is_some_and(|c| *c != b' ')
        && b.last().is_some_and(|c| *c != b' ')
        && b.iter().all(|c| (0x20..0x7f).contains(c))
        && !raw.contains("  ")
    {
        return Some(raw.to_owned());
    }
    clean_chars(raw, mode)
}

/// `clean`, character by character.
fn clean_chars(raw: &str, mode: Mode) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    // Whitespace seen since the last kept character; written out before the next one.
    let mut pending_space = false;
    let mut pending_breaks: usize = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            if c.is_control() || is_invisible(c) {
                continue;
            }
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if mode == Mode::Multiline && matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\t') {
            if c == '\r' && chars.peek() == Some(&'\n') {
                continue;
            }
            pending_space = false;
            if out.is_empty() {
                continue;
            }
            if c == '\t' {
                flush_breaks(&mut out, &mut pending_breaks);
                out.push('\t');
            } else {
                // Tabs right before a line break are trailing whitespace too.
                while out.ends_with('\t') {
                    out.pop();
                }
                pending_breaks = pending_breaks.saturating_add(1);
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        flush_breaks(&mut out, &mut pending_breaks);
        if pending_space && !out.is_empty() && !out.ends_with(['\n', '\t']) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
        if mode == Mode::Json && c == '"' {
            in_string = true;
            escaped = false;
        }
    }
    // Trailing whitespace: tabs, and line breaks a tab flushed before it (found by fuzzing:
    // "a\n\t" gave "a\n", which cleaned again gives "a").
    while out.ends_with(['\t', '\n']) {
        out.pop();
    }
    if out.is_empty() {
        return None;
    }
    if out.is_ascii() || is_nfc_quick(out.chars()) == IsNormalized::Yes {
        Some(out)
    } else {
        Some(out.nfc().collect())
    }
}

fn flush_breaks(out: &mut String, pending: &mut usize) {
    for _ in 0..*pending {
        out.push('\n');
    }
    *pending = 0;
}

/// Invisible format characters that only get in the way of matching: soft hyphen, zero-width
/// space, direction marks and embeddings, word joiners, byte-order mark. Zero-width (non-)joiners
/// stay: Persian and Indic spelling and emoji sequences need them.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mode: Mode, input: &str, expected: Option<&str>) {
        assert_eq!(
            clean(input, mode).as_deref(),
            expected,
            "{mode:?} {input:?}"
        );
    }

    #[test]
    fn line_mode() {
        let m = Mode::Line;
        check(m, "", None);
        check(m, " \t\r\n\u{a0}\u{3000}", None);
        check(m, "\u{0}\u{1}\u{1b}[0m", Some("[0m"));
        check(m, "  Anna \n\t Svensson  ", Some("Anna Svensson"));
        check(m, "An\u{ad}na\u{200b}", Some("Anna"));
        check(m, "\u{feff}\u{202e}abc\u{202c}", Some("abc"));
        check(m, "e\u{301}", Some("é"));
        check(m, "e\u{0}\u{301}", Some("é"));
        check(m, "می\u{200c}خواهم", Some("می\u{200c}خواهم"));
        check(m, "👩\u{200d}👧", Some("👩\u{200d}👧"));
    }

    #[test]
    fn multiline_mode() {
        let m = Mode::Multiline;
        check(m, "a\r\nb\rc\nd", Some("a\nb\nc\nd"));
        check(m, "\n\n  a  b  \n\n\n c\t\td \t\n", Some("a b\n\n\nc\t\td"));
        check(m, "a \t\nb", Some("a\nb"));
        check(m, "\t a", Some("a"));
        check(m, "a\u{2028}b", Some("a\nb"));
        // found by fuzzing: a tab after a break flushed the break, which outlived the tab
        check(m, "$(,\n,\0\n\t", Some("$(,\n,"));
        check(m, "a\n\t", Some("a"));
    }

    proptest::proptest! {
        /// The shortcut for clean ASCII gives what the full cleaning gives.
        #[test]
        fn the_ascii_shortcut_changes_nothing(raw in "[ -~]{0,40}", mode in 0u8..3) {
            let mode = [Mode::Line, Mode::Multiline, Mode::Json][usize::from(mode)];
            proptest::prop_assert_eq!(clean(&raw, mode), clean_chars(&raw, mode));
        }
    }

    #[test]
    fn json_mode() {
        let m = Mode::Json;
        check(m, "{\n  \"a\":  \"x   y\"\n}", Some("{ \"a\": \"x   y\" }"));
        check(m, r#"["a\"  b",  1]"#, Some(r#"["a\"  b", 1]"#));
        check(m, "[\"a\tb\"]", Some("[\"ab\"]"));
        check(m, "\"unterminated   ", Some("\"unterminated   "));
    }
}

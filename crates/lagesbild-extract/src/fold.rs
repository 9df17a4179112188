//! Lower-casing that keeps every byte where it was, so offsets found in the folded text are
//! offsets in the original.
//!
//! ASCII letters, the Latin-1 letters `À`–`Þ` and the Cyrillic `А`–`Я` (two bytes in UTF-8, as
//! are their lower-case forms) are folded; every other character is left as it is. That covers Swedish (`Å Ä Ö`)
//! and the other Latin-1 languages the product meets; a capital outside Latin-1 is simply not
//! folded, which costs a missed match on a word written in capitals, never a wrong offset.

/// The folded bytes of `text`, as long as `text`.
#[cfg(test)]
pub(crate) fn fold(text: &str) -> Vec<u8> {
    let mut out = text.as_bytes().to_vec();
    fold_in_place(&mut out);
    out
}

/// Folds UTF-8 bytes in place (see the module).
pub(crate) fn fold_in_place(b: &mut [u8]) {
    // ASCII in one vectorised pass (it leaves bytes above 0x7F alone), then the two-byte
    // letters
    b.make_ascii_lowercase();
    fold_two_byte(b);
}

/// The folded copy of `text` in `out` (cleared first): the ASCII letters folded while copying.
pub(crate) fn fold_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.resize(text.len(), 0);
    // a loop over two slices of the same length, which the compiler vectorises
    for (o, c) in out.iter_mut().zip(text.as_bytes()) {
        *o = c.to_ascii_lowercase();
    }
    fold_two_byte(out);
}

/// The two-byte letters, found by their lead bytes (0xC3 and 0xD0 are never continuation
/// bytes).
fn fold_two_byte(b: &mut [u8]) {
    let mut i = 0;
    while let Some(k) = memchr::memchr2(0xC3, 0xD0, &b[i..]) {
        let at = i + k;
        let Some(&d) = b.get(at + 1) else {
            break;
        };
        if b[at] == 0xC3 {
            // U+00C0..=U+00DE except U+00D7 (×): their lower case is 0x20 further on
            if (0x80..=0x9E).contains(&d) && d != 0x97 {
                b[at + 1] = d + 0x20;
            }
        } else if (0x90..=0x9F).contains(&d) {
            // Cyrillic А..Я (U+0410..=U+042F) → а..я (U+0430..=U+044F), two bytes each
            b[at + 1] = d + 0x20;
        } else if (0xA0..=0xAF).contains(&d) {
            b[at] = 0xD1;
            b[at + 1] = d - 0x20;
        }
        i = at + 2;
    }
}

/// The folded form of a lexicon term, with the emoji variation selector removed.
pub(crate) fn fold_term(term: &str) -> String {
    let cleaned: String = term.chars().filter(|c| *c != '\u{FE0F}').collect();
    let mut b = cleaned.into_bytes();
    fold_in_place(&mut b);
    String::from_utf8(b).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_swedish_and_keeps_length() {
        for s in ["ÅÄÖ åäö ABC", "Ørsted É × Þ", "КОКАИН", "🍁 SNÖ"] {
            let f = fold(s);
            assert_eq!(f.len(), s.len());
            assert!(std::str::from_utf8(&f).is_ok());
        }
        assert_eq!(fold("ÅÄÖ Malmö × É"), "åäö malmö × é".as_bytes());
        assert_eq!(fold_term("❄️"), "❄");
        assert_eq!(fold("КОКАИН Яя"), "кокаин яя".as_bytes());
    }
}

//! Names of people, organisations and things: the display form is the cleaned text (case and
//! diacritics kept); [`name_key`] is the folded form that matching compares.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The matching key of a name: lower case, compatibility-decomposed with combining marks
/// stripped (`"Åsa Öberg"` → `"asa oberg"`), letters that do not decompose folded to their
/// usual Latin spelling (`ø` → `o`, `æ` → `ae`, `ß` → `ss`, …), apostrophes and dots dropped
/// (`"O'Brien"` → `"obrien"`), other punctuation and symbols read as spaces, spaces collapsed.
/// Hyphens are kept (`"Anna-Karin"` → `"anna-karin"`). Letters and digits of every script are
/// kept as they are (lower-cased).
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            if is_combining_mark(l) {
                continue;
            }
            match fold(l) {
                Fold::Keep(k) => push(&mut out, &mut pending_space, k),
                Fold::Two(a, b) => {
                    push(&mut out, &mut pending_space, a);
                    push(&mut out, &mut pending_space, b);
                }
                Fold::Drop => {}
                Fold::Space => pending_space = true,
            }
        }
    }
    out
}

fn push(out: &mut String, pending_space: &mut bool, c: char) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push(c);
}

enum Fold {
    Keep(char),
    Two(char, char),
    Drop,
    Space,
}

/// How one lower-case, decomposed character enters a key.
fn fold(c: char) -> Fold {
    match c {
        'ø' => Fold::Keep('o'),
        'đ' | 'ð' => Fold::Keep('d'),
        'ł' => Fold::Keep('l'),
        'ħ' => Fold::Keep('h'),
        'ı' => Fold::Keep('i'),
        'ŧ' => Fold::Keep('t'),
        'ς' => Fold::Keep('σ'),
        'æ' => Fold::Two('a', 'e'),
        'œ' => Fold::Two('o', 'e'),
        'ß' => Fold::Two('s', 's'),
        'þ' => Fold::Two('t', 'h'),
        '-' | '\u{2010}' | '\u{2011}' => Fold::Keep('-'),
        '\'' | '’' | 'ʼ' | 'ʻ' | '`' | '´' | '.' => Fold::Drop,
        c if c.is_alphanumeric() => Fold::Keep(c),
        // Joiners and other invisible format characters carry no letters.
        '\u{200c}' | '\u{200d}' => Fold::Drop,
        c if super::clean::is_invisible(c) || c.is_control() => Fold::Drop,
        _ => Fold::Space,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Context, PropType, normalise};
    use proptest::prelude::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(name_key(input), expected, "{input:?}");
    }

    #[test]
    fn keys() {
        check("Åsa Öberg", "asa oberg");
        check("  ÅSA   ÖBERG ", "asa oberg");
        check("Søren Kjærgaard", "soren kjaergaard");
        check("Straße", "strasse");
        check("Łukasz Żółć", "lukasz zolc");
        check("Đorđević", "dordevic");
        check("O'Brien", "obrien");
        check("O’Brien", "obrien");
        check("J.R.R. Tolkien", "jrr tolkien");
        check("Svensson, Anna", "svensson anna");
        check("Anna-Karin Ek", "anna-karin ek");
        check("Müller & Söhne AB", "muller sohne ab");
        check("Ｆｕｌｌｗｉｄｔｈ", "fullwidth");
        check("ﬁnn", "finn");
        check("İstanbul", "istanbul");
        check("ΣΟΦΟΣ", "σοφοσ");
        check("Иван Петров", "иван петров");
        check("محمد", "محمد");
        check("Þórr", "thorr");
        check("Ægir", "aegir");
        check("💊 Kalle 💊", "kalle");
        check("", "");
        check("!!!", "");
    }

    #[test]
    fn display_form_keeps_case_and_diacritics() {
        let n = normalise(PropType::Name, "  Åsa  Öberg ", &Context::default()).unwrap();
        assert_eq!((n.value.as_str(), n.valid), ("Åsa Öberg", true));
    }

    proptest! {
        #[test]
        fn key_is_idempotent(s in any::<String>()) {
            let k = name_key(&s);
            prop_assert_eq!(name_key(&k), k.clone());
            prop_assert!(!k.starts_with(' ') && !k.ends_with(' ') && !k.contains("  "));
        }

        #[test]
        fn key_ignores_case_and_diacritics(s in "[a-zA-ZåäöÅÄÖéÉ ]{0,20}") {
            let plain: String = s.chars().map(|c| match c {
                'å' | 'ä' | 'Å' | 'Ä' => 'a',
                'ö' | 'Ö' => 'o',
                'é' | 'É' => 'e',
                c => c,
            }).collect();
            prop_assert_eq!(name_key(&s), name_key(&plain.to_lowercase()));
        }
    }
}

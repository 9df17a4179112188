//! Property tests: every valid identifier written in any accepted style is found with the
//! right value; a broken checksum is not; normalised values read back as themselves; no text
//! makes the extractor panic or report offsets outside the text.

use lagesbild_extract::{Extractor, Kind, Options, Ymd};
use proptest::prelude::*;

fn ex() -> Extractor {
    Extractor::new(Options {
        default_region: "SE",
        reference: Ymd {
            year: 2026,
            month: 6,
            day: 1,
        },
    })
}

fn values(text: &str, kind: Kind) -> Vec<String> {
    ex().extract(text)
        .into_iter()
        .filter(|m| m.kind == kind)
        .map(|m| m.value)
        .collect()
}

fn luhn_digit(nine: &[u8]) -> u8 {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let v = u32::from(*d) * if k % 2 == 0 { 2 } else { 1 };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Words around an identifier that say nothing about it.
fn filler() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "hej ",
        "ok bror, ",
        "Tips: ",
        "🍁 ",
        "ring ",
        "kolla här → ",
        "mvh\n",
        "(",
    ])
    .prop_map(str::to_owned)
}

fn tail() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " tack", ".", " 👍", "!", "\nmvh", ")", ", ok?"])
        .prop_map(str::to_owned)
}

/// A date of birth and a serial, with the personnummer's 10 digits.
fn birth() -> impl Strategy<Value = (i32, u32, u32, [u8; 10])> {
    (1930i32..2024, 1u32..=12, 1u32..=28, 0u32..1000).prop_map(|(y, m, d, serial)| {
        let mut ten = [0u8; 10];
        let yy = (y % 100) as u32;
        for (k, v) in [
            yy / 10,
            yy % 10,
            m / 10,
            m % 10,
            d / 10,
            d % 10,
            serial / 100,
            serial / 10 % 10,
            serial % 10,
        ]
        .into_iter()
        .enumerate()
        {
            ten[k] = v as u8;
        }
        ten[9] = luhn_digit(&ten[..9]);
        (y, m, d, ten)
    })
}

fn iban_se(bban: &str) -> String {
    let rearranged = format!("{bban}281400");
    let rem = rearranged
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("SE{:02}{bban}", 98 - rem)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn personnummer_in_every_style_is_found(
        (y, m, d, ten) in birth(),
        style in 0usize..4,
        pre in filler(),
        post in tail(),
    ) {
        let digits: String = ten.iter().map(|d| char::from(b'0' + d)).collect();
        let full = format!("{y:04}{m:02}{d:02}-{}", &digits[6..]);
        let written = match style {
            0 => format!("{}-{}", &digits[..6], &digits[6..]),
            1 => full.clone(),
            2 => full.replace('-', ""),
            _ => format!("pnr {digits}"),
        };
        // born 100 years or more before the reference date: only the 12-digit forms know it
        prop_assume!(style != 0 && style != 3 || y > 1926);
        let text = format!("{pre}{written}{post}");
        prop_assert_eq!(values(&text, Kind::Personnummer), vec![full.clone()], "{}", text);
        // one digit off breaks the check digit
        let mut broken = ten;
        broken[9] = (broken[9] + 1) % 10;
        let bd: String = broken.iter().map(|d| char::from(b'0' + d)).collect();
        let text = format!("{pre}{}-{}{post}", &bd[..6], &bd[6..]);
        prop_assert!(values(&text, Kind::Personnummer).is_empty(), "{}", text);
    }

    #[test]
    fn swedish_phones_in_every_style_are_found(
        prefix in prop::sample::select(vec!["70", "72", "73", "76", "79", "8", "31", "40", "18"]),
        rest in 1_000_000u32..9_999_999,
        style in 0usize..7,
        pre in filler(),
        post in tail(),
    ) {
        // mobiles and Stockholm have 9 national digits after the trunk 0, the others 8 or 9
        let sub = if prefix == "8" || prefix.starts_with('7') { format!("{rest:07}") } else { format!("{rest:07}")[..7].to_owned() };
        let nsn = if prefix.starts_with('7') { format!("{prefix}{sub}") } else { format!("{prefix}{}", &sub[..7]) };
        let national = format!("0{nsn}");
        let e164 = format!("+46{nsn}");
        let (a, b) = national.split_at(3);
        let written = match style {
            0 => format!("{a}-{} {} {}", &b[..3], &b[3..5], &b[5..]),
            1 => national.clone(),
            2 => format!("+46 {} {} {} {}", &nsn[..2], &nsn[2..5], &nsn[5..7], &nsn[7..]),
            3 => format!("0046{nsn}"),
            4 => format!("{a} {} {} {}", &b[..3], &b[3..5], &b[5..]),
            5 => format!("+46 (0){nsn}"),
            _ => e164.clone(),
        };
        let text = format!("{pre}{written}{post}");
        prop_assert_eq!(values(&text, Kind::Phone), vec![e164], "{}", text);
    }

    #[test]
    fn ibans_are_found_and_broken_ones_are_not(
        bank in prop::sample::select(vec!["500", "300", "800", "600", "120"]),
        n in 0u64..100_000_000_000_000_000,
        spaced in any::<bool>(),
        lower in any::<bool>(),
        pre in filler(),
        post in tail(),
    ) {
        let iban = iban_se(&format!("{bank}{n:017}"));
        let mut written = if spaced {
            iban.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ")
        } else {
            iban.clone()
        };
        if lower {
            written = written.to_lowercase();
        }
        let text = format!("{pre}{written}{post}");
        prop_assert_eq!(values(&text, Kind::Iban), vec![iban.clone()], "{}", text);
        let last = iban.as_bytes()[iban.len() - 1];
        let broken = format!("{}{}", &iban[..iban.len() - 1], char::from(b'0' + (last - b'0' + 1) % 10));
        let text = format!("{pre}{broken}{post}");
        prop_assert!(values(&text, Kind::Iban).is_empty(), "{}", text);
    }

    #[test]
    fn normalised_values_read_back_as_themselves(text in "[a-zA-Z0-9åäöÅÄÖ@+:./ -]{0,80}") {
        for m in ex().extract(&text) {
            let again = match m.kind {
                Kind::Swish => format!("swish {}", m.value),
                Kind::Account => format!("konto {}", m.value),
                Kind::Plate => format!("bil {}", m.value),
                Kind::Place => format!("i {}", m.value),
                Kind::Substance => continue,
                _ => m.value.clone(),
            };
            let found = values(&again, m.kind);
            prop_assert!(found.contains(&m.value), "{:?} from {:?} reads back as {:?}", m.value, text, found);
        }
    }

    #[test]
    fn any_text_gives_offsets_inside_it(text in any::<String>()) {
        for m in ex().extract(&text) {
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
}

//! International bank account numbers (ISO 13616), normalised to the compact upper-case form
//! (`SE45 5000 0000 0583 9825 7466` → `SE4550000000058398257466`) and checked: country, length
//! and the mod-97 check digits.

/// Whether `s` is a valid IBAN. Spaces, dashes and an `IBAN` prefix are allowed, as in
/// [`normalise`]: `iban_valid("se45 5000 0000 0583 9825 7466")` is true.
pub fn iban_valid(s: &str) -> bool {
    normalise(s).is_some()
}

/// The compact upper-case form of an IBAN, `None` when it is not a valid one.
///
/// The value may be written with spaces or dashes between the characters, in any case, after
/// an `IBAN` or `IBAN:` prefix. It must start with a country that uses IBANs, have that
/// country's length, check digits between 02 and 98, and pass the ISO 7064 mod 97-10 check.
pub(crate) fn normalise(s: &str) -> Option<String> {
    let mut s = s.trim();
    if s.len() > 80 {
        return None;
    }
    if s.len() >= 4 && s.as_bytes()[..4].eq_ignore_ascii_case(b"IBAN") {
        s = s[4..].trim_start_matches([':', ' ']);
    }
    let mut out = String::with_capacity(34);
    for c in s.chars() {
        match c {
            'A'..='Z' | '0'..='9' => out.push(c),
            'a'..='z' => out.push(c.to_ascii_uppercase()),
            ' ' | '-' => {}
            _ => return None,
        }
    }
    let b = out.as_bytes();
    let len = country_length(out.get(..2)?)?;
    if b.len() != usize::from(len) || !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
        return None;
    }
    let check = (b[2] - b'0') * 10 + (b[3] - b'0');
    if !(2..=98).contains(&check) || mod97(b) != 1 {
        return None;
    }
    Some(out)
}

/// The ISO 7064 mod 97-10 remainder of an IBAN of upper-case letters and digits: the first
/// four characters moved to the end, letters read as 10 (A) to 35 (Z).
fn mod97(iban: &[u8]) -> u32 {
    let (head, tail) = iban.split_at(4.min(iban.len()));
    tail.iter().chain(head).fold(0u32, |rem, &c| match c {
        b'0'..=b'9' => (rem * 10 + u32::from(c - b'0')) % 97,
        _ => (rem * 100 + u32::from(c.saturating_sub(b'A')) + 10) % 97,
    })
}

/// The length of IBANs of a country (ISO 3166 alpha-2, upper case), `None` for a country
/// without IBANs.
pub fn country_length(country: &str) -> Option<u8> {
    IBAN_LENGTHS
        .binary_search_by_key(&country, |&(c, _)| c)
        .ok()
        .map(|i| IBAN_LENGTHS[i].1)
}

/// Countries in the SWIFT IBAN registry and their IBAN lengths. Sorted.
const IBAN_LENGTHS: &[(&str, u8)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(normalise(input).as_deref(), expected, "{input:?}");
    }

    /// Published example IBANs (national banking associations, ECBS).
    const KNOWN: &[&str] = &[
        "SE4550000000058398257466",
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "NO9386011117947",
        "DK5000400440116243",
        "FI2112345600000785",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
        "ES9121000418450200051332",
        "BE68539007547034",
        "CH9300762011623852957",
        "AT611904300234573201",
        "PL61109010140000071219812874",
        "IT60X0542811101000000123456",
    ];

    #[test]
    fn known_ibans() {
        for iban in KNOWN {
            check(iban, Some(iban));
            assert!(iban_valid(iban));
        }
        check(
            "SE45 5000 0000 0583 9825 7466",
            Some("SE4550000000058398257466"),
        );
        check(
            "se45-5000-0000-0583-9825-7466",
            Some("SE4550000000058398257466"),
        );
        check(
            "IBAN: GB82 WEST 1234 5698 7654 32",
            Some("GB82WEST12345698765432"),
        );
        check(
            "iban DE89370400440532013000",
            Some("DE89370400440532013000"),
        );
    }

    #[test]
    fn bad_ibans() {
        check("SE4550000000058398257467", None); // last digit changed
        check("SE4550000000058398257476", None); // two digits swapped
        check("SE5450000000058398257466", None); // check digits swapped
        check("GB82WEST12345698765433", None);
        check("GB82WEST1234569876543", None); // too short
        check("DE8937040044053201300", None);
        check("DE893704004405320130000", None); // too long
        check("XX89370400440532013000", None); // no such country
        check("US64SVBKUS6S3300958879", None); // the US has no IBANs
        check("SE45.5000.0000.0583.9825.7466", None);
        check("SE455000000005839825746€", None);
        check("", None);
        check("SE", None);
        check("S", None);
        check("ÅÄ4550000000058398257466", None);
        check("SEXX50000000058398257466", None);
        check(&"9".repeat(100_000), None);
    }

    #[test]
    fn check_digits_00_01_99_are_rejected() {
        // 00, 01 and 99 leave the same remainder as 97, 98 and 02, so they pass mod 97 but
        // are outside the allowed range.
        let mut seen = [false; 3];
        for n in 0..5000u64 {
            let valid = make_iban("DE", &format!("{n:018}"));
            let alias = match &valid[2..4] {
                "97" => 0,
                "98" => 1,
                "02" => 2,
                _ => continue,
            };
            let other = ["00", "01", "99"][alias];
            let bad = format!("DE{other}{}", &valid[4..]);
            assert_eq!(mod97(bad.as_bytes()), 1, "{bad}");
            assert_eq!(normalise(&bad), None, "{bad}");
            assert!(iban_valid(&valid));
            seen[alias] = true;
        }
        assert_eq!(seen, [true; 3]);
    }

    #[test]
    fn table_is_sorted() {
        assert!(IBAN_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(
            IBAN_LENGTHS
                .iter()
                .all(|&(c, len)| c.len() == 2 && (15..=34).contains(&len))
        );
    }

    /// An IBAN for `country` and `bban` with the right check digits.
    fn make_iban(country: &str, bban: &str) -> String {
        let zeroed = format!("{country}00{bban}");
        let check = 98 - mod97(zeroed.as_bytes());
        format!("{country}{check:02}{bban}")
    }

    proptest! {
        #[test]
        fn constructed_ibans_pass_and_one_changed_digit_fails(
            idx in 0..IBAN_LENGTHS.len(),
            letters in "[A-Z]{0,4}",
            digits in "[0-9]{30}",
            pos in any::<prop::sample::Index>(),
            delta in 1u8..10,
        ) {
            let (country, len) = IBAN_LENGTHS[idx];
            let bban_len = usize::from(len) - 4;
            let letters = &letters[..letters.len().min(bban_len - 1)];
            let bban = format!("{letters}{}", &digits[..bban_len - letters.len()]);
            let iban = make_iban(country, &bban);
            prop_assert_eq!(normalise(&iban), Some(iban.clone()));
            prop_assert!(iban_valid(&iban.to_lowercase()));

            // Change one digit of the BBAN's numeric part.
            let i = 4 + letters.len() + pos.index(bban_len - letters.len());
            let mut bytes = iban.clone().into_bytes();
            bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(normalise(&changed), None);
        }
    }
}

//! Identifiers as Swedish registers and banks write them, valid by their own rules
//! (Luhn for personnummer, mod-97 for IBAN), and the noise that real data adds to them.

use crate::rng::Rng;

/// The Luhn check digit of the nine digits `YYMMDDNNN`.
pub fn luhn_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(*d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// A personnummer `YYYYMMDD-NNNN` for a birth date, Luhn-valid.
pub fn personnummer(rng: &mut Rng, year: i32, month: u32, day: u32) -> String {
    let serial = rng.range(1, 999) as u32;
    let short = format!("{:02}{month:02}{day:02}{serial:03}", year % 100);
    let digits: Vec<u8> = short.bytes().map(|b| b - b'0').collect();
    format!(
        "{year:04}{month:02}{day:02}-{serial:03}{}",
        luhn_digit(&digits)
    )
}

/// A Swedish mobile number in E.164 (`+4670…`).
pub fn mobile(rng: &mut Rng) -> String {
    let prefix = rng.pick(&["70", "72", "73", "76", "79"]);
    format!("+46{prefix}{:07}", rng.below(10_000_000))
}

/// A Swedish IBAN (`SE` + check digits + 20 digits), mod-97 valid.
pub fn iban_se(rng: &mut Rng) -> String {
    let bank = rng.pick(&["500", "300", "800", "600", "120"]);
    let bban = format!("{bank}{:017}", rng.below(100_000_000_000_000_000));
    // check digits: 98 − (BBAN + "SE00" as digits) mod 97
    let rearranged = format!("{bban}281400");
    let rem = rearranged
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("SE{:02}{bban}", 98 - rem)
}

/// A Swish business number (`123` + seven digits), as street sellers use through front companies.
pub fn swish_business(rng: &mut Rng) -> String {
    format!("123{:07}", rng.below(10_000_000))
}

/// How people write a mobile number: national with dashes and spaces, international, compact.
pub fn phone_as_written(rng: &mut Rng, e164: &str) -> String {
    let national = format!("0{}", &e164[3..]);
    match rng.below(6) {
        0 => format!(
            "{}-{} {} {}",
            &national[..3],
            &national[3..6],
            &national[6..8],
            &national[8..]
        ),
        1 => national,
        2 => format!(
            "+46 {} {} {} {}",
            &e164[3..5],
            &e164[5..8],
            &e164[8..10],
            &e164[10..]
        ),
        3 => format!("0046{}", &e164[3..]),
        4 => format!(
            "{} {} {} {}",
            &national[..3],
            &national[3..6],
            &national[6..8],
            &national[8..]
        ),
        _ => e164.to_owned(),
    }
}

/// A name as a register clerk or an informant might write it: å/ä/ö lost or doubled, a letter
/// dropped or swapped, the order of first and last name turned.
pub fn noisy_name(rng: &mut Rng, first: &str, last: &str) -> String {
    let mut name = match rng.below(10) {
        0 => format!("{last} {first}"),
        1 => format!("{last}, {first}"),
        _ => format!("{first} {last}"),
    };
    if rng.chance(0.15) {
        name = name
            .replace(['å', 'ä'], "a")
            .replace('ö', "o")
            .replace(['Å', 'Ä'], "A")
            .replace('Ö', "O");
    } else if rng.chance(0.05) {
        name = name
            .replace('ö', "oe")
            .replace('ä', "ae")
            .replace('å', "aa");
    }
    if rng.chance(0.08) {
        let chars: Vec<char> = name.chars().collect();
        if chars.len() > 4 {
            let i = 1 + rng.below(chars.len() as u64 - 2) as usize;
            let mut c = chars.clone();
            if rng.chance(0.5) {
                c.remove(i);
            } else {
                c.swap(i, i + 1);
            }
            name = c.into_iter().collect();
        }
    }
    if rng.chance(0.05) {
        name = name.to_uppercase();
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personnummer_is_luhn_valid() {
        // the Tax Agency's example: 811218-9876
        assert_eq!(luhn_digit(&[8, 1, 1, 2, 1, 8, 9, 8, 7]), 6);
        let mut r = Rng::new(3);
        for _ in 0..100 {
            let p = personnummer(&mut r, 1990, 4, 17);
            let d: Vec<u8> = p[2..8]
                .bytes()
                .chain(p[9..12].bytes())
                .map(|b| b - b'0')
                .collect();
            assert_eq!(luhn_digit(&d), p.as_bytes()[12] - b'0', "{p}");
        }
    }

    #[test]
    fn ibans_pass_mod_97() {
        let mut r = Rng::new(4);
        for _ in 0..100 {
            let iban = iban_se(&mut r);
            assert_eq!(iban.len(), 24);
            let moved = format!("{}{}", &iban[4..], "2814") + &iban[2..4];
            let rem = moved
                .bytes()
                .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
            assert_eq!(rem, 1, "{iban}");
        }
    }

    #[test]
    fn phones_keep_their_digits() {
        let mut r = Rng::new(5);
        for _ in 0..50 {
            let e = mobile(&mut r);
            let w = phone_as_written(&mut r, &e);
            let digits: String = w.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.ends_with(&e[3..]), "{w} from {e}");
        }
    }
}

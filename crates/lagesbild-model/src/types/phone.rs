//! Telephone numbers, normalised to E.164 (`070-123 45 67` → `+46701234567`) by a small,
//! table-driven parser: the ITU country calling codes, and for the regions this product meets
//! most their trunk prefix and valid national number lengths.
//!
//! This is deliberately not libphonenumber: it checks structure (calling code, trunk prefix,
//! length, a few leading-digit rules), not number ranges, and it is fast and allocation-free up
//! to the output.

/// Most digits a number may have before it is rejected without further reading (E.164 allows
/// 15; international and trunk prefixes add a few).
const MAX_DIGITS: usize = 18;

/// The E.164 form of a phone number, `None` when `s` is not one.
///
/// `region` (ISO 3166-1 alpha-2, any case) is where a number without an international prefix
/// is dialled from; such a national number must start with the region's trunk prefix where it
/// has one (`0` in Sweden: `070-123 45 67`, `08-123 456 78`), otherwise it is rejected, as is
/// any national number when the region is not in the table.
///
/// Accepted around the digits: spaces, dashes, dots, slashes, one pair of brackets; a leading `+` or `00`
/// (or `011` in North America) for international numbers; a trunk prefix in brackets after the
/// calling code (`+46 (0)70-123 45 67`) or written out by mistake (`+46 070 123 45 67`) in
/// regions whose national numbers cannot start with it; a `tel:` prefix; an extension at the
/// end (`ext 12`, `ext. 12`, `x12`), which is dropped. Arabic-Indic, Persian and full-width
/// digits read as digits. Any other letter or symbol makes the text not a phone number.
///
/// International numbers must have a known calling code and 7 to 15 digits in all (the
/// shortest real numbers, in Niue or Tokelau, have 7); numbers of regions in the table must
/// also have a valid national length.
pub fn e164(s: &str, region: &str) -> Option<String> {
    normalise(s, region)
}

/// [`e164`], for the type's normaliser.
pub(crate) fn normalise(s: &str, region: &str) -> Option<String> {
    if s.len() > 80 {
        return None;
    }
    let s = strip_extension(strip_tel(s.trim()))?;
    let (digits, plus) = scan(s)?;
    let digits = digits.as_slice();
    let (cc, nsn) = if plus {
        international(digits)?
    } else if let Some(rest) = digits.strip_prefix(b"00") {
        international(rest)?
    } else {
        let spec = Region::find(region)?;
        match digits.strip_prefix(b"011") {
            Some(rest) if spec.cc == 1 => international(rest)?,
            _ => (spec.cc, spec.national(digits)?),
        }
    };
    let cc_digits = cc.to_string();
    let total = cc_digits.len() + nsn.len();
    if !(7..=15).contains(&total) {
        return None;
    }
    if let Some(spec) = Region::by_cc(cc)
        && !spec.nsn_ok(nsn)
    {
        return None;
    }
    let mut out = String::with_capacity(total + 1);
    out.push('+');
    out.push_str(&cc_digits);
    out.extend(nsn.iter().map(|&d| char::from(d)));
    Some(out)
}

/// Splits the digits after an international prefix into the calling code and the national
/// significant number, dropping a trunk prefix written after the calling code by mistake
/// (`+46 070…`) where the number is only valid without it.
fn international(digits: &[u8]) -> Option<(u16, &[u8])> {
    let (cc, nsn) = calling_code(digits)?;
    if let Some(spec) = Region::by_cc(cc)
        && let Some(rest) = spec
            .trunks
            .iter()
            .find_map(|t| nsn.strip_prefix(t.as_bytes()))
        && !spec.nsn_ok(nsn)
        && spec.nsn_ok(rest)
    {
        return Some((cc, rest));
    }
    Some((cc, nsn))
}

/// Strips `tel:` and any URI parameters after the number (`;ext=…`, `;phone-context=…`).
fn strip_tel(s: &str) -> &str {
    if s.len() >= 4 && s.as_bytes()[..4].eq_ignore_ascii_case(b"tel:") {
        let rest = &s[4..];
        rest.split(';').next().unwrap_or(rest)
    } else {
        s
    }
}

/// Drops an extension at the end: `ext 12`, `ext. 12`, `ext: 12`, `x12` (1 to 6 digits).
/// `None` when the text has other letters, which a phone number never does.
fn strip_extension(s: &str) -> Option<&str> {
    let Some(first_letter) = s.find(|c: char| c.is_alphabetic()) else {
        return Some(s);
    };
    let (number, tail) = s.split_at(first_letter);
    let lower = tail.to_ascii_lowercase();
    let rest = ["extension", "ext.", "ext", "x"]
        .iter()
        .find_map(|w| lower.strip_prefix(w))?;
    let ext = rest.trim_start_matches([' ', ':', '.']);
    (!number.trim().is_empty()
        && (1..=6).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_digit()))
    .then_some(number)
}

/// Reads the digits of a number, checking the characters around them. Returns the digits
/// (ASCII) and whether the number started with `+`. One `(0)` after the first digits of a `+`
/// number is the trunk prefix shown for national use (`+46 (0)70…`) and is skipped.
fn scan(s: &str) -> Option<(Digits, bool)> {
    let s = s.trim();
    let (plus, body) = match s.strip_prefix(['+', '＋']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let mut digits = Digits::default();
    let mut trunk_in_brackets = false;
    let mut open_brackets = 0u8;
    let mut brackets = 0u8;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(d) = digit_value(c) {
            digits.push(d)?;
            continue;
        }
        match c {
            '(' => {
                if plus && !digits.is_empty() && body[i..].starts_with("(0)") && !trunk_in_brackets
                {
                    trunk_in_brackets = true;
                    chars.next();
                    chars.next();
                    continue;
                }
                open_brackets += 1;
                brackets += 1;
                if open_brackets > 1 || brackets > 1 {
                    return None;
                }
            }
            ')' => open_brackets = open_brackets.checked_sub(1)?,
            ' ' | '-' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{a0}' => {}
            _ => return None,
        }
    }
    if open_brackets != 0 || digits.is_empty() {
        return None;
    }
    Some((digits, plus))
}

/// The value of a decimal digit in ASCII, Arabic-Indic, extended Arabic-Indic (Persian, Urdu)
/// or full-width form, as an ASCII digit.
fn digit_value(c: char) -> Option<u8> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{660}'..='\u{669}' => '\u{660}',
        '\u{6f0}'..='\u{6f9}' => '\u{6f0}',
        '\u{ff10}'..='\u{ff19}' => '\u{ff10}',
        _ => return None,
    };
    Some(b'0' + (c as u32 - zero as u32) as u8)
}

/// A bounded buffer of ASCII digits.
#[derive(Default)]
struct Digits {
    buf: [u8; MAX_DIGITS],
    len: usize,
}

impl Digits {
    fn push(&mut self, d: u8) -> Option<()> {
        *self.buf.get_mut(self.len)? = d;
        self.len += 1;
        Some(())
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The country calling code at the start of `digits` and the rest. Calling codes form a prefix
/// code, so at most one of the 1-, 2- and 3-digit prefixes is assigned.
fn calling_code(digits: &[u8]) -> Option<(u16, &[u8])> {
    (1..=3).find_map(|n| {
        let head = digits.get(..n)?;
        let cc = head
            .iter()
            .fold(0u16, |acc, &d| acc * 10 + u16::from(d - b'0'));
        (head[0] != b'0' && CALLING_CODES.binary_search(&cc).is_ok()).then(|| (cc, &digits[n..]))
    })
}

/// ITU-T E.164 country calling codes in service (geographic areas and global services).
/// Sorted.
const CALLING_CODES: &[u16] = &[
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
    55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211,
    212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
    235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253,
    254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298,
    299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377,
    378, 379, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505,
    506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675,
    676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850,
    852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966,
    967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
];

/// The region code as the numbering-plan table spells it, if the table knows the region: the
/// value to use as [`super::Context::default_region`].
pub fn known_region(code: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .flat_map(|r| r.regions.iter())
        .find(|c| c.eq_ignore_ascii_case(code))
        .copied()
}

/// What this parser knows of one region's numbering plan.
struct Region {
    /// ISO 3166-1 alpha-2 codes of the regions that share this plan.
    regions: &'static [&'static str],
    cc: u16,
    /// Trunk prefixes dialled before a national number (`"0"`; none in Norway, Denmark, Spain…).
    trunks: &'static [&'static str],
    /// Whether national numbers may also be written without the trunk prefix (North America).
    trunk_optional: bool,
    /// Shortest and longest national significant number (after the trunk prefix).
    nsn: (u8, u8),
    /// Whether national significant numbers can start with `0` (Italy).
    zero_leading_nsn: bool,
}

impl Region {
    fn find(region: &str) -> Option<&'static Region> {
        REGIONS
            .iter()
            .find(|r| r.regions.iter().any(|c| c.eq_ignore_ascii_case(region)))
    }

    fn by_cc(cc: u16) -> Option<&'static Region> {
        REGIONS.iter().find(|r| r.cc == cc)
    }

    /// The national significant number of a number dialled nationally: the trunk prefix must
    /// be there, unless the region has none or it is optional.
    fn national<'a>(&self, digits: &'a [u8]) -> Option<&'a [u8]> {
        match self
            .trunks
            .iter()
            .find_map(|t| digits.strip_prefix(t.as_bytes()))
        {
            Some(rest) if !self.trunk_optional || self.nsn_ok(rest) => Some(rest),
            _ if self.trunk_optional || self.trunks.is_empty() => Some(digits),
            _ => None,
        }
    }

    fn nsn_ok(&self, nsn: &[u8]) -> bool {
        let (min, max) = self.nsn;
        if !(usize::from(min)..=usize::from(max)).contains(&nsn.len()) {
            return false;
        }
        if !self.zero_leading_nsn && nsn.first() == Some(&b'0') {
            return false;
        }
        match self.cc {
            // Swedish numbers starting with 7 are mobile (07X-XXX XX XX): nine digits.
            46 => nsn[0] != b'7' || nsn.len() == 9,
            // North America: NXX area code and NXX exchange (N = 2-9).
            1 => nsn[0] >= b'2' && nsn[3] >= b'2',
            _ => true,
        }
    }
}

const fn region(
    regions: &'static [&'static str],
    cc: u16,
    trunks: &'static [&'static str],
    nsn: (u8, u8),
) -> Region {
    Region {
        regions,
        cc,
        trunks,
        trunk_optional: false,
        nsn,
        zero_leading_nsn: false,
    }
}

/// Numbering plans of the Nordic and EU countries and of the countries most often met in this
/// product's sources. National lengths cover geographic and mobile numbers; some short service
/// and machine-to-machine numbers are flagged.
const REGIONS: &[Region] = &[
    // Nordic countries.
    region(&["SE"], 46, &["0"], (7, 9)),
    region(&["NO", "SJ"], 47, &[], (8, 8)),
    region(&["DK"], 45, &[], (8, 8)),
    region(&["FI", "AX"], 358, &["0"], (5, 12)),
    region(&["IS"], 354, &[], (7, 9)),
    // The rest of the EU.
    region(&["DE"], 49, &["0"], (5, 13)),
    region(&["NL"], 31, &["0"], (9, 9)),
    region(&["BE"], 32, &["0"], (8, 9)),
    region(&["LU"], 352, &[], (4, 11)),
    region(&["FR"], 33, &["0"], (9, 9)),
    region(&["ES"], 34, &[], (9, 9)),
    region(&["PT"], 351, &[], (9, 9)),
    Region {
        regions: &["IT", "VA", "SM"],
        cc: 39,
        trunks: &[],
        trunk_optional: false,
        nsn: (6, 11),
        zero_leading_nsn: true,
    },
    region(&["AT"], 43, &["0"], (4, 13)),
    region(&["PL"], 48, &[], (9, 9)),
    region(&["LT"], 370, &["8", "0"], (8, 8)),
    region(&["LV"], 371, &[], (8, 8)),
    region(&["EE"], 372, &[], (7, 8)),
    region(&["CZ"], 420, &[], (9, 9)),
    region(&["SK"], 421, &["0"], (9, 9)),
    region(&["HU"], 36, &["06"], (8, 9)),
    region(&["SI"], 386, &["0"], (8, 8)),
    region(&["HR"], 385, &["0"], (8, 9)),
    region(&["RO"], 40, &["0"], (9, 9)),
    region(&["BG"], 359, &["0"], (7, 9)),
    region(&["GR"], 30, &[], (10, 10)),
    region(&["CY"], 357, &[], (8, 8)),
    region(&["MT"], 356, &[], (8, 8)),
    region(&["IE"], 353, &["0"], (7, 9)),
    // Elsewhere in Europe.
    region(&["GB", "GG", "JE", "IM"], 44, &["0"], (9, 10)),
    region(&["CH", "LI"], 41, &["0"], (9, 9)),
    region(&["AL"], 355, &["0"], (6, 9)),
    region(&["RS"], 381, &["0"], (7, 10)),
    region(&["BA"], 387, &["0"], (8, 9)),
    region(&["ME"], 382, &["0"], (8, 8)),
    region(&["MK"], 389, &["0"], (8, 8)),
    region(&["XK"], 383, &["0"], (8, 8)),
    region(&["UA"], 380, &["0"], (9, 9)),
    region(&["TR"], 90, &["0"], (10, 10)),
    region(&["RU", "KZ"], 7, &["8"], (10, 10)),
    // The Americas.
    Region {
        regions: &["US", "CA", "PR"],
        cc: 1,
        trunks: &["1"],
        trunk_optional: true,
        nsn: (10, 10),
        zero_leading_nsn: false,
    },
    region(&["CO"], 57, &[], (10, 10)),
    // Africa and Asia.
    region(&["MA"], 212, &["0"], (9, 9)),
    region(&["DZ"], 213, &["0"], (8, 9)),
    region(&["TN"], 216, &[], (8, 8)),
    region(&["SO"], 252, &["0"], (6, 9)),
    region(&["ER"], 291, &["0"], (7, 7)),
    region(&["ET"], 251, &["0"], (9, 9)),
    region(&["IQ"], 964, &["0"], (8, 10)),
    region(&["SY"], 963, &["0"], (8, 9)),
    region(&["LB"], 961, &["0"], (7, 8)),
    region(&["IR"], 98, &["0"], (10, 10)),
    region(&["AF"], 93, &["0"], (9, 9)),
];

#[cfg(test)]
mod tests {

    #[test]
    fn known_regions_are_the_table_spelling() {
        assert_eq!(known_region("se"), Some("SE"));
        assert_eq!(known_region("NO"), Some("NO"));
        assert_eq!(known_region("XX"), None);
        assert_eq!(known_region(""), None);
    }

    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Option<&str>) {
        check_in("SE", input, expected);
    }

    fn check_in(region: &str, input: &str, expected: Option<&str>) {
        assert_eq!(
            normalise(input, region).as_deref(),
            expected,
            "{region} {input:?}"
        );
    }

    #[test]
    fn swedish_forms() {
        let mobile = Some("+46701234567");
        for s in [
            "070-123 45 67",
            "0701234567",
            "+46 70 123 45 67",
            "+46 (0)70-123 45 67",
            "0046701234567",
            "+46701234567",
            "070/123 45 67",
            "070.123.45.67",
            "(070) 123 45 67",
            "+46 070 123 45 67",
            "tel:+46-70-123-45-67",
            "070-123 45 67 ext 12",
            "070 123 45 67 x12",
            "٠٧٠١٢٣٤٥٦٧",
            "＋46 70 123 45 67",
            "+ 46 70 123 45 67",
        ] {
            check(s, mobile);
        }
        check("08-123 456 78", Some("+46812345678"));
        check("(08) 12 34 56", Some("+468123456"));
        check("031-12 34 56", Some("+4631123456"));
        check("0910-123 45", Some("+4691012345"));
    }

    #[test]
    fn not_phone_numbers() {
        for s in [
            "12345",            // order number
            "1200",             // amount
            "1 200 kr",         // amount
            "701234567",        // national number without its trunk 0
            "46701234567",      // calling code without + or 00
            "070-123 45 6",     // mobile, one digit short
            "070-123 45 678",   // mobile, one digit too many
            "08-12 34",         // too short
            "08-123 456 789 0", // too long
            "+46 8 12",
            "+999 123 456 789", // unassigned calling code
            "+0 123 456 789",
            "+46",
            "+",
            "00",
            "2023-05-14",
            "19870514-1234", // personal identity number
            "070-ABC 45 67",
            "ring 070-123 45 67",
            "070-123 45 67 ext",
            "070-123 45 67 ext 1234567",
            "070 (123) (45) 67",
            "070 ((123)) 45 67",
            "070) 123 45 67",
            "(070 123 45 67",
            "0 (0)70 123 45 67",
            "070–123–45–67!",
            "+4670123456789012345",
            "",
        ] {
            check(s, None);
        }
        check(&"0".repeat(1000), None);
    }

    #[test]
    fn other_regions() {
        check("+47 22 33 44 55", Some("+4722334455"));
        check_in("NO", "22 33 44 55", Some("+4722334455"));
        check_in("NO", "0047 22 33 44 55", Some("+4722334455"));
        check_in("no", "22 33 44 5", None);
        check_in("DK", "32 12 34 56", Some("+4532123456"));
        check_in("FI", "040 123 4567", Some("+358401234567"));
        check_in("DE", "030 123456", Some("+4930123456"));
        check_in("DE", "0151 12345678", Some("+4915112345678"));
        check("+49 (0)30 123456", Some("+4930123456"));
        check_in("NL", "06-12345678", Some("+31612345678"));
        check_in("ES", "612 34 56 78", Some("+34612345678"));
        check_in("IT", "06 1234 5678", Some("+390612345678"));
        check("+39 06 1234 5678", Some("+390612345678"));
        check_in("GB", "020 7946 0958", Some("+442079460958"));
        check("+44 (0)20 7946 0958", Some("+442079460958"));
        check_in("US", "(212) 555-1234", Some("+12125551234"));
        check_in("US", "1-212-555-1234", Some("+12125551234"));
        check_in("US", "011 46 70 123 45 67", Some("+46701234567"));
        check_in("US", "(112) 555-1234", None);
        check("+1 212 555 1234", Some("+12125551234"));
        check("+1 212 155 1234", None);
        check_in("TR", "0532 123 45 67", Some("+905321234567"));
        check_in("HU", "06 1 234 5678", Some("+3612345678"));
        check_in("LT", "8 612 34567", Some("+37061234567"));
        check_in("LT", "0 612 34567", Some("+37061234567"));
        check_in("MA", "0612-345678", Some("+212612345678"));
        check_in("IQ", "0770 123 4567", Some("+9647701234567"));
        check("+964 770 123 4567", Some("+9647701234567"));
        check("+963 944 123 456", Some("+963944123456"));
        check("+252 61 1234567", Some("+252611234567"));
        check("+355 69 123 4567", Some("+355691234567"));
        check("+381 64 1234567", Some("+381641234567"));
        check_in("CO", "300 1234567", Some("+573001234567"));
        check_in("CO", "601 234 5678", Some("+576012345678"));
        check("+57 300 1234567", Some("+573001234567"));
        check("+7 495 123-45-67", Some("+74951234567"));
        check("+683 4002", Some("+6834002")); // Niue: seven digits in all
        check("+86 10 1234 5678", Some("+861012345678"));
        check_in("ZZ", "22 33 44 55", None); // national number, unknown region
        check_in("", "070-123 45 67", None);
        check_in("ZZ", "+46 70 123 45 67", Some("+46701234567"));
    }

    #[test]
    fn tables_are_consistent() {
        assert!(CALLING_CODES.windows(2).all(|w| w[0] < w[1]));
        // A prefix code: no calling code is a prefix of another.
        for a in CALLING_CODES {
            for b in CALLING_CODES {
                if a != b {
                    assert!(
                        !b.to_string().starts_with(&a.to_string()),
                        "{a} is a prefix of {b}"
                    );
                }
            }
        }
        for r in REGIONS {
            assert!(CALLING_CODES.contains(&r.cc), "{:?}", r.regions);
            assert!(
                r.nsn.0 <= r.nsn.1 && usize::from(r.nsn.1) + r.cc.to_string().len() <= 15,
                "{:?}",
                r.regions
            );
            assert_eq!(
                Region::by_cc(r.cc).map(|s| s.regions),
                Some(r.regions),
                "one plan per calling code"
            );
        }
    }

    /// A Swedish mobile number (07X XXX XX XX) written in one of the styles people use.
    fn swedish_mobile() -> impl Strategy<Value = (String, String)> {
        (
            prop::sample::select(vec!['0', '2', '3', '6', '9']),
            "[0-9]{7}",
            0usize..10,
        )
            .prop_map(|(x, rest, style)| {
                let (a, b, c, d) = (&rest[..3], &rest[3..5], &rest[5..7], &rest);
                let e164 = format!("+467{x}{d}");
                let raw = match style {
                    0 => format!("07{x}-{a} {b} {c}"),
                    1 => format!("07{x}{d}"),
                    2 => format!("+46 7{x} {a} {b} {c}"),
                    3 => format!("+46 (0)7{x}-{a} {b} {c}"),
                    4 => format!("00467{x}{d}"),
                    5 => format!("07{x}-{a}{b}{c}"),
                    6 => format!("(07{x}) {a}-{b}-{c}"),
                    7 => format!("+467{x}{d}"),
                    8 => format!("07{x}.{a}.{b}.{c}"),
                    _ => format!("tel:+46-7{x}-{a}-{b}-{c}"),
                };
                (raw, e164)
            })
    }

    proptest! {
        #[test]
        fn swedish_mobiles_in_every_style_agree((raw, e164) in swedish_mobile()) {
            prop_assert_eq!(normalise(&raw, "SE"), Some(e164.clone()));
            prop_assert_eq!(normalise(&e164, "SE"), Some(e164.clone()));
            prop_assert_eq!(normalise(&e164, "US"), Some(e164));
        }

        #[test]
        fn idempotent(s in "[+0-9 ()-]{0,25}", region in prop::sample::select(vec!["SE", "NO", "US", "GB", "IT", "ZZ"])) {
            if let Some(once) = normalise(&s, region) {
                prop_assert!(once.starts_with('+') && once.len() <= 16);
                prop_assert_eq!(normalise(&once, region), Some(once.clone()));
                prop_assert_eq!(normalise(&once, "ZZ"), Some(once.clone()));
            }
        }
    }
}

//! Person-like records as they come from a source, their normalisation, and the compact
//! prepared form that blocking and comparison work on (interned folded names, packed dates,
//! phone numbers as integers, hashed identifier keys).

use lagesbild_model::types::{self, Context, PropType, parse_date};
use serde::{Deserialize, Serialize};

use crate::text::{Interner, Sym, fold_name, fx};

/// One mention of a person in a source: every field as written (empty when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    /// The whole name when the source does not split it (`"JANSSON YUSUF"`, `"Jansson, Yusuf"`).
    pub full_name: String,
    pub birth_date: String,
    pub personnummer: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// Handles on messaging services and markets (`@namn`).
    pub handles: Vec<String>,
    /// Bank accounts, IBANs, Swish numbers, crypto wallets.
    pub accounts: Vec<String>,
    /// Vehicle registration plates.
    pub plates: Vec<String>,
}

/// The kinds of identifier that link records at once (unless seen on too many people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    Personnummer,
    Phone,
    Email,
    Account,
    Handle,
    Plate,
}

impl KeyKind {
    pub const ALL: [KeyKind; 6] = [
        KeyKind::Personnummer,
        KeyKind::Phone,
        KeyKind::Email,
        KeyKind::Account,
        KeyKind::Handle,
        KeyKind::Plate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Personnummer => "personnummer",
            KeyKind::Phone => "phone",
            KeyKind::Email => "email",
            KeyKind::Account => "account",
            KeyKind::Handle => "handle",
            KeyKind::Plate => "plate",
        }
    }

    fn tag(self) -> u64 {
        self as u64 + 1
    }
}

/// A birth date packed as `YYYYMMDD` with `00` for an unknown month or day; 0 when unknown.
pub type Dob = u32;

/// Reads a birth date in any form `lagesbild_model` reads (`1987-05-14`, `19870514`,
/// `14.05.1987`, `14 maj 1987`, `1987`, `1987-05`); 0 when it is not one.
pub fn parse_birth_date(s: &str) -> Dob {
    let s = s.trim();
    if s.is_empty() {
        return 0;
    }
    match parse_date(s) {
        Some(d) if (1..=9999).contains(&d.year) => {
            d.year as u32 * 10_000
                + u32::from(d.month.unwrap_or(0)) * 100
                + u32::from(d.day.unwrap_or(0))
        }
        _ => 0,
    }
}

/// A personnummer or samordningsnummer as its 12 digits `YYYYMMDDNNNC`, when it is one (10 or
/// 12 digits, optional `-` or `+`, valid Luhn check digit). With 10 digits the century is the
/// latest that does not put the birth in the future (`+` adds a hundred years), relative to
/// `this_year`.
pub fn personnummer(s: &str, this_year: u32) -> Option<u64> {
    let s = s.trim();
    let plus = s.contains('+');
    let digits: Vec<u8> = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if s.bytes()
        .any(|b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b' ')))
    {
        return None;
    }
    let ten: &[u8] = match digits.len() {
        10 => &digits,
        12 => &digits[2..],
        _ => return None,
    };
    let sum: u32 = ten[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(*d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    if (10 - sum % 10) % 10 != u32::from(ten[9]) {
        return None;
    }
    let yy = u32::from(ten[0]) * 10 + u32::from(ten[1]);
    let century = if digits.len() == 12 {
        u32::from(digits[0]) * 10 + u32::from(digits[1])
    } else {
        let mut c = this_year / 100;
        if c * 100 + yy > this_year {
            c -= 1;
        }
        if plus { c - 1 } else { c }
    };
    let month = u32::from(ten[2]) * 10 + u32::from(ten[3]);
    let day = u32::from(ten[4]) * 10 + u32::from(ten[5]);
    // samordningsnummer add 60 to the day
    let day = if day > 60 { day - 60 } else { day };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut v = u64::from(century);
    for d in ten {
        v = v * 10 + u64::from(*d);
    }
    Some(v)
}

/// The birth date a personnummer gives (`YYYYMMDD`).
pub fn personnummer_birth(pnr: u64) -> Dob {
    let date = (pnr / 10_000) as u32;
    let day = date % 100;
    if day > 60 { date - 60 } else { date }
}

/// A phone number as digits of its E.164 form (through `lagesbild_model`, Swedish numbers
/// without a country code), or the bare digits when it has at least seven and is not a number
/// the normaliser knows.
pub fn phone_digits(s: &str) -> Option<u64> {
    if let Some(e) = types::phone::e164(s, "SE") {
        return e[1..].parse().ok();
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    (7..=18)
        .contains(&digits.len())
        .then(|| digits.parse().ok())
        .flatten()
}

fn norm(t: PropType, s: &str) -> Option<String> {
    types::normalise(t, s, &Context::default())
        .filter(|n| n.valid)
        .map(|n| n.value)
}

/// An e-mail address, lower-cased and checked.
pub fn email_key(s: &str) -> Option<String> {
    norm(PropType::Email, s).map(|e| e.to_lowercase())
}

/// An account: a valid IBAN (compact, upper case), a crypto address (checked), or the digits of
/// a bank or Swish number (at least six).
pub fn account_key(s: &str) -> Option<String> {
    if let Some(i) = norm(PropType::Iban, s) {
        return Some(i);
    }
    if let Some(c) = norm(PropType::Crypto, s) {
        return Some(c);
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 6 && s.chars().all(|c| c.is_ascii_digit() || " -.".contains(c)))
        .then_some(digits)
}

/// A handle without its `@`, lower case.
pub fn handle_key(s: &str) -> Option<String> {
    let h = s.trim().trim_start_matches('@').to_lowercase();
    (!h.is_empty()).then_some(h)
}

/// A registration plate: letters and digits only, upper case.
pub fn plate_key(s: &str) -> Option<String> {
    let p: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (p.len() >= 2).then_some(p)
}

/// A Swedish postcode as its five digits.
pub fn postcode(s: &str) -> u32 {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 5 {
        digits.parse().unwrap_or(0)
    } else {
        0
    }
}

/// How a record's name was read into a first and a last part.
fn split_name(r: &Record) -> (String, String) {
    let first = fold_name(&r.first_name);
    let last = fold_name(&r.last_name);
    if !first.is_empty() || !last.is_empty() {
        return (first, last);
    }
    let full = r.full_name.trim();
    if let Some((l, f)) = full.split_once(',') {
        return (fold_name(f), fold_name(l));
    }
    let folded = fold_name(full);
    match folded.split_once(' ') {
        Some((f, l)) => (f.to_owned(), l.to_owned()),
        None => (String::new(), folded),
    }
}

/// A record in the form comparison works on.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub first: Sym,
    pub last: Sym,
    /// The letters of first and last name without spaces or hyphens (`"Mohamme dPersson"` and
    /// `"Mohammed Persson"` give the same).
    pub joined: Sym,
    pub dob: Dob,
    pub pnr: u64,
    pub phones: Box<[u64]>,
    pub emails: Box<[Sym]>,
    pub street: Sym,
    pub postcode: u32,
    pub city: Sym,
    /// Hashed identifier keys, kind in the top three bits ([`key_kind`]), sorted: every
    /// personnummer, phone, e-mail, account, handle and plate of the record.
    pub keys: Box<[u64]>,
    /// Which side of a linkage the record is on (0 left, 1 right); 0 in deduplication.
    pub side: u8,
}

/// A hashed identifier key of `kind`.
pub fn make_key(kind: KeyKind, value: &str) -> u64 {
    (kind.tag() << 61) | (fx(value) >> 3)
}

/// The kind of a key made by [`make_key`].
pub fn key_kind(key: u64) -> KeyKind {
    KeyKind::ALL[(key >> 61) as usize - 1]
}

/// The records of one run in their prepared form, the strings they refer to, and how often each
/// name occurs (for term-frequency adjustment).
#[derive(Debug, Default)]
pub struct Dataset {
    pub records: Vec<Prepared>,
    pub strings: Interner,
    /// How many records carry each symbol as a first or last name, indexed by symbol.
    pub name_count: Vec<u32>,
    /// How many of those carry it as a first name.
    pub first_count: Vec<u32>,
    /// Records with a first or last name, each counted once per name.
    pub names_total: u64,
}

/// The normalised strings of one record, before interning.
struct Normal {
    first: String,
    last: String,
    joined: String,
    dob: Dob,
    pnr: u64,
    phones: Vec<u64>,
    emails: Vec<String>,
    street: String,
    postcode: u32,
    city: String,
    keys: Vec<u64>,
}

/// The year two-digit personnummer are read against.
pub const THIS_YEAR: u32 = 2026;

fn normalise(r: &Record) -> Normal {
    let (first, last) = split_name(r);
    let joined: String = first
        .chars()
        .chain(last.chars())
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    let pnr = personnummer(&r.personnummer, THIS_YEAR).unwrap_or(0);
    let mut dob = parse_birth_date(&r.birth_date);
    if pnr != 0 && (dob == 0 || dob.is_multiple_of(100)) {
        dob = personnummer_birth(pnr);
    }
    let mut keys = Vec::new();
    if pnr != 0 {
        keys.push(make_key(KeyKind::Personnummer, &pnr.to_string()));
    }
    let mut phones: Vec<u64> = r.phones.iter().filter_map(|p| phone_digits(p)).collect();
    phones.sort_unstable();
    phones.dedup();
    for p in &phones {
        keys.push(make_key(KeyKind::Phone, &p.to_string()));
    }
    let mut emails: Vec<String> = r.emails.iter().filter_map(|e| email_key(e)).collect();
    emails.sort_unstable();
    emails.dedup();
    for e in &emails {
        keys.push(make_key(KeyKind::Email, e));
    }
    for a in r.accounts.iter().filter_map(|a| account_key(a)) {
        keys.push(make_key(KeyKind::Account, &a));
    }
    for h in r.handles.iter().filter_map(|h| handle_key(h)) {
        keys.push(make_key(KeyKind::Handle, &h));
    }
    for p in r.plates.iter().filter_map(|p| plate_key(p)) {
        keys.push(make_key(KeyKind::Plate, &p));
    }
    keys.sort_unstable();
    keys.dedup();
    Normal {
        first,
        last,
        joined,
        dob,
        pnr,
        phones,
        emails,
        street: fold_name(&r.street),
        postcode: postcode(&r.postcode),
        city: fold_name(&r.city),
        keys,
    }
}

impl Dataset {
    /// Prepares `records`; `sides[i]` (when given) puts record `i` on the left (0) or right (1)
    /// of a linkage. Normalisation runs in parallel; interning after it, in order, so the same
    /// records always give the same symbols.
    pub fn prepare(records: &[Record], sides: Option<&[u8]>) -> Dataset {
        use rayon::prelude::*;
        let normal: Vec<Normal> = records.par_iter().map(normalise).collect();
        let mut strings = Interner::new();
        let mut name_count: Vec<u32> = vec![0];
        let mut first_count: Vec<u32> = vec![0];
        let mut names_total = 0u64;
        let mut out = Vec::with_capacity(normal.len());
        for (i, n) in normal.into_iter().enumerate() {
            let mut sym = |s: &str, count: bool| {
                let id = strings.intern(s);
                if name_count.len() <= id as usize {
                    name_count.resize(id as usize + 1, 0);
                }
                if count && id != 0 {
                    name_count[id as usize] += 1;
                    names_total += 1;
                }
                id
            };
            let first = sym(&n.first, true);
            let last = sym(&n.last, true);
            if first != 0 {
                if first_count.len() <= first as usize {
                    first_count.resize(first as usize + 1, 0);
                }
                first_count[first as usize] += 1;
            }
            let joined = sym(&n.joined, false);
            let street = sym(&n.street, false);
            let city = sym(&n.city, false);
            let emails: Box<[Sym]> = n.emails.iter().map(|e| sym(e, false)).collect();
            out.push(Prepared {
                first,
                last,
                joined,
                dob: n.dob,
                pnr: n.pnr,
                phones: n.phones.into(),
                emails,
                street,
                postcode: n.postcode,
                city,
                keys: n.keys.into(),
                side: sides.map_or(0, |s| s[i]),
            });
        }
        first_count.resize(name_count.len(), 0);
        Dataset {
            records: out,
            strings,
            name_count,
            first_count,
            names_total,
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// How often `sym` is written as a first name rather than a last name (0.5 when unseen).
    pub fn firstness(&self, sym: Sym) -> f64 {
        let all = self.name_count.get(sym as usize).copied().unwrap_or(0);
        if all == 0 {
            return 0.5;
        }
        f64::from(self.first_count[sym as usize]) / f64::from(all)
    }

    /// The share of names equal to `sym` (term frequency), at least one occurrence.
    pub fn tf(&self, sym: Sym) -> f64 {
        let c = self
            .name_count
            .get(sym as usize)
            .copied()
            .unwrap_or(0)
            .max(1);
        f64::from(c) / (self.names_total.max(1) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personnummer_forms() {
        let twelve = Some(198_705_149_386u64);
        // 870514-9384: Luhn check over 870514938 gives 6
        assert_eq!(personnummer("19870514-9386", THIS_YEAR), twelve);
        assert_eq!(personnummer("198705149386", THIS_YEAR), twelve);
        assert_eq!(personnummer("870514-9386", THIS_YEAR), twelve);
        assert_eq!(
            personnummer("870514+9386", THIS_YEAR),
            Some(188_705_149_386)
        );
        assert_eq!(personnummer("870514-9385", THIS_YEAR), None);
        assert_eq!(personnummer("abc", THIS_YEAR), None);
        assert_eq!(personnummer_birth(198_705_149_386), 19_870_514);
    }

    #[test]
    fn dates_and_phones() {
        assert_eq!(parse_birth_date("1987-05-14"), 19_870_514);
        assert_eq!(parse_birth_date("14.05.1987"), 19_870_514);
        assert_eq!(parse_birth_date("1987"), 19_870_000);
        assert_eq!(parse_birth_date("okänt"), 0);
        let p = phone_digits("070-123 45 67");
        assert_eq!(p, Some(46_701_234_567));
        assert_eq!(phone_digits("+46 70 123 45 67"), p);
        assert_eq!(phone_digits("0046701234567"), p);
    }

    #[test]
    fn names_split_whichever_way_written() {
        let r = |full: &str| Record {
            full_name: full.into(),
            ..Record::default()
        };
        assert_eq!(
            split_name(&r("Jansson, Yusuf")),
            ("yusuf".into(), "jansson".into())
        );
        assert_eq!(
            split_name(&r("Anna Maria Öberg-Lind")),
            ("anna".into(), "maria oberg-lind".into())
        );
    }
}

//! The comparisons of two prepared records: one per property, each with ordered levels from
//! "null" (a side is missing; no evidence) through the kinds of agreement to "different".
//!
//! Names are compared in the orientation that agrees best: as written, or with first and last
//! name swapped (`"JANSSON YUSUF"` against `"Yusuf Jansson"`), or, when the letters of the whole
//! name are the same but split differently (`"Mohamme dPersson"`), as exact.

use serde::Serialize;

use crate::record::{Dataset, Dob, KeyKind, Prepared, key_kind};
use crate::text::{Interner, Sym, jaro_winkler, within_one_edit};

/// The number of comparisons.
pub const K: usize = 8;

/// One comparison: its name and its levels, level 0 always "null" and the last "different".
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Comparison {
    pub name: &'static str,
    pub levels: &'static [&'static str],
}

pub const FIRST: usize = 0;
pub const LAST: usize = 1;
pub const DOB: usize = 2;
pub const PNR: usize = 3;
pub const PHONE: usize = 4;
pub const EMAIL: usize = 5;
pub const ADDRESS: usize = 6;
pub const IDS: usize = 7;

const NAME_LEVELS: &[&str] = &[
    "null",
    "exact",
    "one name part equal",
    "one edit apart",
    "Jaro-Winkler >= 0.92",
    "Jaro-Winkler >= 0.80",
    "Jaro-Winkler >= 0.70",
    "initial or prefix",
    "different",
];

/// The most levels a comparison has.
pub const MAX_LEVELS: usize = 9;

pub const COMPARISONS: [Comparison; K] = [
    Comparison {
        name: "first_name",
        levels: NAME_LEVELS,
    },
    Comparison {
        name: "last_name",
        levels: NAME_LEVELS,
    },
    Comparison {
        name: "birth_date",
        levels: &[
            "null",
            "exact",
            "day and month swapped",
            "one digit off",
            "same year and month",
            "same year",
            "different",
        ],
    },
    Comparison {
        name: "personnummer",
        levels: &["null", "exact", "different"],
    },
    Comparison {
        name: "phone",
        levels: &[
            "null",
            "a number shared",
            "one digit off or same last seven digits",
            "different",
        ],
    },
    Comparison {
        name: "email",
        levels: &["null", "an address shared", "same local part", "different"],
    },
    Comparison {
        name: "address",
        levels: &[
            "null",
            "same street and postcode or city",
            "same postcode",
            "same city",
            "different",
        ],
    },
    Comparison {
        name: "identifiers",
        levels: &["null", "an account, handle or plate shared", "different"],
    },
];

/// The level of each comparison for one pair.
pub type Levels = [u8; K];

/// The last level ("different") of comparison `k`.
pub fn different(k: usize) -> u8 {
    (COMPARISONS[k].levels.len() - 1) as u8
}

/// Packs levels into one integer (for counting patterns).
pub fn pack(l: &Levels) -> u64 {
    u64::from_le_bytes(*l)
}

pub fn unpack(p: u64) -> Levels {
    p.to_le_bytes()
}

/// How the names of a pair were lined up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    Straight,
    Swapped,
    Respaced,
}

/// Which symbols were compared for first and last name (after orientation).
#[derive(Debug, Clone, Copy)]
pub struct NamePairing {
    pub orientation: Orientation,
    pub first: (Sym, Sym),
    pub last: (Sym, Sym),
}

fn parts(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', '-']).filter(|p| p.len() >= 2)
}

/// The level of two names (folded, interned).
pub fn name_level(strings: &Interner, a: Sym, b: Sym) -> u8 {
    if a == 0 || b == 0 {
        return 0;
    }
    if a == b {
        return 1;
    }
    let (x, y) = (strings.get(a), strings.get(b));
    let multi = |s: &str| s.contains([' ', '-']);
    if (multi(x) || multi(y)) && parts(x).any(|p| parts(y).any(|q| p == q)) {
        return 2;
    }
    if within_one_edit(x.as_bytes(), y.as_bytes()) {
        return 3;
    }
    let jw = jaro_winkler(x, y);
    if jw >= 0.92 {
        return 4;
    }
    if jw >= 0.80 {
        return 5;
    }
    // an initial or a short form (`M`, `Mo` for `Mohammed`) before the weakest similarity
    if x.starts_with(y) || y.starts_with(x) {
        return 7;
    }
    if jw >= 0.70 {
        return 6;
    }
    8
}

/// A level's badness for choosing an orientation: null is neutral, agreement is good.
fn rank(level: u8) -> u8 {
    if level == 0 { 4 } else { level }
}

/// Lines up the names of `a` and `b` and gives the first- and last-name levels. When one side
/// has its names the other way round, which of the two crossed comparisons is the first name's
/// is told by how often the names are written as first names in the data (`Viktor` against
/// `Karl`, not `Eriksson` against `Eriksson`).
pub fn names(data: &Dataset, a: &Prepared, b: &Prepared) -> (NamePairing, u8, u8) {
    let strings = &data.strings;
    let straight = NamePairing {
        orientation: Orientation::Straight,
        first: (a.first, b.first),
        last: (a.last, b.last),
    };
    let f = name_level(strings, a.first, b.first);
    let l = name_level(strings, a.last, b.last);
    if f == 1 && l == 1 {
        return (straight, f, l);
    }
    if a.joined != 0 && a.joined == b.joined && (a.first != 0 || b.first != 0) {
        return (
            NamePairing {
                orientation: Orientation::Respaced,
                ..straight
            },
            1,
            1,
        );
    }
    let x = name_level(strings, a.first, b.last);
    let y = name_level(strings, a.last, b.first);
    if u16::from(rank(x)) + u16::from(rank(y)) < u16::from(rank(f)) + u16::from(rank(l)) {
        let x_first = data.firstness(a.first) + data.firstness(b.last)
            >= data.firstness(a.last) + data.firstness(b.first);
        let (first, last, fl, ll) = if x_first {
            ((a.first, b.last), (a.last, b.first), x, y)
        } else {
            ((a.last, b.first), (a.first, b.last), y, x)
        };
        return (
            NamePairing {
                orientation: Orientation::Swapped,
                first,
                last,
            },
            fl,
            ll,
        );
    }
    (straight, f, l)
}

fn ymd(d: Dob) -> (u32, u32, u32) {
    (d / 10_000, d / 100 % 100, d % 100)
}

pub fn dob_level(a: Dob, b: Dob) -> u8 {
    if a == 0 || b == 0 {
        return 0;
    }
    if a == b {
        return 1;
    }
    let (ya, ma, da) = ymd(a);
    let (yb, mb, db) = ymd(b);
    let full = ma != 0 && mb != 0 && da != 0 && db != 0;
    if full && ya == yb && ma == db && da == mb {
        return 2;
    }
    let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
    if full && within_one_edit(digits(u64::from(a), &mut x), digits(u64::from(b), &mut y)) {
        return 3;
    }
    if ya == yb && ma == mb && ma != 0 {
        return 4;
    }
    if ya == yb {
        return 5;
    }
    6
}

/// The decimal digits of `v`, written into `buf` without allocating.
fn digits(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

fn near_phone(a: u64, b: u64) -> bool {
    if a % 10_000_000 == b % 10_000_000 {
        return true;
    }
    let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
    let (x, y) = (digits(a, &mut x), digits(b, &mut y));
    x.len() == y.len() && within_one_edit(x, y)
}

pub fn phone_level(a: &[u64], b: &[u64]) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a.iter().any(|x| b.contains(x)) {
        return 1;
    }
    if a.iter().any(|x| b.iter().any(|y| near_phone(*x, *y))) {
        return 2;
    }
    3
}

fn email_level(strings: &Interner, a: &[Sym], b: &[Sym]) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a.iter().any(|x| b.contains(x)) {
        return 1;
    }
    let local = |s: Sym| strings.get(s).split('@').next().unwrap_or("");
    if a.iter().any(|x| b.iter().any(|y| local(*x) == local(*y))) {
        return 2;
    }
    3
}

fn address_level(a: &Prepared, b: &Prepared) -> u8 {
    let has = |r: &Prepared| r.postcode != 0 || r.city != 0;
    if !has(a) || !has(b) {
        return 0;
    }
    let same_post = a.postcode != 0 && a.postcode == b.postcode;
    let same_city = a.city != 0 && a.city == b.city;
    if a.street != 0 && a.street == b.street && (same_post || same_city) {
        return 1;
    }
    if same_post {
        return 2;
    }
    if same_city {
        return 3;
    }
    4
}

fn is_other_id(k: u64) -> bool {
    matches!(
        key_kind(k),
        KeyKind::Account | KeyKind::Handle | KeyKind::Plate
    )
}

fn ids_level(a: &[u64], b: &[u64]) -> u8 {
    let mut any_a = false;
    let mut any_b = false;
    for k in a.iter().filter(|k| is_other_id(**k)) {
        any_a = true;
        if b.binary_search(k).is_ok() {
            return 1;
        }
    }
    if b.iter().any(|k| is_other_id(*k)) {
        any_b = true;
    }
    if any_a && any_b { 2 } else { 0 }
}

/// Every comparison of records `i` and `j`.
pub fn compare(data: &Dataset, i: usize, j: usize) -> (NamePairing, Levels) {
    let (a, b) = (&data.records[i], &data.records[j]);
    let (pairing, f, l) = names(data, a, b);
    let pnr = if a.pnr == 0 || b.pnr == 0 {
        0
    } else if a.pnr == b.pnr {
        1
    } else {
        2
    };
    let levels = [
        f,
        l,
        dob_level(a.dob, b.dob),
        pnr,
        phone_level(&a.phones, &b.phones),
        email_level(&data.strings, &a.emails, &b.emails),
        address_level(a, b),
        ids_level(&a.keys, &b.keys),
    ];
    (pairing, levels)
}

/// Whether the pair is two different people whatever else they share: first names that have
/// nothing in common, birth dates that differ beyond a typo or a swap, or two valid
/// personnummer that differ; never when the personnummer are equal. This guards against
/// households (twins, siblings, a parent and child) that share a surname, an address, a phone
/// and an account: evidence that is shared by the household is not evidence of one person.
pub fn conflict(levels: &Levels) -> bool {
    if levels[PNR] == 1 {
        return false;
    }
    levels[FIRST] == different(FIRST)
        || levels[DOB] == different(DOB)
        || levels[PNR] == different(PNR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates() {
        assert_eq!(dob_level(19_870_514, 19_870_514), 1);
        assert_eq!(dob_level(19_870_504, 19_870_405), 2);
        assert_eq!(dob_level(19_870_514, 19_870_515), 3);
        assert_eq!(dob_level(19_870_514, 19_870_522), 4);
        assert_eq!(dob_level(19_870_000, 19_870_514), 5);
        assert_eq!(dob_level(19_870_514, 19_910_101), 6);
        assert_eq!(dob_level(0, 19_910_101), 0);
    }

    #[test]
    fn phones() {
        assert_eq!(phone_level(&[46_701_234_567], &[46_701_234_567, 1]), 1);
        assert_eq!(phone_level(&[46_701_234_567], &[46_701_234_568]), 2);
        assert_eq!(phone_level(&[46_701_234_567], &[46_731_234_567]), 2);
        assert_eq!(phone_level(&[46_701_234_567], &[46_709_999_999]), 3);
        assert_eq!(phone_level(&[], &[46_709_999_999]), 0);
    }

    #[test]
    fn name_levels() {
        let mut s = Interner::new();
        let mut lvl = |a: &str, b: &str| {
            let (x, y) = (s.intern(a), s.intern(b));
            name_level(&s, x, y)
        };
        assert_eq!(lvl("andersson", "andersson"), 1);
        assert_eq!(lvl("andersson-nilsson", "andersson"), 2);
        assert_eq!(lvl("andersson", "andersso"), 3);
        assert_eq!(lvl("mohammed", "mohamad"), 4);
        assert_eq!(lvl("hgo", "huog"), 6);
        assert_eq!(lvl("m", "mohammed"), 7);
        assert_eq!(lvl("anna", "erik"), 8);
        assert_eq!(lvl("", "erik"), 0);
    }
}

//! Numbers in text: quantities and prices first (a number with a unit or a currency), then
//! dates and times (skipped), then the identifiers written in digits: personnummer, bank
//! accounts, Swish numbers and phone numbers.

use lagesbild_model::Context;

use crate::tokens::phone;
use crate::{Kind, Mention, Scan, Ymd, one_of};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Quantity(&'static str, f64),
    Currency(&'static str, f64),
}

/// Units and currencies after a number, folded, longest first where one is a prefix of another.
const UNITS: &[(&str, Unit)] = &[
    ("grams", Unit::Quantity("g", 1.0)),
    ("gramm", Unit::Quantity("g", 1.0)),
    ("gram", Unit::Quantity("g", 1.0)),
    ("gr", Unit::Quantity("g", 1.0)),
    ("g", Unit::Quantity("g", 1.0)),
    ("kilogram", Unit::Quantity("kg", 1.0)),
    ("kilos", Unit::Quantity("kg", 1.0)),
    ("kilon", Unit::Quantity("kg", 1.0)),
    ("kilo", Unit::Quantity("kg", 1.0)),
    ("kg", Unit::Quantity("kg", 1.0)),
    ("hekton", Unit::Quantity("g", 100.0)),
    ("hekto", Unit::Quantity("g", 100.0)),
    ("hg", Unit::Quantity("g", 100.0)),
    ("stycken", Unit::Quantity("st", 1.0)),
    ("styck", Unit::Quantity("st", 1.0)),
    ("stk", Unit::Quantity("st", 1.0)),
    ("st", Unit::Quantity("st", 1.0)),
    ("pieces", Unit::Quantity("st", 1.0)),
    ("piece", Unit::Quantity("st", 1.0)),
    ("pcs", Unit::Quantity("st", 1.0)),
    ("pc", Unit::Quantity("st", 1.0)),
    ("tabletter", Unit::Quantity("st", 1.0)),
    ("tabletten", Unit::Quantity("st", 1.0)),
    ("tablets", Unit::Quantity("st", 1.0)),
    ("tabs", Unit::Quantity("st", 1.0)),
    ("tab", Unit::Quantity("st", 1.0)),
    ("piller", Unit::Quantity("st", 1.0)),
    ("pills", Unit::Quantity("st", 1.0)),
    ("pill", Unit::Quantity("st", 1.0)),
    ("ml", Unit::Quantity("ml", 1.0)),
    ("cl", Unit::Quantity("ml", 10.0)),
    ("dl", Unit::Quantity("ml", 100.0)),
    ("kronor", Unit::Currency("SEK", 1.0)),
    ("krona", Unit::Currency("SEK", 1.0)),
    ("kr", Unit::Currency("SEK", 1.0)),
    ("sek", Unit::Currency("SEK", 1.0)),
    ("spänn", Unit::Currency("SEK", 1.0)),
    ("laxar", Unit::Currency("SEK", 1000.0)),
    ("lax", Unit::Currency("SEK", 1000.0)),
    ("pappar", Unit::Currency("SEK", 1000.0)),
    ("papp", Unit::Currency("SEK", 1000.0)),
    ("euros", Unit::Currency("EUR", 1.0)),
    ("euro", Unit::Currency("EUR", 1.0)),
    ("eur", Unit::Currency("EUR", 1.0)),
    ("€", Unit::Currency("EUR", 1.0)),
    ("dollars", Unit::Currency("USD", 1.0)),
    ("dollar", Unit::Currency("USD", 1.0)),
    ("usd", Unit::Currency("USD", 1.0)),
    ("$", Unit::Currency("USD", 1.0)),
    ("btc", Unit::Currency("BTC", 1.0)),
    ("₿", Unit::Currency("BTC", 1.0)),
];

/// Written numbers before a unit word (`ett kilo`, `en papp`, `two grams`).
const WORD_NUMBERS: &[(&str, f64)] = &[
    ("en", 1.0),
    ("ett", 1.0),
    ("one", 1.0),
    ("a", 1.0),
    ("an", 1.0),
    ("tre", 3.0),
    ("fem", 5.0),
    ("tio", 10.0),
    ("two", 2.0),
    ("three", 3.0),
    ("five", 5.0),
    ("ten", 10.0),
];

/// A number written with `.` and without trailing zeros.
#[cfg(test)]
fn fmt_num(x: f64) -> String {
    with_unit(x, "").trim_end().to_owned()
}

/// `x` written with `.` and without trailing zeros, a space and the unit: `0.5 g`, `1000 SEK`.
fn with_unit(x: f64, unit: &str) -> String {
    use std::fmt::Write as _;
    let r = (x * 1e8).round() / 1e8;
    let mut s = String::with_capacity(12 + unit.len());
    if r.fract() == 0.0 && r.abs() < 1e15 {
        let _ = write!(s, "{}", r as i64);
    } else {
        let _ = write!(s, "{r}");
    }
    s.push(' ');
    s.push_str(unit);
    s
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Whether a unit or currency may start with the byte (a quick test before the table).
fn unit_start(c: u8) -> bool {
    matches!(
        c,
        b'g' | b'k'
            | b'h'
            | b's'
            | b'p'
            | b't'
            | b'm'
            | b'c'
            | b'd'
            | b'e'
            | b'l'
            | b'u'
            | b'b'
            | b'$'
            | b':'
            | 0xE2
    )
}

/// The unit or currency at `pos` (after at most one space), with the end of its word.
fn unit_at(folded: &[u8], pos: usize, space_ok: bool) -> Option<(Unit, usize)> {
    let mut p = pos;
    if space_ok && folded.get(p) == Some(&b' ') {
        p += 1;
    } else if space_ok && folded[p..].starts_with("\u{a0}".as_bytes()) {
        p += 2;
    }
    if !folded.get(p).is_some_and(|c| unit_start(*c)) {
        return None;
    }
    if folded[p..].starts_with(b":-") {
        return Some((Unit::Currency("SEK", 1.0), p + 2));
    }
    let first = folded[p];
    for (word, unit) in UNITS {
        let w = word.as_bytes();
        if w[0] == first && folded[p..].starts_with(w) {
            let end = p + w.len();
            let symbol = !w[0].is_ascii_alphanumeric();
            if symbol || !folded.get(end).is_some_and(|c| is_word(*c)) {
                return Some((*unit, end));
            }
        }
    }
    None
}

/// The value of ASCII digits (at most 18 of them).
fn digits_value(d: &[u8]) -> u64 {
    d.iter().fold(0u64, |v, c| v * 10 + u64::from(c - b'0'))
}

/// `int.frac` from the digits on either side of the decimal point.
fn decimal(int: &[u8], frac: &[u8]) -> f64 {
    digits_value(int) as f64 + digits_value(frac) as f64 / 10f64.powi(frac.len() as i32)
}

/// A plain number at `i`: digits, an optional decimal part. Returns (value, end).
fn plain(b: &[u8], i: usize) -> Option<(f64, usize)> {
    let mut k = i;
    while k < b.len() && b[k].is_ascii_digit() {
        k += 1;
    }
    if k == i || k - i > 12 {
        return None;
    }
    let int = &b[i..k];
    // `1,250.00`: a comma before three digits and a decimal point is a thousands separator
    if int.len() <= 3
        && b.get(k) == Some(&b',')
        && b.len() > k + 5
        && b[k + 1..k + 4].iter().all(u8::is_ascii_digit)
        && b[k + 4] == b'.'
        && b[k + 5].is_ascii_digit()
    {
        let mut d = k + 5;
        while d < b.len() && b[d].is_ascii_digit() && d < k + 13 {
            d += 1;
        }
        let whole = digits_value(int) * 1000 + digits_value(&b[k + 1..k + 4]);
        return Some((whole as f64 + decimal(b"0", &b[k + 5..d]), d));
    }
    if k + 1 < b.len() && matches!(b[k], b',' | b'.') && b[k + 1].is_ascii_digit() {
        let mut d = k + 1;
        while d < b.len() && b[d].is_ascii_digit() {
            d += 1;
        }
        // `1.500` with three decimals after a short integer is a thousands separator
        let thousands = b[k] == b'.' && d - k - 1 == 3 && int != b"0" && int.len() <= 3;
        if d - k - 1 <= 8 && !thousands {
            return Some((decimal(int, &b[k + 1..d]), d));
        }
    }
    Some((digits_value(int) as f64, k))
}

/// A number with thousands separators (`1 000`, `1 234 567`, `1.500`, `1 500,00`). Returns
/// (value, end).
fn grouped(b: &[u8], i: usize) -> Option<(f64, usize)> {
    let mut k = i;
    while k < b.len() && b[k].is_ascii_digit() {
        k += 1;
    }
    if k == i || k - i > 3 {
        return None;
    }
    let mut value = digits_value(&b[i..k]);
    let mut groups = 0;
    loop {
        let sep = if b.get(k).is_some_and(|c| matches!(c, b' ' | b'.')) {
            1
        } else if b[k..].starts_with("\u{a0}".as_bytes()) {
            2
        } else {
            0
        };
        let g = k + sep;
        if sep > 0
            && groups < 5
            && b.len() >= g + 3
            && b[g..g + 3].iter().all(u8::is_ascii_digit)
            && !b.get(g + 3).is_some_and(u8::is_ascii_digit)
        {
            value = value * 1000 + digits_value(&b[g..g + 3]);
            k = g + 3;
            groups += 1;
        } else {
            break;
        }
    }
    if groups == 0 {
        return None;
    }
    // öre after the groups: `1 500,00 kr`
    if b.get(k).is_some_and(|c| matches!(c, b',' | b'.'))
        && b.len() >= k + 3
        && b[k + 1..k + 3].iter().all(u8::is_ascii_digit)
        && !b.get(k + 3).is_some_and(u8::is_ascii_digit)
    {
        return Some((
            value as f64 + digits_value(&b[k + 1..k + 3]) as f64 / 100.0,
            k + 3,
        ));
    }
    Some((value as f64, k))
}

/// A quantity or price at `i`: (kind, value, end).
fn amount(scan: &Scan<'_>, i: usize) -> Option<(Kind, String, usize)> {
    let b = scan.text.as_bytes();
    let f = &scan.folded;
    let currency_before = {
        let before = &scan.text[..i];
        let t = before.trim_end_matches([' ', '\u{a0}']);
        if t.len() + 2 < before.len() {
            None
        } else if t.ends_with('€') {
            Some("EUR")
        } else if t.ends_with('$') {
            Some("USD")
        } else if t.len() >= 3
            && t.as_bytes()[t.len() - 3..].eq_ignore_ascii_case(b"sek")
            && !t
                .as_bytes()
                .get(t.len().wrapping_sub(4))
                .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            Some("SEK")
        } else {
            None
        }
    };
    let (v, end) = plain(b, i)?;
    // `12k`, `1.5k kr`
    if f.get(end) == Some(&b'k') && !f.get(end + 1).is_some_and(|c| is_word(*c)) {
        let mut e = end + 1;
        if let Some((Unit::Currency("SEK", 1.0), ce)) = unit_at(f, e, true) {
            e = ce;
        }
        return Some((Kind::Price, with_unit(v * 1000.0, "SEK"), e));
    }
    if let Some(cur) = currency_before {
        return Some((Kind::Price, with_unit(v, cur), end));
    }
    if let Some((unit, e)) = unit_at(f, end, true) {
        return Some(match unit {
            Unit::Quantity(u, m) => (Kind::Quantity, with_unit(v * m, u), e),
            Unit::Currency(c, m) => (Kind::Price, with_unit(v * m, c), e),
        });
    }
    if let Some((v, end)) = grouped(b, i)
        && let Some((unit, e)) = unit_at(f, end, true)
    {
        return Some(match unit {
            Unit::Quantity(u, m) => (Kind::Quantity, with_unit(v * m, u), e),
            Unit::Currency(c, m) => (Kind::Price, with_unit(v * m, c), e),
        });
    }
    None
}

/// `ett kilo`, `en papp`: a written number and a unit word at the token `i..j`.
pub(crate) fn word_number(scan: &mut Scan<'_>, i: usize, j: usize) -> Option<usize> {
    if j - i > 5 || scan.folded.get(j) != Some(&b' ') || !unit_start(*scan.folded.get(j + 1)?) {
        return None;
    }
    let word = &scan.folded[i..j];
    let (_, v) = WORD_NUMBERS.iter().find(|(w, _)| w.as_bytes() == word)?;
    let (unit, e) = unit_at(&scan.folded, j + 1, false)?;
    // single letters and short abbreviations after `a`/`en` are words, not units
    if e - (j + 1) < 3 {
        return None;
    }
    let (kind, value) = match unit {
        Unit::Quantity(u, m) => (Kind::Quantity, with_unit(v * m, u)),
        Unit::Currency(c, m) => (Kind::Price, with_unit(v * m, c)),
    };
    push_amount(scan, kind, i, e, value);
    Some(e)
}

/// Pushes a quantity or price, tying a price to the quantity just before it (`1g 200kr`).
fn push_amount(scan: &mut Scan<'_>, kind: Kind, start: usize, end: usize, value: String) {
    let mut per = None;
    if kind == Kind::Price
        && let Some(last) = scan.out.last()
        && last.kind == Kind::Quantity
        && last.end <= start
    {
        let between = scan.text[last.end..start].trim();
        let between = between.trim_matches(|c: char| "=:-–,/".contains(c)).trim();
        if start - last.end <= 8 && matches!(between, "" | "för" | "for" | "à" | "a" | "@") {
            per = Some(last.value.clone());
        }
    }
    // `200 kr/g`
    let mut end = end;
    if kind == Kind::Price && per.is_none() {
        for (suffix, unit) in [
            ("/gram", "1 g"),
            ("/gr", "1 g"),
            ("/g", "1 g"),
            ("/kg", "1 kg"),
            ("/st", "1 st"),
            ("/pcs", "1 st"),
            (" per gram", "1 g"),
            (" per g", "1 g"),
            (" per st", "1 st"),
            (" per kg", "1 kg"),
            (" per pill", "1 st"),
        ] {
            let s = suffix.as_bytes();
            if scan.folded[end..].starts_with(s)
                && !scan.folded.get(end + s.len()).is_some_and(|c| is_word(*c))
            {
                per = Some(unit.to_owned());
                end += s.len();
                break;
            }
        }
    }
    scan.out.push(Mention {
        kind,
        start,
        end,
        value,
        per,
    });
}

/// Reads the number starting at `i`; returns where scanning goes on.
pub(crate) fn number(scan: &mut Scan<'_>, i: usize, ctx: &Context, reference: Ymd) -> usize {
    let b = scan.text.as_bytes();
    if let Some((kind, value, end)) = amount(scan, i) {
        push_amount(scan, kind, i, end, value.clone());
        // `5g/1000`, `10g / 1500kr`, `5g för 800`
        if kind == Kind::Quantity {
            let rest = &scan.text[end..];
            let skipped = rest.len() - rest.trim_start_matches([' ', '/']).len();
            let slash = rest[..skipped].contains('/');
            let fr = rest.trim_start();
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            let (gap, ok) = if slash {
                (skipped, true)
            } else if let Some(r) = fr.strip_prefix("för ").or_else(|| fr.strip_prefix("for ")) {
                (rest.len() - r.len(), true)
            } else if (1..=2).contains(&spaces) {
                // `2g 400`: a bare number after a quantity is its price in kronor
                (spaces, true)
            } else {
                (0, false)
            };
            let p = end + gap;
            if ok && b.get(p).is_some_and(u8::is_ascii_digit) {
                if let Some((k2, v2, e2)) = amount(scan, p) {
                    if k2 == Kind::Price {
                        push_amount(scan, k2, p, e2, v2);
                        return e2;
                    }
                    return p;
                }
                let bare_ok = |e2: usize| {
                    slash
                        || (b[p] != b'0'
                            && e2 - p <= 6
                            && !(matches!(b.get(e2), Some(b' ' | b'-'))
                                && b.get(e2 + 1).is_some_and(u8::is_ascii_digit)))
                };
                if let Some((v, e2)) = plain(b, p)
                    && !b.get(e2).is_some_and(|c| is_word(*c))
                    && bare_ok(e2)
                {
                    scan.out.push(Mention {
                        kind: Kind::Price,
                        start: p,
                        end: e2,
                        value: with_unit(v, "SEK"),
                        per: Some(value),
                    });
                    return e2;
                }
            }
        }
        return end;
    }
    let g = Groups::read(b, i);
    if g.is_date(b) || g.is_time(scan) {
        return g.end();
    }
    // order, case and reference numbers are none of the identifiers
    // the four words before, read once for every cue
    let mut before: [&[u8]; 4] = [b""; 4];
    for (k, w) in scan.words_before(g.start, 4).enumerate() {
        before[k] = w;
    }
    if before[..2].iter().any(|w| one_of(NOT_PHONE, w))
        || scan.text[..g.start].trim_end().ends_with('#')
    {
        return g.end();
    }
    let pnr_cue = before[..2].iter().any(|w| one_of(PNR_CUES, w));
    let account_cue = before.iter().any(|w| one_of(ACCOUNT_CUES, w));
    let swish_cue = before[..3].iter().any(|w| w.starts_with(b"swish"));
    if let Some(end) = personnummer(scan, &g, reference, pnr_cue) {
        return end;
    }
    // written as a personnummer (`YYMMDD-NNNN`) but with a wrong check digit: not a phone
    if g.groups().len() >= 2
        && matches!(g.sep(b, 0), b"-" | b"+")
        && g.len(1) == 4
        && matches!(g.len(0), 6 | 8)
    {
        return g.groups()[1].1;
    }
    if account_cue && let Some(end) = account(scan, i) {
        return end;
    }
    // a Swish business number: 123 and seven digits
    for k in (1..=g.groups().len()).rev() {
        if g.plus || g.digit_len(k) != 10 || b[g.groups()[0].0] != b'1' {
            continue;
        }
        let digits = g.digits(b, k);
        if digits.starts_with("123") && (swish_cue || !account_cue) {
            let end = g.groups()[k - 1].1;
            scan.push(Kind::Swish, g.start, end, digits);
            return end;
        }
    }
    for k in (1..=g.groups().len()).rev() {
        let end = g.groups()[k - 1].1;
        let n = g.digit_len(k);
        if !(7..=17).contains(&n) {
            continue;
        }
        let raw = &scan.text[g.start..end];
        if !g.plus && !raw.starts_with('0') {
            break;
        }
        if let Some(e164) = phone(raw, ctx) {
            if swish_cue && e164.starts_with("+467") {
                scan.push(Kind::Swish, g.start, end, format!("0{}", &e164[3..]));
            }
            scan.push(Kind::Phone, g.start, end, e164);
            return end;
        }
    }
    g.groups()[0].1
}

const NOT_PHONE: &[&str] = &[
    "order",
    "ordernr",
    "ordernummer",
    "ref",
    "referens",
    "refnr",
    "referensnummer",
    "dnr",
    "diarienr",
    "diarienummer",
    "ärende",
    "ärendenr",
    "ärendenummer",
    "ocr",
    "faktura",
    "fakturanr",
    "fakturanummer",
    "kundnr",
    "kundnummer",
    "artnr",
    "artikelnr",
    "artikelnummer",
    "invoice",
    "tracking",
    "kolli",
    "kollinr",
    "sändningsnr",
    "sändningsnummer",
    "case",
    "reference",
    "ordernumber",
    "bankgiro",
    "bg",
    "plusgiro",
    "pg",
    "postnr",
    "postnummer",
    "box",
    "lgh",
    "lägenhet",
    "lägenhetsnummer",
    "apartment",
    "isbn",
    "serienummer",
    "serial",
    "imei",
    "kvitto",
    "kvittonr",
    "receipt",
    "transaktion",
    "transaction",
];

const ACCOUNT_CUES: &[&str] = &[
    "konto",
    "kontot",
    "kontonr",
    "kontonummer",
    "clearing",
    "clearingnr",
    "clearingnummer",
    "clnr",
    "bankkonto",
    "bankkontot",
    "account",
    "acct",
    "kto",
    "bankkontonummer",
];

const PNR_CUES: &[&str] = &[
    "pnr",
    "personnr",
    "personnummer",
    "persnr",
    "pers",
    "född",
    "f",
    "personal",
    "samordningsnummer",
    "samordningsnr",
    "identity",
    "id",
];

/// A run of digit groups: `+46 (0)70-123 45 67` is the groups 46, 0, 70, 123, 45, 67.
struct Groups {
    start: usize,
    plus: bool,
    spans: [(usize, usize); MAX_GROUPS],
    n: usize,
}

/// At most this many digit groups are read into one number.
const MAX_GROUPS: usize = 9;

impl Groups {
    fn read(b: &[u8], i: usize) -> Groups {
        let plus = i > 0 && b[i - 1] == b'+';
        let start = if plus { i - 1 } else { i };
        let mut spans = [(0, 0); MAX_GROUPS];
        let mut n = 0;
        let mut k = i;
        let mut total = 0;
        loop {
            let gs = k;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            // a group glued to letters (`45kr`) ends the run before it, unless it is the first
            if n > 0 && b.get(k).is_some_and(u8::is_ascii_alphabetic) {
                break;
            }
            spans[n] = (gs, k);
            n += 1;
            total += k - gs;
            if total > 20 || n >= MAX_GROUPS {
                break;
            }
            let mut s = k;
            let mut seps = 0;
            while s < b.len() && seps < 3 {
                match b[s] {
                    b' ' | b'-' | b'.' | b'/' | b'(' | b')' => {
                        s += 1;
                        seps += 1;
                    }
                    0xC2 if b.get(s + 1) == Some(&0xA0) => {
                        s += 2;
                        seps += 1;
                    }
                    _ => break,
                }
            }
            if seps == 0 || !b.get(s).is_some_and(u8::is_ascii_digit) {
                break;
            }
            // two dots or slashes in a row are not a number's punctuation
            k = s;
        }
        Groups {
            start,
            plus,
            spans,
            n,
        }
    }

    fn groups(&self) -> &[(usize, usize)] {
        &self.spans[..self.n]
    }

    fn end(&self) -> usize {
        self.groups().last().map_or(self.start + 1, |g| g.1)
    }

    fn digit_len(&self, k: usize) -> usize {
        self.groups()[..k].iter().map(|(s, e)| e - s).sum()
    }

    fn digits(&self, b: &[u8], k: usize) -> String {
        self.groups()[..k]
            .iter()
            .map(|(s, e)| std::str::from_utf8(&b[*s..*e]).unwrap_or(""))
            .collect()
    }

    fn sep<'b>(&self, b: &'b [u8], k: usize) -> &'b [u8] {
        &b[self.groups()[k].1..self.groups()[k + 1].0]
    }

    fn len(&self, k: usize) -> usize {
        self.groups()[k].1 - self.groups()[k].0
    }

    fn num(&self, b: &[u8], k: usize) -> u32 {
        let (s, e) = self.groups()[k];
        std::str::from_utf8(&b[s..e])
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(u32::MAX)
    }

    /// `2026-03-14`, `2026/3/14`, `14/3`, `14.03.2026`, `3/4-26`.
    fn is_date(&self, b: &[u8]) -> bool {
        if self.plus || self.groups().len() < 2 {
            return false;
        }
        let sep0 = self.sep(b, 0);
        if sep0.len() != 1 || !matches!(sep0[0], b'-' | b'/' | b'.') {
            return false;
        }
        if self.len(0) == 4 {
            let y = self.num(b, 0);
            return (1900..=2100).contains(&y)
                && self.len(1) <= 2
                && (1..=12).contains(&self.num(b, 1));
        }
        self.len(0) <= 2
            && self.len(1) <= 2
            && (1..=31).contains(&self.num(b, 0))
            && (1..=12).contains(&self.num(b, 1))
            && (self.groups().len() == 2 || matches!(self.len(2), 2 | 4))
    }

    /// `kl 21.30`, `klockan 8.15`.
    fn is_time(&self, scan: &Scan<'_>) -> bool {
        let b = scan.text.as_bytes();
        self.groups().len() >= 2
            && self.len(0) <= 2
            && self.len(1) == 2
            && self.num(scan.text.as_bytes(), 0) <= 24
            && self.sep(b, 0) == b"."
            && scan
                .words_before(self.start, 1)
                .next()
                .is_some_and(|w| one_of(&["kl", "klockan", "at", "ca"], w))
    }
}

fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (k, d) in digits.iter().enumerate() {
        let mut v = u32::from(d - b'0');
        if k % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Checks a personnummer or samordningsnummer given as 10 digits (`YYMMDDNNNN`) and, when
/// written, its century; `plus` when written with `+` (100 years or older).
pub(crate) fn check_personnummer(
    ten: &[u8],
    century: Option<i32>,
    plus: bool,
    reference: Ymd,
) -> Option<(Kind, String)> {
    if ten.len() != 10 || !ten.iter().all(u8::is_ascii_digit) || !luhn(ten) {
        return None;
    }
    let n = |a: usize| u32::from(ten[a] - b'0') * 10 + u32::from(ten[a + 1] - b'0');
    let (yy, mm, dd) = (n(0) as i32, n(2), n(4));
    let (kind, day) = if dd > 60 {
        (Kind::Samordningsnummer, dd - 60)
    } else {
        (Kind::Personnummer, dd)
    };
    let year = match century {
        Some(c) => c + yy,
        None => {
            // the latest year ending in yy on or before the reference date
            let mut y = reference.year - (reference.year - yy).rem_euclid(100);
            if (y, mm, day) > (reference.year, reference.month, reference.day) {
                y -= 100;
            }
            if plus {
                y -= 100;
            }
            y
        }
    };
    if !(1..=12).contains(&mm) || day == 0 || day > days_in_month(year, mm) {
        return None;
    }
    let tail = std::str::from_utf8(&ten[6..]).ok()?;
    Some((kind, format!("{year:04}{mm:02}{:02}-{tail}", n(4))))
}

fn personnummer(scan: &mut Scan<'_>, g: &Groups, reference: Ymd, cue: bool) -> Option<usize> {
    if g.plus {
        return None;
    }
    let b = scan.text.as_bytes();
    let next_is_word = |end: usize| b.get(end).is_some_and(|c| c.is_ascii_alphanumeric());
    let (s0, e0) = g.groups()[0];
    let plus_form = e0 - s0 == 6
        && b.get(e0) == Some(&b'+')
        && b.len() >= e0 + 5
        && b[e0 + 1..e0 + 5].iter().all(u8::is_ascii_digit)
        && !b.get(e0 + 5).is_some_and(u8::is_ascii_digit);
    let (ten, century, plus, end): (Vec<u8>, Option<i32>, bool, usize) = if plus_form {
        (
            [&b[s0..e0], &b[e0 + 1..e0 + 5]].concat(),
            None,
            true,
            e0 + 5,
        )
    } else if g.groups().len() >= 2 {
        let sep = g.sep(b, 0);
        let (l0, l1) = (g.len(0), g.len(1));
        let end = g.groups()[1].1;
        let g0 = &b[g.groups()[0].0..g.groups()[0].1];
        let g1 = &b[g.groups()[1].0..g.groups()[1].1];
        if l0 == 6 && l1 == 4 && (sep == b"-" || sep == b"+" || (sep == b" " && cue)) {
            ([g0, g1].concat(), None, sep == b"+", end)
        } else if l0 == 8 && l1 == 4 && (sep == b"-" || sep == b" ") {
            let century = std::str::from_utf8(&g0[..2]).ok()?.parse::<i32>().ok()? * 100;
            ([&g0[2..], g1].concat(), Some(century), false, end)
        } else {
            return None;
        }
    } else {
        let (s, e) = g.groups()[0];
        let d = &b[s..e];
        if d.len() == 12 && matches!(&d[..2], b"19" | b"20") {
            let century = if d[..2] == *b"19" { 1900 } else { 2000 };
            (d[2..].to_vec(), Some(century), false, e)
        } else if d.len() == 10 && cue {
            (d.to_vec(), None, false, e)
        } else {
            return None;
        }
    };
    if next_is_word(end) {
        return None;
    }
    let (kind, value) = check_personnummer(&ten, century, plus, reference)?;
    scan.push(kind, g.start, end, value);
    Some(end)
}

/// A Swedish bank account after a cue: clearing (4 digits, or 4-1 at Swedbank), then the
/// account number in groups.
fn account(scan: &mut Scan<'_>, i: usize) -> Option<usize> {
    let b = scan.text.as_bytes();
    let mut k = i;
    let digit_run = |k: &mut usize| {
        let s = *k;
        while *k < b.len() && b[*k].is_ascii_digit() {
            *k += 1;
        }
        *k - s
    };
    let first = digit_run(&mut k);
    // four digits, or five written together (`83279`, Swedbank's clearing with its check digit)
    if first != 4 && !(first == 5 && b[i] == b'8') {
        return None;
    }
    let mut clearing = scan.text[i..k].to_owned();
    if first == 4
        && b.get(k) == Some(&b'-')
        && b.get(k + 1).is_some_and(u8::is_ascii_digit)
        && !b.get(k + 2).is_some_and(u8::is_ascii_digit)
    {
        clearing.push(b[k + 1] as char);
        k += 2;
    }
    // between clearing and account: `-`, `, `, ` `, `,`
    let mut s = k;
    while s < b.len() && s - k < 2 && matches!(b[s], b'-' | b',' | b' ') {
        s += 1;
    }
    if s == k {
        return None;
    }
    // `clearing 8327-9, konto 123 456 789-0`: a second cue between the two parts
    let word_end = s + b[s..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if word_end > s {
        let word = std::str::from_utf8(&scan.folded[s..word_end]).unwrap_or("");
        if !ACCOUNT_CUES.contains(&word) && word != "nr" {
            return None;
        }
        s = word_end;
        while s < b.len() && matches!(b[s], b' ' | b':' | b'.') {
            s += 1;
        }
    }
    let mut number = String::new();
    let mut end = s;
    let mut p = s;
    loop {
        let gs = p;
        if digit_run(&mut p) == 0 {
            break;
        }
        number.push_str(&scan.text[gs..p]);
        end = p;
        if matches!(b.get(p), Some(b' ' | b'-')) && b.get(p + 1).is_some_and(u8::is_ascii_digit) {
            p += 1;
        } else {
            break;
        }
    }
    if !(7..=10).contains(&number.len()) {
        return None;
    }
    scan.push(Kind::Account, i, end, format!("{clearing}-{number}"));
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(1500.0), "1500");
        assert_eq!(fmt_num(0.01), "0.01");
        assert_eq!(fmt_num(1.25), "1.25");
    }

    #[test]
    fn luhn_and_century() {
        let r = Ymd {
            year: 2026,
            month: 6,
            day: 1,
        };
        assert_eq!(
            check_personnummer(b"8112189876", None, false, r),
            Some((Kind::Personnummer, "19811218-9876".into()))
        );
        assert_eq!(check_personnummer(b"8112189875", None, false, r), None);
        assert_eq!(
            check_personnummer(b"8112189876", None, true, r),
            Some((Kind::Personnummer, "18811218-9876".into()))
        );
    }
}

//! E-mail addresses and handles (around `@` signs, `t.me/` links and cue words) and the ASCII
//! tokens that may be identifiers: crypto-currency addresses, IBANs, registration plates; numbers
//! go on to `numbers`.

use lagesbild_model::Context;
use lagesbild_model::types::{CryptoKind, classify_crypto, iban_valid};

use crate::lexicon::Entry;
use crate::{Kind, Scan, Ymd, numbers};

fn local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn handle_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// Reads a handle name at `pos`: a letter, then letters, digits, `_` and `.`, 3 to 32 long
/// (a trailing `.` is punctuation). Returns its end.
fn handle_name(b: &[u8], pos: usize) -> Option<usize> {
    if !b.get(pos)?.is_ascii_alphabetic() {
        return None;
    }
    let mut end = pos;
    while end < b.len() && handle_char(b[end]) {
        end += 1;
    }
    while end > pos && b[end - 1] == b'.' {
        end -= 1;
    }
    // a name glued to more letters (`@name` followed by `é`) is not a whole name
    if end < b.len() && b[end] >= 0x80 && b[end] != 0xE2 && b[end] != 0xF0 {
        return None;
    }
    (3..=32).contains(&(end - pos)).then_some(end)
}

/// A name after a cue word: as [`handle_name`], or an id of letters and digits that starts
/// with a digit (`threema 8KZ4PQ2T`).
fn id_name(b: &[u8], pos: usize) -> Option<usize> {
    if let Some(end) = handle_name(b, pos) {
        return Some(end);
    }
    let mut end = pos;
    while end < b.len() && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let id = &b[pos..end];
    ((5..=32).contains(&id.len())
        && id.iter().any(u8::is_ascii_alphabetic)
        && !b.get(end).is_some_and(|c| *c >= 0x80 || *c == b'_'))
    .then_some(end)
}

/// E-mail addresses and `@handles`.
pub(crate) fn at_signs(scan: &mut Scan<'_>) {
    let b = scan.text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    for at in memchr::memchr_iter(b'@', b) {
        if at < from {
            continue;
        }
        // local part
        let mut ls = at;
        while ls > from && local_char(b[ls - 1]) {
            ls -= 1;
        }
        while ls < at && matches!(b[ls], b'.' | b'-' | b'+') {
            ls += 1;
        }
        if ls < at
            && b[at - 1] != b'.'
            && let Some(de) = domain(b, at + 1)
        {
            let value = scan.text[ls..de].to_ascii_lowercase();
            found.push((Kind::Email, ls, de, value));
            from = de;
            continue;
        }
        if (ls == at || (at > 0 && !b[at - 1].is_ascii_alphanumeric()))
            && let Some(end) = handle_name(b, at + 1)
        {
            let value = format!("@{}", scan.text[at + 1..end].to_ascii_lowercase());
            found.push((Kind::Handle, at, end, value));
            from = end;
        }
    }
    // links to Telegram and Snapchat accounts
    let has_slash = memchr::memchr(b'/', b).is_some();
    for prefix in ["t.me/", "telegram.me/", "snapchat.com/add/"] {
        if !has_slash {
            break;
        }
        let p = prefix.as_bytes();
        let mut i = 0;
        while let Some(k) = memchr::memmem::find(&scan.folded[i..], p) {
            let start = i + k;
            i = start + p.len();
            if start > 0 && scan.folded[start - 1].is_ascii_alphanumeric() {
                continue;
            }
            let Some(end) = handle_name(b, i) else {
                continue;
            };
            let name = scan.text[i..end].to_ascii_lowercase();
            if matches!(
                name.as_str(),
                "joinchat" | "addstickers" | "share" | "proxy"
            ) {
                continue;
            }
            found.push((Kind::Handle, start, end, format!("@{name}")));
        }
    }
    for (kind, s, e, v) in found {
        scan.push(kind, s, e, v);
    }
}

/// The end of a domain name starting at `pos` (labels of letters, digits and `-`, at least two,
/// the last of letters only), or `None`.
fn domain(b: &[u8], pos: usize) -> Option<usize> {
    let mut end = pos;
    let mut labels = 0;
    let mut last_alpha = false;
    loop {
        let ls = end;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'-') {
            end += 1;
        }
        if end == ls {
            // a dot not followed by a label ends the name before the dot
            if labels >= 2 && last_alpha {
                return Some(ls - 1);
            }
            return None;
        }
        labels += 1;
        last_alpha = end - ls >= 2 && b[ls..end].iter().all(u8::is_ascii_alphabetic);
        if end < b.len() && b[end] == b'.' {
            end += 1;
            continue;
        }
        return (labels >= 2 && last_alpha).then_some(end);
    }
}

/// Common words that follow a handle cue without being a name (`snap mig`, `telegram only`).
const NOT_NAMES: &[&str] = &[
    "och", "eller", "mig", "oss", "dm", "idag", "bara", "för", "the", "and", "only", "now", "nu",
    "direkt", "finns", "funkar", "me", "us", "med", "med", "är", "har", "kanalen", "channel",
    "group", "gruppen", "app", "appen", "chat", "chatt", "chatten", "account", "konto", "kontot",
    "till", "från", "from", "to", "for", "inte", "not", "also", "också", "then", "sen", "skriv",
    "write", "message", "msg", "ring", "call", "via", "on", "på", "som", "who", "that", "this",
    "det", "den", "here", "där", "där", "eftersom", "because", "if", "om", "när", "when", "is",
];

/// `snap: namn`, `wickr me: namn`, `telegram namn`.
pub(crate) fn handle_cues(scan: &mut Scan<'_>) {
    if !scan
        .hits
        .iter()
        .any(|h| matches!(h.entry, Entry::HandleCue { .. }))
    {
        return;
    }
    scan.sort_mentions();
    let (b, spans) = (scan.text.as_bytes(), &scan.out);
    let mut found = Vec::new();
    for hit in &scan.hits {
        let Entry::HandleCue { colon } = hit.entry else {
            continue;
        };
        let mut i = hit.end;
        let mut saw_colon = false;
        // `snap: namn`, `snap namn`; not `Snapchat-namn`
        while i < b.len() && (b[i] == b' ' || b[i] == b':') {
            saw_colon |= b[i] == b':';
            i += 1;
        }
        if i - hit.end > 3 || i == hit.end || b.get(i) == Some(&b'@') {
            continue;
        }
        let Some(end) = id_name(b, i) else {
            continue;
        };
        let name = scan.text[i..end].to_ascii_lowercase();
        if !saw_colon && NOT_NAMES.contains(&name.as_str()) {
            continue;
        }
        // after an ordinary word (`session`, `signal`) and no colon, only what looks like an id
        if colon && !saw_colon && !name.bytes().any(|c| c.is_ascii_digit() || c == b'_') {
            continue;
        }
        if crate::overlaps(spans, i, end) {
            continue;
        }
        found.push((Kind::Handle, i, end, format!("@{name}")));
    }
    for (kind, s, e, v) in found {
        scan.push(kind, s, e, v);
    }
}

/// Registration plates: three letters of the plate alphabet, then two digits and a digit or
/// a letter.
fn plate_letters(b: &[u8]) -> bool {
    b.len() == 3
        && b.iter().all(|c| {
            c.is_ascii_alphabetic() && !matches!(c.to_ascii_uppercase(), b'I' | b'Q' | b'V')
        })
}

fn plate_tail(b: &[u8]) -> bool {
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && (b[2].is_ascii_digit()
            || (b[2].is_ascii_alphabetic()
                && !matches!(b[2].to_ascii_uppercase(), b'I' | b'Q' | b'V' | b'O')))
}

const PLATE_CUES: &[&str] = &[
    "reg",
    "regnr",
    "registreringsnummer",
    "registreringsnr",
    "registreringsskylt",
    "bil",
    "bilen",
    "bilens",
    "bilar",
    "plåt",
    "plåtar",
    "plåtarna",
    "skylt",
    "skylten",
    "skyltar",
    "car",
    "plate",
    "plates",
    "vehicle",
    "registration",
    "volvo",
    "bmw",
    "audi",
    "merca",
    "mercedes",
    "benz",
    "golf",
    "passat",
    "tesla",
    "saab",
    "toyota",
    "kia",
    "vw",
    "skoda",
    "opel",
    "ford",
    "renault",
    "peugeot",
    "hyundai",
    "nissan",
    "seat",
    "taxi",
    "van",
    "skåpbil",
    "skåpbilen",
    "lastbil",
    "mc",
    "moped",
    "mopeden",
    "suv",
    "kombi",
    "polo",
    "transporter",
    "sprinter",
    "caddy",
    "xc60",
    "xc90",
    "v70",
    "v60",
    "v90",
    "s60",
    "amg",
    "fordon",
    "personbil",
    "personbilen",
    "tjänstebil",
    "motorcykel",
    "motorcykeln",
    "husbil",
    "släpvagn",
    "lastbilen",
    "fordonet",
    "fordonets",
    "kör",
    "körde",
    "driving",
    "drove",
    "drives",
    "parkerad",
    "parkerade",
    "parked",
    "hyrbil",
    "hyrbilen",
    "bilnummer",
    "nr",
];

fn plate_cue_near(scan: &Scan<'_>, start: usize, end: usize) -> bool {
    scan.words_before(start, 6)
        .chain(scan.words_after(end, 2))
        .any(|w| crate::one_of(PLATE_CUES, w))
}

/// ASCII tokens, left to right.
pub(crate) fn scan_tokens(scan: &mut Scan<'_>, ctx: &Context, reference: Ymd) {
    let b = scan.text.as_bytes();
    // identifier spans found before (e-mail addresses, handles), in order, to skip over
    let mut skip: Vec<(usize, usize)> = scan.out.iter().map(|m| (m.start, m.end)).collect();
    skip.sort_unstable();
    let mut si = 0;
    let mut i = 0;
    while i < b.len() {
        while si < skip.len() && skip[si].1 <= i {
            si += 1;
        }
        if si < skip.len() && skip[si].0 <= i {
            i = skip[si].1;
            continue;
        }
        let c = b[i];
        let prev_alnum = i > 0 && b[i - 1].is_ascii_alphanumeric();
        if !c.is_ascii_alphanumeric() || prev_alnum {
            // a number may start with `+`, or a currency sign, handled with the digits
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        // letters glued to the token (`ö`) make it a word, not an identifier
        let glued = j < b.len() && b[j] >= 0xC0 && !scan.text[j..].starts_with(['×', '€', '£']);
        // every step moves on by one byte at least, whatever a reader returns
        if let Some(next) = identifier(scan, i, j, glued) {
            i = next.max(i + 1);
            continue;
        }
        if c.is_ascii_digit() {
            i = numbers::number(scan, i, ctx, reference).max(i + 1);
            continue;
        }
        if let Some(next) = numbers::word_number(scan, i, j) {
            i = next.max(i + 1);
            continue;
        }
        i = j;
    }
}

/// Crypto addresses, IBANs and plates starting at the token `i..j`; the end of what was found.
fn identifier(scan: &mut Scan<'_>, i: usize, j: usize, glued: bool) -> Option<usize> {
    let b = scan.text.as_bytes();
    let tok = &b[i..j];
    if glued {
        return None;
    }
    if (25..=110).contains(&tok.len())
        && let Some((kind, value)) = classify_crypto(&scan.text[i..j])
    {
        {
            let kind = match kind {
                CryptoKind::Btc => Kind::Btc,
                CryptoKind::Eth => Kind::Eth,
                CryptoKind::Xmr => Kind::Xmr,
            };
            scan.push(kind, i, j, value);
            return Some(j);
        }
    }
    // IBAN: a country code and check digits, then groups
    if tok.len() >= 4
        && tok[0].is_ascii_alphabetic()
        && tok[1].is_ascii_alphabetic()
        && tok[2].is_ascii_digit()
        && tok[3].is_ascii_digit()
    {
        let (valid, span) = iban(scan.text, i);
        if let Some(end) = valid {
            let value: String = scan.text[i..end]
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect();
            scan.push(Kind::Iban, i, end, value);
            return Some(end);
        }
        // an IBAN of a real country with a wrong check: its groups are no phone number
        if let Some(end) = span {
            return Some(end);
        }
    }
    // plates: `ABC123`, `ABC12D`, `ABC 123`
    let (pe, tail) = if tok.len() == 6 && plate_letters(&tok[..3]) && plate_tail(&tok[3..]) {
        (j, &tok[3..])
    } else if tok.len() == 3
        && plate_letters(tok)
        && b.get(j) == Some(&b' ')
        && b.len() >= j + 4
        && plate_tail(&b[j + 1..j + 4])
        && b.get(j + 4).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        (j + 4, &b[j + 1..j + 4])
    } else {
        return None;
    };
    // product and discount codes look the same (`FRX 245`, `BEN 500`): a plate needs a word
    // about a vehicle near it
    if plate_cue_near(scan, i, pe) {
        let mut value = String::with_capacity(6);
        value.extend(b[i..i + 3].iter().map(|c| c.to_ascii_uppercase() as char));
        value.extend(tail.iter().map(|c| c.to_ascii_uppercase() as char));
        scan.push(Kind::Plate, i, pe, value);
        return Some(pe);
    }
    None
}

/// The end of a valid IBAN starting at `start`, written compact or in groups separated by
/// single spaces or dashes; and, when the start is an IBAN country's code, the end of the
/// groups as written (a broken IBAN).
fn iban(text: &str, start: usize) -> (Option<usize>, Option<usize>) {
    let b = text.as_bytes();
    let country = text[start..start + 2].to_ascii_uppercase();
    let Some(len) = lagesbild_model::types::iban::country_length(&country) else {
        return (None, None);
    };
    let len = usize::from(len);
    let mut end = start;
    let mut n = 0;
    let mut valid = None;
    let mut last_group_end = start;
    while end < b.len() && n < len {
        if b[end].is_ascii_alphanumeric() {
            n += 1;
            end += 1;
            if end == b.len() || !b[end].is_ascii_alphanumeric() {
                last_group_end = end;
                if n == len && iban_valid(&text[start..end]) {
                    valid = Some(end);
                }
            }
        } else if matches!(b[end], b' ' | b'-')
            && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            end += 1;
        } else {
            break;
        }
    }
    let broken = (valid.is_none() && n >= 15 && last_group_end > start).then_some(last_group_end);
    (valid, broken)
}

/// The E.164 form of a phone number written as `raw` (digits and separators), in the region
/// of `ctx`.
pub(crate) fn phone(raw: &str, ctx: &Context) -> Option<String> {
    lagesbild_model::types::phone::e164(raw, ctx.phone_region())
}

//! Text intelligence: the identifiers, drug terms, quantities, prices and places in free text,
//! found with their byte offsets, validated and normalised.
//!
//! ```
//! use lagesbild_extract::{Extractor, Kind};
//! let ex = Extractor::default();
//! let text = "🍁 10g/1500, swisha 123 456 78 90 eller ring 070-123 45 67";
//! let found: Vec<(Kind, String)> = ex.extract(text).into_iter().map(|m| (m.kind, m.value)).collect();
//! assert!(found.contains(&(Kind::Substance, "cannabis".into())));
//! assert!(found.contains(&(Kind::Quantity, "10 g".into())));
//! assert!(found.contains(&(Kind::Price, "1500 SEK".into())));
//! assert!(found.contains(&(Kind::Swish, "1234567890".into())));
//! assert!(found.contains(&(Kind::Phone, "+46701234567".into())));
//! ```
//!
//! What counts as a mention, and how each value is written, is the contract in
//! `docs/extraction.md`. The extractor makes one pass of an Aho–Corasick automaton over a
//! lower-cased copy of the text (drug terms, places, cue words), one pass over `@` signs
//! (e-mail addresses and handles) and one pass over ASCII tokens (numbers and identifiers);
//! each step is linear in the text, so the whole is.

mod fold;
mod lexicon;
mod numbers;
mod tokens;

pub mod eval;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use lexicon::SUBSTANCES;

/// What a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Phone,
    Swish,
    Iban,
    Account,
    Btc,
    Eth,
    Xmr,
    Email,
    Handle,
    Personnummer,
    Samordningsnummer,
    Plate,
    Substance,
    Quantity,
    Price,
    Place,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Phone,
        Kind::Swish,
        Kind::Iban,
        Kind::Account,
        Kind::Btc,
        Kind::Eth,
        Kind::Xmr,
        Kind::Email,
        Kind::Handle,
        Kind::Personnummer,
        Kind::Samordningsnummer,
        Kind::Plate,
        Kind::Substance,
        Kind::Quantity,
        Kind::Price,
        Kind::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Phone => "phone",
            Kind::Swish => "swish",
            Kind::Iban => "iban",
            Kind::Account => "account",
            Kind::Btc => "btc",
            Kind::Eth => "eth",
            Kind::Xmr => "xmr",
            Kind::Email => "email",
            Kind::Handle => "handle",
            Kind::Personnummer => "personnummer",
            Kind::Samordningsnummer => "samordningsnummer",
            Kind::Plate => "plate",
            Kind::Substance => "substance",
            Kind::Quantity => "quantity",
            Kind::Price => "price",
            Kind::Place => "place",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the kind identifies someone or something (a phone, an account, a wallet, a
    /// vehicle): the kinds that link records to entities, measured against the stricter target.
    pub fn is_identifier(self) -> bool {
        !matches!(
            self,
            Kind::Substance | Kind::Quantity | Kind::Price | Kind::Place
        )
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One mention: `text[start..end]` is what was written, `value` its normalised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub value: String,
    /// For a price given per quantity (`5g/1000`, `200 kr/g`): that quantity (`5 g`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
}

impl Mention {
    /// The text as written.
    pub fn raw<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// A calendar date, for the century of personnummer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Ymd {
    /// Today in UTC.
    pub fn today() -> Ymd {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ymd::from_days((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days(days: i64) -> Ymd {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Ymd { year, month, day }
    }
}

/// How to read national forms.
#[derive(Debug, Clone)]
pub struct Options {
    /// Region of phone numbers written without a country code (ISO 3166-1 alpha-2).
    pub default_region: &'static str,
    /// The date the text was written, for the century of a 10-digit personnummer.
    pub reference: Ymd,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            default_region: "SE",
            reference: Ymd::today(),
        }
    }
}

/// Finds mentions. Building one compiles the lexicon (a few milliseconds); share it.
pub struct Extractor {
    lex: &'static lexicon::Lexicon,
    opts: Options,
    ctx: lagesbild_model::Context,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("opts", &self.opts)
            .finish()
    }
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new(Options::default())
    }
}

fn shared_lexicon() -> &'static lexicon::Lexicon {
    static LEX: OnceLock<lexicon::Lexicon> = OnceLock::new();
    LEX.get_or_init(lexicon::Lexicon::build)
}

/// A term found by the automaton, after the word-boundary check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub entry: lexicon::Entry,
}

/// One text being read: the original, its folded copy, the automaton's hits and the mentions
/// found so far.
pub(crate) struct Scan<'t> {
    pub text: &'t str,
    pub folded: Vec<u8>,
    pub hits: Vec<Hit>,
    pub out: Vec<Mention>,
}

impl Scan<'_> {
    pub(crate) fn push(&mut self, kind: Kind, start: usize, end: usize, value: String) {
        self.out.push(Mention {
            kind,
            start,
            end,
            value,
            per: None,
        });
    }

    /// The words before `pos` (folded, nearest first), at most `n` of them and none further
    /// back than 48 bytes, split at ASCII characters that are not letters or digits (so `å`
    /// stays inside its word).
    pub(crate) fn words_before(&self, pos: usize, n: usize) -> impl Iterator<Item = &[u8]> {
        let lo = pos.saturating_sub(48);
        let s = &self.folded[lo..pos];
        // a word cut by the window is left out
        let s = if lo > 0 {
            s.iter()
                .position(|c| is_sep(*c))
                .map_or(&s[..0], |k| &s[k..])
        } else {
            s
        };
        s.rsplit(|c| is_sep(*c)).filter(|w| !w.is_empty()).take(n)
    }

    /// The words after `pos`, folded, at most `n`, within 32 bytes.
    pub(crate) fn words_after(&self, pos: usize, n: usize) -> impl Iterator<Item = &[u8]> {
        let hi = (pos + 32).min(self.folded.len());
        let s = &self.folded[pos..hi];
        // a word cut by the window is left out
        let s = if hi < self.folded.len() {
            s.iter()
                .rposition(|c| is_sep(*c))
                .map_or(&s[..0], |k| &s[..k])
        } else {
            s
        };
        s.split(|c| is_sep(*c)).filter(|w| !w.is_empty()).take(n)
    }

    /// Sorts the mentions found so far by where they are, for [`overlaps`].
    pub(crate) fn sort_mentions(&mut self) {
        self.out.sort_unstable_by_key(|m| (m.start, m.end));
    }
}

/// Whether `start..end` overlaps one of the mentions, sorted by start. Mentions do not nest, so
/// the one starting last before `end` and the one before it are the only candidates.
pub(crate) fn overlaps(sorted: &[Mention], start: usize, end: usize) -> bool {
    let k = sorted.partition_point(|m| m.start < end);
    sorted[..k].iter().rev().take(2).any(|m| m.end > start)
}

/// Whether one of the sorted positions lies in `lo..hi`.
fn any_within(sorted: &[usize], lo: usize, hi: usize) -> bool {
    let k = sorted.partition_point(|p| *p < lo);
    sorted.get(k).is_some_and(|p| *p < hi)
}

/// A byte that separates words: ASCII and not a letter or digit.
fn is_sep(c: u8) -> bool {
    c < 0x80 && !c.is_ascii_alphanumeric()
}

/// Whether the word is one of `list`: compared by length and first byte before the rest.
pub(crate) fn one_of(list: &[&str], w: &[u8]) -> bool {
    let Some(first) = w.first() else {
        return false;
    };
    list.iter().any(|c| {
        let c = c.as_bytes();
        c.len() == w.len() && c[0] == *first && c == w
    })
}

/// Whether the characters just outside `start..end` are not letters or digits.
pub(crate) fn word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

impl Extractor {
    pub fn new(opts: Options) -> Extractor {
        let ctx = lagesbild_model::Context {
            default_region: opts.default_region,
            country_hints: Vec::new(),
        };
        Extractor {
            lex: shared_lexicon(),
            opts,
            ctx,
        }
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Every mention in `text`, ordered by where it starts.
    pub fn extract(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        self.extract_into(text, &mut out);
        out
    }

    /// As [`Extractor::extract`], into `out` (cleared first), so that reading many short
    /// messages reuses one vector.
    pub fn extract_into(&self, text: &str, out: &mut Vec<Mention>) {
        // the folded copy and the automaton's hits live in buffers kept per thread, so that
        // reading many short messages does not allocate them again for each
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Vec<u8>, Vec<Hit>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        let (mut folded, mut hits) = SCRATCH
            .with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)))
            .unwrap_or_default();
        fold::fold_into(text, &mut folded);
        hits.clear();
        out.clear();
        let mut scan = Scan {
            text,
            folded,
            hits,
            out: std::mem::take(out),
        };
        self.lexicon_hits(&mut scan);
        tokens::at_signs(&mut scan);
        tokens::handle_cues(&mut scan);
        tokens::scan_tokens(&mut scan, &self.ctx, self.opts.reference);
        self.terms(&mut scan);
        let Scan {
            folded,
            hits,
            out: mut found,
            ..
        } = scan;
        SCRATCH.with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = (folded, hits);
            }
        });
        found.sort_by_key(|m| (m.start, m.kind));
        *out = found;
    }

    fn lexicon_hits(&self, scan: &mut Scan<'_>) {
        use aho_corasick::automaton::Automaton;
        let Ok(found) = self
            .lex
            .automaton
            .try_find_iter(aho_corasick::Input::new(&scan.folded))
        else {
            return;
        };
        for m in found {
            let (entry, boundary) = self.lex.entries[m.pattern().as_usize()];
            let (start, mut end) = (m.start(), m.end());
            if boundary {
                if !word_boundary(scan.text, start, end)
                    && !Self::word_start(scan.text, start, end, entry)
                {
                    continue;
                }
            } else if scan.text[end..].starts_with('\u{FE0F}') {
                end += '\u{FE0F}'.len_utf8();
            }
            scan.hits.push(Hit { start, end, entry });
        }
    }

    /// Whether a term that does not end a word still counts: a strong drug word of five or more
    /// letters at the start of a Swedish compound (`kokainpåse`, `Psilocybinsvamp`; not
    /// `heroine`, whose tail is one letter), or a place in the genitive (`Möllegårdens`).
    fn word_start(text: &str, start: usize, end: usize, entry: lexicon::Entry) -> bool {
        use lexicon::Entry;
        let before = text[..start].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            return false;
        }
        let tail: &str = text[end..]
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        match entry {
            Entry::Substance { weak: false, .. } => {
                text[start..end].chars().count() >= 5
                    && tail.chars().count() >= 3
                    && tail.chars().all(char::is_alphabetic)
            }
            Entry::Place { .. } => tail == "s",
            _ => false,
        }
    }

    /// Drug terms and places, once the identifiers, quantities and prices are known.
    fn terms(&self, scan: &mut Scan<'_>) {
        use lexicon::Entry;
        const WINDOW: usize = 160;
        if scan.hits.is_empty() {
            return;
        }
        // the mentions found so far, by start, serve as the spans terms may not overlap
        scan.sort_mentions();
        let spans: &[Mention] = &scan.out;
        // where the text speaks of drugs, and where of lawns, roads, horses and kitchens: only
        // needed, and only gathered, when there is a weak drug word
        let (mut drugs, mut ordinary) = (Vec::new(), Vec::new());
        if scan
            .hits
            .iter()
            .any(|h| matches!(h.entry, Entry::Substance { weak: true, .. }))
        {
            for h in &scan.hits {
                match h.entry {
                    Entry::Sales | Entry::Substance { weak: false, .. } => drugs.push(h.start),
                    Entry::Ordinary => ordinary.push(h.start),
                    _ => {}
                }
            }
            drugs.extend(
                scan.out
                    .iter()
                    .filter(|m| matches!(m.kind, Kind::Quantity | Kind::Price | Kind::Swish))
                    .map(|m| m.start),
            );
            drugs.sort_unstable();
        }
        let mut found = Vec::new();
        let mut last_strong: Option<usize> = None;
        for hit in &scan.hits {
            if overlaps(spans, hit.start, hit.end) {
                continue;
            }
            match hit.entry {
                Entry::Substance { substance, weak } => {
                    if weak && capitalised_mid_sentence(scan.text, hit.start) {
                        // `att Emma säljer`, `Charlie sa`: a name, not slang
                        continue;
                    }
                    // a weak word right after a drug word describes it (`3-MMC crystal`,
                    // `molly kristaller`)
                    if weak
                        && last_strong.is_some_and(|e| {
                            hit.start >= e
                                && hit.start - e <= 2
                                && scan.text[e..hit.start].trim().is_empty()
                        })
                    {
                        continue;
                    }
                    if !weak {
                        last_strong = Some(hit.end);
                    }
                    if weak {
                        let lo = hit.start.saturating_sub(WINDOW);
                        let hi = hit.end + WINDOW;
                        if any_within(&ordinary, lo, hi) || !any_within(&drugs, lo, hi) {
                            continue;
                        }
                    }
                    found.push((
                        Kind::Substance,
                        hit.start,
                        hit.end,
                        SUBSTANCES[substance as usize].to_owned(),
                    ));
                }
                Entry::Place { place, ambiguous } => {
                    if ambiguous {
                        let capital = scan.text[hit.start..]
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase);
                        let prep = scan
                            .words_before(hit.start, 1)
                            .next()
                            .is_some_and(|w| one_of(PLACE_PREPOSITIONS, w));
                        // `Sala Thai`: a capitalised word after it makes it a name
                        let named = scan.text[hit.end..]
                            .strip_prefix(' ')
                            .and_then(|r| r.chars().next())
                            .is_some_and(char::is_uppercase);
                        if !capital || !prep || named {
                            continue;
                        }
                    }
                    found.push((
                        Kind::Place,
                        hit.start,
                        hit.end,
                        self.lex.places[place as usize].clone(),
                    ));
                }
                _ => {}
            }
        }
        for (kind, start, end, value) in found {
            scan.push(kind, start, end, value);
        }
    }
}

/// Whether the word at `start` begins with a capital letter inside a sentence.
fn capitalised_mid_sentence(text: &str, start: usize) -> bool {
    let capital = text[start..].chars().next().is_some_and(char::is_uppercase);
    let before = text[..start].trim_end_matches([' ', '\t', '"', '\'', '(']);
    capital
        && before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
}

const PLACE_PREPOSITIONS: &[&str] = &[
    "i", "från", "till", "utanför", "nära", "mot", "in", "from", "to", "near", "at", "vid",
    "kring", "runt", "around", "inom", "genom", "through", "outside",
];

#[cfg(test)]
mod tests;

//! The word lists the extractor matches in one pass: drug terms, places, and the cue words that
//! decide what a weak drug term or a handle means. Terms are folded (see `fold`) and matched
//! with one Aho–Corasick automaton over the folded text.
//!
//! The data lives in `data/*.tsv` (sources are named in their comment lines) and is compiled
//! into the binary.

use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;

use crate::fold::fold_term;

/// The canonical substance names, in the order of the contract (docs/extraction.md).
pub const SUBSTANCES: &[&str] = &[
    "cannabis",
    "cocaine",
    "crack",
    "amphetamine",
    "methamphetamine",
    "mdma",
    "heroin",
    "fentanyl",
    "opioid_other",
    "buprenorphine",
    "tramadol",
    "benzodiazepine",
    "pregabalin",
    "lsd",
    "psilocybin",
    "ketamine",
    "ghb",
    "synthetic_cannabinoid",
    "nps_other",
];

const SUBSTANCE_TSV: &str = include_str!("../data/substances.tsv");
const MUNICIPALITY_TSV: &str = include_str!("../data/municipalities.tsv");
const AREA_TSV: &str = include_str!("../data/areas.tsv");
const FICTIONAL_TSV: &str = include_str!("../data/fictional.tsv");

/// Words that name an account on a messaging app just before the name (`snap: namn`).
/// The first group may be followed by a space; the second needs a colon (they are ordinary
/// words too).
const HANDLE_CUES_SPACE: &[&str] = &[
    "snap", "snapchat", "wickr", "wickr me", "wickrme", "threema", "kik", "telegram", "tg",
];
const HANDLE_CUES_COLON: &[&str] = &[
    "sc",
    "tele",
    "insta",
    "instagram",
    "ig",
    "signal",
    "session",
];

/// Words that make the text around a weak drug term about drugs.
const SALES: &[&str] = &[
    "säljer",
    "sälja",
    "säljes",
    "köpa",
    "köper",
    "köpt",
    "köpte",
    "leverans",
    "levererar",
    "leverera",
    "levereras",
    "dm",
    "pm",
    "swisha",
    "swishar",
    "swish",
    "hämta",
    "droppa",
    "drop",
    "pris",
    "priser",
    "price",
    "prices",
    "sell",
    "selling",
    "sells",
    "buy",
    "buying",
    "delivery",
    "deliver",
    "stash",
    "langa",
    "langar",
    "langning",
    "langare",
    "langaren",
    "dealer",
    "dealar",
    "narkotika",
    "narkotikan",
    "knark",
    "knarket",
    "droger",
    "drogen",
    "drugs",
    "drug",
    "beslag",
    "beslagtogs",
    "beslagtagits",
    "anträffades",
    "påträffades",
    "narkotikabrott",
    "missbruk",
    "missbrukar",
    "röka",
    "röker",
    "rökte",
    "rökt",
    "sniffa",
    "snorta",
    "snortade",
    "snortar",
    "lina",
    "linor",
    "påse",
    "påsar",
    "zip",
    "zips",
    "kvalitet",
    "quality",
    "vakuumpackat",
    "vacuum",
    "stealth",
    "meny",
    "menu",
    "beställ",
    "beställa",
    "påverkad",
    "påverkan",
    "high",
    "tripp",
    "trippa",
    "trippade",
    "shipping",
    "vendor",
    "listing",
    "escrow",
    "tabs",
    "piller",
    "pills",
    "gram",
    "kilo",
    "ounce",
    "oz",
    "blandat",
    "ren",
    "renhet",
    "purity",
    "pure",
    "plugg",
    "plug",
    "plugget",
    "kund",
    "kunder",
    "kunden",
    "snortat",
    "rullade",
    "joint",
    "jointar",
    "bong",
    "spliff",
    "blunt",
    "inject",
    "injicera",
    "injicerade",
    "sprutor",
    "spruta",
    "abstinens",
    "överdos",
    "overdose",
    "fixa",
    "fixar",
    "skaffa",
    "skaffar",
    "lagom",
    "stuff",
    "grejer",
    "grejs",
];

/// Words that make a weak drug term mean its ordinary thing: lawns, roads, horses, kitchens,
/// weather, colours, ice.
const ORDINARY: &[&str] = &[
    "gräsmatta",
    "gräsmattan",
    "gräsmattor",
    "klippa",
    "klippte",
    "klipper",
    "klippt",
    "gräsklippare",
    "gräsklipparen",
    "trädgård",
    "trädgården",
    "lawn",
    "mow",
    "mowing",
    "garden",
    "motorväg",
    "motorvägen",
    "fartkontroll",
    "limit",
    "speed limit",
    "speeding ticket",
    "fartkontrollen",
    "poliskontroll",
    "km/h",
    "kmh",
    "mph",
    "fartkamera",
    "fartkameran",
    "hastighet",
    "hastigheten",
    "highway",
    "motorway",
    "speeding",
    "fortkörning",
    "trafik",
    "trafiken",
    "bilen körde",
    "ridning",
    "rida",
    "ridskola",
    "ridskolan",
    "stall",
    "stallet",
    "sto",
    "valack",
    "hingst",
    "föl",
    "sadel",
    "hage",
    "hagen",
    "ryttare",
    "hovslagare",
    "travet",
    "trav",
    "galopp",
    "riding",
    "saddle",
    "stable",
    "paddock",
    "foal",
    "pony",
    "hästen",
    "hästar",
    "pasta",
    "potatis",
    "ris",
    "vatten",
    "ägg",
    "kaffe",
    "soppa",
    "spagetti",
    "recept",
    "recipe",
    "kastrull",
    "boil",
    "cook",
    "cooking",
    "kitchen",
    "kök",
    "köket",
    "väder",
    "vädret",
    "snöar",
    "snöade",
    "snöfall",
    "snöstorm",
    "plogning",
    "plogbil",
    "grader",
    "minusgrader",
    "halka",
    "halkan",
    "weather",
    "snowing",
    "forecast",
    "prognos",
    "smhi",
    "skotta",
    "skottade",
    "skottar",
    "färg",
    "färgen",
    "tröja",
    "tröjan",
    "jacka",
    "jackan",
    "byxor",
    "vägg",
    "väggen",
    "colour",
    "color",
    "shirt",
    "paint",
    "isen",
    "ishockey",
    "hockey",
    "skridskor",
    "skating",
    "glassen",
    "jordgubb",
    "vanilj",
    "internet",
    "bredband",
    "wifi",
    "uppkoppling",
    "mbit",
    "mbps",
    "fiber",
    "bröllop",
    "klänning",
    "snögubbe",
    "pulka",
    "skidor",
    "ski",
    "skiing",
    "fotboll",
    "match",
    "matchen",
    "lagets",
];

/// What a matched term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// A drug term: index into `SUBSTANCES`, and whether it needs drug context.
    Substance {
        substance: u8,
        weak: bool,
    },
    /// A place of the gazetteer: index into `Lexicon::places`.
    Place {
        place: u32,
        ambiguous: bool,
    },
    /// A handle cue; `colon` when it must be followed by a colon.
    HandleCue {
        colon: bool,
    },
    Sales,
    Ordinary,
}

impl Entry {
    /// Whether the term is a word that must stand alone (an emoji need not).
    fn needs_boundary(term: &str) -> bool {
        term.chars().any(char::is_alphanumeric)
    }
}

pub(crate) struct Lexicon {
    /// The DFA itself rather than the `AhoCorasick` wrapper: its searches are then
    /// monomorphised and inlined instead of called through a trait object (measured faster on
    /// short messages).
    pub(crate) automaton: DFA,
    pub(crate) entries: Vec<(Entry, bool)>,
    pub(crate) places: Vec<String>,
}

/// Rows of a TSV table: comment lines (`#`) and the header skipped, cells split on tabs.
fn rows(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect())
}

impl Lexicon {
    pub(crate) fn build() -> Lexicon {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<(Entry, bool)> = Vec::new();
        let mut places: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut add = |term: &str, entry: Entry, patterns: &mut Vec<String>| {
            let folded = fold_term(term);
            // single letters and two-letter words are too noisy to match as drug terms
            if folded.is_empty() || !seen.insert(folded.clone()) {
                return;
            }
            let boundary = Entry::needs_boundary(&folded);
            entries.push((entry, boundary));
            patterns.push(folded);
        };
        for row in rows(SUBSTANCE_TSV) {
            let [term, substance, strength, ..] = row[..] else {
                continue;
            };
            let Some(i) = SUBSTANCES.iter().position(|s| *s == substance) else {
                continue;
            };
            if term.chars().count() < 3 && term.chars().any(char::is_alphanumeric) {
                continue;
            }
            let weak = strength != "strong";
            add(
                term,
                Entry::Substance {
                    substance: i as u8,
                    weak,
                },
                &mut patterns,
            );
        }
        let mut add_place = |name: &str, ambiguous: bool, patterns: &mut Vec<String>| {
            let place = places.len() as u32;
            places.push(name.to_owned());
            add(name, Entry::Place { place, ambiguous }, patterns);
        };
        for row in rows(MUNICIPALITY_TSV) {
            if let [_, name, _, _, _, ambiguous, ..] = row[..] {
                add_place(name, ambiguous == "1", &mut patterns);
            }
        }
        for row in rows(AREA_TSV) {
            if let [name, _, _, ambiguous, ..] = row[..] {
                add_place(name, ambiguous == "1", &mut patterns);
            }
        }
        for row in rows(FICTIONAL_TSV) {
            if let [name, ambiguous, ..] = row[..] {
                add_place(name, ambiguous == "1", &mut patterns);
            }
        }
        for cue in HANDLE_CUES_SPACE {
            add(cue, Entry::HandleCue { colon: false }, &mut patterns);
        }
        for cue in HANDLE_CUES_COLON {
            add(cue, Entry::HandleCue { colon: true }, &mut patterns);
        }
        for w in SALES {
            add(w, Entry::Sales, &mut patterns);
        }
        for w in ORDINARY {
            add(w, Entry::Ordinary, &mut patterns);
        }
        let automaton = DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            // no prefilter: with over a thousand terms it finds candidates no faster than the
            // automaton itself, and short messages pay for starting it (measured: 4% slower)
            .prefilter(false)
            .build(&patterns)
            .expect("the lexicon compiles");
        Lexicon {
            automaton,
            entries,
            places,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_load_and_every_substance_has_terms() {
        let lex = Lexicon::build();
        for (i, name) in SUBSTANCES.iter().enumerate() {
            let n = lex
                .entries
                .iter()
                .filter(|(e, _)| matches!(e, Entry::Substance { substance, .. } if *substance as usize == i))
                .count();
            assert!(n >= 2, "{name} has {n} terms");
        }
        assert!(lex.places.len() >= 290 + 4, "{} places", lex.places.len());
        let muni = rows(MUNICIPALITY_TSV).count();
        assert_eq!(muni, 290, "municipalities");
    }
}

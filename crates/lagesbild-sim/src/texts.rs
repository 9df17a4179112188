//! `texts.jsonl`: every free text the simulator writes (chat messages, tip narratives), with
//! the mentions it put into it, in the annotated-fixture format of `lagesbild-extract`
//! (docs/extraction.md), so that extraction is measured on the simulated world.

use serde_json::{Value, json};

/// The canonical substance a word or emoji of the simulator's texts names, per the contract.
pub fn substance_of(word: &str) -> Option<&'static str> {
    Some(match word {
        "grönt" | "braj" | "cannabis" | "🍁" => "cannabis",
        "vitt" | "koks" | "kokain" | "❄️" => "cocaine",
        "tjack" | "amfetamin" => "amphetamine",
        "knappar" | "MDMA" => "mdma",
        "benzodiazepin" => "benzodiazepine",
        "heroin" => "heroin",
        _ => return None,
    })
}

/// The texts written so far.
#[derive(Debug, Default)]
pub struct Texts {
    lines: Vec<Value>,
}

impl Texts {
    /// Adds a text written into `source`, with its mentions as (kind, value).
    pub fn add(&mut self, source: &str, genre: &str, text: &str, mentions: &[(&str, String)]) {
        let id = format!("{source}#{}", self.lines.len() + 1);
        let mut seen: Vec<&(&str, String)> = Vec::new();
        for m in mentions {
            if !seen.contains(&m) {
                seen.push(m);
            }
        }
        self.lines.push(json!({
            "id": id,
            "lang": "sv",
            "genre": genre,
            "text": text,
            "mentions": seen
                .iter()
                .map(|(k, v)| json!({"kind": k, "value": v}))
                .collect::<Vec<_>>(),
        }));
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The JSON Lines text.
    pub fn to_jsonl(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.to_string());
            s.push('\n');
        }
        s
    }
}

/// The places of the gazetteer among the simulator's district names (generic ones such as
/// "Centrum" are not places to find).
pub fn place(name: &str) -> Option<(&'static str, String)> {
    (name != "Centrum").then(|| ("place", name.to_owned()))
}

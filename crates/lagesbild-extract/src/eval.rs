//! Measuring the extractor against annotated texts: precision and recall per kind,
//! micro-averaged over distinct `(text, kind, value)` triples (docs/extraction.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Extractor, Kind};

/// One annotated text, a line of the fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct Annotated {
    pub id: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub genre: String,
    pub text: String,
    pub mentions: Vec<Expected>,
}

/// A mention the annotator expects.
#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    pub kind: String,
    pub value: String,
    #[serde(default)]
    pub raw: Option<String>,
    #[serde(default)]
    pub per: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

/// Reads a JSON Lines fixture of annotated texts.
pub fn read_fixture(path: &Path) -> Result<Vec<Annotated>, EvalError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: shown.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let a: Annotated = serde_json::from_str(line).map_err(|e| EvalError::Line {
            path: shown.clone(),
            line: n + 1,
            message: e.to_string(),
        })?;
        for m in &a.mentions {
            if Kind::parse(&m.kind).is_none() {
                return Err(EvalError::Line {
                    path: shown.clone(),
                    line: n + 1,
                    message: format!("unknown kind {:?}", m.kind),
                });
            }
        }
        out.push(a);
    }
    Ok(out)
}

/// True and false positives and false negatives of one kind.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// A disagreement, for reading what went wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub kind: Kind,
    pub value: String,
    /// `false positive` or `false negative`.
    pub what: &'static str,
}

/// Scores per kind, with totals for identifiers and for all kinds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub texts: usize,
    pub bytes: usize,
    pub per_kind: BTreeMap<Kind, Counts>,
    pub misses: Vec<Miss>,
}

impl Report {
    pub fn identifiers(&self) -> Counts {
        let mut c = Counts::default();
        for (k, v) in &self.per_kind {
            if k.is_identifier() {
                c.add(v);
            }
        }
        c
    }

    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        for v in self.per_kind.values() {
            c.add(v);
        }
        c
    }

    /// Adds one text: what the extractor found against what was expected.
    pub fn add(
        &mut self,
        id: &str,
        text: &str,
        expected: &BTreeSet<(Kind, String)>,
        ex: &Extractor,
    ) {
        self.texts += 1;
        self.bytes += text.len();
        let found: BTreeSet<(Kind, String)> = ex
            .extract(text)
            .into_iter()
            .map(|m| (m.kind, m.value))
            .collect();
        for k in expected.iter().chain(found.iter()).map(|(k, _)| *k) {
            self.per_kind.entry(k).or_default();
        }
        for item in &found {
            let c = self.per_kind.entry(item.0).or_default();
            if expected.contains(item) {
                c.tp += 1;
            } else {
                c.fp += 1;
                self.misses.push(Miss {
                    id: id.to_owned(),
                    kind: item.0,
                    value: item.1.clone(),
                    what: "false positive",
                });
            }
        }
        for item in expected.difference(&found) {
            self.per_kind.entry(item.0).or_default().fn_ += 1;
            self.misses.push(Miss {
                id: id.to_owned(),
                kind: item.0,
                value: item.1.clone(),
                what: "false negative",
            });
        }
    }

    /// A plain-text table.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<18} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6}\n",
            "kind", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        let row = |name: &str, c: &Counts| {
            format!(
                "{:<18} {:>6} {:>6} {:>6} {:>9.3} {:>7.3} {:>6.3}\n",
                name,
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            )
        };
        for (k, c) in &self.per_kind {
            s.push_str(&row(k.as_str(), c));
        }
        s.push_str(&row("identifiers", &self.identifiers()));
        s.push_str(&row("all", &self.total()));
        s
    }
}

/// Scores the extractor on annotated texts.
pub fn score(items: &[Annotated], ex: &Extractor) -> Report {
    let mut report = Report::default();
    for a in items {
        let expected: BTreeSet<(Kind, String)> = a
            .mentions
            .iter()
            .filter_map(|m| Kind::parse(&m.kind).map(|k| (k, m.value.clone())))
            .collect();
        report.add(&a.id, &a.text, &expected, ex);
    }
    report
}

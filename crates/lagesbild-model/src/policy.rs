//! The policy fields every record carries: who provided it, how reliable it is (Europol 4x4),
//! how it may be handled, whom it is about, why it is held and for how long.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An error in a policy field, naming the field and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field} {value:?}: {hint}")]
pub struct PolicyError {
    pub field: &'static str,
    pub value: String,
    pub hint: &'static str,
}

fn err(field: &'static str, value: &str, hint: &'static str) -> PolicyError {
    PolicyError {
        field,
        value: value.to_owned(),
        hint,
    }
}

/// Europol 4x4: the reliability of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SourceGrade {
    /// No doubt about authenticity, trustworthiness and competence; always reliable.
    A,
    /// Mostly reliable.
    B,
    /// Mostly unreliable.
    C,
    /// Cannot be assessed.
    X,
}

/// Europol 4x4: the assessment of the information itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum InfoGrade {
    /// Accuracy not in doubt.
    Known = 1,
    /// Known personally to the source but not to the official passing it on.
    KnownToSource = 2,
    /// Not known personally to the source but corroborated by information already held.
    Corroborated = 3,
    /// Not known personally to the source and cannot be corroborated.
    Uncorroborated = 4,
}

impl From<InfoGrade> for u8 {
    fn from(g: InfoGrade) -> u8 {
        g as u8
    }
}

impl TryFrom<u8> for InfoGrade {
    type Error = PolicyError;
    fn try_from(v: u8) -> Result<Self, PolicyError> {
        match v {
            1 => Ok(InfoGrade::Known),
            2 => Ok(InfoGrade::KnownToSource),
            3 => Ok(InfoGrade::Corroborated),
            4 => Ok(InfoGrade::Uncorroborated),
            _ => Err(err(
                "information grade",
                &v.to_string(),
                "expected 1, 2, 3 or 4",
            )),
        }
    }
}

/// The 4x4 grading of a record, written `B2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grading {
    pub source: SourceGrade,
    pub info: InfoGrade,
}

impl Grading {
    /// Whether this grading is at least as good as `min` on both scales (`A1` and `B2` are at
    /// least `B2`; `A3` is not).
    pub fn at_least(self, min: Grading) -> bool {
        self.source <= min.source && self.info <= min.info
    }
}

impl Default for Grading {
    /// Ungraded material: the source cannot be assessed, the information not corroborated.
    fn default() -> Self {
        Grading {
            source: SourceGrade::X,
            info: InfoGrade::Uncorroborated,
        }
    }
}

impl FromStr for Grading {
    type Err = PolicyError;
    fn from_str(s: &str) -> Result<Self, PolicyError> {
        const HINT: &str = "expected a source grade A, B, C or X followed by 1–4, e.g. B2";
        let t = s.trim();
        let mut chars = t.chars();
        let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) else {
            return Err(err("grading", s, HINT));
        };
        let source = match a.to_ascii_uppercase() {
            'A' => SourceGrade::A,
            'B' => SourceGrade::B,
            'C' => SourceGrade::C,
            'X' => SourceGrade::X,
            _ => return Err(err("grading", s, HINT)),
        };
        let info = b
            .to_digit(10)
            .and_then(|d| InfoGrade::try_from(d as u8).ok())
            .ok_or_else(|| err("grading", s, HINT))?;
        Ok(Grading { source, info })
    }
}

impl fmt::Display for Grading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}{}", self.source, self.info as u8)
    }
}

/// Europol handling codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Handling {
    /// Use only to prevent and combat crime.
    H0,
    /// Not to be used in court without the provider's permission.
    H1,
    /// Not to be passed on without the provider's permission.
    H2,
    /// Other restrictions, given as free text.
    H3,
}

impl FromStr for Handling {
    type Err = PolicyError;
    fn from_str(s: &str) -> Result<Self, PolicyError> {
        match s.trim().to_ascii_uppercase().as_str() {
            "H0" => Ok(Handling::H0),
            "H1" => Ok(Handling::H1),
            "H2" => Ok(Handling::H2),
            "H3" => Ok(Handling::H3),
            _ => Err(err("handling code", s, "expected H0, H1, H2 or H3")),
        }
    }
}

impl fmt::Display for Handling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Data-subject categories, kept apart as the law requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectCategory {
    Suspect,
    Convicted,
    Victim,
    Witness,
    Contact,
    Informant,
    NotSuspected,
    /// Material not about identified people (wastewater, aggregate statistics, listings).
    None,
    /// Not yet categorised; treated as the most protected category by the policy engine.
    Unknown,
}

impl SubjectCategory {
    pub const ALL: [SubjectCategory; 9] = [
        SubjectCategory::Suspect,
        SubjectCategory::Convicted,
        SubjectCategory::Victim,
        SubjectCategory::Witness,
        SubjectCategory::Contact,
        SubjectCategory::Informant,
        SubjectCategory::NotSuspected,
        SubjectCategory::None,
        SubjectCategory::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectCategory::Suspect => "suspect",
            SubjectCategory::Convicted => "convicted",
            SubjectCategory::Victim => "victim",
            SubjectCategory::Witness => "witness",
            SubjectCategory::Contact => "contact",
            SubjectCategory::Informant => "informant",
            SubjectCategory::NotSuspected => "not_suspected",
            SubjectCategory::None => "none",
            SubjectCategory::Unknown => "unknown",
        }
    }
}

impl FromStr for SubjectCategory {
    type Err = PolicyError;
    fn from_str(s: &str) -> Result<Self, PolicyError> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        Ok(match t.as_str() {
            "suspect" | "misstänkt" => SubjectCategory::Suspect,
            "convicted" | "dömd" => SubjectCategory::Convicted,
            "victim" | "målsägande" | "brottsoffer" => SubjectCategory::Victim,
            "witness" | "vittne" => SubjectCategory::Witness,
            "contact" | "associate" | "kontakt" => SubjectCategory::Contact,
            "informant" | "källa" => SubjectCategory::Informant,
            "not_suspected" | "non_suspect" | "ej_misstänkt" => SubjectCategory::NotSuspected,
            "none" => SubjectCategory::None,
            "unknown" => SubjectCategory::Unknown,
            _ => {
                return Err(err(
                    "data-subject category",
                    s,
                    "expected suspect, convicted, victim, witness, contact, informant, \
                     not_suspected, none or unknown",
                ));
            }
        })
    }
}

impl fmt::Display for SubjectCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policy fields of a record. The registration time is set by the store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Policy {
    /// The organisation the record originates from.
    pub org: String,
    pub dataset: String,
    pub grading: Grading,
    pub handling: Handling,
    /// The restriction in words; required with H3.
    pub handling_note: Option<String>,
    pub subject_category: SubjectCategory,
    /// Why the record is held (the purpose of the processing).
    pub purpose: String,
    pub legal_basis: Option<String>,
    /// The compartment (operation, case) the record belongs to, if any.
    pub compartment: Option<String>,
    /// When the need to keep the record must be reviewed (ISO date).
    pub review_by: Option<String>,
    /// When the record must be erased (ISO date).
    pub delete_by: Option<String>,
}

impl Policy {
    /// A policy with the defaults for material nobody graded: X4, H0, category unknown.
    pub fn new(org: &str, dataset: &str, purpose: &str) -> Policy {
        Policy {
            org: org.to_owned(),
            dataset: dataset.to_owned(),
            grading: Grading::default(),
            handling: Handling::H0,
            handling_note: None,
            subject_category: SubjectCategory::Unknown,
            purpose: purpose.to_owned(),
            legal_basis: None,
            compartment: None,
            review_by: None,
            delete_by: None,
        }
    }

    /// Checks the fields that must hang together.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if self.org.trim().is_empty() {
            return Err(err(
                "organisation",
                &self.org,
                "the originating organisation is required",
            ));
        }
        if self.dataset.trim().is_empty() {
            return Err(err("dataset", &self.dataset, "a dataset name is required"));
        }
        if self.purpose.trim().is_empty() {
            return Err(err(
                "purpose",
                &self.purpose,
                "the purpose of the processing is required",
            ));
        }
        if self.handling == Handling::H3
            && self
                .handling_note
                .as_deref()
                .is_none_or(|n| n.trim().is_empty())
        {
            return Err(err(
                "handling code",
                "H3",
                "H3 needs the restriction in words",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grading_at_least_holds_on_both_scales() {
        let g = |s: &str| s.parse::<Grading>().unwrap();
        for (have, min, ok) in [
            ("A1", "B2", true),
            ("B2", "B2", true),
            ("A3", "B2", false),
            ("C1", "B2", false),
            ("X4", "X4", true),
            ("B2", "A1", false),
        ] {
            assert_eq!(g(have).at_least(g(min)), ok, "{have} at least {min}");
        }
    }

    #[test]
    fn grading_parses_and_prints() {
        for (s, out) in [("B2", "B2"), ("a1", "A1"), (" X4 ", "X4"), ("C3", "C3")] {
            assert_eq!(s.parse::<Grading>().unwrap().to_string(), out);
        }
        for bad in ["", "B", "B5", "D1", "B22", "2B", "Ö1"] {
            assert!(bad.parse::<Grading>().is_err(), "{bad}");
        }
    }

    #[test]
    fn handling_and_categories() {
        assert_eq!("h3".parse::<Handling>().unwrap(), Handling::H3);
        assert!("H4".parse::<Handling>().is_err());
        assert_eq!(
            "not suspected".parse::<SubjectCategory>().unwrap(),
            SubjectCategory::NotSuspected
        );
        assert_eq!(
            "misstänkt".parse::<SubjectCategory>().unwrap(),
            SubjectCategory::Suspect
        );
        for c in SubjectCategory::ALL {
            assert_eq!(c.as_str().parse::<SubjectCategory>().unwrap(), c);
        }
        assert!("bystander".parse::<SubjectCategory>().is_err());
    }

    #[test]
    fn h3_needs_a_note() {
        let mut p = Policy::new("Polisen NOA", "tips", "utredning");
        p.handling = Handling::H3;
        assert!(p.validate().is_err());
        p.handling_note = Some("only for operation X".into());
        assert!(p.validate().is_ok());
        p.purpose = " ".into();
        assert_eq!(p.validate().unwrap_err().field, "purpose");
    }
}

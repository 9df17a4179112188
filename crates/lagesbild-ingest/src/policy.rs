//! Policy fields per row: a mapping's `policy` block may take the grading, handling code,
//! data-subject category and the rest from a column of the row or a literal, overriding the
//! defaults given on the command line.

use lagesbild_model::{Grading, Handling, Policy, SubjectCategory, types};

use crate::error::IngestError;
use crate::mapping::{PolicyMapping, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Org,
    Grading,
    Handling,
    HandlingNote,
    SubjectCategory,
    Purpose,
    LegalBasis,
    Compartment,
    ReviewBy,
    DeleteBy,
}

#[derive(Debug, Clone)]
enum Compiled {
    Column(usize, String),
    Literal(String),
}

/// The overrides of one query, with columns resolved to positions.
#[derive(Debug, Clone, Default)]
pub struct PolicyOverrides {
    fields: Vec<(Field, Compiled)>,
}

impl PolicyOverrides {
    pub fn compile(
        file: &str,
        m: &PolicyMapping,
        col: &dyn Fn(&str) -> Result<usize, IngestError>,
    ) -> Result<Self, IngestError> {
        let mut fields = Vec::new();
        for (field, src) in [
            (Field::Org, &m.org),
            (Field::Grading, &m.grading),
            (Field::Handling, &m.handling),
            (Field::HandlingNote, &m.handling_note),
            (Field::SubjectCategory, &m.subject_category),
            (Field::Purpose, &m.purpose),
            (Field::LegalBasis, &m.legal_basis),
            (Field::Compartment, &m.compartment),
            (Field::ReviewBy, &m.review_by),
            (Field::DeleteBy, &m.delete_by),
        ] {
            match src {
                None => {}
                Some(Source::Column(c)) => {
                    fields.push((field, Compiled::Column(col(c)?, c.clone())))
                }
                Some(Source::Literal(l)) => fields.push((field, Compiled::Literal(l.clone()))),
            }
        }
        let me = PolicyOverrides { fields };
        // literals are checked once, here, rather than on every row
        let base = Policy::new("x", "x", "x");
        for (field, c) in &me.fields {
            if matches!(c, Compiled::Literal(_)) {
                let one = PolicyOverrides {
                    fields: vec![(*field, c.clone())],
                };
                one.apply(&base, &[]).map_err(|(f, msg)| {
                    IngestError::new(file, format!("the mapping's policy: {msg}"))
                        .field(format!("policy.{f}"))
                })?;
            }
        }
        Ok(me)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The policy of one row; an error names the column (or field) and what is wrong.
    pub fn apply(&self, base: &Policy, row: &[String]) -> Result<Policy, (String, String)> {
        let mut p = base.clone();
        for (field, src) in &self.fields {
            let (value, name) = match src {
                Compiled::Column(i, name) => (row[*i].trim(), name.clone()),
                Compiled::Literal(l) => (l.trim(), format!("{field:?}")),
            };
            if value.is_empty() {
                continue; // an empty cell keeps the default
            }
            let bad = |e: String| (name.clone(), e);
            match field {
                Field::Org => p.org = value.to_owned(),
                Field::Grading => {
                    p.grading = value.parse::<Grading>().map_err(|e| bad(e.to_string()))?
                }
                Field::Handling => {
                    p.handling = value.parse::<Handling>().map_err(|e| bad(e.to_string()))?
                }
                Field::HandlingNote => p.handling_note = Some(value.to_owned()),
                Field::SubjectCategory => {
                    p.subject_category = value
                        .parse::<SubjectCategory>()
                        .map_err(|e| bad(e.to_string()))?
                }
                Field::Purpose => p.purpose = value.to_owned(),
                Field::LegalBasis => p.legal_basis = Some(value.to_owned()),
                Field::Compartment => p.compartment = Some(value.to_owned()),
                Field::ReviewBy | Field::DeleteBy => {
                    let d = types::parse_date(value)
                        .ok_or_else(|| bad(format!("{value:?} is not a date")))?
                        .to_string();
                    if *field == Field::ReviewBy {
                        p.review_by = Some(d);
                    } else {
                        p.delete_by = Some(d);
                    }
                }
            }
        }
        Ok(p)
    }
}

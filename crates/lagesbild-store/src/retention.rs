//! Retention: how long records are kept, which are due for erasure and why.
//!
//! A period is set per data-subject category (intelligence about suspects, say, five years).
//! The clock of a record runs from the last *relevant entry*: the newest record that mentions
//! one of the same entities, so that new information about a person keeps the older records
//! about that person (Brottsdatalagen's rule for intelligence data). A record whose policy has
//! its own `delete_by` date is due on that date whatever the period. A category without a
//! period is not erased automatically but comes up for review once a year after its last
//! relevant entry.

use serde::Serialize;

/// A retention period for one data-subject category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionRule {
    pub category: String,
    pub years: u32,
}

/// Why a record is due, or up for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The category's period has run out since the last relevant entry.
    Period { years: u32 },
    /// The record's own erasure date has passed.
    DeleteBy { date: String },
    /// No period is set: a yearly review is due.
    Review,
}

/// A record due for erasure (or review), with what decided it; never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub record_id: i64,
    pub dataset: String,
    pub category: String,
    pub registered_at: String,
    /// When the newest record about one of the same entities was registered.
    pub last_relevant: String,
    pub reason: Reason,
}

impl Candidate {
    /// Whether the record is to be erased (not only reviewed).
    pub fn erase(&self) -> bool {
        !matches!(self.reason, Reason::Review)
    }
}

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    pub records: u64,
    /// Entities left with no record and no link, removed with their keys.
    pub entities: u64,
    pub links: u64,
    /// Judgements that only erased entities supported.
    pub judgements: u64,
}

/// The date `years` after the RFC 3339 time or ISO date `from` (its first ten characters), as
/// an ISO date; 29 February goes to 28 February in a common year.
pub(crate) fn years_after(from: &str, years: u32) -> Option<String> {
    let d = from.get(..10)?;
    let y: i32 = d.get(..4)?.parse().ok()?;
    let m: u32 = d.get(5..7)?.parse().ok()?;
    let mut day: u32 = d.get(8..10)?.parse().ok()?;
    let y2 = y + years as i32;
    let leap = (y2 % 4 == 0 && y2 % 100 != 0) || y2 % 400 == 0;
    if m == 2 && day == 29 && !leap {
        day = 28;
    }
    Some(format!("{y2:04}-{m:02}-{day:02}"))
}

/// Decides one record: due with a reason, or `None`. Dates compare as ISO strings.
pub(crate) fn decide(
    rules: &[RetentionRule],
    category: &str,
    delete_by: Option<&str>,
    last_relevant: &str,
    as_of: &str,
) -> Option<Reason> {
    if let Some(d) = delete_by
        && d <= as_of
    {
        return Some(Reason::DeleteBy { date: d.to_owned() });
    }
    match rules.iter().find(|r| r.category == category) {
        Some(r) => {
            let until = years_after(last_relevant, r.years)?;
            (until.as_str() <= as_of).then_some(Reason::Period { years: r.years })
        }
        None => {
            let review = years_after(last_relevant, 1)?;
            (review.as_str() <= as_of).then_some(Reason::Review)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_run_from_the_last_relevant_entry() {
        let rules = vec![RetentionRule {
            category: "suspect".into(),
            years: 3,
        }];
        let last = "2023-05-01T10:00:00Z";
        assert_eq!(decide(&rules, "suspect", None, last, "2026-04-30"), None);
        assert_eq!(
            decide(&rules, "suspect", None, last, "2026-05-01"),
            Some(Reason::Period { years: 3 })
        );
        assert_eq!(
            decide(&rules, "witness", None, last, "2024-05-02"),
            Some(Reason::Review)
        );
        assert_eq!(
            decide(&rules, "suspect", Some("2024-01-01"), last, "2024-01-01"),
            Some(Reason::DeleteBy {
                date: "2024-01-01".into()
            })
        );
        assert_eq!(years_after("2024-02-29", 1).unwrap(), "2025-02-28");
    }
}

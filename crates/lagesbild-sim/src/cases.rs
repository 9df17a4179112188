//! The flow of a seizure's case from the seizure to the laboratory's result and the
//! prosecutor's decision, with SLF (*snabbare lagföring*) cases faster.
//!
//! The Swedish police reported a median of 6.4 weeks from crime to judgment for SLF cases in 2021.
//! Ordinary drug cases take months: the lab's analysis alone takes weeks. The simulator draws each
//! lead time from a log-normal distribution:
//! - SLF cases: median 45 days to the decision; the lab's result in 2–10 days.
//! - Other cases: median 120 days to the decision; the lab's result in 14–60 days.
//!
//! A case whose decision would fall after the simulated period is still open: its date is empty,
//! as it would be in a register extract.

use serde::Serialize;

use crate::rng::Rng;

/// Median days from seizure to the prosecutor's decision.
const SLF_MEDIAN_DAYS: f64 = 45.0;
const ORDINARY_MEDIAN_DAYS: f64 = 120.0;
/// The spread of the log-normal lead times (σ of the logarithm).
const SIGMA: f64 = 0.45;

/// One case's dates as the register shows them (empty when not yet reached).
#[derive(Debug, Clone)]
pub struct Flow {
    pub lab_reference: String,
    pub lab_reported_at: String,
    pub decided_at: String,
}

/// Lead times of all cases, for `truth.json`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CaseTruth {
    pub slf: LeadTimes,
    pub ordinary: LeadTimes,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct LeadTimes {
    pub cases: u64,
    /// Cases decided within the period.
    pub decided: u64,
    /// Median days from seizure to decision over the decided cases.
    pub median_days_to_decision: Option<f64>,
    /// Median days from seizure to the lab's result over the cases with a result.
    pub median_days_to_lab: Option<f64>,
    #[serde(skip)]
    to_decision: Vec<u32>,
    #[serde(skip)]
    to_lab: Vec<u32>,
}

/// Opens cases and keeps their lead times.
#[derive(Debug, Clone)]
pub struct Cases {
    /// The last simulated day (ISO date): nothing after it has happened yet.
    last_day: i64,
    next_lab: u64,
    truth: CaseTruth,
}

impl Cases {
    pub fn new(last_day: &str) -> Cases {
        Cases {
            last_day: days_from_iso(last_day),
            next_lab: 0,
            truth: CaseTruth::default(),
        }
    }

    /// A case for a seizure on `seized_on` (ISO date).
    pub fn open(&mut self, rng: &mut Rng, seized_on: &str, slf: bool) -> Flow {
        let start = days_from_iso(seized_on);
        let (median, lab) = if slf {
            (SLF_MEDIAN_DAYS, rng.range(2, 10))
        } else {
            (ORDINARY_MEDIAN_DAYS, rng.range(14, 60))
        };
        let decision = (median * (SIGMA * rng.normal()).exp())
            .round()
            .max(lab as f64 + 1.0) as i64;
        self.next_lab += 1;
        let year = &seized_on[..4];
        let times = if slf {
            &mut self.truth.slf
        } else {
            &mut self.truth.ordinary
        };
        times.cases += 1;
        let when = |days: i64| {
            if start + days <= self.last_day {
                iso_from_days(start + days)
            } else {
                String::new()
            }
        };
        let flow = Flow {
            lab_reference: format!("NFC-{year}-{:06}", self.next_lab),
            lab_reported_at: when(lab),
            decided_at: when(decision),
        };
        if !flow.lab_reported_at.is_empty() {
            times.to_lab.push(lab as u32);
        }
        if !flow.decided_at.is_empty() {
            times.decided += 1;
            times.to_decision.push(decision as u32);
        }
        flow
    }

    pub fn finish(mut self) -> CaseTruth {
        for t in [&mut self.truth.slf, &mut self.truth.ordinary] {
            t.median_days_to_decision = median(&mut t.to_decision);
            t.median_days_to_lab = median(&mut t.to_lab);
        }
        self.truth
    }
}

fn median(v: &mut [u32]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        f64::from(v[n / 2])
    } else {
        (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0
    })
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`); the epoch for anything unreadable.
pub fn days_from_iso(iso: &str) -> i64 {
    let field = |r: std::ops::Range<usize>| iso.get(r).and_then(|t| t.parse::<i32>().ok());
    let date = match (field(0..4), field(5..7), field(8..10)) {
        (Some(y), Some(m), Some(d)) => time::Month::try_from(m as u8)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(y, m, d as u8).ok()),
        _ => None,
    };
    date.map_or(0, |d| i64::from(d.to_julian_day() - EPOCH_JULIAN_DAY))
}

/// The ISO date of a day number since 1970-01-01.
pub fn iso_from_days(z: i64) -> String {
    let d = time::Date::from_julian_day((z + i64::from(EPOCH_JULIAN_DAY)) as i32)
        .unwrap_or(time::Date::MIN);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The Julian day number of 1970-01-01.
const EPOCH_JULIAN_DAY: i32 = 2_440_588;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_days_round_trip() {
        assert_eq!(days_from_iso("1970-01-01"), 0);
        assert_eq!(days_from_iso("2000-03-01") - days_from_iso("2000-02-28"), 2);
        assert_eq!(days_from_iso("2026-03-01") - days_from_iso("2026-02-28"), 1);
        for d in -1000..30_000 {
            assert_eq!(days_from_iso(&iso_from_days(d)), d);
        }
        assert_eq!(
            iso_from_days(days_from_iso("2026-12-28") + 10),
            "2027-01-07"
        );
    }

    #[test]
    fn slf_cases_are_decided_faster_and_late_ones_stay_open() {
        let mut cases = Cases::new("2027-12-28");
        let mut rng = Rng::new(3);
        for i in 0..2000 {
            let day = iso_from_days(days_from_iso("2026-01-01") + i % 300);
            cases.open(&mut rng, &day, i % 2 == 0);
        }
        let late = cases.open(&mut rng, "2027-12-27", false);
        assert!(late.decided_at.is_empty() && late.lab_reported_at.is_empty());
        let t = cases.finish();
        let slf = t.slf.median_days_to_decision.unwrap();
        let ordinary = t.ordinary.median_days_to_decision.unwrap();
        assert!((40.0..=50.0).contains(&slf), "{slf}");
        assert!((105.0..=135.0).contains(&ordinary), "{ordinary}");
        assert!(t.slf.median_days_to_lab.unwrap() <= 10.0);
        assert_eq!(t.slf.cases + t.ordinary.cases, 2001);
    }
}

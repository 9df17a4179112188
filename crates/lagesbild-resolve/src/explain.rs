//! Why two records match or not: each comparison's level and its contribution to the match
//! weight (a waterfall from the prior to the total), the term-frequency adjustments, the
//! identifier that links them at once, and any conflict. Serialisable to JSON and printable as
//! text.

use std::fmt;

use serde::Serialize;

use crate::Resolution;
use crate::compare::{COMPARISONS, FIRST, K, LAST, Orientation, compare, conflict};
use crate::model::{probability, tf_adjustment};
use crate::record::{Dob, KeyKind, Prepared};
use crate::{shared_key, tf_syms};

/// One step of the waterfall.
#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub comparison: String,
    pub level: String,
    pub left: String,
    pub right: String,
    /// `m` and `u` of the level (absent for a term-frequency adjustment and for null levels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub u: Option<f64>,
    /// log2 of the Bayes factor this step adds.
    pub weight: f64,
}

/// The explanation of one pair.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub left: String,
    pub right: String,
    pub orientation: Orientation,
    /// log2(λ/(1−λ)): where the waterfall starts.
    pub prior_weight: f64,
    pub contributions: Vec<Contribution>,
    /// The prior plus every contribution.
    pub match_weight: f64,
    /// The model's probability, `2^w / (1 + 2^w)`.
    pub model_probability: f64,
    /// A strong identifier shared by the two, which links them at once.
    pub key: Option<KeyKind>,
    /// Identifiers they share that are seen with too many names to count.
    pub weak_keys: Vec<KeyKind>,
    /// Whether first name, birth date or personnummer disagree outright (never linked).
    pub conflict: bool,
    /// The decision's probability (1 with a key, 0 on a conflict, else the model's).
    pub probability: f64,
    pub threshold: f64,
    pub is_match: bool,
}

fn date(d: Dob) -> String {
    match (d / 10_000, d / 100 % 100, d % 100) {
        (0, _, _) => String::new(),
        (y, 0, _) => format!("{y:04}"),
        (y, m, 0) => format!("{y:04}-{m:02}"),
        (y, m, day) => format!("{y:04}-{m:02}-{day:02}"),
    }
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(" ")
}

fn shown(res: &Resolution, r: &Prepared, k: usize, names: (u32, u32)) -> String {
    let s = &res.data.strings;
    match k {
        FIRST => s.get(names.0).to_owned(),
        LAST => s.get(names.1).to_owned(),
        crate::compare::DOB => date(r.dob),
        crate::compare::PNR if r.pnr != 0 => r.pnr.to_string(),
        crate::compare::PNR => String::new(),
        crate::compare::PHONE => {
            join(&r.phones.iter().map(|p| format!("+{p}")).collect::<Vec<_>>())
        }
        crate::compare::EMAIL => join(&r.emails.iter().map(|e| s.get(*e)).collect::<Vec<_>>()),
        crate::compare::ADDRESS => {
            let mut parts = Vec::new();
            for p in [
                s.get(r.street).to_owned(),
                if r.postcode != 0 {
                    format!("{:05}", r.postcode)
                } else {
                    String::new()
                },
                s.get(r.city).to_owned(),
            ] {
                if !p.is_empty() {
                    parts.push(p);
                }
            }
            parts.join(", ")
        }
        _ => format!(
            "{} identifiers",
            r.keys
                .iter()
                .filter(|k| matches!(
                    crate::record::key_kind(**k),
                    KeyKind::Account | KeyKind::Handle | KeyKind::Plate
                ))
                .count()
        ),
    }
}

/// Explains the pair `i`, `j` of `res`; `ids` are the records' ids as the source gave them.
pub fn explain(res: &Resolution, i: usize, j: usize, ids: (&str, &str)) -> Explanation {
    let data = &res.data;
    let (a, b) = (&data.records[i], &data.records[j]);
    let (pairing, levels) = compare(data, i, j);
    let w = res.params.weights();
    let prior = res.params.prior_weight();
    let mut contributions = Vec::new();
    let mut total = prior;
    for k in 0..K {
        let l = levels[k] as usize;
        let weight = w[k][l];
        total += weight;
        contributions.push(Contribution {
            comparison: COMPARISONS[k].name.to_owned(),
            level: COMPARISONS[k].levels[l].to_owned(),
            left: shown(res, a, k, (pairing.first.0, pairing.last.0)),
            right: shown(res, b, k, (pairing.first.1, pairing.last.1)),
            m: (l > 0).then(|| res.params.m[k][l]),
            u: (l > 0).then(|| res.params.u[k][l]),
            weight,
        });
    }
    if res.params.tf_names {
        let tf = tf_syms(&pairing, &levels);
        for (k, sym) in [(FIRST, tf.0), (LAST, tf.1)] {
            if sym == 0 {
                continue;
            }
            let share = data.tf(sym);
            let weight = tf_adjustment(res.params.u[k][1], share);
            total += weight;
            let name = data.strings.get(sym).to_owned();
            contributions.push(Contribution {
                comparison: format!("{} term frequency", COMPARISONS[k].name),
                level: format!("'{name}' is {:.3} % of names", share * 100.0),
                left: name.clone(),
                right: name,
                m: None,
                u: None,
                weight,
            });
        }
    }
    let is_conflict = res.settings.conflicts && conflict(&levels);
    let key = if is_conflict {
        None
    } else {
        shared_key(a, b, &res.weak_keys).filter(|k| crate::key_compatible(*k, &levels))
    };
    let weak_keys = a
        .keys
        .iter()
        .filter(|k| b.keys.binary_search(k).is_ok() && res.weak_keys.contains(*k))
        .map(|k| crate::record::key_kind(*k))
        .collect();
    let model_probability = probability(total);
    let p = if is_conflict {
        0.0
    } else if key.is_some() {
        1.0
    } else {
        model_probability
    };
    Explanation {
        left: ids.0.to_owned(),
        right: ids.1.to_owned(),
        orientation: pairing.orientation,
        prior_weight: prior,
        contributions,
        match_weight: total,
        model_probability,
        key,
        weak_keys,
        conflict: is_conflict,
        probability: p,
        threshold: res.settings.threshold,
        is_match: p >= res.settings.threshold,
    }
}

impl fmt::Display for Explanation {
    /// The waterfall: one line per step with its weight and the running total.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ~ {}: match weight {:+.2}, model probability {:.4}{}",
            self.left,
            self.right,
            self.match_weight,
            self.model_probability,
            match self.orientation {
                Orientation::Straight => "",
                Orientation::Swapped => " (first and last name swapped)",
                Orientation::Respaced => " (same letters, split differently)",
            }
        )?;
        writeln!(
            f,
            "  {:<28} {:<40} {:>8} {:>8}",
            "comparison", "level: left | right", "weight", "total"
        )?;
        let mut running = self.prior_weight;
        writeln!(
            f,
            "  {:<28} {:<40} {:>+8.2} {:>+8.2}",
            "prior", "", self.prior_weight, running
        )?;
        for c in &self.contributions {
            running += c.weight;
            let mut what = format!("{}: {} | {}", c.level, c.left, c.right);
            if what.chars().count() > 40 {
                what = what.chars().take(39).collect::<String>() + "…";
            }
            writeln!(
                f,
                "  {:<28} {:<40} {:>+8.2} {:>+8.2}",
                c.comparison, what, c.weight, running
            )?;
        }
        if let Some(k) = self.key {
            writeln!(f, "  linked at once: a {} shared", k.as_str())?;
        }
        for k in &self.weak_keys {
            writeln!(
                f,
                "  a {} shared, but seen with too many names to count",
                k.as_str()
            )?;
        }
        if self.conflict {
            writeln!(
                f,
                "  conflict: first name, birth date or personnummer disagree outright; never linked"
            )?;
        }
        write!(
            f,
            "  probability {:.4} against threshold {}: {}",
            self.probability,
            self.threshold,
            if self.is_match { "match" } else { "no match" }
        )
    }
}

//! Blocking: which pairs of records are compared at all. Each rule gives every record a few
//! keys; records that share a key are paired. Rules are combined (a pair found by several rules
//! is compared once, and remembers which rules found it, for training). A group larger than the
//! cap is not paired all with all. Under the identifier and phone rules (an account in ten
//! thousand payments) its records are sorted by name and birth date and each is paired with the
//! next few (a sorted neighbourhood), so the same person's many rows still chain together;
//! under the name and date rules (a common name: a hundred Anna Andersson) it is skipped, since
//! neighbours there are mostly different people. Either way the number of pairs stays near
//! linear in the records, and such groups are reported.

use rayon::prelude::*;
use serde::Serialize;

use crate::compare::{ADDRESS, DOB, EMAIL, FIRST, IDS, K, LAST, PHONE, PNR};
use crate::record::{Dataset, Prepared};
use crate::text::{FxHasher, Interner};
use std::hash::Hasher;

/// A blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The same full birth date and the same initial of either name.
    BirthDateInitial,
    /// The first four letters of the surname (of any of its parts), the first name's initial and
    /// the birth year.
    SurnameYear,
    /// A phone number shared.
    Phone,
    /// The same postcode and the same initial of either name.
    PostcodeInitial,
    /// The same name tokens in any order (`"jansson yusuf"` = `"yusuf jansson"`).
    NameTokens,
    /// A personnummer, e-mail address, account, handle or plate shared.
    Identifier,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::BirthDateInitial,
        Rule::SurnameYear,
        Rule::Phone,
        Rule::PostcodeInitial,
        Rule::NameTokens,
        Rule::Identifier,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Rule::BirthDateInitial => "same birth date and an initial of either name",
            Rule::SurnameYear => "same surname prefix, first initial and birth year",
            Rule::Phone => "a phone number shared",
            Rule::PostcodeInitial => "same postcode and an initial of either name",
            Rule::NameTokens => "same name tokens in any order",
            Rule::Identifier => "a personnummer, e-mail, account, handle or plate shared",
        }
    }

    /// The comparisons whose agreement the rule forces, so that EM on its pairs cannot
    /// estimate their `m`.
    pub fn fixes(self) -> [bool; K] {
        let mut f = [false; K];
        match self {
            Rule::BirthDateInitial => f[DOB] = true,
            Rule::SurnameYear => {
                f[LAST] = true;
                f[DOB] = true;
            }
            Rule::Phone => f[PHONE] = true,
            Rule::PostcodeInitial => f[ADDRESS] = true,
            Rule::NameTokens => {
                f[FIRST] = true;
                f[LAST] = true;
            }
            Rule::Identifier => {
                f[PNR] = true;
                f[EMAIL] = true;
                f[IDS] = true;
            }
        }
        f
    }

    fn keys(self, strings: &Interner, r: &Prepared, out: &mut Vec<u64>) {
        let h = |parts: &[&[u8]]| {
            let mut s = FxHasher::default();
            s.write_u8(self as u8);
            for p in parts {
                s.write(p);
                s.write_u8(0xff);
            }
            s.finish()
        };
        let initial = |sym| strings.get(sym).as_bytes().first().copied();
        let initials = [initial(r.first), initial(r.last)];
        match self {
            Rule::BirthDateInitial => {
                if !r.dob.is_multiple_of(100) {
                    for i in initials.into_iter().flatten() {
                        out.push(h(&[&r.dob.to_le_bytes(), &[i]]));
                    }
                }
            }
            Rule::SurnameYear => {
                if r.dob != 0 {
                    let year = (r.dob / 10_000).to_le_bytes();
                    let first = [initials[0].unwrap_or(0)];
                    let last = strings.get(r.last);
                    for part in last.split([' ', '-']).filter(|p| p.len() >= 2) {
                        let p = &part.as_bytes()[..part.len().min(4)];
                        out.push(h(&[p, &first, &year]));
                    }
                }
            }
            Rule::Phone => out.extend(r.phones.iter().map(|p| h(&[&p.to_le_bytes()]))),
            Rule::PostcodeInitial => {
                if r.postcode != 0 {
                    for i in initials.into_iter().flatten() {
                        out.push(h(&[&r.postcode.to_le_bytes(), &[i]]));
                    }
                }
            }
            Rule::NameTokens => {
                let mut tokens: Vec<&str> = strings
                    .get(r.first)
                    .split([' ', '-'])
                    .chain(strings.get(r.last).split([' ', '-']))
                    .filter(|t| !t.is_empty())
                    .collect();
                if tokens.len() >= 2 {
                    tokens.sort_unstable();
                    let parts: Vec<&[u8]> = tokens.iter().map(|t| t.as_bytes()).collect();
                    out.push(h(&parts));
                }
                if r.joined != 0 {
                    // the whole name's letters, for names split in the wrong place
                    out.push(h(&[b"joined", strings.get(r.joined).as_bytes()]));
                }
            }
            Rule::Identifier => out.extend(r.keys.iter().map(|k| h(&[&k.to_le_bytes()]))),
        }
    }
}

/// What one rule did.
#[derive(Debug, Clone, Serialize)]
pub struct RuleReport {
    pub rule: Rule,
    pub description: &'static str,
    /// Pairs the rule found.
    pub pairs: u64,
    /// Pairs no earlier rule had found.
    pub new_pairs: u64,
    /// Groups larger than the cap: paired by a sorted neighbourhood (identifier and phone
    /// rules) or skipped (the others).
    pub large_groups: u64,
    /// Records in those groups.
    pub large_group_records: u64,
}

/// The blocking of one run.
#[derive(Debug, Clone, Serialize)]
pub struct BlockingReport {
    pub records: u64,
    pub rules: Vec<RuleReport>,
    /// Distinct pairs compared.
    pub pairs: u64,
    /// Pairs per record.
    pub pairs_per_record: f64,
    pub max_group: usize,
}

/// Candidate pairs (`a < b`, packed `a << 32 | b`), sorted, each with the bit set of the rules
/// that found it.
#[derive(Debug, Default)]
pub struct Candidates {
    pub pairs: Vec<u64>,
    pub rules: Vec<u8>,
}

/// How many following records each record of a large group is paired with.
pub const WINDOW: usize = 4;

/// The pairs of one rule, deduplicated, and the groups paired by window.
fn rule_pairs(data: &Dataset, rule: Rule, max_group: usize) -> (Vec<u64>, u64, u64) {
    let mut keyed: Vec<(u64, u32)> = data
        .records
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, r)| {
            let mut keys = Vec::new();
            rule.keys(&data.strings, r, &mut keys);
            keys.sort_unstable();
            keys.dedup();
            keys.into_iter().map(move |k| (k, i as u32))
        })
        .collect();
    keyed.par_sort_unstable();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let (mut skipped, mut skipped_records) = (0u64, 0u64);
    let mut start = 0;
    while start < keyed.len() {
        let key = keyed[start].0;
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == key {
            end += 1;
        }
        let len = end - start;
        if len > max_group {
            skipped += 1;
            skipped_records += len as u64;
        }
        let windowed = matches!(rule, Rule::Identifier | Rule::Phone);
        if len > 1 && (len <= max_group || windowed) {
            groups.push((start, end));
        }
        start = end;
    }
    let linking = data.records.iter().any(|r| r.side == 1);
    let strings = &data.strings;
    let mut pairs: Vec<u64> = groups
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let mut g: Vec<(u64, u32)> = keyed[s..e].to_vec();
            let window = if g.len() > max_group {
                let key = |i: u32| {
                    let r = &data.records[i as usize];
                    (strings.get(r.last), strings.get(r.first), r.dob, i)
                };
                g.sort_unstable_by(|a, b| key(a.1).cmp(&key(b.1)));
                WINDOW
            } else {
                g.len()
            };
            let mut out = Vec::with_capacity(g.len() * window.min(g.len()));
            for (x, &(_, i)) in g.iter().enumerate() {
                for &(_, j) in g[x + 1..].iter().take(window) {
                    if linking && data.records[i as usize].side == data.records[j as usize].side {
                        continue;
                    }
                    let (a, b) = if i < j { (i, j) } else { (j, i) };
                    out.push(u64::from(a) << 32 | u64::from(b));
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    (pairs, skipped, skipped_records)
}

/// Runs every rule and merges their pairs.
pub fn block(data: &Dataset, max_group: usize) -> (Candidates, BlockingReport) {
    let mut reports = Vec::new();
    let mut all: Vec<(u64, u8)> = Vec::new();
    for (bit, rule) in Rule::ALL.into_iter().enumerate() {
        let (pairs, skipped_groups, skipped_records) = rule_pairs(data, rule, max_group);
        reports.push(RuleReport {
            rule,
            description: rule.describe(),
            pairs: pairs.len() as u64,
            new_pairs: 0,
            large_groups: skipped_groups,
            large_group_records: skipped_records,
        });
        all.extend(pairs.into_iter().map(|p| (p, 1u8 << bit)));
    }
    all.par_sort_unstable_by_key(|(p, _)| *p);
    let mut cand = Candidates::default();
    for (p, bit) in all {
        if cand.pairs.last() == Some(&p) {
            *cand.rules.last_mut().unwrap_or(&mut 0) |= bit;
        } else {
            cand.pairs.push(p);
            cand.rules.push(bit);
        }
    }
    for bits in &cand.rules {
        reports[bits.trailing_zeros() as usize].new_pairs += 1;
    }
    let n = data.len() as u64;
    let report = BlockingReport {
        records: n,
        rules: reports,
        pairs: cand.pairs.len() as u64,
        pairs_per_record: cand.pairs.len() as f64 / n.max(1) as f64,
        max_group,
    };
    (cand, report)
}

/// The two records of a packed pair.
pub fn unpair(p: u64) -> (usize, usize) {
    ((p >> 32) as usize, (p & 0xffff_ffff) as usize)
}

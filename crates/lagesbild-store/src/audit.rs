//! The audit log: one entry for every collection, consultation, disclosure, alteration,
//! combination and erasure, each chained to the one before by a SHA-256 hash, so that changing,
//! deleting or reordering any entry is detected by [`verify`].

use serde::Serialize;
use sha2::{Digest, Sha256};

use lagesbild_model::{AuditOp, Principal, Purpose};

/// The hash that stands before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an access path asks to be logged; the store adds the sequence number, time and chain.
#[derive(Debug, Clone)]
pub struct AuditDraft {
    pub op: AuditOp,
    pub user: String,
    pub org: String,
    pub roles: Vec<String>,
    pub purpose: String,
    /// The ids touched: entity ids, or for bulk operations `batch:N` and record ranges.
    pub ids: Vec<String>,
    /// Who received the data, for a disclosure.
    pub recipients: Vec<String>,
    /// What was done, in a few words (the command or route, a query).
    pub detail: String,
}

impl AuditDraft {
    pub fn new(principal: &Principal, purpose: &Purpose, op: AuditOp, detail: String) -> Self {
        AuditDraft {
            op,
            user: principal.user.clone(),
            org: principal.org.clone(),
            roles: principal
                .roles
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            purpose: purpose.as_str().to_owned(),
            ids: Vec::new(),
            recipients: Vec::new(),
            detail,
        }
    }
}

/// One entry of the log as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339 time in UTC.
    pub at: String,
    pub user: String,
    pub org: String,
    pub roles: Vec<String>,
    pub purpose: String,
    pub op: String,
    pub ids: Vec<String>,
    pub recipients: Vec<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash of this entry's content chained to `prev_hash`. Every field but `hash` enters it,
    /// each length-prefixed so that no two different entries serialise alike.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        field(&self.prev_hash);
        field(&self.seq.to_string());
        field(&self.at);
        field(&self.user);
        field(&self.org);
        field(&self.roles.join("\u{1f}"));
        field(&self.purpose);
        field(&self.op);
        field(&self.ids.join("\u{1f}"));
        field(&self.recipients.join("\u{1f}"));
        field(&self.detail);
        hex::encode(h.finalize())
    }
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    /// The hash of the last entry: the head of the chain, to be anchored elsewhere.
    pub head: String,
    /// The first entry that does not fit the chain, and why.
    pub broken: Option<Broken>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

/// Walks entries in sequence order and checks each against the one before it.
#[derive(Debug)]
pub struct Verifier {
    prev_hash: String,
    prev_seq: i64,
    entries: u64,
    broken: Option<Broken>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            prev_hash: GENESIS.to_owned(),
            prev_seq: 0,
            entries: 0,
            broken: None,
        }
    }
}

impl Verifier {
    /// Checks the next entry; returns false once the chain is broken (later entries are moot).
    pub fn push(&mut self, e: &AuditEntry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let reason = if e.seq != self.prev_seq + 1 {
            Some(format!(
                "sequence jumps from {} to {} (an entry was removed)",
                self.prev_seq, e.seq
            ))
        } else if e.prev_hash != self.prev_hash {
            Some(
                "its link to the entry before does not match (entries removed or reordered)".into(),
            )
        } else if e.compute_hash() != e.hash {
            Some("its content does not match its hash (the entry was altered)".into())
        } else {
            None
        };
        if let Some(reason) = reason {
            self.broken = Some(Broken { seq: e.seq, reason });
            return false;
        }
        self.prev_seq = e.seq;
        self.prev_hash = e.hash.clone();
        self.entries += 1;
        true
    }

    pub fn finish(self) -> VerifyReport {
        VerifyReport {
            entries: self.entries,
            head: self.prev_hash,
            broken: self.broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: "2026-11-28T12:00:00Z".into(),
                    user: "anna".into(),
                    org: "Polisen".into(),
                    roles: vec!["analyst".into()],
                    purpose: "ärende 1".into(),
                    op: "consult".into(),
                    ids: vec![format!("e{seq}")],
                    recipients: vec![],
                    detail: "show".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry]) -> VerifyReport {
        let mut v = Verifier::default();
        for e in entries {
            v.push(e);
        }
        v.finish()
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let r = verify(&c);
        assert_eq!(r.entries, 5);
        assert_eq!(r.broken, None);
        assert_eq!(r.head, c[4].hash);
    }

    #[test]
    fn alteration_removal_and_reordering_are_named() {
        let mut c = chain(5);
        c[2].purpose = "nyfikenhet".into();
        assert_eq!(verify(&c).broken.unwrap().seq, 3);

        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).broken.unwrap().seq, 3);

        let mut c = chain(5);
        c.swap(1, 2);
        let b = verify(&c).broken.unwrap();
        assert_eq!(b.seq, 3);

        // an entry re-hashed after alteration still breaks the link of the next one
        let mut c = chain(5);
        c[1].ids = vec!["other".into()];
        c[1].hash = c[1].compute_hash();
        assert_eq!(verify(&c).broken.unwrap().seq, 3);
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.user = "ab".into();
        a.org = "c".into();
        b.user = "a".into();
        b.org = "bc".into();
        assert_ne!(a.compute_hash(), b.compute_hash());
    }
}

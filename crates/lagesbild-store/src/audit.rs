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

/// The head of the chain at one moment, signed with an Ed25519 key kept away from the store:
/// handed to a supervisor or a second system, it shows later whether the log was cut back
/// (truncated) or rewritten from that entry on, which the chain alone cannot show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Anchor {
    pub seq: i64,
    pub head: String,
    /// When the anchor was made (RFC 3339, UTC).
    pub at: String,
    /// The Ed25519 public key, hex.
    pub public_key: String,
    /// The signature of [`Anchor::message`], hex.
    pub signature: String,
}

impl Anchor {
    fn message(seq: i64, head: &str, at: &str) -> Vec<u8> {
        format!("lagesbild audit anchor\n{seq}\n{head}\n{at}\n").into_bytes()
    }

    /// Signs the head `head` of entry `seq` with the 32-byte Ed25519 secret key `seed`.
    pub fn sign(seq: i64, head: &str, at: &str, seed: &[u8; 32]) -> Anchor {
        use ed25519_dalek::Signer;
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        let sig = key.sign(&Anchor::message(seq, head, at));
        Anchor {
            seq,
            head: head.to_owned(),
            at: at.to_owned(),
            public_key: hex::encode(key.verifying_key().to_bytes()),
            signature: hex::encode(sig.to_bytes()),
        }
    }

    /// Whether the signature is the key's over the anchor's fields; with `expected_key`, also
    /// that the key is the one expected (an attacker can sign an anchor of its own).
    pub fn signature_ok(&self, expected_key: Option<&str>) -> bool {
        use ed25519_dalek::Verifier as _;
        if expected_key.is_some_and(|k| !k.eq_ignore_ascii_case(&self.public_key)) {
            return false;
        }
        let (Ok(pk), Ok(sig)) = (hex::decode(&self.public_key), hex::decode(&self.signature))
        else {
            return false;
        };
        let (Ok(pk), Ok(sig)) = (<[u8; 32]>::try_from(pk), <[u8; 64]>::try_from(sig)) else {
            return false;
        };
        let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&pk) else {
            return false;
        };
        vk.verify(
            &Anchor::message(self.seq, &self.head, &self.at),
            &ed25519_dalek::Signature::from_bytes(&sig),
        )
        .is_ok()
    }
}

/// The public key of a 32-byte Ed25519 secret key, hex.
pub fn public_key(seed: &[u8; 32]) -> String {
    hex::encode(
        ed25519_dalek::SigningKey::from_bytes(seed)
            .verifying_key()
            .to_bytes(),
    )
}

/// Checks a log against an anchor: entry `anchor.seq` must exist with the anchored hash.
/// `entry_hash` is the hash of that entry in the log as it is now (`None`: not there).
pub fn check_anchor(
    anchor: &Anchor,
    entry_hash: Option<&str>,
    expected_key: Option<&str>,
) -> Option<String> {
    if !anchor.signature_ok(expected_key) {
        return Some("the anchor's signature is not valid for the expected key".into());
    }
    match entry_hash {
        None => Some(format!(
            "entry {} of the anchor is missing: the log was truncated",
            anchor.seq
        )),
        Some(h) if h != anchor.head => Some(format!(
            "entry {} does not have the anchored hash: the log was cut back or rewritten",
            anchor.seq
        )),
        Some(_) => None,
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

    #[test]
    fn anchors_detect_truncation_and_rewriting() {
        let seed = [7u8; 32];
        let c = chain(5);
        let a = Anchor::sign(4, &c[3].hash, "2026-11-29T00:00:00Z", &seed);
        let key = public_key(&seed);
        assert_eq!(check_anchor(&a, Some(&c[3].hash), Some(&key)), None);
        // truncated below the anchor
        assert!(
            check_anchor(&a, None, Some(&key))
                .unwrap()
                .contains("truncated")
        );
        // cut back and rebuilt: the entry exists with another hash
        let rebuilt = chain(2);
        assert!(
            check_anchor(&a, Some(&rebuilt[1].hash), Some(&key))
                .unwrap()
                .contains("cut back")
        );
        // a forged anchor: altered fields or another key
        let mut forged = a.clone();
        forged.seq = 2;
        assert!(check_anchor(&forged, Some(&c[1].hash), Some(&key)).is_some());
        let other = Anchor::sign(2, &c[1].hash, "2026-11-29T00:00:00Z", &[9u8; 32]);
        assert!(check_anchor(&other, Some(&c[1].hash), Some(&key)).is_some());
        assert_eq!(check_anchor(&other, Some(&c[1].hash), None), None);
    }
}

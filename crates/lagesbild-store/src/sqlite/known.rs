//! Which entities the store may already hold: a Bloom filter over the entity table's id hashes,
//! so that an ingest of many new entities does not look each one up in the table.
//!
//! A look-up that finds nothing costs a walk down the `entity_h` index. The filter answers "not
//! there" for almost all new entities from memory, and "maybe" (then the table is asked) for
//! the ones that exist and about one in a hundred of the others. Building it reads every id hash
//! once, so a batch builds it only after its misses have cost about as much (`worth_building`).

use rusqlite::Transaction;

use crate::Result;

/// Bits per entity: with four probes, about 1.2 % false "maybe".
const BITS_PER_ENTRY: usize = 10;
const PROBES: u32 = 4;

pub(crate) struct Known {
    bits: Vec<u64>,
    mask: u64,
}

/// A finaliser (from SplitMix64) that spreads the id hash's bits before they pick bits.
fn mix(h: i64) -> u64 {
    let mut z = h as u64;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Known {
    /// The filter of an empty table.
    pub(crate) fn empty() -> Known {
        Known::with_capacity(0)
    }

    fn with_capacity(entries: usize) -> Known {
        let bits = (entries.max(1) * BITS_PER_ENTRY)
            .next_power_of_two()
            .max(64);
        Known {
            bits: vec![0; bits / 64],
            mask: bits as u64 - 1,
        }
    }

    /// The filter of every entity in the table.
    pub(crate) fn build(tx: &Transaction<'_>, entries: usize) -> Result<Known> {
        let mut known = Known::with_capacity(entries);
        let mut stmt = tx.prepare("SELECT h FROM entity")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            known.insert(r.get(0)?);
        }
        Ok(known)
    }

    /// The bits of an id hash: double hashing, the low and high halves give the probes.
    fn positions(mask: u64, h: i64) -> impl Iterator<Item = u64> {
        let m = mix(h);
        let (a, b) = (m, (m >> 32) | 1);
        (0..u64::from(PROBES)).map(move |i| a.wrapping_add(i.wrapping_mul(b)) & mask)
    }

    pub(crate) fn insert(&mut self, h: i64) {
        for p in Known::positions(self.mask, h) {
            self.bits[(p / 64) as usize] |= 1 << (p % 64);
        }
    }

    /// Whether the entity may be in the table; `false` is certain.
    pub(crate) fn may_contain(&self, h: i64) -> bool {
        Known::positions(self.mask, h).all(|p| self.bits[(p / 64) as usize] & (1 << (p % 64)) != 0)
    }
}

/// Whether a batch whose look-ups have missed `misses` times should build the filter over a
/// table of `entries` entities: once the misses have cost about what reading the table's id
/// hashes costs (a miss walks the index, a build reads it in order: about 1 to 50).
pub(crate) fn worth_building(misses: u64, entries: u64) -> bool {
    misses >= 1_000 && misses.saturating_mul(50) >= entries
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spread ids, as the store's hashes are.
    fn id(i: u64) -> i64 {
        i.wrapping_mul(0x9e37_79b9_7f4a_7c15) as i64
    }

    #[test]
    fn no_false_no_and_few_false_maybe() {
        let mut k = Known::with_capacity(100_000);
        for i in 0..100_000 {
            k.insert(id(i));
        }
        for i in 0..100_000 {
            assert!(k.may_contain(id(i)));
        }
        let false_maybe = (100_000..200_000).filter(|i| k.may_contain(id(*i))).count();
        assert!(false_maybe < 3_000, "{false_maybe} of 100 000");
    }

    #[test]
    fn building_waits_for_enough_misses() {
        assert!(!worth_building(10, 0));
        assert!(worth_building(1_000, 10_000));
        assert!(!worth_building(1_000, 1_000_000));
        assert!(worth_building(20_000, 1_000_000));
    }
}

//! In-memory lookup index of the registry: sorted `u64` keys with a parallel
//! packed `u16` status/reason array (for ordered iteration and list export),
//! plus an open-addressing hash table (linear probing, multiplicative hashing)
//! whose 64-bit slots hold `key << 16 | packed`, so one lookup touches one
//! cache line. Built when a registry is opened and kept consistent with
//! every write made through the registry store (`imei_registry::Registry`).

use crate::verdict::{DeviceStatus, ReasonMask, pack, unpack};
use rayon::slice::ParallelSliceMut;

const EMPTY: u64 = u64::MAX;
const KEY_SHIFT: u32 = 16;

/// The lookup index.
#[derive(Debug, Clone, Default)]
pub struct RegistryIndex {
    keys: Vec<u64>,
    packed: Vec<u16>,
    slots: Vec<u64>,
    shift: u32,
}

#[inline]
fn hash(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

impl RegistryIndex {
    /// Builds from `(key, packed)` pairs; for a repeated key the last pair wins.
    pub fn from_pairs(mut pairs: Vec<(u64, u16)>) -> RegistryIndex {
        // Stable sort keeps input order among equal keys; keep the last one.
        pairs.par_sort_by_key(|p| p.0);
        let mut keys = Vec::with_capacity(pairs.len());
        let mut packed = Vec::with_capacity(pairs.len());
        for (k, p) in pairs {
            if keys.last() == Some(&k) {
                if let Some(last) = packed.last_mut() {
                    *last = p;
                }
            } else {
                keys.push(k);
                packed.push(p);
            }
        }
        let mut idx = RegistryIndex {
            keys,
            packed,
            slots: Vec::new(),
            shift: 64,
        };
        idx.rebuild_table();
        idx
    }

    fn rebuild_table(&mut self) {
        // Load factor ≤ 0.5.
        let cap = (self.keys.len() * 2).max(16).next_power_of_two();
        self.shift = 64 - cap.trailing_zeros();
        self.slots = vec![EMPTY; cap];
        let mask = cap - 1;
        for (&k, &p) in self.keys.iter().zip(&self.packed) {
            let mut i = hash(k, self.shift);
            while let Some(slot) = self.slots.get_mut(i) {
                if *slot == EMPTY {
                    *slot = (k << KEY_SHIFT) | u64::from(p);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }

    /// Every (key, packed status/reason word), in key order (what a
    /// snapshot stores; [`RegistryIndex::from_pairs`] reads it back).
    pub fn packed_pairs(&self) -> impl Iterator<Item = (u64, u16)> + '_ {
        self.keys.iter().copied().zip(self.packed.iter().copied())
    }

    /// Number of devices.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The packed status/reason word of a key.
    #[inline]
    pub fn get_packed(&self, key: u64) -> Option<u16> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = hash(key, self.shift);
        loop {
            let slot = *self.slots.get(i)?;
            if slot == EMPTY {
                return None;
            }
            if slot >> KEY_SHIFT == key {
                return Some(slot as u16);
            }
            i = (i + 1) & mask;
        }
    }

    /// The packed words of several keys at once ([`RegistryIndex::get_packed`]
    /// for each): the first probe of every key is loaded before any is
    /// examined, so their cache misses (one each in a table of millions of
    /// keys) overlap instead of waiting on each other's branches.
    ///
    /// ```
    /// use imei_core::index::RegistryIndex;
    /// let idx = RegistryIndex::from_pairs(vec![(35_123_456_789_012, 5), (1, 6)]);
    /// let got = idx.get_packed_batch([1, 2, 35_123_456_789_012]);
    /// assert_eq!(got, [Some(6), None, Some(5)]);
    /// ```
    #[inline]
    pub fn get_packed_batch<const N: usize>(&self, keys: [u64; N]) -> [Option<u16>; N] {
        let mut first = [EMPTY; N];
        for (f, &k) in first.iter_mut().zip(&keys) {
            *f = self
                .slots
                .get(hash(k, self.shift))
                .copied()
                .unwrap_or(EMPTY);
        }
        let mut out = [None; N];
        for ((o, &k), &f) in out.iter_mut().zip(&keys).zip(&first) {
            *o = if f == EMPTY {
                None
            } else if f >> KEY_SHIFT == k {
                Some(f as u16)
            } else {
                self.get_packed(k)
            };
        }
        out
    }

    /// Status and reasons of a key.
    #[inline]
    pub fn get(&self, key: u64) -> Option<(DeviceStatus, ReasonMask)> {
        self.get_packed(key).and_then(unpack)
    }

    /// Lookup by binary search in the sorted keys (used to cross-check the table).
    pub fn get_sorted(&self, key: u64) -> Option<(DeviceStatus, ReasonMask)> {
        let i = self.keys.binary_search(&key).ok()?;
        self.packed.get(i).copied().and_then(unpack)
    }

    /// Inserts or updates one key (kept sorted; the table is updated in place).
    pub fn upsert(&mut self, key: u64, status: DeviceStatus, reasons: ReasonMask) {
        let p = pack(status, reasons);
        match self.keys.binary_search(&key) {
            Ok(i) => {
                if let Some(x) = self.packed.get_mut(i) {
                    *x = p;
                }
            }
            Err(i) => {
                self.keys.insert(i, key);
                self.packed.insert(i, p);
            }
        }
        if self.keys.len() * 2 > self.slots.len() {
            self.rebuild_table();
            return;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash(key, self.shift);
        loop {
            let Some(slot) = self.slots.get_mut(i) else {
                return;
            };
            if *slot == EMPTY || *slot >> KEY_SHIFT == key {
                *slot = (key << KEY_SHIFT) | u64::from(p);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Iterates `(key, status, reasons)` in key order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, DeviceStatus, ReasonMask)> + '_ {
        self.keys
            .iter()
            .zip(&self.packed)
            .filter_map(|(&k, &p)| unpack(p).map(|(s, m)| (k, s, m)))
    }

    /// Count of devices per status (white, grey, black).
    pub fn counts(&self) -> [u64; 3] {
        let mut c = [0u64; 3];
        for &p in &self.packed {
            if let Some(x) = c.get_mut(usize::from(p & 3).wrapping_sub(1)) {
                *x += 1;
            }
        }
        c
    }

    /// Approximate heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * 8 + self.packed.capacity() * 2 + self.slots.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_sorted_and_upserts() {
        let pairs: Vec<(u64, u16)> = (0..10_000u64)
            .map(|i| {
                (
                    35_000_000_000_000 + i * 7919,
                    pack(DeviceStatus::White, ReasonMask(0)),
                )
            })
            .collect();
        let mut idx = RegistryIndex::from_pairs(pairs);
        for i in 0..20_000u64 {
            let k = 35_000_000_000_000 + i * 3961;
            assert_eq!(idx.get(k), idx.get_sorted(k));
        }
        idx.upsert(1, DeviceStatus::Black, ReasonMask(1));
        assert_eq!(idx.get(1), Some((DeviceStatus::Black, ReasonMask(1))));
        idx.upsert(35_000_000_000_000, DeviceStatus::Grey, ReasonMask(4));
        assert_eq!(
            idx.get(35_000_000_000_000),
            Some((DeviceStatus::Grey, ReasonMask(4)))
        );
        assert_eq!(idx.len(), 10_001);
        assert_eq!(idx.counts(), [9_999, 1, 1]);
        for k in 2..5000u64 {
            idx.upsert(k, DeviceStatus::White, ReasonMask(0));
        }
        assert_eq!(idx.get(4999), Some((DeviceStatus::White, ReasonMask(0))));
        assert_eq!(idx.get(5000), None);
        // Batched lookups (present, absent, collided after the upserts) are
        // the single lookups.
        for start in (0..20_000u64).step_by(16) {
            let keys: [u64; 16] =
                std::array::from_fn(|j| 35_000_000_000_000 + (start + j as u64) * 3961 - j as u64);
            let one: Vec<Option<u16>> = keys.iter().map(|&k| idx.get_packed(k)).collect();
            assert_eq!(idx.get_packed_batch(keys).to_vec(), one);
        }
        let small: [u64; 4] = [1, 2, 4999, 5000];
        assert_eq!(
            idx.get_packed_batch(small).to_vec(),
            small.map(|k| idx.get_packed(k)).to_vec()
        );
    }

    #[test]
    fn last_duplicate_wins() {
        let idx = RegistryIndex::from_pairs(vec![(5, 1), (5, 3), (2, 2)]);
        assert_eq!(idx.len(), 2);
        assert_eq!(idx.get_packed(5), Some(3));
    }
}

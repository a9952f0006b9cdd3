//! [`StateCommitment`]: an incremental, order-independent hash of the state (LtHash; see the crate doc).

use sha3::Shake256;
use sha3::digest::{ExtendableOutput, Update, XofReader};
use weft_primitives::{Hash, keccak256};

use crate::column::Column;
use crate::error::StoreError;
use crate::store::KvStore;

/// Number of 16-bit lanes of the lattice hash.
const LANES: usize = 1024;
/// Bytes of the persisted sum.
const SUM_BYTES: usize = 2 * LANES;
/// Domain tag of an entry's expansion.
const ENTRY_DOMAIN: &[u8] = b"weft:state-entry:v1";

/// Key in [`Column::Meta`] under which the commitment's lane sum is persisted.
pub const STATE_COMMITMENT_KEY: &[u8] = b"state-commitment";

/// The multiset hash of all (column, key, value) entries of the state columns.
#[derive(Clone, PartialEq, Eq)]
pub struct StateCommitment {
    lanes: Box<[u16; LANES]>,
}

impl std::fmt::Debug for StateCommitment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("StateCommitment").field(&self.root()).finish()
    }
}

impl Default for StateCommitment {
    fn default() -> Self {
        Self::empty()
    }
}

impl StateCommitment {
    /// The commitment of the empty state.
    pub fn empty() -> Self {
        Self {
            lanes: Box::new([0; LANES]),
        }
    }

    /// Adds entry (`col`, `key`, `value`).
    pub fn insert(&mut self, col: Column, key: &[u8], value: &[u8]) {
        let expansion = expand(col, key, value);
        for (lane, add) in self.lanes.iter_mut().zip(expansion.iter()) {
            *lane = lane.wrapping_add(*add);
        }
    }

    /// Removes entry (`col`, `key`, `value`), which must have been inserted.
    pub fn remove(&mut self, col: Column, key: &[u8], value: &[u8]) {
        let expansion = expand(col, key, value);
        for (lane, sub) in self.lanes.iter_mut().zip(expansion.iter()) {
            *lane = lane.wrapping_sub(*sub);
        }
    }

    /// Applies the change of `key` from `old` to `new` (either may be absent).
    pub fn update(&mut self, col: Column, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) {
        if old == new {
            return;
        }
        if let Some(old) = old {
            self.remove(col, key, old);
        }
        if let Some(new) = new {
            self.insert(col, key, new);
        }
    }

    /// The 32-byte state root: `keccak256` of the lane sum (little-endian lanes).
    pub fn root(&self) -> Hash {
        keccak256(&self.to_bytes())
    }

    /// The persisted form: the lanes, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.lanes.iter().flat_map(|lane| lane.to_le_bytes()).collect()
    }

    /// Reads the persisted form back.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StoreError> {
        if bytes.len() != SUM_BYTES {
            return Err(StoreError::Corrupt {
                what: "state commitment",
                reason: format!("expected {SUM_BYTES} bytes, found {}", bytes.len()),
            });
        }
        let mut lanes = Box::new([0u16; LANES]);
        for (lane, chunk) in lanes.iter_mut().zip(bytes.chunks_exact(2)) {
            *lane = u16::from_le_bytes([chunk[0], chunk[1]]);
        }
        Ok(Self { lanes })
    }

    /// The commitment persisted in `store` (the empty one if none is).
    pub fn load(store: &(impl KvStore + ?Sized)) -> Result<Self, StoreError> {
        match store.get(Column::Meta, STATE_COMMITMENT_KEY)? {
            Some(bytes) => Self::from_bytes(&bytes),
            None => Ok(Self::empty()),
        }
    }

    /// Rebuilds the commitment from a full scan of the state columns of `store`: a check on the
    /// persisted one, with a cost proportional to the whole state.
    pub fn recompute(store: &(impl KvStore + ?Sized)) -> Result<Self, StoreError> {
        let mut commitment = Self::empty();
        for col in Column::ALL.into_iter().filter(|c| c.is_state()) {
            for pair in store.iter_prefix(col, &[]) {
                let (key, value) = pair?;
                commitment.insert(col, &key, &value);
            }
        }
        Ok(commitment)
    }
}

/// SHAKE256(domain ‖ column id ‖ key length (u32 LE) ‖ key ‖ value) read as 1,024 lanes.
/// The key length makes the (key, value) split unambiguous.
fn expand(col: Column, key: &[u8], value: &[u8]) -> [u16; LANES] {
    let mut shake = Shake256::default();
    shake.update(ENTRY_DOMAIN);
    shake.update(&[col.id()]);
    // Keys longer than u32::MAX bytes cannot exist in memory here; saturate rather than truncate.
    shake.update(&u32::try_from(key.len()).unwrap_or(u32::MAX).to_le_bytes());
    shake.update(key);
    shake.update(value);
    let mut bytes = [0u8; SUM_BYTES];
    shake.finalize_xof().read(&mut bytes);
    let mut lanes = [0u16; LANES];
    for (lane, chunk) in lanes.iter_mut().zip(bytes.chunks_exact(2)) {
        *lane = u16::from_le_bytes([chunk[0], chunk[1]]);
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_independent_and_invertible() {
        let entries: Vec<(Column, Vec<u8>, Vec<u8>)> = (0u8..20)
            .map(|i| (Column::ALL[usize::from(i % 3)], vec![i], vec![i; usize::from(i)]))
            .collect();
        let mut forward = StateCommitment::empty();
        for (c, k, v) in &entries {
            forward.insert(*c, k, v);
        }
        let mut backward = StateCommitment::empty();
        for (c, k, v) in entries.iter().rev() {
            backward.insert(*c, k, v);
        }
        assert_eq!(forward.root(), backward.root());
        for (c, k, v) in &entries {
            forward.remove(*c, k, v);
        }
        assert_eq!(forward, StateCommitment::empty());
    }

    #[test]
    fn entries_are_unambiguous() {
        let root = |c: Column, k: &[u8], v: &[u8]| {
            let mut s = StateCommitment::empty();
            s.insert(c, k, v);
            s.root()
        };
        // Moving a byte between key and value, or changing the column, changes the root.
        assert_ne!(
            root(Column::Storage, b"ab", b"c"),
            root(Column::Storage, b"a", b"bc")
        );
        assert_ne!(
            root(Column::Storage, b"a", b"b"),
            root(Column::Accounts, b"a", b"b")
        );
        assert_ne!(root(Column::Storage, b"a", b""), StateCommitment::empty().root());
    }

    #[test]
    fn update_and_bytes_round_trip() {
        let mut s = StateCommitment::empty();
        s.update(Column::Code, b"k", None, Some(b"v1"));
        s.update(Column::Code, b"k", Some(b"v1"), Some(b"v2"));
        let mut direct = StateCommitment::empty();
        direct.insert(Column::Code, b"k", b"v2");
        assert_eq!(s, direct);
        assert_eq!(StateCommitment::from_bytes(&s.to_bytes()).unwrap(), s);
        assert!(matches!(
            StateCommitment::from_bytes(&[0; 7]),
            Err(StoreError::Corrupt { .. })
        ));
    }
}

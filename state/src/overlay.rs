//! [`Overlay`]: buffered writes over a [`KvStore`] with nested checkpoints.

use std::collections::BTreeMap;

use weft_primitives::Hash;

use crate::column::Column;
use crate::commitment::{STATE_COMMITMENT_KEY, StateCommitment};
use crate::error::StoreError;
use crate::store::{KvPair, KvStore, WriteBatch};

/// Pending value of a key: `Some(value)` is a put, `None` a delete.
type Pending = Option<Vec<u8>>;

/// One undo record: the key's pending state before a write (`None`: it had none).
#[derive(Debug)]
struct JournalEntry {
    col: Column,
    key: Vec<u8>,
    previous: Option<Pending>,
}

/// A point in an [`Overlay`]'s history to [`revert to`](Overlay::revert_to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint(usize);

/// The result of [`Overlay::commit`]: the batch to write and the state root it produces.
#[derive(Debug)]
pub struct StateCommit {
    /// Every pending write plus the updated commitment. Callers may add more (block, receipts,
    /// head pointer) so that a block lands in one atomic write.
    pub batch: WriteBatch,
    /// The state root once `batch` is written.
    pub root: Hash,
}

/// Reads through to a store; buffers writes until [`commit`](Overlay::commit).
///
/// Every write is journaled, so [`checkpoint`](Overlay::checkpoint) / [`revert_to`](Overlay::revert_to)
/// nest to any depth: a contract call frame takes a checkpoint on entry and reverts to it on failure,
/// undoing its own writes and those of the frames it called, and nothing of its caller's. Checkpoints
/// are used last-in first-out; a frame that succeeds simply drops its checkpoint.
///
/// The key [`STATE_COMMITMENT_KEY`] of [`Column::Meta`] is reserved for the commitment.
pub struct Overlay<S: KvStore> {
    store: S,
    pending: [BTreeMap<Vec<u8>, Pending>; Column::ALL.len()],
    journal: Vec<JournalEntry>,
}

impl<S: KvStore> std::fmt::Debug for Overlay<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pending: usize = self.pending.iter().map(BTreeMap::len).sum();
        f.debug_struct("Overlay")
            .field("pending", &pending)
            .field("journal", &self.journal.len())
            .finish_non_exhaustive()
    }
}

impl<S: KvStore> Overlay<S> {
    /// An overlay with no pending writes over `store` (a reference, or an `Arc` when the overlay must
    /// own its handle).
    pub fn new(store: S) -> Self {
        Self {
            store,
            pending: Default::default(),
            journal: Vec::new(),
        }
    }

    /// The store below.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The value of `key`: the pending write if any, else the store's.
    pub fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.pending[usize::from(col.id())].get(key) {
            Some(pending) => Ok(pending.clone()),
            None => self.store.get(col, key),
        }
    }

    /// Sets `key` to `value`.
    pub fn put(&mut self, col: Column, key: &[u8], value: Vec<u8>) {
        self.set(col, key, Some(value));
    }

    /// Removes `key`.
    pub fn delete(&mut self, col: Column, key: &[u8]) {
        self.set(col, key, None);
    }

    fn set(&mut self, col: Column, key: &[u8], value: Pending) {
        let previous = self.pending[usize::from(col.id())].insert(key.to_vec(), value);
        self.journal.push(JournalEntry {
            col,
            key: key.to_vec(),
            previous,
        });
    }

    /// All pairs of `col` under `prefix` as this overlay sees them, in ascending key order.
    pub fn iter_prefix(&self, col: Column, prefix: &[u8]) -> Result<Vec<KvPair>, StoreError> {
        let mut merged = BTreeMap::new();
        for pair in self.store.iter_prefix(col, prefix) {
            let (key, value) = pair?;
            merged.insert(key, value);
        }
        let pending = self.pending[usize::from(col.id())]
            .range(prefix.to_vec()..)
            .take_while(|(key, _)| key.starts_with(prefix));
        for (key, value) in pending {
            match value {
                Some(value) => merged.insert(key.clone(), value.clone()),
                None => merged.remove(key),
            };
        }
        Ok(merged.into_iter().collect())
    }

    /// Marks the current point, to [`revert_to`](Self::revert_to) later.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.journal.len())
    }

    /// Undoes every write made since `checkpoint` was taken (including those of nested checkpoints
    /// taken after it). Reverting to a checkpoint already reverted past does nothing.
    pub fn revert_to(&mut self, checkpoint: Checkpoint) {
        while self.journal.len() > checkpoint.0 {
            let Some(entry) = self.journal.pop() else { break };
            let column = &mut self.pending[usize::from(entry.col.id())];
            match entry.previous {
                Some(previous) => column.insert(entry.key, previous),
                None => column.remove(&entry.key),
            };
        }
    }

    /// Whether there are pending writes.
    pub fn is_empty(&self) -> bool {
        self.pending.iter().all(BTreeMap::is_empty)
    }

    /// Turns the pending writes into one batch, updating the persisted state commitment
    /// incrementally: each changed state key costs one read of its old value and two hash expansions.
    pub fn commit(self) -> Result<StateCommit, StoreError> {
        self.commit_inner(None)
    }

    /// [`commit`](Self::commit), also recording the old value of each changed state key as the
    /// history of `height` (see [`crate::history`]).
    pub fn commit_with_history(self, height: u64) -> Result<StateCommit, StoreError> {
        self.commit_inner(Some(height))
    }

    fn commit_inner(self, history: Option<u64>) -> Result<StateCommit, StoreError> {
        let mut commitment = StateCommitment::load(&self.store)?;
        let mut batch = WriteBatch::new();
        for (col, pending) in Column::ALL.into_iter().zip(self.pending) {
            for (key, value) in pending {
                if col.is_state() {
                    let old = self.store.get(col, &key)?;
                    commitment.update(col, &key, old.as_deref(), value.as_deref());
                    if let Some(height) = history {
                        crate::history::record(&self.store, &mut batch, height, col, &key, old.as_deref())?;
                    }
                }
                match value {
                    Some(value) => batch.put(col, key, value),
                    None => batch.delete(col, key),
                }
            }
        }
        batch.put(Column::Meta, STATE_COMMITMENT_KEY, commitment.to_bytes());
        Ok(StateCommit {
            batch,
            root: commitment.root(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Durability, MemStore};

    fn base() -> MemStore {
        let store = MemStore::new();
        let mut overlay = Overlay::new(&store);
        overlay.put(Column::Storage, b"a", b"1".to_vec());
        overlay.put(Column::Storage, b"b", b"2".to_vec());
        let commit = overlay.commit().unwrap();
        store.write(&commit.batch, Durability::Sync).unwrap();
        store
    }

    #[test]
    fn nested_frames_revert_only_their_own_writes() {
        let store = base();
        let mut o = Overlay::new(&store);
        o.put(Column::Storage, b"a", b"outer".to_vec());
        let inner = o.checkpoint();
        o.put(Column::Storage, b"a", b"inner".to_vec());
        o.delete(Column::Storage, b"b");
        let innermost = o.checkpoint();
        o.put(Column::Storage, b"c", b"deep".to_vec());
        o.revert_to(innermost);
        assert_eq!(o.get(Column::Storage, b"c").unwrap(), None);
        assert_eq!(o.get(Column::Storage, b"a").unwrap(), Some(b"inner".to_vec()));
        assert_eq!(o.get(Column::Storage, b"b").unwrap(), None);
        o.revert_to(inner);
        assert_eq!(o.get(Column::Storage, b"a").unwrap(), Some(b"outer".to_vec()));
        assert_eq!(o.get(Column::Storage, b"b").unwrap(), Some(b"2".to_vec()));
        // Reverting again to an older-than-now checkpoint is a no-op.
        o.revert_to(innermost);
        assert_eq!(o.get(Column::Storage, b"a").unwrap(), Some(b"outer".to_vec()));
        // Reverting everything leaves nothing pending; the store was never touched.
        o.revert_to(Checkpoint(0));
        assert!(o.is_empty());
        assert_eq!(store.get(Column::Storage, b"a").unwrap(), Some(b"1".to_vec()));
    }

    #[test]
    fn a_successful_inner_frame_is_undone_by_its_callers_revert() {
        let store = base();
        let mut o = Overlay::new(&store);
        let outer = o.checkpoint();
        o.put(Column::Storage, b"x", b"1".to_vec());
        let _inner = o.checkpoint(); // inner frame succeeds: its checkpoint is dropped
        o.put(Column::Storage, b"y", b"2".to_vec());
        o.revert_to(outer);
        assert!(o.is_empty());
    }

    #[test]
    fn iteration_merges_pending_writes() {
        let store = base();
        let mut o = Overlay::new(&store);
        o.delete(Column::Storage, b"a");
        o.put(Column::Storage, b"ab", b"3".to_vec());
        o.put(Column::Code, b"a", b"other column".to_vec());
        assert_eq!(
            o.iter_prefix(Column::Storage, b"").unwrap(),
            vec![(b"ab".to_vec(), b"3".to_vec()), (b"b".to_vec(), b"2".to_vec())]
        );
        assert_eq!(
            o.iter_prefix(Column::Storage, b"a").unwrap(),
            vec![(b"ab".to_vec(), b"3".to_vec())]
        );
    }

    #[test]
    fn commit_root_matches_a_full_recompute() {
        let store = base();
        let mut o = Overlay::new(&store);
        o.put(Column::Storage, b"a", b"changed".to_vec());
        o.delete(Column::Storage, b"b");
        o.delete(Column::Storage, b"never-existed");
        o.put(Column::Accounts, b"acct", b"1".to_vec());
        o.put(Column::Blocks, b"not state", b"x".to_vec());
        let commit = o.commit().unwrap();
        store.write(&commit.batch, Durability::Sync).unwrap();
        assert_eq!(commit.root, StateCommitment::recompute(&store).unwrap().root());
        assert_eq!(commit.root, StateCommitment::load(&store).unwrap().root());
        // Chain data is not state: a second commit that only writes a block keeps the root.
        let mut o = Overlay::new(&store);
        o.put(Column::Blocks, b"another", b"y".to_vec());
        assert_eq!(o.commit().unwrap().root, commit.root);
    }
}

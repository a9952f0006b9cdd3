//! [`PinnedState`]: the state as it was at one moment, read while later blocks are committed.
//!
//! Reads and dry runs run without the chain's lock, so the miner may commit blocks (and the devnet
//! its overrides) under them. A commit is one atomic batch that writes the new values together
//! with their history entries (`weft_state::history`: the value before each height's first
//! change) and the new head. So a read of a state key at the pinned moment is:
//!
//! 1. the current value, read first;
//! 2. then, for every height above the pinned head up to the head read *after* step 1 (plus one,
//!    for overrides recorded at the next height), the oldest history entry of the key, which is
//!    its value before that height changed it.
//!
//! A commit between 1 and 2 wrote both the newer value and the entry holding the older one, so the
//! answer is the same whichever side of the commit each read falls. Overrides made *before* the
//! pin are recorded at the next height too: their values at the pin are captured when pinning
//! (under the chain's lock; devnet overrides are few), so they are not undone. Chain data (blocks,
//! receipts, traces) is written once and never changed, and is read as it is.
//!
//! A devnet revert rewrites the store wholesale: a read racing one may mix the two chains.

use std::collections::BTreeMap;

use weft_state::{Column, Durability, KvIter, KvStore, SharedStore, StoreError, WriteBatch, history};

use crate::chain_store;
use crate::error::ChainError;

/// The state as the store held it when pinned; chain data as it is. Read-only.
pub(crate) struct PinnedState {
    store: SharedStore,
    /// The head height when pinned.
    height: u64,
    /// The keys overridden between the pinned head and the next block, before the pin, with their
    /// values at the pin.
    overridden: BTreeMap<(Column, Vec<u8>), Option<Vec<u8>>>,
}

impl PinnedState {
    /// Pins `store` at `head`, the head height. Call with the chain's writer excluded, so that
    /// the overrides captured are exactly those made before the pin.
    pub(crate) fn pin(store: SharedStore, head: u64) -> Result<Self, ChainError> {
        let mut overridden = BTreeMap::new();
        for (col, key) in history::changed_at(&*store, head + 1)? {
            let value = store.get(col, &key)?;
            overridden.insert((col, key), value);
        }
        Ok(Self {
            store,
            height: head,
            overridden,
        })
    }

    fn state_value(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        // Overrides before a pin are rare: skip the lookup (and its key copy) when there are none.
        if !self.overridden.is_empty()
            && let Some(value) = self.overridden.get(&(col, key.to_vec()))
        {
            return Ok(value.clone());
        }
        let current = self.store.get(col, key)?;
        let head = chain_store::head_height(&*self.store)
            .map_err(|_| StoreError::Corrupt {
                what: "head height",
                reason: "unreadable while pinned".into(),
            })?
            .unwrap_or(self.height);
        for height in self.height + 1..=head + 1 {
            if let Some(before) = history::recorded(&*self.store, height, col, key)? {
                return Ok(before);
            }
        }
        Ok(current)
    }
}

impl KvStore for PinnedState {
    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        if col.is_state() {
            self.state_value(col, key)
        } else {
            self.store.get(col, key)
        }
    }

    fn write(&self, _batch: &WriteBatch, _durability: Durability) -> Result<(), StoreError> {
        Err(StoreError::Unsupported("a pinned read view"))
    }

    fn iter_prefix<'a>(&'a self, col: Column, prefix: &[u8]) -> KvIter<'a> {
        if col.is_state() {
            // No host function iterates state; pinning an iteration would need every key's history.
            return Box::new(std::iter::once(Err(StoreError::Unsupported(
                "iterating state in a pinned read view",
            ))));
        }
        self.store.iter_prefix(col, prefix)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use weft_state::{MemStore, Overlay};

    /// Commits `edit` as height `height` (its history too) and moves the head to it.
    fn commit(store: &SharedStore, height: u64, edit: impl FnOnce(&mut Overlay<SharedStore>)) {
        let mut overlay = Overlay::new(store.clone());
        edit(&mut overlay);
        let mut commit = overlay.commit_with_history(height).unwrap();
        chain_store::put_head(&mut commit.batch, height);
        store.write(&commit.batch, Durability::Sync).unwrap();
    }

    #[test]
    fn a_pinned_read_does_not_see_later_commits_or_overrides() {
        let store: SharedStore = Arc::new(MemStore::new());
        let key = |k: &str| k.as_bytes().to_vec();
        commit(&store, 1, |o| {
            o.put(Column::Storage, b"a", key("a1"));
            o.put(Column::Storage, b"b", key("b1"));
        });
        // An override before the pin (recorded at height 2) is part of the pinned state.
        let mut overlay = Overlay::new(store.clone());
        overlay.put(Column::Storage, b"b", key("b-override"));
        let early = overlay.commit_with_history(2).unwrap();
        store.write(&early.batch, Durability::Sync).unwrap();

        let pinned = PinnedState::pin(store.clone(), 1).unwrap();
        // Block 2 changes a, b and adds c; block 3 changes a again and deletes b.
        commit(&store, 2, |o| {
            o.put(Column::Storage, b"a", key("a2"));
            o.put(Column::Storage, b"b", key("b2"));
            o.put(Column::Storage, b"c", key("c2"));
        });
        commit(&store, 3, |o| {
            o.put(Column::Storage, b"a", key("a3"));
            o.delete(Column::Storage, b"b");
        });
        assert_eq!(pinned.get(Column::Storage, b"a").unwrap(), Some(key("a1")));
        assert_eq!(
            pinned.get(Column::Storage, b"b").unwrap(),
            Some(key("b-override"))
        );
        assert_eq!(pinned.get(Column::Storage, b"c").unwrap(), None);
        assert_eq!(store.get(Column::Storage, b"a").unwrap(), Some(key("a3")));
        // Chain data passes through; the view is read-only.
        assert!(matches!(
            pinned.write(&WriteBatch::new(), Durability::Sync),
            Err(StoreError::Unsupported(_))
        ));
        assert!(
            pinned
                .iter_prefix(Column::Storage, b"")
                .next()
                .is_some_and(|r| r.is_err())
        );
    }
}

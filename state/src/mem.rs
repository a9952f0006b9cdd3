//! [`MemStore`]: an in-memory [`KvStore`] for tests and ephemeral chains.

use std::collections::BTreeMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::column::Column;
use crate::error::StoreError;
use crate::store::{BatchOp, Durability, KvIter, KvStore, WriteBatch};

type Columns = [BTreeMap<Vec<u8>, Vec<u8>>; Column::ALL.len()];

/// An in-memory store: one ordered map per column behind a lock.
#[derive(Debug, Default)]
pub struct MemStore {
    columns: RwLock<Columns>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    // The maps are only changed by whole `insert`/`remove` calls, which leave them consistent even
    // if a thread panicked while it held the guard; so a poisoned lock is still safe to use.
    fn read(&self) -> RwLockReadGuard<'_, Columns> {
        self.columns
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, Columns> {
        self.columns
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl KvStore for MemStore {
    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.read()[usize::from(col.id())].get(key).cloned())
    }

    fn write(&self, batch: &WriteBatch, _durability: Durability) -> Result<(), StoreError> {
        let mut columns = self.write_guard();
        for op in batch.ops() {
            match op {
                BatchOp::Put { col, key, value } => {
                    columns[usize::from(col.id())].insert(key.clone(), value.clone());
                }
                BatchOp::Delete { col, key } => {
                    columns[usize::from(col.id())].remove(key);
                }
            }
        }
        Ok(())
    }

    fn iter_prefix<'a>(&'a self, col: Column, prefix: &[u8]) -> KvIter<'a> {
        // A snapshot, so that the lock is not held while the caller iterates.
        let pairs: Vec<_> = self.read()[usize::from(col.id())]
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| Ok((k.clone(), v.clone())))
            .collect();
        Box::new(pairs.into_iter())
    }
}

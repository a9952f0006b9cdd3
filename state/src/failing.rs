//! [`FailingStore`]: a [`MemStore`] that fails on demand, for tests of what a store fault does
//! above the storage boundary (a transaction left out, a node halted, nothing half-written).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::column::Column;
use crate::error::StoreError;
use crate::mem::MemStore;
use crate::store::{Durability, KvIter, KvStore, WriteBatch};

/// A [`MemStore`] whose reads of one key, or whose every write, fail when asked to.
#[derive(Debug, Default)]
pub struct FailingStore {
    inner: MemStore,
    failing_read: Mutex<Option<(Column, Vec<u8>)>>,
    failing_writes: AtomicBool,
}

impl FailingStore {
    /// An empty store that does not fail yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, reads of `key` in `col` fail (`None`: no read fails).
    pub fn fail_reads_of(&self, key: Option<(Column, Vec<u8>)>) {
        *self.failing_read.lock().unwrap_or_else(PoisonError::into_inner) = key;
    }

    /// From now on, every write fails (`false`: writes succeed again).
    pub fn fail_writes(&self, fail: bool) {
        self.failing_writes.store(fail, Ordering::SeqCst);
    }

    fn failure(op: &'static str) -> StoreError {
        StoreError::Io {
            path: "failing-store".into(),
            op,
            reason: "failure on demand".into(),
        }
    }
}

impl KvStore for FailingStore {
    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let failing = self.failing_read.lock().unwrap_or_else(PoisonError::into_inner);
        if failing.as_ref().is_some_and(|(c, k)| *c == col && k == key) {
            return Err(Self::failure("get"));
        }
        drop(failing);
        self.inner.get(col, key)
    }

    fn write(&self, batch: &WriteBatch, durability: Durability) -> Result<(), StoreError> {
        if self.failing_writes.load(Ordering::SeqCst) {
            return Err(Self::failure("write"));
        }
        self.inner.write(batch, durability)
    }

    fn iter_prefix<'a>(&'a self, col: Column, prefix: &[u8]) -> KvIter<'a> {
        self.inner.iter_prefix(col, prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fails_exactly_what_it_is_asked_to() {
        let store = FailingStore::new();
        let mut batch = WriteBatch::default();
        batch.put(Column::Accounts, b"a".to_vec(), b"1".to_vec());
        store.write(&batch, Durability::Sync).unwrap();
        store.fail_reads_of(Some((Column::Accounts, b"a".to_vec())));
        assert!(store.get(Column::Accounts, b"a").is_err());
        assert_eq!(store.get(Column::Accounts, b"b").unwrap(), None);
        assert_eq!(store.get(Column::Code, b"a").unwrap(), None);
        store.fail_reads_of(None);
        assert_eq!(store.get(Column::Accounts, b"a").unwrap(), Some(b"1".to_vec()));
        store.fail_writes(true);
        assert!(store.write(&batch, Durability::Sync).is_err());
        store.fail_writes(false);
        store.write(&batch, Durability::Sync).unwrap();
    }
}

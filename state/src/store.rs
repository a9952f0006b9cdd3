//! The [`KvStore`] trait and write batches.

use crate::column::Column;
use crate::error::StoreError;

/// One operation of a [`WriteBatch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchOp {
    /// Set `key` to `value`.
    Put {
        /// Column.
        col: Column,
        /// Key.
        key: Vec<u8>,
        /// Value.
        value: Vec<u8>,
    },
    /// Remove `key` (no error if absent).
    Delete {
        /// Column.
        col: Column,
        /// Key.
        key: Vec<u8>,
    },
}

/// Operations applied atomically, in order, by [`KvStore::write`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBatch {
    ops: Vec<BatchOp>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a put.
    pub fn put(&mut self, col: Column, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.ops.push(BatchOp::Put {
            col,
            key: key.into(),
            value: value.into(),
        });
    }

    /// Adds a delete.
    pub fn delete(&mut self, col: Column, key: impl Into<Vec<u8>>) {
        self.ops.push(BatchOp::Delete { col, key: key.into() });
    }

    /// The operations, in order.
    pub fn ops(&self) -> &[BatchOp] {
        &self.ops
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch has no operations.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// How durable a [`KvStore::write`] must be when it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// In the write-ahead log, possibly still in the OS page cache: survives a process crash.
    Buffered,
    /// Synced to disk (fsync): survives a power loss. Used for block commits.
    Sync,
}

/// A key and its value.
pub type KvPair = (Vec<u8>, Vec<u8>);

/// Key-value pairs from [`KvStore::iter_prefix`], in ascending key order.
pub type KvIter<'a> = Box<dyn Iterator<Item = Result<KvPair, StoreError>> + 'a>;

/// The storage boundary: everything Weft persists goes through this trait.
///
/// Implementations must be observationally identical (the conformance suite in `tests/` checks
/// [`crate::MemStore`] against [`crate::RocksStore`]): the same operations give the same reads, the
/// same iteration order (bytewise ascending keys) and so the same state roots.
pub trait KvStore: Send + Sync {
    /// The value of `key` in `col`, if any.
    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Applies all of `batch` or none of it.
    fn write(&self, batch: &WriteBatch, durability: Durability) -> Result<(), StoreError>;

    /// All pairs of `col` whose key starts with `prefix`, in ascending key order.
    fn iter_prefix<'a>(&'a self, col: Column, prefix: &[u8]) -> KvIter<'a>;
}

/// Implements [`KvStore`] for a handle type by forwarding to the store it points to.
macro_rules! forward_kv_store {
    ($($(#[$doc:meta])* $handle:ty),*) => {$(
        $(#[$doc])*
        impl<T: KvStore + ?Sized> KvStore for $handle {
            fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
                (**self).get(col, key)
            }
            fn write(&self, batch: &WriteBatch, durability: Durability) -> Result<(), StoreError> {
                (**self).write(batch, durability)
            }
            fn iter_prefix<'a>(&'a self, col: Column, prefix: &[u8]) -> KvIter<'a> {
                (**self).iter_prefix(col, prefix)
            }
        }
    )*};
}

forward_kv_store!(
    /// A shared reference to a store is a store: an [`crate::Overlay`] over `&RocksStore` borrows it.
    &T,
    /// A counted handle to a store is a store: an [`crate::Overlay`] over `Arc<dyn KvStore>` owns
    /// its handle, so it can move into a wasm engine's host environment (which must be `'static`).
    std::sync::Arc<T>
);

/// A store shared between threads and owned by many: what the node, the VM and the test harness
/// hold.
pub type SharedStore = std::sync::Arc<dyn KvStore>;

//! [`RocksStore`]: the embedded RocksDB [`KvStore`].

use std::path::{Path, PathBuf};

use rocksdb::{ColumnFamily, ColumnFamilyDescriptor, DB, Direction, ErrorKind, IteratorMode, Options};

use crate::column::Column;
use crate::error::StoreError;
use crate::store::{BatchOp, Durability, KvIter, KvStore, WriteBatch};

/// A RocksDB database with one column family per [`Column`], write-ahead log on.
///
/// A batch is one RocksDB `WriteBatch`: atomic, and synced to disk with [`Durability::Sync`].
/// RocksDB locks its directory: opening one that another process holds fails with
/// [`StoreError::Locked`].
pub struct RocksStore {
    db: DB,
    path: PathBuf,
}

impl std::fmt::Debug for RocksStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RocksStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl RocksStore {
    /// Opens (creating if needed) the database in directory `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let mut options = Options::default();
        options.create_if_missing(true);
        options.create_missing_column_families(true);
        options.set_compression_type(rocksdb::DBCompressionType::Lz4);
        options.set_max_open_files(512);
        let descriptors = Column::ALL.iter().map(|col| {
            let mut cf = Options::default();
            cf.set_compression_type(rocksdb::DBCompressionType::Lz4);
            ColumnFamilyDescriptor::new(col.name(), cf)
        });
        let db = DB::open_cf_descriptors(&options, &path, descriptors).map_err(|e| {
            let reason = e.to_string();
            if e.kind() == ErrorKind::IOError && reason.to_ascii_lowercase().contains("lock") {
                StoreError::Locked {
                    path: path.clone(),
                    reason,
                }
            } else {
                StoreError::Open {
                    path: path.clone(),
                    reason,
                }
            }
        })?;
        Ok(Self { db, path })
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn cf(&self, col: Column) -> Result<&ColumnFamily, StoreError> {
        self.db.cf_handle(col.name()).ok_or_else(|| StoreError::Corrupt {
            what: "column family list",
            reason: format!("column family {} is missing", col.name()),
        })
    }

    fn io(&self, op: &'static str, e: rocksdb::Error) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            op,
            reason: e.to_string(),
        }
    }
}

impl KvStore for RocksStore {
    fn get(&self, col: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.db.get_cf(self.cf(col)?, key).map_err(|e| self.io("get", e))
    }

    fn write(&self, batch: &WriteBatch, durability: Durability) -> Result<(), StoreError> {
        let mut rocks_batch = rocksdb::WriteBatch::default();
        for op in batch.ops() {
            match op {
                BatchOp::Put { col, key, value } => rocks_batch.put_cf(self.cf(*col)?, key, value),
                BatchOp::Delete { col, key } => rocks_batch.delete_cf(self.cf(*col)?, key),
            }
        }
        let mut options = rocksdb::WriteOptions::default();
        options.set_sync(durability == Durability::Sync);
        self.db
            .write_opt(rocks_batch, &options)
            .map_err(|e| self.io("write batch", e))
    }

    fn iter_prefix<'a>(&'a self, col: Column, prefix: &[u8]) -> KvIter<'a> {
        let cf = match self.cf(col) {
            Ok(cf) => cf,
            Err(e) => return Box::new(std::iter::once(Err(e))),
        };
        let owned_prefix = prefix.to_vec();
        let iter = self
            .db
            .iterator_cf(cf, IteratorMode::From(prefix, Direction::Forward))
            .map(move |item| {
                item.map(|(k, v)| (k.into_vec(), v.into_vec()))
                    .map_err(|e| self.io("iterate", e))
            })
            .take_while(move |item| match item {
                Ok((k, _)) => k.starts_with(&owned_prefix),
                Err(_) => true,
            });
        Box::new(iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_open_of_the_same_directory_is_a_locked_error() {
        let dir = tempfile::tempdir().unwrap();
        let _first = RocksStore::open(dir.path()).unwrap();
        match RocksStore::open(dir.path()) {
            Err(StoreError::Locked { path, .. }) => assert_eq!(path, dir.path()),
            other => panic!("expected Locked, got {other:?}"),
        }
    }

    #[test]
    fn open_failure_carries_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, b"x").unwrap();
        let err = RocksStore::open(&file).unwrap_err();
        assert!(err.to_string().contains("not-a-dir"), "{err}");
        assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    }

    #[test]
    fn data_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = RocksStore::open(dir.path()).unwrap();
            let mut batch = WriteBatch::new();
            batch.put(Column::Storage, b"k".to_vec(), b"v".to_vec());
            batch.put(Column::Meta, b"k".to_vec(), b"meta".to_vec());
            store.write(&batch, Durability::Sync).unwrap();
        }
        let store = RocksStore::open(dir.path()).unwrap();
        assert_eq!(store.get(Column::Storage, b"k").unwrap(), Some(b"v".to_vec()));
        assert_eq!(store.get(Column::Meta, b"k").unwrap(), Some(b"meta".to_vec()));
        assert_eq!(store.get(Column::Code, b"k").unwrap(), None);
    }
}

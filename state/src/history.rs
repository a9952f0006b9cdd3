//! The state's history, for reads at past blocks: when height `h` changes a state key (accounts,
//! code, storage), the value the key had before is kept in [`Column::History`] under
//! `h (u64 big-endian) ‖ column id ‖ key`: `0x01 ‖ value`, or `0x00` when it did not exist.
//! Only the first change at a height is kept, so changes made between blocks (devnet overrides,
//! recorded at the next height) and the block's own share one entry holding the older value.
//!
//! [`state_at`] undoes the entries of every height above the one asked for, newest first, in an
//! [`Overlay`] over the head state: what it reads is the state as it was after that height.

use crate::{Column, KvStore, Overlay, StoreError, WriteBatch};

fn entry_key(height: u64, col: Column, key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + key.len());
    out.extend_from_slice(&height.to_be_bytes());
    out.push(col.id());
    out.extend_from_slice(key);
    out
}

/// Adds to `batch` the history entry of `key` in `col` for `height` (its value before, `old`),
/// unless `store` already holds one for that height.
pub fn record<S: KvStore + ?Sized>(
    store: &S,
    batch: &mut WriteBatch,
    height: u64,
    col: Column,
    key: &[u8],
    old: Option<&[u8]>,
) -> Result<(), StoreError> {
    let entry = entry_key(height, col, key);
    if store.get(Column::History, &entry)?.is_none() {
        let value = match old {
            Some(old) => [&[1u8][..], old].concat(),
            None => vec![0],
        };
        batch.put(Column::History, entry, value);
    }
    Ok(())
}

/// The value `key` in `col` had before height `height` first changed it, if that height changed it:
/// `Some(None)` when the key did not exist then.
pub fn recorded<S: KvStore + ?Sized>(
    store: &S,
    height: u64,
    col: Column,
    key: &[u8],
) -> Result<Option<Option<Vec<u8>>>, StoreError> {
    let entry = entry_key(height, col, key);
    store
        .get(Column::History, &entry)?
        .map(|old| decode_old(&entry, &old))
        .transpose()
}

/// A history entry's value: `0x01 ‖ value`, or `0x00` for a key that did not exist.
fn decode_old(entry: &[u8], old: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    match old.split_first() {
        Some((1, value)) => Ok(Some(value.to_vec())),
        Some((0, [])) => Ok(None),
        _ => Err(StoreError::Corrupt {
            what: "history entry",
            reason: format!("key {}", hex_of(entry)),
        }),
    }
}

/// The state after `height` as an overlay over `store`; `newest` is the highest height that may
/// have history (the head's + 1 when changes between blocks are recorded for the next one).
pub fn state_at<S: KvStore>(store: S, height: u64, newest: u64) -> Result<Overlay<S>, StoreError> {
    let mut overlay = Overlay::new(store);
    for undone in (height.saturating_add(1)..=newest).rev() {
        for (col, key, old) in entries_at(overlay.store(), undone)? {
            match old {
                Some(value) => overlay.put(col, &key, value),
                None => overlay.delete(col, &key),
            }
        }
    }
    Ok(overlay)
}

/// The keys height `height` changed (so far, for the height being built), by column.
pub fn changed_at<S: KvStore + ?Sized>(store: &S, height: u64) -> Result<Vec<(Column, Vec<u8>)>, StoreError> {
    Ok(entries_at(store, height)?
        .into_iter()
        .map(|(col, key, _)| (col, key))
        .collect())
}

/// Every history entry of `height`: the column, the key and the value before.
fn entries_at<S: KvStore + ?Sized>(store: &S, height: u64) -> Result<Vec<HistoryEntry>, StoreError> {
    let columns = [Column::Accounts, Column::Code, Column::Storage];
    store
        .iter_prefix(Column::History, &height.to_be_bytes())
        .map(|pair| {
            let (entry, old) = pair?;
            let col = entry
                .get(8)
                .and_then(|id| columns.into_iter().find(|c| c.id() == *id))
                .ok_or_else(|| StoreError::Corrupt {
                    what: "history entry",
                    reason: format!("key {}", hex_of(&entry)),
                })?;
            Ok((col, entry[9..].to_vec(), decode_old(&entry, &old)?))
        })
        .collect()
}

/// A history entry: column, key, the value before (`None`: absent).
type HistoryEntry = (Column, Vec<u8>, Option<Vec<u8>>);

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Durability, MemStore};

    fn dump<S: KvStore>(overlay: &Overlay<S>) -> Vec<(Column, Vec<crate::KvPair>)> {
        [Column::Accounts, Column::Code, Column::Storage]
            .into_iter()
            .map(|col| (col, overlay.iter_prefix(col, b"").expect("readable")))
            .collect()
    }

    #[test]
    fn the_state_at_every_past_height_is_what_it_was() {
        let store = MemStore::new();
        let mut seen = Vec::new();
        // Height h writes a few keys, overwrites and deletes some older ones; a "between blocks"
        // override before height 4 shares height 4's history.
        for height in 1..=8u64 {
            let mut overlay = Overlay::new(&store);
            for i in 0..height {
                let key = [(i % 5) as u8];
                match (height + i) % 4 {
                    0 => overlay.delete(Column::Storage, &key),
                    _ => overlay.put(Column::Storage, &key, vec![height as u8; (i + 1) as usize]),
                }
            }
            overlay.put(Column::Accounts, &[height as u8], vec![1]);
            overlay.delete(Column::Accounts, &[(height - 1) as u8]);
            if height == 4 {
                let mut before = Overlay::new(&store);
                before.put(Column::Storage, &[0], b"override".to_vec());
                before.put(Column::Code, b"c", b"override".to_vec());
                let commit = before.commit_with_history(4).expect("commit");
                store.write(&commit.batch, Durability::Sync).expect("write");
                // The override belongs to the state after height 3 only from now on; a read at 3
                // shows what height 3 made.
            }
            let commit = overlay.commit_with_history(height).expect("commit");
            store.write(&commit.batch, Durability::Sync).expect("write");
            seen.push(dump(&Overlay::new(&store)));
        }
        // A change after the last height is the next one's history.
        let mut after = Overlay::new(&store);
        after.put(Column::Storage, &[1], b"later".to_vec());
        let commit = after.commit_with_history(9).expect("commit");
        store.write(&commit.batch, Durability::Sync).expect("write");
        for height in 1..=8u64 {
            let past = state_at(&store, height, 9).expect("readable");
            assert_eq!(
                dump(&past),
                seen[(height - 1) as usize],
                "state after height {height}"
            );
        }
        let before_any = state_at(&store, 0, 9).expect("readable");
        assert!(dump(&before_any).iter().all(|(_, pairs)| pairs.is_empty()));
    }

    #[test]
    fn a_corrupt_entry_is_an_error() {
        let store = MemStore::new();
        let mut batch = WriteBatch::new();
        batch.put(Column::History, entry_key(1, Column::Storage, b"k"), vec![7]);
        store.write(&batch, Durability::Sync).expect("write");
        assert!(matches!(state_at(&store, 0, 1), Err(StoreError::Corrupt { .. })));
    }
}

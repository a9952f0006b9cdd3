//! Typed storage: SCALE-encoded values under fixed keys, and maps under per-field prefixes.
//!
//! A [`StorageValue`] lives at its key; a [`StorageMap`] entry lives at `prefix ‖ SCALE(key)`.
//! Give every field its own prefix (e.g. `b"balances"`, `b"allowances"`): prefixes must not be
//! prefixes of one another's keys.

use alloc::vec::Vec;
use core::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};

use crate::env;

/// Decodes stored bytes; a value that does not decode is a bug of the contract: it aborts.
fn decode<T: Decode>(bytes: &[u8]) -> T {
    match T::decode(&mut &bytes[..]) {
        Ok(value) => value,
        Err(_) => env::abort("storage value does not decode as its type"),
    }
}

/// One value of type `T` at a fixed key.
#[derive(Debug)]
pub struct StorageValue<T> {
    key: &'static [u8],
    _type: PhantomData<T>,
}

impl<T: Encode + Decode> StorageValue<T> {
    /// The value stored at `key`.
    pub const fn new(key: &'static [u8]) -> Self {
        Self {
            key,
            _type: PhantomData,
        }
    }

    /// The value, if set.
    pub fn get(&self) -> Option<T> {
        env::storage_read(self.key).map(|bytes| decode(&bytes))
    }

    /// The value, or `default` if unset.
    pub fn get_or(&self, default: T) -> T {
        self.get().unwrap_or(default)
    }

    /// Sets the value.
    pub fn set(&self, value: &T) {
        env::storage_write(self.key, &value.encode());
    }

    /// Removes the value; whether it was set.
    pub fn remove(&self) -> bool {
        env::storage_remove(self.key)
    }
}

/// A map from `K` to `V` under a prefix.
#[derive(Debug)]
pub struct StorageMap<K, V> {
    prefix: &'static [u8],
    _types: PhantomData<(K, V)>,
}

impl<K: Encode, V: Encode + Decode> StorageMap<K, V> {
    /// The map whose entries live under `prefix`.
    pub const fn new(prefix: &'static [u8]) -> Self {
        Self {
            prefix,
            _types: PhantomData,
        }
    }

    /// The storage key of `key`: `prefix ‖ SCALE(key)`.
    pub fn storage_key(&self, key: &K) -> Vec<u8> {
        let mut full = Vec::with_capacity(self.prefix.len() + key.size_hint());
        full.extend_from_slice(self.prefix);
        key.encode_to(&mut full);
        full
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &K) -> Option<V> {
        env::storage_read(&self.storage_key(key)).map(|bytes| decode(&bytes))
    }

    /// The value of `key`, or `default` if unset.
    pub fn get_or(&self, key: &K, default: V) -> V {
        self.get(key).unwrap_or(default)
    }

    /// Sets `key` to `value`.
    pub fn insert(&self, key: &K, value: &V) {
        env::storage_write(&self.storage_key(key), &value.encode());
    }

    /// Removes `key`; whether it was set.
    pub fn remove(&self, key: &K) -> bool {
        env::storage_remove(&self.storage_key(key))
    }

    /// Whether `key` is set.
    pub fn contains(&self, key: &K) -> bool {
        env::storage_has(&self.storage_key(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Address;

    #[test]
    fn map_keys_are_prefix_then_scale() {
        let balances: StorageMap<Address, u128> = StorageMap::new(b"bal");
        let key = balances.storage_key(&Address([7; 32]));
        assert_eq!(&key[..3], b"bal");
        assert_eq!(&key[3..], &[7; 32]);
        let pairs: StorageMap<(u8, u32), u8> = StorageMap::new(b"p");
        assert_eq!(pairs.storage_key(&(1, 2)), [b'p', 1, 2, 0, 0, 0]);
    }
}
